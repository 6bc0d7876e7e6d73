using System.Globalization;
using System.Text;
using Npgsql;

namespace GridGov.TestSupport;

/// <summary>Rows and a checksum of their contents for one table.</summary>
public readonly record struct TableFingerprint(long Rows, decimal Checksum);

/// <summary>
/// Every base table of the public schema with its row count and an order-independent checksum of its rows
/// (the sum of a 64-bit hash of each row's text), computed in SQL. Two equal fingerprints mean the tables hold
/// the same rows; sequences are left out (PostgreSQL never rolls them back).
/// </summary>
public static class DatabaseFingerprint
{
    public static async Task<IReadOnlyDictionary<string, TableFingerprint>> TakeAsync(string connectionString, IEnumerable<string>? onlyTables = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var tables = onlyTables?.ToList() ?? await TablesAsync(connection);
        var result = new SortedDictionary<string, TableFingerprint>(StringComparer.Ordinal);
        if (tables.Count == 0)
        {
            return result;
        }
        var sql = new StringBuilder();
        foreach (var table in tables)
        {
            if (sql.Length > 0)
            {
                sql.Append("\nUNION ALL\n");
            }
            sql.Append(CultureInfo.InvariantCulture,
                $"SELECT {Literal(table)}, count(*)::bigint, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM public.{Quote(table)} t");
        }
        await using var command = new NpgsqlCommand(sql.ToString(), connection) { CommandTimeout = 300 };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = new TableFingerprint(reader.GetInt64(1), reader.GetDecimal(2));
        }
        return result;
    }

    /// <summary>The base tables of the public schema, by name.</summary>
    public static async Task<List<string>> TablesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
            connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    /// <summary>
    /// Tables the database itself keeps append-only: a row-level BEFORE trigger on both UPDATE and DELETE whose
    /// function raises an exception (as the migrations make for case_history).
    /// </summary>
    public static async Task<List<string>> AppendOnlyTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        // tgtype bits (pg_trigger.h): 1 row, 2 before, 8 delete, 16 update.
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT c.relname
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE NOT t.tgisinternal
              AND t.tgtype & 2 = 2 AND t.tgtype & 8 = 8 AND t.tgtype & 16 = 16
              AND p.prosrc ILIKE '%raise exception%'
            ORDER BY c.relname
            """, connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    /// <summary>The tables whose fingerprints differ, with both sides, for an assertion message ("" when equal).</summary>
    public static string Differences(IReadOnlyDictionary<string, TableFingerprint> expected, IReadOnlyDictionary<string, TableFingerprint> actual)
    {
        var lines = new List<string>();
        foreach (var table in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            expected.TryGetValue(table, out var before);
            actual.TryGetValue(table, out var after);
            if (!expected.ContainsKey(table) || !actual.ContainsKey(table) || before != after)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{table}: {(expected.ContainsKey(table) ? $"{before.Rows} rows #{before.Checksum}" : "missing")} -> {(actual.ContainsKey(table) ? $"{after.Rows} rows #{after.Checksum}" : "missing")}"));
            }
        }
        return string.Join('\n', lines);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
