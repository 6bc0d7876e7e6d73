using Bunit;
using GridGov.Domain.Categories;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Components.CategoryEditComponentTests;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// Bad input typed into the category editor (案件类别): every text field and every stage's limit, with control characters,
/// over-long and empty text, limits out of bounds. Each gets a Chinese message under its own field, what was typed stays,
/// and nothing is written.
/// </summary>
public sealed class CategoryBadInputTests(WebAppFixture app, ITestOutputHelper output) : IClassFixture<WebAppFixture>
{
    private static string Long(int length) => new('长', length);

    /// <summary>The input's id, what is typed into it, and the field whose message must show (its input's id).</summary>
    private static readonly (string Input, string Typed, string ErrorUnder)[] Corpus =
    [
        ("category-name", "", "category-name"),
        ("category-name", "   ", "category-name"),
        ("category-name", Long(41), "category-name"),
        ("category-name", "井盖\0缺失", "category-name"),
        ("category-name", "井盖\u001b缺失", "category-name"),
        ("category-name", "井盖\u0007", "category-name"),
        ("category-filing", "", "category-filing"),
        ("category-filing", Long(501), "category-filing"),
        ("category-filing", "破损\0立案", "category-filing"),
        ("category-filing", "破损\u0008立案", "category-filing"),
        ("limit-register-amount", "0", "limit-register-amount"),
        ("limit-register-amount", "-5", "limit-register-amount"),
        ("limit-register-amount", "", "limit-register-amount"),
        ("limit-dispatch-amount", "0", "limit-dispatch-amount"),
        ("limit-dispatch-amount", "100000", "limit-dispatch-amount"),
        ("limit-handle-amount", "-1", "limit-handle-amount"),
        ("limit-handle-amount", "999", "limit-handle-amount"),
        ("limit-verify-amount", "0", "limit-verify-amount"),
        ("limit-verify-amount", "2147483647", "limit-verify-amount"),
        ("limit-urgent-amount", "", "limit-urgent-amount"),
        ("limit-urgent-amount", "0", "limit-urgent-amount"),
    ];

