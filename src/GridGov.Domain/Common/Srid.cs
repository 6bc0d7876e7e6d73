namespace GridGov.Domain.Common;

public static class Srid
{
    /// <summary>WGS-84 / CGCS2000 longitude-latitude; every stored geometry uses it (domain.md §2).</summary>
    public const int Wgs84 = 4326;
}
