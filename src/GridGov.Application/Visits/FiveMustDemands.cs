using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GridGov.Application.Visits;

/// <summary>
/// 五必到 demands: a visit due within <see cref="VisitOptions.DemandDueDays"/> days, made by hand or by a case of a
/// mapped category (<see cref="FiveMustCategories"/>) for the households at the case's address. Kept apart from
/// <see cref="VisitService"/> (which reports cases) so that the case workflow can call it without a cycle.
/// </summary>
public sealed class FiveMustDemands(IGridGovDbContext db, IOptions<VisitOptions> options, TimeProvider clock, ILogger<FiveMustDemands> logger)
{
    /// <param name="submissionId">The form's idempotency key: a replay (a second click, a resubmit) by the same person answers with
    /// the demand the first one made, so the household is not asked for twice.</param>
    public async Task<VisitDemand> CreateAsync(int householdId, FiveMustReason reason, string? note, CaseActor actor, Guid? submissionId = null,
        CancellationToken cancellationToken = default)
    {
        var author = submissionId is null ? "" : SubmissionKeys.Staff(actor);
        async Task<VisitDemand> FirstDemandAsync(string first)
        {
            var firstId = long.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
            logger.LogInformation("Five-must form {SubmissionId} replayed by {Actor}; answered with demand {VisitDemandId}", submissionId, actor.Name, firstId);
            return await db.VisitDemands.AsNoTracking().SingleAsync(d => d.Id == firstId, cancellationToken);
        }
        if (await db.FirstResultAsync(author, SubmissionPurpose.VisitDemand, submissionId, cancellationToken) is { } first)
        {
            return await FirstDemandAsync(first);
        }
        if (!Enum.IsDefined(reason))
        {
            throw new DomainException("visit-demand.reason", "请选择五必到事由") { Field = DomainFields.FiveMustReason.Name };
        }
        var household = await db.Households.AsNoTracking()
            .Where(h => h.Id == householdId)
            .Select(h => new { h.Id, h.GridId, h.RemovedAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("visit.household-not-found", "住户不存在");
        if (household.RemovedAt is not null)
        {
            throw new DomainException("visit.household-removed", "该住户已注销，不能登记走访");
        }
        var grid = await db.Grids.AsNoTracking().Where(g => g.Id == household.GridId).Select(g => new { g.Code, g.CommunityId }).SingleAsync(cancellationToken);
        var allowed = actor.GridCodes.Contains(grid.Code)
            || (actor.Role == StaffRole.CommunitySecretary && actor.CommunityId == grid.CommunityId);
        if (!allowed)
        {
            throw new DomainException("visit-demand.out-of-scope", "您不负责该住户所在的网格，不能登记五必到事项");
        }
        var now = clock.GetUtcNow();
        var demand = new VisitDemand(household.Id, reason, now, now.AddDays(options.Value.DemandDueDays), caseId: null, note);
        return await db.CreateOnceAsync(author, SubmissionPurpose.VisitDemand, submissionId, SaveAsync, FirstDemandAsync, cancellationToken);

        async Task<VisitDemand> SaveAsync()
        {
            // The demand and its key in one transaction: a replay finds the key only with the demand it made.
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            db.VisitDemands.Add(demand);
            await db.SaveChangesAsync(cancellationToken);
            db.Remember(author, SubmissionPurpose.VisitDemand, submissionId, demand.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Five-must demand {VisitDemandId} ({Reason}) for household {HouseholdId} by {Actor}, due {DueBy}",
                demand.Id, reason, household.Id, actor.Name, demand.DueBy);
            return demand;
        }
    }

    /// <summary>
    /// Called by <see cref="Cases.CaseWorkflowService"/> when a case is registered or goes out as an emergency, inside
    /// its own change: adds, without saving, the demands the case's category calls for at the households of the case's
    /// grid whose address is the case's address (trimmed), not removed; once per case and household. The case must
    /// already have its id.
    /// </summary>
    public async Task<IReadOnlyList<VisitDemand>> AddForCaseAsync(Case @case, CancellationToken cancellationToken = default)
    {
        var category = await db.Categories.AsNoTracking()
            .Where(c => c.Id == @case.CategoryId)
            .Join(db.CategoryMajors, c => c.MajorId, m => m.Id, (c, m) => new { c.Code, c.Name, MajorCode = m.Code })
            .SingleAsync(cancellationToken);
        if (FiveMustCategories.ReasonFor(category.Code, category.MajorCode) is not { } reason)
        {
            return [];
        }
        var address = @case.Address.Trim();
        var households = await db.Households.AsNoTracking()
            .Where(h => h.GridId == @case.GridId && h.RemovedAt == null && h.Address == address)
            .Select(h => h.Id)
            .ToListAsync(cancellationToken);
        var already = await db.VisitDemands.AsNoTracking().Where(d => d.CaseId == @case.Id).Select(d => d.HouseholdId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var created = households.Except(already)
            .Select(householdId => new VisitDemand(householdId, reason, now, now.AddDays(options.Value.DemandDueDays), @case.Id,
                $"案件{@case.Number}（{category.Name}）"))
            .ToList();
        db.VisitDemands.AddRange(created);
        if (created.Count > 0)
        {
            logger.LogInformation("Case {CaseNumber} ({CategoryCode}) calls for {Count} five-must demands ({Reason}) at {Address}",
                @case.Number, category.Code, created.Count, reason, address);
        }
        return created;
    }
}
