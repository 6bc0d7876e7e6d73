using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.MigrationTool;

/// <summary>
/// Scaffolds EF Core migrations for GridGovDbContext the way <c>dotnet ef migrations add/remove</c> does,
/// using the EF design-time services directly. See docs/decisions/0002-migrations-without-design-package.md.
/// </summary>
internal static partial class Program
{
    private const string TargetAssemblyName = "GridGov.Infrastructure";
    private const string FactoryTypeName = "GridGov.Infrastructure.Persistence.GridGovDbContextDesignFactory";
    private const string DefaultOutputDir = "Persistence/Migrations";

    private const string Usage = """
        usage: GridGov.MigrationTool add <Name> [options] [-- <factory args>]
               GridGov.MigrationTool remove [--force] [options] [-- <factory args>]
               GridGov.MigrationTool list [options] [-- <factory args>]

          add      scaffold <Name>.cs, <Name>.Designer.cs and update the model snapshot
          remove   delete the last migration's files and revert the snapshot; without --force
                   EF first asks the database whether the migration was applied
          list     print the migrations compiled into GridGov.Infrastructure

        options:
          --project-dir <dir>     Infrastructure project folder (default: src/GridGov.Infrastructure
                                  under the repository root found from the current directory)
          --output-dir <dir>      migrations folder, relative to the project folder (default: Persistence/Migrations)
          --root-namespace <ns>   project root namespace (default: GridGov.Infrastructure)
          --verbose               show EF's verbose output
        """;

    public static int Main(string[] args)
    {
        try
        {
            return Run(Options.Parse(args));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (OperationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e}");
            return 1;
        }
    }

    private static int Run(Options options)
    {
        if (options.Command is "help")
        {
            Console.WriteLine(Usage);
            return 0;
        }

        // Same as the dotnet-ef tool: lets application code tell design time from run time.
        EF.IsDesignTime = true;

        var verbose = options.Verbose;
        var reporter = new OperationReporter(new OperationReportHandler(
            errorHandler: m => Console.Error.WriteLine($"error: {m}"),
            warningHandler: m => Console.Error.WriteLine($"warning: {m}"),
            informationHandler: Console.WriteLine,
            verboseHandler: m =>
            {
                if (verbose)
                {
                    Console.WriteLine(m);
                }
            }));

        var assembly = Assembly.Load(new AssemblyName(TargetAssemblyName));
        using var context = CreateContext(assembly, options.FactoryArgs);
        var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, options.FactoryArgs).Build(context);
        using var scope = services.CreateScope();

        var migrationsAssembly = scope.ServiceProvider.GetRequiredService<IMigrationsAssembly>();
        if (migrationsAssembly.Assembly != assembly)
        {
            throw new OperationException(
                $"{context.GetType().Name} looks for migrations in '{migrationsAssembly.Assembly.GetName().Name}', "
                + $"but this tool writes them into '{TargetAssemblyName}'. Remove the MigrationsAssembly(...) setting "
                + "or point it at the Infrastructure assembly.");
        }

