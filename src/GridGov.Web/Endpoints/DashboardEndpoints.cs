using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GridGov.Application.Dashboard;
using GridGov.Web.Components.Pages.Dashboard;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The dashboard's data for other clients: open cases as GeoJSON and the chart data. The interactive page itself reads
/// through PageData and is pushed fresh data when a case changes; nothing polls these.
/// </summary>
public sealed class DashboardEndpoints : IEndpointModule
{
    // Chinese stays readable in the JSON; HTML-sensitive characters are still escaped.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DashboardLinks.CasesGeoJson, async (DashboardQueries queries, IStringLocalizer<DomainNamesResource> names, HttpContext http, ILogger<DashboardEndpoints> logger, CancellationToken cancellationToken) =>
            {
                NoStore(http);
                var markers = await queries.MarkersAsync(cancellationToken);
                if (markers.Truncated)
                {
                    logger.LogWarning("Dashboard map: more than {MaxMarkers} open cases, only the most urgent are drawn", DashboardQueries.MaxMarkers);
                }
                return Results.Json(DashboardGeoJson.FeatureCollection(markers, names), Json, "application/geo+json; charset=utf-8");
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
}
