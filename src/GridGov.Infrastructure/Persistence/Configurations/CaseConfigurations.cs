using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Geography;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(Case.NumberLength).IsFixedLength();
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.Description).HasMaxLength(Case.DescriptionMaxLength);
        builder.Property(c => c.Address).HasMaxLength(Case.AddressMaxLength);
        builder.Property(c => c.GridCode).HasMaxLength(AdministrativeCode.GridCodeLength).IsFixedLength();
        builder.Property(c => c.ReporterName).HasMaxLength(Case.NameMaxLength);
        builder.Property(c => c.ReporterPhone).HasMaxLength(Domain.Common.Phone.MaxLength);
        builder.Property(c => c.Result).HasMaxLength(Case.ResultMaxLength);
        builder.Property(c => c.SatisfactionComment).HasMaxLength(Case.ReasonMaxLength);
        builder.Property(c => c.LateExplanation).HasMaxLength(Case.LateExplanationMaxLength);
        builder.HasGeometry(c => c.Location, "Point");
        // PostgreSQL's system column xmin changes on every update: the concurrency token, with no column of our own.
        builder.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
        // Submission ids are idempotency keys of their author and purpose (an anonymous reporter is one author: nulls not distinct).
        builder.HasIndex(c => new { c.ReporterStaffId, c.SubmissionPurpose, c.SubmissionId })
            .IsUnique().AreNullsDistinct(false).HasFilter("submission_id IS NOT NULL");
        builder.HasIndex(c => c.SubmissionId).HasFilter("submission_id IS NOT NULL");
        // One case per 12345 work order.
        builder.Property(c => c.HotlineOrderNumber).HasMaxLength(Domain.Hotline.HotlineOrder.OrderNumberMaxLength);
        builder.HasIndex(c => c.HotlineOrderNumber).IsUnique().HasFilter("hotline_order_number IS NOT NULL");

        builder.HasOne<Category>().WithMany().HasForeignKey(c => c.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grid>().WithMany().HasForeignKey(c => c.GridId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Community>().WithMany().HasForeignKey(c => c.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Department>().WithMany().HasForeignKey(c => c.AssignedDepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(c => c.AssignedStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.MergedIntoCaseId).OnDelete(DeleteBehavior.Restrict);

        // The overdue and warning queries: only cases with a running clock carry a due time.
        builder.HasIndex(c => c.CurrentDue).HasFilter("current_due IS NOT NULL").HasDatabaseName("ix_cases_running_clock");
        builder.HasIndex(c => new { c.State, c.ReportedAt });
        builder.HasIndex(c => new { c.AssignedDepartmentId, c.State });
        builder.HasIndex(c => new { c.CategoryId, c.ReportedAt });
        // The case list's default order and its keyset pages.
        builder.HasIndex(c => new { c.ReportedAt, c.Id });
        // A worker's own reports (inbox) and a handler's co-handled cases (list scope).
        builder.HasIndex(c => new { c.ReporterStaffId, c.ReportedAt });
        // The monthly evaluation's closure figures: cases whose handling deadline fell in the month.
        builder.HasIndex(c => c.HandleDue).HasFilter("handle_due IS NOT NULL");
        // Cases closed in a period (the dashboard's "closed today", the bulletin's and evaluation's closures).
        builder.HasIndex(c => c.ClosedAt).HasFilter("closed_at IS NOT NULL");
        builder.HasIndex(c => c.CoHandlingDepartmentIds).HasMethod("gin");

        builder.HasMany(c => c.History).WithOne().HasForeignKey(h => h.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Evidence).WithOne().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Whistles).WithOne().HasForeignKey(w => w.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Followers).WithOne().HasForeignKey(f => f.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Extensions).WithOne().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.SatisfactionAnswers).WithOne().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(c => c.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.Whistles).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.Followers).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.Extensions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(c => c.SatisfactionAnswers).UsePropertyAccessMode(PropertyAccessMode.Field);
        // A new dispatch replaces the co-handling rows (their trace is in case_history): removed rows are deleted.
        builder.HasMany(c => c.CoHandlings).WithOne().HasForeignKey(h => h.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.CoHandlings).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(c => c.ResolvedAt);
        builder.Ignore(c => c.PendingExtension);
    }
}

