using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Security headers on every response (pages, static files, error pages). The
/// Content-Security-Policy allows only the app's own scripts: the pages load their JavaScript from
/// wwwroot (no inline script, no eval), images
/// from the app, data:/blob: URLs and the configured map tile host. Styles: the app's own on static pages;
/// interactive (MudBlazor) pages also allow inline styles, because MudBlazor's theme writes a style element and
/// its components write style attributes (MudBlazor#4529); a nonce or hash would switch 'unsafe-inline' off.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseGridGovSecurityHeaders(this IApplicationBuilder app)
    {
        var map = app.ApplicationServices.GetRequiredService<IOptions<MapOptions>>().Value;
        var security = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var policy = ContentSecurityPolicy(TileSource(map.TileUrl), security.RequireHttps);
        var interactivePolicy = ContentSecurityPolicy(TileSource(map.TileUrl), security.RequireHttps, inlineStyles: true);
        return app.Use((context, next) =>
        {
            // Set when the response starts, so error pages (whose handler clears the headers) get them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // The API reference page (Scalar) carries a fresh nonce on its own script tags, and styles itself inline.
                // The residents' pages are static but built of MudBlazor components (theme <style>, style attributes): the
                // interactive pages' policy.
                headers.ContentSecurityPolicy = context.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string { Length: > 0 } nonce
                    ? ContentSecurityPolicy(TileSource(map.TileUrl), security.RequireHttps, inlineStyles: true, scriptNonce: nonce)
                    : context.GetEndpoint() is not null && (context.AcceptsInteractiveRouting() || ResidentSession.IsResidentPath(context.Request.Path))
                        ? interactivePolicy : policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // Workers report from phones: the report page may ask for the position; nothing else is used.
                headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    public static string ContentSecurityPolicy(string? tileSource, bool requireHttps, bool inlineStyles = false, string? scriptNonce = null)
    {
        var images = tileSource is null ? "'self' data: blob:" : $"'self' data: blob: {tileSource}";
        string[] directives =
        [
            "default-src 'self'",
            scriptNonce is null ? "script-src 'self'" : $"script-src 'self' 'nonce-{scriptNonce}'",
            "script-src-attr 'none'",
            inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
            // Static pages: no style attributes in markup: scripts style through the CSSOM (allowed), ECharts tooltips
            // render on the canvas (renderMode richText), Leaflet popups are built as DOM nodes.
            inlineStyles ? "style-src-attr 'unsafe-inline'" : "style-src-attr 'none'",
            $"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            .. requireHttps ? ["upgrade-insecure-requests"] : Array.Empty<string>(),
        ];
        return string.Join("; ", directives);
    }

    /// <summary>
    /// The origin of the tile URL for img-src; a Leaflet subdomain placeholder in the first label
    /// ({s}, t{s}) becomes a wildcard: https://t{s}.tianditu.gov.cn/… → https://*.tianditu.gov.cn.
    /// </summary>
    public static string? TileSource(string? tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl))
        {
            return null;
        }
        var schemeEnd = tileUrl.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }
        var scheme = tileUrl[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return null;
        }
        var rest = tileUrl[(schemeEnd + 3)..];
        var hostEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = hostEnd < 0 ? rest : rest[..hostEnd];
        var labels = authority.Split('.');
        if (labels[0].Contains('{', StringComparison.Ordinal))
        {
            labels[0] = "*";
        }
        var host = string.Join('.', labels);
        // Only host characters (and a port) reach the header.
        return host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or ':')
            ? $"{scheme}://{host}"
            : null;
    }
}
