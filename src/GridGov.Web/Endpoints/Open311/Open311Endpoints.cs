using System.Globalization;
using GridGov.Application.Open311;
using GridGov.Domain.Common;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints.Open311;

/// <summary>
/// Open311 GeoReport v2 at <c>/open311/v2</c> (wiki.open311.org/GeoReport_v2), each resource in .xml and .json: services,
/// service definitions, service requests (GET with the bbox, page/page_size and updated_after extensions; POST with an API key),
/// one request, tokens. Anonymous (the POST checks its key itself), rate-limited per client address, never behind a sign-in.
/// The endpoints only read parameters and write the answer; what is published and how a post becomes a case is decided in
/// Application/Open311. Refusals come back in the specification's error list, worded in Chinese, or in English when the
/// client asks for it (?culture=en, the culture cookie, or Accept-Language: en).
/// </summary>
public sealed class Open311Endpoints : IEndpointModule
{
    public const string Root = "/open311/v2";
    public const string ServicesPattern = Root + "/services.{format}";
    public const string ServicePattern = Root + "/services/{code}.{format}";
    public const string RequestsPattern = Root + "/requests.{format}";
    public const string RequestPattern = Root + "/requests/{id}.{format}";
    public const string TokenPattern = Root + "/tokens/{token}.{format}";

