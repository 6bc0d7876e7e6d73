using System.Globalization;
using Bunit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Organisation;
using GridGov.Web.Components.Pages.Admin;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace GridGov.Web.Tests.Components;

/// <summary>The responsible people editor (网格责任人, /admin/people) with bUnit on the real application and database.</summary>
public sealed class ResponsiblePeopleComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    internal sealed record Setting(int CommunityId, string GridCode, int WorkerId, string WorkerName);

    internal static string Today => WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The second grid of community <paramref name="communityIndex"/> and a full-time worker of its first grid.</summary>
    internal static Task<Setting> SettingAsync(WebAppFixture app, int communityIndex) => app.DbAsync(async db =>
    {
        var community = await db.Communities.OrderBy(c => c.Code).Skip(communityIndex).Select(c => c.Id).FirstAsync();
        var grids = await db.Grids.Where(g => g.CommunityId == community && g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Code).Take(2).ToListAsync();
        var worker = await db.GridAssignments.Where(a => a.GridCode == grids[0] && a.Duty == GridDuty.FullTimeWorker)
            .Select(a => new { a.StaffMemberId, a.StaffMember!.Name }).FirstAsync();
        return new Setting(community, grids[1], worker.StaffMemberId, worker.Name);
    });

    internal static IRenderedComponent<ResponsiblePeoplePage> Open(ComponentHarness harness, int communityId)
    {
        var page = harness.Page<ResponsiblePeoplePage>($"/admin/people?community={communityId}");
        page.WaitForElement("[data-testid=people-secretaries]");
        return page;
    }

    internal static async Task OpenAssignAsync(IRenderedComponent<ResponsiblePeoplePage> page, string gridCode, GridDuty? duty, int? personId)
    {
        page.Find($"[data-testid=assign-open-{gridCode}]").Click();
        page.WaitForElement("[data-testid=assign-form]");
        page.WaitForElement("input#assign-since");
        if (duty is { } chosen)
        {
            var dutySelect = page.FindComponent<MudSelect<GridDuty?>>();
            await page.InvokeAsync(() => dutySelect.Instance.ValueChanged.InvokeAsync(chosen));
        }
        if (personId is { } id)
        {
            var person = page.FindComponents<MudSelect<int?>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "assign-person"));
            await page.InvokeAsync(() => person.Instance.ValueChanged.InvokeAsync(id));
        }
    }

    /// <summary>The message under the field whose input has this id, or under the MudSelect with this test id ("" when none).</summary>
    internal static string ErrorUnder(IRenderedComponent<ResponsiblePeoplePage> page, string selector) =>
        page.Find(selector).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task An_administrator_assigns_a_worker_from_today_and_ends_the_duty_keeping_the_row_as_history()
    {
        var setting = await SettingAsync(app, 5);
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var page = Open(harness, setting.CommunityId);

        await OpenAssignAsync(page, setting.GridCode, GridDuty.AuxiliaryWorker, setting.WorkerId);
        Assert.Equal(Today, page.Find("input#assign-since").GetAttribute("value"));
        var submission = page.Find("[data-testid=assign-form]").GetAttribute("data-submission");
        Assert.False(string.IsNullOrEmpty(submission));
        page.Find("[data-testid=assign-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(harness.Snackbar.ShownSnackbars, s => s.Message == $"已安排{setting.WorkerName}到网格{setting.GridCode}"));
        var id = await app.DbAsync(db => db.GridAssignments.Where(a => a.GridCode == setting.GridCode && a.StaffMemberId == setting.WorkerId && a.EndedOn == null)
            .Select(a => a.Id).SingleAsync());
        var key = id.ToString(CultureInfo.InvariantCulture);
        page.WaitForAssertion(() => Assert.Equal("true", page.Find($"[data-assignment=\"{key}\"]").GetAttribute("data-in-force")));
        Assert.Contains("在任", page.Find($"[data-assignment=\"{key}\"]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=assign-form]"));

        // An end before the start is refused under the date, in Chinese; today ends it and the row stays.
        page.Find($"[data-testid=end-open-{key}]").Click();
        page.WaitForElement("input#end-date").Change("2020-01-01");
        page.Find("[data-testid=end-save]").Click();
        page.WaitForAssertion(() => Assert.StartsWith("结束日期不能早于开始日期", ErrorUnder(page, "input#end-date"), StringComparison.Ordinal));
        Assert.Null(await app.DbAsync(db => db.GridAssignments.Where(a => a.Id == id).Select(a => a.EndedOn).SingleAsync()));

        page.Find("input#end-date").Change(Today);
        page.Find("[data-testid=end-save]").Click();
        page.WaitForAssertion(() => Assert.Equal("false", page.Find($"[data-assignment=\"{key}\"]").GetAttribute("data-in-force")));
        Assert.Contains("已离任", page.Find($"[data-assignment=\"{key}\"]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll($"[data-testid=end-open-{key}]"));
        await ComponentHarness.EventuallyAsync(async () =>
            Assert.Equal(DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                await app.DbAsync(db => db.GridAssignments.Where(a => a.Id == id).Select(a => a.EndedOn).SingleAsync())));
    }

    [Fact]
    public async Task A_second_leader_is_refused_under_the_duty_and_a_secretary_sees_only_his_community()
    {
        var setting = await SettingAsync(app, 0);
        var leader = await app.DbAsync(db => db.StaffMembers.Where(s => s.Role == StaffRole.GridLeader && s.CommunityId == setting.CommunityId)
            .OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());
        var count = await app.DbAsync(db => db.GridAssignments.CountAsync());
        await using var harness = await ComponentHarness.SignedInAsync(app, "secretary1");
        var page = Open(harness, setting.CommunityId + 1); // asks for another community: gets his own

        Assert.DoesNotContain(page.FindComponents<MudSelect<int?>>(), s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "people-community"));
        Assert.NotEmpty(page.FindAll($"[data-grid=\"{setting.GridCode}\"]"));
        Assert.Empty(page.FindAll("[data-testid=people-departments]"));
        await OpenAssignAsync(page, setting.GridCode, GridDuty.Leader, leader);
        page.Find("[data-testid=assign-save]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("该网格已有在任或待任的网格长", ErrorUnder(page, "[data-testid=assign-duty]"), StringComparison.Ordinal));
        Assert.Equal(count, await app.DbAsync(db => db.GridAssignments.CountAsync()));
        Assert.NotEmpty(page.FindAll("[data-testid=assign-form]"));
    }
}
