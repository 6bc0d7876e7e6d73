using GridGov.Domain.Cases;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Domain.Patrols;
using GridGov.Domain.Reviews;
using GridGov.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class LedgerChangeConfiguration : IEntityTypeConfiguration<LedgerChange>
{
    public void Configure(EntityTypeBuilder<LedgerChange> builder)
    {
        builder.Property(c => c.EntityType).HasMaxLength(LedgerChange.EntityTypeMaxLength);
        builder.Property(c => c.ActorName).HasMaxLength(LedgerChange.ActorNameMaxLength);
        builder.Property(c => c.Before).HasColumnType("jsonb");
        builder.Property(c => c.After).HasColumnType("jsonb");
        builder.HasIndex(c => new { c.EntityType, c.EntityId, c.At });
        builder.HasOne<LedgerImport>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> builder)
    {
        builder.Property(v => v.Findings).HasMaxLength(Visit.FindingsMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(v => v.Version).IsRowVersion().HasColumnName("xmin");
        builder.Property(v => v.Companions).HasMaxLength(Visit.CompanionsMaxLength);
        builder.HasOne<Household>().WithMany().HasForeignKey(v => v.HouseholdId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grid>().WithMany().HasForeignKey(v => v.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(v => v.VisitorStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<VisitDemand>().WithMany().HasForeignKey(v => v.VisitDemandId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(v => v.RaisedCaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.VisitorStaffId, v.VisitedAt });
        builder.HasIndex(v => new { v.HouseholdId, v.VisitedAt });
        // A month of the whole street's visits (the reviews and the evaluation), read without scanning every visit ever made.
        builder.HasIndex(v => v.VisitedAt);
        builder.HasIndex(v => new { v.GridId, v.VisitedAt });
    }
}

internal sealed class VisitDemandConfiguration : IEntityTypeConfiguration<VisitDemand>
{
    public void Configure(EntityTypeBuilder<VisitDemand> builder)
    {
        builder.Property(d => d.Note).HasMaxLength(VisitDemand.NoteMaxLength);
        builder.HasOne<Household>().WithMany().HasForeignKey(d => d.HouseholdId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.HouseholdId, d.DueBy });
        builder.HasIndex(d => d.DueBy).HasFilter("fulfilled_at IS NULL").HasDatabaseName("ix_visit_demands_open");
        // One automatic demand per case and household.
        builder.HasIndex(d => new { d.CaseId, d.HouseholdId }).IsUnique().HasFilter("case_id IS NOT NULL");
        builder.Ignore(d => d.IsOpen);
    }
}

internal sealed class PatrolConfiguration : IEntityTypeConfiguration<Patrol>
{
    public void Configure(EntityTypeBuilder<Patrol> builder)
    {
        builder.Property(p => p.Notes).HasMaxLength(Patrol.NotesMaxLength);
        builder.HasGeometry(p => p.Track, "LineString");
        builder.HasOne<Grid>().WithMany().HasForeignKey(p => p.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(p => p.PatrollerStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.GridId, p.StartedAt });
        builder.HasIndex(p => new { p.PatrollerStaffId, p.StartedAt });
        // The same patrol posted twice is stored once, also when two posts race (e.g. on two app nodes): PatrolService.
        builder.HasIndex(p => new { p.PatrollerStaffId, p.GridId, p.StartedAt, p.EndedAt }).IsUnique();
        // The form's submission id is the patroller's idempotency key; the second index finds someone else's use of it.
        builder.HasIndex(p => new { p.PatrollerStaffId, p.SubmissionId }).IsUnique().HasFilter("submission_id IS NOT NULL");
        builder.HasIndex(p => p.SubmissionId).HasFilter("submission_id IS NOT NULL");
        builder.ToTable(t => t.HasCheckConstraint("ck_patrols_times", "ended_at > started_at"));
    }
}

internal sealed class OngoingPatrolConfiguration : IEntityTypeConfiguration<OngoingPatrol>
{
    public void Configure(EntityTypeBuilder<OngoingPatrol> builder)
    {
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.GridCode).HasMaxLength(15).IsFixedLength();
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(p => p.PatrollerStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Patrol>().WithMany().HasForeignKey(p => p.RecordedPatrolId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.PatrollerStaffId, p.StartedAt });
    }
}

internal sealed class OngoingPatrolPointConfiguration : IEntityTypeConfiguration<OngoingPatrolPoint>
{
    public void Configure(EntityTypeBuilder<OngoingPatrolPoint> builder)
    {
        // One fix per moment: a batch the phone sends again adds nothing.
        builder.HasKey(p => new { p.OngoingPatrolId, p.RecordedAt });
        builder.HasOne<OngoingPatrol>().WithMany().HasForeignKey(p => p.OngoingPatrolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonthlyReviewConfiguration : IEntityTypeConfiguration<MonthlyReview>
{
    public void Configure(EntityTypeBuilder<MonthlyReview> builder)
    {
        builder.Property(r => r.GridCode).HasMaxLength(AdministrativeCode.GridCodeLength).IsFixedLength();
        builder.Property(r => r.Comment).HasMaxLength(MonthlyReview.CommentMaxLength);
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasIndex(r => new { r.GridCode, r.Month }).IsUnique();
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.SignedOffByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(r => r.ChangedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(r => r.IsSignedOff);
    }
}
