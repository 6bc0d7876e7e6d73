namespace GridGov.Domain.Common;

/// <summary>
/// A business rule was broken. <see cref="Exception.Message"/> is written for the user in Chinese (logs, the Chinese UI);
/// <see cref="Code"/> is a stable English key that names exactly one message: the UI looks its English template up by the
/// code and fills it with <see cref="Arguments"/>. <see cref="Field"/> names the input the error belongs to, so a form
/// shows it under that input.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The input the error belongs to (a <see cref="DomainField.Name"/>, e.g. <c>DomainFields.IdNumber.Name</c>); null for a general refusal.</summary>
    public string? Field { get; init; }

    /// <summary>The values the message names, in the order of the template's placeholders ({0}, {1}…).</summary>
    public IReadOnlyList<object?> Arguments { get; init; } = [];

    /// <summary>A refusal about one input: <paramref name="field"/> gives the field and is the template's first argument.</summary>
    public static DomainException For(DomainField field, string code, string message, params object?[] more) =>
        new(code, message) { Field = field.Name, Arguments = [field, .. more] };
}
