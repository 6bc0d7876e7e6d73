using System.Net;
using System.Text.RegularExpressions;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace GridGov.Web.Tests.Api;

/// <summary>
/// The staff API's OpenAPI document (issue 13: "validates and covers every /api/v1 endpoint"): read back by Microsoft.OpenApi's
/// own reader with no errors, every /api/v1 route of the running app in it with an operation id, a Chinese and English
/// summary and its responses; and the reference page (Scalar) served from the app under its Content-Security-Policy.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class OpenApiDocumentTests(WebAppFixture app)
{
    private async Task<(string Json, OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> DocumentAsync()
    {
        using var admin = await app.SignedInAsync("admin1");
        using var response = await admin.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var read = OpenApiDocument.Parse(json, "json");
        return (json, read.Document!, read.Diagnostic!);
    }

    [Fact]
    public async Task The_document_reads_back_with_no_errors_and_passes_the_readers_validation_rules()
    {
        var (json, document, diagnostic) = await DocumentAsync();

        Assert.StartsWith("3.1", diagnostic.SpecificationVersion.ToString().Replace("OpenApi", "", StringComparison.Ordinal).Replace('_', '.'), StringComparison.Ordinal);
        Assert.Empty(diagnostic.Errors);
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Contains("\"openapi\": \"3.1", json, StringComparison.Ordinal);
        var bearer = Assert.IsType<OpenApiSecurityScheme>(document.Components!.SecuritySchemes!["Bearer"]);
        Assert.Equal(SecuritySchemeType.Http, bearer.Type);
        Assert.Equal("bearer", bearer.Scheme);
        Assert.Equal("JWT", bearer.BearerFormat);
    }

    [Fact]
    public async Task Every_api_v1_route_of_the_app_is_in_the_document_with_an_id_a_bilingual_summary_and_its_responses()
    {
        var (_, document, _) = await DocumentAsync();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Path: Normalize(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
        Assert.True(routes.Count >= 16, $"only {routes.Count} /api/v1 routes");

        var problems = new List<string>();
        foreach (var (method, path) in routes)
        {
            if (document.Paths is null || !document.Paths.TryGetValue(path, out var item) || item.Operations is null
                || !item.Operations.TryGetValue(new HttpMethod(method), out var operation))
            {
                problems.Add($"{method} {path}: not in the document");
                continue;
            }
            if (string.IsNullOrWhiteSpace(operation.OperationId))
            {
                problems.Add($"{method} {path}: no operationId");
            }
            if (operation.Summary is not { } summary || !ApiHttp.HasChinese(summary) || !summary.Contains('·') || !Latin().IsMatch(summary))
            {
                problems.Add($"{method} {path}: the summary is not in Chinese and English ({operation.Summary})");
            }
            if (operation.Responses is null || operation.Responses.Count == 0 || !operation.Responses.Keys.Any(k => k.StartsWith('2')))
            {
                problems.Add($"{method} {path}: no success response");
            }
            if (path != "/api/v1/tokens" && (operation.Security is null || !operation.Security.Any(r => r.Keys.Any(k => k.Reference?.Id == "Bearer"))))
            {
                problems.Add($"{method} {path}: does not require the bearer scheme");
            }
            if (path != "/api/v1/tokens" && operation.Responses?.ContainsKey("401") != true)
            {
                problems.Add($"{method} {path}: no 401 response");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var documented = document.Paths!.SelectMany(p => p.Value.Operations!.Keys.Select(m => (m.Method, p.Key))).Count();
        Assert.Equal(routes.Count, documented);
        Assert.Equal(routes.Count, document.Paths!.SelectMany(p => p.Value.Operations!.Values).Select(o => o.OperationId).Distinct().Count());
    }

    [Fact]
    public async Task A_json_body_is_documented_with_its_schema()
    {
        var (_, document, _) = await DocumentAsync();

        var report = document.Paths!["/api/v1/cases"].Operations![HttpMethod.Post];

        var schema = report.RequestBody!.Content!["application/json"].Schema!;
        var properties = (schema is OpenApiSchemaReference reference ? reference.Target : schema)!.Properties!;
        Assert.Contains("submissionId", properties.Keys);
        Assert.Contains("photos", properties.Keys);
        Assert.Contains("201", report.Responses!.Keys);
    }

    [Fact]
    public async Task Only_administrators_get_the_document_and_the_reference_page()
    {
        using var dispatcher = await app.SignedInAsync("dispatcher1");
        using var anonymous = app.CreateClient();

        using var document = await dispatcher.GetAsync("/openapi/v1.json");
        using var page = await dispatcher.GetAsync("/scalar/v1");
        using var nobody = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal("/error/403", document.Headers.Location?.AbsolutePath);
        Assert.Equal("/error/403", page.Headers.Location?.AbsolutePath);
        Assert.Equal("/account/login", nobody.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task The_reference_page_loads_its_scripts_from_the_app_with_a_fresh_nonce_and_no_inline_script_otherwise()
    {
        using var admin = await app.SignedInAsync("admin1");

        using var first = await admin.GetAsync("/scalar/v1");
        using var second = await admin.GetAsync("/scalar/v1");
        using var bundle = await admin.GetAsync("/scalar/scalar.js");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.Content.ReadAsStringAsync();
        var policy = first.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Nonce().Match(policy).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), policy);
        Assert.DoesNotContain("'unsafe-inline' 'nonce", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", string.Join("", scripts), StringComparison.Ordinal);
        Assert.NotEqual(nonce, Nonce().Match(second.Headers.GetValues("Content-Security-Policy").Single()).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    /// <summary>"/api/v1/cases/{number}" as the document writes it (route constraints dropped: "{patrolId:guid}" → "{patrolId}").</summary>
    private static string Normalize(string pattern) => Constraint().Replace(pattern, "{$1}").TrimEnd('/');

    [GeneratedRegex(@"\{([A-Za-z]+)(:[^}]+)\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex Latin();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
