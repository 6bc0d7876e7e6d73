using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Cases;

/// <summary>The report use case (问题上报) behind the report page: attach, merge, replay, own grids, duplicates.</summary>
public sealed class CaseReportingTests(CaseScenario scenario) : IClassFixture<CaseScenario>
{
    private Task<T> ReportingAsync<T>(Func<CaseReporting, Task<T>> work) =>
        scenario.WithAsync(provider => work(provider.GetRequiredService<CaseReporting>()));

    private async Task<ReportRequest> RequestAsync(string gridCode, string category, string description, IReadOnlyList<EvidenceUpload>? photos = null,
        CasePriority priority = CasePriority.Normal, string? attachTo = null)
    {
        var (longitude, latitude) = await scenario.PointInGridAsync(gridCode);
        var categoryId = (await scenario.CategoryAsync(category)).Id;
        return new ReportRequest(categoryId, description, longitude, latitude, "云帆路8号", CaseSource.Hotline, priority, "周女士", "13655556666",
            photos ?? [], Guid.NewGuid(), attachTo);
    }

    private Task<int> CountAsync(Guid submissionId) =>
        scenario.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Cases.CountAsync(c => c.SubmissionId == submissionId));

    private Task<Case> BySubmissionAsync(Guid submissionId) =>
        scenario.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Cases.AsNoTracking().SingleAsync(c => c.SubmissionId == submissionId));

    [Fact]
    public async Task A_dispatcher_attaching_a_call_merges_it_into_the_chosen_case()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var grid = await scenario.GridOfAsync("leader1");
        var existing = await scenario.ReportAsync(grid, "0506");
        var request = await RequestAsync(grid, "0506", "市民来电：草坪上有死猫", attachTo: existing.Number);

        var outcome = await ReportingAsync(r => r.ReportAsync(request, dispatcher));

        var created = await BySubmissionAsync(request.SubmissionId);
        Assert.Equal(created.Number, outcome.Number);
        Assert.Equal(existing.Number, outcome.AttachedTo);
        Assert.False(outcome.MergeFailed);
        Assert.Equal(CaseState.Merged, created.State);
        Assert.Equal(existing.Id, created.MergedIntoCaseId);
        Assert.DoesNotContain("疑似与案件", created.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_worker_attaching_leaves_the_number_in_the_description_for_the_dispatcher()
    {
        var worker = await scenario.ActorAsync("worker1");
        var grid = await scenario.GridOfAsync("worker1");
        var existing = await scenario.ReportAsync(grid, "0602");
        var request = await RequestAsync(grid, "0602", "小广告又多了", [CaseScenario.Photo()], attachTo: $" {existing.Number} ");

        var outcome = await ReportingAsync(r => r.ReportAsync(request with { Source = CaseSource.GridWorkerPatrol }, worker));

        var created = await BySubmissionAsync(request.SubmissionId);
        Assert.Equal(CaseState.Reported, created.State);
        Assert.Null(created.MergedIntoCaseId);
        Assert.Equal($"小广告又多了（疑似与案件{existing.Number}重复）", created.Description);
        Assert.Equal(existing.Number, outcome.AttachedTo);
    }

    [Fact]
    public async Task Attaching_to_a_case_that_does_not_exist_is_refused_and_nothing_is_written()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var request = await RequestAsync(await scenario.GridOfAsync("leader1"), "0506", "不存在的重复案件", attachTo: "99999999999999");

        var refused = await Assert.ThrowsAsync<DomainException>(() => ReportingAsync(r => r.ReportAsync(request, dispatcher)));

        Assert.Equal(CaseReporting.AttachNotFoundCode, refused.Code);
        Assert.Equal(0, await CountAsync(request.SubmissionId));
    }

    [Fact]
    public async Task An_emergency_attached_by_a_dispatcher_goes_out_at_once_and_says_the_merge_did_not_happen()
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var grid = await scenario.GridOfAsync("leader1");
        var existing = await scenario.ReportAsync(grid, "0506");
        var request = await RequestAsync(grid, "0506", "突发：草坪起火", priority: CasePriority.Emergency, attachTo: existing.Number);

        var outcome = await ReportingAsync(r => r.ReportAsync(request, dispatcher));

        Assert.True(outcome.MergeFailed);
        var created = await BySubmissionAsync(request.SubmissionId);
        Assert.NotEqual(CaseState.Merged, created.State);
        Assert.Null(created.MergedIntoCaseId);
    }

    [Fact]
    public async Task The_same_submission_sent_again_or_twice_at_once_returns_the_first_case()
    {
        var worker = await scenario.ActorAsync("worker1");
        var request = await RequestAsync(await scenario.GridOfAsync("worker1"), "0302", "垃圾桶满溢（重放）");
        var atOnce = await RequestAsync(await scenario.GridOfAsync("worker1"), "0302", "垃圾桶满溢（同时两次）");

        var first = await ReportingAsync(r => r.ReportAsync(request with { Photos = [CaseScenario.Photo()] }, worker));
        var again = await ReportingAsync(r => r.ReportAsync(request with { Photos = [CaseScenario.Photo()] }, worker));
        var both = await Task.WhenAll(
            ReportingAsync(r => r.ReportAsync(atOnce with { Photos = [CaseScenario.Photo()] }, worker)),
            ReportingAsync(r => r.ReportAsync(atOnce with { Photos = [CaseScenario.Photo()] }, worker)));

        Assert.Equal(first.Number, again.Number);
        Assert.Equal(1, await CountAsync(request.SubmissionId));
        Assert.Equal(both[0].Number, both[1].Number);
        Assert.Equal(1, await CountAsync(atOnce.SubmissionId));
    }

    [Fact]
    public async Task Someone_else_sending_the_same_submission_id_is_refused_and_never_given_the_case()
    {
        var worker = await scenario.ActorAsync("worker1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var request = await RequestAsync(await scenario.GridOfAsync("worker1"), "0302", "他人重放的提交编号");
        var first = await ReportingAsync(r => r.ReportAsync(request, worker));

        await Assert.ThrowsAsync<DomainException>(() => ReportingAsync(r => r.ReportAsync(request with { Description = "伪造" }, dispatcher)));

        Assert.Equal(1, await CountAsync(request.SubmissionId));
        Assert.Equal(first.Number, (await BySubmissionAsync(request.SubmissionId)).Number);
    }

    [Fact]
    public async Task A_grid_worker_handles_a_problem_on_the_spot_through_the_use_case()
    {
        var worker = await scenario.ActorAsync("worker1");
        var request = await RequestAsync(await scenario.GridOfAsync("worker1"), "0806", "共享单车堵住单元门口", [CaseScenario.Photo()]);

        await ReportingAsync(r => r.ReportAsync(request with { HandledOnSpot = true, Result = "已将单车挪至停放区" }, worker));

        var created = await BySubmissionAsync(request.SubmissionId);
        Assert.Equal(CaseState.HandledOnSpot, created.State);
        Assert.Equal("已将单车挪至停放区", created.Result);
    }

    [Fact]
    public async Task A_grid_worker_s_form_opens_on_his_grids_and_a_point_outside_them_is_flagged_while_a_dispatcher_s_never_is()
    {
        var worker = await scenario.ActorAsync("worker1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var secretary = await scenario.ActorAsync("secretary1");
        var own = await scenario.GridOfAsync("worker1");
        var other = await scenario.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Grids
            .Where(g => g.ValidTo == null && !worker.GridCodes.Contains(g.Code)).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync());
        var (inX, inY) = await scenario.PointInGridAsync(own);
        var (outX, outY) = await scenario.PointInGridAsync(other);

        var workerForm = await ReportingAsync(r => r.FormAsync(worker));
        var dispatcherForm = await ReportingAsync(r => r.FormAsync(dispatcher));
        var secretaryForm = await ReportingAsync(r => r.FormAsync(secretary));
        var inside = await ReportingAsync(r => r.PlaceAsync(inX, inY, worker));
        var outside = await ReportingAsync(r => r.PlaceAsync(outX, outY, worker));
        var forDispatcher = await ReportingAsync(r => r.PlaceAsync(outX, outY, dispatcher));
        var nowhere = await ReportingAsync(r => r.PlaceAsync(double.NaN, 200, worker));

        Assert.Equal(worker.GridCodes.Order(StringComparer.Ordinal), workerForm.OwnGridCodes);
        Assert.True(workerForm.CanHandleOnSpot);
        Assert.False(workerForm.CanMerge);
        Assert.Equal(CaseSource.GridWorkerPatrol, workerForm.DefaultSource);
        Assert.Empty(dispatcherForm.OwnGridCodes);
        Assert.True(dispatcherForm.CanMerge);
        Assert.Equal(CaseSource.Hotline, dispatcherForm.DefaultSource);
        Assert.NotEmpty(secretaryForm.OwnGridCodes);
        Assert.Contains(workerForm.Categories.SelectMany(g => g.Minors), c => c.Code == "0801");
        Assert.Equal((ReportPlaceKind.InGrid, own, false), (inside.Kind, inside.GridCode, inside.OutsideOwnGrids));
        Assert.Equal((ReportPlaceKind.InGrid, other, true), (outside.Kind, outside.GridCode, outside.OutsideOwnGrids));
        Assert.False(forDispatcher.OutsideOwnGrids);
        Assert.Equal(ReportPlaceKind.OutsideStreet, nowhere.Kind);
    }

    [Fact]
    public async Task Nearby_duplicates_outside_a_grid_worker_s_scope_are_only_counted_while_a_dispatcher_sees_them()
    {
        var worker = await scenario.ActorAsync("worker1");
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var other = await scenario.WithAsync(provider => provider.GetRequiredService<GridGovDbContext>().Grids
            .Where(g => g.ValidTo == null && !worker.GridCodes.Contains(g.Code)).OrderByDescending(g => g.Code).Select(g => g.Code).FirstAsync());
        var elsewhere = await scenario.ReportAsync(other, "0403");
        var categoryId = (await scenario.CategoryAsync("0403")).Id;
        var (x, y) = await scenario.PointInGridAsync(other);

        var workerSees = await ReportingAsync(r => r.DuplicatesAsync(categoryId, x, y, worker));
        var dispatcherSees = await ReportingAsync(r => r.DuplicatesAsync(categoryId, x, y, dispatcher));
        var incomplete = await ReportingAsync(r => r.DuplicatesAsync(categoryId, null, y, worker));
        var unknownCategory = await ReportingAsync(r => r.DuplicatesAsync(99_999_999, x, y, worker));

        Assert.NotNull(workerSees);
        Assert.DoesNotContain(workerSees.Cases, c => c.Number == elsewhere.Number);
        Assert.True(workerSees.Elsewhere >= 1);
        Assert.Contains(dispatcherSees!.Cases, c => c.Number == elsewhere.Number);
        Assert.Null(incomplete);
        Assert.Null(unknownCategory);
    }
}
