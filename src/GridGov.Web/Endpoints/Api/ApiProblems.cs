using System.Diagnostics;
using GridGov.Domain.Common;
using GridGov.Web.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace GridGov.Web.Endpoints.Api;

/// <summary>
/// Every refusal of the staff API as RFC 9457 problem details (<c>application/problem+json</c>): a title for the status
/// and a detail in the request's language (Accept-Language), the domain's code as <c>code</c> for a rule the domain refused,
/// and field names under <c>errors</c> for bad input. Nothing under /api/v1 answers with an HTML page.
/// </summary>
public static class ApiProblems
{
    public const string Root = "/api/v1";

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments(Root);

    private static readonly Dictionary<int, string> Types = new()
    {
        [400] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        [401] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        [403] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        [404] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        [405] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        [409] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        [413] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        [415] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        [422] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        [429] = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        [500] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        [503] = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
    };

    /// <summary>Domain codes that mean "not yours" rather than "not so": answered 403.</summary>
    private static readonly HashSet<string> ForbiddenCodes = new(StringComparer.Ordinal)
    {
        "case.out-of-scope", "staff.unlinked", "staff.not-found", "visit.not-staff", "visit.out-of-grid", "visit.out-of-scope", "patrol.role",
        "patrol.not-your-grid", "ongoing-patrol.not-yours",
    };

    /// <summary>Domain codes of a change that lost a race or a key someone else used: answered 409.</summary>
    private static readonly HashSet<string> ConflictCodes = new(StringComparer.Ordinal)
    {
        "case.concurrency", Submissions.ForeignCode, "ongoing-patrol.finished",
    };

    /// <summary>A problem for <paramref name="status"/> with the status's title and the given (or the status's own) detail.</summary>
    public static ProblemHttpResult Problem(HttpContext context, int status, string? detail = null, string? code = null)
    {
        var text = Text(context);
        var problem = new ProblemDetails
        {
            Status = status,
            Type = Types.GetValueOrDefault(status),
            Title = Title(text, status),
            Detail = detail ?? DefaultDetail(text, status),
            Instance = context.Request.Path.Value,
        };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        return TypedResults.Problem(problem);
    }

    /// <summary>400 with the bad fields, each named as in the request's JSON (or query), and what is wrong with it.</summary>
    public static ValidationProblem Validation(HttpContext context, IDictionary<string, string[]> errors, string? code = null)
    {
        var text = Text(context);
        var extensions = new Dictionary<string, object?> { ["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier };
        if (code is not null)
        {
            extensions["code"] = code;
        }
        return TypedResults.ValidationProblem(errors, detail: string.Join("；", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))),
            instance: context.Request.Path.Value, title: text["ValidationTitle"], type: Types[400], extensions: extensions);
    }

    public static ValidationProblem Validation(HttpContext context, string field, string message) =>
        Validation(context, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// A refusal of the domain, in the request's language (<see cref="DomainMessages"/>): a refusal about one input is a
    /// validation problem on that field; "not found" 404; "not yours" 403; a lost race or a foreign submission key 409; any
    /// other rule 422.
    /// </summary>
    public static IResult From(HttpContext context, DomainException exception, IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        var message = context.RequestServices.GetRequiredService<DomainMessages>().Text(exception);
        if (exception.Code.EndsWith(".not-found", StringComparison.Ordinal) && exception.Field is null)
        {
            return Problem(context, StatusCodes.Status404NotFound, message, exception.Code);
        }
        if (ForbiddenCodes.Contains(exception.Code))
        {
            return Problem(context, StatusCodes.Status403Forbidden, message, exception.Code);
        }
        if (ConflictCodes.Contains(exception.Code))
        {
            return Problem(context, StatusCodes.Status409Conflict, message, exception.Code);
        }
        if (exception.Field is { } field)
        {
            var name = fieldNames?.GetValueOrDefault(field) ?? field;
            return Validation(context, new Dictionary<string, string[]> { [name] = [message] }, exception.Code);
        }
        return Problem(context, StatusCodes.Status422UnprocessableEntity, message, exception.Code);
    }

    /// <summary>Writes a problem straight to the response (middleware and authentication events, outside an endpoint).</summary>
    public static Task WriteAsync(HttpContext context, int status, string? detail = null) =>
        Problem(context, status, detail).ExecuteAsync(context);

    private static IStringLocalizer<ApiResource> Text(HttpContext context) =>
        context.RequestServices.GetRequiredService<IStringLocalizer<ApiResource>>();

    private static string Title(IStringLocalizer<ApiResource> text, int status)
    {
        var title = text["Problem" + status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return title.ResourceNotFound ? text["ProblemOther"] : title.Value;
    }

    private static string? DefaultDetail(IStringLocalizer<ApiResource> text, int status)
    {
        var detail = text["Detail" + status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return detail.ResourceNotFound ? null : detail.Value;
    }
}
