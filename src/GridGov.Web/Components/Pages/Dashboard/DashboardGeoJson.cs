using System.Globalization;
using GridGov.Application.Dashboard;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Components.Pages.Dashboard;

/// <summary>What the dashboard map draws: open cases as GeoJSON points, and a grid's open cases for its popup.</summary>
public static class DashboardGeoJson
{
    /// <summary>GeoJSON points; properties are what the marker popup shows (the state's name in the UI culture, the case's link).</summary>
    public static object FeatureCollection(CaseMarkers markers, IStringLocalizer<DomainNamesResource> names) => new
    {
        type = "FeatureCollection",
        truncated = markers.Truncated,
        features = markers.Cases.Select(m => new
        {
            type = "Feature",
            geometry = new { type = "Point", coordinates = new[] { Math.Round(m.Longitude, 6), Math.Round(m.Latitude, 6) } },
            properties = new
            {
                number = m.Number,
                state = names.Of(m.State),
                stateCode = m.State.ToString(),
                category = m.CategoryName,
                grid = m.GridCode,
                warning = Warning(m.Warning),
                due = Due(m.Due),
                supervised = m.IsSupervised,
                url = DashboardLinks.Case(m.Number),
            },
        }),
    };

    /// <summary>A grid's open cases as the popup lists them (null: no current grid has that code).</summary>
    public static object GridCases(GridOpenCases? grid, IStringLocalizer<DomainNamesResource> names) => grid is null
        ? new { notFound = true }
        : new
        {
            notFound = false,
            code = grid.GridCode,
            total = grid.Total,
            cases = grid.Cases.Select(row => new
            {
                number = row.Number,
                state = names.Of(row.State),
                category = row.CategoryName,
                supervised = row.IsSupervised,
                warning = Warning(row.Warning),
                due = Due(row.Due),
                url = DashboardLinks.Case(row.Number),
            }),
            allUrl = DashboardLinks.Grid(grid.GridCode),
        };

    public static bool IsGridCode(string? code) => code is { Length: 15 } && code.All(char.IsAsciiDigit);

    private static string Warning(DeadlineWarning warning) => warning.ToString().ToLowerInvariant();

    private static string? Due(DateTimeOffset? due) =>
        due is { } value ? WorkingCalendar.ToChinaTime(value).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : null;
}
