using GridGov.Domain.Hotline;

namespace GridGov.Application.Hotline;

/// <summary>
/// The 12345 hotline link (section <c>Hotline</c>). The shipped shared secret is a demo value for a machine with no real
/// hotline: a production deployment sets its own (<c>Hotline__SharedSecret</c>) and the hotline's status URL.
/// </summary>
public sealed class HotlineOptions
{
    public const string Section = "Hotline";
    /// <summary>The demo secret in appsettings.json; its use is logged as a warning at start-up.</summary>
    public const string DemoSecret = "demo-only-not-a-secret-change-me";

    /// <summary>HMAC-SHA256 key of both directions: the orders posted to us and the status pushed back.</summary>
    public string SharedSecret { get; set; } = "";
    /// <summary>The hotline's status endpoint; no URL, no push is sent (they stay pending).</summary>
    public string? StatusUrl { get; set; }
    /// <summary>How far a request's timestamp may be from our clock, either way.</summary>
    public int MaxClockSkewSeconds { get; set; } = 300;
    /// <summary>The minor class an order goes to when neither a mapping nor a class code knows its category; empty: such orders are refused.</summary>
    public string DefaultCategoryCode { get; set; } = "1406";
    public int MaxBodyKilobytes { get; set; } = 64;
    public int MaxAttempts { get; set; } = 8;
    public double FirstRetrySeconds { get; set; } = 30;
    public double MaxRetrySeconds { get; set; } = 3600;
    /// <summary>How often the sender looks for due pushes.</summary>
    public double SendIntervalSeconds { get; set; } = 5;
    public double RequestTimeoutSeconds { get; set; } = 10;

    public HotlinePushPolicy Policy =>
        new(Math.Max(1, MaxAttempts), TimeSpan.FromSeconds(Math.Max(0, FirstRetrySeconds)), TimeSpan.FromSeconds(Math.Max(FirstRetrySeconds, MaxRetrySeconds)));
}
