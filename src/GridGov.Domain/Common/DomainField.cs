namespace GridGov.Domain.Common;

/// <summary>
/// An input a rule talks about: <see cref="Name"/> is the key forms use for the input (null when none is known),
/// <see cref="Label"/> the Chinese label a message names it by. A plain string converts to a field without a name, so
/// callers that pass a label still compile; the ones in <see cref="DomainFields"/> carry both.
/// </summary>
public sealed record DomainField(string? Name, string Label)
{
    public static implicit operator DomainField(string label) => new(null, label);

    public override string ToString() => Label;
}
