using System.Globalization;
using System.Linq.Expressions;
using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GridGov.Application.Grids;

/// <summary>One assignment as the editor lists it; <see cref="InForce"/> on today's China date.</summary>
public sealed record ResponsibleAssignment(int Id, int StaffMemberId, string Name, string Phone, GridDuty Duty, DateOnly Since, DateOnly? EndedOn,
    bool InForce, bool IsActive);

/// <summary>A current grid with its assignments: those in force first (leader, then workers), then those ahead, then history.</summary>
public sealed record ResponsibleGrid(string Code, string Name, IReadOnlyList<ResponsibleAssignment> Assignments);

/// <summary>A community's secretary or a department's handler (their place is their account's, <see cref="StaffMember.CommunityId"/> / <see cref="StaffMember.DepartmentId"/>).</summary>
/// <see cref="PostedSince"/>: since when, when the person was moved here (任职); null for the place the account was made with.
public sealed record ResponsibleStaff(int StaffMemberId, string Name, string Phone, bool IsActive, DateOnly? PostedSince);

public sealed record ResponsibleCommunity(int Id, string Code, string Name);

/// <summary>The editor's view of one community: its secretaries and its grids' people.</summary>
public sealed record ResponsibleBoard(IReadOnlyList<ResponsibleCommunity> Communities, ResponsibleCommunity? Community, IReadOnlyList<ResponsibleStaff> Secretaries,
    IReadOnlyList<ResponsibleGrid> Grids, DateOnly Today);

public sealed record ResponsibleDepartment(int Id, string Code, string Name, IReadOnlyList<ResponsibleStaff> Handlers);

/// <summary>A person who may take a duty in a grid.</summary>
public sealed record AssignmentCandidate(int StaffMemberId, string Name, string Phone, StaffRole Role, string? CommunityName);

/// <summary>The assign form; <see cref="SubmissionId"/> makes a replay answer with the first assignment.</summary>
public sealed record GridAssignmentInput(string? GridCode, int? StaffMemberId, GridDuty? Duty, DateOnly? Since, Guid? SubmissionId);

/// <summary>
/// The responsible people editor (实名落图): who holds which duty in each grid, with dates. An administrator edits every grid;
/// a community secretary the grids of his own community, with people of his community. An assignment is never deleted: it is
/// ended with a date and stays as history; who is in force today is what the public notice, the grid map, scopes and quotas
/// read (<see cref="GridAssignmentsInForce"/>). Secretaries and department handlers are listed where their accounts place them
/// (the account pages change that). Every change is audited by the database context, in one transaction.
/// </summary>
public sealed partial class ResponsiblePeople(IGridGovDbContext db, TimeProvider clock, ILogger<ResponsiblePeople> logger)
{
    public static bool MayEdit(CaseActor actor) =>
        actor.Role == StaffRole.Administrator || (actor.Role == StaffRole.CommunitySecretary && actor.CommunityId is not null);

