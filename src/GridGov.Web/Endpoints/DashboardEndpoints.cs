using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GridGov.Application.Dashboard;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Web.Components.Pages.Dashboard;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GridGov.Web.Endpoints;

/// <summary>The dashboard's live parts: the counters fragment, a grid's open cases, open cases as GeoJSON, chart data.</summary>
public sealed class DashboardEndpoints : IEndpointModule
{
    // Chinese stays readable in the JSON; HTML-sensitive characters are still escaped.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DashboardLinks.CountersFragment, async (DashboardQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            {
                NoStore(http);
                return new RazorComponentResult<CounterCards>(new Dictionary<string, object?>
                {
                    [nameof(CounterCards.Counters)] = await queries.CountersAsync(cancellationToken),
                });
            })
            .RequireAuthorization(Policies.Dispatch);

        endpoints.MapGet(DashboardLinks.GridCasesTemplate, async (string code, DashboardQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            {
                NoStore(http);
                var grid = IsGridCode(code) ? await queries.GridCasesAsync(code, cancellationToken: cancellationToken) : null;
                return new RazorComponentResult<GridCasesList>(new Dictionary<string, object?> { [nameof(GridCasesList.Grid)] = grid })
                {
                    StatusCode = grid is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK,
                };
            })
            .RequireAuthorization(Policies.Dispatch);

        endpoints.MapGet(DashboardLinks.CasesGeoJson, async (DashboardQueries queries, HttpContext http, ILogger<DashboardEndpoints> logger, CancellationToken cancellationToken) =>
            {
                NoStore(http);
                var markers = await queries.MarkersAsync(cancellationToken);
                if (markers.Truncated)
                {
                    logger.LogWarning("Dashboard map: more than {MaxMarkers} open cases, only the most urgent are drawn", DashboardQueries.MaxMarkers);
                }
                return Results.Json(ToFeatureCollection(markers), Json, "application/geo+json; charset=utf-8");
            })
            .RequireAuthorization(Policies.Dispatch);

        endpoints.MapGet(DashboardLinks.ChartsJson, async (DashboardQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            {
                NoStore(http);
                return Results.Json(await queries.ChartsAsync(cancellationToken), Json);
            })
            .RequireAuthorization(Policies.Dispatch);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static bool IsGridCode(string code) => code.Length == 15 && code.All(char.IsAsciiDigit);

    /// <summary>GeoJSON points; properties are what the marker popup shows (state in Chinese, the case's link).</summary>
    private static object ToFeatureCollection(CaseMarkers markers) => new
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
                state = m.State.ChineseName(),
                stateCode = m.State.ToString(),
                category = m.CategoryName,
                grid = m.GridCode,
                warning = m.Warning.ToString().ToLowerInvariant(),
                due = m.Due is { } due ? WorkingCalendar.ToChinaTime(due).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : null,
                supervised = m.IsSupervised,
                url = DashboardLinks.Case(m.Number),
            },
        }),
    };
}
