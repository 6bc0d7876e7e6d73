using GridGov.Application.Cases;
using GridGov.Domain.Organisation;

namespace GridGov.Web.Components.Pages.Cases;

/// <summary>What the case list reads once per visit: the person's role (for the scope line) and the filter's choices.</summary>
public sealed record CaseListContext(StaffRole? Role, CaseSearchOptions Options)
{
    public static readonly CaseSearchOptions NoOptions = new([], [], [], []);
}

/// <summary>
/// The list's first page as the prerender read it, carried into the circuit: the rows, the cursor of the next page
/// (as its URL text), the bounded total, and the query it answered (so a changed URL is read afresh).
/// </summary>
public sealed record CaseListFirstPage(string Query, IReadOnlyList<CaseSearchRow> Rows, string? Next, int? Total, bool Capped);
