using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Refuses a request whose path, query string or form fields hold a control character (tab, line feed and carriage return
/// excepted: multi-line fields have them) with 400 and a Chinese message, before any page, endpoint or export reads it.
/// PostgreSQL refuses a NUL in text (a 500, or an export broken off mid-stream), and no field of the app means any other.
/// </summary>
public static class ControlCharacterGuard
{
    public const string Message = "输入内容含有不可见的控制字符（如 NUL），无法处理，未做任何更改。请删除这些字符后重试。/ The input holds control characters; nothing was changed.";

    public static bool IsRefused(string? text) => text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'));

    /// <summary>After routing and antiforgery: the endpoint's form limits apply, and a form antiforgery read is read once.</summary>
    public static WebApplication UseControlCharacterGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Open311 refuses them itself, in the GeoReport error format its clients read (Open311Endpoints).
            if (context.Request.Path.StartsWithSegments(Endpoints.Open311.Open311Endpoints.Root) || !await HoldsControlCharacterAsync(context.Request))
            {
                await next(context);
                return;
            }
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Input")
                .LogWarning("{Method} {Path} refused: control characters in the input", context.Request.Method, context.Request.Path.Value);
            if (Endpoints.Api.ApiProblems.IsApi(context))
            {
                await Endpoints.Api.ApiProblems.WriteAsync(context, StatusCodes.Status400BadRequest, Message);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Message, context.RequestAborted);
        });
        return app;
    }

    private static async Task<bool> HoldsControlCharacterAsync(HttpRequest request)
    {
        if (IsRefused(request.Path.Value) || request.Query.Any(pair => IsRefused(pair.Key) || pair.Value.Any(IsRefused)))
        {
            return true;
        }
        // A post antiforgery refused is refused without reading its form (the form may not be read), and so is the error
        // page re-executed for it.
        var features = request.HttpContext.Features;
        if (features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } || features.Get<IStatusCodeReExecuteFeature>() is not null
            || features.Get<IExceptionHandlerFeature>() is not null || !request.HasFormContentType)
        {
            return false;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            // A form over the limits: the endpoint reports that itself.
            return false;
        }
        return form.Any(field => IsRefused(field.Key) || field.Value.Any(IsRefused)) || form.Files.Any(file => IsRefused(file.FileName));
    }
}
