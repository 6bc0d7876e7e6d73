using GridGov.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

/// <summary>The audit log: append-only (a trigger in the AuditLog migration refuses UPDATE, DELETE and TRUNCATE).</summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(e => e.ActorUserName).HasMaxLength(AuditEntry.UserNameMaxLength);
        builder.Property(e => e.ActorName).HasMaxLength(AuditEntry.ActorNameMaxLength);
        builder.Property(e => e.ClientAddress).HasMaxLength(AuditEntry.ClientAddressMaxLength);
        builder.Property(e => e.UserAgent).HasMaxLength(AuditEntry.UserAgentMaxLength);
        builder.Property(e => e.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        builder.Property(e => e.EntityId).HasMaxLength(AuditEntry.EntityIdMaxLength);
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.DetailMaxLength);
        builder.Property(e => e.Before).HasColumnType("jsonb");
        builder.Property(e => e.After).HasColumnType("jsonb");
        // The administrator's search: newest first, by actor, by action, by entity; keyset paging on (at, id).
        builder.HasIndex(e => new { e.At, e.Id }).IsDescending(true, true);
        builder.HasIndex(e => new { e.ActorUserName, e.At });
        builder.HasIndex(e => new { e.ActorStaffId, e.At });
        builder.HasIndex(e => new { e.Action, e.At });
        builder.HasIndex(e => new { e.EntityType, e.EntityId, e.At });
    }
}
