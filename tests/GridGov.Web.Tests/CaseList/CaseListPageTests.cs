using System.Net;
using GridGov.Domain.Cases;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using static GridGov.Web.Tests.CaseList.CaseListData;

namespace GridGov.Web.Tests.CaseList;

public sealed class CaseListPageTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private async Task<HttpClient> SignedInAsync(string userName)
    {
        var client = app.CreateClient();
        await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
        return client;
    }

    private static async Task<string> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        return html;
    }

    [Fact]
    public async Task The_list_shows_the_filters_the_columns_and_links_to_each_case()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var reported = await app.ReportAsync(grid, $"路边垃圾{marker}");
        using var client = await SignedInAsync("dispatcher1");

        var html = await PageAsync(client, $"/cases?q={Query(marker)}");

        Assert.Contains("data-testid=\"case-filters\"", html);
        Assert.Contains($"value=\"{marker}\"", html); // the search box holds the URL's text
        Assert.Contains($"href=\"/cases/{reported.Number}\"", html);
        Assert.Contains("data-state=\"Reported\"", html); // CaseStateChip
        Assert.Contains("暴露垃圾", html);
        Assert.Contains("data-total=\"1\"", html);
        Assert.Contains($"href=\"/cases/export.xlsx?q={Query(marker)}\"", html);
        Assert.Contains("案件查询 · 网格化服务管理中心", html);
    }

    [Fact]
    public async Task The_state_filter_keeps_only_cases_in_the_chosen_states()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var waiting = await app.ReportAsync(grid, $"待立案{marker}");
        var registered = await app.ReportAsync(grid, $"已立案{marker}");
        await app.DoAsync(s => s.RegisterAsync(registered.Id, dispatcher, null, null));
        using var client = await SignedInAsync("dispatcher1");

        var onlyRegistered = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&state=Registered"));
        var both = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&state=Registered&state=Reported"));
        var none = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&state=Archived"));

        Assert.Equal([registered.Number], onlyRegistered);
        Assert.Equal(new[] { waiting.Number, registered.Number }.Order(), both.Order());
        Assert.Empty(none);
    }

    [Fact]
    public async Task Free_text_matches_number_address_and_description_and_takes_percent_and_underscore_literally()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var byDescription = await app.ReportAsync(grid, $"井盖破损A{marker}B");
        var byAddress = await app.ReportAsync(grid, "路灯不亮", address: $"幸福路{marker}号");
        using var client = await SignedInAsync("dispatcher1");

        var both = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}"));
        var byNumber = Numbers(await PageAsync(client, $"/cases?q={byDescription.Number}"));
        var upperCase = Numbers(await PageAsync(client, $"/cases?q={Query("a" + marker + "b")}"));
        var underscore = Numbers(await PageAsync(client, $"/cases?q={Query("A" + marker + "_")}"));
        var percent = Numbers(await PageAsync(client, $"/cases?q={Query("A%" + marker[1..])}"));

        Assert.Equal(new[] { byDescription.Number, byAddress.Number }.Order(), both.Order());
        Assert.Equal([byDescription.Number], byNumber);
        Assert.Equal([byDescription.Number], upperCase); // case-insensitive
        Assert.Empty(underscore); // "_" is not a wildcard
        Assert.Empty(percent);    // nor is "%"
    }

    [Fact]
    public async Task The_warning_filter_reads_the_stored_deadline_and_warning_point()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var overdue = await app.ReportAsync(grid, $"红灯{marker}");
        var dueSoon = await app.ReportAsync(grid, $"黄灯{marker}");
        var onTime = await app.ReportAsync(grid, $"正常{marker}");
        await app.SetClockAsync(overdue.Id, TimeSpan.FromHours(-1), TimeSpan.FromHours(-3));
        await app.SetClockAsync(dueSoon.Id, TimeSpan.FromHours(1), TimeSpan.FromHours(-1));
        await app.SetClockAsync(onTime.Id, TimeSpan.FromDays(2), TimeSpan.FromDays(1));
        using var client = await SignedInAsync("dispatcher1");

        var redHtml = await PageAsync(client, $"/cases?q={Query(marker)}&warning=red");
        var yellow = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&warning=yellow"));
        var none = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&warning=none"));

        Assert.Equal([overdue.Number], Numbers(redHtml));
        Assert.Contains("data-warning=\"Red\"", redHtml); // DeadlineChip
        Assert.Equal([dueSoon.Number], yellow);
        Assert.Equal([onTime.Number], none);
    }

    [Fact]
    public async Task Sorting_by_number_and_by_deadline_orders_the_rows()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var cases = new List<Case>();
        for (var i = 0; i < 3; i++)
        {
            cases.Add(await app.ReportAsync(grid, $"排序{i}{marker}"));
        }
        await app.SetClockAsync(cases[0].Id, TimeSpan.FromHours(30), TimeSpan.FromHours(20));
        await app.SetClockAsync(cases[1].Id, TimeSpan.FromHours(10), TimeSpan.FromHours(5));
        await app.DoAsync(s => s.RejectAsync(cases[2].Id, dispatcher, "不属于受理范围")); // no clock: last either way
        var numbers = cases.Select(c => c.Number).Order(StringComparer.Ordinal).ToList();
        using var client = await SignedInAsync("dispatcher1");

        var ascending = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&sort=number-asc"));
        var descending = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&sort=number-desc"));
        var soonest = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&sort=due-asc"));
        var latest = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&sort=due-desc"));

        Assert.Equal(numbers, ascending);
        Assert.Equal(numbers.AsEnumerable().Reverse(), descending);
        Assert.Equal([cases[1].Number, cases[0].Number, cases[2].Number], soonest);
        Assert.Equal([cases[0].Number, cases[1].Number, cases[2].Number], latest);
    }

    [Fact]
    public async Task The_next_page_starts_right_after_the_last_row_without_overlap_in_both_orders()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var made = new List<Case>();
        for (var i = 0; i < 56; i++)
        {
            made.Add(await app.ReportAsync(grid, $"分页{i}{marker}"));
        }
        foreach (var rejected in made.Take(8))
        {
            await app.DoAsync(s => s.RejectAsync(rejected.Id, dispatcher, "重复上报")); // their clock stops: the deadline order's second segment
        }
        using var client = await SignedInAsync("dispatcher1");

        foreach (var sort in new[] { "reported-desc", "due-asc", "due-desc", "number-asc" })
        {
            var firstHtml = await PageAsync(client, $"/cases?q={Query(marker)}&sort={sort}");
            var first = Numbers(firstHtml);
            var next = NextPageUrl(firstHtml);
            Assert.NotNull(next);
            var secondHtml = await PageAsync(client, next);
            var second = Numbers(secondHtml);

            Assert.Equal(50, first.Count);
            Assert.Equal(6, second.Count);
            Assert.Empty(first.Intersect(second));
            Assert.Equal(made.Select(c => c.Number).Order(), first.Concat(second).Order());
            Assert.Null(NextPageUrl(secondHtml));
            Assert.Contains("data-testid=\"first-page\"", secondHtml);
            Assert.Contains("第 2 页", secondHtml);
        }

        var byReported = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}"))
            .Concat(Numbers(await PageAsync(client, NextPageUrl(await PageAsync(client, $"/cases?q={Query(marker)}"))!)));
        Assert.Equal(made.Select(c => c.Number).Reverse(), byReported); // newest first, in report order
    }

    [Fact]
    public async Task A_community_secretary_sees_only_her_communitys_cases()
    {
        var marker = NewMarker();
        var secretary = await app.ActorAsync("secretary1");
        var own = await app.ReportAsync(await app.GridAsync(communityId: secretary.CommunityId), $"本社区{marker}");
        var other = await app.ReportAsync(await app.GridAsync(otherThan: secretary.CommunityId), $"外社区{marker}");
        using var client = await SignedInAsync("secretary1");
        using var dispatcherClient = await SignedInAsync("dispatcher1");

        var seen = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}"));
        var askingForTheOther = Numbers(await PageAsync(client, $"/cases?q={Query(marker)}&community={other.CommunityId}"));
        var dispatcherSees = Numbers(await PageAsync(dispatcherClient, $"/cases?q={Query(marker)}"));

        Assert.Equal([own.Number], seen);
        Assert.Empty(askingForTheOther);
        Assert.Equal(2, dispatcherSees.Count);
    }

    [Fact]
    public async Task A_grid_worker_sees_only_the_cases_of_his_grids()
    {
        var marker = NewMarker();
        var worker = await app.ActorAsync("worker1");
        var ownGrid = worker.GridCodes.Order(StringComparer.Ordinal).First();
        var otherGrid = await app.GridOutsideAsync(worker.GridCodes);
        var own = await app.ReportAsync(ownGrid, $"本网格{marker}");
        await app.ReportAsync(otherGrid, $"外网格{marker}");
        using var client = await SignedInAsync("worker1");

        Assert.Equal([own.Number], Numbers(await PageAsync(client, $"/cases?q={Query(marker)}")));
    }

    [Fact]
    public async Task A_department_handler_sees_only_cases_her_department_handles_or_co_handles()
    {
        var marker = NewMarker();
        var grid = await app.GridAsync();
        var dispatcher = await app.ActorAsync("dispatcher1");
        var handler = await app.ActorAsync("handler1");
        var ownDepartment = handler.DepartmentId!.Value;
        var otherDepartment = await app.DepartmentOtherThanAsync(ownDepartment);
        var assigned = await app.ReportAsync(grid, $"主办{marker}");
        var coHandled = await app.ReportAsync(grid, $"协办{marker}");
        var elsewhere = await app.ReportAsync(grid, $"他部门{marker}");
        var notDispatched = await app.ReportAsync(grid, $"未派遣{marker}");
        foreach (var @case in new[] { assigned, coHandled, elsewhere })
        {
            await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        }
        await app.DoAsync(s => s.DispatchAsync(assigned.Id, dispatcher, ownDepartment));
        await app.DoAsync(s => s.DispatchAsync(coHandled.Id, dispatcher, otherDepartment, [ownDepartment]));
        await app.DoAsync(s => s.DispatchAsync(elsewhere.Id, dispatcher, otherDepartment));
        using var client = await SignedInAsync("handler1");

        var html = await PageAsync(client, $"/cases?q={Query(marker)}");

        Assert.Equal(new[] { assigned.Number, coHandled.Number }.Order(), Numbers(html).Order());
        Assert.DoesNotContain(notDispatched.Number, html);
        Assert.Contains("本部门承办或协办的案件", html);
    }

    [Theory]
    [InlineData("state=Bogus", "未知的案件状态“Bogus”")]
    [InlineData("from=2026-13-45", "开始日期“2026-13-45”格式无效")]
    [InlineData("from=2026-11-30&to=2026-11-01", "开始日期不能晚于结束日期")]
    [InlineData("closedOn=yesterday", "结案日期“yesterday”格式无效")]
    [InlineData("after=garbage&page=2", "分页参数无效")]
    [InlineData("sort=reported-desc&after=n.20261123000001", "分页参数无效")]
    [InlineData("community=abc", "社区参数“abc”无效")]
    [InlineData("warning=purple", "未知的时限预警“purple”")]
    [InlineData("grid=12", "网格编码“12”无效")]
    public async Task A_bad_query_parameter_gets_a_chinese_message_not_a_server_error(string query, string message)
    {
        using var client = await SignedInAsync("dispatcher1");

        var response = await client.GetAsync("/cases?" + query);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"filter-errors\"", html);
        Assert.Contains(message, html);
        Assert.Contains("data-testid=\"case-filters\"", html); // the form stays, to fix the filter
        Assert.DoesNotContain("data-testid=\"case-row\"", html);
    }

    [Fact]
    public async Task Visitors_who_are_not_signed_in_are_sent_to_sign_in()
    {
        using var client = app.CreateClient();

        var page = await client.GetAsync("/cases");
        var export = await client.GetAsync("/cases/export.csv");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.Equal("/account/login", export.Headers.Location?.AbsolutePath);
    }
}
