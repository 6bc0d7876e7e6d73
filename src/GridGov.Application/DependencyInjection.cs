using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddGridGovApplication(this IServiceCollection services)
    {
        services.AddScoped<GridBoundaries>();
        services.AddScoped<StreetOverviewQuery>();
        services.AddScoped<CaseWorkflowService>();
        services.AddScoped<CaseDeadlines>();
        services.AddScoped<CaseActors>();
        services.AddScoped<CaseQueries>();
        services.AddScoped<NotificationOutbox>();
        return services;
    }
}
