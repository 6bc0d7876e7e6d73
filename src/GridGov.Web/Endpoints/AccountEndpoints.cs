using GridGov.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using GridGov.Web.Infrastructure;

namespace GridGov.Web.Endpoints;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (SignInManager<ApplicationUser> signInManager) =>
            {
                await signInManager.SignOutAsync();
                return Results.LocalRedirect("/account/login");
            })
            .RequireAuthorization()
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

        // Language switch: a form post that stores the choice in the standard culture cookie.
        endpoints.MapPost("/culture", ([FromForm] string culture, [FromForm] string? returnUrl, HttpContext context) =>
            {
                var chosen = culture == "en" ? "en" : "zh-CN";
                context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
                return Results.LocalRedirect(LocalUrls.OrHome(returnUrl));
            })
            .AllowAnonymousWhenListed();
        return endpoints;
    }
}
