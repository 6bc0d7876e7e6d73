using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;

namespace GridGov.Domain.Tests.Cases;

/// <summary>When a report became a valid case (<see cref="Case.RegisteredAt"/>), which the evaluation's 发现准确率 counts.</summary>
public class CaseRegistrationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // Monday 09:00 in China
    private static readonly StageDeadline Soon = new(Start.AddHours(1), Start.AddMinutes(48));
    private static readonly CaseActor Dispatcher = CaseActor.Staff(new StaffMember("王调度", "13800000001", StaffRole.Dispatcher), []);
    private static readonly CaseActor Worker = CaseActor.Staff(new StaffMember("李网格", "13800000005", StaffRole.GridWorker), ["320508001001001"]);

    private static Case Reported() =>
        Case.Report("20261123000001", 1, "路边有一堆生活垃圾", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), CaseSource.Resident, CasePriority.Normal, CaseActor.Public("李明"), "李明", "13912345678",
            [], Soon, Start);

    [Fact]
    public void A_registered_case_keeps_the_moment_of_its_registration_through_later_steps()
    {
        var @case = Reported();
        Assert.Null(@case.RegisteredAt);

        @case.Register(Dispatcher, 1, CasePriority.Normal, Soon, Start.AddMinutes(20));
        @case.Dispatch(Dispatcher, 7, [], new StageDeadline(Start.AddDays(2), Start.AddDays(1.6)), Start.AddMinutes(40));

        Assert.Equal(Start.AddMinutes(20), @case.RegisteredAt);
    }

    [Fact]
    public void A_rejected_report_was_never_registered()
    {
        var rejected = Reported();
        rejected.Reject(Dispatcher, "不属于网格事项", Start.AddMinutes(5));

        Assert.Equal(CaseState.Rejected, rejected.State);
        Assert.Null(rejected.RegisteredAt);
    }

    [Fact]
    public void A_report_handled_on_the_spot_counts_as_registered_when_it_is_confirmed()
    {
        var @case = Case.ReportHandledOnSpot("20261123000002", 1, "井盖松动已复位", Locations.Point(120.6, 31.3), "某路口",
            new CaseLocationInfo(1, "320508001001001", 1), Worker, "13800000005", "已现场复位",
            [new CaseEvidence(new string('c', 64), "image/png", 10, "spot.png")], Start);
        Assert.Null(@case.RegisteredAt);

        @case.ConfirmOnSpot(Dispatcher, Start.AddHours(2));

        Assert.Equal(Start.AddHours(2), @case.RegisteredAt);
    }
}
