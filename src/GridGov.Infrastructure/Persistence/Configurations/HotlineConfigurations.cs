using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Hotline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class HotlineOrderConfiguration : IEntityTypeConfiguration<HotlineOrder>
{
    public void Configure(EntityTypeBuilder<HotlineOrder> builder)
    {
        builder.ToTable("hotline_orders");
        builder.Property(o => o.OrderNumber).HasMaxLength(HotlineOrder.OrderNumberMaxLength);
        // Idempotency: one row (and one case) per work order; a concurrent second post loses on this index.
        builder.HasIndex(o => o.OrderNumber).IsUnique();
        builder.Property(o => o.BodyHash).HasMaxLength(HotlineOrder.BodyHashLength).IsFixedLength();
        builder.Property(o => o.CategoryCode).HasMaxLength(HotlineOrder.CodeMaxLength);
        builder.Property(o => o.AppealType).HasMaxLength(HotlineOrder.CodeMaxLength);
    }
}

internal sealed class HotlineCategoryMappingConfiguration : IEntityTypeConfiguration<HotlineCategoryMapping>
{
    public void Configure(EntityTypeBuilder<HotlineCategoryMapping> builder)
    {
        builder.ToTable("hotline_category_mappings");
        builder.Property(m => m.HotlineCode).HasMaxLength(HotlineOrder.CodeMaxLength);
        builder.HasIndex(m => m.HotlineCode).IsUnique();
        builder.Property(m => m.Note).HasMaxLength(HotlineCategoryMapping.NoteMaxLength);
        builder.HasOne<Category>().WithMany().HasForeignKey(m => m.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HotlineStatusPushConfiguration : IEntityTypeConfiguration<HotlineStatusPush>
{
    public void Configure(EntityTypeBuilder<HotlineStatusPush> builder)
    {
        builder.ToTable("hotline_status_pushes");
        builder.Property(p => p.OrderNumber).HasMaxLength(HotlineOrder.OrderNumberMaxLength);
        builder.Property(p => p.CaseNumber).HasMaxLength(Case.NumberLength).IsFixedLength();
        builder.Property(p => p.Note).HasMaxLength(HotlineStatusPush.NoteMaxLength);
        builder.Property(p => p.LastError).HasMaxLength(HotlineStatusPush.ErrorMaxLength);
        builder.HasOne<Case>().WithMany().HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        // The sender's scan: what is still pending, by when it is due; the admin page's lists by status.
        builder.HasIndex(p => new { p.Status, p.NextAttemptAt });
        builder.HasIndex(p => new { p.OrderNumber, p.Id });
        builder.Property(p => p.Version).IsRowVersion().HasColumnName("xmin");
    }
}
