namespace GridGov.Domain.Common;

/// <summary>
/// A business rule was broken. <see cref="Exception.Message"/> is written for the user (Chinese first);
/// <see cref="Code"/> is a stable English key for logs and tests.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
