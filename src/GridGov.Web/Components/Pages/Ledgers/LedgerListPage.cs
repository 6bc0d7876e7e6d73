using GridGov.Application.Ledgers;
using GridGov.Web.Infrastructure;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace GridGov.Web.Components.Pages.Ledgers;

/// <summary>
/// What every interactive ledger list does the same way: the person's scope and places, and the first page of rows,
/// are read once per visit while prerendering (so the first paint has the rows) and carried into the circuit as
/// persisted state; the filter lives in the URL, so a list can be bookmarked and the back button works; after that
/// the grid reads one page at a time through the application's query, which applies the scope again on every read.
/// The lists' columns are template columns: MudBlazor's PropertyColumn compiles its expression for every new grid, so
/// for every request that prerenders a list (a twentieth of a case list request's CPU, measured in issue 15).
/// </summary>
public abstract class LedgerListPage<TRow> : ComponentBase
{
    protected static readonly int[] PageSizes = [25, LedgerPaging.PageSize, LedgerPaging.MaxPageSize];

    [Inject] protected PageData Data { get; set; } = null!;

    [Inject] protected NavigationManager Navigation { get; set; } = null!;

    [PersistentState] public LedgerListContext? Context { get; set; }

    /// <summary>The first page as prerendered, served once more to the grid's own first read in the circuit.</summary>
    [PersistentState] public LedgerPage<TRow>? FirstPage { get; set; }

    protected MudDataGrid<TRow>? Grid { get; set; }

    private readonly PrerenderedFirstRead _firstRead = new();

    /// <summary>While prerendering the grid shows the first page as plain items (a grid reads server data only in a circuit).</summary>
    protected IEnumerable<TRow>? PrerenderedRows => RendererInfo.IsInteractive ? null : FirstPage?.Rows;

    /// <summary>In the circuit the grid pages through the application's query.</summary>
    protected Func<GridState<TRow>, CancellationToken, Task<GridData<TRow>>>? ServerRows => RendererInfo.IsInteractive ? LoadAsync : null;

    /// <summary>The list's own address, e.g. /ledgers/units.</summary>
    protected abstract string Path { get; }

    protected abstract Task<LedgerListContext> LoadContextAsync(CancellationToken cancellationToken);

    /// <summary>Reads the page's own filters from its query-string parameters (bad values are dropped, as the static page did).</summary>
    protected abstract void ReadFilter();

    /// <summary>The page's own filters as query-string parameters (null leaves a parameter out).</summary>
    protected abstract IReadOnlyDictionary<string, object?> FilterQuery();

    protected abstract Task<LedgerPage<TRow>> LoadPageAsync(LedgerPageRequest request, CancellationToken cancellationToken);

    protected LedgerPage<TRow>? Page { get; private set; }

    // The filters every ledger list has: where (community, grid) and whether removed rows are listed too.
    [SupplyParameterFromQuery(Name = "community")] public string? CommunityParameter { get; set; }
    [SupplyParameterFromQuery(Name = "grid")] public string? GridParameter { get; set; }
    [SupplyParameterFromQuery(Name = "removed")] public string? RemovedParameter { get; set; }

    protected int? CommunityId { get; set; }

    protected string? GridCode { get; set; }

    protected bool IncludeRemoved { get; set; }

    protected override async Task OnInitializedAsync() =>
        Context ??= await LoadContextAsync(CancellationToken.None);

    protected override async Task OnParametersSetAsync()
    {
        CommunityId = LedgerLabels.ParseId(CommunityParameter);
        GridCode = LedgerLabels.Clip(GridParameter, 15);
        IncludeRemoved = RemovedParameter == "true";
        ReadFilter();
        if (!RendererInfo.IsInteractive)
        {
            Page = FirstPage = await LoadPageAsync(new LedgerPageRequest(), CancellationToken.None);
        }
        // In the circuit the first load is the grid's own (after its first render); a new URL on the same page reloads it.
        else if (Grid is not null)
        {
            await Grid.ReloadServerData();
        }
    }

    protected async Task<GridData<TRow>> LoadAsync(GridState<TRow> state, CancellationToken cancellationToken)
    {
        var request = new LedgerPageRequest(state.Page, state.PageSize);
        Page = _firstRead.Take(FirstPage, request == new LedgerPageRequest()) ?? await LoadPageAsync(request, cancellationToken);
        return new GridData<TRow> { Items = Page.Rows, TotalItems = Page.Count };
    }

    /// <summary>Shows the list for the filter as it now stands (a new URL, so the back button returns to the last one).</summary>
    protected void Apply() => Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(Path, CurrentQuery()));

    /// <summary>The list as a file (<c>csv</c> or <c>xlsx</c>): the export takes the page's own query string, so it holds the rows shown.</summary>
    protected string ExportHref(string extension) => Navigation.GetUriWithQueryParameters($"{Path}/export.{extension}", CurrentQuery());

    private Dictionary<string, object?> CurrentQuery() => new(FilterQuery())
    {
        ["community"] = CommunityId, ["grid"] = Blank(GridCode), ["removed"] = IncludeRemoved ? "true" : null,
    };

    protected void ChangePlace((int? CommunityId, string? GridCode) place)
    {
        (CommunityId, GridCode) = place;
        Apply();
    }

    protected void ChangeRemoved(bool removed)
    {
        IncludeRemoved = removed;
        Apply();
    }

    protected static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
