using Microsoft.AspNetCore.Antiforgery;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Form posts the pages cannot take, answered in Chinese. A post whose antiforgery token is missing or wrong is
/// refused here before any endpoint runs (otherwise pages answer with the framework's English text, and endpoints
/// that bind no form would go ahead). A post a page turns away with an empty 400 (a form name that is not on the
/// page, e.g. an action the person may not take) gets a message too: the status page cannot be re-executed for it,
/// since the re-executed post would name the same missing form.
/// </summary>
public static class AntiforgeryRefusal
{
    public const string TokenMessage = "页面已过期或请求来源无效，请刷新页面后重新提交。";
    public const string FormMessage = "该表单在当前页面上不可用（可能已被他人办理或您无权操作），请刷新页面后重试。";

    public static IApplicationBuilder UseAntiforgeryRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                await RefuseAsync(context, TokenMessage);
                return;
            }
            await next(context);
            if (HttpMethods.IsPost(context.Request.Method) && context.Response.StatusCode == StatusCodes.Status400BadRequest
                && !context.Response.HasStarted)
            {
                await RefuseAsync(context, FormMessage);
            }
        });

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }
}
