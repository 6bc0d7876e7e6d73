using System.Linq.Expressions;
using GridGov.Domain.Common;

namespace GridGov.Domain.Organisation;

/// <summary>
/// A person's duty in a grid (实名落图): its leader or one of its workers, from <see cref="Since"/> until
/// <see cref="EndedOn"/> (the first day it is no longer in force; null while open). An assignment that ends is kept as
/// history, never deleted; everything that asks who works in a grid asks for those in force on a day (<see cref="InForceOn"/>).
/// </summary>
public class GridAssignment : Entity
{
    /// <summary>How far before or after today a start or an end may be dated.</summary>
    public const int MaxDaysFromToday = 366;

    private GridAssignment()
    {
    }

    public GridAssignment(string gridCode, int staffMemberId, GridDuty duty, DateOnly since)
    {
        GridCode = gridCode;
        StaffMemberId = staffMemberId;
        Duty = duty;
        Since = since;
    }

    /// <summary>The grid's stable code, so an assignment survives boundary versions.</summary>
    public string GridCode { get; private set; } = "";
    public int StaffMemberId { get; private set; }
    public StaffMember? StaffMember { get; private set; }
    public GridDuty Duty { get; private set; }
    public DateOnly Since { get; private set; }

    /// <summary>The first day the assignment is no longer in force; null while it is open.</summary>
    public DateOnly? EndedOn { get; private set; }

    /// <summary>In force on <paramref name="day"/>: started on or before it and not ended by then (as a query).</summary>
    public static Expression<Func<GridAssignment, bool>> InForceOn(DateOnly day) =>
        a => a.Since <= day && (a.EndedOn == null || a.EndedOn > day);

    public bool IsInForceOn(DateOnly day) => Since <= day && (EndedOn is null || EndedOn > day);

    /// <summary>Whether this assignment's days meet the open period starting on <paramref name="since"/>.</summary>
    public bool OverlapsFrom(DateOnly since) => EndedOn is null || EndedOn > since;

    /// <summary>
    /// A new assignment of <paramref name="person"/> to a grid from <paramref name="since"/>, open-ended. Refused when the
    /// person is inactive or their account does not fit the duty (a leader's duty needs a 网格长 account, a worker's a 网格员
    /// account), when the start is more than a year from today, when the person already holds a duty in the grid on or
    /// after that day, or (for a leader) when the grid already has a leader on or after that day.
    /// </summary>
    /// <param name="inGrid">The grid's assignments, ended ones included.</param>
    public static GridAssignment Assign(StaffMember person, string gridCode, GridDuty duty, DateOnly since, DateOnly today, IEnumerable<GridAssignment> inGrid)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(inGrid);
        if (!Enum.IsDefined(duty))
        {
            throw DomainException.For(DomainFields.AssignmentDuty, "assignment.duty-invalid", "请选择职责");
        }
        if (!person.IsActive)
        {
            throw DomainException.For(DomainFields.AssignmentPerson, "assignment.person-inactive", "该人员已停用，不能落图");
        }
        var fits = duty == GridDuty.Leader ? person.Role == StaffRole.GridLeader : person.Role == StaffRole.GridWorker;
        if (!fits)
        {
            throw DomainException.For(DomainFields.AssignmentPerson, "assignment.role-mismatch", $"{person.Name}的账号是{person.Role.ChineseName()}，不能担任{duty.ChineseName()}",
                person.Name, person.Role, duty);
        }
        if (!NearToday(since, today))
        {
            throw DomainException.For(DomainFields.AssignmentSince, "assignment.since-out-of-range", "开始日期须在今天前后一年之内");
        }
        var existing = inGrid.ToList();
        if (existing.Any(a => a.StaffMemberId == person.Id && a.OverlapsFrom(since)))
        {
            throw DomainException.For(DomainFields.AssignmentPerson, "assignment.person-taken", $"{person.Name}在该网格已有职责，请先结束原职责", person.Name);
        }
        if (duty == GridDuty.Leader && existing.Any(a => a.Duty == GridDuty.Leader && a.OverlapsFrom(since)))
        {
            throw DomainException.For(DomainFields.AssignmentDuty, "assignment.leader-taken", "该网格已有在任或待任的网格长，一个网格同时只能有一名网格长；请先结束其任期");
        }
        return new GridAssignment(gridCode, person.Id, duty, since);
    }

    /// <summary>Ends the assignment: from <paramref name="endedOn"/> on it is no longer in force. Kept as history.</summary>
    public void End(DateOnly endedOn, DateOnly today)
    {
        if (EndedOn is not null)
        {
            throw new DomainException("assignment.already-ended", "该职责已经结束");
        }
        if (endedOn < Since)
        {
            throw DomainException.For(DomainFields.AssignmentEndedOn, "assignment.end-before-start",
                $"结束日期不能早于开始日期{Since:yyyy-MM-dd}", Since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (!NearToday(endedOn, today))
        {
            throw DomainException.For(DomainFields.AssignmentEndedOn, "assignment.end-out-of-range", "结束日期须在今天前后一年之内");
        }
        EndedOn = endedOn;
    }

    private static bool NearToday(DateOnly day, DateOnly today) => Math.Abs(day.DayNumber - today.DayNumber) <= MaxDaysFromToday;
}

public enum GridDuty
{
    Leader,             // 网格长
    FullTimeWorker,     // 专职网格员
    ProfessionalWorker, // 专业网格员
    AuxiliaryWorker,    // 辅助网格员
}

public static class GridDuties
{
    public static string ChineseName(this GridDuty duty) => duty switch
    {
        GridDuty.Leader => "网格长",
        GridDuty.FullTimeWorker => "专职网格员",
        GridDuty.ProfessionalWorker => "专业网格员",
        GridDuty.AuxiliaryWorker => "辅助网格员",
        _ => throw new ArgumentOutOfRangeException(nameof(duty)),
    };
}
