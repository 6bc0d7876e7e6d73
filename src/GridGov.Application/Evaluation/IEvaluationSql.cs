namespace GridGov.Application.Evaluation;

/// <summary>A reporter's reports of the month (grid workers and leaders).</summary>
/// <param name="Timely">Reported during one of the reporter's own patrols of the case's grid or within the grace after it.</param>
/// <param name="Registered">Registered as a case (立案, or a handled-on-spot report confirmed), by the time of computing.</param>
/// <param name="Decided">Registered, rejected or merged by the time of computing: the accuracy's denominator.</param>
public sealed record ReporterFigures(int StaffMemberId, int Reports, int Timely, int Registered, int Decided);

/// <summary>A person's 核查 (verifications) of the month: done, done with a running deadline, done by that deadline.</summary>
public sealed record VerifierFigures(int StaffMemberId, int Done, int WithDeadline, int OnTime);

/// <summary>A grid's cases reported in the month by source and major class.</summary>
public sealed record GridCaseFigures(int GridId, string Source, string MajorCode, string MajorName, int Reported, int Registered, int HazardsFound, int HazardsFixed);

/// <summary>A grid's open and overdue cases at the moment the month's figures stand at.</summary>
public sealed record GridStateFigures(int GridId, int OpenAtEnd, int OverdueAtEnd);

/// <summary>Cases whose handling deadline fell in the month, by handler (department id 0: handled locally) and grid.</summary>
public sealed record ClosureFigures(int DepartmentId, int GridId, int Due, int Closed, int OnTime);

/// <summary>A department's (0: handled locally) workflow actions of the month.</summary>
public sealed record DepartmentActionFigures(int DepartmentId, int Dispatched, int Returned, int FedBack, int Reworked, int Supervised);

/// <summary>A department's summonses (吹哨) of the month.</summary>
public sealed record WhistleFigures(int DepartmentId, int Summoned, int OnTime, double? MedianMinutes);

/// <summary>A dispatcher's or registrar's actions of the month.</summary>
/// <param name="DispatchReturned">Dispatches that the department returned as not its own (退回) before any re-dispatch.</param>
/// <param name="RegisterVoided">Registrations whose case was voided afterwards (作废: not a case after all).</param>
public sealed record DispatcherFigures(int StaffMemberId, int Dispatched, int DispatchWithDeadline, int DispatchOnTime, int DispatchReturned,
    int Registered, int RegisterWithDeadline, int RegisterOnTime, int RegisterVoided);

/// <summary>What a figure's drill-down lists: the cases counted in its denominator, marked when also in its numerator.</summary>
public sealed record DrillDownCase(int CaseId, bool Counted);

/// <summary>
/// The set-based queries of the monthly evaluation, one round trip each whatever the size of the street (implemented in
/// SQL by Infrastructure). Ranges are [start, end) in UTC; <c>asOf</c> is the moment open and overdue are judged at.
/// </summary>
public interface IEvaluationSql
{
    Task<IReadOnlyList<ReporterFigures>> ReportersAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan grace, CancellationToken cancellationToken);

    Task<IReadOnlyList<VerifierFigures>> VerifiersAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    Task<IReadOnlyList<GridCaseFigures>> GridCasesAsync(DateTimeOffset start, DateTimeOffset end, string hazardMajorName, CancellationToken cancellationToken);

    Task<IReadOnlyList<GridStateFigures>> GridStatesAsync(DateTimeOffset asOf, CancellationToken cancellationToken);

    Task<IReadOnlyList<ClosureFigures>> ClosuresAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    Task<IReadOnlyList<DepartmentActionFigures>> DepartmentActionsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    Task<IReadOnlyList<WhistleFigures>> WhistlesAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    Task<IReadOnlyList<DispatcherFigures>> DispatchersAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    /// <summary>
    /// The cases behind one figure of one subject (a staff member's or department's id, 0 for local handling; for area
    /// figures the subject is ignored and <paramref name="gridIds"/> bound the cases), by the same definitions as the
    /// figures. Empty for a figure that does not count cases.
    /// </summary>
    Task<IReadOnlyList<DrillDownCase>> DrillDownAsync(string figure, int subject, IReadOnlyCollection<int> gridIds, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken);
}
