using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Hotline;

internal static class HotlineWebData
{
    /// <summary>Reads or writes the running app's database through its own context.</summary>
    public static async Task<T> DbAsync<T>(this WebAppFixture app, Func<GridGovDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GridGovDbContext>());
    }
}
