using System.Globalization;
using GridGov.Domain.Common;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Resources;

/// <summary>
/// Turns a <see cref="DomainException"/> into the text a page shows in the current UI culture: in Chinese the
/// exception's own message; otherwise the code's template from DomainMessagesResource filled with its arguments, each
/// argument named in that language too (a field by its label, an enum value by its DomainNamesResource name).
/// </summary>
public sealed class DomainMessages(IStringLocalizer<DomainMessagesResource> messages, IStringLocalizer<DomainNamesResource> names)
{
    public string Text(DomainException exception)
    {
        if (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh")
        {
            return exception.Message;
        }
        var template = messages[exception.Code];
        if (template.ResourceNotFound)
        {
            return exception.Message;
        }
        try
        {
            return string.Format(CultureInfo.CurrentCulture, template.Value, [.. exception.Arguments.Select(Argument)]);
        }
        catch (FormatException)
        {
            // A template that asks for more arguments than the throw gave: the Chinese message is still right.
            return exception.Message;
        }
    }

    /// <summary>A field's label in the current UI culture (the Chinese label when it has no translation).</summary>
    public string Label(DomainField field)
    {
        var label = messages["Label." + field.Label];
        return label.ResourceNotFound ? field.Label : label.Value;
    }

    private object? Argument(object? value) => value switch
    {
        null => "",
        DomainField field => Label(field),
        Enum named => names.Of(named),
        _ => value,
    };
}
