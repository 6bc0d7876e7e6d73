using System.Security.Cryptography;
using System.Text;
using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Application.Patrols;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Residents;

/// <summary>A category as a resident reads it: the plain-language name, under its major class.</summary>
public sealed record ResidentCategory(int Id, string Name, string Group);

/// <summary>What a resident typed on the phone page; the phone comes from the confirmed session, never from the form.</summary>
public sealed record ResidentReportRequest(
    int CategoryId,
    string? Description,
    double? Longitude,
    double? Latitude,
    string? Address,
    string? Name,
    IReadOnlyList<EvidenceUpload> Photos,
    Guid SubmissionId);

/// <summary>What became of a report: a case (its number), or held for review.</summary>
public sealed record ResidentReportOutcome(string? CaseNumber, long? HeldReportId)
{
    public bool Held => HeldReportId is not null;
}

/// <summary>
/// A resident's own report (居民上报) from the public phone page. It enters the workflow only through
/// <see cref="CaseWorkflowService.ReportAsync"/> (source <see cref="CaseSource.Resident"/>, grid resolved from the point),
/// with a submission key derived from the confirmed phone and the form's id (a replay answers with the first case; the
/// same form id from another phone is another key). The abuse limits, per China day: beyond
/// <see cref="ResidentOptions.ReportsPerPhonePerDay"/> a phone's reports wait in the review queue (<see cref="HeldReports"/>);
/// beyond <see cref="ResidentOptions.MaxReportsPerPhonePerDay"/> per phone or <see cref="ResidentOptions.ReportsPerAddressPerDay"/>
/// per client address they are refused. Photos get the staff uploads' checks (the evidence store).
/// </summary>
public sealed partial class ResidentReports(
    IGridGovDbContext db,
    CaseWorkflowService workflow,
    ISpatialQueries spatial,
    IEvidenceStore evidence,
    IOptions<ResidentOptions> options,
    TimeProvider clock,
    ILogger<ResidentReports> logger)
{
    public const int MaxPhotos = 9;
    public const string DefaultName = "居民";

    public async Task<IReadOnlyList<ResidentCategory>> CategoriesAsync(CancellationToken cancellationToken = default) =>
        await db.Categories.AsNoTracking().Where(c => c.IsActive)
            .OrderBy(c => c.Major!.Code).ThenBy(c => c.Code)
            .Select(c => new ResidentCategory(c.Id, c.ResidentName ?? c.Name, c.Major!.Name))
            .ToListAsync(cancellationToken);

    /// <summary>The key a resident's form id becomes: scoped to the confirmed phone and the purpose.</summary>
    public static Guid SubmissionKey(string phone, Guid formId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{SubmissionPurpose.ResidentReport}:{phone}:{formId:N}")).AsSpan(0, 16));

    public async Task<ResidentReportOutcome> SubmitAsync(string phone, ResidentReportRequest request, string clientAddress, CancellationToken cancellationToken = default)
    {
        phone = Phone.Require(phone, DomainFields.ResidentPhone);
        var key = SubmissionKey(phone, request.SubmissionId);
        if (await FirstOutcomeAsync(key, cancellationToken) is { } first)
        {
            return first;
        }
        if (request.CategoryId <= 0)
        {
            throw DomainException.For(DomainFields.Category, "resident.category-required", "请选择问题类型");
        }
        var (longitude, latitude) = RequirePoint(request.Longitude, request.Latitude);
        var description = Text.Require(request.Description, Case.DescriptionMaxLength, DomainFields.Description);
        var name = Text.Optional(request.Name, Case.NameMaxLength, DomainFields.ReporterName) ?? DefaultName;
        if (request.Photos.Count > MaxPhotos)
        {
            throw DomainException.For(DomainFields.Photos, "evidence.too-many", "一次最多上传9张照片");
        }
        var address = Text.Optional(request.Address, Case.AddressMaxLength, DomainFields.Address)
            ?? await PlaceNameAsync(longitude, latitude, cancellationToken);
        if (!await db.Categories.AnyAsync(c => c.Id == request.CategoryId && c.IsActive, cancellationToken))
        {
            throw DomainException.For(DomainFields.Category, "category.not-found", "案件类别不存在或已停用");
        }

        var now = clock.GetUtcNow();
        try
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            await db.LockAsync("resident-report:" + phone, cancellationToken); // one phone's reports are counted one at a time
            var dayStart = ResidentCodes.ChinaDayStart(now);
            var byPhone = await db.ResidentReportRecords.CountAsync(r => r.Phone == phone && r.At >= dayStart, cancellationToken);
            if (byPhone >= options.Value.MaxReportsPerPhonePerDay)
            {
                throw new DomainException("resident.report-phone-cap", "该手机号今天上报的问题已达上限，请明天再报；紧急情况请拨打110或12345");
            }
            var byAddress = await db.ResidentReportRecords.CountAsync(r => r.ClientAddress == clientAddress && r.At >= dayStart, cancellationToken);
            if (byAddress >= options.Value.ReportsPerAddressPerDay)
            {
                LogAddressCapped(clientAddress);
                throw new DomainException("resident.report-address-cap", "当前网络今天上报的问题已达上限，请明天再报；紧急情况请拨打110或12345");
            }

            ResidentReportOutcome outcome;
            if (byPhone >= options.Value.ReportsPerPhonePerDay)
            {
                var where = await spatial.ResolveGridAsync(Locations.Point(longitude, latitude), cancellationToken);
                if (where is not GridLocation.InGrid)
                {
                    throw DomainException.For(DomainFields.Location, "case.outside-street", "上报位置不在本街道范围内，请在地图上重新选择");
                }
                var stored = new List<CaseEvidence>();
                foreach (var photo in request.Photos)
                {
                    stored.Add(await evidence.StoreAsync(photo, cancellationToken));
                }
                var held = new HeldReport(phone, request.CategoryId, description, Locations.Point(longitude, latitude), address, stored, key, clientAddress, now);
                db.HeldReports.Add(held);
                await db.SaveChangesAsync(cancellationToken);
                db.ResidentReportRecords.Add(new ResidentReportRecord(phone, clientAddress, now, null, held.Id));
                outcome = new ResidentReportOutcome(null, held.Id);
                LogHeld(ResidentCodes.Mask(phone), held.Id, byPhone + 1);
            }
            else
            {
                // The workflow joins the transaction open here, so the count and the case commit together.
                var @case = await workflow.ReportAsync(new ReportCase(request.CategoryId, description, longitude, latitude, address, CaseSource.Resident,
                    CasePriority.Normal, name, phone, request.Photos, key, SubmissionPurpose.ResidentReport), CaseActor.Public(name), cancellationToken);
                db.ResidentReportRecords.Add(new ResidentReportRecord(phone, clientAddress, now, @case.Number, null));
                outcome = new ResidentReportOutcome(@case.Number, null);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        }
        catch (DbUpdateException)
        {
            // The same form posted twice at once: the key's unique index let one through; answer with it.
            if (await FirstOutcomeAsync(key, CancellationToken.None) is { } concurrent)
            {
                return concurrent;
            }
            throw;
        }
    }

    /// <summary>What an earlier post of the same form (same phone) made.</summary>
    private async Task<ResidentReportOutcome?> FirstOutcomeAsync(Guid key, CancellationToken cancellationToken)
    {
        var number = await db.Cases.AsNoTracking().Where(c => c.SubmissionPurpose == SubmissionPurpose.ResidentReport && c.SubmissionId == key)
            .Select(c => c.Number).FirstOrDefaultAsync(cancellationToken);
        if (number is not null)
        {
            return new ResidentReportOutcome(number, null);
        }
        var held = await db.HeldReports.AsNoTracking().Where(h => h.SubmissionId == key).Select(h => new { h.Id, h.CaseNumber }).FirstOrDefaultAsync(cancellationToken);
        return held is null ? null : new ResidentReportOutcome(held.CaseNumber, held.CaseNumber is null ? held.Id : null);
    }

    private static (double Longitude, double Latitude) RequirePoint(double? longitude, double? latitude)
    {
        if (longitude is not { } x || latitude is not { } y)
        {
            throw DomainException.For(DomainFields.Location, "resident.point-required", "请在地图上点选问题位置，或使用“我的位置”");
        }
        if (!double.IsFinite(x) || !double.IsFinite(y) || x is < -180 or > 180 || y is < -90 or > 90)
        {
            throw DomainException.For(DomainFields.Location, "location.invalid", "位置坐标无效");
        }
        return (x, y);
    }

    /// <summary>A place name for a report without an address: the community and grid the point lies in.</summary>
    private async Task<string> PlaceNameAsync(double longitude, double latitude, CancellationToken cancellationToken) =>
        await spatial.ResolveGridAsync(Locations.Point(longitude, latitude), cancellationToken) switch
        {
            GridLocation.InGrid grid => $"{grid.GridName}（居民地图标注）",
            _ => throw DomainException.For(DomainFields.Location, "case.outside-street", "上报位置不在本街道范围内，请在地图上重新选择"),
        };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report of {Phone} held for review as {HeldReportId}: report {Count} of the day")]
    private partial void LogHeld(string phone, long heldReportId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resident reports refused for client address {ClientAddress}: daily cap reached")]
    private partial void LogAddressCapped(string clientAddress);
}
