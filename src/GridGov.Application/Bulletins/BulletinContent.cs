using GridGov.Application.Evaluation;
using GridGov.Domain.Cases;

namespace GridGov.Application.Bulletins;

/// <summary>
/// A headline figure of the month with last month's beside it: a count (<see cref="Count"/>) or a rate
/// (<see cref="Rate"/>). The previous value is null when last month has no frozen evaluation.
/// </summary>
public sealed record BulletinHeadline(string Key, int? Count, Ratio? Rate, int? PreviousCount, Ratio? PreviousRate)
{
    public bool IsRate => Rate is not null;

    /// <summary>A count's change, or a rate's change in percentage points; null when either month has no value.</summary>
    public double? Change => IsRate
        ? Rate!.Value is { } now && PreviousRate?.Value is { } before ? Math.Round((now - before) * 100, 1) : null
        : Count is { } count && PreviousCount is { } previous ? count - previous : null;
}

/// <summary>Why a case is in the bulletin's case lists (its reasons, as keys named in the web's resources).</summary>
public static class BulletinCaseReasons
{
    public const string Supervised = "supervised";
    public const string Overdue = "overdue";
    public const string Reworked = "reworked";
    public const string Whistled = "whistled";
    public const string Reopened = "reopened";
    public const string Urgent = "urgent";

    /// <summary>
    /// The weights of a notable case (重点案件): supervised 3; whistle, rework, reopening after dissatisfaction and overdue at
    /// the month's end 2 each; urgent or emergency priority 1. The notable cases are the <see cref="BulletinService.NotableCases"/>
    /// with most points (ties: reported first).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> Points = new Dictionary<string, int>
    {
        [Supervised] = 3,
        [Whistled] = 2,
        [Reworked] = 2,
        [Reopened] = 2,
        [Overdue] = 2,
        [Urgent] = 1,
    };
}

/// <summary>One case as the bulletin lists it, as it stood at the month's end.</summary>
public sealed record BulletinCase(
    int CaseId,
    string Number,
    string Category,
    string Community,
    string Grid,
    string Address,
    string? Department,
    CaseState StateAtEnd,
    DateTimeOffset ReportedAt,
    DateTimeOffset? DueAtEnd,
    IReadOnlyList<string> Reasons,
    int Points);

/// <summary>A list of cases: the first rows and how many there are in all.</summary>
public sealed record BulletinCaseList(int Total, IReadOnlyList<BulletinCase> Cases);

/// <summary>A community or grid with its rank (null: nothing due, not ranked) and the evaluation's figures.</summary>
public sealed record BulletinArea(int? Rank, AreaResult Area);

/// <summary>
/// What a bulletin says, generated once from the month's frozen evaluation (and last month's, for the changes) and the
/// month's cases; stored with the bulletin so that an issued bulletin never changes.
/// </summary>
/// <param name="PreviousMonth">Last month when its evaluation is frozen, else null (no changes shown).</param>
/// <param name="WorkersScored">How many grid workers had a score; <see cref="Workers"/> holds the best of them.</param>
public sealed record BulletinContent(
    DateOnly Month,
    DateTimeOffset AsOf,
    long SnapshotId,
    DateOnly? PreviousMonth,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<BulletinHeadline> Headlines,
    int WorkersScored,
    IReadOnlyList<WorkerResult> Workers,
    IReadOnlyList<DepartmentResult> Departments,
    IReadOnlyList<BulletinArea> Communities,
    IReadOnlyList<BulletinArea> Grids,
    AreaResult Street,
    BulletinCaseList Overdue,
    BulletinCaseList Supervised,
    BulletinCaseList Notable);
