namespace GridGov.Application.Grids;

/// <summary>Where a point falls: inside a grid, inside the street but in no current grid, or outside the street.</summary>
public abstract record GridLocation
{
    public sealed record InGrid(int GridId, string GridCode, string GridName, int CommunityId, string CommunityCode, string CommunityName) : GridLocation;

    /// <summary>Inside the street boundary, yet no current grid covers the point (a coverage gap to fix).</summary>
    public sealed record Uncovered : GridLocation;

    public sealed record OutsideStreet : GridLocation;
}
