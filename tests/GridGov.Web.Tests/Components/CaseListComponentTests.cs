using Bunit;
using GridGov.Domain.Cases;
using GridGov.Web.Components.Pages.Cases;
using GridGov.Web.Tests.Infrastructure;
using static GridGov.Web.Tests.CaseList.CaseListData;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The interactive case list (MudDataGrid on server data) with bUnit on the real application and database: a filter
/// chosen on the page lands in the URL and narrows the rows, a column sort is the list's order and goes into the URL,
/// the keyset pager reads the next page, and a bad URL gets the Chinese message and no rows.
/// </summary>
public sealed class CaseListComponentTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static IReadOnlyList<string> Rows(IRenderedComponent<GridGov.Web.Components.Pages.Cases.CaseList> page) =>
        [.. page.FindAll("[data-testid=case-row]").Select(e => e.GetAttribute("data-number")!)];

    [Fact]
    public async Task A_state_chosen_on_the_page_goes_into_the_url_and_keeps_only_the_cases_in_that_state()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var waiting = await app.ReportAsync(grid, $"待立案{marker}");
        var registered = await app.ReportAsync(grid, $"已立案{marker}");
        await app.DoAsync(s => s.RegisterAsync(registered.Id, dispatcher, null, null));
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.Page<GridGov.Web.Components.Pages.Cases.CaseList>($"/cases?q={Query(marker)}");
        page.WaitForAssertion(() => Assert.Equal(new[] { waiting.Number, registered.Number }.Order(), Rows(page).Order()));
        page.Find("[data-state-filter=Registered]").Click();

        page.WaitForAssertion(() => Assert.Equal([registered.Number], Rows(page)));
        Assert.Contains("state=Registered", harness.Navigation.Uri, StringComparison.Ordinal);
        Assert.Contains($"q={Query(marker)}", harness.Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sorting_a_column_orders_the_rows_in_the_query_and_puts_the_order_into_the_url()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var made = new List<Case>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await app.ReportAsync(grid, $"排序{i}{marker}"));
        }
        var numbers = made.Select(c => c.Number).Order(StringComparer.Ordinal).ToList();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.Page<GridGov.Web.Components.Pages.Cases.CaseList>($"/cases?q={Query(marker)}");
        page.WaitForAssertion(() => Assert.Equal(numbers.AsEnumerable().Reverse(), Rows(page))); // newest report first
        page.FindAll("th .sortable-column-header").First(th => th.TextContent.Contains("案件编号", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(numbers, Rows(page)));
        // The rows come back before the page writes the order into the address.
        page.WaitForAssertion(() => Assert.Contains("sort=number-asc", harness.Navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_next_page_link_reads_the_rows_after_the_last_one_and_the_first_page_link_goes_back()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var made = new List<Case>();
        for (var i = 0; i < 53; i++)
        {
            made.Add(await app.ReportAsync(grid, $"分页{i}{marker}"));
        }
        var newestFirst = made.Select(c => c.Number).Reverse().ToList();
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.Page<GridGov.Web.Components.Pages.Cases.CaseList>($"/cases?q={Query(marker)}");
        page.WaitForAssertion(() => Assert.Equal(newestFirst.Take(50), Rows(page)));
        harness.Navigation.NavigateTo(page.Find("[data-testid=next-page]").GetAttribute("href")!);

        page.WaitForAssertion(() => Assert.Equal(newestFirst.Skip(50), Rows(page)));
        Assert.Contains("第 2 页", page.Find("[data-testid=case-page]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=next-page]"));
        harness.Navigation.NavigateTo(page.Find("[data-testid=first-page]").GetAttribute("href")!);
        page.WaitForAssertion(() => Assert.Equal(newestFirst.Take(50), Rows(page)));
    }

    [Fact]
    public async Task A_bad_filter_in_the_url_shows_the_chinese_message_and_no_rows()
    {
        await using var harness = await ComponentHarness.SignedInAsync(app, "dispatcher1");

        var page = harness.Page<GridGov.Web.Components.Pages.Cases.CaseList>("/cases?from=2026-11-30&to=2026-11-01&state=Bogus");

        page.WaitForAssertion(() => Assert.Contains("开始日期不能晚于结束日期", page.Find("[data-testid=filter-errors]").TextContent));
        Assert.Contains("未知的案件状态“Bogus”", page.Find("[data-testid=filter-errors]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=case-row]"));
    }
}
