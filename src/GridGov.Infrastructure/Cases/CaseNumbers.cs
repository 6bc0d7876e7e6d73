using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Infrastructure.Cases;

/// <summary>One row per day; the upsert locks it until the reporting transaction ends, so numbers never repeat.</summary>
internal sealed class CaseNumberCounter
{
    public DateOnly Day { get; set; }
    public int Last { get; set; }
}

internal sealed class CaseNumbers(GridGovDbContext db) : ICaseNumbers
{
    public async Task<string> NextAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        var sequence = await db.Database.SqlQuery<int>($"""
            INSERT INTO case_number_counters (day, last) VALUES ({day}, 1)
            ON CONFLICT (day) DO UPDATE SET last = case_number_counters.last + 1
            RETURNING last AS "Value"
            """).ToListAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"{day:yyyyMMdd}{sequence.Single():D6}");
    }
}
