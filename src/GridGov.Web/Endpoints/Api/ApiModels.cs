using System.ComponentModel;

namespace GridGov.Web.Endpoints.Api;

// What the staff API reads and answers, as JSON (camelCase). Enum values travel by their English names (e.g. "Registered"),
// each with its name in the request's language beside it where a person reads it (stateName, actionName).

// ---- Tokens ----

public sealed record TokenRequest(
    [property: Description("用户名 · user name")] string? UserName,
    [property: Description("密码 · password")] string? Password);

public sealed record TokenResponse(
    [property: Description("访问令牌（JWT），以 Authorization: Bearer 令牌 发送 · the access token (JWT)")] string AccessToken,
    string TokenType,
    [property: Description("有效秒数 · seconds it stays valid")] int ExpiresIn,
    DateTimeOffset ExpiresAt,
    string UserName,
    string DisplayName,
    int? StaffMemberId,
    IReadOnlyList<string> Roles);

public sealed record MeResponse(string UserName, string DisplayName, int StaffMemberId, string? Role, string? RoleName, IReadOnlyList<string> GridCodes,
    int? CommunityId, int? DepartmentId);

// ---- Inbox ----

public sealed record InboxResponse(string? Role, IReadOnlyList<InboxSectionResponse> Sections);

public sealed record InboxSectionResponse(
    [property: Description("待办类别，如 DispatchToRegister · the section, e.g. DispatchToRegister")] string Kind,
    IReadOnlyList<CaseSummary> Cases,
    [property: Description("超出本节上限还有更多 · more cases wait than the section lists")] bool HasMore);

public sealed record CaseSummary(string Number, string Category, string Address, string GridCode, string State, string StateName,
    DateTimeOffset ReportedAt, DateTimeOffset? Due, [property: Description("None | Yellow | Red")] string Warning, bool Supervised);

// ---- Cases ----

public sealed record CaseResponse(
    string Number,
    string State,
    string StateName,
    string Priority,
    string Source,
    string Level,
    string CategoryCode,
    string CategoryName,
    string MajorName,
    string Description,
    string Address,
    double Longitude,
    double Latitude,
    string GridCode,
    string GridName,
    string CommunityName,
    DateTimeOffset ReportedAt,
    string ReporterName,
    [property: Description("上报人电话（遮蔽）；部门承办人看不到 · the reporter's phone, masked; null for department handlers")] string? ReporterPhone,
    DateTimeOffset? CurrentDue,
    string Warning,
    DateTimeOffset? HandleDue,
    string? AssignedDepartment,
    string? AssignedStaff,
    string? Result,
    bool Supervised,
    IReadOnlyList<CasePhoto> Photos,
    IReadOnlyList<CaseHistoryItem> History,
    [property: Description("当前用户现在可以办理的操作 · the actions the signed-in person may take now")] IReadOnlyList<string> Actions,
    uint Version);

public sealed record CasePhoto(string Sha256, string FileName, string Step, DateTimeOffset AddedAt);

public sealed record CaseHistoryItem(DateTimeOffset At, string Action, string ActionName, string? FromState, string ToState, string Actor, string? Note);

public sealed record CaseActionsResponse(
    string Number,
    IReadOnlyList<CaseActionOption> Actions,
    IReadOnlyList<ChoiceResponse> Departments,
    int? SuggestedDepartmentId,
    IReadOnlyList<ChoiceResponse> LocalStaff,
    IReadOnlyList<ChoiceResponse> Categories);

public sealed record CaseActionOption(
    string Action,
    string Name,
    [property: Description("该操作读取的请求字段 · the fields of the action's body")] IReadOnlyList<string> Fields,
    [property: Description("必填字段 · the fields it requires")] IReadOnlyList<string> Required);

public sealed record ChoiceResponse(int Id, string Name);

public sealed record PhotoInput(
    [property: Description("文件名 · file name")] string? FileName,
    [property: Description("JPEG、PNG 或 WebP 图片的 Base64，每张不超过10MB · the image, Base64")] string? ContentBase64);

/// <summary>The body of one case action: the fields each action reads are listed by GET …/actions.</summary>
public sealed record CaseActionRequest(
    [property: Description("理由、意见、备注或处置结果（视操作而定）· reason, opinion, note or result, by action")] string? Text,
    int? CategoryId,
    [property: Description("Normal | Urgent | Emergency")] string? Priority,
    int? DepartmentId,
    IReadOnlyList<int>? DepartmentIds,
    int? AssigneeStaffId,
    [property: Description("合并到的原案件编号 · the case number to merge into")] string? OriginalCaseNumber,
    [property: Description("申请延期到的时间（带时区）· the deadline asked for, with its offset")] string? RequestedDue,
    [property: Description("未能按期说明 · why the feedback is late")] string? LateExplanation,
    bool? Satisfied,
    [property: Description("PhoneCallBack | ResidentAnswer")] string? Channel,
    IReadOnlyList<PhotoInput>? Photos);

