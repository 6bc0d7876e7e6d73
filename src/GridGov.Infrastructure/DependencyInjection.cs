using Microsoft.AspNetCore.DataProtection;
using GridGov.Application.Common;
using GridGov.Application.Cases;
using GridGov.Application.Grids;
using GridGov.Application.Ledgers;
using GridGov.Application.Notifications;
using GridGov.Application.Patrols;
using GridGov.Application.Visits;
using GridGov.Infrastructure.Cases;
using GridGov.Infrastructure.Notifications;
using GridGov.Infrastructure.Identity;
using GridGov.Infrastructure.Persistence;
using GridGov.Infrastructure.Seeding;
using GridGov.Infrastructure.Spatial;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace GridGov.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "GridGov";

    public static IServiceCollection AddGridGovInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionStringName}' is not configured (ConnectionStrings__{ConnectionStringName}).");
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddDbContext<GridGovDbContext>((provider, options) =>
        {
            Configure(options, provider.GetRequiredService<NpgsqlDataSource>());
            options.AddInterceptors(provider.GetRequiredService<AuditInterceptor>(), provider.GetRequiredService<CaseChangeCommits>());
        });
        // Case changes: announced in the workflow's transaction, raised on this node at commit (and on the others by
        // the listener of AddGridGovBackgroundServices).
        services.TryAddSingleton<CaseChangeNotifier>();
        services.AddScoped<CaseChangeCommits>();
        services.AddScoped<ICaseChangeFeed, PostgresCaseChangeFeed>();
        // Every write audited, ledger changes also recorded for their timelines (who from IAuditActor: the web replaces the system default).
        services.AddScoped<AuditInterceptor>();
        services.TryAddScoped<IAuditActor, SystemAuditActor>();
        services.AddScoped<LedgerScopes>();
        services.AddScoped<GridGov.Application.Grids.IGridLedgerCounts, Ledgers.GridLedgerCountsSql>();
        services.AddScoped<LedgerService>();
        services.AddScoped<KeyPersonFollowUpService>();
        services.AddScoped<PersonalNumbers>();
        // Ledger import (台账导入): spreadsheets read with MiniExcel, uploads in a folder, rows checked and written set-based.
        services.AddScoped<GridGov.Application.Ledgers.Import.ILedgerImportSql, Imports.LedgerImportSql>();
        services.AddSingleton<GridGov.Application.Ledgers.Import.ILedgerWorkbooks, Imports.XlsxLedgerWorkbooks>();
        services.AddSingleton<GridGov.Application.Ledgers.Import.ILedgerImportFiles, Imports.FileSystemLedgerImportFiles>();
        services.Configure<GridGov.Application.Ledgers.Import.LedgerImportOptions>(configuration.GetSection(GridGov.Application.Ledgers.Import.LedgerImportOptions.Section));
        services.AddScoped<GridGov.Application.Audit.AuditLog>();
        services.AddScoped<IGridGovDbContext>(provider => provider.GetRequiredService<GridGovDbContext>());
        services.AddScoped<ISpatialQueries, PostgisSpatialQueries>();
        services.AddScoped<GridGov.Application.Evaluation.IEvaluationSql, Evaluation.EvaluationSql>();
        services.AddScoped<GridGov.Application.Visits.IHouseholdVisitSql, Visits.HouseholdVisitSql>();
        services.AddScoped<GridGov.Application.Bulletins.IBulletinSql, Bulletins.BulletinSql>();
        services.AddGridGovPatrols(configuration);
        services.AddScoped<GridGov.Application.Dashboard.IDashboardSpatialQueries, DashboardSpatialQueries>();
        services.AddScoped<DatabaseMigrator>();
        services.TryAddScoped<IPasswordHasher<ApplicationUser>, PasswordHasher<ApplicationUser>>();
        services.AddScoped<DemoStreetSeeder>();
        services.AddScoped<DemoCasesSeeder>();
        services.AddScoped<ICaseNumbers, CaseNumbers>();
        services.AddSingleton<IEvidenceStore, FileSystemEvidenceStore>();
        services.Configure<EvidenceOptions>(configuration.GetSection(EvidenceOptions.Section));
        services.Configure<VisitOptions>(configuration.GetSection(VisitOptions.Section));
        services.Configure<SatisfactionOptions>(configuration.GetSection(SatisfactionOptions.Section));
        services.Configure<Application.Residents.ResidentOptions>(configuration.GetSection(Application.Residents.ResidentOptions.Section));
        services.Configure<PatrolOptions>(configuration.GetSection(PatrolOptions.Section));
        // The senders of the outbox, one per kind; the administrator picks one per channel (/admin/notice-senders).
        services.AddSingleton<INotificationSender, LogNotificationSender>();
        services.AddSingleton<INotificationSender, SmsGatewaySender>();
        services.AddSingleton<INotificationSender, SmtpNotificationSender>();
        services.AddHttpClient(SmsGatewaySender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddDataProtection();
        services.AddSingleton<INoticeSecretProtector, DataProtectionSecretProtector>();
        services.AddScoped<INoticeSql, NoticeSql>();
        // The 12345 hotline: orders in through a signed webhook, status out through an outbox (HotlineStatusDispatcher).
        services.Configure<GridGov.Application.Hotline.HotlineOptions>(configuration.GetSection(GridGov.Application.Hotline.HotlineOptions.Section));
        services.TryAddSingleton<GridGov.Application.Hotline.IHotlineStatusClient, Hotline.HttpHotlineStatusClient>();
        // TryAdd: a host may bring its own clock (a test app shifted to December, say).
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Background work of a running app (not of commands or tests): the notification outbox, the hotline's outbox, the monthly evaluation's
    /// freeze, and the listener that hears case changes made on other nodes.
    /// </summary>
    public static IServiceCollection AddGridGovBackgroundServices(this IServiceCollection services)
    {
        services.AddHostedService<NotificationDispatcher>();
        services.AddHostedService<Hotline.HotlineStatusDispatcher>();
        services.AddHostedService<Evaluation.EvaluationFreezeJob>();
        services.AddSingleton<CaseChangeListener>();
        services.AddHostedService(provider => provider.GetRequiredService<CaseChangeListener>());
        return services;
    }

    /// <summary>A data source that maps PostGIS <c>geometry</c> to NetTopologySuite geometries (Npgsql's plugin).</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.Options))
        {
            // PostgreSQL compiles a query to machine code when its estimated cost is high, which a report's correlated
            // look-ups make it: 0.3-0.5 s of compiling for a city's evaluation query that then runs in less (issue 12).
            builder.ConnectionStringBuilder.Options = "-c jit=off";
        }
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql
            .UseNetTopologySuite()
            .MigrationsHistoryTable("__ef_migrations_history")
            // Several collections per aggregate (a case's history, evidence, whistles): one query each, no cartesian product.
            .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
}
