using System.Globalization;
using GridGov.Application.Grids;
using NetTopologySuite.Geometries;

namespace GridGov.Web.Components.Pages.Grids;

/// <summary>One polygon of the sketch in SVG user units: its outline (and holes) as "x,y x,y …" and where its label goes.</summary>
public sealed record SketchShape(string Code, int Sequence, bool IsSubject, string Points, IReadOnlyList<string> Holes, double LabelX, double LabelY);

/// <summary>A scale bar: its length in SVG units and the distance it stands for.</summary>
public sealed record SketchScale(double Length, int Meters)
{
    public string Label => Meters >= 1000 ? $"{Meters / 1000.0:0.#} km" : $"{Meters} m";
}

/// <summary>
/// A static map of a grid for the printed notice: the grid and its community's other grids projected from
/// WGS-84 to SVG units on the server (no tiles, no script), framed on the grid with some of its surroundings.
/// </summary>
public sealed record GridSketch(double Width, double Height, IReadOnlyList<SketchShape> Shapes, SketchScale Scale)
{
    /// <summary>Metres per degree of latitude on a sphere of the Earth's mean radius.</summary>
    private const double MetersPerDegree = 6_371_008.8 * Math.PI / 180;

    private static readonly int[] NiceMeters = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000];

    public string ViewBox => $"0 0 {F(Width)} {F(Height)}";

    public IEnumerable<SketchShape> Others => Shapes.Where(s => !s.IsSubject);

    public SketchShape Subject => Shapes.Single(s => s.IsSubject);

    /// <param name="margin">How much of the surroundings to show around the grid, as a share of its size on each side.</param>
    /// <remarks>The default 920×380 is the notice's map box (184 mm × 76 mm on A4), so the SVG scales without letterboxing.</remarks>
    public static GridSketch Draw(GridOutline grid, IReadOnlyList<GridOutline> communityGrids, double width = 920, double height = 380,
        double padding = 18, double margin = 0.3)
    {
        var extent = grid.Boundary.EnvelopeInternal;
        // Equirectangular projection around the grid's middle latitude: true to shape at a street's scale.
        var cosLat = Math.Cos(extent.Centre.Y * Math.PI / 180);
        var spanX = Math.Max(extent.Width * cosLat, 1e-9) * (1 + 2 * margin);
        var spanY = Math.Max(extent.Height, 1e-9) * (1 + 2 * margin);
        var scale = Math.Min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
        var centreX = extent.Centre.X * cosLat;
        var centreY = extent.Centre.Y;

        (double X, double Y) Project(Coordinate c) => (width / 2 + (c.X * cosLat - centreX) * scale, height / 2 - (c.Y - centreY) * scale);

        string Points(LineString ring) => string.Join(' ', ring.Coordinates.Take(ring.NumPoints - 1) // the closing point repeats the first
            .Select(Project).Select(p => $"{F(p.X)},{F(p.Y)}"));

        SketchShape Shape(GridOutline outline, bool isSubject)
        {
            var label = Project(outline.Boundary.InteriorPoint.Coordinate);
            return new SketchShape(outline.Code, outline.Sequence, isSubject, Points(outline.Boundary.Shell),
                outline.Boundary.Holes.Select(Points).ToList(), label.X, label.Y);
        }

        var shapes = communityGrids.Where(g => g.Code != grid.Code).Select(g => Shape(g, isSubject: false))
            .Append(Shape(grid, isSubject: true))
            .ToList();

        // A round distance near a quarter of the width.
        var metersPerUnit = MetersPerDegree / scale;
        var target = width / 4 * metersPerUnit;
        var meters = NiceMeters.LastOrDefault(m => m <= target, NiceMeters[0]);
        return new GridSketch(width, height, shapes, new SketchScale(meters / metersPerUnit, meters));
    }

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
