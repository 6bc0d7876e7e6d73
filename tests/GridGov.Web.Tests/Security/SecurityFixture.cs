using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Bulletins;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Security;

/// <summary>Who makes a request in the security tests: each staff role of the demo street, or nobody.</summary>
public enum Who
{
    Anonymous,
    Dispatcher,
    CommunitySecretary,
    GridLeader,
    GridWorker,
    DepartmentHandler,
    StreetLeader,
    Administrator,
}

/// <summary>The security tests share one app and its seven sign-ins, and run one class after another.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityFixture>
{
    public const string Name = "Security";
}

/// <summary>
/// The app on a real port with one signed-in client per role (the demo accounts dispatcher1, secretary1,
/// leader1, worker1, handler1, streetleader1, admin1: seven sign-ins per fixture) and real ids from the demo
/// street: everything below lies in leader1's and worker1's first grid (community 001, secretary1's). One resident
/// there is tagged 吸毒人员 and then 精神障碍 (two recorded changes) for the sensitive-tag tests.
/// </summary>
public class SecurityFixture : WebAppFixture
{
    /// <summary>
    /// The matrix signs every role in by cookie and by API token (a fresh token for each row that signs one out), from one
    /// address within a minute: more than the sign-in limit meant for one person. The limit itself is tested by
    /// RateLimitTests on an app of its own.
    /// </summary>
    protected override IEnumerable<string> ExtraArguments => ["--Security:SignInPermitLimit=1000"];

    public static readonly IReadOnlyDictionary<Who, string> UserNames = new Dictionary<Who, string>
    {
        [Who.Dispatcher] = "dispatcher1",
        [Who.CommunitySecretary] = "secretary1",
        [Who.GridLeader] = "leader1",
        [Who.GridWorker] = "worker1",
        [Who.DepartmentHandler] = "handler1",
        [Who.StreetLeader] = "streetleader1",
        [Who.Administrator] = "admin1",
    };

    private readonly Dictionary<Who, HttpClient> _clients = [];

    /// <summary>How many sign-in form posts this fixture made.</summary>
    public int SignInPosts { get; private set; }

    public DemoIds Ids { get; private set; } = null!;

    public Resident Tagged { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _clients[Who.Anonymous] = CreateClient();
        foreach (var (who, userName) in UserNames)
        {
            var client = CreateClient();
            SignInPosts++;
            await client.SignInAsync(userName, DemoStreetDatabaseFixture.DemoPassword);
            _clients[who] = client;
        }
        var (dispatched, byWorker) = await MakeCasesAsync();
        Ids = await DbAsync(db => DemoIds.LoadAsync(db, dispatched, byWorker));
        Ids = Ids with { BulletinId = await this.IssuedBulletinAsync() };
        Tagged = await DbAsync(async db =>
        {
            var resident = await db.Residents.Where(r => r.GridId == Ids.GridId && r.HouseholdId != null && r.RemovedAt == null && r.Groups.Count == 0)
                .OrderByDescending(r => r.Id).FirstAsync();
            resident.Tag(ResidentGroup.DrugRehabilitation);
            await db.SaveChangesAsync();
            resident.Tag(ResidentGroup.MentalDisorder);
            await db.SaveChangesAsync();
            return resident;
        });
    }

    /// <summary>
    /// The fixture's own cases, made through the workflow service, so that the rows the tests need exist on any
    /// day (the demo street's cases are drawn relative to the clock): a resident's report with a photo in leader1's
    /// grid, registered and dispatched to handler1's department, and a report by worker1 in the same grid.
    /// </summary>
    private async Task<(Case Dispatched, Case ByWorker)> MakeCasesAsync()
    {
        var gridCode = await this.GridOfAsync("leader1");
        var (longitude, latitude) = await this.PointInGridAsync(gridCode);
        var categoryId = await this.CategoryIdAsync(InboxCases.ExposedRubbish);
        var dispatcher = await this.ActorAsync("dispatcher1");
        var handler = await this.ActorAsync("handler1");
        var worker = await this.ActorAsync("worker1");

        var reported = await this.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路边有一堆生活垃圾无人清理", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, CasePriority.Normal, "李明", "13912345678", [InboxCases.Photo()]), CaseActor.Public("李明")));
        await this.DoAsync(s => s.RegisterAsync(reported.Id, dispatcher, null, null));
        var dispatched = await this.DoAsync(s => s.DispatchAsync(reported.Id, dispatcher, handler.DepartmentId!.Value));
        var byWorker = await this.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "巡查发现绿化带内堆放建筑垃圾", longitude, latitude,
            "云帆街道某小区门口", CaseSource.GridWorkerPatrol, CasePriority.Normal, worker.Name, null, []), worker));
        // A request an Open311 client posted, so that the token route has a token to find (the authorization matrix).
        await this.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路口垃圾桶满溢", longitude, latitude, "云帆街道某路口", CaseSource.Resident,
            CasePriority.Normal, "市民", null, [], Open311Token, SubmissionPurpose.Open311Request), CaseActor.Public("市民")));
        return (dispatched, byWorker);
    }

    /// <summary>The token (submission id) of the fixture's Open311 request.</summary>
    public static readonly Guid Open311Token = new("0f311000-0000-4000-8000-000000000311");

    /// <summary>The signed-in client of a role (shared: do not sign it out).</summary>
    public HttpClient Client(Who who) => _clients[who];

    public async Task<T> DbAsync<T>(Func<GridGovDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await base.DisposeAsync();
    }
}