        switch (options.Command)
        {
            case "list":
                foreach (var id in migrationsAssembly.Migrations.Keys)
                {
                    Console.WriteLine(id);
                }

                if (migrationsAssembly.Migrations.Count == 0)
                {
                    Console.WriteLine("No migrations.");
                }

                return 0;

            case "add":
                return Add(options, context, scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>());

            case "remove":
                return Remove(options, scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>());

            default:
                throw new UsageException($"unknown command '{options.Command}'");
        }
    }

    private static int Add(Options options, DbContext context, IMigrationsScaffolder scaffolder)
    {
        var name = options.MigrationName!;
        if (string.Equals(name, context.GetType().Name, StringComparison.Ordinal))
        {
            throw new OperationException($"The migration name '{name}' is the name of the DbContext; choose another.");
        }

        var outputDir = Path.GetFullPath(Path.Combine(options.ProjectDir, options.OutputDir));

        // Like dotnet-ef: each folder below the project folder becomes a namespace segment.
        var relative = Path.GetRelativePath(options.ProjectDir, outputDir);
        var subNamespace = relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : string.Join('.', relative.Split(
                [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries));

        var migration = scaffolder.ScaffoldMigration(name, options.RootNamespace, subNamespace, "C#", dryRun: false);
        var files = scaffolder.Save(options.ProjectDir, migration, outputDir, dryRun: false);

        Console.WriteLine($"Added migration {migration.MigrationId}:");
        PrintFiles(files);
        return 0;
    }

    private static int Remove(Options options, IMigrationsScaffolder scaffolder)
    {
        MigrationFiles files;
        try
        {
            files = scaffolder.RemoveMigration(options.ProjectDir, options.RootNamespace, options.Force, "C#", dryRun: false);
        }
        catch (Exception e) when (!options.Force && e is not OperationException)
        {
            throw new OperationException(
                $"Could not check the database for applied migrations ({e.GetType().Name}: {e.Message}). "
                + "If the last migration was never applied to a database you care about, rerun with --force.");
        }

        Console.WriteLine("Removed:");
        PrintFiles(files);
        return 0;
    }

    private static void PrintFiles(MigrationFiles files)
    {
        foreach (var file in new[] { files.MigrationFile, files.MetadataFile, files.SnapshotFile })
        {
            if (file is not null)
            {
                Console.WriteLine($"  {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
            }
        }
    }

    private static DbContext CreateContext(Assembly assembly, string[] factoryArgs)
    {
        var factoryType = assembly.GetType(FactoryTypeName, throwOnError: false)
            ?? throw new OperationException(
                $"'{FactoryTypeName}' was not found in {TargetAssemblyName}. The tool creates the DbContext through "
                + "that IDesignTimeDbContextFactory<GridGovDbContext>; add it (no database connection is needed to scaffold).");

        var factoryInterface = factoryType.GetInterfaces().FirstOrDefault(
                i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>))
            ?? throw new OperationException($"'{FactoryTypeName}' does not implement IDesignTimeDbContextFactory<TContext>.");

        var factory = Activator.CreateInstance(factoryType)!;
        var create = factoryInterface.GetMethod(nameof(IDesignTimeDbContextFactory<DbContext>.CreateDbContext))!;
        return (DbContext)create.Invoke(factory, BindingFlags.DoNotWrapExceptions, binder: null, [factoryArgs], culture: null)!;
    }

    private sealed class Options
    {
        public string Command { get; private set; } = "help";
        public string? MigrationName { get; private set; }
        public string ProjectDir { get; private set; } = "";
        public string OutputDir { get; private set; } = DefaultOutputDir;
        public string RootNamespace { get; private set; } = TargetAssemblyName;
        public bool Force { get; private set; }
        public bool Verbose { get; private set; }
        public string[] FactoryArgs { get; private set; } = [];

        public static Options Parse(string[] args)
        {
            var options = new Options();
            var positional = new List<string>();
            string? projectDir = null;

            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => ++i < args.Length ? args[i] : throw new UsageException($"{arg} needs a value");

                switch (arg)
                {
                    case "--":
                        options.FactoryArgs = args[(i + 1)..];
                        i = args.Length;
                        break;
                    case "--project-dir": projectDir = Value(); break;
                    case "--output-dir": options.OutputDir = Value(); break;
                    case "--root-namespace": options.RootNamespace = Value(); break;
                    case "--force": options.Force = true; break;
                    case "--verbose": options.Verbose = true; break;
                    case "-h" or "--help": return options;
                    default:
                        if (arg.StartsWith('-'))
                        {
                            throw new UsageException($"unknown option '{arg}'");
                        }

                        positional.Add(arg);
                        break;
                }
            }

            if (positional.Count == 0)
            {
                return options;
            }

            options.Command = positional[0];
            var expected = options.Command == "add" ? 2 : 1;
            if (options.Command is not ("add" or "remove" or "list"))
            {
                throw new UsageException($"unknown command '{options.Command}'");
            }

            if (positional.Count != expected)
            {
                throw new UsageException(options.Command == "add"
                    ? "add needs exactly one migration name"
                    : $"{options.Command} takes no positional arguments");
            }

            if (options.Command == "add")
            {
                options.MigrationName = positional[1];
                if (!MigrationNamePattern().IsMatch(options.MigrationName))
                {
                    throw new UsageException(
                        $"'{options.MigrationName}' is not a valid migration name: use letters, digits and '_' (e.g. AddMeterReadings)");
                }
            }

            options.ProjectDir = Path.GetFullPath(projectDir ?? Path.Combine(FindRepoRoot(), "src", TargetAssemblyName));
            if (!Directory.Exists(options.ProjectDir))
            {
                throw new UsageException($"project folder '{options.ProjectDir}' does not exist");
            }

            return options;
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GridGov.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new UsageException("GridGov.sln not found above the current directory; pass --project-dir");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex MigrationNamePattern();

    private sealed class UsageException(string message) : Exception(message);
}