    private static void RequireEditor(CaseActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayEdit(actor))
        {
            throw new DomainException("assignment.forbidden", "只有系统管理员和社区书记可以维护网格责任人");
        }
    }

    private DateOnly Today => WorkingCalendar.ChinaDate(clock.GetUtcNow());

    /// <summary>The community's board; a secretary always sees his own, an administrator the one asked for (or the first).</summary>
    public async Task<ResponsibleBoard> BoardAsync(int? communityId, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        var today = Today;
        var communities = await db.Communities.AsNoTracking()
            .Where(c => actor.Role == StaffRole.Administrator || c.Id == actor.CommunityId)
            .OrderBy(c => c.Code)
            .Select(c => new ResponsibleCommunity(c.Id, c.Code, c.Name))
            .ToListAsync(cancellationToken);
        var community = communities.FirstOrDefault(c => c.Id == communityId) ?? communities.FirstOrDefault();
        if (community is null)
        {
            return new ResponsibleBoard(communities, null, [], [], today);
        }
        var secretaries = (await StaffRows(s => s.Role == StaffRole.CommunitySecretary && s.CommunityId == community.Id)
            .ToListAsync(cancellationToken)).Select(s => s.Row).ToList();
        var grids = await db.Grids.AsNoTracking()
            .Where(g => g.CommunityId == community.Id && g.ValidTo == null)
            .OrderBy(g => g.Code)
            .Select(g => new { g.Code, g.Name })
            .ToListAsync(cancellationToken);
        var codes = grids.Select(g => g.Code).ToList();
        var assignments = (await db.GridAssignments.AsNoTracking()
            .Where(a => codes.Contains(a.GridCode))
            .Select(a => new { a.Id, a.GridCode, a.StaffMemberId, a.StaffMember!.Name, a.StaffMember.Phone, a.Duty, a.Since, a.EndedOn, a.StaffMember.IsActive })
            .ToListAsync(cancellationToken))
            .Select(a => new
            {
                a.GridCode,
                Row = new ResponsibleAssignment(a.Id, a.StaffMemberId, a.Name, a.Phone, a.Duty, a.Since, a.EndedOn,
                    a.Since <= today && (a.EndedOn is null || a.EndedOn > today), a.IsActive),
            })
            .ToLookup(a => a.GridCode, a => a.Row);
        var rows = grids
            .Select(g => new ResponsibleGrid(g.Code, g.Name, assignments[g.Code]
                .OrderBy(a => Rank(a, today)).ThenBy(a => a.Duty).ThenByDescending(a => a.Since).ThenBy(a => a.Name, StringComparer.Ordinal)
                .ToList()))
            .ToList();
        return new ResponsibleBoard(communities, community, secretaries, rows, today);
    }

    /// <summary>The people as the page lists them, active first, each with since when his posting in force runs.</summary>
    private IQueryable<PostedStaff> StaffRows(Expression<Func<StaffMember, bool>> who) => db.StaffMembers.AsNoTracking()
        .Where(who)
        .OrderByDescending(s => s.IsActive).ThenBy(s => s.Name)
        .Select(s => new PostedStaff(s.DepartmentId, new ResponsibleStaff(s.Id, s.Name, s.Phone, s.IsActive,
            db.StaffPostings.Where(p => p.StaffMemberId == s.Id && p.EndedOn == null).Select(p => (DateOnly?)p.Since).FirstOrDefault())));

    private sealed record PostedStaff(int? DepartmentId, ResponsibleStaff Row);

    /// <summary>In force, then ahead, then ended.</summary>
    private static int Rank(ResponsibleAssignment a, DateOnly today) => a.InForce ? 0 : a.Since > today ? 1 : 2;

    /// <summary>Every department with its handlers (administrators only).</summary>
    public async Task<IReadOnlyList<ResponsibleDepartment>> DepartmentsAsync(CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        if (actor.Role != StaffRole.Administrator)
        {
            return [];
        }
        var handlers = (await StaffRows(s => s.Role == StaffRole.DepartmentHandler && s.DepartmentId != null)
            .ToListAsync(cancellationToken))
            .ToLookup(s => s.DepartmentId!.Value, s => s.Row);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).Select(d => new { d.Id, d.Code, d.Name }).ToListAsync(cancellationToken);
        return departments.Select(d => new ResponsibleDepartment(d.Id, d.Code, d.Name, handlers[d.Id].ToList())).ToList();
    }

    /// <summary>Active people whose account fits the duty: of the grid's community first; a secretary sees only his community's.</summary>
    public async Task<IReadOnlyList<AssignmentCandidate>> CandidatesAsync(string gridCode, GridDuty duty, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        var grid = await GridAsync(gridCode, actor, cancellationToken);
        var role = duty == GridDuty.Leader ? StaffRole.GridLeader : StaffRole.GridWorker;
        var people = await db.StaffMembers.AsNoTracking()
            .Where(s => s.IsActive && s.Role == role && (actor.Role == StaffRole.Administrator || s.CommunityId == actor.CommunityId))
            .Select(s => new
            {
                s.Id, s.Name, s.Phone, s.Role, s.CommunityId,
                CommunityName = db.Communities.Where(c => c.Id == s.CommunityId).Select(c => c.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return people
            .OrderBy(p => p.CommunityId == grid.CommunityId ? 0 : 1).ThenBy(p => p.CommunityName, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new AssignmentCandidate(p.Id, p.Name, p.Phone, p.Role, p.CommunityName))
            .ToList();
    }

    /// <summary>Assigns a person to a grid from a date; returns the assignment's id (the first one on a replay).</summary>
    public async Task<int> AssignAsync(GridAssignmentInput input, CaseActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireEditor(actor);
        var author = SubmissionKeys.Staff(actor);
        if (await db.FirstResultAsync(author, SubmissionPurpose.GridAssignment, input.SubmissionId, cancellationToken) is { } first)
        {
            return int.Parse(first, CultureInfo.InvariantCulture);
        }
        var grid = await GridAsync(input.GridCode, actor, cancellationToken);
        if (input.Duty is not { } duty || !Enum.IsDefined(duty))
        {
            throw DomainException.For(DomainFields.AssignmentDuty, "assignment.duty-required", "请选择职责");
        }
        if (input.StaffMemberId is not { } staffId)
        {
            throw DomainException.For(DomainFields.AssignmentPerson, "assignment.person-required", "请选择人员");
        }
        if (input.Since is not { } since)
        {
            throw DomainException.For(DomainFields.AssignmentSince, "assignment.since-required", "请填写开始日期");
        }
        var person = await db.StaffMembers.SingleOrDefaultAsync(s => s.Id == staffId, cancellationToken)
            ?? throw DomainException.For(DomainFields.AssignmentPerson, "assignment.person-not-found", "所选人员不存在，请重新选择");
        if (actor.Role == StaffRole.CommunitySecretary && person.CommunityId != actor.CommunityId)
        {
            throw DomainException.For(DomainFields.AssignmentPerson, "assignment.person-out-of-scope", "只能安排本社区的人员");
        }

        return await db.CreateOnceAsync(author, SubmissionPurpose.GridAssignment, input.SubmissionId, async () =>
        {
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var inGrid = await db.GridAssignments.Where(a => a.GridCode == grid.Code).ToListAsync(cancellationToken);
            var assignment = GridAssignment.Assign(person, grid.Code, duty, since, Today, inGrid);
            db.GridAssignments.Add(assignment);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another editor's open assignment of the same person or of a leader won the race (the open-assignment indexes).
                throw new DomainException("assignment.concurrent", "该网格的责任人刚被他人修改，本次未保存；请刷新后重试");
            }
            db.Remember(author, SubmissionPurpose.GridAssignment, input.SubmissionId, assignment.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogAssigned(person.Id, grid.Code, duty, since, actor.Name);
            return assignment.Id;
        }, result => Task.FromResult(int.Parse(result, CultureInfo.InvariantCulture)), cancellationToken);
    }

    /// <summary>Ends an assignment: from <paramref name="endedOn"/> on the person no longer holds the duty. Kept as history.</summary>
    public async Task EndAsync(int assignmentId, DateOnly? endedOn, CaseActor actor, CancellationToken cancellationToken = default)
    {
        RequireEditor(actor);
        var assignment = await db.GridAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, cancellationToken)
            ?? throw new DomainException("assignment.not-found", "该职责不存在");
        await GridAsync(assignment.GridCode, actor, cancellationToken);
        if (endedOn is not { } day)
        {
            throw DomainException.For(DomainFields.AssignmentEndedOn, "assignment.end-required", "请填写结束日期");
        }
        assignment.End(day, Today);
        await db.SaveChangesAsync(cancellationToken);
        LogEnded(assignment.StaffMemberId, assignment.GridCode, day, actor.Name);
    }

    /// <summary>A current grid the actor may edit.</summary>
    private async Task<(string Code, int CommunityId)> GridAsync(string? gridCode, CaseActor actor, CancellationToken cancellationToken)
    {
        var code = gridCode?.Trim() ?? "";
        if (!AdministrativeCodeDigits(code))
        {
            throw new DomainException("assignment.grid-not-found", "该网格不存在");
        }
        var grid = await db.Grids.AsNoTracking().Where(g => g.Code == code && g.ValidTo == null)
            .Select(g => new { g.Code, g.CommunityId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("assignment.grid-not-found", "该网格不存在");
        if (actor.Role == StaffRole.CommunitySecretary && grid.CommunityId != actor.CommunityId)
        {
            throw new DomainException("assignment.grid-out-of-scope", "只能维护本社区网格的责任人");
        }
        return (grid.Code, grid.CommunityId);
    }

    private static bool AdministrativeCodeDigits(string code) =>
        Domain.Geography.AdministrativeCode.IsDigits(code, Domain.Geography.AdministrativeCode.GridCodeLength);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff {StaffMemberId} assigned to grid {GridCode} as {Duty} from {Since} by {Actor}")]
    private partial void LogAssigned(int staffMemberId, string gridCode, GridDuty duty, DateOnly since, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff {StaffMemberId} ends in grid {GridCode} on {EndedOn}, by {Actor}")]
    private partial void LogEnded(int staffMemberId, string gridCode, DateOnly endedOn, string actor);
}
