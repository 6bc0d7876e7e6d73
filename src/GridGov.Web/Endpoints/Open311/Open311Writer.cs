using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace GridGov.Web.Endpoints.Open311;

/// <summary>One element of a GeoReport response: a name and a string, number, boolean, null or a nested list.</summary>
public sealed record Open311Field(string Name, object? Value);

/// <summary>A nested list (a service definition's attributes, an attribute's values): XML wraps each item in <see cref="ItemName"/>.</summary>
public sealed record Open311List(string ItemName, IReadOnlyList<IReadOnlyList<Open311Field>> Items);

/// <summary>
/// A GeoReport v2 response: a list (JSON array; XML <c>&lt;Root&gt;&lt;Item&gt;…</c>, e.g. services/service,
/// service_requests/request, errors/error), or one object (service_definition).
/// </summary>
public sealed record Open311Body(string Root, string? ItemName, IReadOnlyList<IReadOnlyList<Open311Field>> Items)
{
    public static Open311Body List(string root, string item, IEnumerable<IReadOnlyList<Open311Field>> items) => new(root, item, [.. items]);

    public static Open311Body Object(string root, IReadOnlyList<Open311Field> fields) => new(root, null, [fields]);
}

public enum Open311Format
{
    Json,
    Xml,
}

/// <summary>Writes a response in either format, UTF-8; XML with its declaration (as the specification asks).</summary>
public static class Open311Writer
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string XmlContentType = "text/xml; charset=utf-8";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static Open311Format? FormatOf(string? format) => format?.ToLowerInvariant() switch
    {
        "json" => Open311Format.Json,
        "xml" => Open311Format.Xml,
        _ => null,
    };

    public static async Task WriteAsync(HttpResponse response, int status, Open311Format format, Open311Body body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = format == Open311Format.Json ? JsonContentType : XmlContentType;
        response.Headers.CacheControl = "no-store";
        var bytes = format == Open311Format.Json ? Json(body) : Xml(body);
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    public static byte[] Json(Open311Body body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            if (body.ItemName is null)
            {
                WriteObject(writer, body.Items[0]);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var item in body.Items)
                {
                    WriteObject(writer, item);
                }
                writer.WriteEndArray();
            }
        }
        return stream.ToArray();
    }

    public static byte[] Xml(Open311Body body)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(body.Root);
            if (body.ItemName is null)
            {
                WriteElements(writer, body.Items[0]);
            }
            else
            {
                foreach (var item in body.Items)
                {
                    writer.WriteStartElement(body.ItemName);
                    WriteElements(writer, item);
                    writer.WriteEndElement();
                }
            }
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter writer, IReadOnlyList<Open311Field> fields)
    {
        writer.WriteStartObject();
        foreach (var field in fields)
        {
            writer.WritePropertyName(field.Name);
            switch (field.Value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                case double number:
                    writer.WriteNumberValue(number);
                    break;
                case Open311List list:
                    writer.WriteStartArray();
                    foreach (var item in list.Items)
                    {
                        WriteObject(writer, item);
                    }
                    writer.WriteEndArray();
                    break;
                default:
                    throw new NotSupportedException($"No GeoReport value for {field.Value.GetType().Name}");
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteElements(XmlWriter writer, IReadOnlyList<Open311Field> fields)
    {
        foreach (var field in fields)
        {
            writer.WriteStartElement(field.Name);
            switch (field.Value)
            {
                case null:
                    break;
                case string text:
                    writer.WriteString(XmlText(text));
                    break;
                case bool flag:
                    writer.WriteString(flag ? "true" : "false");
                    break;
                case int number:
                    writer.WriteString(number.ToString(CultureInfo.InvariantCulture));
                    break;
                case double number:
                    writer.WriteString(number.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case Open311List list:
                    foreach (var item in list.Items)
                    {
                        writer.WriteStartElement(list.ItemName);
                        WriteElements(writer, item);
                        writer.WriteEndElement();
                    }
                    break;
                default:
                    throw new NotSupportedException($"No GeoReport value for {field.Value.GetType().Name}");
            }
            writer.WriteEndElement();
        }
    }

    /// <summary>Characters XML 1.0 cannot carry are left out (input refuses control characters, but older rows may hold one).</summary>
    private static string XmlText(string text)
    {
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                kept.Append(text, i, 2);
                i++;
            }
        }
        return kept.ToString();
    }
}
