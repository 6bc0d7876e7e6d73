using GridGov.Domain.Common;

namespace GridGov.Domain.Evaluation;

/// <summary>
/// The scoring rules in force from <see cref="EffectiveFrom"/> (the first day of a month) until the next rules' month.
/// Rows are only added: a month already scored keeps the rules it was scored with.
/// </summary>
public class ScoringRulesVersion
{
    private ScoringRulesVersion()
    {
        Rules = ScoringRules.Default;
    }

    public ScoringRulesVersion(DateOnly effectiveFrom, ScoringRules rules, int? changedByStaffId, DateTimeOffset changedAt)
    {
        if (effectiveFrom.Day != 1)
        {
            throw new DomainException("evaluation.rules-month", "权重生效月份必须是某月1日");
        }
        EffectiveFrom = effectiveFrom;
        Rules = rules.Validated();
        ChangedByStaffId = changedByStaffId;
        ChangedAt = changedAt;
    }

    public int Id { get; private set; }
    public DateOnly EffectiveFrom { get; private set; }
    public ScoringRules Rules { get; private set; }
    public int? ChangedByStaffId { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
}

/// <summary>
/// A closed month's evaluation, frozen (考核结果固化): the results as computed, with the definitions version and the
/// scoring rules used. Later corrections of the underlying data do not change it; an administrator's recomputation
/// adds a new snapshot and marks this one superseded, keeping it.
/// </summary>
public class EvaluationSnapshot
{
    public const int ReasonMaxLength = 500;

    private EvaluationSnapshot()
    {
        DefinitionsVersion = ResultsJson = "";
        Rules = ScoringRules.Default;
    }

    public EvaluationSnapshot(DateOnly month, string definitionsVersion, ScoringRules rules, string resultsJson, int? computedByStaffId,
        string? reason, DateTimeOffset computedAt)
    {
        if (month.Day != 1)
        {
            throw new DomainException("evaluation.month", "考核月份必须是某月1日");
        }
        Month = month;
        DefinitionsVersion = definitionsVersion;
        Rules = rules;
        ResultsJson = resultsJson;
        ComputedByStaffId = computedByStaffId;
        Reason = Text.Optional(reason, ReasonMaxLength, "重新计算原因");
        ComputedAt = computedAt;
    }

    public long Id { get; private set; }
    /// <summary>The first day of the month evaluated.</summary>
    public DateOnly Month { get; private set; }
    public DateTimeOffset ComputedAt { get; private set; }
    /// <summary>Null when the scheduled freeze computed it.</summary>
    public int? ComputedByStaffId { get; private set; }
    /// <summary>Why an administrator recomputed the month; null for the scheduled freeze.</summary>
    public string? Reason { get; private set; }
    public string DefinitionsVersion { get; private set; }
    public ScoringRules Rules { get; private set; }
    /// <summary>The month's results as JSON (the application's evaluation results).</summary>
    public string ResultsJson { get; private set; }
    public DateTimeOffset? SupersededAt { get; private set; }
    public long? SupersededBySnapshotId { get; private set; }

    public bool IsCurrent => SupersededAt is null;

    /// <summary>A recomputation replaces this snapshot; it stays stored, no longer current.</summary>
    public void Supersede(DateTimeOffset at)
    {
        if (!IsCurrent)
        {
            throw new DomainException("evaluation.superseded", "该考核结果已被重新计算的结果取代");
        }
        SupersededAt = at;
    }

    /// <summary>Links this superseded snapshot to the one that replaced it, once that one is stored.</summary>
    public void RecordSuccessor(EvaluationSnapshot next) => SupersededBySnapshotId = next.Id;
}
