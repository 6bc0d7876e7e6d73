using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GridGov.Infrastructure.Persistence.Geometry;

/// <summary>EWKB (little-endian, with SRID, 2D) to and from NetTopologySuite geometries.</summary>
public static class Ewkb
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    public static byte[] Write(NetTopologySuite.Geometries.Geometry geometry) =>
        new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false).Write(geometry);

    public static NetTopologySuite.Geometries.Geometry Read(byte[] bytes)
    {
        var geometry = new WKBReader(Factory.GeometryServices).Read(bytes);
        if (geometry.SRID == 0)
        {
            geometry.SRID = Srid.Wgs84;
        }
        return geometry;
    }
}

public sealed class GeometryConverter<TGeometry>() : ValueConverter<TGeometry, byte[]>(
    geometry => Ewkb.Write(geometry),
    bytes => (TGeometry)Ewkb.Read(bytes))
    where TGeometry : NetTopologySuite.Geometries.Geometry;
