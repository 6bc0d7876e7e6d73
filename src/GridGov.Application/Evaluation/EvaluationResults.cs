using GridGov.Domain.Organisation;

namespace GridGov.Application.Evaluation;

/// <summary>A rate as numerator ÷ denominator; no value when the denominator is zero (nothing was due).</summary>
public sealed record Ratio(int Numerator, int Denominator)
{
    public static Ratio Zero { get; } = new(0, 0);

    public double? Value => Denominator == 0 ? null : (double)Numerator / Denominator;

    public static Ratio operator +(Ratio a, Ratio b) => new(a.Numerator + b.Numerator, a.Denominator + b.Denominator);
}

/// <summary>A subject's score, grade (A–E) and rank among the subjects of its kind (1 = best; equal scores share a rank).</summary>
public sealed record Score(decimal Value, char Grade, int Rank);

/// <summary>A grid worker's (patroller's) month: the four rates (四率) and the work behind them.</summary>
/// <param name="GridCodes">The grids the person serves in (as worker or leader).</param>
/// <param name="HasQuota">Whether the monthly visit quota applies (grid workers, not grid leaders).</param>
public sealed record WorkerResult(
    int StaffMemberId,
    string Name,
    StaffRole Role,
    int CommunityId,
    IReadOnlyList<string> GridCodes,
    Ratio TimelyDiscovery,
    Ratio AccurateDiscovery,
    Ratio DiscoveryCoverage,
    Ratio TimelyVerification,
    Ratio MissedReports,
    Ratio FiveMustOnTime,
    bool HasQuota,
    int HouseholdsVisited,
    int Visits,
    int OverdueHouseholds,
    int FullCoverageDays,
    int Reports,
    Score? Score);

/// <summary>
/// A department's month (<see cref="DepartmentId"/> null: cases handled locally by grid staff, 社区指派).
/// </summary>
public sealed record DepartmentResult(
    int? DepartmentId,
    string Name,
    Ratio OnTimeClosure,
    Ratio Closure,
    Ratio Rework,
    Ratio Return,
    Ratio WhistleOnTime,
    double? WhistleMedianMinutes,
    int Supervised,
    int ExtensionsRequested,
    int ExtensionsApproved,
    int Dissatisfied,
    int Reopened,
    Score? Score);

/// <summary>A dispatcher's or registrar's month (座席员、社区书记).</summary>
public sealed record DispatcherResult(
    int StaffMemberId,
    string Name,
    StaffRole Role,
    int? CommunityId,
    Ratio OnTimeDispatch,
    Ratio AccurateDispatch,
    Ratio OnTimeRegistration,
    Ratio AccurateRegistration);

public enum AreaLevel
{
    Street,
    Community,
    Grid,
}

/// <summary>A count of cases under one name (a source or a major class).</summary>
public sealed record NamedCount(string Key, string Name, int Count);

/// <summary>A grid's, a community's or the street's month. Communities and the street are sums of their grids.</summary>
/// <param name="Key">The grid's code, the community's id, or "street".</param>
/// <param name="ParentKey">The community's id for a grid, "street" for a community.</param>
public sealed record AreaResult(
    AreaLevel Level,
    string Key,
    string Name,
    string? ParentKey,
    int Reported,
    int Registered,
    IReadOnlyList<NamedCount> BySource,
    IReadOnlyList<NamedCount> ByCategory,
    int OpenAtEnd,
    int OverdueAtEnd,
    Ratio OnTimeClosure,
    Ratio Closure,
    int HouseholdsVisited,
    int Visits,
    Ratio QuotaMet,
    int FullCoverageDays,
    Ratio HazardsFixed);

/// <summary>Everything the evaluation knows about one China-time month.</summary>
/// <param name="AsOf">The moment the figures stand at: the month's end for a closed month, the computation time for the running one.</param>
public sealed record EvaluationResults(
    DateOnly Month,
    DateTimeOffset AsOf,
    IReadOnlyList<WorkerResult> Workers,
    IReadOnlyList<DepartmentResult> Departments,
    IReadOnlyList<DispatcherResult> Dispatchers,
    IReadOnlyList<AreaResult> Areas)
{
    public static EvaluationResults Empty(DateOnly month, DateTimeOffset asOf) => new(month, asOf, [], [], [], []);
}
