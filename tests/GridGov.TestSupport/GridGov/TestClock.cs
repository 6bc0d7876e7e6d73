namespace GridGov.TestSupport.GridGov;

/// <summary>A clock the test moves by hand (deadlines, warnings, month boundaries).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Set(DateTimeOffset moment) => _now = moment.ToUniversalTime();

    public void Advance(TimeSpan by) => _now += by;

    /// <summary>A wall-clock time in China (UTC+8).</summary>
    public static DateTimeOffset China(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
