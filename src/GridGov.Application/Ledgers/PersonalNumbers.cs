using GridGov.Application.Audit;
using GridGov.Application.Common;
using GridGov.Domain.Audit;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Ledgers;

/// <summary>The full numbers of one row, after a deliberate reveal.</summary>
public sealed record RevealedNumbers(string? IdNumber, string? Phone);

/// <summary>
/// Reveals the full ID number and phone of a resident, or the contact phone of a unit, to a person allowed to see
/// them (<see cref="LedgerScope.CanReveal"/>), and audits each reveal. Lists and exports only ever show them masked.
/// </summary>
public sealed class PersonalNumbers(IGridGovDbContext db, LedgerScopes scopes, AuditLog audit)
{
    public const string NotAllowedCode = "reveal.not-allowed";

    /// <summary>
    /// The resident's numbers; null when the resident does not exist or lies outside the person's scope (not told
    /// apart, as on the page); a <see cref="DomainException"/> when the person's role may not reveal numbers.
    /// </summary>
    public async Task<RevealedNumbers?> RevealResidentAsync(int residentId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var resident = await db.Residents.AsNoTracking().Where(r => r.Id == residentId)
            .Select(r => new { r.GridId, r.IdNumber, r.Phone }).SingleOrDefaultAsync(cancellationToken);
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (resident is null || !scope.Covers(resident.GridId))
        {
            return null;
        }
        Require(scope, resident.GridId);
        await audit.RecordAsync(AuditAction.Reveal, nameof(Resident), residentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            resident.Phone is null ? "显示完整号码：身份证号" : "显示完整号码：身份证号、联系电话", cancellationToken);
        return new RevealedNumbers(resident.IdNumber, resident.Phone);
    }

    /// <summary>The unit's contact phone; null and refusals as for residents.</summary>
    public async Task<RevealedNumbers?> RevealUnitAsync(int unitId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId)
            .Select(u => new { u.GridId, u.ContactPhone }).SingleOrDefaultAsync(cancellationToken);
        var scope = await scopes.ForAsync(actor, cancellationToken);
        if (unit is null || !scope.Covers(unit.GridId))
        {
            return null;
        }
        Require(scope, unit.GridId);
        await audit.RecordAsync(AuditAction.Reveal, nameof(Unit), unitId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "显示完整号码：联系人电话", cancellationToken);
        return new RevealedNumbers(null, unit.ContactPhone);
    }

    /// <summary>A case reporter's phone; null when the case does not exist; refusals as for residents.</summary>
    public async Task<RevealedNumbers?> RevealReporterAsync(int caseId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        var reporter = await db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Select(c => new { c.GridId, c.Number, c.ReporterPhone }).SingleOrDefaultAsync(cancellationToken);
        if (reporter is null)
        {
            return null;
        }
        var scope = await scopes.ForAsync(actor, cancellationToken);
        Require(scope.CanRevealReporter(reporter.GridId));
        await audit.RecordAsync(AuditAction.Reveal, nameof(Case), caseId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"显示完整号码：案件{reporter.Number}上报人电话", cancellationToken);
        return new RevealedNumbers(null, reporter.ReporterPhone);
    }

    private static void Require(LedgerScope scope, int gridId) => Require(scope.CanReveal(gridId));

    private static void Require(bool allowed)
    {
        if (!allowed)
        {
            throw new DomainException(NotAllowedCode, "您的角色无权查看完整号码");
        }
    }
}
