using GridGov.Application.Cases;
using GridGov.Application.Residents;
using GridGov.Application.Tests.Notifications;
using GridGov.Domain.Cases;
using GridGov.Domain.Residents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Residents;

/// <summary>
/// The demo street with the fake SMS gateway as the SMS sender and low residents' limits, so each limit is reached in a
/// few steps. Tests use a phone and a client address of their own (the limits count per day).
/// </summary>
public class ResidentScenario : NoticeScenario
{
    public const int ReportsBeforeReview = 2;
    public const int MaxReports = 4;
    public const int CodesPerPhone = 3;
    public const int CodesPerAddress = 5;
    public const int Points = 10;

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.Configure<ResidentOptions>(o =>
        {
            o.ReportsPerPhonePerDay = ReportsBeforeReview;
            o.MaxReportsPerPhonePerDay = MaxReports;
            o.ReportsPerAddressPerDay = 100;
            o.CodesPerPhonePerDay = CodesPerPhone;
            o.CodesPerAddressPerDay = CodesPerAddress;
            o.PointsPerValidReport = Points;
        });
    }

    public Task<T> Residents<T>(Func<IServiceProvider, Task<T>> work) => WithAsync(work);

    /// <summary>A resident's report from the phone page, in worker1's grid, category 0501 (暴露垃圾).</summary>
    public async Task<ResidentReportOutcome> ReportAsync(string phone, string clientAddress = "10.0.0.1", Guid? formId = null, string description = "小区门口垃圾堆积",
        IReadOnlyList<EvidenceUpload>? photos = null)
    {
        var (x, y) = await PointInGridAsync(await GridOfAsync("worker1"));
        var category = await CategoryAsync("0501");
        return await WithAsync(p => p.GetRequiredService<ResidentReports>().SubmitAsync(phone,
            new ResidentReportRequest(category.Id, description, x, y, null, null, photos ?? [], formId ?? Guid.NewGuid()), clientAddress));
    }

    public async Task<int> CaseIdAsync(string number) => await DbAsync(db => db.Cases.Where(c => c.Number == number).Select(c => c.Id).SingleAsync());

    public Task<int> BalanceAsync(string phone) =>
        DbAsync(async db => await db.ResidentPointAccounts.Where(a => a.Phone == phone).Select(a => (int?)a.Balance).SingleOrDefaultAsync() ?? 0);

    public Task<List<ResidentPointEntry>> EntriesAsync(string phone) =>
        DbAsync(db => db.ResidentPointEntries.AsNoTracking().Where(e => e.Phone == phone).OrderBy(e => e.Id).ToListAsync());

    /// <summary>Registered by the dispatcher: a valid case.</summary>
    public async Task<Case> RegisterAsync(int caseId) => await DoAsync(async s => await s.RegisterAsync(caseId, await ActorAsync("dispatcher1"), null, null));
}
