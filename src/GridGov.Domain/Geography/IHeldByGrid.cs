namespace GridGov.Domain.Geography;

/// <summary>
/// A record kept in a grid (a ledger row, a building, a compound). When the grid map changes (a split, a merge, a redraw)
/// the grid editor (Application: GridBoundaries) moves it to the grid its place now falls in.
/// </summary>
public interface IHeldByGrid
{
    int GridId { get; }

    /// <summary>Moves the record to another grid; the caller resolved the grid (by location, or by a merge).</summary>
    void MoveToGrid(int gridId);
}
