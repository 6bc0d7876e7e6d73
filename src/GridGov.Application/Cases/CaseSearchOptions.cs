namespace GridGov.Application.Cases;

public sealed record CaseSearchOption(int Id, string Name);

public sealed record CaseMajorOption(int Id, string Code, string Name);

public sealed record CaseCategoryOption(int Id, string Code, string Name, int MajorId);

/// <summary>
/// The choices of the case list's filter form, and the names the list and the exports show for ids. Grids are not among
/// them: a city has thousands, so the form searches them (<see cref="CaseSearchQuery.SearchGridsAsync"/>) and a row
/// carries its grid's name.
/// </summary>
public sealed record CaseSearchOptions(
    IReadOnlyList<CaseMajorOption> Majors,
    IReadOnlyList<CaseCategoryOption> Categories,
    IReadOnlyList<CaseSearchOption> Communities,
    IReadOnlyList<CaseSearchOption> Departments)
{
    private Dictionary<int, CaseMajorOption>? _majors;
    private Dictionary<int, CaseCategoryOption>? _categories;
    private Dictionary<int, string>? _communities;
    private Dictionary<int, string>? _departments;

    public string MajorName(int categoryId) =>
        Category(categoryId) is { } category && (_majors ??= Majors.ToDictionary(m => m.Id)).TryGetValue(category.MajorId, out var major) ? major.Name : "";

    public string CategoryName(int categoryId) => Category(categoryId)?.Name ?? "";

    public string CommunityName(int communityId) =>
        (_communities ??= Communities.ToDictionary(c => c.Id, c => c.Name)).GetValueOrDefault(communityId, "");

    public string DepartmentName(int? departmentId) =>
        departmentId is { } id ? (_departments ??= Departments.ToDictionary(d => d.Id, d => d.Name)).GetValueOrDefault(id, "") : "";

    private CaseCategoryOption? Category(int categoryId) =>
        (_categories ??= Categories.ToDictionary(c => c.Id)).GetValueOrDefault(categoryId);
}
