using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NetTopologySuite.Geometries;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal static class GeometryMapping
{
    /// <summary>Maps a geometry property to a typed PostGIS column with a GiST index.</summary>
    public static void HasGeometry<TEntity, TGeometry>(this EntityTypeBuilder<TEntity> builder,
        System.Linq.Expressions.Expression<Func<TEntity, TGeometry>> property, string geometryType)
        where TEntity : class
        where TGeometry : NetTopologySuite.Geometries.Geometry
    {
        builder.Property(property)
            .HasColumnType($"geometry({geometryType},4326)")
            .IsRequired();
        builder.HasIndex(ToObjectExpression(property)).HasMethod("gist");
    }

    private static System.Linq.Expressions.Expression<Func<TEntity, object?>> ToObjectExpression<TEntity, TGeometry>(
        System.Linq.Expressions.Expression<Func<TEntity, TGeometry>> property) =>
        System.Linq.Expressions.Expression.Lambda<Func<TEntity, object?>>(
            System.Linq.Expressions.Expression.Convert(property.Body, typeof(object)), property.Parameters);
}
