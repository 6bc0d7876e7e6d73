using System.Buffers.Binary;
using System.IO.Compression;

namespace GridGov.Infrastructure.Seeding;

/// <summary>
/// Small, valid PNG "photos" for the demo cases (the evidence store checks the bytes, and the case page
/// shows them): a sky, a street and a few blocks in colours drawn from the seed, so each step has its own file.
/// </summary>
internal static class DemoCasesPng
{
    public const int Width = 120;
    public const int Height = 90;

    private static readonly uint[] CrcTable = CreateCrcTable();

    public static byte[] Create(int seed)
    {
        var random = new Random(seed);
        var sky = Colour(random, 150, 220);
        var ground = Colour(random, 80, 150);
        var stride = 1 + Width * 3;
        var raw = new byte[Height * stride];
        var horizon = Height / 2 + random.Next(-10, 10);
        for (var y = 0; y < Height; y++)
        {
            var baseColour = y < horizon ? sky : ground;
            var shade = y < horizon ? y * 40 / horizon : (y - horizon) * 30 / (Height - horizon);
            for (var x = 0; x < Width; x++)
            {
                var at = y * stride + 1 + x * 3;
                raw[at] = Clamp(baseColour.R - shade);
                raw[at + 1] = Clamp(baseColour.G - shade);
                raw[at + 2] = Clamp(baseColour.B - shade);
            }
        }
        // A few buildings, shop fronts or bins standing on the street.
        for (var block = random.Next(2, 6); block > 0; block--)
        {
            var colour = Colour(random, 40, 230);
            var left = random.Next(0, Width - 20);
            var width = random.Next(10, 40);
            var top = random.Next(10, horizon + 5);
            var bottom = Math.Min(Height - 1, horizon + random.Next(5, 25));
            for (var y = top; y <= bottom; y++)
            {
                for (var x = left; x < Math.Min(Width, left + width); x++)
                {
                    var at = y * stride + 1 + x * 3;
                    raw[at] = colour.R;
                    raw[at + 1] = colour.G;
                    raw[at + 2] = colour.B;
                }
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: RGB
        WriteChunk(png, "IHDR"u8, header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(raw); // every row starts with filter type 0 (none)
            }
            WriteChunk(png, "IDAT"u8, compressed.ToArray());
        }
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static (byte R, byte G, byte B) Colour(Random random, int min, int max) =>
        ((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        var crc = Crc(0xFFFFFFFFu, type);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(number, crc);
        png.Write(number);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] CreateCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
