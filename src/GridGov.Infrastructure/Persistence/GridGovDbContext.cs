using GridGov.Application.Common;
using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Notifications;
using GridGov.Domain.Patrols;
using GridGov.Domain.Reviews;
using GridGov.Domain.Visits;
using GridGov.Infrastructure.Cases;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GridGov.Infrastructure.Persistence;

// Add a migration (the EF Design package cannot be restored here, see docs/decisions/0002):
//   scripts/add-migration.sh <Name>
public class GridGovDbContext(DbContextOptions<GridGovDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IGridGovDbContext
{
    public DbSet<Street> Streets => Set<Street>();
    public DbSet<Community> Communities => Set<Community>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<GridBoundaryVersion> GridBoundaryVersions => Set<GridBoundaryVersion>();
    public DbSet<Compound> Compounds => Set<Compound>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Household> Households => Set<Household>();
    public DbSet<Resident> Residents => Set<Resident>();
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<Component> Components => Set<Component>();
    public DbSet<GridHelper> GridHelpers => Set<GridHelper>();
    public DbSet<KeyPersonFollowUp> KeyPersonFollowUps => Set<KeyPersonFollowUp>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<GridAssignment> GridAssignments => Set<GridAssignment>();
    public DbSet<StaffPosting> StaffPostings => Set<StaffPosting>();
    public DbSet<CategoryMajor> CategoryMajors => Set<CategoryMajor>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();
    public DbSet<DispatchRoute> DispatchRoutes => Set<DispatchRoute>();
    public DbSet<ResponseTemplate> ResponseTemplates => Set<ResponseTemplate>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseHistoryEntry> CaseHistory => Set<CaseHistoryEntry>();
    public DbSet<Whistle> Whistles => Set<Whistle>();
    public DbSet<CaseExtension> CaseExtensions => Set<CaseExtension>();
    public DbSet<SatisfactionAnswer> SatisfactionAnswers => Set<SatisfactionAnswer>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeSender> NoticeSenders => Set<NoticeSender>();
    public DbSet<LedgerChange> LedgerChanges => Set<LedgerChange>();
    public DbSet<LedgerImport> LedgerImports => Set<LedgerImport>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<VisitDemand> VisitDemands => Set<VisitDemand>();
    public DbSet<Patrol> Patrols => Set<Patrol>();
    public DbSet<OngoingPatrol> OngoingPatrols => Set<OngoingPatrol>();
    public DbSet<OngoingPatrolPoint> OngoingPatrolPoints => Set<OngoingPatrolPoint>();
    public DbSet<MonthlyReview> MonthlyReviews => Set<MonthlyReview>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Domain.Common.SubmissionRecord> Submissions => Set<Domain.Common.SubmissionRecord>();
    public DbSet<Domain.Evaluation.EvaluationSnapshot> EvaluationSnapshots => Set<Domain.Evaluation.EvaluationSnapshot>();
    public DbSet<Domain.Evaluation.ScoringRulesVersion> ScoringRulesVersions => Set<Domain.Evaluation.ScoringRulesVersion>();
    public DbSet<Domain.Bulletins.Bulletin> Bulletins => Set<Domain.Bulletins.Bulletin>();
    public DbSet<Domain.Open311.Open311ApiKey> Open311ApiKeys => Set<Domain.Open311.Open311ApiKey>();
    public DbSet<Domain.Hotline.HotlineOrder> HotlineOrders => Set<Domain.Hotline.HotlineOrder>();
    public DbSet<Domain.Hotline.HotlineCategoryMapping> HotlineCategoryMappings => Set<Domain.Hotline.HotlineCategoryMapping>();
    public DbSet<Domain.Hotline.HotlineStatusPush> HotlineStatusPushes => Set<Domain.Hotline.HotlineStatusPush>();
    public DbSet<Domain.Residents.ResidentCode> ResidentCodes => Set<Domain.Residents.ResidentCode>();
    public DbSet<Domain.Residents.ResidentPointAccount> ResidentPointAccounts => Set<Domain.Residents.ResidentPointAccount>();
    public DbSet<Domain.Residents.ResidentPointEntry> ResidentPointEntries => Set<Domain.Residents.ResidentPointEntry>();
    public DbSet<Domain.Residents.ExchangeItem> ExchangeItems => Set<Domain.Residents.ExchangeItem>();
    public DbSet<Domain.Residents.Redemption> Redemptions => Set<Domain.Residents.Redemption>();
    public DbSet<Domain.Residents.HeldReport> HeldReports => Set<Domain.Residents.HeldReport>();
    public DbSet<Domain.Residents.ResidentReportRecord> ResidentReportRecords => Set<Domain.Residents.ResidentReportRecord>();
    public DbSet<StaffSession> StaffSessions => Set<StaffSession>();
    internal DbSet<CaseNumberCounter> CaseNumberCounters => Set<CaseNumberCounter>();

    public Task<IDbContextTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
        Database.BeginTransactionAsync(cancellationToken);

    public async Task<IDbContextTransaction?> BeginTransactionUnlessOpenAsync(CancellationToken cancellationToken = default) =>
        Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;

    public async Task LockAsync(string name, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("LockAsync needs an open transaction: the lock lasts until it ends.");
        }
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("postgis");
        builder.ApplyConfigurationsFromAssembly(typeof(GridGovDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as text so the database reads on its own.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}
