using GridGov.Application.Categories;
using GridGov.Application.Tests.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Categories;

/// <summary>
/// The administrator's category editor (案件类别): the rules of an edit, its audit, the version it carries, and who may
/// make it. Each test edits its own minor class of the demo taxonomy.
/// </summary>
public sealed class CategoryAdminTests(LedgerScenario scenario) : IClassFixture<LedgerScenario>
{
    private Task<Category> CategoryAsync(string code) => scenario.DbAsync(db => db.Categories.AsNoTracking().SingleAsync(c => c.Code == code));

    private static CategoryEdit EditOf(Category c) => new(c.Name, c.FilingStandard, c.DefaultDepartmentId,
        StageLimitInput.From(c.Limits.Register), StageLimitInput.From(c.Limits.Dispatch), StageLimitInput.From(c.Limits.Handle),
        StageLimitInput.From(c.Limits.Verify), StageLimitInput.From(c.Limits.UrgentHandle), c.IsActive);

    private async Task UpdateAsync(string userName, Category category, CategoryEdit edit, uint? version = null)
    {
        var actor = await scenario.ActorAsync(userName);
        await scenario.WithAsync(p => p.GetRequiredService<CategoryAdminService>().UpdateAsync(category.Id, version ?? category.Version, edit, actor));
    }

    private async Task<DomainException> RefusedAsync(Category category, CategoryEdit edit, string userName = "admin1", uint? version = null)
    {
        var auditBefore = await scenario.DbAsync(db => db.AuditEntries.CountAsync());
        var error = await Assert.ThrowsAsync<DomainException>(() => UpdateAsync(userName, category, edit, version));
        var after = await CategoryAsync(category.Code);
        Assert.Equal((category.Name, category.FilingStandard, category.DefaultDepartmentId, category.Limits, category.IsActive, category.Version),
            (after.Name, after.FilingStandard, after.DefaultDepartmentId, after.Limits, after.IsActive, after.Version));
        Assert.Equal(auditBefore, await scenario.DbAsync(db => db.AuditEntries.CountAsync()));
        return error;
    }

