using GridGov.Application.Common;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Cases;

public enum CaseStage
{
    Register,
    Dispatch,
    Handle,
    Verify,
}

/// <summary>
/// Turns a category's time limits into deadlines on the working calendar (holidays and 调休 from the
/// database). Urgent and emergency cases use the urgent handling limit and at most 10 minutes to
/// register and to dispatch.
/// </summary>
/// <remarks>
/// The calendar is read once per scope (a request, a page action, a background job's run) and kept for that scope only,
/// so a change made through <see cref="Calendar.WorkingCalendarService"/> is seen by the next operation on every app node.
/// </remarks>
public sealed class CaseDeadlines(IGridGovDbContext db)
{
    public static readonly TimeLimit UrgentIntakeLimit = TimeLimit.Minutes(10);

    private WorkingCalendar? _calendar;

    public async Task<WorkingCalendar> CalendarAsync(CancellationToken cancellationToken = default) =>
        _calendar ??= new WorkingCalendar(await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken));

    public static TimeLimit LimitFor(Category category, CaseStage stage, CasePriority priority)
    {
        var urgent = priority != CasePriority.Normal;
        return stage switch
        {
            CaseStage.Register => urgent ? Shorter(category.Limits.Register, UrgentIntakeLimit) : category.Limits.Register,
            CaseStage.Dispatch => urgent ? Shorter(category.Limits.Dispatch, UrgentIntakeLimit) : category.Limits.Dispatch,
            CaseStage.Handle => urgent ? category.Limits.UrgentHandle : category.Limits.Handle,
            CaseStage.Verify => category.Limits.Verify,
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
    }

    public async Task<StageDeadline> ForAsync(Category category, CaseStage stage, CasePriority priority, DateTimeOffset start, CancellationToken cancellationToken = default) =>
        await ForAsync(LimitFor(category, stage, priority), start, cancellationToken);

    public async Task<StageDeadline> ForAsync(TimeLimit limit, DateTimeOffset start, CancellationToken cancellationToken = default)
    {
        var calendar = await CalendarAsync(cancellationToken);
        return new StageDeadline(calendar.Add(start, limit), calendar.WarningPoint(start, limit));
    }

    /// <summary>
    /// The handling deadline of a case: its category's, or the 12345 hotline's time limit (<see cref="Case.HotlineDue"/>)
    /// when that comes first — then with its warning at 80% of the working time left until it, as for any deadline.
    /// </summary>
    public async Task<StageDeadline> ForHandlingAsync(Case @case, Category category, DateTimeOffset start, CancellationToken cancellationToken = default)
    {
        var own = await ForAsync(category, CaseStage.Handle, @case.Priority, start, cancellationToken);
        if (@case.HotlineDue is not { } due || due >= own.Due)
        {
            return own;
        }
        var calendar = await CalendarAsync(cancellationToken);
        var warning = due > start ? calendar.AddWorkingTime(start, calendar.WorkingTimeBetween(start, due) * 0.8) : due;
        return new StageDeadline(due, warning < due ? warning : due);
    }

    private static TimeLimit Shorter(TimeLimit limit, TimeLimit cap) =>
        limit.Unit == TimeUnit.Minutes && limit.Amount <= cap.Amount ? limit : cap;
}
