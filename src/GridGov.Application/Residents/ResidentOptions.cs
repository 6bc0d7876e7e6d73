namespace GridGov.Application.Residents;

/// <summary>
/// Settings of the residents' public pages, section <c>Residents</c> (README: "Residents"). Every limit has a default
/// that a street can live with; a script that wants to flood the street needs a new phone that receives SMS for every
/// few reports, and still lands in the review queue.
/// </summary>
public sealed class ResidentOptions
{
    public const string Section = "Residents";

    /// <summary>How long a one-time code is valid (default 300 s).</summary>
    public int CodeLifetimeSeconds { get; set; } = 300;

    /// <summary>Wrong tries against one code before it is used up (default 5).</summary>
    public int CodeMaxAttempts { get; set; } = 5;

    /// <summary>One code per phone per this many seconds (default 60).</summary>
    public int CodeResendSeconds { get; set; } = 60;

    /// <summary>Codes per phone per China day (default 10).</summary>
    public int CodesPerPhonePerDay { get; set; } = 10;

    /// <summary>Codes per client address per China day (default 30: a household or an office shares an address).</summary>
    public int CodesPerAddressPerDay { get; set; } = 30;

    /// <summary>How long a confirmed phone stays signed in on the phone page (default 30 min).</summary>
    public int SessionMinutes { get; set; } = 30;

    /// <summary>Reports per phone per China day that enter the workflow; later ones wait in the review queue (default 5).</summary>
    public int ReportsPerPhonePerDay { get; set; } = 5;

    /// <summary>Reports per phone per China day at all (held ones included); beyond it a report is refused (default 20).</summary>
    public int MaxReportsPerPhonePerDay { get; set; } = 20;

    /// <summary>Reports per client address per China day; beyond it a report is refused (default 30).</summary>
    public int ReportsPerAddressPerDay { get; set; } = 30;

    /// <summary>Points credited when a resident's report is registered as a valid case (default 10).</summary>
    public int PointsPerValidReport { get; set; } = 10;

    public TimeSpan CodeLifetime => TimeSpan.FromSeconds(Math.Clamp(CodeLifetimeSeconds, 30, 3600));
    public TimeSpan CodeResend => TimeSpan.FromSeconds(Math.Clamp(CodeResendSeconds, 0, 3600));
    public TimeSpan Session => TimeSpan.FromMinutes(Math.Clamp(SessionMinutes, 1, 24 * 60));
    public int MaxAttempts => Math.Clamp(CodeMaxAttempts, 1, 20);
}
