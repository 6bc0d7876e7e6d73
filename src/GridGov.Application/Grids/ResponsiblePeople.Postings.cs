using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Grids;

/// <summary>The move form: a secretary to a community, or a handler to a department, from a date.</summary>
public sealed record StaffPostingInput(int? StaffMemberId, int? CommunityId, int? DepartmentId, DateOnly? Since);

/// <summary>
/// 任职: an administrator moves a community secretary to another community or a department handler to another department
/// (<see cref="StaffMember.PostTo"/>). The move takes effect at once (scopes, the inbox, the boards read the staff member's
/// place); the posting in force ends the day the new one starts, and both stay as history. Audited.
/// </summary>
public sealed partial class ResponsiblePeople
{
    public async Task PostAsync(StaffPostingInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireEditor(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            throw new DomainException("posting.forbidden", "只有系统管理员可以调任社区书记和部门人员");
        }
        var person = await db.StaffMembers.SingleOrDefaultAsync(s => s.Id == input.StaffMemberId, cancellationToken)
            ?? throw new DomainException("posting.person-not-found", "该人员不存在");
        if (input.CommunityId is { } communityId && !await db.Communities.AnyAsync(c => c.Id == communityId, cancellationToken)
            || input.DepartmentId is { } departmentId && !await db.Departments.AnyAsync(d => d.Id == departmentId, cancellationToken))
        {
            throw DomainException.For(DomainFields.PostingPlace, "posting.place-not-found", "所选社区或部门不存在");
        }
        var since = input.Since ?? throw DomainException.For(DomainFields.PostingSince, "posting.since-required", "请填写任职日期");
        var current = await db.StaffPostings.SingleOrDefaultAsync(p => p.StaffMemberId == person.Id && p.EndedOn == null, cancellationToken);
        var posting = person.PostTo(input.CommunityId, input.DepartmentId, since, Today, current);
        // The posting in force ends before the next one starts (one in force per person, a unique index).
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.StaffPostings.Add(posting);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Staff member {StaffMemberId} posted to community {CommunityId} / department {DepartmentId} from {Since}",
            person.Id, posting.CommunityId, posting.DepartmentId, since);
    }
}
