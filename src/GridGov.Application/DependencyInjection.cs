using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GridGov.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddGridGovApplication(this IServiceCollection services)
    {
        services.AddScoped<GridBoundaries>();
        services.AddScoped<GridEditorQuery>();
        services.AddScoped<CaseWorkflowService>();
        services.AddScoped<CaseReporting>();
        services.AddScoped<CaseDeadlines>();
        services.AddScoped<CaseActors>();
        services.AddScoped<NotificationOutbox>();
        services.AddScoped<NoticeSenders>();
        services.AddScoped<Notices>();
        services.AddScoped<GridGov.Application.Grids.ResponsiblePeople>();
        services.AddScoped<Ledgers.Import.LedgerImportService>();
        services.AddScoped<Visits.VisitService>();
        services.AddScoped<Patrols.OngoingPatrols>();
        services.AddScoped<Visits.FiveMustDemands>();
        services.AddScoped<Reviews.MonthlyReviewService>();
        services.AddScoped<Evaluation.MonthlyEvaluationCalculator>();
        services.AddScoped<Evaluation.MonthlyEvaluationService>();
        services.AddScoped<Bulletins.BulletinService>();
        services.AddMemoryCache();
        services.AddScoped<Categories.CategoryAdminService>();
        services.AddScoped<Categories.DispatchRouteService>();
        services.AddScoped<Categories.ResponseTemplateService>();
        services.AddScoped<Calendar.WorkingCalendarService>();
        services.AddScoped<Open311.Open311Keys>();
        services.AddScoped<Open311.Open311Requests>();
        services.AddScoped<Hotline.HotlineCategories>();
        services.AddScoped<Hotline.HotlineAddresses>();
        services.AddScoped<Hotline.HotlineOrders>();
        services.AddScoped<Hotline.HotlineStatusSender>();
        services.AddScoped<Hotline.HotlineAdmin>();
        services.AddScoped<Residents.ResidentPointsLedger>();
        services.AddScoped<Residents.ResidentCodes>();
        services.AddScoped<Residents.ResidentReports>();
        services.AddScoped<Residents.ResidentCases>();
        services.AddScoped<Residents.HeldReports>();
        services.AddScoped<Residents.ResidentPointsService>();
        // Read models: every *Query / *Queries class of this assembly is a scoped service.
        foreach (var query in typeof(DependencyInjection).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && (t.Name.EndsWith("Query", StringComparison.Ordinal) || t.Name.EndsWith("Queries", StringComparison.Ordinal))))
        {
            services.TryAddScoped(query);
        }
        return services;
    }
}