public sealed record ReportRequest(
    [property: Description("客户端生成的提交编号：同一编号重复提交返回同一案件 · the client's id of this submission; a replay returns the same case")] Guid? SubmissionId,
    int? CategoryId,
    string? Description,
    double? Longitude,
    double? Latitude,
    string? Address,
    [property: Description("Normal | Urgent | Emergency (default Normal)")] string? Priority,
    [property: Description("GridWorkerPatrol | Resident | Hotline | Department …（默认按角色 · by role when absent)")] string? Source,
    string? ReporterName,
    string? ReporterPhone,
    [property: Description("疑似重复的案件编号 · the number of a case this is the same problem as")] string? AttachTo,
    [property: Description("现场已处置（网格员、网格长）· handled on the spot (grid staff)")] bool HandledOnSpot,
    string? Result,
    IReadOnlyList<PhotoInput>? Photos);

public sealed record ReportResponse(string Number, string? AttachedTo, bool MergeFailed,
    [property: Description("这是同一提交编号的重复提交 · a replay of an earlier submission")] bool Replayed);

public sealed record CategoryGroupResponse(string Code, string Name, IReadOnlyList<CategoryResponse> Minors);

public sealed record CategoryResponse(int Id, string Code, string Name, string FilingStandard);

// ---- Visits ----

public sealed record VisitRequest(
    Guid? SubmissionId,
    int? HouseholdId,
    [property: Description("走访时间（带时区）· when, with its offset")] string? VisitedAt,
    string? Findings,
    string? Companions,
    long? VisitDemandId,
    RaiseCaseRequest? RaiseCase);

public sealed record RaiseCaseRequest(int? CategoryId, string? Description);

public sealed record VisitResponse(long Id, int HouseholdId, string Address, DateTimeOffset VisitedAt, string Findings, string? Companions,
    string? RaisedCaseNumber, string? DemandReason, bool Frozen);

public sealed record VisitCreatedResponse(long Id, int HouseholdId, DateTimeOffset VisitedAt, string? RaisedCaseNumber);

public sealed record VisitListResponse(string Month, int Page, int PageSize, int Total, IReadOnlyList<VisitResponse> Visits);

// ---- Patrols ----

public sealed record StartPatrolRequest(
    [property: Description("客户端生成的巡查编号：重复开始返回同一巡查 · the client's id for this patrol; starting it again returns it")] Guid? PatrolId,
    string? GridCode,
    [property: Description("开始时间（带时区），默认现在 · start, with its offset; now when absent")] string? StartedAt);

public sealed record TrackPointsRequest(IReadOnlyList<TrackPointInput>? Points);

public sealed record TrackPointInput(double? Longitude, double? Latitude,
    [property: Description("GPS 定位时间（带时区）；同一时间的点只记一次 · the fix's time; a point of a time already stored is skipped")] string? RecordedAt);

public sealed record FinishPatrolRequest(
    [property: Description("结束时间（带时区），默认最后一个轨迹点的时间 · end; the last point's time when absent")] string? EndedAt,
    string? Notes,
    IReadOnlyList<PatrolProblemInput>? Problems);

public sealed record PatrolProblemInput(int? CategoryId, string? Description, double? Longitude, double? Latitude, string? Address);

public sealed record OngoingPatrolResponse(Guid PatrolId, string GridCode, DateTimeOffset StartedAt, int Points, DateTimeOffset? LastPointAt,
    [property: Description("结束后登记的巡查 · the patrol recorded when it finished")] long? RecordedPatrolId);

public sealed record TrackPointsResponse(Guid PatrolId, int Added, int Points);

public sealed record FinishedPatrolResponse(long RecordedPatrolId, double Coverage, IReadOnlyList<string> CaseNumbers, bool AlreadyRecorded);

public sealed record PatrolListResponse(int Page, int PageSize, int Total, IReadOnlyList<PatrolSummary> Patrols);

public sealed record PatrolSummary(long Id, string GridCode, string GridName, DateTimeOffset StartedAt, DateTimeOffset EndedAt, double Coverage, int Reports, string? Notes);

// ---- Ledgers ----

public sealed record LedgerPageResponse<T>(int Page, int PageSize,
    [property: Description("符合条件的行数，最多计到1000 · matching rows, counted up to 1000")] int Count,
    bool CountCapped, IReadOnlyList<T> Rows);

public sealed record ResidentSummary(int Id, string Name, string MaskedIdNumber, string Sex, int Age, string? MaskedPhone, int? HouseholdId, string? Address,
    string PopulationKind, IReadOnlyList<string> Groups, int GridId, bool Removed);

public sealed record HouseholdSummaryResponse(int Id, string Address, string Dwelling, string Kind, string? HeadName, int Members, int GridId, bool Removed);

public sealed record UnitSummary(int Id, string Name, string Kind, string Address, int EmployeeCount, string ContactName, string? MaskedContactPhone,
    bool HasPartyOrganisation, int PartyMemberCount, int GridId, bool Removed);
