using GridGov.Domain.Common;

namespace GridGov.Domain.Evaluation;

/// <summary>One figure's share of a monthly score, in points out of 100.</summary>
public sealed record FigureWeight(string Figure, decimal Points);

/// <summary>Lowest scores of grades A–D; anything below <see cref="D"/> is E.</summary>
public sealed record GradeBounds(decimal A, decimal B, decimal C, decimal D)
{
    public static GradeBounds Default { get; } = new(90, 75, 60, 40);

    public char GradeOf(decimal score) => score >= A ? 'A' : score >= B ? 'B' : score >= C ? 'C' : score >= D ? 'D' : 'E';
}

/// <summary>
/// How a month's figures become scores and grades (考核权重): the weights of the grid workers' and departments' figures
/// and the grade bounds. A scheme is in force from its first month until the next one's; a month is always scored with
/// the scheme in force in that month.
/// </summary>
public sealed record ScoringRules(IReadOnlyList<FigureWeight> Worker, IReadOnlyList<FigureWeight> Department, GradeBounds Grades)
{
    /// <summary>
    /// The default of domain.md §7 for grid workers (a real system's supervisor score: valid reports 40, missed reports
    /// 20, on-time verification 20, on-time check 20) and, for departments, one the street office can change.
    /// </summary>
    public static ScoringRules Default { get; } = new(
        [
            new(EvaluationFigures.AccurateDiscovery, 40),
            new(EvaluationFigures.MissedReports, 20),
            new(EvaluationFigures.TimelyVerification, 20),
            new(EvaluationFigures.TimelyDiscovery, 20),
        ],
        [
            new(EvaluationFigures.OnTimeClosure, 40),
            new(EvaluationFigures.Closure, 20),
            new(EvaluationFigures.Rework, 15),
            new(EvaluationFigures.Return, 10),
            new(EvaluationFigures.WhistleOnTime, 15),
        ],
        GradeBounds.Default);

    public bool Equals(ScoringRules? other) =>
        other is not null && Worker.SequenceEqual(other.Worker) && Department.SequenceEqual(other.Department) && Grades == other.Grades;

    public override int GetHashCode() => HashCode.Combine(Worker.Count, Department.Count, Grades);

    /// <summary>Throws a domain error, in Chinese, when the rules cannot score a month.</summary>
    public ScoringRules Validated()
    {
        Check(Worker, EvaluationFigures.WorkerScored, DomainFields.WorkerWeights);
        Check(Department, EvaluationFigures.DepartmentScored, DomainFields.DepartmentWeights);
        if (!(Grades.A <= 100 && Grades.A > Grades.B && Grades.B > Grades.C && Grades.C > Grades.D && Grades.D > 0))
        {
            throw new DomainException("evaluation.grades", "等次分数线须满足 100 ≥ A > B > C > D > 0");
        }
        return this;
    }

    private static void Check(IReadOnlyList<FigureWeight> weights, IReadOnlySet<string> allowed, DomainField whose)
    {
        if (weights.Any(w => !allowed.Contains(w.Figure)) || weights.Select(w => w.Figure).Distinct().Count() != weights.Count)
        {
            throw new DomainException("evaluation.weight-figure", $"{whose.Label}权重中有未知或重复的指标") { Field = whose.Name, Arguments = [whose] };
        }
        if (weights.Any(w => w.Points < 0 || w.Points > 100 || decimal.Round(w.Points, 1) != w.Points))
        {
            throw new DomainException("evaluation.weight-range", $"{whose.Label}各项权重须在0到100之间，最多一位小数") { Field = whose.Name, Arguments = [whose] };
        }
        if (weights.Sum(w => w.Points) != 100)
        {
            throw new DomainException("evaluation.weight-sum", $"{whose.Label}各项权重之和须为100，现为{weights.Sum(w => w.Points):0.#}") { Field = whose.Name, Arguments = [whose, weights.Sum(w => w.Points)] };
        }
    }

    /// <summary>A subject is scored only when figures worth at least this many points had something due in the month.</summary>
    public const decimal MinimumScoredPoints = 50;

    /// <summary>
    /// The score (0–100) of one subject: each weighted figure's rate (a "lower is better" rate counts as 1 − rate) times
    /// its points. A figure with no denominator this month does not count, and the others are scaled up to 100; a
    /// subject whose figures with a denominator are worth less than <see cref="MinimumScoredPoints"/> has no score
    /// (too little to judge: early in a month, or a person with nothing due).
    /// </summary>
    public static decimal? Score(IReadOnlyList<FigureWeight> weights, Func<string, double?> rateOf)
    {
        decimal points = 0, earned = 0;
        foreach (var weight in weights)
        {
            if (rateOf(weight.Figure) is not { } rate)
            {
                continue;
            }
            var good = EvaluationFigures.LowerIsBetter.Contains(weight.Figure) ? 1 - rate : rate;
            points += weight.Points;
            earned += weight.Points * (decimal)Math.Clamp(good, 0, 1);
        }
        return points < MinimumScoredPoints ? null : decimal.Round(earned * 100 / points, 1);
    }
}

/// <summary>The keys of every evaluation figure: stable, stored in snapshots and weights, named in resources.</summary>
public static class EvaluationFigures
{
    // Grid workers (四率 and their work)
    public const string TimelyDiscovery = "timely-discovery";
    public const string AccurateDiscovery = "accurate-discovery";
    public const string DiscoveryCoverage = "discovery-coverage";
    public const string TimelyVerification = "timely-verification";
    public const string MissedReports = "missed-reports";
    public const string FiveMustOnTime = "five-must-on-time";

    // Departments
    public const string OnTimeClosure = "on-time-closure";
    public const string Closure = "closure";
    public const string Rework = "rework";
    public const string Return = "return";
    public const string WhistleOnTime = "whistle-on-time";

    // Dispatchers and registrars
    public const string OnTimeDispatch = "on-time-dispatch";
    public const string AccurateDispatch = "accurate-dispatch";
    public const string OnTimeRegistration = "on-time-registration";
    public const string AccurateRegistration = "accurate-registration";

    // Grids, communities, the street
    public const string QuotaMet = "quota-met";
    public const string HazardsFixed = "hazards-fixed";

    /// <summary>The grid workers' figures a weight may be put on, in the order they are shown.</summary>
    public static IReadOnlyList<string> WorkerScoredInOrder { get; } =
        [TimelyDiscovery, AccurateDiscovery, DiscoveryCoverage, TimelyVerification, MissedReports, FiveMustOnTime];

    /// <summary>The departments' figures a weight may be put on, in the order they are shown.</summary>
    public static IReadOnlyList<string> DepartmentScoredInOrder { get; } = [OnTimeClosure, Closure, Rework, Return, WhistleOnTime];

    public static IReadOnlySet<string> WorkerScored { get; } = new HashSet<string>(WorkerScoredInOrder);

    public static IReadOnlySet<string> DepartmentScored { get; } = new HashSet<string>(DepartmentScoredInOrder);

    /// <summary>Rates where less is better: a score counts 1 − rate.</summary>
    public static IReadOnlySet<string> LowerIsBetter { get; } = new HashSet<string> { MissedReports, Rework, Return };
}
