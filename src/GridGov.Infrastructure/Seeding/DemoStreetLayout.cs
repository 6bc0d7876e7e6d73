using GridGov.Domain.Common;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace GridGov.Infrastructure.Seeding;

/// <summary>A community's cells: its sequence in the street and its grids, numbered west→east, north→south.</summary>
internal sealed record CommunityPlan(int Sequence, Polygon Boundary, IReadOnlyList<GridPlan> Grids);

internal sealed record GridPlan(int Sequence, Polygon Boundary);

/// <summary>
/// The demo street's boundaries. Grids are the cells of one jittered vertex lattice, so neighbouring
/// grids share identical vertices and the grids tile the street with no gap or overlap ("全覆盖").
/// A community is a rectangular block of cells and its boundary is the union of its cells, which is
/// exact because shared edges have identical coordinates; the street is the union of its communities.
/// </summary>
internal sealed class DemoStreetLayout
{
    /// <summary>Each block of 8×8 cells holds 10 communities and 64 grids; scale N lays out N blocks.</summary>
    public const int BlockCells = 8;
    public const int CommunitiesPerBlock = 10;

    // North-west corner of the street, in Suzhou's Gusu district (WGS-84).
    private const double OriginLongitude = 120.5960;
    private const double OriginLatitude = 31.3260;

    // ~265 m cells: 64 grids cover ~4.5 km² (domain.md §2: 150–500 households per grid).
    private const double CellMetres = 265;