/// <summary>Real ids from the demo street for filling route parameters, all in leader1's first grid.</summary>
public sealed partial record DemoIds(
    int GridId,
    string GridCode,
    int CommunityId,
    int ResidentId,
    int HouseholdId,
    int UnitId,
    int ComponentId,
    string CaseNumber,
    string ReportedByWorkerCase,
    string EvidenceSha256,
    long PatrolId,
    long VisitId,
    string Month,
    int OtherGridId,
    string OtherGridCode,
    int OtherCommunityGridId,
    string OtherCommunityGridCode,
    string AdminUserId)
{
    /// <summary>Last month's bulletin, issued (so that departments read it too).</summary>
    public long BulletinId { get; init; }

    public static async Task<DemoIds> LoadAsync(GridGovDbContext db, Case dispatched, Case byWorker)
    {
        var leader = await StaffAsync(db, "leader1");
        var worker = await StaffAsync(db, "worker1");
        var handler = await StaffAsync(db, "handler1");
        var gridCode = await db.GridAssignments.Where(a => a.StaffMemberId == leader.Id).OrderBy(a => a.GridCode).Select(a => a.GridCode).FirstAsync();
        var grid = await db.Grids.AsNoTracking().SingleAsync(g => g.Code == gridCode);
        var resident = await db.Residents.AsNoTracking()
            .Where(r => r.GridId == grid.Id && r.RemovedAt == null && r.HouseholdId != null).OrderBy(r => r.Id).FirstAsync();
        var unit = await db.Units.AsNoTracking().Where(u => u.GridId == grid.Id && u.RemovedAt == null).OrderBy(u => u.Id).Select(u => u.Id).FirstAsync();
        // A component another department than handler1's owns (handler1's own are checked by the scope tests).
        var component = await db.Components.AsNoTracking()
            .Where(c => c.GridId == grid.Id && c.RemovedAt == null && c.OwnerDepartmentId != handler.DepartmentId)
            .OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        var sha = await db.Cases.AsNoTracking().Where(c => c.Id == dispatched.Id)
            .Select(c => c.Evidence.OrderBy(e => e.Id).Select(e => e.Sha256).First()).SingleAsync();
        var patrol = await db.Patrols.AsNoTracking().Where(p => p.PatrollerStaffId == worker.Id).OrderByDescending(p => p.Id).Select(p => p.Id).FirstAsync();
        var visit = await db.Visits.AsNoTracking().Where(v => v.VisitorStaffId == worker.Id).OrderByDescending(v => v.VisitedAt).Select(v => v.Id).FirstAsync();
        var other = await db.Grids.AsNoTracking().Where(g => g.CommunityId == grid.CommunityId && g.Id != grid.Id).OrderBy(g => g.Id).FirstAsync();
        var otherCommunity = await db.Grids.AsNoTracking().Where(g => g.CommunityId != grid.CommunityId).OrderBy(g => g.Id).FirstAsync();
        var workerAccount = await db.Users.Where(u => u.UserName == "worker1").Select(u => u.Id).SingleAsync();
        var month = Domain.Calendar.WorkingCalendar.ToChinaTime(DateTimeOffset.UtcNow).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return new DemoIds(grid.Id, grid.Code, grid.CommunityId, resident.Id, resident.HouseholdId!.Value, unit, component,
            dispatched.Number, byWorker.Number, sha, patrol, visit, month, other.Id, other.Code, otherCommunity.Id, otherCommunity.Code, workerAccount);
    }

    private static async Task<StaffMember> StaffAsync(GridGovDbContext db, string userName)
    {
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.StaffMemberId).SingleAsync();
        return await db.StaffMembers.AsNoTracking().SingleAsync(s => s.Id == id);
    }
}

/// <summary>How a request came out, as far as authorization goes.</summary>
public enum Outcome
{
    Allowed,
    Denied,
    ServerError,
}

public static partial class SecurityHttp
{
    /// <summary>
    /// Denied: 401, 403, 404 (rows outside the person's scope are answered as not found), or a redirect to
    /// the sign-in page or the access-denied page. A 5xx is its own outcome (always a failure). Anything else is allowed.
    /// </summary>
    public static Outcome Classify(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return Outcome.ServerError;
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return Outcome.Denied;
        }
        if (status is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;
            if (path.StartsWith("/account/login", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/error/403", StringComparison.OrdinalIgnoreCase))
            {
                return Outcome.Denied;
            }
        }
        return Outcome.Allowed;
    }

    /// <summary>The antiforgery token on a page, or null.</summary>
    public static string? AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