    [Fact]
    public async Task Bad_input_on_the_category_form_is_refused_in_chinese_under_its_field_and_writes_nothing()
    {
        var category = await CategoryAsync(app, "0202");
        var audit = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.EntityType == "Category"));
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        foreach (var (input, typed, under) in Corpus)
        {
            var label = $"{input} = {Printable(typed)}";
            var page = Open(harness, category.Id);
            page.Find($"input#{input}, textarea#{input}").Change(typed);
            page.Find("[data-testid=category-save]").Click();
            try
            {
                page.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(page, under)), TimeSpan.FromSeconds(10));
                var message = ErrorUnder(page, under);
                if (!ComponentHarness.IsChinese(message))
                {
                    failures.Add($"{label}: not Chinese: {message}");
                }
                if (page.FindAll("[data-testid=category-error]").Count > 0)
                {
                    failures.Add($"{label}: a general error besides the field's");
                }
                var kept = new string([.. typed.TakeWhile(c => !char.IsControl(c)).Take(20)]);
                if (!page.Find($"#{input}").OuterHtml.Contains(kept, StringComparison.Ordinal))
                {
                    failures.Add($"{label}: what was typed is gone");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{label}: no message under {under}");
            }
            page.Dispose();
        }

        var stored = await CategoryAsync(app, "0202");
        Assert.Equal((category.Name, category.FilingStandard, category.Limits, category.IsActive, category.Version),
            (stored.Name, stored.FilingStandard, stored.Limits, stored.IsActive, stored.Version));
        Assert.Equal(audit, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.EntityType == "Category")));
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_input_on_the_category_form_is_refused_in_chinese_under_its_field_and_writes_nothing)}: {Corpus.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }

    /// <summary>The route form's bad choices: what is chosen, and the select whose message must show (its input's id).</summary>
    private enum RouteChoice
    {
        Nothing,
        NoScope,
        CommunityWithoutDepartment,
        GridWithoutDepartment,
        DefaultDepartmentForCommunity,
        DefaultDepartmentForGrid,
        SecondRouteForCommunity,
        SecondRouteForGrid,
    }

    [Fact]
    public async Task Bad_choices_on_the_route_form_are_refused_in_chinese_under_their_field_and_write_nothing()
    {
        var category = await CategoryAsync(app, "0202");
        var (community, _, grid, _, committee, _, police) = await CategoryRoutesComponentTests.PlacesAsync(app, category);
        await app.DbAsync(async db =>
        {
            db.DispatchRoutes.AddRange(new DispatchRoute(category.Id, committee, community, null), new DispatchRoute(category.Id, committee, null, grid));
            return await db.SaveChangesAsync();
        });
        var before = await app.DbAsync(async db => (await db.DispatchRoutes.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "DispatchRoute")));
        var community2 = await app.DbAsync(db => db.Communities.OrderBy(c => c.Code).Skip(1).Select(c => c.Id).FirstAsync());
        var grid2 = await app.DbAsync(db => db.Grids.Where(g => g.CommunityId == community2 && g.ValidTo == null).OrderBy(g => g.Code).Select(g => g.Code).FirstAsync());
        var failures = new List<string>();
        await using var harness = await ComponentHarness.SignedInAsync(app, "admin1");
        var corpus = Enum.GetValues<RouteChoice>();
        foreach (var choice in corpus)
        {
            var page = Open(harness, category.Id);
            (bool ByGrid, string? Scope, int? Department, string Under) pick = choice switch
            {
                RouteChoice.Nothing => (false, null, null, "route-scope"),
                RouteChoice.NoScope => (true, null, police, "route-scope"),
                RouteChoice.CommunityWithoutDepartment => (false, CategoryRoutesComponentTests.Community(community2), null, "route-department"),
                RouteChoice.GridWithoutDepartment => (true, grid2, null, "route-department"),
                RouteChoice.DefaultDepartmentForCommunity => (false, CategoryRoutesComponentTests.Community(community2), category.DefaultDepartmentId, "route-department"),
                RouteChoice.DefaultDepartmentForGrid => (true, grid2, category.DefaultDepartmentId, "route-department"),
                RouteChoice.SecondRouteForCommunity => (false, CategoryRoutesComponentTests.Community(community), police, "route-scope"),
                _ => (true, grid, police, "route-scope"),
            };
            var (byGrid, scope, department, under) = pick;
            await CategoryRoutesComponentTests.ChooseAsync(page, byGrid, scope, department);
            page.Find("[data-testid=route-add]").Click();
            try
            {
                page.WaitForAssertion(() => Assert.NotEqual("", ErrorUnder(page, under)), TimeSpan.FromSeconds(10));
                var message = ErrorUnder(page, under);
                if (!ComponentHarness.IsChinese(message))
                {
                    failures.Add($"{choice}: not Chinese: {message}");
                }
                if (page.FindAll("[data-testid=route-error], [data-testid=category-error]").Count > 0)
                {
                    failures.Add($"{choice}: a general error besides the field's");
                }
                if (page.FindAll("[data-route]").Count != 2)
                {
                    failures.Add($"{choice}: the list shows {page.FindAll("[data-route]").Count} routes");
                }
            }
            catch (Exception exception) when (exception is Xunit.Sdk.XunitException or Bunit.Extensions.WaitForHelpers.WaitForFailedException)
            {
                failures.Add($"{choice}: no message under {under}");
            }
            page.Dispose();
        }

        Assert.Equal(before, await app.DbAsync(async db => (await db.DispatchRoutes.CountAsync(), await db.AuditEntries.CountAsync(e => e.EntityType == "DispatchRoute"))));
        Console.WriteLine($"[bad-input-corpus] {nameof(Bad_choices_on_the_route_form_are_refused_in_chinese_under_their_field_and_write_nothing)}: {corpus.Length} inputs tried, {failures.Count} failures");
        output.WriteLine(string.Join(Environment.NewLine, failures));
        Assert.Empty(failures);
    }

    private static string Printable(string text) =>
        string.Concat(text.Take(12).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
