using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Who is signed in for this scope, and where from. A request scope reads the request; an interactive page's circuit
/// has no request (its <see cref="HttpContext"/> is not to be used), so <see cref="CircuitUserHandler"/> sets the
/// circuit's user here when it connects and whenever its authentication state changes. <see cref="CurrentStaff"/> and
/// the audit actor read the person from here, so the application layer sees the same person on every kind of page.
/// </summary>
public sealed class SignedInUser(IHttpContextAccessor http)
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    private CircuitOrigin? _circuit;

    public ClaimsPrincipal Principal => _circuit?.User ?? http.HttpContext?.User ?? Nobody;

    /// <summary>The client's address (of the request, or of the connection that opened the circuit).</summary>
    public string? ClientAddress => _circuit is { } circuit ? circuit.ClientAddress : Address(http.HttpContext);

    public string? UserAgent => _circuit is { } circuit ? circuit.UserAgent : Agent(http.HttpContext);

    /// <summary>Called by the circuit (and by component tests): from now on this scope's person is <paramref name="user"/>.</summary>
    public void UseCircuit(ClaimsPrincipal user, string? clientAddress, string? userAgent) =>
        _circuit = new CircuitOrigin(user, clientAddress, userAgent);

    /// <summary>A scope of its own (<see cref="PageData"/>) acts for the same person as <paramref name="other"/>.</summary>
    public void UseSameAs(SignedInUser other) => _circuit = new CircuitOrigin(other.Principal, other.ClientAddress, other.UserAgent);

    internal static string? Address(HttpContext? context) =>
        context?.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;

    internal static string? Agent(HttpContext? context) =>
        context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null;

    private sealed record CircuitOrigin(ClaimsPrincipal User, string? ClientAddress, string? UserAgent);
}

/// <summary>
/// Hands an interactive page's circuit its user: when the circuit connects (before its pages render) and after every
/// revalidation (<see cref="CircuitSessionValidator"/>), so a signed-out person's circuit stops acting for him.
/// The address and user agent are those of the connection that opened the circuit.
/// </summary>
public sealed class CircuitUserHandler(AuthenticationStateProvider authentication, SignedInUser signedIn, IHttpContextAccessor http)
    : CircuitHandler, IDisposable
{
    private string? _clientAddress;
    private string? _userAgent;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnAuthenticationChanged;
        return Task.CompletedTask;
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The hub connection's request: its address and agent are the browser's (a reconnect may come from a new address).
        _clientAddress = SignedInUser.Address(http.HttpContext) ?? _clientAddress;
        _userAgent = SignedInUser.Agent(http.HttpContext) ?? _userAgent;
        var state = await authentication.GetAuthenticationStateAsync();
        signedIn.UseCircuit(state.User, _clientAddress, _userAgent);
    }

    private void OnAuthenticationChanged(Task<AuthenticationState> task) =>
        _ = task.ContinueWith(
            done => signedIn.UseCircuit(done.Result.User, _clientAddress, _userAgent),
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    public void Dispose() => authentication.AuthenticationStateChanged -= OnAuthenticationChanged;
}
