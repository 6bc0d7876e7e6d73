using GridGov.Domain.Cases;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// Where an interactive page gets its data and sends its changes: each read or command runs in a scope of its own, with its own database context, as
/// the signed-in person of the page. An interactive page lives in a circuit whose scope lasts as long as the browser
/// tab, so one context for the circuit would grow with every page visited and fail when two reads overlap (a filter
/// changed while the last page still loads); a scope per read has neither problem.
/// </summary>
public sealed class PageData(IServiceScopeFactory scopes, SignedInUser signedIn)
{
    /// <summary>Runs <paramref name="read"/> on a fresh <typeparamref name="TService"/> (a read that needs no staff actor).</summary>
    public async Task<TResult> ReadAsync<TService, TResult>(Func<TService, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken = default)
        where TService : notnull
    {
        await using var scope = Scope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>(), cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a fresh <typeparamref name="TService"/> as the page's person.</summary>
    public async Task<TResult> ReadAsync<TService, TResult>(
        Func<TService, CaseActor, CancellationToken, Task<TResult>> read, CancellationToken cancellationToken = default)
        where TService : notnull
    {
        await using var scope = Scope();
        var actor = await scope.ServiceProvider.GetRequiredService<CurrentStaff>().ActorAsync(cancellationToken);
        return await read(scope.ServiceProvider.GetRequiredService<TService>(), actor, cancellationToken);
    }

    /// <summary>
    /// Runs a command (a save, a workflow action) on a fresh <typeparamref name="TService"/> as the page's person. The
    /// same fresh scope as a read: the command commits or fails on its own context, and a failure leaves nothing behind
    /// for the next click to trip over.
    /// </summary>
    public Task<TResult> RunAsync<TService, TResult>(
        Func<TService, CaseActor, CancellationToken, Task<TResult>> command, CancellationToken cancellationToken = default)
        where TService : notnull => ReadAsync(command, cancellationToken);

    /// <summary>Runs a command that answers nothing on a fresh <typeparamref name="TService"/> as the page's person.</summary>
    public Task RunAsync<TService>(Func<TService, CaseActor, CancellationToken, Task> command, CancellationToken cancellationToken = default)
        where TService : notnull => ReadAsync<TService, bool>(async (service, actor, token) =>
        {
            await command(service, actor, token);
            return true;
        }, cancellationToken);

    private AsyncServiceScope Scope()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SignedInUser>().UseSameAs(signedIn);
        return scope;
    }
}
