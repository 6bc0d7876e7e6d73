using GridGov.Domain.Bulletins;
using GridGov.Domain.Evaluation;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class BulletinConfiguration : IEntityTypeConfiguration<Bulletin>
{
    public void Configure(EntityTypeBuilder<Bulletin> builder)
    {
        builder.ToTable("bulletins", t =>
        {
            t.HasCheckConstraint("ck_bulletins_issued", "(state = 'Issued') = (issue_number IS NOT NULL AND issue_year IS NOT NULL AND issued_at IS NOT NULL AND issued_by_staff_id IS NOT NULL)");
            t.HasCheckConstraint("ck_bulletins_month", "extract(day FROM month) = 1");
        });
        builder.Property(b => b.ContentJson).HasColumnName("content").HasColumnType("jsonb");
        builder.Property(b => b.Foreword).HasMaxLength(Bulletin.ForewordMaxLength);
        builder.Property(b => b.ClosingNotes).HasMaxLength(Bulletin.ClosingNotesMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(b => b.Version).IsRowVersion().HasColumnName("xmin");
        builder.Ignore(b => b.IsIssued);
        builder.Ignore(b => b.IssueTitle);
        // One bulletin per month; issue numbers unique within their year.
        builder.HasIndex(b => b.Month).IsUnique();
        builder.HasIndex(b => new { b.IssueYear, b.IssueNumber }).IsUnique().HasFilter("issue_number IS NOT NULL");
        builder.HasOne<EvaluationSnapshot>().WithMany().HasForeignKey(b => b.SnapshotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(b => b.CreatedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(b => b.ChangedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(b => b.IssuedByStaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
