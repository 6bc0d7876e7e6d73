using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GridGov.Web.Tests.Faults;

/// <summary>
/// Two GridGov nodes (each a real Kestrel host) on one copy of the demo street, sharing one data-protection keys
/// folder, as behind a load balancer; and a third node with a keys folder of its own, which must not trust them.
/// </summary>
public sealed partial class TwoNodes : DemoStreetDatabaseFixture
{
    private readonly List<WebApplication> _apps = [];
    private readonly Dictionary<Uri, IServiceProvider> _nodes = [];
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "gridgov-keys-" + Guid.NewGuid().ToString("N"));
    private readonly string _otherKeys = Path.Combine(Path.GetTempPath(), "gridgov-keys-" + Guid.NewGuid().ToString("N"));

    public Uri A { get; private set; } = null!;
    public Uri B { get; private set; } = null!;
    public Uri Stranger { get; private set; } = null!;

    public string KeysPath => _keys;

    /// <summary>The container of one of the two nodes that share the keys (0 and 1: two different processes' worth of singletons).</summary>
    public IServiceProvider ServicesOf(int node) => _apps[node].Services;

    /// <summary>Node A's own container, to read and prepare the database as the app sees it.</summary>
    public new IServiceProvider Services => _apps[0].Services;

    /// <summary>The containers of the two nodes of the deployment (A and B), to send a command to each as its pages do.</summary>
    public IReadOnlyList<IServiceProvider> NodeServices => [_apps[0].Services, _apps[1].Services];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A and B start at the same moment, as two nodes of a deployment do.
        var started = await Task.WhenAll(StartAsync(_keys), StartAsync(_keys));
        (A, B) = (started[0], started[1]);
        Stranger = await StartAsync(_otherKeys);
    }

    private async Task<Uri> StartAsync(string keysPath)
    {
        var app = GridGovHost.CreateWebApp(
            [
                "--urls=http://127.0.0.1:0",
                "--environment=Production",
                // Production refuses the demo signing key of appsettings.json (ApiSigningKeyCheck).
                "--Api:SigningKey=" + WebAppFixture.TestApiSigningKey,
                $"--ConnectionStrings:GridGov={ConnectionString}",
                $"--DataProtection:KeysPath={keysPath}",
                "--Logging:File:Path=",
            ],
            contentRoot: RepositoryPaths.WebProject);
        lock (_apps)
        {
            _apps.Add(app);
        }
        await GridGovHost.PrepareDatabaseAsync(app);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        lock (_apps)
        {
            _nodes[address] = app.Services;
        }
        return address;
    }

    /// <summary>The container of one node, as its circuits use it (an interactive page's commands run there).</summary>
    public IServiceProvider ServicesOf(Uri node) => _nodes[node];

    /// <summary>A browser: one cookie jar (cookies ignore the port, so it is the same for every node), no redirects followed.</summary>
    public static HttpMessageHandler Browser() =>
        new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };

    public static HttpClient Client(HttpMessageHandler browser, Uri node) => new(browser, disposeHandler: false) { BaseAddress = node };

    public static async Task<string> TokenAsync(HttpClient client, string pageUrl)
    {
        var token = AntiforgeryToken().Match(await client.GetStringAsync(pageUrl));
        return token.Success ? WebUtility.HtmlDecode(token.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {pageUrl}");
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string formName, string token, IDictionary<string, string> fields) =>
        client.PostAsync(pageUrl, new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = formName,
        }));

    public override async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        foreach (var dir in new[] { _keys, _otherKeys }.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
        await base.DisposeAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

public sealed class TwoInstancesTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private const string Password = DemoStreetDatabaseFixture.DemoPassword;

    [Fact]
    public async Task A_sign_in_on_one_node_holds_on_the_other_and_a_form_token_from_one_is_accepted_by_the_other()
    {
        using var browser = TwoNodes.Browser();
        using var a = TwoNodes.Client(browser, nodes.A);
        using var b = TwoNodes.Client(browser, nodes.B);
        using var stranger = TwoNodes.Client(browser, nodes.Stranger);

        // The sign-in form comes from A and is posted to B.
        var token = await TwoNodes.TokenAsync(a, "/account/login");
        var signIn = await TwoNodes.PostAsync(b, "/account/login", "login", token, new Dictionary<string, string>
        {
            ["Input.UserName"] = "dispatcher1",
            ["Input.Password"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/account/login", signIn.Headers.Location!.OriginalString);

        // The cookie B wrote is good on A (and on B).
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/cases")).StatusCode);
        // A node with other keys does not trust it: the keys folder is what makes the nodes one app.
        var refused = await stranger.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/login", refused.Headers.Location!.OriginalString);
        // Two nodes that started at the same moment made one key between them.
        Assert.Single(Directory.GetFiles(nodes.KeysPath, "key-*.xml"));
    }

    [Fact]
    public async Task Both_nodes_registering_the_same_twenty_cases_at_once_register_each_exactly_once_and_the_loser_gets_a_message()
    {
        var cases = new List<Case>();
        await using (var scope = nodes.Services.CreateAsyncScope())
        {
            var workflow = scope.ServiceProvider.GetRequiredService<CaseWorkflowService>();
            var (longitude, latitude, categoryId) = await ReportPointAsync(scope.ServiceProvider);
            for (var i = 0; i < 20; i++)
            {
                cases.Add(await workflow.ReportAsync(new ReportCase(categoryId, $"双节点竞争测试{i}：人行道破损", longitude, latitude, "云帆路1号",
                    CaseSource.Resident, CasePriority.Normal, "李秀英", "13900001111", []), CaseActor.Public("李秀英")));
            }
        }
        // The interactive case page sends 立案 to the workflow service of the node its circuit lives on (PageData.RunAsync):
        // the same call, at the same moment, on both nodes.
        async Task<string?> RegisterOnAsync(IServiceProvider node, int caseId)
        {
            await using var scope = node.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var staffId = await db.Users.Where(u => u.UserName == "dispatcher1").Select(u => u.StaffMemberId!.Value).SingleAsync();
            var actor = await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
            try
            {
                await scope.ServiceProvider.GetRequiredService<CaseWorkflowService>().RegisterAsync(caseId, actor, null, CasePriority.Normal);
                return null;
            }
            catch (GridGov.Domain.Common.DomainException exception)
            {
                return exception.Message; // what the page shows the loser
            }
        }

        var outcomes = await Task.WhenAll(cases.Select(async @case =>
            (Case: @case, Messages: await Task.WhenAll(nodes.NodeServices.Select(node => RegisterOnAsync(node, @case.Id))))));

        foreach (var (@case, messages) in outcomes)
        {
            var won = messages.Count(m => m is null);
            Assert.True(won == 1, $"case {@case.Number}: {won} registrations succeeded");
            var loser = messages.Single(m => m is not null)!;
            Assert.True(loser.Contains(CaseWorkflowService.ConcurrencyMessage, StringComparison.Ordinal) || loser.Contains("不能执行“立案”", StringComparison.Ordinal),
                $"case {@case.Number}: the loser saw neither the concurrency nor the state message but “{loser}”");
        }
        output.WriteLine($"losers: {outcomes.Count(o => o.Messages.Any(m => m?.Contains(CaseWorkflowService.ConcurrencyMessage, StringComparison.Ordinal) == true))} concurrency messages, " +
            $"{outcomes.Count(o => o.Messages.Any(m => m?.Contains("不能执行“立案”", StringComparison.Ordinal) == true))} state messages");
        var ids = cases.Select(c => c.Id).ToList();
        await using var check = nodes.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<GridGovDbContext>();
        Assert.All(await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.State).ToListAsync(), state => Assert.Equal(CaseState.Registered, state));
        var registrations = await db.CaseHistory.AsNoTracking().Where(h => ids.Contains(h.CaseId) && h.ToState == CaseState.Registered)
            .GroupBy(h => h.CaseId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(20, registrations.Count);
        Assert.All(registrations, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Both_nodes_taking_reports_at_once_give_unique_numbers_and_a_report_sent_to_both_is_one_case()
    {
        int categoryId;
        double longitude, latitude;
        await using (var scope = nodes.Services.CreateAsyncScope())
        {
            (longitude, latitude, categoryId) = await ReportPointAsync(scope.ServiceProvider);
        }
        var twice = Guid.NewGuid();
        // The report page is interactive: each node's circuits send reports through that node's own use case.
        async Task<string> ReportOnAsync(Uri node, string description, Guid submission)
        {
            await using var scope = nodes.ServicesOf(node).CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var staffId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId!.Value).SingleAsync();
            var actor = await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
            var outcome = await scope.ServiceProvider.GetRequiredService<CaseReporting>().ReportAsync(new ReportRequest(categoryId, description, longitude, latitude,
                "云帆路88号东侧人行道", CaseSource.GridWorkerPatrol, CasePriority.Normal, "张建国", "13812345678", [], submission), actor);
            return outcome.Number;
        }

        var reports = Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            ReportOnAsync(nodes.A, $"节点A上报{i}：路灯不亮", Guid.NewGuid()),
            ReportOnAsync(nodes.B, $"节点B上报{i}：路灯不亮", Guid.NewGuid()),
        }).Concat(
        [
            // The same report (one submission id) reaching both nodes at once, as after a reconnect to the other node.
            ReportOnAsync(nodes.A, "重复提交：井盖缺失", twice),
            ReportOnAsync(nodes.B, "重复提交：井盖缺失", twice),
        ]).ToList();
        var numbers = await Task.WhenAll(reports);

        Assert.Equal(21, numbers.Distinct().Count()); // 20 reports and the one sent twice
        Assert.Equal(numbers[^1], numbers[^2]);
        await using var check = nodes.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<GridGovDbContext>();
        Assert.Equal(1, await db.Cases.CountAsync(c => c.SubmissionId == twice));
        Assert.Equal(await db.Cases.CountAsync(), await db.Cases.Select(c => c.Number).Distinct().CountAsync());
    }

    [Fact]
    public async Task A_holiday_entered_on_one_node_moves_the_next_deadline_set_on_the_other()
    {
        // A Wednesday in a year ahead (all its months open), and the Tuesday 10:00 (China time) before it.
        var holiday = new DateOnly(GridGov.Domain.Calendar.WorkingCalendar.ChinaDate(DateTimeOffset.UtcNow).Year + 8, 3, 1);
        while (holiday.DayOfWeek != DayOfWeek.Wednesday)
        {
            holiday = holiday.AddDays(1);
        }
        var start = TestClock.China(holiday.Year, holiday.Month, holiday.Day, 10).AddDays(-1);
        async Task<DateTimeOffset> DueOnBAsync()
        {
            await using var scope = nodes.ServicesOf(1).CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<CaseDeadlines>().ForAsync(GridGov.Domain.Categories.TimeLimit.Days(1), start)).Due;
        }
        Assert.Equal(start.AddDays(1), await DueOnBAsync());

        await using (var scope = nodes.ServicesOf(0).CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GridGovDbContext>();
            var staffId = await db.Users.Where(u => u.UserName == "admin1").Select(u => u.StaffMemberId!.Value).SingleAsync();
            var admin = await scope.ServiceProvider.GetRequiredService<CaseActors>().ForStaffAsync(staffId);
            await scope.ServiceProvider.GetRequiredService<GridGov.Application.Calendar.WorkingCalendarService>()
                .AddAsync(new GridGov.Application.Calendar.CalendarDayInput(holiday, false, "双节点测试假日"), admin);
        }

        // Nothing keeps the calendar between operations, so B's next deadline runs past the holiday A entered: Thursday 10:00.
        Assert.Equal(start.AddDays(2), await DueOnBAsync());
    }

    private static async Task<(double Longitude, double Latitude, int CategoryId)> ReportPointAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<GridGovDbContext>();
        var staffId = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId).SingleAsync();
        var gridCode = await db.GridAssignments.Where(a => a.StaffMemberId == staffId).OrderBy(a => a.GridCode).Select(a => a.GridCode).FirstAsync();
        var xy = await db.Database.SqlQuery<double>($"""
            SELECT unnest(ARRAY[ST_X(p), ST_Y(p)]) AS "Value" FROM (SELECT ST_PointOnSurface(boundary) AS p FROM grids WHERE code = {gridCode} AND valid_to IS NULL) g
            """).ToListAsync();
        var categoryId = await db.Categories.Where(c => c.Code == "0501").Select(c => c.Id).SingleAsync();
        return (xy[0], xy[1], categoryId);
    }
}
