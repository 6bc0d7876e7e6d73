using GridGov.Application;
using GridGov.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.TestSupport.GridGov;

/// <summary>The real application container (Application + Infrastructure) pointed at a test database.</summary>
public static class GridGovServices
{
    public static ServiceProvider Create(string connectionString, TimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{Infrastructure.DependencyInjection.ConnectionStringName}"] = connectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddGridGovApplication();
        services.AddGridGovInfrastructure(configuration);
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
