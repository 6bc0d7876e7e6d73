namespace GridGov.Application.Cases;

/// <summary>Hands out case numbers: yyyyMMdd + a 6-digit sequence that restarts every day (China time).</summary>
public interface ICaseNumbers
{
    /// <summary>Runs in the caller's transaction, so a rolled-back report gives its number back.</summary>
    Task<string> NextAsync(DateOnly day, CancellationToken cancellationToken = default);
}
