using GridGov.Domain.Geography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class StreetConfiguration : IEntityTypeConfiguration<Street>
{
    public void Configure(EntityTypeBuilder<Street> builder)
    {
        builder.Property(s => s.Code).HasMaxLength(AdministrativeCode.StreetCodeLength).IsFixedLength();
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(Street.NameMaxLength);
        builder.Property(s => s.DivisionName).HasMaxLength(Street.NameMaxLength);
        builder.HasGeometry(s => s.Boundary, "Polygon");
        builder.HasMany(s => s.Communities).WithOne(c => c.Street).HasForeignKey(c => c.StreetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CommunityConfiguration : IEntityTypeConfiguration<Community>
{
    public void Configure(EntityTypeBuilder<Community> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(AdministrativeCode.CommunityCodeLength).IsFixedLength();
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(Community.NameMaxLength);
        builder.HasGeometry(c => c.Boundary, "Polygon");
        builder.HasMany(c => c.Grids).WithOne(g => g.Community).HasForeignKey(g => g.CommunityId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GridConfiguration : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> builder)
    {
        builder.Property(g => g.Code).HasMaxLength(AdministrativeCode.GridCodeLength).IsFixedLength();
        builder.HasIndex(g => g.Code).IsUnique();
        builder.Property(g => g.Name).HasMaxLength(Grid.NameMaxLength);
        builder.HasGeometry(g => g.Boundary, "Polygon");
        builder.Ignore(g => g.IsCurrent);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(g => g.Version).IsRowVersion().HasColumnName("xmin");
        builder.ToTable(t => t.HasCheckConstraint("ck_grids_valid_range", "valid_to IS NULL OR valid_to > valid_from"));
    }
}

internal sealed class GridBoundaryVersionConfiguration : IEntityTypeConfiguration<GridBoundaryVersion>
{
    public void Configure(EntityTypeBuilder<GridBoundaryVersion> builder)
    {
        builder.HasOne<Grid>().WithMany().HasForeignKey(v => v.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasGeometry(v => v.Boundary, "Polygon");
        builder.HasIndex(v => new { v.GridId, v.ValidFrom }).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_grid_boundary_versions_range", "valid_to > valid_from"));
    }
}

internal sealed class CompoundConfiguration : IEntityTypeConfiguration<Compound>
{
    public void Configure(EntityTypeBuilder<Compound> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(Compound.NameMaxLength);
        builder.HasGeometry(c => c.Location, "Point");
        builder.HasOne<Grid>().WithMany().HasForeignKey(c => c.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> builder)
    {
        builder.Property(b => b.Name).HasMaxLength(Building.NameMaxLength);
        builder.HasGeometry(b => b.Location, "Point");
        builder.HasOne<Compound>().WithMany().HasForeignKey(b => b.CompoundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grid>().WithMany().HasForeignKey(b => b.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}
