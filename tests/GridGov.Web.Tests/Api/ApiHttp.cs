using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GridGov.TestSupport.GridGov;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Api;

/// <summary>The staff API tests share one app (a copy of the demo street) and sign in through the token endpoint.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "Api";
}

/// <summary>Calls of the staff API as a phone app makes them: JSON bodies, a bearer token, the language it asks for.</summary>
internal static class ApiHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client with no cookies that sends the token (if any) and Accept-Language.</summary>
    public static HttpClient Client(this WebAppFixture app, string? token = null, string? language = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(this WebAppFixture app, string userName, string? password = null, string? language = null)
    {
        using var client = app.Client(language: language);
        return await client.PostAsJsonAsync("/api/v1/tokens", new { userName, password = password ?? DemoStreetDatabaseFixture.DemoPassword });
    }

    public static async Task<string> TokenAsync(this WebAppFixture app, string userName)
    {
        using var response = await app.SignInAsync(userName);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client signed in to the API as <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> ApiAsync(this WebAppFixture app, string userName, string? language = null) =>
        app.Client(await app.TokenAsync(userName), language);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts an RFC 9457 problem of <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.StartsWith("https://www.rfc-editor.org/rfc/", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/", problem.GetProperty("instance").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _));
        return problem;
    }

    public static IReadOnlyList<string> Errors(this JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? [.. messages.EnumerateArray().Select(m => m.GetString()!)]
            : [];

    public static async Task<T> ReadAsync<T>(this WebAppFixture app, Func<GridGov.Infrastructure.Persistence.GridGovDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<GridGov.Infrastructure.Persistence.GridGovDbContext>());
    }

    /// <summary>The id and code of the first grid a grid worker or leader serves.</summary>
    public static Task<(int Id, string Code)> WorkerGridAsync(this WebAppFixture app, string userName) => app.ReadAsync(async db =>
    {
        var grid = await db.Users.Where(u => u.UserName == userName)
            .Join(db.GridAssignments, u => u.StaffMemberId, a => a.StaffMemberId, (u, a) => a.GridCode)
            .Join(db.Grids, code => code, g => g.Code, (code, g) => new { g.Id, g.Code })
            .OrderBy(g => g.Code).FirstAsync();
        return (grid.Id, grid.Code);
    });

    public static bool HasChinese(string? text) => text?.Any(c => c is >= '\u4e00' and <= '\u9fff') == true;

    /// <summary>A tiny PNG (its signature and some bytes), as Base64 the way the API takes photos.</summary>
    public static object Photo(string name = "photo.png") =>
        new { fileName = name, contentBase64 = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()]) };
}
