using System.Globalization;
using GridGov.Domain.Cases;

namespace GridGov.Web.Components.Pages.Dashboard;

/// <summary>
/// Where the dashboard links to: the case list filtered, and a case. The case list's query parameter
/// names (CaseSearchFilter.Names) are written here only, so a rename there is one edit here.
/// </summary>
public static class DashboardLinks
{
    public const string CaseList = "/cases";
    public const string StateParameter = "state";
    public const string WarningParameter = "warning";
    public const string SupervisedParameter = "supervised";
    public const string GridParameter = "grid";
    public const string ClosedOnParameter = "closedOn";

    /// <summary>The list of cases in any of <paramref name="states"/> (comma-separated).</summary>
    public static string States(IEnumerable<CaseState> states) =>
        $"{CaseList}?{StateParameter}={string.Join(",", states)}";

    public static string Overdue => $"{CaseList}?{WarningParameter}=red";

    /// <summary>Open supervised cases, as the counter counts them.</summary>
    public static string Supervised(IEnumerable<CaseState> openStates) => $"{States(openStates)}&{SupervisedParameter}=true";

    /// <summary>Archived on that China date.</summary>
    public static string ClosedOn(DateOnly day) =>
        $"{CaseList}?{StateParameter}={CaseState.Archived}&{ClosedOnParameter}={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string Grid(string gridCode) => $"{CaseList}?{GridParameter}={Uri.EscapeDataString(gridCode)}";

    public static string Case(string number) => $"/cases/{Uri.EscapeDataString(number)}";

    public const string CasesGeoJson = "/api/dashboard/cases";
    public const string ChartsJson = "/api/dashboard/charts";
}
