using GridGov.Application.Cases;
using GridGov.Application.Common;
using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Visits;
using GridGov.Application.Patrols;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Visits;

/// <summary>A ledger correction made on the spot (四必清): a resident's phone and group tags.</summary>
public sealed record ResidentLedgerUpdate(
    int ResidentId,
    string? NewPhone = null,
    IReadOnlyCollection<ResidentGroup>? AddGroups = null,
    IReadOnlyCollection<ResidentGroup>? RemoveGroups = null);

/// <summary>A problem found on a visit, reported as a case at the household's location.</summary>
public sealed record RaiseCaseFromVisit(int CategoryId, string Description, Guid? SubmissionId = null);

public sealed record RecordVisit(
    int HouseholdId,
    DateTimeOffset VisitedAt,
    string Findings,
    string? Companions = null,
    long? VisitDemandId = null,
    IReadOnlyList<ResidentLedgerUpdate>? LedgerUpdates = null,
    RaiseCaseFromVisit? RaiseCase = null,
    Guid? SubmissionId = null);

/// <summary>
/// Household visits (入户走访) and 五必到 demands. Visits are refused when the visitor does not serve the
/// household's grid, the household is removed, the time is in the future, or the grid's month is signed off.
/// </summary>
public sealed class VisitService(
    IGridGovDbContext db,
    CaseWorkflowService workflow,
    FiveMustDemands demands,
    TimeProvider clock,
    ILogger<VisitService> logger)
{
    public const string FrozenMessage = "该月已签署审核，不能再登记或修改走访";

    /// <summary>The refusal of a visit in a signed-off month (pages show its text in the UI language, <see cref="FrozenMessage"/> in Chinese).</summary>
    public static DomainException MonthSignedOff() => new("visit.month-signed-off", FrozenMessage);

    public async Task<Visit> RecordVisitAsync(RecordVisit command, CaseActor visitor, CancellationToken cancellationToken = default)
    {
        var visitorId = visitor.StaffMemberId
            ?? throw new DomainException("visit.not-staff", "只有网格员或网格长可以登记走访");
        // A replayed form (resubmit, back button, a second click) answers with the first visit: the quota counts it once.
        var author = SubmissionKeys.Staff(visitor);
        async Task<Visit> FirstVisitAsync(string first)
        {
            var firstId = long.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
            logger.LogInformation("Visit form {SubmissionId} replayed by {Visitor}; answered with visit {VisitId}", command.SubmissionId, visitor.Name, firstId);
            return await db.Visits.AsNoTracking().SingleAsync(v => v.Id == firstId, cancellationToken);
        }
        if (await db.FirstResultAsync(author, SubmissionPurpose.Visit, command.SubmissionId, cancellationToken) is { } first)
        {
            return await FirstVisitAsync(first);
        }
        var now = clock.GetUtcNow();
        var household = await db.Households.AsNoTracking()
            .Where(h => h.Id == command.HouseholdId)
            .Select(h => new { h.Id, h.GridId, h.BuildingId, h.Address, h.RemovedAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("visit.household-not-found", "住户不存在");
        if (household.RemovedAt is not null)
        {
            throw new DomainException("visit.household-removed", "该住户已注销，不能登记走访");
        }
        var gridCode = await GridCodeAsync(household.GridId, cancellationToken);
        if (!visitor.GridCodes.Contains(gridCode))
        {
            throw new DomainException("visit.out-of-grid", "您不负责该住户所在的网格，不能登记走访");
        }
        if (command.VisitedAt > now)
        {
            throw new DomainException("visit.future", "走访时间不能晚于当前时间") { Field = DomainFields.VisitedAt.Name };
        }
        if (command.VisitedAt < now.AddYears(-1))
        {
            throw new DomainException("visit.too-old", "走访时间不能早于一年前，请核对") { Field = DomainFields.VisitedAt.Name };
        }
        await RequireOpenMonthAsync(gridCode, command.VisitedAt, cancellationToken);

        // Everything the domain can check is checked before the case is reported, so a refusal writes nothing.
        var visit = new Visit(household.Id, household.GridId, visitorId, command.VisitedAt.ToUniversalTime(), command.Findings, command.Companions, command.VisitDemandId);
        var demand = command.VisitDemandId is { } demandId
            ? await db.VisitDemands.SingleOrDefaultAsync(d => d.Id == demandId, cancellationToken)
              ?? throw new DomainException("visit-demand.not-found", "五必到事项不存在") { Field = DomainFields.VisitDemand.Name }
            : null;
        if (demand is not null)
        {
            if (demand.HouseholdId != household.Id)
            {
                throw new DomainException("visit-demand.household", "走访的住户与五必到事项的住户不一致") { Field = DomainFields.VisitDemand.Name };
            }
            if (!demand.IsOpen)
            {
                throw new DomainException("visit-demand.fulfilled", "该五必到事项已完成走访") { Field = DomainFields.VisitDemand.Name };
            }
        }
        var updates = await PrepareLedgerUpdatesAsync(household.Id, command.LedgerUpdates ?? [], cancellationToken);

        return await db.CreateOnceAsync(author, SubmissionPurpose.Visit, command.SubmissionId, SaveAsync, FirstVisitAsync, cancellationToken);

        async Task<Visit> SaveAsync()
        {
            // One transaction for the case, the ledger updates, the visit and the demand: a failure anywhere writes nothing.
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            Case? raised = null;
            if (command.RaiseCase is { } raise)
            {
                var (longitude, latitude) = await LocationOfAsync(household.BuildingId, household.GridId, cancellationToken);
                var phone = await db.StaffMembers.Where(s => s.Id == visitorId).Select(s => s.Phone).SingleAsync(cancellationToken);
                // The workflow service joins the transaction open here (it begins one only when none is open).
                raised = await workflow.ReportAsync(new ReportCase(raise.CategoryId, raise.Description, longitude, latitude, household.Address,
                    CaseSource.GridWorkerPatrol, CasePriority.Normal, visitor.Name, phone, [], raise.SubmissionId, SubmissionPurpose.VisitReport), visitor, cancellationToken);
            }

            foreach (var apply in updates)
            {
                apply();
            }
            if (raised is not null)
            {
                visit.LinkRaisedCase(raised.Id);
            }
            db.Visits.Add(visit);
            await db.SaveChangesAsync(cancellationToken);
            demand?.Fulfil(visit);
            db.Remember(author, SubmissionPurpose.Visit, command.SubmissionId, visit.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Visit {VisitId} to household {HouseholdId} in grid {GridCode} by {Visitor}; {LedgerUpdates} ledger updates, demand {VisitDemandId}, case {CaseNumber}",
                visit.Id, household.Id, gridCode, visitor.Name, updates.Count, demand?.Id, raised?.Number);
            return visit;
        }
    }

    /// <summary>The code of the refusal of an amendment made on a visit changed since its author opened it.</summary>
    public const string StaleCode = "visit.stale";

    /// <summary>A stale save when no one can be named as the one who changed the visit.</summary>
    public const string StaleUnknownCode = "visit.stale-unknown";

    public static bool IsStale(DomainException exception) => exception.Code is StaleCode or StaleUnknownCode;

    /// <summary>The field of a resident's new phone number in the visit form (<see cref="DomainException.Field"/> of its refusal).</summary>
    public static string ResidentPhoneField(int residentId) => $"resident-{residentId.ToString(System.Globalization.CultureInfo.InvariantCulture)}-phone";

    /// <param name="version">The <see cref="Visit.Version"/> the author saw; a visit changed since (another tab, another person) is refused (<see cref="StaleCode"/>).</param>
    public async Task<Visit> AmendVisitAsync(long visitId, uint version, CaseActor actor, string findings, string? companions, CancellationToken cancellationToken = default)
    {
        var visit = await db.Visits.SingleOrDefaultAsync(v => v.Id == visitId, cancellationToken)
            ?? throw new DomainException("visit.not-found", "走访记录不存在");
        if (actor.StaffMemberId != visit.VisitorStaffId)
        {
            throw new DomainException("visit.not-visitor", "只能修改本人登记的走访");
        }
        await RequireOpenMonthAsync(await GridCodeAsync(visit.GridId, cancellationToken), visit.VisitedAt, cancellationToken);
        if (visit.Version != version)
        {
            logger.LogInformation("Amendment of visit {VisitId} refused: version {Seen} seen, {Current} current", visit.Id, version, visit.Version);
            throw await StaleAsync(visit.Id, cancellationToken);
        }
        visit.Amend(findings, companions);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed by someone else between this load and this save (xmin moved): refused the same way.
            logger.LogInformation("Amendment of visit {VisitId} refused: changed by someone else between load and save", visit.Id);
            throw await StaleAsync(visit.Id, cancellationToken);
        }
        logger.LogInformation("Visit {VisitId} amended by {Actor}", visit.Id, actor.Name);
        return visit;
    }

    /// <summary>Names who changed the visit last and when (China time), from the audit log.</summary>
    private async Task<DomainException> StaleAsync(long visitId, CancellationToken cancellationToken)
    {
        var key = visitId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(Visit) && a.EntityId == key && (a.Action == AuditAction.Update || a.Action == AuditAction.Create))
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new { a.ActorName, a.At })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return new DomainException(StaleUnknownCode, "该走访记录已被修改，本次保存未生效；请查看最新内容后重新修改");
        }
        var when = WorkingCalendar.ToChinaTime(last.At).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new DomainException(StaleCode, $"该走访记录已被{last.ActorName}于{when}修改，本次保存未生效；请查看最新内容后重新修改") { Arguments = [last.ActorName, when] };
    }

    /// <summary>五必到 by hand: a grid leader or worker of the household's grid, or its community's secretary.</summary>
    /// <param name="submissionId">The form's idempotency key: a replay by the same person answers with the first demand.</param>
    public Task<VisitDemand> CreateDemandAsync(int householdId, FiveMustReason reason, string? note, CaseActor actor, Guid? submissionId = null,
        CancellationToken cancellationToken = default) =>
        demands.CreateAsync(householdId, reason, note, actor, submissionId, cancellationToken);

    /// <summary>Whether the grid's month containing the moment (China time) is signed off.</summary>
    public Task<bool> IsFrozenAsync(string gridCode, DateTimeOffset moment, CancellationToken cancellationToken = default)
    {
        var month = ChinaMonths.MonthOf(moment);
        return db.MonthlyReviews.AnyAsync(r => r.GridCode == gridCode && r.Month == month && r.SignedOffAt != null, cancellationToken);
    }

    private async Task RequireOpenMonthAsync(string gridCode, DateTimeOffset visitedAt, CancellationToken cancellationToken)
    {
        if (await IsFrozenAsync(gridCode, visitedAt, cancellationToken))
        {
            throw MonthSignedOff();
        }
    }

    private async Task<string> GridCodeAsync(int gridId, CancellationToken cancellationToken) =>
        await db.Grids.AsNoTracking().Where(g => g.Id == gridId).Select(g => g.Code).SingleAsync(cancellationToken);

    /// <summary>Checks every update now and returns the changes to apply later (after the case, inside the save).</summary>
    private async Task<List<Action>> PrepareLedgerUpdatesAsync(int householdId, IReadOnlyList<ResidentLedgerUpdate> updates, CancellationToken cancellationToken)
    {
        var changes = new List<Action>();
        if (updates.Count == 0)
        {
            return changes;
        }
        var ids = updates.Select(u => u.ResidentId).Distinct().ToList();
        var residents = await db.Residents
            .Where(r => ids.Contains(r.Id) && r.HouseholdId == householdId && r.RemovedAt == null)
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        foreach (var update in updates)
        {
            if (!residents.TryGetValue(update.ResidentId, out var resident))
            {
                throw new DomainException("visit.resident-not-member", "只能更新本户在册居民的信息");
            }
            if (!string.IsNullOrWhiteSpace(update.NewPhone) && update.NewPhone.Trim() != resident.Phone)
            {
                var phone = Phone.IsValid(update.NewPhone?.Trim())
                    ? update.NewPhone!.Trim()
                    : throw new DomainException("visit.resident-phone", $"{resident.Name}的联系电话格式不正确：应为11位手机号或带区号的固定电话")
                    {
                        Field = ResidentPhoneField(resident.Id),
                        Arguments = [resident.Name],
                    };
                changes.Add(() => resident.ChangePhone(phone));
            }
            foreach (var group in update.AddGroups ?? [])
            {
                RequireDefined(group);
                changes.Add(() => resident.Tag(group));
            }
            foreach (var group in update.RemoveGroups ?? [])
            {
                RequireDefined(group);
                changes.Add(() => resident.Untag(group));
            }
        }
        return changes;
    }

    private static void RequireDefined(ResidentGroup group)
    {
        // Visitors are grid staff, who may neither see nor set the sensitive tags (LedgerScope.SensitiveRoles).
        if (group.IsSensitive())
        {
            throw new DomainException("visit.sensitive-tag", "走访时不能修改该人群标签，请由有权限的人员在居民台账中办理");
        }
        if (!Enum.IsDefined(group))
        {
            throw new DomainException("visit.group-unknown", "人员类别无效");
        }
    }

    /// <summary>The building's point, or a point inside the household's grid when it has no building.</summary>
    private async Task<(double Longitude, double Latitude)> LocationOfAsync(int? buildingId, int gridId, CancellationToken cancellationToken)
    {
        Point point;
        if (buildingId is { } id)
        {
            point = await db.Buildings.AsNoTracking().Where(b => b.Id == id).Select(b => b.Location).SingleAsync(cancellationToken);
        }
        else
        {
            var boundary = await db.Grids.AsNoTracking().Where(g => g.Id == gridId).Select(g => g.Boundary).SingleAsync(cancellationToken);
            point = boundary.InteriorPoint;
        }
        return (point.X, point.Y);
    }
}
