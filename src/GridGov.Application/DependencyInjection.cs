using GridGov.Application.Grids;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddGridGovApplication(this IServiceCollection services)
    {
        services.AddScoped<GridBoundaries>();
        services.AddScoped<StreetOverviewQuery>();
        return services;
    }
}
