using GridGov.Application.Grids;

namespace GridGov.Web.Endpoints;

public static class MapEndpoints
{
    public static IEndpointRouteBuilder MapMapEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/map/grids", async (ISpatialQueries spatial, CancellationToken cancellationToken) =>
                Results.Text(await spatial.GridsGeoJsonAsync(cancellationToken), "application/geo+json; charset=utf-8"))
            .RequireAuthorization()
            .WithName("GridsGeoJson");
        return endpoints;
    }
}
