using GridGov.Domain.Calendar;
using GridGov.Domain.Categories;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Common;

/// <summary>The application layer's view of the database (no repository layer in between).</summary>
public interface IGridGovDbContext
{
    DbSet<Street> Streets { get; }
    DbSet<Community> Communities { get; }
    DbSet<Grid> Grids { get; }
    DbSet<Compound> Compounds { get; }
    DbSet<Building> Buildings { get; }
    DbSet<Household> Households { get; }
    DbSet<Resident> Residents { get; }
    DbSet<Unit> Units { get; }
    DbSet<Component> Components { get; }
    DbSet<Department> Departments { get; }
    DbSet<StaffMember> StaffMembers { get; }
    DbSet<GridAssignment> GridAssignments { get; }
    DbSet<CategoryMajor> CategoryMajors { get; }
    DbSet<Category> Categories { get; }
    DbSet<CalendarDay> CalendarDays { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
