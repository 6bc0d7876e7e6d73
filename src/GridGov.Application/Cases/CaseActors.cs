using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

/// <summary>Builds the <see cref="CaseActor"/> for a signed-in staff member from the database, with the grids of their assignments in force today.</summary>
public sealed class CaseActors(IGridGovDbContext db, TimeProvider clock)
{
    public async Task<CaseActor> ForStaffAsync(int staffMemberId, CancellationToken cancellationToken = default)
    {
        var staff = await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffMemberId && s.IsActive, cancellationToken)
            ?? throw new DomainException("staff.not-found", "工作人员不存在或已停用");
        var gridCodes = await db.AssignmentsInForce(clock).AsNoTracking()
            .Where(a => a.StaffMemberId == staffMemberId)
            .Select(a => a.GridCode)
            .ToListAsync(cancellationToken);
        return CaseActor.Staff(staff, gridCodes);
    }
}
