using GridGov.Domain.Geography;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.Property(n => n.Text).HasMaxLength(Notice.TextMaxLength);
        builder.Property(n => n.TargetName).HasMaxLength(Notice.TargetNameMaxLength);
        builder.Property(n => n.CreatedByName).HasMaxLength(Notice.ActorNameMaxLength);
        builder.HasOne<Compound>().WithMany().HasForeignKey(n => n.CompoundId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Community>().WithMany().HasForeignKey(n => n.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(n => n.CreatedByStaffId).OnDelete(DeleteBehavior.Restrict);
        // A secretary's list: her community's notices, newest first.
        builder.HasIndex(n => new { n.CommunityId, n.CreatedAt });
    }
}

internal sealed class NoticeSenderConfiguration : IEntityTypeConfiguration<NoticeSender>
{
    public void Configure(EntityTypeBuilder<NoticeSender> builder)
    {
        builder.HasKey(s => s.Channel);
        builder.Property(s => s.GatewayUrl).HasMaxLength(NoticeSender.UrlMaxLength);
        builder.Property(s => s.SignName).HasMaxLength(NoticeSender.SignNameMaxLength);
        builder.Property(s => s.StaffTemplateId).HasMaxLength(NoticeSender.TemplateIdMaxLength);
        builder.Property(s => s.NoticeTemplateId).HasMaxLength(NoticeSender.TemplateIdMaxLength);
        builder.Property(s => s.SmtpHost).HasMaxLength(NoticeSender.HostMaxLength);
        builder.Property(s => s.SmtpUser).HasMaxLength(NoticeSender.UserMaxLength);
        builder.Property(s => s.FromAddress).HasMaxLength(Domain.Common.EmailAddress.MaxLength);
        builder.Property(s => s.FromName).HasMaxLength(NoticeSender.FromNameMaxLength);
        builder.Property(s => s.ProtectedSecret).HasMaxLength(NoticeSender.ProtectedSecretMaxLength);
        builder.Property(s => s.SecretHint).HasMaxLength(NoticeSender.SecretHintLength);
        builder.Property(s => s.UpdatedByName).HasMaxLength(NoticeSender.ActorNameMaxLength);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(s => s.UpdatedByStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Version).IsRowVersion().HasColumnName("xmin");
        builder.Ignore(s => s.HasSecret);
    }
}
