using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using GridGov.Application.Open311;
using GridGov.Domain.Cases;
using GridGov.Infrastructure.Persistence;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Open311;

/// <summary>One answer of the Open311 API: status, content type and body, read as JSON or XML.</summary>
internal sealed record Open311Answer(HttpStatusCode Status, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public XDocument Xml => XDocument.Parse(Body);
}

/// <summary>Requests to the running app's Open311 endpoints over real HTTP, and the test data they need, made through the app.</summary>
internal static class Open311Client
{
    public const string Root = "/open311/v2";

    /// <summary>The element names of a service request, in the order of the GeoReport v2 specification's example.</summary>
    public static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible", "service_notice",
        "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
    ];

    public static readonly string[] ServiceFields = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];

    public static readonly string[] AttributeFields = ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"];

    public static async Task<Open311Answer> GetAsync(this WebAppFixture app, string path, string? language = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Root + path);
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        using var response = await client.SendAsync(request);
        return await AnswerAsync(response);
    }

    public static async Task<Open311Answer> PostAsync(this WebAppFixture app, string path, IEnumerable<KeyValuePair<string, string>> form, string? language = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Root + path) { Content = new FormUrlEncodedContent(form) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        using var response = await client.SendAsync(request);
        return await AnswerAsync(response);
    }

    private static async Task<Open311Answer> AnswerAsync(HttpResponseMessage response) =>
        new(response.StatusCode, response.Content.Headers.ContentType?.ToString(), Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));

    public static Task<T> DbAsync<T>(this WebAppFixture app, Func<GridGovDbContext, Task<T>> work) =>
        app.WithAsync(provider => work(provider.GetRequiredService<GridGovDbContext>()));

    public static async Task<IssuedOpen311Key> IssueKeyAsync(this WebAppFixture app, string clientName)
    {
        var admin = await app.ActorAsync("admin1");
        return await app.WithAsync(provider => provider.GetRequiredService<Open311Keys>().IssueAsync(clientName, admin));
    }

    public static async Task RevokeKeyAsync(this WebAppFixture app, int keyId)
    {
        var admin = await app.ActorAsync("admin1");
        await app.WithAsync(async provider =>
        {
            await provider.GetRequiredService<Open311Keys>().RevokeAsync(keyId, "测试吊销", admin);
            return true;
        });
    }

    /// <summary>The count and the newest id of cases: a refused post leaves both as they were.</summary>
    public static Task<(int Count, int MaxId)> CasesAsync(this WebAppFixture app) => app.DbAsync(async db =>
        (await db.Cases.CountAsync(), await db.Cases.MaxAsync(c => (int?)c.Id) ?? 0));

    /// <summary>A case reported by a resident, driven through the workflow to the archive.</summary>
    public static async Task<Case> ArchivedAsync(this WebAppFixture app)
    {
        var handler = await app.ActorAsync("handler1");
        var @case = await app.DispatchedToHandler1Async();
        await app.DoAsync(s => s.AcceptAsync(@case.Id, handler));
        await app.DoAsync(s => s.SubmitFeedbackAsync(@case.Id, handler, "已清运", [InboxCases.Photo()]));
        await app.DoAsync(async s => await s.VerifyAsync(@case.Id, await app.ActorAsync("leader1")));
        return await app.DoAsync(async s => await s.ArchiveAsync(@case.Id, await app.ActorAsync("dispatcher1")));
    }

    /// <summary>The names of an element's child elements, in order.</summary>
    public static string[] Children(XElement element) => [.. element.Elements().Select(e => e.Name.LocalName)];

    /// <summary>The names of a JSON object's properties, in order.</summary>
    public static string[] Properties(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
