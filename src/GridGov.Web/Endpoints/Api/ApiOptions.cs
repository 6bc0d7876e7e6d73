using System.Text;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// The staff JSON API (section <c>Api</c>): the key that signs its access tokens (HMAC-SHA256) and how long a token lives.
/// The shipped key is a demo value for a machine nobody else reaches: the app refuses to start with it in Production
/// (<see cref="ApiSigningKeyCheck"/>); run.sh makes a key of its own per checkout.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The value in appsettings.json. Anyone who reads this repository can sign tokens with it.</summary>
    public const string DemoSigningKey = "demo-only-not-a-secret-gridgov-api-signing-key-change-me";

    /// <summary>HMAC-SHA256 needs at least 256 bits of key.</summary>
    public const int MinKeyBytes = 32;

    public const string Issuer = "GridGov";
    public const string Audience = "gridgov-staff-api";

    public string SigningKey { get; set; } = "";

    /// <summary>Lifetime of an access token; a phone signs in again after it (the account's state is checked on every request anyway).</summary>
    public int AccessTokenMinutes { get; set; } = 60;

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(Math.Clamp(AccessTokenMinutes, 1, 24 * 60));

    public byte[] KeyBytes => Encoding.UTF8.GetBytes(SigningKey ?? "");

    public bool IsDemoKey => string.Equals(SigningKey, DemoSigningKey, StringComparison.Ordinal);
}

/// <summary>
/// At start-up (the web host starting, not the migrate and seed commands): in Production the demo key, an empty key or one
/// shorter than 32 bytes stops the app with a message naming the setting; elsewhere the demo key is only a warning.
/// </summary>
internal sealed partial class ApiSigningKeyCheck(IOptions<ApiOptions> options, IHostEnvironment environment, ILogger<ApiSigningKeyCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var api = options.Value;
        var weak = api.KeyBytes.Length < ApiOptions.MinKeyBytes;
        if (environment.IsProduction() && (api.IsDemoKey || weak))
        {
            throw new InvalidOperationException(api.IsDemoKey
                ? "Api:SigningKey is the demo key shipped in appsettings.json; set your own (Api__SigningKey, at least 32 bytes) before running in Production."
                : "Api:SigningKey is missing or shorter than 32 bytes; set Api__SigningKey to a random value of at least 32 bytes.");
        }
        if (api.IsDemoKey)
        {
            LogDemoKey(environment.EnvironmentName);
        }
        else if (weak)
        {
            throw new InvalidOperationException("Api:SigningKey is shorter than 32 bytes.");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The staff API signs its tokens with the demo key of appsettings.json ({Environment}): set Api__SigningKey before anyone else can reach this app")]
    private partial void LogDemoKey(string environment);
}
