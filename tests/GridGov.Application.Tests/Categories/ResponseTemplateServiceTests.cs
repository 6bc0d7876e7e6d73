using GridGov.Application.Categories;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Categories;

/// <summary>
/// The administrator's response templates (常用回复模板) through <see cref="ResponseTemplateService"/>: created (once per
/// submission), edited and retired on the version shown, a stale version refused, audited, and administrators only.
/// </summary>
public sealed class ResponseTemplateServiceTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private async Task<T> AsAsync<T>(string userName, Func<ResponseTemplateService, CaseActor, Task<T>> work)
    {
        var actor = await scenario.ActorAsync(userName);
        return await scenario.WithAsync(p => work(p.GetRequiredService<ResponseTemplateService>(), actor));
    }

    private Task<ResponseTemplate> TemplateAsync(int id) => scenario.DbAsync(db => db.ResponseTemplates.AsNoTracking().SingleAsync(t => t.Id == id));

    private Task<int> CategoryIdAsync(string code) => scenario.DbAsync(db => db.Categories.Where(c => c.Code == code).Select(c => c.Id).SingleAsync());

    [Fact]
    public async Task An_administrator_creates_edits_retires_and_activates_a_template_each_save_audited()
    {
        var rubbish = await CategoryIdAsync("0501");
        var id = await AsAsync("admin1", (s, a) => s.CreateAsync(new ResponseTemplateInput(" 转城管 ", "已转城管中队限时清理。", CaseAction.Dispatch, rubbish, Guid.NewGuid()), a));
        var created = await TemplateAsync(id);
        Assert.Equal(("转城管", "已转城管中队限时清理。", CaseAction.Dispatch, (int?)rubbish, true), (created.Title, created.Text, created.Action, created.CategoryId, created.IsActive));

        await AsAsync("admin1", async (s, a) =>
        {
            await s.UpdateAsync(id, created.Version, new ResponseTemplateInput("转城管中队", "已转城管中队，请于2小时内清理。", CaseAction.Dispatch, null), a);
            return true;
        });
        var edited = await TemplateAsync(id);
        Assert.Equal(("转城管中队", "已转城管中队，请于2小时内清理。", (int?)null), (edited.Title, edited.Text, edited.CategoryId));
        Assert.NotEqual(created.Version, edited.Version);

        await AsAsync("admin1", async (s, a) => { await s.SetActiveAsync(id, edited.Version, false, a); return true; });
        var retired = await TemplateAsync(id);
        Assert.False(retired.IsActive);
        await AsAsync("admin1", async (s, a) => { await s.SetActiveAsync(id, retired.Version, true, a); return true; });
        Assert.True((await TemplateAsync(id)).IsActive);

        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(ResponseTemplate) && e.EntityId == key)
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Update, AuditAction.Update], audit);
    }

    [Fact]
    public async Task A_replayed_create_answers_with_the_first_template()
    {
        var submission = Guid.NewGuid();
        var input = new ResponseTemplateInput("退回：非本部门职责", "经核实，该问题不属于本部门职责，请重新派遣。", CaseAction.Return, null, submission);

        var first = await AsAsync("admin1", (s, a) => s.CreateAsync(input, a));
        var again = await AsAsync("admin1", (s, a) => s.CreateAsync(input, a));

        Assert.Equal(first, again);
        Assert.Equal(1, await scenario.DbAsync(db => db.ResponseTemplates.CountAsync(t => t.Title == "退回：非本部门职责")));
    }

    [Fact]
    public async Task An_edit_or_a_retirement_on_an_older_version_is_refused_and_writes_nothing()
    {
        var id = await AsAsync("admin1", (s, a) => s.CreateAsync(new ResponseTemplateInput("返工：照片不清", "处置照片不清晰，请补充现场照片。", CaseAction.Rework, null), a));
        var seen = await TemplateAsync(id);
        scenario.AuditActor = new FixedAuditActor(null, "张管理");
        try
        {
            await AsAsync("admin1", async (s, a) => { await s.UpdateAsync(id, seen.Version, new ResponseTemplateInput("返工：照片不清晰", seen.Text, seen.Action, null), a); return true; });
        }
        finally
        {
            scenario.AuditActor = new GridGov.Application.Ledgers.SystemAuditActor();
        }
        var current = await TemplateAsync(id);
        var auditBefore = await scenario.DbAsync(db => db.AuditEntries.CountAsync());

        var edit = await Assert.ThrowsAsync<DomainException>(() =>
            AsAsync("admin1", async (s, a) => { await s.UpdateAsync(id, seen.Version, new ResponseTemplateInput("另一个标题", seen.Text, seen.Action, null), a); return true; }));
        var retire = await Assert.ThrowsAsync<DomainException>(() =>
            AsAsync("admin1", async (s, a) => { await s.SetActiveAsync(id, seen.Version, false, a); return true; }));

        Assert.Equal((ResponseTemplateService.StaleCode, ResponseTemplateService.StaleCode), (edit.Code, retire.Code));
        Assert.Equal("该模板已被张管理于2026-11-23 09:00修改，本次保存未生效；请查看最新内容后重新修改", edit.Message);
        var after = await TemplateAsync(id);
        Assert.Equal((current.Title, current.IsActive, current.Version), (after.Title, after.IsActive, after.Version));
        Assert.Equal(auditBefore, await scenario.DbAsync(db => db.AuditEntries.CountAsync()));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "a dispatcher", "category.admin-only" },
        { "an unknown class", "template.category-not-found" },
        { "an empty title", "template.title-required" },
        { "a NUL in the text", "template.text-control" },
        { "an action without a text box", "template.action" },
        { "an over-long text", "template.text-too-long" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_template_is_refused_with_its_own_chinese_message_and_writes_nothing(string name, string code)
    {
        var valid = new ResponseTemplateInput("作废：重复上报", "该问题已有案件办理，本件作废。", CaseAction.Void, null, Guid.NewGuid());
        var input = name switch
        {
            "an unknown class" => valid with { CategoryId = 999_999 },
            "an empty title" => valid with { Title = "" },
            "a NUL in the text" => valid with { Text = "作废\0" },
            "an action without a text box" => valid with { Action = CaseAction.Whistle },
            "an over-long text" => valid with { Text = new string('长', ResponseTemplate.TextMaxLength + 1) },
            _ => valid,
        };
        var before = await scenario.DbAsync(async db => (await db.ResponseTemplates.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync()));

        var error = await Assert.ThrowsAsync<DomainException>(() => AsAsync(name == "a dispatcher" ? "dispatcher1" : "admin1", (s, a) => s.CreateAsync(input, a)));

        Assert.Equal(code, error.Code);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", error.Message);
        Assert.Equal(before, await scenario.DbAsync(async db => (await db.ResponseTemplates.CountAsync(), await db.AuditEntries.CountAsync(), await db.Submissions.CountAsync())));
    }

    [Fact]
    public async Task The_list_filters_by_action_and_class_and_shows_retired_ones_after_the_active()
    {
        var lamps = await CategoryIdAsync("0301");
        var ids = new List<int>();
        foreach (var (title, action, category) in new[] { ("核查：路灯已修复", CaseAction.Verify, (int?)lamps), ("核查：已解决", CaseAction.Verify, null), ("备注：路灯", CaseAction.Register, lamps) })
        {
            ids.Add(await AsAsync("admin1", (s, a) => s.CreateAsync(new ResponseTemplateInput(title, title + "。", action, category), a)));
        }
        var first = await TemplateAsync(ids[0]);
        await AsAsync("admin1", async (s, a) => { await s.SetActiveAsync(ids[0], first.Version, false, a); return true; });
        var admin = await scenario.ActorAsync("admin1");
        var list = (ResponseTemplateFilter filter) => scenario.WithAsync(p => p.GetRequiredService<ResponseTemplateQueries>().ListAsync(admin, filter));

        var verify = await list(new ResponseTemplateFilter(CaseAction.Verify));
        Assert.Equal(["核查：已解决", "核查：路灯已修复"], verify.Rows.Where(r => ids.Contains(r.Id)).Select(r => r.Title));
        var ofLamps = await list(new ResponseTemplateFilter(CategoryId: lamps));
        Assert.Equal(["备注：路灯", "核查：路灯已修复"], ofLamps.Rows.Select(r => r.Title));
        Assert.All(ofLamps.Rows, r => Assert.StartsWith("0301 ", r.CategoryName, StringComparison.Ordinal));
        var activeOnly = await list(new ResponseTemplateFilter(CaseAction.Verify, lamps, IncludeRetired: false));
        Assert.Empty(activeOnly.Rows);
        await Assert.ThrowsAsync<DomainException>(async () =>
            await scenario.WithAsync(async p => await p.GetRequiredService<ResponseTemplateQueries>().ListAsync(await scenario.ActorAsync("dispatcher1"), new ResponseTemplateFilter())));
    }
}