    public void Map(IEndpointRouteBuilder endpoints)
    {
        Read(endpoints.MapGet(ServicesPattern, (string format, HttpContext http, Open311Queries queries) =>
            RespondAsync(http, format, async (names, token) =>
            {
                await queries.RequireJurisdictionAsync(http.Request.Query["jurisdiction_id"], token);
                var services = await queries.ServicesAsync(token);
                return Open311Body.List("services", "service", services.Select(Open311Fields.Service));
            })), "Open311Services");

        Read(endpoints.MapGet(ServicePattern, (string code, string format, HttpContext http, Open311Queries queries) =>
            RespondAsync(http, format, async (names, token) =>
            {
                await queries.RequireJurisdictionAsync(http.Request.Query["jurisdiction_id"], token);
                return Open311Body.Object("service_definition", Open311Fields.Definition(await queries.DefinitionAsync(code, token)));
            })), "Open311ServiceDefinition");

        Read(endpoints.MapGet(RequestsPattern, (string format, HttpContext http, Open311Queries queries) =>
            RespondAsync(http, format, async (names, token) =>
            {
                var query = http.Request.Query;
                await queries.RequireJurisdictionAsync(query["jurisdiction_id"], token);
                var filter = Open311RequestFilter.Parse(new Open311RequestQueryInput(query["service_request_id"], query["service_code"],
                    query["start_date"], query["end_date"], query["status"], query["bbox"], query["page"], query["page_size"], query["updated_after"]));
                var page = await queries.RequestsAsync(filter, token);
                return Open311Body.List("service_requests", "request", page.Requests.Select(names.Request));
            })), "Open311Requests");

        Read(endpoints.MapGet(RequestPattern, (string id, string format, HttpContext http, Open311Queries queries) =>
            RespondAsync(http, format, async (names, token) =>
            {
                await queries.RequireJurisdictionAsync(http.Request.Query["jurisdiction_id"], token);
                return Open311Body.List("service_requests", "request", [names.Request(await queries.RequestAsync(id, token))]);
            })), "Open311Request");

        Read(endpoints.MapGet(TokenPattern, (string token, string format, HttpContext http, Open311Queries queries) =>
            RespondAsync(http, format, async (names, cancellationToken) =>
            {
                await queries.RequireJurisdictionAsync(http.Request.Query["jurisdiction_id"], cancellationToken);
                var number = await queries.NumberForTokenAsync(token, cancellationToken);
                return Open311Body.List("service_requests", "request", [[new("service_request_id", number), new("token", token.Trim())]]);
            })), "Open311Token");

        endpoints.MapPost(RequestsPattern, (string format, HttpContext http, Open311Requests requests, Open311Queries queries) =>
                RespondAsync(http, format, async (names, token) =>
                {
                    if (!http.Request.HasFormContentType)
                    {
                        throw new Open311Refusal(StatusCodes.Status400BadRequest, names.Text["FormRequired"]);
                    }
                    IFormCollection form;
                    try
                    {
                        form = await http.Request.ReadFormAsync(token);
                    }
                    catch (InvalidDataException)
                    {
                        // ASP.NET refuses a NUL in a form value, and a form over its limits, while reading it.
                        throw new Open311Refusal(StatusCodes.Status400BadRequest, names.Text["FormUnreadable"]);
                    }
                    Open311Input.RequireNoControlCharacters(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))));
                    var attributes = form.Where(f => f.Key.StartsWith("attribute[", StringComparison.Ordinal) && f.Key.EndsWith(']'))
                        .ToDictionary(f => f.Key["attribute[".Length..^1], f => f.Value.ToString(), StringComparer.Ordinal);
                    var created = await requests.CreateAsync(new Open311PostInput(form["api_key"], form["jurisdiction_id"], form["service_code"],
                        form["lat"], form["long"], form["address_string"], form["address_id"], form["email"], form["first_name"], form["last_name"],
                        form["phone"], form["description"], form["media_url"], attributes), token);
                    return Open311Body.List("service_requests", "request",
                    [
                        [
                            new("service_request_id", created.Number),
                            new("service_notice", names.Notice(created.HandleLimit)),
                            new("account_id", null),
                            new("token", created.Token.ToString()),
                        ],
                    ]);
                }))
            .AllowAnonymousWhenListed()
            .DisableAntiforgery()
            .RequireRateLimiting(Open311RateLimits.PostPolicy)
            .WithName("Open311CreateRequest");
    }

    private static void Read(RouteHandlerBuilder builder, string name) =>
        builder.AllowAnonymousWhenListed().RequireRateLimiting(Open311RateLimits.ReadPolicy).WithName(name);

    /// <summary>Runs one answer: the reader's language, the format, control characters, and every refusal in the GeoReport error list.</summary>
    private static async Task RespondAsync(HttpContext http, string format, Func<Open311Fields, CancellationToken, Task<Open311Body>> answer)
    {
        Open311Culture.Apply(http);
        var services = http.RequestServices;
        var names = ActivatorUtilities.CreateInstance<Open311Fields>(services);
        var cancellationToken = http.RequestAborted;
        if (Open311Writer.FormatOf(format) is not { } chosen)
        {
            // XML is the format every GeoReport server must speak.
            await Open311Writer.WriteAsync(http.Response, StatusCodes.Status404NotFound, Open311Format.Xml,
                Open311Fields.Errors(StatusCodes.Status404NotFound, names.Text["FormatUnknown"]), cancellationToken);
            return;
        }
        int status;
        Open311Body body;
        try
        {
            Open311Input.RequireNoControlCharacters(http.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                .Append(new(string.Empty, http.Request.Path.Value)));
            body = await answer(names, cancellationToken);
            status = StatusCodes.Status200OK;
        }
        catch (DomainException exception)
        {
            status = Open311Errors.StatusOf(exception);
            body = Open311Fields.Errors(status, services.GetRequiredService<DomainMessages>().Text(exception));
        }
        catch (Open311Refusal refusal)
        {
            status = refusal.Status;
            body = Open311Fields.Errors(status, refusal.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Open311")
                .LogError(exception, "Open311 {Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            status = StatusCodes.Status500InternalServerError;
            body = Open311Fields.Errors(status, names.Text["ServerError"]);
        }
        await Open311Writer.WriteAsync(http.Response, status, chosen, body, cancellationToken);
    }
}

/// <summary>A refusal of the web layer itself (the form's content type), with its status.</summary>
public sealed class Open311Refusal(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The reader's language: the app's own choice when made (?culture=, the culture cookie, as for the pages); an API client
/// has neither, so its Accept-Language decides between Chinese (the default) and English.
/// </summary>
public static class Open311Culture
{
    public static void Apply(HttpContext http)
    {
        if (http.Request.Query.ContainsKey("culture") || http.Request.Cookies.ContainsKey(CookieRequestCultureProvider.DefaultCookieName))
        {
            return;
        }
        var languages = http.Request.GetTypedHeaders().AcceptLanguage
            .Select((language, index) => (language, index))
            .OrderByDescending(l => l.language.Quality ?? 1).ThenBy(l => l.index);
        foreach (var (language, _) in languages)
        {
            var tag = language.Value.Value ?? "";
            var culture = tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN"
                : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en"
                : null;
            if (culture is not null)
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                return;
            }
        }
    }
}
