using GridGov.Domain.Calendar;
using GridGov.Domain.Patrols;

namespace GridGov.Application.Patrols;

/// <summary>Patrol rules a street may set (configuration section "Patrols").</summary>
public sealed class PatrolOptions
{
    public const string Section = "Patrols";

    /// <summary>Distance (m) on each side of a track that counts as patrolled (默认30米).</summary>
    public double BufferMeters { get; set; } = Patrol.DefaultBufferMeters;

    /// <summary>A day's round counts as full coverage (全覆盖) from this share of the grid's area (默认90%).</summary>
    public double FullCoverageShare { get; set; } = Patrol.DefaultFullCoverageShare;

    /// <summary>A track is "in the grid" when at least <see cref="MinShareInGrid"/> of its length lies within the grid widened by this margin (m).</summary>
    public double InGridMarginMeters { get; set; } = 50;

    public double MinShareInGrid { get; set; } = 0.5;

    /// <summary>Largest GPX or GeoJSON file accepted.</summary>
    public long MaxTrackFileBytes { get; set; } = TrackParser.DefaultMaxBytes;
}

/// <summary>China-time days (UTC+8, the days patrols are counted in) as UTC instants for queries.</summary>
public static class ChinaDays
{
    public static DateTimeOffset StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), WorkingCalendar.ChinaOffset).ToUniversalTime();

    public static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>[start, end) of the month containing <paramref name="day"/>, in UTC.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) MonthRange(DateOnly day) =>
        (StartOf(MonthOf(day)), StartOf(MonthOf(day).AddMonths(1)));
}
