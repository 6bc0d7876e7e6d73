using GridGov.Domain.Open311;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class Open311ApiKeyConfiguration : IEntityTypeConfiguration<Open311ApiKey>
{
    public void Configure(EntityTypeBuilder<Open311ApiKey> builder)
    {
        builder.ToTable("open311_api_keys");
        builder.Property(k => k.ClientName).HasMaxLength(Open311ApiKey.ClientNameMaxLength);
        builder.Property(k => k.Prefix).HasMaxLength(Open311ApiKey.PrefixLength).IsFixedLength();
        builder.Property(k => k.SecretHash).HasMaxLength(Open311ApiKey.SecretHashLength).IsFixedLength();
        // A post finds its key by the hash.
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.Property(k => k.IssuedByName).HasMaxLength(Open311ApiKey.ActorNameMaxLength);
        builder.Property(k => k.RevokedByName).HasMaxLength(Open311ApiKey.ActorNameMaxLength);
        builder.Property(k => k.RevokeReason).HasMaxLength(Open311ApiKey.RevokeReasonMaxLength);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(k => k.IssuedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(k => k.RevokedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(k => k.Version).IsRowVersion().HasColumnName("xmin");
        builder.Ignore(k => k.IsRevoked);
    }
}
