using GridGov.Application.Common;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Open311;

/// <summary>
/// The read side of Open311 GeoReport v2: services, service definitions, service requests and tokens. Anonymous: only what
/// <see cref="Open311Mapping"/> lets out, read in one query each (filters, bbox and paging in SQL).
/// </summary>
public sealed class Open311Queries(IGridGovDbContext db, TimeProvider clock)
{
    /// <summary>A jurisdiction_id, when given, is a street's code (9 digits) served here.</summary>
    public async Task RequireJurisdictionAsync(string? jurisdictionId, CancellationToken cancellationToken = default)
    {
        var id = jurisdictionId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return;
        }
        if (id.Length > 20 || !await db.Streets.AnyAsync(s => s.Code == id, cancellationToken))
        {
            throw new DomainException(Open311Errors.JurisdictionNotFoundCode, "jurisdiction_id不存在：本接口服务的辖区为街道代码（9位数字）");
        }
    }

    public async Task<IReadOnlyList<Open311Service>> ServicesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await PublicCategories()
            .OrderBy(c => c.Category.Code)
            .Select(c => new { c.Category.Code, c.Category.Name, c.Category.FilingStandard, Group = c.Major.Name, c.Major.Kind })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Open311Service(r.Code, r.Name, r.FilingStandard, Open311Mapping.AttributesOf(r.Kind).Count > 0, r.Group, r.Kind))];
    }

    public async Task<Open311ServiceDefinition> DefinitionAsync(string code, CancellationToken cancellationToken = default)
    {
        var service = await OfferedAsync(code, cancellationToken)
            ?? throw new DomainException(Open311Errors.ServiceNotFoundCode, "service_code不存在：请从服务列表（services）中选择");
        return new Open311ServiceDefinition(service.Code, Open311Mapping.AttributesOf(service.Kind));
    }

    /// <summary>An offered service (an active minor class of components or events) by its code, with its category id; null otherwise.</summary>
    public async Task<(int CategoryId, string Code, string Name, CategoryKind Kind)?> OfferedAsync(string? code, CancellationToken cancellationToken = default)
    {
        var trimmed = code?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > Category.CodeMaxLength)
        {
            return null;
        }
        var found = await PublicCategories().Where(c => c.Category.Code == trimmed)
            .Select(c => new { c.Category.Id, c.Category.Code, c.Category.Name, c.Major.Kind }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Id, found.Code, found.Name, found.Kind);
    }

    public async Task<Open311RequestPage> RequestsAsync(Open311RequestFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cases = PublicCases();
        if (filter.Numbers is { } numbers)
        {
            // The specification: service_request_id overrides every other filter.
            cases = cases.Where(c => numbers.Contains(c.Number));
        }
        else
        {
            if (filter.ServiceCodes is { } codes)
            {
                var categoryIds = db.Categories.Where(c => codes.Contains(c.Code)).Select(c => c.Id);
                cases = cases.Where(c => categoryIds.Contains(c.CategoryId));
            }
            if (filter.Start is null && filter.End is null && filter.UpdatedAfter is null)
            {
                var since = clock.GetUtcNow().AddDays(-Open311RequestFilter.DefaultDays);
                cases = cases.Where(c => c.ReportedAt >= since);
            }
            if (filter.Start is { } start)
            {
                var from = start.ToUniversalTime();
                cases = cases.Where(c => c.ReportedAt >= from);
            }
            if (filter.End is { } end)
            {
                var to = end.ToUniversalTime();
                cases = cases.Where(c => c.ReportedAt <= to);
            }
            if (filter.UpdatedAfter is { } updated)
            {
                var after = updated.ToUniversalTime();
                cases = cases.Where(c => c.UpdatedAt > after);
            }
            if (filter.Statuses is { Count: 1 } statuses)
            {
                var states = statuses[0] == Open311Status.Closed ? Open311Mapping.ClosedStates : Open311Mapping.OpenStates;
                cases = cases.Where(c => states.Contains(c.State));
            }
            if (filter.Bbox is { } box)
            {
                var area = new GeometryFactory(new PrecisionModel(), Srid.Wgs84).ToGeometry(box);
                cases = cases.Where(c => area.Covers(c.Location));
            }
        }
        var rows = await Project(cases.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id)
                .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize))
            .ToListAsync(cancellationToken);
        return new Open311RequestPage([.. rows.Select(ToRequest)], filter.Page, filter.PageSize);
    }

    public async Task<Open311ServiceRequest> RequestAsync(string number, CancellationToken cancellationToken = default)
    {
        var trimmed = number.Trim();
        var row = trimmed.Length == Case.NumberLength && trimmed.All(char.IsAsciiDigit)
            ? await Project(PublicCases().Where(c => c.Number == trimmed)).SingleOrDefaultAsync(cancellationToken)
            : null;
        return row is null
            ? throw new DomainException(Open311Errors.RequestNotFoundCode, "service_request_id不存在或不公开")
            : ToRequest(row);
    }

    /// <summary>The case number a token (the id an Open311 post was given) led to.</summary>
    public async Task<string> NumberForTokenAsync(string token, CancellationToken cancellationToken = default)
    {
        var number = Guid.TryParse(token.Trim(), out var id)
            ? await db.Cases.AsNoTracking().Where(c => c.SubmissionPurpose == SubmissionPurpose.Open311Request && c.SubmissionId == id)
                .Select(c => c.Number).FirstOrDefaultAsync(cancellationToken)
            : null;
        return number ?? throw new DomainException(Open311Errors.TokenNotFoundCode, "token不存在");
    }

    private IQueryable<PublicCategory> PublicCategories() =>
        from category in db.Categories.AsNoTracking()
        join major in db.CategoryMajors.AsNoTracking() on category.MajorId equals major.Id
        where category.IsActive && (major.Kind == CategoryKind.Component || major.Kind == CategoryKind.Event)
        select new PublicCategory { Category = category, Major = major };

    /// <summary>Cases whose category (active or retired) is of components or events.</summary>
    private IQueryable<Case> PublicCases()
    {
        var publicCategoryIds = from category in db.Categories
                                join major in db.CategoryMajors on category.MajorId equals major.Id
                                where major.Kind == CategoryKind.Component || major.Kind == CategoryKind.Event
                                select category.Id;
        return db.Cases.AsNoTracking().Where(c => publicCategoryIds.Contains(c.CategoryId));
    }

    private IQueryable<RequestRow> Project(IQueryable<Case> cases) =>
        from c in cases
        join category in db.Categories on c.CategoryId equals category.Id
        select new RequestRow
        {
            Number = c.Number,
            State = c.State,
            MergedIntoNumber = db.Cases.Where(m => m.Id == c.MergedIntoCaseId).Select(m => m.Number).FirstOrDefault(),
            ServiceCode = category.Code,
            ServiceName = category.Name,
            Description = c.Description,
            Department = db.Departments.Where(d => d.Id == c.AssignedDepartmentId).Select(d => d.Name).FirstOrDefault(),
            // Handled locally (社区指派): the community answers for it, never the person it was assigned to.
            Community = c.AssignedStaffId != null ? db.Communities.Where(m => m.Id == c.CommunityId).Select(m => m.Name).FirstOrDefault() : null,
            HandleAmount = category.Limits.Handle.Amount,
            HandleUnit = category.Limits.Handle.Unit,
            ReportedAt = c.ReportedAt,
            UpdatedAt = c.UpdatedAt,
            HandleDue = c.HandleDue,
            Address = c.Address,
            Longitude = c.Location.X,
            Latitude = c.Location.Y,
        };

    private static Open311ServiceRequest ToRequest(RequestRow row)
    {
        var status = Open311Mapping.StatusOf(row.State);
        return new Open311ServiceRequest(row.Number, status, row.State, row.MergedIntoNumber, row.ServiceCode, row.ServiceName, row.Description,
            row.Department ?? row.Community, new TimeLimit(row.HandleAmount, row.HandleUnit), Open311Mapping.ChinaTime(row.ReportedAt),
            Open311Mapping.ChinaTime(row.UpdatedAt), status == Open311Status.Open && row.HandleDue is { } due ? Open311Mapping.ChinaTime(due) : null,
            row.Address, row.Latitude, row.Longitude);
    }

    private sealed class PublicCategory
    {
        public required Category Category { get; init; }
        public required CategoryMajor Major { get; init; }
    }

    private sealed class RequestRow
    {
        public required string Number { get; init; }
        public CaseState State { get; init; }
        public string? MergedIntoNumber { get; init; }
        public required string ServiceCode { get; init; }
        public required string ServiceName { get; init; }
        public required string Description { get; init; }
        public string? Department { get; init; }
        public string? Community { get; init; }
        public int HandleAmount { get; init; }
        public TimeUnit HandleUnit { get; init; }
        public DateTimeOffset ReportedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset? HandleDue { get; init; }
        public required string Address { get; init; }
        public double Longitude { get; init; }
        public double Latitude { get; init; }
    }
}
