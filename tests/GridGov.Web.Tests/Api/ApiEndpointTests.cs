using System.Globalization;
using System.Net;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Patrols;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Api;

/// <summary>
/// Every staff API endpoint over real HTTP as the phone app calls it: its happy path, and the refusal of a role or a scope
/// that may not (the same answers as the pages: 404 outside one's scope, 403 for a role or an action not offered), replays
/// answered with what the first call made, and problem details in the language asked for.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiEndpointTests(WebAppFixture app)
{
    private static string Time(DateTimeOffset moment) => moment.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    // ---- Inbox and cases ----

    [Fact]
    public async Task The_inbox_lists_a_case_dispatched_to_the_handler_s_department_and_nothing_of_it_for_another_role()
    {
        var @case = await app.DispatchedToHandler1Async();
        using var handler = await app.ApiAsync("handler1");
        using var worker = await app.ApiAsync("worker1");

        using var response = await handler.GetAsync("/api/v1/inbox");
        using var other = await worker.GetAsync("/api/v1/inbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = await response.JsonAsync();
        Assert.Equal("DepartmentHandler", inbox.GetProperty("role").GetString());
        var assigned = inbox.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "DepartmentAssigned");
        var row = assigned.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("number").GetString() == @case.Number);
        Assert.Equal("Dispatched", row.GetProperty("state").GetString());
        Assert.Equal("已派遣", row.GetProperty("stateName").GetString());
        var workerInbox = await other.JsonAsync();
        Assert.DoesNotContain(workerInbox.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("cases").EnumerateArray()),
            c => c.GetProperty("number").GetString() == @case.Number && c.GetProperty("state").GetString() == "Dispatched"
                 && workerInbox.GetProperty("role").GetString() == "DepartmentHandler");
        Assert.Equal("GridWorker", workerInbox.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_case_shows_as_on_its_page_the_phone_masked_for_staff_and_hidden_from_handlers_and_404_outside_the_scope()
    {
        var @case = await app.DispatchedToHandler1Async();
        var handler = await app.ActorAsync("handler1");
        using var dispatcher = await app.ApiAsync("dispatcher1", "en");
        using var handlerClient = await app.ApiAsync("handler1");
        using var otherHandler = await app.ApiAsync(await app.HandlerOfAnotherDepartmentAsync(handler.DepartmentId!.Value));
        using var otherSecretary = await app.ApiAsync(await app.SecretaryOfAnotherCommunityAsync(@case.CommunityId));

        var seenByDispatcher = await (await dispatcher.GetAsync($"/api/v1/cases/{@case.Number}")).JsonAsync();
        var seenByHandler = await (await handlerClient.GetAsync($"/api/v1/cases/{@case.Number}")).JsonAsync();
        using var outsideDepartment = await otherHandler.GetAsync($"/api/v1/cases/{@case.Number}");
        using var outsideCommunity = await otherSecretary.GetAsync($"/api/v1/cases/{@case.Number}");

        Assert.Equal("139****5678", seenByDispatcher.GetProperty("reporterPhone").GetString());
        Assert.Equal("Dispatched", seenByDispatcher.GetProperty("stateName").GetString());
        Assert.Equal(JsonValueKindNull, seenByHandler.GetProperty("reporterPhone").ValueKind);
        Assert.Equal(["Report", "Register", "Dispatch"], seenByHandler.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!).ToArray());
        Assert.Contains("Accept", seenByHandler.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.DoesNotContain("Accept", seenByDispatcher.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        await outsideDepartment.ProblemAsync(HttpStatusCode.NotFound);
        await outsideCommunity.ProblemAsync(HttpStatusCode.NotFound);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task The_handler_accepts_and_feeds_back_through_the_workflow_and_a_role_not_offered_the_action_is_refused_with_nothing_changed()
    {
        var @case = await app.DispatchedToHandler1Async();
        using var handler = await app.ApiAsync("handler1");
        using var worker = await app.ApiAsync("worker1");

        var offered = await (await handler.GetAsync($"/api/v1/cases/{@case.Number}/actions")).JsonAsync();
        using var refused = await worker.PostJsonAsync($"/api/v1/cases/{@case.Number}/actions/Accept", new { });
        var historyAfterRefusal = await app.ReadAsync(db => db.CaseHistory.CountAsync(h => h.CaseId == @case.Id));
        using var accepted = await handler.PostJsonAsync($"/api/v1/cases/{@case.Number}/actions/Accept", new { });
        using var fedBack = await handler.PostJsonAsync($"/api/v1/cases/{@case.Number}/actions/SubmitFeedback",
            new { text = "已清运完毕", photos = new[] { ApiHttp.Photo() } });

        var accept = offered.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "Accept");
        Assert.Equal("签收", accept.GetProperty("name").GetString());
        var problem = await refused.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("api.action-not-allowed", problem.GetProperty("code").GetString());
        Assert.Equal(3, historyAfterRefusal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("InProgress", (await accepted.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, fedBack.StatusCode);
        var after = await fedBack.JsonAsync();
        Assert.Equal("FeedbackSubmitted", after.GetProperty("state").GetString());
        Assert.Equal("已清运完毕", after.GetProperty("result").GetString());
        Assert.Contains(after.GetProperty("photos").EnumerateArray(), p => p.GetProperty("step").GetString() == "SubmitFeedback");
        Assert.Equal(CaseState.FeedbackSubmitted, await app.ReadAsync(db => db.Cases.Where(c => c.Id == @case.Id).Select(c => c.State).SingleAsync()));
    }

    [Fact]
    public async Task A_domain_refusal_comes_back_under_its_field_in_the_language_asked_for_and_changes_nothing()
    {
        var @case = await app.DispatchedToHandler1Async();
        using var chinese = await app.ApiAsync("handler1");
        using var english = await app.ApiAsync("handler1", "en-GB");

        using var zh = await chinese.PostJsonAsync($"/api/v1/cases/{@case.Number}/actions/Return", new { text = "" });
        using var en = await english.PostJsonAsync($"/api/v1/cases/{@case.Number}/actions/Return", new { text = " " });

        var zhProblem = await zh.ProblemAsync(HttpStatusCode.BadRequest);
        var enProblem = await en.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(ApiHttp.HasChinese(Assert.Single(zhProblem.Errors("text"))), zhProblem.ToString());
        var english1 = Assert.Single(enProblem.Errors("text"));
        Assert.False(ApiHttp.HasChinese(english1), english1);
        Assert.Equal("The input is not valid", enProblem.GetProperty("title").GetString());
        Assert.Equal(CaseState.Dispatched, await app.ReadAsync(db => db.Cases.Where(c => c.Id == @case.Id).Select(c => c.State).SingleAsync()));
    }

    // ---- Report ----

    [Fact]
    public async Task A_report_is_made_once_per_submission_id_of_its_author_and_refused_to_someone_else_using_it()
    {
        var grid = await app.GridOfAsync("worker1");
        var (longitude, latitude) = await app.PointInGridAsync(grid);
        var category = await app.CategoryIdAsync(InboxCases.ExposedRubbish);
        var submission = Guid.NewGuid();
        var body = new
        {
            submissionId = submission, categoryId = category, description = "接口上报：绿化带里有建筑垃圾", longitude, latitude, address = "云帆街道接口测试路1号",
            reporterName = "接口网格员", photos = new[] { ApiHttp.Photo() },
        };
        using var worker = await app.ApiAsync("worker1");
        using var dispatcher = await app.ApiAsync("dispatcher1");
        using var handler = await app.ApiAsync("handler1");

        using var first = await worker.PostJsonAsync("/api/v1/cases", body);
        using var replay = await worker.PostJsonAsync("/api/v1/cases", body);
        var casesAfterReplay = await app.ReadAsync(db => db.Cases.CountAsync(c => c.SubmissionId == submission));
        using var foreign = await dispatcher.PostJsonAsync("/api/v1/cases", body);
        using var notReporter = await handler.PostJsonAsync("/api/v1/cases", body with { submissionId = Guid.NewGuid() });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var made = await first.JsonAsync();
        var number = made.GetProperty("number").GetString()!;
        Assert.Equal($"/api/v1/cases/{number}", first.Headers.Location!.OriginalString);
        Assert.False(made.GetProperty("replayed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(number, (await replay.JsonAsync()).GetProperty("number").GetString());
        Assert.True((await replay.JsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal(1, casesAfterReplay);
        await foreign.ProblemAsync(HttpStatusCode.Conflict);
        await notReporter.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await app.ReadAsync(db => db.Cases.CountAsync(c => c.SubmissionId == submission)));
        var stored = await app.ReadAsync(db => db.Cases.Include(c => c.Evidence).SingleAsync(c => c.Number == number));
        Assert.Equal(grid, stored.GridCode);
        Assert.Single(stored.Evidence);
    }

    [Fact]
    public async Task A_report_with_bad_fields_names_every_one_and_writes_nothing()
    {
        using var worker = await app.ApiAsync("worker1");
        var before = await app.ReadAsync(db => db.Cases.CountAsync());

        using var response = await worker.PostJsonAsync("/api/v1/cases", new
        {
            submissionId = Guid.NewGuid(), description = "坏\u0000数据", longitude = 200.0, latitude = 31.3, priority = "Bogus",
            photos = new[] { new { fileName = "a.jpg", contentBase64 = "not base64!" } },
        });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.Errors("categoryId"));
        Assert.NotEmpty(problem.Errors("description"));
        Assert.NotEmpty(problem.Errors("longitude"));
        Assert.NotEmpty(problem.Errors("address"));
        Assert.NotEmpty(problem.Errors("priority"));
        Assert.NotEmpty(problem.Errors("photos[0].contentBase64"));
        Assert.Equal(before, await app.ReadAsync(db => db.Cases.CountAsync()));
    }

    // ---- Visits ----

    [Fact]
    public async Task A_worker_records_a_visit_once_per_submission_lists_it_and_is_refused_a_household_outside_his_grids()
    {
        var (gridId, _) = await app.WorkerGridAsync("worker1");
        var household = await app.ReadAsync(db => db.Households.Where(h => h.GridId == gridId && h.RemovedAt == null).OrderByDescending(h => h.Id).Select(h => h.Id).FirstAsync());
        var elsewhere = await app.ReadAsync(db => db.Households.Where(h => h.GridId != gridId && h.RemovedAt == null).OrderBy(h => h.Id).Select(h => h.Id).FirstAsync());
        var submission = Guid.NewGuid();
        var visit = new { submissionId = submission, householdId = household, visitedAt = Time(DateTimeOffset.UtcNow.AddMinutes(-30)), findings = "接口走访：家中一切正常" };
        using var worker = await app.ApiAsync("worker1");
        using var handler = await app.ApiAsync("handler1");

        using var first = await worker.PostJsonAsync("/api/v1/visits", visit);
        using var replay = await worker.PostJsonAsync("/api/v1/visits", visit);
        using var outside = await worker.PostJsonAsync("/api/v1/visits", visit with { submissionId = Guid.NewGuid(), householdId = elsewhere });
        using var notVisitor = await handler.PostJsonAsync("/api/v1/visits", visit with { submissionId = Guid.NewGuid() });
        using var list = await worker.GetAsync("/api/v1/visits");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal(id, (await replay.JsonAsync()).GetProperty("id").GetInt64());
        var refusal = await outside.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("visit.out-of-grid", refusal.GetProperty("code").GetString());
        await notVisitor.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains((await list.JsonAsync()).GetProperty("visits").EnumerateArray(), v => v.GetProperty("id").GetInt64() == id);
        Assert.Equal(1, await app.ReadAsync(db => db.Visits.CountAsync(v => v.HouseholdId == household && v.Findings == "接口走访：家中一切正常")));
        Assert.Equal(0, await app.ReadAsync(db => db.Visits.CountAsync(v => v.HouseholdId == elsewhere && v.Findings == "接口走访：家中一切正常")));
    }

    // ---- Patrols ----

    [Fact]
    public async Task A_patrol_starts_takes_its_track_in_batches_sent_twice_finishes_once_and_is_listed()
    {
        var grid = await PatrolTracks.GridOfAsync(app.Services, "worker1");
        var line = PatrolTracks.Lawnmower(grid.Boundary);
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        var points = line.Coordinates.Select((c, i) => new { longitude = c.X, latitude = c.Y, recordedAt = Time(start.AddSeconds(30 * (i + 1))) }).ToList();
        var patrolId = Guid.NewGuid();
        using var worker = await app.ApiAsync("worker1");
        using var leader = await app.ApiAsync("leader1");
        using var dispatcher = await app.ApiAsync("dispatcher1");

        using var started = await worker.PostJsonAsync("/api/v1/patrols", new { patrolId, gridCode = grid.GridCode, startedAt = Time(start) });
        using var startedAgain = await worker.PostJsonAsync("/api/v1/patrols", new { patrolId, gridCode = grid.GridCode, startedAt = Time(start) });
        var half = points.Count / 2;
        using var firstBatch = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/track", new { points = points.Take(half + 2) });
        using var secondBatch = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/track", new { points = points.Skip(half) });
        using var resent = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/track", new { points = points.Skip(half) });
        using var someoneElse = await leader.GetAsync($"/api/v1/patrols/{patrolId}");
        using var notPatroller = await dispatcher.PostJsonAsync("/api/v1/patrols", new { patrolId = Guid.NewGuid(), gridCode = grid.GridCode });
        using var finished = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/finish", new { notes = "接口巡查" });
        using var finishedAgain = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/finish", new { notes = "接口巡查" });
        using var late = await worker.PostJsonAsync($"/api/v1/patrols/{patrolId}/track", new { points = new[] { new { longitude = line.Coordinates[0].X, latitude = line.Coordinates[0].Y, recordedAt = Time(DateTimeOffset.UtcNow) } } });
        using var list = await worker.GetAsync("/api/v1/patrols");

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(HttpStatusCode.OK, startedAgain.StatusCode);
        Assert.Equal(half + 2, (await firstBatch.JsonAsync()).GetProperty("added").GetInt32());
        var second = await secondBatch.JsonAsync();
        Assert.Equal(points.Count - half - 2, second.GetProperty("added").GetInt32());
        Assert.Equal(points.Count, second.GetProperty("points").GetInt32());
        Assert.Equal(0, (await resent.JsonAsync()).GetProperty("added").GetInt32());
        await someoneElse.ProblemAsync(HttpStatusCode.NotFound);
        await notPatroller.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        var recorded = await finished.JsonAsync();
        var recordedId = recorded.GetProperty("recordedPatrolId").GetInt64();
        Assert.True(recorded.GetProperty("coverage").GetDouble() > 0.3, recorded.ToString());
        Assert.False(recorded.GetProperty("alreadyRecorded").GetBoolean());
        var again = await finishedAgain.JsonAsync();
        Assert.Equal(recordedId, again.GetProperty("recordedPatrolId").GetInt64());
        Assert.True(again.GetProperty("alreadyRecorded").GetBoolean());
        await late.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains((await list.JsonAsync()).GetProperty("patrols").EnumerateArray(), p => p.GetProperty("id").GetInt64() == recordedId);
        var patrol = await app.ReadAsync(db => db.Patrols.SingleAsync(p => p.Id == recordedId));
        Assert.Equal(points.Count, patrol.Track.NumPoints);
        Assert.Equal(start.AddSeconds(30 * points.Count).ToUnixTimeSeconds(), patrol.EndedAt.ToUnixTimeSeconds());
        Assert.Equal(1, await app.ReadAsync(db => db.Patrols.CountAsync(p => p.SubmissionId == patrolId)));
    }

    [Fact]
    public async Task A_patrol_cannot_start_in_a_grid_the_worker_does_not_serve()
    {
        var own = await app.GridOfAsync("worker1");
        var other = await app.ReadAsync(db => db.Grids.Where(g => g.Code != own && g.ValidTo == null).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync());
        using var worker = await app.ApiAsync("worker1");

        using var response = await worker.PostJsonAsync("/api/v1/patrols", new { patrolId = Guid.NewGuid(), gridCode = other });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("patrol.not-your-grid", problem.GetProperty("code").GetString());
        Assert.Equal(0, await app.ReadAsync(db => db.OngoingPatrols.CountAsync(p => p.GridCode == other)));
    }

    // ---- Ledgers ----

    [Fact]
    public async Task A_whole_id_number_finds_the_resident_masked_and_is_audited_part_of_one_is_refused_and_handlers_see_no_ledgers()
    {
        var (gridId, _) = await app.WorkerGridAsync("worker1");
        var resident = await app.ReadAsync(db => db.Residents.Where(r => r.GridId == gridId && r.RemovedAt == null).OrderBy(r => r.Id).Select(r => new { r.Id, r.IdNumber }).FirstAsync());
        var workerStaff = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "worker1").Select(u => u.StaffMemberId).SingleAsync());
        var lookupsBefore = await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup && e.ActorStaffId == workerStaff));
        using var worker = await app.ApiAsync("worker1");
        using var handler = await app.ApiAsync("handler1");

        using var whole = await worker.GetAsync($"/api/v1/residents?q={resident.IdNumber}");
        using var part = await worker.GetAsync($"/api/v1/residents?q={resident.IdNumber[..8]}");
        using var tooMany = await worker.GetAsync("/api/v1/residents?pageSize=1000");
        using var notReader = await handler.GetAsync("/api/v1/residents");

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var row = Assert.Single((await whole.JsonAsync()).GetProperty("rows").EnumerateArray());
        Assert.Equal(resident.Id, row.GetProperty("id").GetInt32());
        Assert.Contains("********", row.GetProperty("maskedIdNumber").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(resident.IdNumber, await whole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(lookupsBefore + 1, await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup && e.ActorStaffId == workerStaff)));
        Assert.NotEmpty((await part.ProblemAsync(HttpStatusCode.BadRequest)).Errors("q"));
        Assert.NotEmpty((await tooMany.ProblemAsync(HttpStatusCode.BadRequest)).Errors("pageSize"));
        await notReader.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Households_and_units_are_listed_within_the_worker_s_grids_only()
    {
        var gridIds = await app.ReadAsync(db => db.Users.Where(u => u.UserName == "worker1")
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .Join(db.Grids, code => code, g => g.Code, (code, g) => g.Id).ToListAsync());
        using var worker = await app.ApiAsync("worker1");

        var households = await (await worker.GetAsync("/api/v1/households?pageSize=100")).JsonAsync();
        var units = await (await worker.GetAsync("/api/v1/units?page=1&pageSize=100")).JsonAsync();

        Assert.NotEmpty(households.GetProperty("rows").EnumerateArray());
        Assert.All(households.GetProperty("rows").EnumerateArray(), h => Assert.Contains(h.GetProperty("gridId").GetInt32(), gridIds));
        Assert.All(units.GetProperty("rows").EnumerateArray(), u => Assert.Contains(u.GetProperty("gridId").GetInt32(), gridIds));
        Assert.Equal(100, households.GetProperty("pageSize").GetInt32());
    }

    // ---- Problem details everywhere ----

    [Fact]
    public async Task Unknown_routes_wrong_methods_and_bad_json_are_problem_details_in_the_language_asked_for()
    {
        using var english = await app.ApiAsync("worker1", "en");
        using var chinese = await app.ApiAsync("worker1", "zh-CN");

        using var unknown = await english.GetAsync("/api/v1/nothing-here");
        using var unknownZh = await chinese.GetAsync("/api/v1/nothing-here");
        using var wrongMethod = await english.PutAsync("/api/v1/inbox", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var badJson = await english.PostAsync("/api/v1/cases", new StringContent("{\"categoryId\": \"abc\"}", System.Text.Encoding.UTF8, "application/json"));
        using var badNumber = await chinese.GetAsync("/api/v1/cases/abc");
        using var control = await chinese.GetAsync("/api/v1/households?address=a%00b");

        Assert.Equal("Not found", (await unknown.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("title").GetString());
        Assert.Equal("未找到", (await unknownZh.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("title").GetString());
        await wrongMethod.ProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.NotEmpty((await badJson.ProblemAsync(HttpStatusCode.BadRequest)).Errors("categoryId"));
        Assert.Equal(["案件编号应为14位数字"], (await badNumber.ProblemAsync(HttpStatusCode.BadRequest)).Errors("number"));
        Assert.Contains("控制字符", (await control.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
