using GridGov.Domain.Cases;

namespace GridGov.Infrastructure.Cases;

/// <summary>Case states as the database stores them (their names, as text), for raw SQL that filters by state.</summary>
internal static class CaseStateSql
{
    /// <summary>The workflow's open states (<see cref="CaseWorkflow.OpenStates"/>), passed as one <c>text[]</c> parameter:
    /// <c>c.state = ANY({CaseStateSql.Open})</c>.</summary>
    public static readonly string[] Open = CaseWorkflow.OpenStates.Select(state => state.ToString()).ToArray();

    /// <summary>The states a case may take a duplicate report in (<see cref="CaseWorkflow.TakesDuplicates"/>).</summary>
    public static readonly string[] TakesDuplicates = Enum.GetValues<CaseState>().Where(CaseWorkflow.TakesDuplicates).Select(state => state.ToString()).ToArray();

    /// <summary>The states that end a report without handling it (refused, a duplicate, voided). A report is "decided" for the
    /// evaluation once registered or in one of these: <c>c.registered_at IS NOT NULL OR c.state = ANY({CaseStateSql.EndedUnhandled})</c>.</summary>
    public static readonly string[] EndedUnhandled = [nameof(CaseState.Rejected), nameof(CaseState.Merged), nameof(CaseState.Voided)];
}
