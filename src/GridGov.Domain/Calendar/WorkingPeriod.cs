using GridGov.Domain.Common;

namespace GridGov.Domain.Calendar;

/// <summary>
/// One period of the working day in China Standard Time wall-clock time, half-open: a moment equal to
/// <see cref="Start"/> is working time, a moment equal to <see cref="End"/> is not. Periods run within
/// one day (no night shifts across midnight).
/// </summary>
public sealed record WorkingPeriod
{
    public WorkingPeriod(TimeOnly start, TimeOnly end)
    {
        if (end <= start)
        {
            throw new DomainException("working-period.order", "工作时段的结束时间必须晚于开始时间");
        }
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; }
    public TimeOnly End { get; }

    public TimeSpan Duration => End - Start;

    public override string ToString() => $"{Start:HH\\:mm}–{End:HH\\:mm}";
}
