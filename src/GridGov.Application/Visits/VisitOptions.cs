using GridGov.Domain.Visits;

namespace GridGov.Application.Visits;

/// <summary>Visit rules that a street may set (section "Visits"): the monthly quota and the 五必到 due time.</summary>
public sealed class VisitOptions
{
    public const string Section = "Visits";

    /// <summary>Distinct households each grid worker visits in a (China-time) month (入户走访 ≥ 20 户/月).</summary>
    public int MonthlyQuota { get; set; } = 20;

    /// <summary>Days from a 五必到 event to the visit it calls for.</summary>
    public int DemandDueDays { get; set; } = VisitDemand.DefaultDueDays;
}