    // Jitter as a share of a cell; small enough that every cell stays a simple polygon (each corner
    // stays in its own quarter, each edge midpoint near its edge, so no two edges can cross).
    private const double CellSizeVariation = 0.15;
    private const double CornerJitter = 0.10;
    private const double MidpointJitterAcross = 0.07;
    private const double MidpointJitterAlong = 0.04;

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), Srid.Wgs84);

    private DemoStreetLayout(Polygon boundary, IReadOnlyList<CommunityPlan> communities)
    {
        Boundary = boundary;
        Communities = communities;
    }

    public Polygon Boundary { get; }
    public IReadOnlyList<CommunityPlan> Communities { get; }

    public static double MetresPerDegreeLatitude => 110_940;
    public static double MetresPerDegreeLongitude => 111_320 * Math.Cos(OriginLatitude * Math.PI / 180);

    /// <summary>Approximate area in km² (good enough at this latitude and size for a log line).</summary>
    public static double AreaKm2(Polygon polygon) => polygon.Area * MetresPerDegreeLatitude * MetresPerDegreeLongitude / 1e6;

    public static DemoStreetLayout Create(int scale, Random random)
    {
        // Blocks fill a near-square area west→east, north→south; a partial last row gives an L-shaped street.
        var blocksAcross = (int)Math.Ceiling(Math.Sqrt(scale));
        var blocksDown = (scale + blocksAcross - 1) / blocksAcross;
        var lattice = new Lattice(blocksDown * BlockCells, blocksAcross * BlockCells, random);

        var communities = new List<CommunityPlan>(scale * CommunitiesPerBlock);
        for (var block = 0; block < scale; block++)
        {
            var blockRow = block / blocksAcross * BlockCells;
            var blockColumn = block % blocksAcross * BlockCells;
            foreach (var area in PartitionBlock(random))
            {
                var grids = new List<GridPlan>(area.Rows * area.Columns);
                for (var row = 0; row < area.Rows; row++)
                {
                    for (var column = 0; column < area.Columns; column++)
                    {
                        var cell = lattice.Cell(blockRow + area.Row + row, blockColumn + area.Column + column);
                        grids.Add(new GridPlan(grids.Count + 1, cell));
                    }
                }
                communities.Add(new CommunityPlan(communities.Count + 1, Union(grids.Select(g => g.Boundary)), grids));
            }
        }
        return new DemoStreetLayout(Union(communities.Select(c => c.Boundary)), communities);
    }

    /// <summary>A point inside <paramref name="area"/>, at least <paramref name="marginMetres"/> from its edge.</summary>
    public static Point PointInside(Polygon area, Random random, double marginMetres) =>
        TryPointNear(area, area.EnvelopeInternal, random, marginMetres) ?? Factory.CreatePoint(area.InteriorPoint.Coordinate);

    /// <summary>A point within <paramref name="radiusMetres"/> of <paramref name="centre"/> and inside <paramref name="area"/>.</summary>
    public static Point PointNear(Polygon area, Point centre, double radiusMetres, Random random, double marginMetres)
    {
        var dx = radiusMetres / MetresPerDegreeLongitude;
        var dy = radiusMetres / MetresPerDegreeLatitude;
        var around = new Envelope(centre.X - dx, centre.X + dx, centre.Y - dy, centre.Y + dy);
        return TryPointNear(area, around, random, marginMetres) ?? PointInside(area, random, marginMetres);
    }

    private static Point? TryPointNear(Polygon area, Envelope within, Random random, double marginMetres)
    {
        var margin = marginMetres / MetresPerDegreeLatitude;
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var point = Factory.CreatePoint(new Coordinate(
                Round(within.MinX + random.NextDouble() * within.Width),
                Round(within.MinY + random.NextDouble() * within.Height)));
            if (area.Contains(point) && area.ExteriorRing.Distance(point) >= margin)
            {
                return point;
            }
        }
        return null;
    }

    /// <summary>Coordinates to 1e-7° (~1 cm), so stored values are short and shared vertices stay identical.</summary>
    private static double Round(double degrees) => Math.Round(degrees, 7);

    private static Polygon Union(IEnumerable<Polygon> polygons)
    {
        var union = CascadedPolygonUnion.Union(polygons.ToList<Geometry>());
        if (union is not Polygon polygon || !polygon.IsValid)
        {
            throw new InvalidOperationException($"The union of adjacent demo cells should be one valid polygon, got {union.GeometryType}.");
        }
        polygon.SRID = Srid.Wgs84;
        return polygon;
    }

    private readonly record struct CellArea(int Row, int Column, int Rows, int Columns);

    /// <summary>
    /// Splits an 8×8 block into 10 communities of 4–8 grids (domain.md §2: 4–8 grids per community):
    /// four bands of two rows, each band cut west→east into 2–4 communities 2–4 cells wide.
    /// </summary>
    private static IEnumerable<CellArea> PartitionBlock(Random random)
    {
        int[] communitiesPerBand = random.Next(2) == 0 ? [2, 2, 3, 3] : [2, 2, 2, 4];
        random.Shuffle(communitiesPerBand);
        for (var band = 0; band < communitiesPerBand.Length; band++)
        {
            int[] widths = communitiesPerBand[band] switch
            {
                2 => [4, 4],
                3 => random.Next(2) == 0 ? [3, 3, 2] : [2, 2, 4],
                _ => [2, 2, 2, 2],
            };
            random.Shuffle(widths);
            var column = 0;
            foreach (var width in widths)
            {
                yield return new CellArea(band * 2, column, 2, width);
                column += width;
            }
        }
    }

    /// <summary>
    /// Corner vertices and edge midpoints shared by neighbouring cells. Row 0 is the north edge; each
    /// cell's ring runs NW → W edge → SW → S edge → SE → E edge → NE → N edge (counter-clockwise).
    /// </summary>
    private sealed class Lattice
    {
        private readonly Coordinate[,] _corners;
        private readonly Coordinate[,] _horizontalMidpoints; // on the edge from corner (r, c) to (r, c+1)
        private readonly Coordinate[,] _verticalMidpoints;   // on the edge from corner (r, c) to (r+1, c)

        public Lattice(int rows, int columns, Random random)
        {
            var cellLongitude = CellMetres / MetresPerDegreeLongitude;
            var cellLatitude = CellMetres / MetresPerDegreeLatitude;
            var x = Lines(columns, OriginLongitude, cellLongitude, random);
            var y = Lines(rows, OriginLatitude, -cellLatitude, random);

            double Jitter(double cell, double share) => (random.NextDouble() * 2 - 1) * share * cell;

            _corners = new Coordinate[rows + 1, columns + 1];
            for (var r = 0; r <= rows; r++)
            {
                for (var c = 0; c <= columns; c++)
                {
                    _corners[r, c] = new Coordinate(
                        Round(x[c] + Jitter(cellLongitude, CornerJitter)),
                        Round(y[r] + Jitter(cellLatitude, CornerJitter)));
                }
            }
            _horizontalMidpoints = new Coordinate[rows + 1, columns];
            for (var r = 0; r <= rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    _horizontalMidpoints[r, c] = new Coordinate(
                        Round((x[c] + x[c + 1]) / 2 + Jitter(cellLongitude, MidpointJitterAlong)),
                        Round(y[r] + Jitter(cellLatitude, MidpointJitterAcross)));
                }
            }
            _verticalMidpoints = new Coordinate[rows, columns + 1];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c <= columns; c++)
                {
                    _verticalMidpoints[r, c] = new Coordinate(
                        Round(x[c] + Jitter(cellLongitude, MidpointJitterAcross)),
                        Round((y[r] + y[r + 1]) / 2 + Jitter(cellLatitude, MidpointJitterAlong)));
                }
            }
        }

        public Polygon Cell(int r, int c)
        {
            Coordinate[] ring =
            [
                _corners[r, c], _verticalMidpoints[r, c],
                _corners[r + 1, c], _horizontalMidpoints[r + 1, c],
                _corners[r + 1, c + 1], _verticalMidpoints[r, c + 1],
                _corners[r, c + 1], _horizontalMidpoints[r, c],
                _corners[r, c],
            ];
            return Factory.CreatePolygon(ring.Select(p => p.Copy()).ToArray());
        }

        /// <summary>Positions of the lattice lines: cells vary in size by ±15% so the street does not look ruled.</summary>
        private static double[] Lines(int cells, double origin, double cellSize, Random random)
        {
            var lines = new double[cells + 1];
            lines[0] = origin;
            for (var i = 1; i <= cells; i++)
            {
                lines[i] = lines[i - 1] + cellSize * (1 + (random.NextDouble() * 2 - 1) * CellSizeVariation);
            }
            return lines;
        }
    }
}
