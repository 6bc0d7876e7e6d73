using GridGov.Application.Common;
using GridGov.Domain.Geography;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Application.Grids;

/// <summary>A grid as a filter offers it: its code and name, and its community's.</summary>
public sealed record GridChoice(int Id, string Code, string Name, int CommunityId, string CommunityName);

/// <summary>
/// The grids a filter's grid picker offers, found by part of their code, name or community's name. A street has dozens
/// of grids and a city thousands, so a page never carries them all: it asks for the first <see cref="MaxOffered"/>
/// matches as the person types, and for the one grid its address names. The caller narrows <c>grids</c> to the
/// person's scope first.
/// </summary>
public static class GridChoices
{
    /// <summary>The most grids offered at once: enough to scroll through a community's, few enough to send and render.</summary>
    public const int MaxOffered = 50;

    /// <summary>The current grids (not retired) matching <paramref name="text"/>, within the community if one is given, by code.</summary>
    public static async Task<IReadOnlyList<GridChoice>> SearchAsync(
        IQueryable<Grid> grids, int? communityId, string? text, CancellationToken cancellationToken)
    {
        var found = grids.AsNoTracking().Where(g => g.ValidTo == null);
        if (communityId is { } community)
        {
            found = found.Where(g => g.CommunityId == community);
        }
        if (SearchText.Clean(text) is { } typed)
        {
            found = found.Where(g => g.Code.Contains(typed) || g.Name.Contains(typed) || g.Community!.Name.Contains(typed));
        }
        return await found.OrderBy(g => g.Code).Take(MaxOffered).Select(Choice).ToListAsync(cancellationToken);
    }

    /// <summary>The grid with this code among <paramref name="grids"/>, retired or not; null for an unknown code.</summary>
    public static async Task<GridChoice?> FindAsync(IQueryable<Grid> grids, string? code, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(code)
            ? null
            : await grids.AsNoTracking().Where(g => g.Code == code.Trim()).Select(Choice).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A grid as a choice, for a query.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Grid, GridChoice>> Choice =
        g => new GridChoice(g.Id, g.Code, g.Name, g.CommunityId, g.Community!.Name);
}
