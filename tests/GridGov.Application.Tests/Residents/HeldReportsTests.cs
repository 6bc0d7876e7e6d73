using GridGov.Application.Cases;
using GridGov.Application.Tests.Cases;
using GridGov.Application.Residents;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Residents;

/// <summary>Resident reports: into the workflow as 居民上报, idempotent per phone; a flooding phone's reports wait in the review queue.</summary>
public sealed class HeldReportsTests(ResidentScenario scenario) : IClassFixture<ResidentScenario>
{
    [Fact]
    public async Task A_resident_report_enters_the_workflow_as_a_resident_case_in_the_grid_of_its_point_and_a_replay_answers_the_same_case()
    {
        const string phone = "13900000001";
        var form = Guid.NewGuid();

        var first = await scenario.ReportAsync(phone, "10.3.0.1", form, photos: [CaseScenario.Photo()]);
        var replay = await scenario.ReportAsync(phone, "10.3.0.1", form);

        Assert.NotNull(first.CaseNumber);
        Assert.Equal(first, replay);
        var stored = await scenario.ReloadAsync(await scenario.CaseIdAsync(first.CaseNumber!));
        Assert.Equal((CaseSource.Resident, CaseState.Reported, phone, SubmissionPurpose.ResidentReport), (stored.Source, stored.State, stored.ReporterPhone, stored.SubmissionPurpose));
        Assert.Equal(await scenario.GridOfAsync("worker1"), stored.GridCode);
        Assert.Single(stored.Evidence);
        // The same form id from another phone is another report, never the first phone's case.
        var other = await scenario.ReportAsync("13900000009", "10.3.0.1", form);
        Assert.NotEqual(first.CaseNumber, other.CaseNumber);
    }

    [Fact]
    public async Task A_phone_that_floods_waits_in_the_review_queue_and_is_refused_beyond_the_maximum()
    {
        const string phone = "13900000002";
        for (var i = 0; i < ResidentScenario.ReportsBeforeReview; i++)
        {
            Assert.NotNull((await scenario.ReportAsync(phone, "10.3.0.2")).CaseNumber);
        }
        var cases = await scenario.DbAsync(db => db.Cases.CountAsync());

        var held = await scenario.ReportAsync(phone, "10.3.0.2", description: "第三条：楼道堆物", photos: [CaseScenario.Photo()]);
        await scenario.ReportAsync(phone, "10.3.0.2");
        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.ReportAsync(phone, "10.3.0.2"));

        Assert.True(held.Held);
        Assert.Null(held.CaseNumber);
        Assert.Equal("resident.report-phone-cap", refused.Code);
        Assert.Equal(cases, await scenario.DbAsync(db => db.Cases.CountAsync())); // nothing entered the workflow
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var queue = await scenario.WithAsync(p => p.GetRequiredService<HeldReports>().ListAsync(dispatcher, waitingOnly: true));
        var row = Assert.Single(queue, r => r.Id == held.HeldReportId);
        Assert.Equal(("139****0002", "第三条：楼道堆物", ResidentScenario.MaxReports, 1), (row.MaskedPhone, row.Description, row.ReportsThatDay, row.PhotoHashes.Count));
    }

    [Fact]
    public async Task Released_a_held_report_becomes_a_resident_case_with_its_photos_refused_it_never_does_and_a_decision_is_taken_once()
    {
        const string phone = "13900000003";
        for (var i = 0; i < ResidentScenario.ReportsBeforeReview; i++)
        {
            await scenario.ReportAsync(phone, "10.3.0.3");
        }
        var toRelease = (await scenario.ReportAsync(phone, "10.3.0.3", photos: [CaseScenario.Photo(), CaseScenario.Photo()])).HeldReportId!.Value;
        var toRefuse = (await scenario.ReportAsync(phone, "10.3.0.3")).HeldReportId!.Value;
        var dispatcher = await scenario.ActorAsync("dispatcher1");

        var number = await scenario.WithAsync(p => p.GetRequiredService<HeldReports>().ReleaseAsync(toRelease, dispatcher));
        await scenario.WithAsync(async p =>
        {
            await p.GetRequiredService<HeldReports>().RefuseAsync(toRefuse, dispatcher, "重复反映同一问题");
            return true;
        });

        var released = await scenario.ReloadAsync(await scenario.CaseIdAsync(number));
        Assert.Equal((CaseSource.Resident, phone, 2), (released.Source, released.ReporterPhone, released.Evidence.Count));
        var decided = await scenario.DbAsync(db => db.HeldReports.AsNoTracking().Where(h => h.Id == toRelease || h.Id == toRefuse).OrderBy(h => h.Id).ToListAsync());
        Assert.Equal([HeldReportState.Released, HeldReportState.Refused], decided.Select(h => h.State));
        Assert.Equal((number, "重复反映同一问题"), (decided[0].CaseNumber, decided[1].RefusalReason));
        var again = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(p => p.GetRequiredService<HeldReports>().ReleaseAsync(toRefuse, dispatcher)));
        Assert.Equal("held.decided", again.Code);
        // Registered after release, it earns points as any resident report.
        await scenario.RegisterAsync(released.Id);
        Assert.Equal(ResidentScenario.Points, await scenario.BalanceAsync(phone));
    }

    [Fact]
    public async Task A_grid_worker_cannot_work_the_queue()
    {
        var worker = await scenario.ActorAsync("worker1");
        var refused = await Assert.ThrowsAsync<DomainException>(() => scenario.WithAsync(p => p.GetRequiredService<HeldReports>().ListAsync(worker, true)));
        Assert.Equal("held.forbidden", refused.Code);
    }

    [Fact]
    public async Task A_point_outside_the_street_a_missing_point_or_too_many_photos_are_refused_and_nothing_is_written()
    {
        var category = await scenario.CategoryAsync("0501");
        var before = await scenario.DbAsync(db => db.ResidentReportRecords.CountAsync());
        Task Submit(double? x, double? y, int photos) => scenario.WithAsync(p => p.GetRequiredService<ResidentReports>().SubmitAsync("13900000004",
            new ResidentReportRequest(category.Id, "路灯不亮", x, y, null, null, Enumerable.Range(0, photos).Select(_ => CaseScenario.Photo()).ToList(), Guid.NewGuid()), "10.3.0.4"));

        Assert.Equal("case.outside-street", (await Assert.ThrowsAsync<DomainException>(() => Submit(116.39, 39.9, 0))).Code);
        Assert.Equal("resident.point-required", (await Assert.ThrowsAsync<DomainException>(() => Submit(null, 31.3, 0))).Code);
        var (x, y) = await scenario.PointInGridAsync(await scenario.GridOfAsync("worker1"));
        Assert.Equal("evidence.too-many", (await Assert.ThrowsAsync<DomainException>(() => Submit(x, y, 10))).Code);
        Assert.Equal(before, await scenario.DbAsync(db => db.ResidentReportRecords.CountAsync()));
    }
}
