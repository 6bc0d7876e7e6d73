using GridGov.Application.Notifications;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Tests.Notifications;

/// <summary>Who may notify whom, and bad notices refused with a Chinese message and nothing written.</summary>
public sealed class NoticeRulesTests(NoticeScenario scenario) : IClassFixture<NoticeScenario>
{
    private static string Long(int length) => new('长', length);

    private Task<(int Notices, int Notifications, int Audit)> CountsAsync() => scenario.DbAsync(async db =>
        (await db.Notices.CountAsync(), await db.Notifications.CountAsync(), await db.AuditEntries.CountAsync()));

    private Task<int> OwnGridAsync() => scenario.DbAsync(async db =>
    {
        var code = await db.Users.Where(u => u.UserName == "leader1")
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode).OrderBy(c => c).FirstAsync();
        return await db.Grids.Where(g => g.Code == code).Select(g => g.Id).SingleAsync();
    });

    private Task<int> OtherCommunityGridAsync(int ownGrid) => scenario.DbAsync(async db =>
    {
        var community = await db.Grids.Where(g => g.Id == ownGrid).Select(g => g.CommunityId).SingleAsync();
        return await db.Grids.Where(g => g.CommunityId != community).OrderBy(g => g.Id).Select(g => g.Id).FirstAsync();
    });

    [Fact]
    public async Task A_secretary_cannot_notify_a_grid_or_compound_of_another_community_and_nothing_is_written()
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await OwnGridAsync();
        var other = await OtherCommunityGridAsync(own);
        var otherCompound = await scenario.DbAsync(db => db.Compounds.Where(c => c.GridId == other).Select(c => c.Id).FirstAsync());
        var before = await CountsAsync();

        var grid = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.SendAsync(
            new NoticeDraft(new NoticeTargetInput(NoticeTarget.Grids, [own, other], null), "越权通知", Guid.NewGuid()), secretary)));
        var compound = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.SendAsync(
            new NoticeDraft(new NoticeTargetInput(NoticeTarget.Compound, [], otherCompound), "越权通知", Guid.NewGuid()), secretary)));
        var preview = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.PreviewAsync(new NoticeTargetInput(NoticeTarget.Grids, [other], null), secretary)));

        Assert.All(new[] { grid, compound, preview }, e => Assert.Equal("notice.out-of-scope", e.Code));
        Assert.Contains("不在您负责的范围内", grid.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
        // The grids and compounds the form offers her are her community's only; the center's the whole street.
        var offered = await scenario.Notices(n => n.GridsAsync(secretary));
        Assert.Contains(offered, g => g.Id == own);
        Assert.DoesNotContain(offered, g => g.Id == other);
        Assert.Contains(await scenario.Notices(async n => await n.GridsAsync(await scenario.ActorAsync("dispatcher1"))), g => g.Id == other);
        Assert.Equal("notice.out-of-scope", (await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.CompoundsAsync(other, secretary)))).Code);
        Assert.Contains(await scenario.Notices(n => n.CompoundsAsync(own, secretary)), c => c.Name.Length > 0);
    }

    [Fact]
    public async Task The_center_notifies_any_community_and_a_secretary_does_not_see_its_notice_of_another_community()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var secretary = await scenario.ActorAsync("secretary1");
        var other = await OtherCommunityGridAsync(await OwnGridAsync());
        var compound = await scenario.DbAsync(db => db.Compounds.Where(c => c.GridId == other)
            .Where(c => db.Buildings.Any(b => b.CompoundId == c.Id && db.Households.Any(h => h.BuildingId == b.Id && db.Residents.Any(r => r.HouseholdId == h.Id && r.Phone != null))))
            .Select(c => c.Id).FirstAsync());

        var sent = await scenario.Notices(n => n.SendAsync(new NoticeDraft(new NoticeTargetInput(NoticeTarget.Compound, [], compound), "小区电梯检修通知", Guid.NewGuid()), dispatcher));

        Assert.True(sent.Recipients > 0);
        Assert.Contains(await scenario.Notices(n => n.ListAsync(dispatcher)), r => r.Id == sent.Id);
        Assert.DoesNotContain(await scenario.Notices(n => n.ListAsync(secretary)), r => r.Id == sent.Id);
    }

    [Theory]
    [InlineData("worker1")]
    [InlineData("leader1")]
    [InlineData("handler1")]
    [InlineData("streetleader1")]
    public async Task Other_roles_may_not_notify_residents(string userName)
    {
        var actor = await scenario.ActorAsync(userName);
        var own = await OwnGridAsync();
        var before = await CountsAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.SendAsync(
            new NoticeDraft(new NoticeTargetInput(NoticeTarget.Grids, [own], null), "通知", Guid.NewGuid()), actor)));
        var list = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.ListAsync(actor)));

        Assert.Equal("notice.not-allowed", refused.Code);
        Assert.Equal("notice.not-allowed", list.Code);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string?, string, string> BadNotices() => new()
    {
        { "empty text", "", "grid", "通知内容不能为空" },
        { "blank text", "   ", "grid", "通知内容不能为空" },
        { "text too long", Long(Notice.TextMaxLength + 1), "grid", $"不能超过{Notice.TextMaxLength}个字" },
        { "control character", "停水\0通知", "grid", "控制字符" },
        { "no grid chosen", "停水通知", "none", "请选择要通知的网格或小区" },
        { "no compound chosen", "停水通知", "compound-null", "请选择要通知的网格或小区" },
        { "unknown grid", "停水通知", "grid-unknown", "所选网格不存在" },
        { "unknown compound", "停水通知", "compound-unknown", "所选小区不存在" },
        { "nobody with a phone", "停水通知", "compound-empty", "没有登记手机号码的居民" },
    };

    [Theory]
    [MemberData(nameof(BadNotices))]
    public async Task A_bad_notice_is_refused_in_chinese_and_writes_nothing(string name, string? text, string target, string message)
    {
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await OwnGridAsync();
        var emptyCompound = await scenario.DbAsync(async db =>
        {
            var compound = new Domain.Geography.Compound(own, "无人小区" + Guid.NewGuid().ToString("N")[..4],
                (await db.Compounds.Where(c => c.GridId == own).Select(c => c.Location).FirstAsync()));
            db.Compounds.Add(compound);
            await db.SaveChangesAsync();
            return compound.Id;
        });
        var recipients = target switch
        {
            "grid" => new NoticeTargetInput(NoticeTarget.Grids, [own], null),
            "none" => new NoticeTargetInput(NoticeTarget.Grids, [], null),
            "compound-null" => new NoticeTargetInput(NoticeTarget.Compound, [own], null),
            "grid-unknown" => new NoticeTargetInput(NoticeTarget.Grids, [int.MaxValue], null),
            "compound-unknown" => new NoticeTargetInput(NoticeTarget.Compound, [], int.MaxValue),
            _ => new NoticeTargetInput(NoticeTarget.Compound, [], emptyCompound),
        };
        var before = await CountsAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.Notices(n => n.SendAsync(new NoticeDraft(recipients, text, Guid.NewGuid()), secretary)));

        Assert.True(refused.Message.Contains(message, StringComparison.Ordinal), $"{name}: {refused.Message}");
        Assert.Equal(before, await CountsAsync());
    }
}
