namespace GridGov.Application.Cases;

/// <summary>Settings of the satisfaction call-back (回访), section <c>Satisfaction</c>.</summary>
public sealed class SatisfactionOptions
{
    public const string Section = "Satisfaction";

    /// <summary>
    /// Calendar days after the verification (or the closure of an on-the-spot case) within which a dissatisfied answer
    /// reopens the case for its handler (不满意重办); a later one is recorded and counted, and the case stays closed.
    /// </summary>
    public int ReopenWindowDays { get; set; } = 7;

    public TimeSpan ReopenWindow => TimeSpan.FromDays(Math.Clamp(ReopenWindowDays, 0, 366));
}