internal sealed class CaseHistoryEntryConfiguration : IEntityTypeConfiguration<CaseHistoryEntry>
{
    public void Configure(EntityTypeBuilder<CaseHistoryEntry> builder)
    {
        builder.ToTable("case_history");
        builder.Property(h => h.ActorName).HasMaxLength(Case.NameMaxLength);
        builder.Property(h => h.Note).HasMaxLength(CaseHistoryEntry.NoteMaxLength);
        builder.HasIndex(h => new { h.CaseId, h.At });
        builder.HasIndex(h => new { h.Action, h.DepartmentId });
        // The monthly evaluation counts each kind of action in a month.
        builder.HasIndex(h => new { h.Action, h.At });
        builder.Ignore(h => h.WasOnTime);
        builder.HasOne<Department>().WithMany().HasForeignKey(h => h.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseEvidenceConfiguration : IEntityTypeConfiguration<CaseEvidence>
{
    public void Configure(EntityTypeBuilder<CaseEvidence> builder)
    {
        builder.ToTable("case_evidence");
        builder.Property(e => e.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.ContentType).HasMaxLength(40);
        builder.Property(e => e.FileName).HasMaxLength(CaseEvidence.FileNameMaxLength);
        builder.HasIndex(e => e.CaseId);
    }
}

internal sealed class WhistleConfiguration : IEntityTypeConfiguration<Whistle>
{
    public void Configure(EntityTypeBuilder<Whistle> builder)
    {
        builder.Property(w => w.Response).HasMaxLength(Whistle.ResponseMaxLength);
        builder.HasOne<Department>().WithMany().HasForeignKey(w => w.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => w.CaseId);
        builder.Ignore(w => w.IsAnswered);
    }
}

internal sealed class CaseExtensionConfiguration : IEntityTypeConfiguration<CaseExtension>
{
    public void Configure(EntityTypeBuilder<CaseExtension> builder)
    {
        builder.Property(e => e.RequestedByName).HasMaxLength(Case.NameMaxLength);
        builder.Property(e => e.DecidedByName).HasMaxLength(Case.NameMaxLength);
        builder.Property(e => e.Reason).HasMaxLength(CaseExtension.ReasonMaxLength);
        builder.Property(e => e.DecisionNote).HasMaxLength(CaseExtension.ReasonMaxLength);
        builder.HasOne<Department>().WithMany().HasForeignKey(e => e.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => e.CaseId, "ix_case_extensions_case_id");
        // One request waits at a time per case, also against two concurrent requests.
        builder.HasIndex(e => e.CaseId, "ux_case_extensions_one_pending").IsUnique().HasFilter("status = 'Pending'");
        // The inboxes of the dispatcher and the street leader; evaluation by department and month.
        builder.HasIndex(e => new { e.Approver, e.RequestedAt }).HasFilter("status = 'Pending'").HasDatabaseName("ix_case_extensions_pending");
        builder.HasIndex(e => new { e.DepartmentId, e.RequestedAt });
        builder.Ignore(e => e.IsPending);
    }
}

internal sealed class CaseCoHandlingConfiguration : IEntityTypeConfiguration<CaseCoHandling>
{
    public void Configure(EntityTypeBuilder<CaseCoHandling> builder)
    {
        builder.ToTable("case_co_handlings");
        builder.Property(h => h.AcceptedByName).HasMaxLength(Case.NameMaxLength);
        builder.Property(h => h.AnsweredByName).HasMaxLength(Case.NameMaxLength);
        builder.Property(h => h.Opinion).HasMaxLength(CaseCoHandling.OpinionMaxLength);
        builder.Property(h => h.EndReason).HasMaxLength(Case.ReasonMaxLength);
        builder.HasOne<Department>().WithMany().HasForeignKey(h => h.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(h => new { h.CaseId, h.DepartmentId }).IsUnique();
        // The inbox of a co-handling department: what still waits for its answer.
        builder.HasIndex(h => h.DepartmentId).HasFilter("answered_at IS NULL AND ended_at IS NULL").HasDatabaseName("ix_case_co_handlings_open");
        builder.Ignore(h => h.Status);
        builder.Ignore(h => h.IsOpen);
    }
}

internal sealed class SatisfactionAnswerConfiguration : IEntityTypeConfiguration<SatisfactionAnswer>
{
    public void Configure(EntityTypeBuilder<SatisfactionAnswer> builder)
    {
        builder.ToTable("case_satisfaction_answers");
        builder.Property(a => a.Comment).HasMaxLength(Case.ReasonMaxLength);
        builder.Property(a => a.RecordedByName).HasMaxLength(Case.NameMaxLength);
        builder.HasOne<Department>().WithMany().HasForeignKey(a => a.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.CaseId);
        builder.HasIndex(a => new { a.DepartmentId, a.RecordedAt });
    }
}

internal sealed class CaseFollowerConfiguration : IEntityTypeConfiguration<CaseFollower>
{
    public void Configure(EntityTypeBuilder<CaseFollower> builder)
    {
        builder.Property(f => f.Name).HasMaxLength(Case.NameMaxLength);
        builder.Property(f => f.Phone).HasMaxLength(Domain.Common.Phone.MaxLength);
        builder.HasIndex(f => f.CaseId);
    }
}

internal sealed class DispatchRouteConfiguration : IEntityTypeConfiguration<DispatchRoute>
{
    public void Configure(EntityTypeBuilder<DispatchRoute> builder)
    {
        builder.Property(r => r.GridCode).HasMaxLength(AdministrativeCode.GridCodeLength).IsFixedLength();
        builder.HasOne<Category>().WithMany().HasForeignKey(r => r.CategoryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Department>().WithMany().HasForeignKey(r => r.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Community>().WithMany().HasForeignKey(r => r.CommunityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.CategoryId, r.CommunityId }).IsUnique().HasFilter("community_id IS NOT NULL");
        builder.HasIndex(r => new { r.CategoryId, r.GridCode }).IsUnique().HasFilter("grid_code IS NOT NULL");
        builder.ToTable(t => t.HasCheckConstraint("ck_dispatch_routes_one_scope", "(community_id IS NULL) <> (grid_code IS NULL)"));
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.RecipientName).HasMaxLength(Notification.RecipientMaxLength);
        builder.Property(n => n.RecipientPhone).HasMaxLength(Domain.Common.Phone.MaxLength);
        builder.Property(n => n.Body).HasMaxLength(Notification.BodyMaxLength);
        builder.Property(n => n.RecipientEmail).HasMaxLength(Notification.EmailMaxLength);
        builder.Property(n => n.LastError).HasMaxLength(Notification.ErrorMaxLength);
        builder.Property(n => n.GatewayMessageId).HasMaxLength(Notification.MessageIdMaxLength);
        builder.HasOne<Case>().WithMany().HasForeignKey(n => n.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Notice>().WithMany().HasForeignKey(n => n.NoticeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(n => n.NoticeId).HasFilter("notice_id IS NOT NULL");
        // What the outbox reads: the pending messages in order (the next attempt's time checked on these few rows).
        builder.HasIndex(n => n.Id).HasFilter("status = 'Pending'").HasDatabaseName("ix_notifications_pending");
        // The daily cap counts today's sent messages per phone or address.
        builder.HasIndex(n => new { n.RecipientPhone, n.SentAt }).HasFilter("status = 'Sent'").HasDatabaseName("ix_notifications_sent_phone");
        builder.HasIndex(n => new { n.RecipientEmail, n.SentAt }).HasFilter("status = 'Sent' AND recipient_email IS NOT NULL").HasDatabaseName("ix_notifications_sent_email");
        builder.Ignore(n => n.Address);
        builder.Ignore(n => n.IsCapped);
    }
}

internal sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> builder) => builder.HasKey(c => c.Day);
}
