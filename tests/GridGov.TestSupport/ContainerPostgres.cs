using System.Diagnostics;
using Testcontainers.PostgreSql;

namespace GridGov.TestSupport;

/// <summary>
/// The tests' PostgreSQL + PostGIS from a throwaway container (Testcontainers), one per test process. The image is
/// <c>GRIDGOV_POSTGIS_IMAGE</c> (default <c>gridgov/postgis:15-3.3</c>, which test.sh pulls or builds locally once:
/// scripts/postgis-image). <c>GRIDGOV_TEST_DATABASE</c> chooses: <c>container</c> (a failure to start is an error),
/// <c>local</c> (the local-binaries cluster), unset = a container when a Docker engine answers, else local.
/// Ryuk (the resource reaper) cannot be pulled here, so each container is labelled with its owner and removed when
/// the process ends, by a watchdog that outlives a test host killed without its exit handlers.
/// </summary>
internal static class ContainerPostgres
{
    public const string ChoiceVariable = "GRIDGOV_TEST_DATABASE";
    public const string ImageVariable = "GRIDGOV_POSTGIS_IMAGE";
    public const string OwnerLabel = "gridgov.test.owner";

    public static string? Choice => Environment.GetEnvironmentVariable(ChoiceVariable)?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        var value => value,
    };

    /// <summary>The admin connection string of a started container, or null when containers are not to be (or cannot be) used.</summary>
    public static async Task<string?> TryStartAsync()
    {
        var choice = Choice;
        if (choice == "local")
        {
            return null;
        }
        if (choice is not (null or "container"))
        {
            throw new InvalidOperationException($"{ChoiceVariable} must be 'container' or 'local', not '{choice}'.");
        }
        if (choice is null && !File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            return null;
        }

        var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } configured ? configured : "gridgov/postgis:15-3.3";
        PostgreSqlContainer container;
        try
        {
            // Build() already asks the engine (and throws where none answers, or the API version does not match).
            container = new PostgreSqlBuilder(image)
                .WithLabel("gridgov.test", "true")
                .WithLabel(OwnerLabel, $"{Environment.MachineName}:{Environment.ProcessId}")
                .Build();
            await container.StartAsync();
        }
        catch (Exception e) when (choice is null)
        {
            await Console.Error.WriteLineAsync($"[gridgov-tests] no PostGIS container ({e.GetType().Name}: {e.Message}); using the local-binaries cluster");
            return null;
        }
        WatchOver(container.Id);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        await Console.Error.WriteLineAsync($"[gridgov-tests] database: Testcontainers, {image}, container {container.Id[..12]}");
        return container.GetConnectionString();
    }

    /// <summary>A detached shell that removes the container once this process is gone, however it ends.</summary>
    private static void WatchOver(string containerId)
    {
        var pid = Environment.ProcessId;
        var script = $"while kill -0 {pid} 2>/dev/null; do sleep 2; done; docker rm -f {containerId} >/dev/null 2>&1";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        });
    }
}
