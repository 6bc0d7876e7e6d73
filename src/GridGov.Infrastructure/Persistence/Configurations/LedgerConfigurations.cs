using GridGov.Domain.Common;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> builder)
    {
        builder.Property(h => h.RemovalReason).HasMaxLength(LedgerEntry.RemovalReasonMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(h => h.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(h => h.Address).HasMaxLength(Household.AddressMaxLength);
        builder.Property(h => h.Dwelling).HasMaxLength(Household.DwellingMaxLength);
        builder.HasOne<Building>().WithMany().HasForeignKey(h => h.BuildingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Resident>().WithMany().HasForeignKey(h => h.HeadResidentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Grid>().WithMany().HasForeignKey(h => h.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(h => h.BuildingId);
        // An import matches a household by its address (LedgerImportSql).
        builder.HasIndex(h => h.Address);
    }
}

internal sealed class LedgerImportConfiguration : IEntityTypeConfiguration<LedgerImport>
{
    public void Configure(EntityTypeBuilder<LedgerImport> builder)
    {
        builder.Property(i => i.FileName).HasMaxLength(LedgerImport.FileNameMaxLength);
        builder.Property(i => i.ActorName).HasMaxLength(LedgerImport.ActorNameMaxLength);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(i => i.ActorStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Community>().WithMany().HasForeignKey(i => i.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.At);
    }
}

internal sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> builder)
    {
        builder.Property(r => r.RemovalReason).HasMaxLength(LedgerEntry.RemovalReasonMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(r => r.Name).HasMaxLength(Resident.NameMaxLength);
        builder.Property(r => r.IdNumber).HasMaxLength(IdNumber.Length).IsFixedLength();
        builder.HasIndex(r => r.IdNumber).IsUnique();
        builder.Property(r => r.Phone).HasMaxLength(Domain.Common.Phone.MaxLength);
        builder.PrimitiveCollection(r => r.Groups).ElementType(e => e.HasConversion<string>());
        builder.HasIndex(r => r.Groups).HasMethod("gin");
        builder.HasOne<Household>().WithMany().HasForeignKey(r => r.HouseholdId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grid>().WithMany().HasForeignKey(r => r.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.HouseholdId);
    }
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.Property(u => u.RemovalReason).HasMaxLength(LedgerEntry.RemovalReasonMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(u => u.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(u => u.Name).HasMaxLength(Unit.NameMaxLength);
        builder.Property(u => u.Address).HasMaxLength(Unit.AddressMaxLength);
        builder.Property(u => u.ContactName).HasMaxLength(Unit.ContactNameMaxLength);
        builder.Property(u => u.ContactPhone).HasMaxLength(Domain.Common.Phone.MaxLength);
        // An import recognises a unit by its credit code, else by its name and address (LedgerImportSql).
        builder.Property(u => u.CreditCode).HasMaxLength(CreditCode.Length).IsFixedLength();
        builder.HasIndex(u => u.CreditCode).IsUnique().HasFilter("removed_at IS NULL AND credit_code IS NOT NULL");
        builder.HasIndex(u => new { u.Name, u.Address });
        builder.HasGeometry(u => u.Location, "Point");
        builder.HasOne<Grid>().WithMany().HasForeignKey(u => u.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t => t.HasCheckConstraint("ck_units_party_members", "party_member_count >= 0 AND party_member_count <= employee_count"));
    }
}

internal sealed class GridHelperConfiguration : IEntityTypeConfiguration<GridHelper>
{
    public void Configure(EntityTypeBuilder<GridHelper> builder)
    {
        builder.Property(h => h.RemovalReason).HasMaxLength(LedgerEntry.RemovalReasonMaxLength);
        builder.Property(h => h.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(h => h.Name).HasMaxLength(GridHelper.NameMaxLength);
        builder.Property(h => h.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(h => h.Coverage).HasMaxLength(GridHelper.CoverageMaxLength);
        builder.Property(h => h.Note).HasMaxLength(GridHelper.NoteMaxLength);
        builder.HasOne<Grid>().WithMany().HasForeignKey(h => h.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Resident>().WithMany().HasForeignKey(h => h.ResidentId).OnDelete(DeleteBehavior.Restrict);
        // One active part per person and grid: the same neighbour is not entered twice as a volunteer.
        builder.HasIndex(h => new { h.GridId, h.Role, h.Phone }).IsUnique().HasFilter("removed_at IS NULL");
    }
}

internal sealed class KeyPersonFollowUpConfiguration : IEntityTypeConfiguration<KeyPersonFollowUp>
{
    public void Configure(EntityTypeBuilder<KeyPersonFollowUp> builder)
    {
        builder.Property(f => f.Situation).HasMaxLength(KeyPersonFollowUp.SituationMaxLength);
        builder.HasOne<Resident>().WithMany().HasForeignKey(f => f.ResidentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(f => f.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => new { f.ResidentId, f.FollowedUpOn });
    }
}

internal sealed class ComponentConfiguration : IEntityTypeConfiguration<Component>
{
    public void Configure(EntityTypeBuilder<Component> builder)
    {
        builder.Property(c => c.RemovalReason).HasMaxLength(LedgerEntry.RemovalReasonMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(c => c.Code).HasMaxLength(Component.CodeLength).IsFixedLength();
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(Component.NameMaxLength);
        builder.HasGeometry(c => c.Location, "Point");
        builder.HasOne<Department>().WithMany().HasForeignKey(c => c.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grid>().WithMany().HasForeignKey(c => c.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}
