using GridGov.Application;
using GridGov.Infrastructure;
using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using GridGov.Web.Infrastructure;
using Npgsql;
using Serilog;

namespace GridGov.Web;

public static class GridGovHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        var app = CreateWebApp(args);
        try
        {
            switch (command)
            {
                case "migrate":
                    await MigrateAsync(app.Services);
                    return 0;
                case "seed":
                    await MigrateAsync(app.Services);
                    await SeedAsync(app.Services, ParseScale(args));
                    return 0;
                case "serve":
                    await PrepareDatabaseAsync(app);
                    await app.RunAsync();
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"Unknown command '{command}'. Use: migrate | seed [--scale N] | serve");
                    return 2;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov").LogCritical(exception, "GridGov stopped after an error");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>Builds the web app with its whole pipeline; tests call this to run it on a real port.</summary>
    public static WebApplication CreateWebApp(string[] args, string? contentRoot = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(GridGovHost).Assembly.GetName().Name,
            ContentRootPath = contentRoot,
        });
        configure?.Invoke(builder);
        builder.AddGridGov();
        var app = builder.Build();
        app.UseGridGov();
        return app;
    }

    /// <summary>Applies pending migrations, and loads the demo street when configured (Demo:Seed).</summary>
    public static Task PrepareDatabaseAsync(WebApplication app) => StartupLock.RunAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), async () =>
    {
        if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
        {
            await MigrateAsync(app.Services);
        }
        if (app.Configuration.GetValue("Demo:Seed", false))
        {
            await SeedAsync(app.Services, app.Configuration.GetValue("Demo:Scale", 1));
        }
    });

    private static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    private static async Task SeedAsync(IServiceProvider services, int scale)
    {
        await using var scope = services.CreateAsyncScope();
        var configuration = scope.ServiceProvider.GetRequiredService<IConfiguration>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Demo");
        // No password is built in: run.sh passes one; otherwise a random one is made and shown once.
        var password = configuration["Demo:Password"] is { Length: > 0 } configured
            ? configured
            : "Gg-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var summary = await scope.ServiceProvider.GetRequiredService<DemoStreetSeeder>()
            .SeedAsync(new DemoStreetOptions { Scale = scale, DemoPassword = password }, CancellationToken.None);
        // A month of cases through the real workflow; also for a street loaded before cases existed (no-op once there are any).
        await scope.ServiceProvider.GetRequiredService<DemoCasesSeeder>()
            .SeedAsync(new DemoCasesOptions { Count = DemoCasesOptions.ForScale(scale) }, CancellationToken.None);
        // Three months of visits and patrols (each part a no-op once its table has rows).
        await ActivatorUtilities.CreateInstance<DemoGridWorkSeeder>(scope.ServiceProvider).SeedAsync(new DemoGridWorkOptions(), CancellationToken.None);
        if (summary.AlreadySeeded)
        {
            logger.LogInformation("Demo street {StreetName} already loaded: {Grids} grids, {Residents} residents; sign-ins keep the password of the first load",
                summary.StreetName, summary.Grids, summary.Residents);
            return;
        }
        logger.LogInformation("Demo street {StreetName} loaded in {Elapsed}: {Communities} communities, {Grids} grids, {Households} households, {Residents} residents, {Units} units, {Components} components",
            summary.StreetName, summary.Elapsed, summary.Communities, summary.Grids, summary.Households, summary.Residents, summary.Units, summary.Components);
        foreach (var account in summary.Accounts)
        {
            logger.LogInformation("Demo sign-in {UserName} / {Password}: {DisplayName} ({Role})", account.UserName, password, account.DisplayName, account.Role);
        }
    }

    private static int ParseScale(string[] args)
    {
        var index = Array.IndexOf(args, "--scale");
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var scale) && scale >= 1
            ? scale
            : 1;
    }
}