    [Fact]
    public async Task An_administrator_edits_a_minor_class_and_the_edit_is_audited_with_its_time_limits()
    {
        var category = await CategoryAsync("0101");
        var otherDepartment = await scenario.DbAsync(db => db.Departments.Where(d => d.Id != category.DefaultDepartmentId).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var edit = EditOf(category) with
        {
            Name = "  供水井盖  ",
            FilingStandard = "供水井盖丢失、破损或移位",
            DefaultDepartmentId = otherDepartment,
            Handle = new StageLimitInput(6, TimeUnit.WorkingHours),
        };

        await UpdateAsync("admin1", category, edit);

        var stored = await CategoryAsync("0101");
        Assert.Equal(("供水井盖", "供水井盖丢失、破损或移位", otherDepartment), (stored.Name, stored.FilingStandard, stored.DefaultDepartmentId));
        Assert.Equal(TimeLimit.Hours(6), stored.Limits.Handle);
        Assert.Equal(category.Limits.Register, stored.Limits.Register);
        Assert.NotEqual(category.Version, stored.Version);
        var key = category.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await scenario.DbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "Category" && e.EntityId == key).OrderBy(e => e.Id).ToListAsync());
        var entry = Assert.Single(audit, e => e.Action == AuditAction.Update);
        var after = System.Text.Json.JsonDocument.Parse(entry.After!).RootElement;
        Assert.Equal(6, after.GetProperty("Limits.Handle.Amount").GetInt32());
        Assert.Equal("WorkingHours", after.GetProperty("Limits.Handle.Unit").GetString());
        Assert.Equal("供水井盖", after.GetProperty("Name").GetString());
        Assert.False(after.TryGetProperty("Limits.Register.Amount", out _)); // only what changed
    }

    [Fact]
    public async Task A_save_on_an_older_version_is_refused_naming_who_changed_it_and_when_and_writes_nothing()
    {
        var seen = await CategoryAsync("0102");
        scenario.AuditActor = new FixedAuditActor(null, "张管理");
        try
        {
            await UpdateAsync("admin1", seen, EditOf(seen) with { FilingStandard = "由张管理改过的立案标准" });
        }
        finally
        {
            scenario.AuditActor = new GridGov.Application.Ledgers.SystemAuditActor();
        }
        var current = await CategoryAsync("0102");

        var error = await RefusedAsync(current, EditOf(seen) with { Name = "另一个名称" }, version: seen.Version);

        Assert.Equal(CategoryAdminService.StaleCode, error.Code);
        Assert.Equal("该案件类别已被张管理于2026-11-23 09:00修改，本次保存未生效；请查看最新内容后重新修改", error.Message);
        // Over the version now shown, the same edit goes through.
        await UpdateAsync("admin1", current, EditOf(current) with { Name = "另一个名称" });
        Assert.Equal(("另一个名称", "由张管理改过的立案标准"), ((await CategoryAsync("0102")).Name, (await CategoryAsync("0102")).FilingStandard));
    }

    public static TheoryData<string, string> BadEdits => new()
    {
        { "empty name", "category.name-required" },
        { "over-long name", "category.name-too-long" },
        { "NUL in the name", "category.name-control" },
        { "ESC in the filing standard", "category.filing-control" },
        { "empty filing standard", "category.filing-required" },
        { "over-long filing standard", "category.filing-too-long" },
        { "no department", "category.department-required" },
        { "unknown department", "category.department-not-found" },
        { "zero register limit", "category.limit-register" },
        { "negative dispatch limit", "category.limit-dispatch" },
        { "handle limit over 60 working days", "category.limit-handle" },
        { "verify limit over 480 minutes", "category.limit-verify" },
        { "no urgent limit", "category.limit-urgent" },
        { "urgent limit longer than the normal one", "category.limit-urgent-longer" },
        { "an undefined unit", "category.limit-handle" },
        { "the name of another minor class of the same major class", "category.name-taken" },
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task A_bad_edit_is_refused_with_its_own_chinese_message_and_writes_nothing(string name, string code)
    {
        var category = await CategoryAsync("0103");
        var sibling = await scenario.DbAsync(db => db.Categories.Where(c => c.MajorId == category.MajorId && c.Id != category.Id).OrderBy(c => c.Code).Select(c => c.Name).FirstAsync());
        var valid = EditOf(category);
        var edit = name switch
        {
            "empty name" => valid with { Name = "   " },
            "over-long name" => valid with { Name = new string('长', Category.NameMaxLength + 1) },
            "NUL in the name" => valid with { Name = "雨水\0井盖" },
            "ESC in the filing standard" => valid with { FilingStandard = "破损\u001b立案" },
            "empty filing standard" => valid with { FilingStandard = "" },
            "over-long filing standard" => valid with { FilingStandard = new string('长', Category.FilingStandardMaxLength + 1) },
            "no department" => valid with { DefaultDepartmentId = null },
            "unknown department" => valid with { DefaultDepartmentId = 999_999 },
            "zero register limit" => valid with { Register = new StageLimitInput(0, TimeUnit.Minutes) },
            "negative dispatch limit" => valid with { Dispatch = new StageLimitInput(-3, TimeUnit.Minutes) },
            "handle limit over 60 working days" => valid with { Handle = new StageLimitInput(61, TimeUnit.WorkingDays) },
            "verify limit over 480 minutes" => valid with { Verify = new StageLimitInput(481, TimeUnit.Minutes) },
            "no urgent limit" => valid with { UrgentHandle = new StageLimitInput(null, TimeUnit.WorkingHours) },
            "urgent limit longer than the normal one" => valid with { Handle = new StageLimitInput(2, TimeUnit.WorkingDays), UrgentHandle = new StageLimitInput(3, TimeUnit.WorkingDays) },
            "an undefined unit" => valid with { Handle = new StageLimitInput(1, (TimeUnit)42) },
            "the name of another minor class of the same major class" => valid with { Name = sibling },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var error = await RefusedAsync(category, edit);

        Assert.Equal(code, error.Code);
        Assert.Matches("[\u4e00-\u9fff]", error.Message);
    }

    [Fact]
    public async Task The_name_of_a_minor_class_of_another_major_class_may_be_used()
    {
        var category = await CategoryAsync("0104");
        var elsewhere = await scenario.DbAsync(db => db.Categories.Where(c => c.MajorId != category.MajorId).OrderBy(c => c.Code).Select(c => c.Name).FirstAsync());

        await UpdateAsync("admin1", category, EditOf(category) with { Name = elsewhere });

        Assert.Equal(elsewhere, (await CategoryAsync("0104")).Name);
    }

    [Theory]
    [InlineData("dispatcher1")]
    [InlineData("secretary1")]
    [InlineData("leader1")]
    [InlineData("worker1")]
    [InlineData("handler1")]
    [InlineData("streetleader1")]
    public async Task Only_an_administrator_may_list_read_or_edit_categories(string userName)
    {
        var category = await CategoryAsync("0105");
        var actor = await scenario.ActorAsync(userName);

        var edit = await RefusedAsync(category, EditOf(category) with { Name = "越权修改" }, userName);
        var list = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(p => p.GetRequiredService<CategoryAdminQueries>().PageAsync(actor, new CategoryListFilter())));
        var read = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(p => p.GetRequiredService<CategoryAdminQueries>().EditAsync(actor, category.Id)));

        Assert.All(new[] { edit, list, read }, e => Assert.Equal("category.admin-only", e.Code));
    }

    [Fact]
    public async Task The_list_pages_filters_and_sorts_in_the_query_and_counts_the_cases_of_each_class()
    {
        var admin = await scenario.ActorAsync("admin1");
        var queries = (Func<CategoryListFilter, Task<CategoryPage>>)(filter => scenario.WithAsync(p => p.GetRequiredService<CategoryAdminQueries>().PageAsync(admin, filter)));
        var total = await scenario.DbAsync(db => db.Categories.CountAsync());
        var withCases = await scenario.DbAsync(db => db.Cases.GroupBy(c => c.CategoryId).OrderByDescending(g => g.Count()).Select(g => new { g.Key, Count = g.Count() }).FirstAsync());

        var first = await queries(new CategoryListFilter(Take: 10));
        var second = await queries(new CategoryListFilter(Skip: 10, Take: 10));
        var byCases = await queries(new CategoryListFilter(Sort: CategorySort.Cases, Descending: true, Take: 1));
        var searched = await queries(new CategoryListFilter(Search: "井盖\0", Take: 100));

        Assert.Equal(total, first.Count);
        Assert.Equal(10, first.Rows.Count);
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second.Rows.Select(r => r.Id)));
        Assert.Equal(first.Rows.Select(r => r.Code).Order(StringComparer.Ordinal), first.Rows.Select(r => r.Code));
        Assert.Equal(withCases.Count, Assert.Single(byCases.Rows).CaseCount);
        Assert.NotEmpty(searched.Rows);
        Assert.All(searched.Rows, r => Assert.Contains("井盖", r.Name, StringComparison.Ordinal));
    }
}
