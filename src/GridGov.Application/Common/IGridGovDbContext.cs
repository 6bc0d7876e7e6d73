using GridGov.Domain.Audit;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Notifications;
using GridGov.Domain.Patrols;
using GridGov.Domain.Reviews;
using GridGov.Domain.Visits;
using GridGov.Domain.Geography;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GridGov.Application.Common;

/// <summary>The application layer's view of the database (no repository layer in between).</summary>
public interface IGridGovDbContext
{
    DbSet<Street> Streets { get; }
    DbSet<Community> Communities { get; }
    DbSet<Grid> Grids { get; }
    DbSet<GridBoundaryVersion> GridBoundaryVersions { get; }
    DbSet<Compound> Compounds { get; }
    DbSet<Building> Buildings { get; }
    DbSet<Household> Households { get; }
    DbSet<Resident> Residents { get; }
    DbSet<Unit> Units { get; }
    DbSet<Component> Components { get; }
    DbSet<GridHelper> GridHelpers { get; }
    DbSet<KeyPersonFollowUp> KeyPersonFollowUps { get; }
    DbSet<Department> Departments { get; }
    DbSet<StaffMember> StaffMembers { get; }
    DbSet<GridAssignment> GridAssignments { get; }
    DbSet<StaffPosting> StaffPostings { get; }
    DbSet<CategoryMajor> CategoryMajors { get; }
    DbSet<Category> Categories { get; }
    DbSet<CalendarDay> CalendarDays { get; }
    DbSet<DispatchRoute> DispatchRoutes { get; }
    DbSet<ResponseTemplate> ResponseTemplates { get; }
    DbSet<Case> Cases { get; }
    DbSet<CaseHistoryEntry> CaseHistory { get; }
    DbSet<Whistle> Whistles { get; }
    DbSet<CaseExtension> CaseExtensions { get; }
    DbSet<SatisfactionAnswer> SatisfactionAnswers { get; }
    DbSet<Notification> Notifications { get; }
    DbSet<Notice> Notices { get; }
    DbSet<NoticeSender> NoticeSenders { get; }
    DbSet<LedgerChange> LedgerChanges { get; }
    DbSet<LedgerImport> LedgerImports { get; }
    DbSet<Visit> Visits { get; }
    DbSet<VisitDemand> VisitDemands { get; }
    DbSet<Patrol> Patrols { get; }
    DbSet<OngoingPatrol> OngoingPatrols { get; }
    DbSet<OngoingPatrolPoint> OngoingPatrolPoints { get; }
    DbSet<MonthlyReview> MonthlyReviews { get; }
    DbSet<AuditEntry> AuditEntries { get; }
    DbSet<Domain.Common.SubmissionRecord> Submissions { get; }
    DbSet<Domain.Evaluation.EvaluationSnapshot> EvaluationSnapshots { get; }
    DbSet<Domain.Evaluation.ScoringRulesVersion> ScoringRulesVersions { get; }
    DbSet<Domain.Bulletins.Bulletin> Bulletins { get; }
    DbSet<Domain.Open311.Open311ApiKey> Open311ApiKeys { get; }
    DbSet<Domain.Hotline.HotlineOrder> HotlineOrders { get; }
    DbSet<Domain.Hotline.HotlineCategoryMapping> HotlineCategoryMappings { get; }
    DbSet<Domain.Hotline.HotlineStatusPush> HotlineStatusPushes { get; }
    DbSet<Domain.Residents.ResidentCode> ResidentCodes { get; }
    DbSet<Domain.Residents.ResidentPointAccount> ResidentPointAccounts { get; }
    DbSet<Domain.Residents.ResidentPointEntry> ResidentPointEntries { get; }
    DbSet<Domain.Residents.ExchangeItem> ExchangeItems { get; }
    DbSet<Domain.Residents.Redemption> Redemptions { get; }
    DbSet<Domain.Residents.HeldReport> HeldReports { get; }
    DbSet<Domain.Residents.ResidentReportRecord> ResidentReportRecords { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    Task<IDbContextTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Begins a transaction unless one is already open on this context; then it returns null, the work joins the
    /// caller's transaction and the caller commits (or rolls back) everything at once.
    /// </summary>
    Task<IDbContextTransaction?> BeginTransactionUnlessOpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for a lock on <paramref name="name"/> held until the current transaction ends (PostgreSQL
    /// <c>pg_advisory_xact_lock</c>): writers of the same thing (a phone's points, a phone's codes) take turns.
    /// Needs an open transaction.
    /// </summary>
    Task LockAsync(string name, CancellationToken cancellationToken = default);
}
