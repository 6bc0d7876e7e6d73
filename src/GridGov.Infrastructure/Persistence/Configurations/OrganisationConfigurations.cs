using GridGov.Domain.Calendar;
using GridGov.Domain.Categories;
using GridGov.Domain.Geography;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> builder)
    {
        builder.Property(d => d.Code).HasMaxLength(Department.CodeMaxLength);
        builder.HasIndex(d => d.Code).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(Department.NameMaxLength);
        builder.Property(d => d.DutyPhone).HasMaxLength(Domain.Common.Phone.MaxLength);
    }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(StaffMember.NameMaxLength);
        builder.Property(s => s.Phone).HasMaxLength(Domain.Common.Phone.MaxLength);
        builder.HasOne<Community>().WithMany().HasForeignKey(s => s.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Department>().WithMany().HasForeignKey(s => s.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.Role);
    }
}

internal sealed class StaffPostingConfiguration : IEntityTypeConfiguration<StaffPosting>
{
    public void Configure(EntityTypeBuilder<StaffPosting> builder)
    {
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(p => p.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Community>().WithMany().HasForeignKey(p => p.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Department>().WithMany().HasForeignKey(p => p.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.StaffMemberId, p.Since });
        // One posting in force per person.
        builder.HasIndex(p => p.StaffMemberId).IsUnique().HasFilter("ended_on IS NULL");
        builder.ToTable(t => t.HasCheckConstraint("ck_staff_postings_place", "(community_id IS NULL) <> (department_id IS NULL)"));
    }
}

internal sealed class GridAssignmentConfiguration : IEntityTypeConfiguration<GridAssignment>
{
    public void Configure(EntityTypeBuilder<GridAssignment> builder)
    {
        builder.Property(a => a.GridCode).HasMaxLength(AdministrativeCode.GridCodeLength).IsFixedLength();
        // Ended assignments stay as history; among the open ones a person holds one duty per grid and a grid has one leader
        // (GridAssignment.Assign keeps the dated periods from overlapping; these catch a race).
        builder.HasIndex(a => new { a.GridCode, a.StaffMemberId }).IsUnique().HasFilter("ended_on IS NULL");
        builder.HasIndex(a => a.GridCode).IsUnique().HasFilter("duty = 'Leader' AND ended_on IS NULL").HasDatabaseName("ix_grid_assignments_one_leader");
        builder.HasOne(a => a.StaffMember).WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CategoryMajorConfiguration : IEntityTypeConfiguration<CategoryMajor>
{
    public void Configure(EntityTypeBuilder<CategoryMajor> builder)
    {
        builder.Property(m => m.Code).HasMaxLength(CategoryMajor.CodeMaxLength);
        builder.HasIndex(m => m.Code).IsUnique();
        builder.Property(m => m.Name).HasMaxLength(CategoryMajor.NameMaxLength);
        builder.HasMany(m => m.Minors).WithOne(c => c.Major).HasForeignKey(c => c.MajorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(Category.CodeMaxLength);
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(Category.NameMaxLength);
        builder.Property(c => c.ResidentName).HasMaxLength(Category.ResidentNameMaxLength);
        builder.Property(c => c.FilingStandard).HasMaxLength(Category.FilingStandardMaxLength);
        // PostgreSQL's system column xmin: the version an administrator's edit carries (CategoryAdminService).
        builder.Property(c => c.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne<Department>().WithMany().HasForeignKey(c => c.DefaultDepartmentId).OnDelete(DeleteBehavior.Restrict);
        builder.ComplexProperty(c => c.Limits, limits =>
        {
            limits.ComplexProperty(l => l.Register);
            limits.ComplexProperty(l => l.Dispatch);
            limits.ComplexProperty(l => l.Handle);
            limits.ComplexProperty(l => l.Verify);
            limits.ComplexProperty(l => l.UrgentHandle);
        });
    }
}

internal sealed class ResponseTemplateConfiguration : IEntityTypeConfiguration<ResponseTemplate>
{
    public void Configure(EntityTypeBuilder<ResponseTemplate> builder)
    {
        builder.Property(t => t.Title).HasMaxLength(ResponseTemplate.TitleMaxLength);
        builder.Property(t => t.Text).HasMaxLength(ResponseTemplate.TextMaxLength);
        // xmin: the version an administrator's edit carries (ResponseTemplateService).
        builder.Property(t => t.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne<Category>().WithMany().HasForeignKey(t => t.CategoryId).OnDelete(DeleteBehavior.Restrict);
        // What a case form reads: the active templates of its actions, for its class or for all.
        builder.HasIndex(t => new { t.Action, t.CategoryId }).HasFilter("is_active");
    }
}

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        builder.HasKey(d => d.Date);
        builder.Property(d => d.Name).HasMaxLength(CalendarDay.NameMaxLength);
        // Only days that differ from the ordinary week: a holiday from Monday to Friday, a working day on Saturday or Sunday (CalendarDay's rule).
        builder.ToTable(t => t.HasCheckConstraint("ck_calendar_days_exception", "is_working_day = (extract(isodow FROM date) >= 6)"));
    }
}
