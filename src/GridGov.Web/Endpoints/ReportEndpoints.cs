using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Domain.Common;
using GridGov.Web.Components.Pages.Cases;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace GridGov.Web.Endpoints;

/// <summary>
/// The live parts of the report page (问题上报): which grid a clicked point falls in, and possible
/// duplicates nearby. htmx sends the form's own field names (Input.*), so the query names match them.
/// </summary>
public sealed class ReportEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        var report = endpoints.MapGroup("/cases/report").RequireAuthorization(Policies.Report);

        report.MapGet("/where", async (
                [FromQuery(Name = "Input.Longitude")] string? longitude,
                [FromQuery(Name = "Input.Latitude")] string? latitude,
                ISpatialQueries spatial,
                CancellationToken cancellationToken) =>
            {
                GridLocation? location = null;
                if (PointOf(longitude, latitude) is { } point)
                {
                    try
                    {
                        location = await spatial.ResolveGridAsync(point, cancellationToken);
                    }
                    catch (DomainException)
                    {
                        location = new GridLocation.OutsideStreet(); // not a coordinate on Earth
                    }
                }
                return Fragment<ReportCaseWhere>(new Dictionary<string, object?> { [nameof(ReportCaseWhere.Location)] = location });
            })
            .WithName("ReportWhere");

        report.MapGet("/duplicates", async (
                [FromQuery(Name = "Input.CategoryId")] string? categoryId,
                [FromQuery(Name = "Input.Longitude")] string? longitude,
                [FromQuery(Name = "Input.Latitude")] string? latitude,
                [FromQuery(Name = "Input.AttachTo")] string? attachTo,
                CaseQueries cases,
                CurrentStaff staff,
                ILoggerFactory loggers,
                CancellationToken cancellationToken) =>
            {
                PossibleDuplicates? nearby = null;
                if (int.TryParse(categoryId, NumberStyles.None, CultureInfo.InvariantCulture, out var category)
                    && PointOf(longitude, latitude) is { } point)
                {
                    try
                    {
                        nearby = await cases.PossibleDuplicatesAsync(category, point.X, point.Y, await staff.ActorAsync(cancellationToken), cancellationToken);
                    }
                    catch (DomainException exception)
                    {
                        loggers.CreateLogger<ReportEndpoints>().LogInformation("No duplicates for category {CategoryId}: {Reason}", category, exception.Message);
                    }
                }
                return Fragment<ReportCaseDuplicates>(new Dictionary<string, object?>
                {
                    [nameof(ReportCaseDuplicates.Duplicates)] = nearby,
                    [nameof(ReportCaseDuplicates.Selected)] = attachTo,
                });
            })
            .WithName("ReportDuplicates");
    }

    private static RazorComponentResult<TComponent> Fragment<TComponent>(IReadOnlyDictionary<string, object?> parameters)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        return new RazorComponentResult<TComponent>(parameters);
    }

    private static NetTopologySuite.Geometries.Point? PointOf(string? longitude, string? latitude) =>
        double.TryParse(longitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
        && double.TryParse(latitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && double.IsFinite(y)
            ? Locations.Point(x, y)
            : null;
}
