namespace GridGov.Domain.Common;

/// <summary>
/// What a submission id (the idempotency key a form or a service sends with a create) was given for. A key belongs to
/// its author and its purpose: a replay by the same author returns the first result; the same key from someone else is
/// refused (<see cref="Submissions.ForeignCode"/>), never answered with another person's record.
/// </summary>
public enum SubmissionPurpose
{
    /// <summary>问题上报 form (including 现场处置).</summary>
    CaseReport,
    /// <summary>A problem found on patrol; the key is derived from the patrol (PatrolReports).</summary>
    PatrolReport,
    /// <summary>A case raised from a visit form.</summary>
    VisitReport,
    /// <summary>走访 form.</summary>
    Visit,
    /// <summary>五必到 form (a visit asked for by hand).</summary>
    VisitDemand,
    /// <summary>New resident (居民) form.</summary>
    Resident,
    /// <summary>New unit (单位) form.</summary>
    Unit,
    /// <summary>New account (账号管理) form.</summary>
    UserAccount,
    /// <summary>An Open311 service request; the key is derived from the API key and what the client sent (Open311Requests).</summary>
    Open311Request,
    /// <summary>A 12345 hotline work order; the key is derived from the order number (HotlineOrders).</summary>
    HotlineOrder,
    /// <summary>A notice to residents (通知) form.</summary>
    Notice,
    /// <summary>A resident's own report from the public phone page; the key is derived from the confirmed phone and the form's id (ResidentReports).</summary>
    ResidentReport,
    /// <summary>An assignment of a person to a grid (实名落图) form.</summary>
    GridAssignment,
    /// <summary>New household (户) form.</summary>
    Household,
    /// <summary>New component (部件) form.</summary>
    Component,
    /// <summary>New grid helper (网格骨干) form.</summary>
    GridHelper,
    /// <summary>A grid drawn or split off in the grid editor (网格划分).</summary>
    GridDraw,
    /// <summary>A key person's follow-up (重点人员跟进) form.</summary>
    KeyPersonFollowUp,
    /// <summary>A dispatch route (派遣规则) added on the category editor.</summary>
    DispatchRoute,
    /// <summary>A new response template (常用回复模板).</summary>
    ResponseTemplate,
}

/// <summary>
/// The first result of a submission id for the forms whose rows carry no key of their own (visits, ledger entries,
/// accounts): who sent it (<see cref="Author"/>: <c>staff:{id}</c> or <c>user:{id}</c>), for what, and the id it created.
/// </summary>
public sealed class SubmissionRecord
{
    public const int AuthorMaxLength = 64;
    public const int ResultMaxLength = 64;

    private SubmissionRecord()
    {
        Author = "";
        Result = "";
    }

    public SubmissionRecord(string author, SubmissionPurpose purpose, Guid submissionId, string result, DateTimeOffset at)
    {
        Author = author;
        Purpose = purpose;
        SubmissionId = submissionId;
        Result = result;
        At = at;
    }

    public long Id { get; private set; }
    public string Author { get; private set; }
    public SubmissionPurpose Purpose { get; private set; }
    public Guid SubmissionId { get; private set; }
    /// <summary>The id of what the first submission created.</summary>
    public string Result { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>The one refusal for a submission id that belongs to someone else.</summary>
public static class Submissions
{
    public const string ForeignCode = "submission.foreign";

    public static DomainException Foreign() =>
        new(ForeignCode, "该表单的提交编号已被他人使用，本次未保存任何内容；请刷新页面后重新填写");
}
