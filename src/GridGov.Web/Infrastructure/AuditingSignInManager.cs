using GridGov.Application.Audit;
using GridGov.Application.Ledgers;
using GridGov.Domain.Audit;
using GridGov.Infrastructure.Identity;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Identity's sign-in manager that also writes sign-ins, failed sign-ins and sign-outs to the audit log, with the
/// client's address. A failed attempt records the name typed (cut short), never the password.
/// </summary>
public sealed class AuditingSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    AuditLog audit,
    IAuditActor actor,
    StaffSessions sessions)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private const int TypedNameMaxLength = 60;
    private const string Anonymous = "未登录";

    /// <summary>
    /// An anonymous caller learns only whether the sign-in succeeded: an unknown, locked or disabled account fails like a
    /// wrong password (the audit log keeps the reason). Those refusals come before any password check, so they hash the
    /// typed password anyway and take about as long as a wrong password does.
    /// </summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        SignInResult result;
        if (user is null || await IsLockedOut(user))
        {
            UserManager.PasswordHasher.HashPassword(user ?? new ApplicationUser(), password);
            result = user is null ? SignInResult.Failed : SignInResult.LockedOut;
        }
        else
        {
            result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }
        var where = actor.Describe();
        if (result.Succeeded && user is not null)
        {
            await audit.RecordAsync(where with { StaffMemberId = user.StaffMemberId, UserName = user.UserName, Name = user.DisplayName },
                AuditAction.SignIn, nameof(ApplicationUser), user.Id, "登录成功");
            return result;
        }
        var typed = userName.Length > TypedNameMaxLength ? userName[..TypedNameMaxLength] : userName;
        var reason = user is null ? "用户名不存在" : result.IsLockedOut ? "账号已锁定" : result.IsNotAllowed ? "账号不允许登录" : "密码错误";
        await audit.RecordAsync(where with { StaffMemberId = null, UserName = typed, Name = Anonymous },
            AuditAction.SignInFailed, nameof(ApplicationUser), user?.Id, "登录失败：" + reason);
        return SignInResult.Failed;
    }

    /// <summary>
    /// The staff API's sign-in (an access token instead of a cookie): the same rules as <see cref="PasswordSignInAsync"/> —
    /// lockout after failures, a locked or disabled account refused like a wrong password after a password hash, every
    /// attempt audited — and on success a server-side session the token names, so that signing out, a password reset or a
    /// disabled account ends the token too. Null when refused.
    /// </summary>
    public async Task<(ApplicationUser User, Guid Session)?> ApiSignInAsync(string userName, string password)
    {
        var user = await UserManager.FindByNameAsync(userName);
        SignInResult result;
        if (user is null || await IsLockedOut(user))
        {
            UserManager.PasswordHasher.HashPassword(user ?? new ApplicationUser(), password);
            result = user is null ? SignInResult.Failed : SignInResult.LockedOut;
        }
        else
        {
            result = await CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        }
        var where = actor.Describe();
        if (result.Succeeded && user is not null)
        {
            await audit.RecordAsync(where with { StaffMemberId = user.StaffMemberId, UserName = user.UserName, Name = user.DisplayName },
                AuditAction.SignIn, nameof(ApplicationUser), user.Id, "接口登录成功（访问令牌）");
            return (user, await sessions.StartAsync(user.Id));
        }
        var typed = userName.Length > TypedNameMaxLength ? userName[..TypedNameMaxLength] : userName;
        var reason = user is null ? "用户名不存在" : result.IsLockedOut ? "账号已锁定" : result.IsNotAllowed ? "账号不允许登录" : "密码错误";
        await audit.RecordAsync(where with { StaffMemberId = null, UserName = typed, Name = Anonymous },
            AuditAction.SignInFailed, nameof(ApplicationUser), user?.Id, "接口登录失败：" + reason);
        return null;
    }

    /// <summary>Every sign-in opens a server-side session whose id the cookie carries (<see cref="StaffSessions"/>).</summary>
    public override async Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var session = await sessions.StartAsync(user.Id);
        await base.SignInWithClaimsAsync(user, authenticationProperties,
            [.. additionalClaims, new Claim(StaffSessions.ClaimType, session.ToString())]);
    }

    /// <summary>Ends this session on the server, so the cookie stops working even where it is kept or copied.</summary>
    public override async Task SignOutAsync()
    {
        if (Context.User.Identity?.IsAuthenticated == true)
        {
            await sessions.EndAsync(Context.User);
            await audit.RecordAsync(AuditAction.SignOut, nameof(ApplicationUser), UserManager.GetUserId(Context.User), "退出登录");
        }
        await base.SignOutAsync();
    }
}
