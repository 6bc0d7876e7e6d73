using System.Text;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static GridGov.Web.Tests.Security.Who;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// Every endpoint of the running app × every role (and nobody), each pair as a real HTTP request,
/// against ONE table of who may do what. A mapped endpoint missing from the table fails, and so does
/// a row that matches no endpoint. To add a page or endpoint, add its row to <see cref="Table"/>.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class AuthorizationMatrixTests(SecurityFixture app, ITestOutputHelper output)
{
    private static readonly Who[] Everyone = Enum.GetValues<Who>();
    private static readonly Who[] Staff = [Dispatcher, CommunitySecretary, GridLeader, GridWorker, DepartmentHandler, StreetLeader, Administrator];
    /// <summary>Policies.Dispatch: the command center.</summary>
    private static readonly Who[] Dispatch = [Dispatcher, StreetLeader, Administrator];
    /// <summary>Policies.Report: those who report problems.</summary>
    private static readonly Who[] Report = [Dispatcher, GridWorker, GridLeader, CommunitySecretary];
    /// <summary>People, households and units: everyone on staff but department handlers.</summary>
    private static readonly Who[] PeopleLedgers = [Dispatcher, CommunitySecretary, GridLeader, GridWorker, StreetLeader, Administrator];
    private static readonly Who[] Visitors = [GridWorker, GridLeader];
    private static readonly Who[] VisitorsAndSecretaries = [GridWorker, GridLeader, CommunitySecretary];
    private static readonly Who[] PatrolRead = [GridWorker, GridLeader, CommunitySecretary, Dispatcher, StreetLeader, Administrator];
    private static readonly Who[] PatrolRecord = [GridWorker, GridLeader];
    private static readonly Who[] Reviewers = [GridLeader, CommunitySecretary, Dispatcher, StreetLeader, Administrator];
    private static readonly Who[] Nobody = [];
    /// <summary>The ledger import: administrators for the street, community secretaries for their community.</summary>
    private static readonly Who[] Importers = [CommunitySecretary, Administrator];
    /// <summary>The bulletins: the street reads drafts too, departments issued ones (the row's bulletin is issued).</summary>
    private static readonly Who[] BulletinReaders = [Dispatcher, DepartmentHandler, StreetLeader, Administrator];
    /// <summary>Notices to residents: the center (dispatchers, administrators) and community secretaries (their community).</summary>
    private static readonly Who[] NoticeComposers = [Dispatcher, CommunitySecretary, Administrator];

    /// <summary>
    /// One row of the matrix: a route pattern as mapped, one HTTP method, a real path for it, and who gets through.
    /// <see cref="OwnCredential"/>: a public route (no sign-in) that checks a credential of its own the matrix does not send
    /// (the hotline's signature), so nobody gets through here; its credential is tested with its endpoint.
    /// </summary>
    /// <see cref="Bearer"/>: a staff API route (/api/v1), sent with the role's access token instead of its cookie (the API takes no cookie);
    /// a POST sends an empty JSON object.
    public sealed record Rule(string Method, string Pattern, Func<DemoIds, string> Path, Who[] Allowed, string? Note = null, bool OwnCredential = false,
        bool Bearer = false);

    private static Rule ApiGet(string pattern, Who[] allowed, Func<DemoIds, string>? path = null, string? note = null) =>
        new("GET", pattern, path ?? (_ => pattern), allowed, note, Bearer: true);

    private static Rule ApiPost(string pattern, Who[] allowed, Func<DemoIds, string>? path = null, string? note = null) =>
        new("POST", pattern, path ?? (_ => pattern), allowed, note, Bearer: true);

    private static Rule Get(string pattern, Who[] allowed, Func<DemoIds, string>? path = null, string? note = null) =>
        new("GET", pattern, path ?? (_ => pattern), allowed, note);

    private static Rule Post(string pattern, Who[] allowed, Func<DemoIds, string>? path = null, string? note = null) =>
        new("POST", pattern, path ?? (_ => pattern), allowed, note);

    /// <summary>
    /// Who may do what. GET rows use an id in leader1's grid, so the row also says who sees that row of data
    /// (404 for the others counts as denied). POST rows send a valid antiforgery token and an empty form: they
    /// check the authorization layer; what a post may change is checked by the scope tests.
    /// </summary>
    public static readonly IReadOnlyList<Rule> Table =
    [
        // Public: Infrastructure/PublicEndpoints.cs
        Get("/account/login", Everyone),
        Post("/account/login", Everyone, note: "an empty sign-in form: no sign-in attempt"),
        Post("/culture", Everyone),
        new("*", "/health", _ => "/health", Everyone, "mapped for every method; checked with GET"),
        Get("/error/{StatusCode:int}", Everyone, _ => "/error/404"),
        Post("/error/{StatusCode:int}", Everyone, _ => "/error/404"),
        Get("/error/404", Everyone),
        Post("/error/404", Everyone),

        // Open311 GeoReport v2: public as well (what comes back is checked in Open311/*Tests).
        Get("/open311/v2/services.{format}", Everyone, _ => "/open311/v2/services.xml"),
        Get("/open311/v2/services/{code}.{format}", Everyone, _ => "/open311/v2/services/0501.json"),
        Get("/open311/v2/requests.{format}", Everyone, _ => "/open311/v2/requests.json"),
        Post("/open311/v2/requests.{format}", Nobody, _ => "/open311/v2/requests.json",
            "an empty post carries no api_key: 403 in the GeoReport error list for everyone, signed in or not (keys: Open311PostTests)"),
        Get("/open311/v2/requests/{id}.{format}", Everyone, ids => $"/open311/v2/requests/{ids.CaseNumber}.xml"),
        Get("/open311/v2/tokens/{token}.{format}", Everyone, _ => $"/open311/v2/tokens/{SecurityFixture.Open311Token}.json"),

        // The 12345 hotline's webhook: public, but only a post signed with the shared secret gets through (Hotline/HotlineWebhookTests).
        new("POST", "/hotline/v1/orders", _ => "/hotline/v1/orders", Nobody, "an unsigned post: 401 for everyone, signed in or not", OwnCredential: true),

        // Residents (no staff account): the phone pages are open to everyone; without the confirmed phone (the resident
        // session) they send to /r for the code (ResidentPagesTests). A result photo needs that session, so nobody here gets one.
        Get("/r", Everyone),
        Post("/r", Everyone),
        Get("/r/report", Everyone),
        Post("/r/report", Everyone),
        Get("/r/cases", Everyone),
        Post("/r/cases", Everyone),
        Get("/r/points", Everyone),
        Post("/r/points", Everyone),
        Get("/r/map/grids", Everyone),
        Post("/r/signout", Everyone),
        new("GET", "/r/photos/{caseNumber}/{sha256}", ids => $"/r/photos/{ids.CaseNumber}/{ids.EvidenceSha256}", Nobody,
            "without the reporter's confirmed phone: 404 for everyone, signed in or not (ResidentPagesTests)", OwnCredential: true),

        // Blazor's own endpoint for redirects after enhanced navigation (static pages load no blazor.web.js); under the fallback policy.
        Get("/_framework/opaque-redirect", Staff),

        // The Blazor Server hub of the interactive pages: only signed-in staff open a circuit (anonymous gets 401 or the
        // sign-in redirect), and only from the app's own origin (HubOriginTests).
        // The hub's endpoints are mapped for every method and checked with GET (staff get the hub's own 4xx answers).
        new("*", "/_blazor/negotiate", _ => "/_blazor/negotiate?negotiateVersion=1", Staff),
        new("*", "/_blazor", _ => "/_blazor", Staff),
        new("*", "/_blazor/disconnect/", _ => "/_blazor/disconnect/", Staff),
        new("*", "/_blazor/initializers/", _ => "/_blazor/initializers/", Staff),

        // Account
        Post("/account/logout", Staff, note: "sent without a token, so nobody is signed out: authorization runs before antiforgery"),

        // Map and grids
        Get("/", Staff),
        Post("/", Staff),
        Get("/api/map/grids", Staff),
        Get("/grids", Staff),
        Post("/grids", Staff),
        Get("/grids/{Code}/notice", Staff, ids => $"/grids/{ids.GridCode}/notice"),
        Post("/grids/{Code}/notice", Staff, ids => $"/grids/{ids.GridCode}/notice"),
        Get("/api/grids/directory.geojson", Staff),

        // Dashboard
        Get("/dashboard", Dispatch),
        Post("/dashboard", Dispatch),
        Get("/api/dashboard/cases", Dispatch),
        Get("/api/dashboard/charts", Dispatch),

        // Cases
        Get("/cases", Staff),
        Post("/cases", Staff),
        Get("/cases/{Number:long}", Staff, ids => $"/cases/{ids.CaseNumber}"),
        Post("/cases/{Number:long}", Staff, ids => $"/cases/{ids.CaseNumber}"),
        Get("/cases/export.csv", Staff),
        Get("/cases/export.xlsx", Staff),
        Get("/cases/report", Report),
        Post("/cases/report", Report),
        Get("/cases/report/done/{Number}", [GridWorker], ids => $"/cases/report/done/{ids.ReportedByWorkerCase}", "only the reporter"),
        Post("/cases/report/done/{Number}", Report, ids => $"/cases/report/done/{ids.ReportedByWorkerCase}"),
        Get("/evidence/{sha256}", Staff, ids => $"/evidence/{ids.EvidenceSha256}"),
        Get("/inbox", Staff),
        Post("/inbox", Staff),

        // Ledgers
        Get("/ledgers/grids", Staff),
        Post("/ledgers/grids", Staff),
        Get("/ledgers/grids/{Code}", PeopleLedgers, ids => $"/ledgers/grids/{ids.GridCode}"),
        Post("/ledgers/grids/{Code}", Staff, ids => $"/ledgers/grids/{ids.GridCode}"),
        Get("/ledgers/residents", Staff),
        Post("/ledgers/residents", Staff),
        Get("/ledgers/residents/new", Staff),
        Post("/ledgers/residents/new", Staff),
        Get("/ledgers/residents/{Id:int}", PeopleLedgers, ids => $"/ledgers/residents/{ids.ResidentId}"),
        Post("/ledgers/residents/{Id:int}", Staff, ids => $"/ledgers/residents/{ids.ResidentId}"),
        Get("/ledgers/households", Staff),
        Post("/ledgers/households", Staff),
        Get("/ledgers/households/new", Staff),
        Post("/ledgers/households/new", Staff),
        Get("/ledgers/households/{Id:int}", PeopleLedgers, ids => $"/ledgers/households/{ids.HouseholdId}"),
        Post("/ledgers/households/{Id:int}", Staff, ids => $"/ledgers/households/{ids.HouseholdId}"),
        Get("/ledgers/units", Staff),
        Post("/ledgers/units", Staff),
        Get("/ledgers/units/new", Staff),
        Post("/ledgers/units/new", Staff),
        Get("/ledgers/units/{Id:int}", PeopleLedgers, ids => $"/ledgers/units/{ids.UnitId}"),
        Post("/ledgers/units/{Id:int}", Staff, ids => $"/ledgers/units/{ids.UnitId}"),
        Get("/ledgers/units/{Id:int}/edit", [Dispatcher, CommunitySecretary, GridLeader, GridWorker, Administrator], ids => $"/ledgers/units/{ids.UnitId}/edit"),
        Post("/ledgers/units/{Id:int}/edit", Staff, ids => $"/ledgers/units/{ids.UnitId}/edit"),
        Get("/ledgers/components", Staff),
        Post("/ledgers/components", Staff),
        Get("/ledgers/components/new", Staff),
        Post("/ledgers/components/new", Staff),
        Get("/ledgers/components/{Id:int}", PeopleLedgers, ids => $"/ledgers/components/{ids.ComponentId}"),
        Post("/ledgers/components/{Id:int}", Staff, ids => $"/ledgers/components/{ids.ComponentId}"),
        Get("/ledgers/residents/export.csv", Staff),
        Get("/ledgers/residents/export.xlsx", Staff),
        Get("/ledgers/households/export.csv", Staff),
        Get("/ledgers/households/export.xlsx", Staff),
        Get("/ledgers/units/export.csv", Staff),
        Get("/ledgers/units/export.xlsx", Staff),
        Get("/ledgers/components/export.csv", Staff),
        Get("/ledgers/components/export.xlsx", Staff),
        Get("/ledgers/import", Importers),
        Post("/ledgers/import", Importers),
        Get("/ledgers/import/template/{kind}.xlsx", Importers, _ => "/ledgers/import/template/residents.xlsx"),
        Get("/ledgers/import/{token:guid}/refused.xlsx", Nobody, _ => $"/ledgers/import/{Guid.Empty:N}/refused.xlsx",
            "a token nobody uploaded: 404 for importers (the uploader's own download: LedgerImportPageTests), 403 for the others"),

        // Visits
        Get("/visits", VisitorsAndSecretaries),
        Post("/visits", VisitorsAndSecretaries),
        Get("/visits/new", Visitors),
        Post("/visits/new", Visitors),
        Get("/visits/demands/new", VisitorsAndSecretaries),
        Post("/visits/demands/new", VisitorsAndSecretaries),
        Get("/visits/{VisitId:long}/edit", Visitors, ids => $"/visits/{ids.VisitId}/edit"),
        Post("/visits/{VisitId:long}/edit", Visitors, ids => $"/visits/{ids.VisitId}/edit"),

        // Patrols
        Get("/patrols", PatrolRead),
        Post("/patrols", PatrolRead),
        Get("/patrols/new", PatrolRecord),
        Post("/patrols/new", PatrolRecord),
        Get("/patrols/{Id:long}", PatrolRead, ids => $"/patrols/{ids.PatrolId}"),
        Post("/patrols/{Id:long}", PatrolRead, ids => $"/patrols/{ids.PatrolId}"),
        Get("/patrols/{id:long}/map", PatrolRead, ids => $"/patrols/{ids.PatrolId}/map"),

        // Monthly reviews
        Get("/reviews", Reviewers),
        Get("/evaluation", Staff),
        Post("/evaluation", Staff),
        Post("/reviews", Reviewers),
        Get("/reviews/{GridCode}/{Month}", Reviewers, ids => $"/reviews/{ids.GridCode}/{ids.Month}"),
        Post("/reviews/{GridCode}/{Month}", Reviewers, ids => $"/reviews/{ids.GridCode}/{ids.Month}"),
        Get("/reviews/{gridCode}/{month}/export.xlsx", Reviewers, ids => $"/reviews/{ids.GridCode}/{ids.Month}/export.xlsx"),
        Get("/reviews/export.xlsx", Reviewers),

        // Monthly bulletins
        Get("/bulletins", BulletinReaders),
        Post("/bulletins", BulletinReaders),
        Get("/bulletins/{Id:long}", BulletinReaders, ids => $"/bulletins/{ids.BulletinId}"),
        Post("/bulletins/{Id:long}", BulletinReaders, ids => $"/bulletins/{ids.BulletinId}"),
        Get("/bulletins/{Id:long}/print", BulletinReaders, ids => $"/bulletins/{ids.BulletinId}/print"),
        Post("/bulletins/{Id:long}/print", BulletinReaders, ids => $"/bulletins/{ids.BulletinId}/print"),
        Get("/bulletins/{id:long}/export.xlsx", BulletinReaders, ids => $"/bulletins/{ids.BulletinId}/export.xlsx"),

        // Notices to residents
        Get("/notices", NoticeComposers),
        Post("/notices", NoticeComposers),

        // Residents' affairs: the review queue of held reports, the points counter, the exchange list
        Get("/residents/held", [Dispatcher, Administrator]),
        Post("/residents/held", [Dispatcher, Administrator]),
        Get("/residents/points", NoticeComposers),
        Post("/residents/points", NoticeComposers),
        Get("/admin/exchange-items", [Administrator]),
        Post("/admin/exchange-items", [Administrator]),

        // Administration
        Get("/admin/audit", [Administrator]),
        Post("/admin/audit", [Administrator]),
        Get("/admin/users", [Administrator]),
        Post("/admin/users", [Administrator]),
        Get("/admin/users/new", [Administrator]),
        Post("/admin/users/new", [Administrator]),
        Get("/admin/users/{Id}", [Administrator], ids => $"/admin/users/{ids.AdminUserId}"),
        Post("/admin/users/{Id}", [Administrator], ids => $"/admin/users/{ids.AdminUserId}"),
        Get("/admin/grids", [Administrator]),
        Post("/admin/grids", [Administrator]),
        Get("/admin/people", [Administrator, CommunitySecretary]),
        Post("/admin/people", [Administrator, CommunitySecretary]),
        Get("/admin/categories", [Administrator]),
        Post("/admin/categories", [Administrator]),
        Get("/admin/categories/{Id:int}", [Administrator], _ => "/admin/categories/1"),
        Post("/admin/categories/{Id:int}", [Administrator], _ => "/admin/categories/1"),
        Get("/admin/response-templates", [Administrator]),
        Post("/admin/response-templates", [Administrator]),
        Get("/admin/scoring-rules", [Administrator]),
        Post("/admin/scoring-rules", [Administrator]),
        Get("/admin/calendar", [Administrator]),
        Post("/admin/calendar", [Administrator]),
        Get("/admin/open311-keys", [Administrator]),
        Post("/admin/open311-keys", [Administrator]),
        Get("/admin/hotline", [Administrator]),
        Post("/admin/hotline", [Administrator]),
        Get("/admin/notice-senders", [Administrator]),
        Post("/admin/notice-senders", [Administrator]),

        // The staff API (/api/v1): bearer tokens only. Its sign-in is public (an empty body: 400 for everyone, no attempt).
        ApiPost("/api/v1/tokens", Everyone, note: "an empty body: 400, no sign-in attempt"),
        new("DELETE", "/api/v1/tokens/current", _ => "/api/v1/tokens/current", Staff, "sent with a fresh token of the role, which it signs out", Bearer: true),
        ApiGet("/api/v1/me", Staff),
        ApiGet("/api/v1/inbox", Staff),
        ApiGet("/api/v1/categories", Staff),
        ApiGet("/api/v1/cases/{number}", Staff, ids => $"/api/v1/cases/{ids.CaseNumber}", "the dispatched case: every role sees it (scopes: ApiEndpointTests)"),
        ApiGet("/api/v1/cases/{number}/actions", Staff, ids => $"/api/v1/cases/{ids.CaseNumber}/actions"),
        ApiPost("/api/v1/cases/{number}/actions/{action}", Staff, ids => $"/api/v1/cases/{ids.CaseNumber}/actions/Bogus",
            "an unknown action: 400 for staff; who may take which action: ApiEndpointTests and the workflow table"),
        ApiPost("/api/v1/cases", Report),
        ApiGet("/api/v1/visits/", Visitors, _ => "/api/v1/visits"),
        ApiPost("/api/v1/visits/", Visitors, _ => "/api/v1/visits"),
        ApiGet("/api/v1/patrols/", PatrolRecord, _ => "/api/v1/patrols"),
        ApiPost("/api/v1/patrols/", PatrolRecord, _ => "/api/v1/patrols"),
        ApiGet("/api/v1/patrols/{patrolId:guid}", Nobody, _ => $"/api/v1/patrols/{Guid.Empty}",
            "a patrol nobody started: 404 for patrollers (their own: ApiEndpointTests), 403 for the others"),
        ApiPost("/api/v1/patrols/{patrolId:guid}/track", PatrolRecord, _ => $"/api/v1/patrols/{Guid.Empty}/track", "no points: 400 for patrollers"),
        ApiPost("/api/v1/patrols/{patrolId:guid}/finish", Nobody, _ => $"/api/v1/patrols/{Guid.Empty}/finish",
            "a patrol nobody started: 404 for patrollers, 403 for the others"),
        ApiGet("/api/v1/residents", PeopleLedgers),
        ApiGet("/api/v1/households", PeopleLedgers),
        ApiGet("/api/v1/units", PeopleLedgers),

        // The API's OpenAPI document and its reference page (Scalar): administrators, with their cookie.
        Get("/openapi/{documentName}.json", [Administrator], _ => "/openapi/v1.json"),
        Get("/scalar/{documentName?}", [Administrator], _ => "/scalar/v1"),
        // The page's files from the Scalar package are anonymous (the package maps them so; they hold no data): PublicEndpoints.
        Get("/scalar/scalar.js", Everyone),
        Get("/scalar/scalar.aspnetcore.js", Everyone),
        Get("/scalar/favicon.svg", Everyone),
    ];

    /// <summary>The static assets' endpoints (MapStaticAssets): one per file, public by design, checked on their own.</summary>
    private static bool IsStaticAsset(Endpoint endpoint) => endpoint.Metadata.GetMetadata<PublicEndpoints.StaticAsset>() is not null;

    /// <summary>The app's endpoints as (method, pattern) pairs, from the endpoint data source; static assets aside.</summary>
    private List<(string Method, string Pattern, Endpoint Endpoint)> MappedEndpoints()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticAsset(e))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Where(m => m != "HEAD")
                .Select(m => (m, e.RoutePattern.RawText ?? "", (Endpoint)e)))
            .Distinct()
            .ToList();
    }

    [Fact]
    public void Every_mapped_endpoint_has_exactly_one_row_and_every_row_an_endpoint()
    {
        var mapped = MappedEndpoints();
        var missing = mapped.Where(e => !Table.Any(r => r.Method == e.Method && r.Pattern == e.Pattern))
            .Select(e => $"{e.Method} {e.Pattern} ({e.Endpoint.DisplayName})").ToList();
        var stale = Table.Where(r => !mapped.Any(e => e.Method == r.Method && e.Pattern == r.Pattern)).Select(r => $"{r.Method} {r.Pattern}").ToList();
        var twice = Table.GroupBy(r => (r.Method, r.Pattern)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Method} {g.Key.Pattern}").ToList();

        Assert.True(missing.Count == 0, "Endpoints without a row in AuthorizationMatrixTests.Table (add who may use them):\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows that match no endpoint of the app:\n" + string.Join("\n", stale));
        Assert.True(twice.Count == 0, "Rows given twice:\n" + string.Join("\n", twice));
    }

    [Fact]
    public async Task Static_assets_are_files_anyone_may_read_and_nothing_else()
    {
        var assets = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(IsStaticAsset).ToList();
        var patterns = assets.Select(e => e.RoutePattern.RawText ?? "").ToList();
        Assert.All(assets, e => Assert.NotNull(e.Metadata.GetMetadata<StaticAssetDescriptor>()));

        Assert.Contains("css/shell.css", patterns);
        Assert.Contains("_content/MudBlazor/MudBlazor.min.js", patterns);
        Assert.Contains(patterns, p => p.StartsWith("lib/leaflet/leaflet.", StringComparison.Ordinal) && p.EndsWith(".js", StringComparison.Ordinal) && p != "lib/leaflet/leaflet.js");
        Assert.All(assets, e =>
        {
            Assert.NotNull(e.Metadata.GetMetadata<IAllowAnonymous>());
            Assert.Equal(["GET", "HEAD"], e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Order(StringComparer.Ordinal));
        });
        // Only the files of the manifest: no catch-all fallback to the web root (appsettings.json turns it off), and no
        // asset shadows a page or an endpoint.
        Assert.DoesNotContain(app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>(),
            e => e.RoutePattern.RawText == "{**path:file}");
        var routes = MappedEndpoints().Select(e => e.Pattern.TrimStart('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(patterns, routes.Contains);

        var anonymous = app.Client(Anonymous);
        using var shell = await anonymous.GetAsync("/css/shell.css");
        Assert.Equal(System.Net.HttpStatusCode.OK, shell.StatusCode);
        Assert.NotNull(shell.Headers.ETag);
        using var post = await anonymous.PostAsync("/css/shell.css", new StringContent(""));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public void The_endpoints_open_to_anonymous_users_are_exactly_the_listed_public_ones()
    {
        var anonymous = MappedEndpoints().Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.Pattern).Distinct().Order(StringComparer.Ordinal).ToList();
        var listed = PublicEndpoints.Routes.Select(r => r.Pattern).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(listed, anonymous);
        Assert.Equal(listed, Table.Where(r => r.Allowed.Contains(Anonymous) || r.OwnCredential).Select(r => r.Pattern).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Every_endpoint_answers_every_role_as_the_table_says()
    {
        var mapped = MappedEndpoints();
        var failures = new List<string>();
        var report = new StringBuilder();
        var checkedPairs = 0;
        foreach (var rule in Table.Where(r => mapped.Any(e => e.Method == r.Method && e.Pattern == r.Pattern)))
        {
            var path = rule.Path(app.Ids);
            var line = new StringBuilder($"{rule.Method,-5} {rule.Pattern,-44}");
            foreach (var who in Everyone)
            {
                var (outcome, status) = await SendAsync(rule, path, who);
                checkedPairs++;
                var expected = rule.Allowed.Contains(who) ? Outcome.Allowed : Outcome.Denied;
                line.Append(System.Globalization.CultureInfo.InvariantCulture, $" {Short(who)}={status}");
                if (outcome != expected)
                {
                    failures.Add($"{rule.Method} {path} as {who}: expected {expected}, got {outcome} ({status})");
                }
            }
            report.AppendLine(line.ToString());
        }
        output.WriteLine(report.ToString());
        output.WriteLine($"Authorization matrix: {mapped.Count} endpoints (method × route) × {Everyone.Length} roles = {checkedPairs} requests checked, {failures.Count} wrong.");
        Console.WriteLine($"[authorization-matrix] {mapped.Count} endpoints × {Everyone.Length} roles = {checkedPairs} pairs checked, {failures.Count} wrong");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(mapped.Count * Everyone.Length, checkedPairs);
    }

    /// <summary>
    /// The case actions of the extension and call-back forms (all posted to <c>/cases/{Number}</c>), each as every role:
    /// exactly the role the transition table and the case's scope name gets through (a redirect to the done page), every
    /// other one is answered without a change to the case. Denied roles go first, the allowed one last.
    /// </summary>
    [Fact]
    public async Task The_extension_and_call_back_actions_answer_every_role_as_the_transition_table_and_scope_say()
    {
        var handler = await app.ActorAsync("handler1");
        var dispatcher = await app.ActorAsync("dispatcher1");

        async Task<GridGov.Domain.Cases.Case> AcceptedAsync()
        {
            var @case = await app.DispatchedToHandler1Async();
            return await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        }
        async Task<GridGov.Domain.Cases.Case> WithPendingRequestAsync()
        {
            var @case = await AcceptedAsync();
            return await app.DoAsync(s => s.RequestExtensionAsync(@case.Id, handler, "需协调物业", @case.HandleDue!.Value.AddDays(1)));
        }
        async Task<GridGov.Domain.Cases.Case> ArchivedAsync()
        {
            var @case = await AcceptedAsync();
            await app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清运", [InboxCases.Photo()]));
            await app.DoAsync(async s => await s.VerifyAsync(@case.Id, await app.ActorAsync("leader1")));
            return await app.DoAsync(s => s.ArchiveAsync(@case.Id, dispatcher));
        }

        var requestCase = await AcceptedAsync();
        var due = requestCase.HandleDue!.Value.AddDays(1);
        var rows = new CaseActionRow[]
        {
            new("RequestExtension", requestCase, (s, id, actor) => s.RequestExtensionAsync(id, actor, "需协调物业", due), DepartmentHandler),
            new("ApproveExtension", await WithPendingRequestAsync(), (s, id, actor) => s.ApproveExtensionAsync(id, actor, "同意"), Dispatcher),
            new("RefuseExtension", await WithPendingRequestAsync(), (s, id, actor) => s.RefuseExtensionAsync(id, actor, "不同意"), Dispatcher),
            new("CallBack", await ArchivedAsync(), (s, id, actor) => s.RecordCallBackAsync(id, actor, true, GridGov.Domain.Cases.SatisfactionChannel.PhoneCallBack, null), Dispatcher),
        };
        var failures = await CaseActionFailuresAsync(rows);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The co-handling actions (协办签收, 提交协办意见, 结束协办) as every role: handler1 (the department handler) is the
    /// co-handler of the first two cases and the lead of the third; everyone else is answered without a change to the case.
    /// </summary>
    [Fact]
    public async Task The_co_handling_actions_answer_every_role_as_the_transition_table_and_scope_say()
    {
        var handler = await app.ActorAsync("handler1");
        var dispatcher = await app.ActorAsync("dispatcher1");
        var other = (await app.ActorAsync(await app.HandlerOfAnotherDepartmentAsync(handler.DepartmentId!.Value))).DepartmentId!.Value;

        async Task<GridGov.Domain.Cases.Case> DispatchedAsync(int lead, int coHandler)
        {
            var @case = await app.ResidentReportAsync();
            await app.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
            return await app.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, lead, [coHandler]));
        }
        var toAccept = await DispatchedAsync(other, handler.DepartmentId!.Value);
        var toAnswer = await DispatchedAsync(other, handler.DepartmentId!.Value);
        await app.DoAsync(s => s.AcceptCoHandlingAsync(toAnswer.Id, handler));
        var toEnd = await DispatchedAsync(handler.DepartmentId!.Value, other);
        await app.DoAsync(s => s.AcceptAsync(toEnd.Id, handler));

        var rows = new CaseActionRow[]
        {
            new("AcceptCoHandling", toAccept, (s, id, actor) => s.AcceptCoHandlingAsync(id, actor), DepartmentHandler),
            new("SubmitCoHandlingOpinion", toAnswer, (s, id, actor) => s.SubmitCoHandlingOpinionAsync(id, actor, "同意主办意见", []), DepartmentHandler),
            new("EndCoHandling", toEnd, (s, id, actor) => s.EndCoHandlingAsync(id, actor, "协办部门逾期未反馈"), DepartmentHandler),
        };
        var failures = await CaseActionFailuresAsync(rows);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>One case action, as the case page sends it to the workflow service, and the one role that may take it.</summary>
    private sealed record CaseActionRow(string Action, GridGov.Domain.Cases.Case Case,
        Func<GridGov.Application.Cases.CaseWorkflowService, int, GridGov.Domain.Cases.CaseActor, Task> Act, Who Allowed);

    /// <summary>
    /// Sends each row's action to the workflow service as every signed-in role (the allowed one last), as the interactive
    /// case page does (PageData.RunAsync); lists who got through wrongly or not at all. The page offers an action only from
    /// the same transition table and holds no rule of its own, so the service's answer is the page's; a visitor who is not
    /// signed in never reaches the page (the GET and POST rows of /cases/{Number} above).
    /// </summary>
    private async Task<List<string>> CaseActionFailuresAsync(IEnumerable<CaseActionRow> rows)
    {
        var failures = new List<string>();
        foreach (var row in rows)
        {
            foreach (var who in Everyone.Where(w => w != Anonymous && w != row.Allowed).Append(row.Allowed))
            {
                var historyBefore = await app.DbAsync(db => db.CaseHistory.CountAsync(h => h.CaseId == row.Case.Id));
                var actor = await app.ActorAsync(SecurityFixture.UserNames[who]);
                bool through;
                try
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    await row.Act(scope.ServiceProvider.GetRequiredService<GridGov.Application.Cases.CaseWorkflowService>(), row.Case.Id, actor);
                    through = true;
                }
                catch (GridGov.Domain.Common.DomainException)
                {
                    through = false;
                }
                var changed = await app.DbAsync(db => db.CaseHistory.CountAsync(h => h.CaseId == row.Case.Id)) != historyBefore;
                if ((who == row.Allowed) != through || (who == row.Allowed) != changed)
                {
                    failures.Add($"{row.Action} as {who}: through {through}, changed {changed}");
                }
            }
        }
        return failures;
    }

    private async Task<(Outcome Outcome, string Status)> SendAsync(Rule rule, string path, Who who)
    {
        var client = app.Client(who);
        HttpResponseMessage response;
        if (rule.Bearer)
        {
            // A DELETE signs its token out: a token of its own, never the shared one.
            var token = who == Anonymous ? null : rule.Method == "DELETE" ? await Api.ApiHttp.TokenAsync(app, SecurityFixture.UserNames[who]) : await ApiTokenAsync(who);
            using var api = Api.ApiHttp.Client(app, token);
            response = rule.Method switch
            {
                "GET" => await api.GetAsync(path),
                "DELETE" => await api.DeleteAsync(path),
                _ => await api.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json")),
            };
        }
        else if (rule.Method is "GET" or "*")
        {
            response = await client.GetAsync(path);
        }
        else
        {
            var fields = new Dictionary<string, string>();
            // Never a valid token for the sign-out: the shared clients must stay signed in.
            if (rule.Pattern != "/account/logout" && await TokenAsync(client, who) is { } token)
            {
                fields["__RequestVerificationToken"] = token;
            }
            response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        }
        using (response)
        {
            var outcome = SecurityHttp.Classify(response);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                status += "→" + response.Headers.Location?.OriginalString.Split('?')[0];
            }
            return (outcome, status);
        }
    }

    private readonly Dictionary<Who, string?> _tokens = [];

    private readonly Dictionary<Who, string> _apiTokens = [];

    private async Task<string> ApiTokenAsync(Who who)
    {
        if (!_apiTokens.TryGetValue(who, out var token))
        {
            token = _apiTokens[who] = await Api.ApiHttp.TokenAsync(app, SecurityFixture.UserNames[who]);
        }
        return token;
    }

    private async Task<string?> TokenAsync(HttpClient client, Who who)
    {
        if (!_tokens.TryGetValue(who, out var token))
        {
            // The layout's sign-out form carries a token for the signed-in person; the sign-in page one for nobody.
            var html = await client.GetStringAsync(who == Anonymous ? "/account/login" : "/inbox");
            token = _tokens[who] = SecurityHttp.AntiforgeryToken(html);
        }
        return token;
    }

    private static string Short(Who who) => who switch
    {
        Anonymous => "anon",
        Dispatcher => "disp",
        CommunitySecretary => "secr",
        GridLeader => "lead",
        GridWorker => "work",
        DepartmentHandler => "hand",
        StreetLeader => "strt",
        Administrator => "admn",
        _ => who.ToString(),
    };
}
