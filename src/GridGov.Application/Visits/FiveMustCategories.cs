using GridGov.Domain.Visits;

namespace GridGov.Application.Visits;

/// <summary>
/// Which case categories call for a 五必到 visit to the household at the case's address, by the codes of
/// the default taxonomy (ReferenceData): one minor class, else its major class.
/// </summary>
public static class FiveMustCategories
{
    private static readonly Dictionary<string, FiveMustReason> ByCategory = new(StringComparer.Ordinal)
    {
        ["1001"] = FiveMustReason.NeighbourDispute,  // 邻里纠纷
        ["1002"] = FiveMustReason.FamilyCrisis,      // 家庭纠纷
        ["1401"] = FiveMustReason.SuddenHardship,    // 困难救助
    };

    private static readonly Dictionary<string, FiveMustReason> ByMajor = new(StringComparer.Ordinal)
    {
        ["09"] = FiveMustReason.CommunityEmergency,  // 突发事件
        ["13"] = FiveMustReason.PublicSecurity,      // 治安
    };

    public static FiveMustReason? ReasonFor(string categoryCode, string majorCode) =>
        ByCategory.TryGetValue(categoryCode, out var reason) ? reason
        : ByMajor.TryGetValue(majorCode, out var byMajor) ? byMajor
        : null;
}
