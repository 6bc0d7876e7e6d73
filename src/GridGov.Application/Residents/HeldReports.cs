using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Residents;

/// <summary>One held report as the review queue lists it (the phone masked).</summary>
public sealed record HeldReportRow(
    long Id,
    string MaskedPhone,
    string Category,
    string Description,
    string Address,
    double Longitude,
    double Latitude,
    IReadOnlyList<string> PhotoHashes,
    DateTimeOffset HeldAt,
    int ReportsThatDay,
    HeldReportState State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? RefusalReason,
    string? CaseNumber);

/// <summary>
/// The review queue (待审核上报) of reports held because their phone flooded: dispatchers (and administrators) list them,
/// release one into the workflow (a case through <see cref="CaseWorkflowService.ReportAsync"/>, as if just reported, in the
/// same transaction as the decision) or refuse it with a reason. Two people deciding the same report: one wins, the other is told.
/// </summary>
public sealed partial class HeldReports(IGridGovDbContext db, CaseWorkflowService workflow, IEvidenceStore evidence, TimeProvider clock, ILogger<HeldReports> logger)
{
    public static readonly IReadOnlySet<StaffRole> Roles = new HashSet<StaffRole> { StaffRole.Dispatcher, StaffRole.Administrator };

    public async Task<IReadOnlyList<HeldReportRow>> ListAsync(CaseActor actor, bool waitingOnly, CancellationToken cancellationToken = default)
    {
        RequireRole(actor);
        var query = db.HeldReports.AsNoTracking().Where(h => !waitingOnly || h.State == HeldReportState.Waiting);
        var rows = await query
            .OrderBy(h => h.State).ThenByDescending(h => h.HeldAt).Take(200)
            .Select(h => new
            {
                h.Id, h.Phone, Category = db.Categories.Where(c => c.Id == h.CategoryId).Select(c => c.Name).FirstOrDefault(),
                h.Description, h.Address, h.Location, h.PhotoHashes, h.HeldAt, h.State, h.DecidedByName, h.DecidedAt, h.RefusalReason, h.CaseNumber,
            })
            .ToListAsync(cancellationToken);
        // How many reports each phone sent on the held report's day, in one query for the page.
        var phones = rows.Select(r => r.Phone).Distinct().ToList();
        var since = rows.Count == 0 ? DateTimeOffset.MaxValue : rows.Min(r => ResidentCodes.ChinaDayStart(r.HeldAt));
        var records = await db.ResidentReportRecords.AsNoTracking().Where(r => phones.Contains(r.Phone) && r.At >= since)
            .Select(r => new { r.Phone, r.At }).ToListAsync(cancellationToken);
        return rows.Select(r =>
        {
            var day = ResidentCodes.ChinaDayStart(r.HeldAt);
            var count = records.Count(x => x.Phone == r.Phone && x.At >= day && x.At < day.AddDays(1));
            return new HeldReportRow(r.Id, ResidentCodes.Mask(r.Phone), r.Category ?? "", r.Description, r.Address, r.Location.X, r.Location.Y, r.PhotoHashes,
                r.HeldAt, count, r.State, r.DecidedByName, r.DecidedAt, r.RefusalReason, r.CaseNumber);
        }).ToList();
    }

    public async Task<int> WaitingCountAsync(CancellationToken cancellationToken = default) =>
        await db.HeldReports.CountAsync(h => h.State == HeldReportState.Waiting, cancellationToken);

    /// <summary>放行: the report becomes a case now; the number of the case.</summary>
    public async Task<string> ReleaseAsync(long id, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireRole(actor);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var held = await LoadAsync(id, cancellationToken);
        if (held.State != HeldReportState.Waiting)
        {
            held.Release(actor, "", clock.GetUtcNow()); // refuses: already decided
        }
        var photos = new List<EvidenceUpload>();
        try
        {
            foreach (var (hash, index) in held.PhotoHashes.Select((h, i) => (h, i)))
            {
                var stream = await evidence.OpenAsync(hash, cancellationToken)
                    ?? throw new DomainException("held.photo-missing", "该上报的照片已无法读取，请拒绝后请居民重新上报");
                photos.Add(new EvidenceUpload($"photo-{index + 1}", stream));
            }
            var name = ResidentReports.DefaultName;
            var @case = await workflow.ReportAsync(new ReportCase(held.CategoryId, held.Description, held.Location.X, held.Location.Y, held.Address,
                CaseSource.Resident, CasePriority.Normal, name, held.Phone, photos, held.SubmissionId, SubmissionPurpose.ResidentReport), CaseActor.Public(name), cancellationToken);
            held.Release(actor, @case.Number, clock.GetUtcNow());
            await SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogReleased(id, @case.Number, actor.Name);
            return @case.Number;
        }
        finally
        {
            foreach (var photo in photos)
            {
                await photo.Content.DisposeAsync();
            }
        }
    }

    /// <summary>拒绝: the report never enters the workflow; the reason is kept.</summary>
    public async Task RefuseAsync(long id, CaseActor actor, string? reason, CancellationToken cancellationToken = default)
    {
        RequireRole(actor);
        var held = await LoadAsync(id, cancellationToken);
        held.Refuse(actor, reason ?? "", clock.GetUtcNow());
        await SaveAsync(cancellationToken);
        LogRefused(id, actor.Name);
    }

    private async Task<HeldReport> LoadAsync(long id, CancellationToken cancellationToken) =>
        await db.HeldReports.SingleOrDefaultAsync(h => h.Id == id, cancellationToken)
        ?? throw new DomainException("held.not-found", "待审核的上报不存在");

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("held.decided", "该上报已处理过，请刷新后查看");
        }
    }

    private static void RequireRole(CaseActor actor)
    {
        if (actor.Role is not { } role || !Roles.Contains(role))
        {
            throw new DomainException("held.forbidden", "只有座席员或管理员可以审核居民上报");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Held report {HeldReportId} released as case {CaseNumber} by {Actor}")]
    private partial void LogReleased(long heldReportId, string caseNumber, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Held report {HeldReportId} refused by {Actor}")]
    private partial void LogRefused(long heldReportId, string actor);
}
