using Npgsql.Internal;
using Npgsql.Internal.Postgres;

namespace GridGov.Infrastructure.Persistence.Geometry;

#pragma warning disable NPG9001, NPG9002 // Npgsql's converter API is marked experimental; it is the documented extension point.

/// <summary>
/// Lets Npgsql read and write PostGIS <c>geometry</c> values as raw EWKB bytes. This stands in for the
/// Npgsql NetTopologySuite plugin, which cannot be restored here (docs/decisions/0001); NetTopologySuite
/// turns the bytes into geometries in <see cref="GeometryConverters"/>.
/// </summary>
internal sealed class GeometryTypeInfoResolverFactory : PgTypeInfoResolverFactory
{
    public override IPgTypeInfoResolver CreateResolver() => new Resolver();

    public override IPgTypeInfoResolver? CreateArrayResolver() => null;

    private sealed class Resolver : IPgTypeInfoResolver
    {
        private TypeInfoMappingCollection? _mappings;

        public PgTypeInfo? GetTypeInfo(Type? type, DataTypeName? dataTypeName, PgSerializerOptions options) =>
            (_mappings ??= CreateMappings()).Find(type, dataTypeName, options);

        private static TypeInfoMappingCollection CreateMappings()
        {
            var mappings = new TypeInfoMappingCollection();
            mappings.AddType<byte[]>("geometry",
                static (options, mapping, _) => mapping.CreateInfo(options, new EwkbConverter()),
                isDefault: true);
            return mappings;
        }
    }

    /// <summary>PostGIS's binary wire format for geometry is EWKB, so the bytes pass through unchanged.</summary>
    private sealed class EwkbConverter : PgBufferedConverter<byte[]>
    {
        public override bool CanConvert(DataFormat format, out BufferRequirements bufferRequirements)
        {
            // The whole value must sit in the buffer: a buffered converter cannot flush halfway (COPY writes asynchronously).
            bufferRequirements = BufferRequirements.Value;
            return format is DataFormat.Binary;
        }

        public override Size GetSize(SizeContext context, byte[] value, ref object? writeState) => value.Length;

        protected override byte[] ReadCore(PgReader reader)
        {
            var bytes = new byte[reader.CurrentRemaining];
            reader.ReadBytes(bytes);
            return bytes;
        }

        protected override void WriteCore(PgWriter writer, byte[] value) => writer.WriteBytes(value);
    }
}
