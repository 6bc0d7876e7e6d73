using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Organisation;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class ResidentCodeConfiguration : IEntityTypeConfiguration<ResidentCode>
{
    public void Configure(EntityTypeBuilder<ResidentCode> builder)
    {
        builder.ToTable("resident_codes");
        builder.Property(c => c.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(c => c.ClientAddress).HasMaxLength(ResidentCode.ClientAddressMaxLength);
        builder.Property(c => c.SecretSalt).HasMaxLength(ResidentCode.SaltBytes);
        builder.Property(c => c.SecretHash).HasMaxLength(ResidentCode.HashBytes);
        // The limits count a phone's and an address's codes of the day; the check finds a phone's newest code.
        builder.HasIndex(c => new { c.Phone, c.CreatedAt });
        builder.HasIndex(c => new { c.ClientAddress, c.CreatedAt });
    }
}

internal sealed class ResidentPointAccountConfiguration : IEntityTypeConfiguration<ResidentPointAccount>
{
    public void Configure(EntityTypeBuilder<ResidentPointAccount> builder)
    {
        builder.ToTable("resident_point_accounts", t => t.HasCheckConstraint("ck_resident_point_accounts_balance", "balance >= 0"));
        builder.HasKey(a => a.Phone);
        builder.Property(a => a.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(a => a.Version).IsRowVersion().HasColumnName("xmin");
    }
}

internal sealed class ResidentPointEntryConfiguration : IEntityTypeConfiguration<ResidentPointEntry>
{
    public void Configure(EntityTypeBuilder<ResidentPointEntry> builder)
    {
        builder.ToTable("resident_point_entries", t => t.HasCheckConstraint("ck_resident_point_entries_balance", "balance_after >= 0"));
        builder.Property(e => e.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(e => e.CaseNumber).HasMaxLength(Case.NumberLength).IsFixedLength();
        builder.Property(e => e.Note).HasMaxLength(ResidentPointEntry.NoteMaxLength);
        builder.HasOne<ResidentPointAccount>().WithMany().HasForeignKey(e => e.Phone).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Redemption>().WithMany().HasForeignKey(e => e.RedemptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.Phone, e.At });
        // A case earns its points once and is reversed once, whatever races.
        builder.HasIndex(e => new { e.CaseId, e.Kind }).IsUnique().HasFilter("case_id IS NOT NULL");
    }
}

internal sealed class ExchangeItemConfiguration : IEntityTypeConfiguration<ExchangeItem>
{
    public void Configure(EntityTypeBuilder<ExchangeItem> builder)
    {
        builder.ToTable("exchange_items", t => t.HasCheckConstraint("ck_exchange_items_stock", "stock >= 0 AND points > 0"));
        builder.Property(i => i.Name).HasMaxLength(ExchangeItem.NameMaxLength);
        builder.HasIndex(i => i.Name).IsUnique();
        builder.Property(i => i.Version).IsRowVersion().HasColumnName("xmin");
    }
}

internal sealed class RedemptionConfiguration : IEntityTypeConfiguration<Redemption>
{
    public void Configure(EntityTypeBuilder<Redemption> builder)
    {
        builder.ToTable("redemptions");
        builder.Property(r => r.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(r => r.ItemName).HasMaxLength(ExchangeItem.NameMaxLength);
        builder.Property(r => r.StaffName).HasMaxLength(Case.NameMaxLength);
        builder.HasOne<ExchangeItem>().WithMany().HasForeignKey(r => r.ExchangeItemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.Phone, r.At });
    }
}

internal sealed class HeldReportConfiguration : IEntityTypeConfiguration<HeldReport>
{
    public void Configure(EntityTypeBuilder<HeldReport> builder)
    {
        builder.ToTable("held_reports");
        builder.Property(h => h.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(h => h.Description).HasMaxLength(Case.DescriptionMaxLength);
        builder.Property(h => h.Address).HasMaxLength(Case.AddressMaxLength);
        builder.HasGeometry(h => h.Location, "Point");
        builder.Property(h => h.ClientAddress).HasMaxLength(ResidentCode.ClientAddressMaxLength);
        builder.Property(h => h.DecidedByName).HasMaxLength(Case.NameMaxLength);
        builder.Property(h => h.RefusalReason).HasMaxLength(HeldReport.ReasonMaxLength);
        builder.Property(h => h.CaseNumber).HasMaxLength(Case.NumberLength).IsFixedLength();
        builder.HasOne<Category>().WithMany().HasForeignKey(h => h.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(h => h.DecidedByStaffId).OnDelete(DeleteBehavior.Restrict);
        // A replayed form finds its held report; a concurrent second post loses here.
        builder.HasIndex(h => h.SubmissionId).IsUnique();
        builder.HasIndex(h => new { h.State, h.HeldAt });
        builder.Property(h => h.Version).IsRowVersion().HasColumnName("xmin");
    }
}

internal sealed class ResidentReportRecordConfiguration : IEntityTypeConfiguration<ResidentReportRecord>
{
    public void Configure(EntityTypeBuilder<ResidentReportRecord> builder)
    {
        builder.ToTable("resident_report_records");
        builder.Property(r => r.Phone).HasMaxLength(Phone.MaxLength);
        builder.Property(r => r.ClientAddress).HasMaxLength(ResidentCode.ClientAddressMaxLength);
        builder.Property(r => r.CaseNumber).HasMaxLength(Case.NumberLength).IsFixedLength();
        builder.HasOne<HeldReport>().WithMany().HasForeignKey(r => r.HeldReportId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.Phone, r.At });
        builder.HasIndex(r => new { r.ClientAddress, r.At });
    }
}
