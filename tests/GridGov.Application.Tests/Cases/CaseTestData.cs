using GridGov.Application.Cases;
using GridGov.Domain.Cases;

namespace GridGov.Application.Tests.Cases;

internal static class CaseTestData
{
    public const string ExposedRubbish = "0501";

    public static async Task<Case> ReportAsync(this CaseScenario scenario, string gridCode, string category = ExposedRubbish,
        CasePriority priority = CasePriority.Normal, string phone = "13912345678", (double Longitude, double Latitude)? at = null)
    {
        var (longitude, latitude) = at ?? await scenario.PointInGridAsync(gridCode);
        var categoryId = (await scenario.CategoryAsync(category)).Id;
        return await scenario.DoAsync(s => s.ReportAsync(new ReportCase(categoryId, "路边有一堆生活垃圾无人清理", longitude, latitude,
            "云帆街道某路口", CaseSource.Resident, priority, "李明", phone, []), CaseActor.Public("李明")));
    }

    /// <summary>Reported in leader1's grid, registered and dispatched to handler1's department.</summary>
    public static async Task<(Case Case, CaseActor Dispatcher, CaseActor Handler)> DispatchedToHandler1Async(this CaseScenario scenario, string category = ExposedRubbish)
    {
        var dispatcher = await scenario.ActorAsync("dispatcher1");
        var handler = await scenario.ActorAsync("handler1");
        var @case = await scenario.ReportAsync(await scenario.GridOfAsync("leader1"), category);
        await scenario.DoAsync(s => s.RegisterAsync(@case.Id, dispatcher, null, null));
        await scenario.DoAsync(s => s.DispatchAsync(@case.Id, dispatcher, handler.DepartmentId!.Value));
        return (@case, dispatcher, handler);
    }
}
