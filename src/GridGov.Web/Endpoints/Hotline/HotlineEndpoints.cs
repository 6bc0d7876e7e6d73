using GridGov.Application.Hotline;
using GridGov.Domain.Common;
using GridGov.Web.Infrastructure;
using GridGov.Web.Resources;

namespace GridGov.Web.Endpoints.Hotline;

/// <summary>
/// The 12345 hotline's webhook: <c>POST /hotline/v1/orders</c> with a work order as JSON, signed (HotlineSignature). No
/// sign-in and no antiforgery token: the signature is the credential. Answers JSON: 201 with the case number for a new
/// order, 200 with the same number for an order posted again; refusals as <c>{"code", "message"}</c> — 401 for a missing,
/// wrong or stale signature, 409 for another body under a known order number, 413 for a body over the limit, 400 for a
/// body that does not read, 422 for an order the street cannot take (no place in a grid, no class).
/// </summary>
public sealed class HotlineEndpoints : IEndpointModule
{
    public const string Root = "/hotline/v1";
    public const string OrdersPattern = Root + "/orders";

    private static readonly HashSet<string> BadRequestCodes = new(StringComparer.Ordinal)
    {
        "hotline.body-invalid", "hotline.field-missing", "hotline.field-invalid", "hotline.field-too-long", "hotline.control-characters",
        "hotline.point-invalid", "hotline.location-missing", "phone.invalid",
    };

    private static readonly HashSet<string> UnauthorizedCodes = new(StringComparer.Ordinal)
    {
        "hotline.signature-missing", "hotline.signature-invalid", "hotline.timestamp-invalid", "hotline.timestamp-stale",
    };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OrdersPattern, async (HttpContext http, HotlineOrders orders, DomainMessages messages,
                Microsoft.Extensions.Options.IOptions<HotlineOptions> options, ILogger<HotlineEndpoints> logger) =>
            {
                var limit = Math.Max(1, options.Value.MaxBodyKilobytes) * 1024;
                var body = await ReadBodyAsync(http.Request, limit, http.RequestAborted);
                if (body is null)
                {
                    return Refusal(StatusCodes.Status413PayloadTooLarge, "hotline.body-too-large", $"请求体超过{limit / 1024}KB上限");
                }
                try
                {
                    var receipt = await orders.ReceiveAsync(body, http.Request.Headers[HotlineSignature.TimestampHeader], http.Request.Headers[HotlineSignature.SignatureHeader],
                        http.RequestAborted);
                    var answer = new
                    {
                        order_no = receipt.OrderNumber,
                        case_number = receipt.CaseNumber,
                        created = receipt.Created,
                        category_mapped = receipt.CategoryMapped,
                        placement = receipt.Placement.ToString(),
                    };
                    return Results.Json(answer, JsonOptions, statusCode: receipt.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
                }
                catch (DomainException exception)
                {
                    var status = UnauthorizedCodes.Contains(exception.Code) ? StatusCodes.Status401Unauthorized
                        : exception.Code == "hotline.order-conflict" ? StatusCodes.Status409Conflict
                        : exception.Code == "hotline.not-configured" ? StatusCodes.Status503ServiceUnavailable
                        : BadRequestCodes.Contains(exception.Code) || exception.Code.StartsWith("text.", StringComparison.Ordinal) ? StatusCodes.Status400BadRequest
                        : StatusCodes.Status422UnprocessableEntity;
                    logger.LogInformation("Hotline order refused with {Status}: {Code}", status, exception.Code);
                    return Refusal(status, exception.Code, messages.Text(exception));
                }
            })
            .AllowAnonymousWhenListed()
            .DisableAntiforgery()
            .WithName("HotlineOrders");
    }

    private static IResult Refusal(int status, string code, string message) => Results.Json(new { code, message }, JsonOptions, statusCode: status);

    // Chinese as it is, not \u-escaped: the hotline's staff read these answers in their logs.
    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
