using GridGov.Application.Cases;
using GridGov.Application.Common;
using Microsoft.EntityFrameworkCore;
using GridGov.Web.Infrastructure;

namespace GridGov.Web.Endpoints;

/// <summary>Photos of cases, by content hash; cached for good since a hash never changes its bytes.</summary>
public sealed class EvidenceEndpoints : IEndpointModule
{
    public void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/evidence/{sha256}", async (string sha256, IEvidenceStore store, IGridGovDbContext db, CurrentStaff staff, CancellationToken cancellationToken) =>
            {
                // A photo is shown to those who may open one of the cases it belongs to, or the case it was merged into
                // (the surviving case lists the merged reports with their photos); anyone else gets 404.
                var actor = await staff.ActorAsync(cancellationToken);
                var visible = db.Cases.VisibleTo(actor);
                if (!await db.Cases.Where(c => c.Evidence.Any(e => e.Sha256 == sha256))
                        .AnyAsync(c => visible.Any(v => v.Id == c.Id || v.Id == c.MergedIntoCaseId), cancellationToken))
                {
                    return Results.NotFound();
                }
                var stream = await store.OpenAsync(sha256, cancellationToken);
                if (stream is null)
                {
                    return Results.NotFound();
                }
                var head = new byte[12];
                var read = await stream.ReadAsync(head, cancellationToken);
                stream.Position = 0;
                var contentType = EvidenceFiles.DetectImageType(head.AsSpan(0, read)) ?? "application/octet-stream";
                return Results.Stream(stream, contentType, enableRangeProcessing: true,
                    entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{sha256}\""));
            })
            .RequireAuthorization(Policies.Staff)
            .WithName("Evidence");
}
