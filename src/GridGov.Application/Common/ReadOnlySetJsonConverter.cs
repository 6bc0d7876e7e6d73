using System.Text.Json;
using System.Text.Json.Serialization;

namespace GridGov.Application.Common;

/// <summary>
/// Reads and writes an <see cref="IReadOnlySet{T}"/> as a JSON array, which System.Text.Json does not do by itself:
/// views that a prerendered page persists for its interactive render (<c>[PersistentState]</c>) carry such sets.
/// </summary>
public sealed class ReadOnlySetJsonConverter<T> : JsonConverter<IReadOnlySet<T>>
{
    public override IReadOnlySet<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<HashSet<T>>(ref reader, options) ?? [];

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToArray(), options);
}
