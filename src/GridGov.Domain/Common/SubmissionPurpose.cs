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
}

/// <summary>The one refusal for a submission id that belongs to someone else.</summary>
public static class Submissions
{
    public const string ForeignCode = "submission.foreign";

    public static DomainException Foreign() =>
        new(ForeignCode, "该表单的提交编号已被他人使用，本次未保存任何内容；请刷新页面后重新填写");
}
