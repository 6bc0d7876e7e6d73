using GridGov.Domain.Evaluation;

namespace GridGov.Application.Evaluation;

/// <summary>Who a figure is about.</summary>
public enum EvaluationSubject
{
    Worker,
    Department,
    Dispatcher,
    Area,
}

/// <summary>
/// A figure the evaluation shows with its definition. The definition's words (name, numerator, denominator, note) are the
/// web's resources (EvaluationResource, Chinese and English), keyed by <see cref="Key"/>; how it is counted is
/// <see cref="IEvaluationSql"/>.
/// </summary>
public sealed record FigureDefinition(string Key, EvaluationSubject Subject)
{
    public bool LowerIsBetter => EvaluationFigures.LowerIsBetter.Contains(Key);
}

/// <summary>
/// Every evaluation figure (domain.md §7). Where the sources give no formula (timely discovery, discovery coverage,
/// missed reports) the definition is GridGov's own and its words say so. A snapshot records
/// <see cref="Version"/>: when a definition changes, the version changes, and closed months keep the one they used.
/// </summary>
public static class EvaluationDefinitions
{
    public const string Version = "2026-12.1";

    /// <summary>A report made this long after the end of the reporter's own patrol of the grid still counts as found in time.</summary>
    public static readonly TimeSpan DiscoveryGrace = TimeSpan.FromHours(2);

    /// <summary>The major class whose cases are the hazards (安全隐患) found and fixed.</summary>
    public const string HazardMajorName = "安全隐患";

    public static IReadOnlyList<FigureDefinition> All { get; } =
    [
        new(EvaluationFigures.TimelyDiscovery, EvaluationSubject.Worker),
        new(EvaluationFigures.AccurateDiscovery, EvaluationSubject.Worker),
        new(EvaluationFigures.DiscoveryCoverage, EvaluationSubject.Worker),
        new(EvaluationFigures.TimelyVerification, EvaluationSubject.Worker),
        new(EvaluationFigures.MissedReports, EvaluationSubject.Worker),
        new(EvaluationFigures.FiveMustOnTime, EvaluationSubject.Worker),
        new(EvaluationFigures.OnTimeClosure, EvaluationSubject.Department),
        new(EvaluationFigures.Closure, EvaluationSubject.Department),
        new(EvaluationFigures.Rework, EvaluationSubject.Department),
        new(EvaluationFigures.Return, EvaluationSubject.Department),
        new(EvaluationFigures.WhistleOnTime, EvaluationSubject.Department),
        new(EvaluationFigures.OnTimeDispatch, EvaluationSubject.Dispatcher),
        new(EvaluationFigures.AccurateDispatch, EvaluationSubject.Dispatcher),
        new(EvaluationFigures.OnTimeRegistration, EvaluationSubject.Dispatcher),
        new(EvaluationFigures.AccurateRegistration, EvaluationSubject.Dispatcher),
        new(EvaluationFigures.QuotaMet, EvaluationSubject.Area),
        new(EvaluationFigures.HazardsFixed, EvaluationSubject.Area),
    ];

    private static readonly Dictionary<string, FigureDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static FigureDefinition Of(string key) => ByKey[key];

    public static bool TryGet(string key, out FigureDefinition definition) => ByKey.TryGetValue(key, out definition!);
}
