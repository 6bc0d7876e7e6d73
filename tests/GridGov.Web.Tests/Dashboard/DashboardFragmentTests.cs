using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GridGov.Application.Dashboard;
using GridGov.Web.Components.Pages.Dashboard;
using GridGov.Web.Resources;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;

namespace GridGov.Web.Tests.Dashboard;

/// <summary>The dashboard's counters (and the grid popup's data) on their own, for states the demo street may never be in (no case at all).</summary>
public sealed class DashboardFragmentTests
{
    private static async Task<string> RenderAsync<TComponent>(string parameter, object? value) where TComponent : IComponent
    {
        // As the app: Chinese written as text, not as &#x…; entities.
        await using var services = new ServiceCollection().AddLogging().AddLocalization().AddMudServices()
            .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All)).BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Dictionary<string, object?> { [parameter] = value }));
            return output.ToHtmlString();
        });
    }

    [Fact]
    public async Task With_no_open_case_the_counters_show_zeros_and_say_so_in_chinese()
    {
        var html = await RenderAsync<CounterCards>(nameof(CounterCards.Counters), new DashboardCounters(0, 0, 0, 0, 0, 0, 0, DateTimeOffset.UtcNow));

        Assert.Equal(DashboardTestData.CounterIds, DashboardTestData.Counters(html).Keys);
        Assert.All(DashboardTestData.Counters(html).Values, value => Assert.Equal(0, value));
        Assert.Contains("data-testid=\"dashboard-empty\"", html);
        Assert.Contains("当前没有未办结的案件", html);
    }

    [Fact]
    public async Task Each_counter_links_to_the_case_list_filtered_as_it_counts()
    {
        var html = await RenderAsync<CounterCards>(nameof(CounterCards.Counters), new DashboardCounters(1, 2, 3, 4, 5, 6, 15, DateTimeOffset.UtcNow));

        Assert.Contains("href=\"/cases?state=Reported\"", html);
        Assert.Contains("href=\"/cases?state=Registered,Returned\"", html);
        Assert.Contains("href=\"/cases?state=Dispatched,InProgress\"", html);
        Assert.Contains("href=\"/cases?warning=red\"", html);
        Assert.Contains("supervised=true\"", html);
        Assert.Contains("href=\"/cases?state=Archived&amp;closedOn=", html);
        Assert.DoesNotContain("dashboard-empty", html);
    }

    [Fact]
    public void A_grid_without_open_cases_and_a_missing_grid_are_told_apart_in_the_popup_data()
    {
        var empty = JsonSerializer.Serialize(DashboardGeoJson.GridCases(new GridOpenCases("320508021001001", "第1网格", [], 0), Localizers.For<DomainNamesResource>()));
        var missing = JsonSerializer.Serialize(DashboardGeoJson.GridCases(null, Localizers.For<DomainNamesResource>()));

        Assert.Contains("\"notFound\":false", empty);
        Assert.Contains("\"total\":0", empty);
        Assert.Contains("\"notFound\":true", missing);
    }
}
