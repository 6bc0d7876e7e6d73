using System.Text.Json;
using GridGov.Application.Grids;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using NetTopologySuite.Geometries;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The grids a directory search found, as GeoJSON for grid-map.js (same properties as <c>/api/map/grids</c>),
/// so the map beside a filtered list shows just those grids.
/// </summary>
public sealed class GridDirectoryEndpoints : IEndpointModule
{
    public const string GeoJsonPath = "/api/grids/directory.geojson";

    public static string GeoJsonUrl(string? search, string? communityCode)
    {
        var query = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(search))
        {
            query["q"] = search.Trim();
        }
        if (!string.IsNullOrWhiteSpace(communityCode))
        {
            query["community"] = communityCode.Trim();
        }
        return QueryHelpers.AddQueryString(GeoJsonPath, query);
    }

    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(GeoJsonPath, async (string? q, string? community, GridDirectoryQuery directory, IStringLocalizer<DomainNamesResource> names, CancellationToken cancellationToken) =>
            {
                var found = await directory.SearchAsync(q, community, withBoundaries: true, cancellationToken);
                return Results.Bytes(Write(found.Grids, names), "application/geo+json; charset=utf-8");
            })
            .RequireAuthorization(Policies.Staff)
            .WithName("GridDirectoryGeoJson");

    internal static byte[] Write(IReadOnlyList<DirectoryGrid> grids, IStringLocalizer<DomainNamesResource> names)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var grid in grids.Where(g => g.Boundary is not null))
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WritePropertyName("geometry");
                WritePolygon(json, grid.Boundary!);
                json.WriteStartObject("properties");
                json.WriteString("code", grid.Code);
                json.WriteString("name", grid.Name);
                json.WriteString("communityCode", grid.CommunityCode);
                json.WriteString("communityName", grid.CommunityName);
                json.WriteNumber("colorIndex", grid.ColorIndex);
                if (grid.Leader is { } leader)
                {
                    json.WriteStartObject("leader");
                    json.WriteString("name", leader.Name);
                    json.WriteString("phone", leader.Phone);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("leader");
                }
                json.WriteStartArray("workers");
                foreach (var worker in grid.Workers)
                {
                    json.WriteStartObject();
                    json.WriteString("name", worker.Name);
                    json.WriteString("phone", worker.Phone);
                    json.WriteString("duty", names.Of(worker.Duty));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WritePolygon(Utf8JsonWriter json, Polygon polygon)
    {
        json.WriteStartObject();
        json.WriteString("type", "Polygon");
        json.WriteStartArray("coordinates");
        foreach (var ring in new[] { polygon.Shell }.Concat(polygon.Holes))
        {
            json.WriteStartArray();
            foreach (var coordinate in ring.Coordinates)
            {
                json.WriteStartArray();
                json.WriteNumberValue(Math.Round(coordinate.X, 6));
                json.WriteNumberValue(Math.Round(coordinate.Y, 6));
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
