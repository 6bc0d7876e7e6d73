using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Domain.Organisation;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Cases;

/// <summary>
/// A case (案件): a problem found in the street, carried through the closed loop. Every state change is
/// one method here, checked against <see cref="CaseWorkflow"/> (state and role) and the actor's scope,
/// and appends a <see cref="CaseHistoryEntry"/>. Deadlines are worked out by the caller on the working
/// calendar and passed in.
/// </summary>
public class Case
{
    public const int NumberLength = 14;
    public const int DescriptionMaxLength = 2000;
    public const int AddressMaxLength = 200;
    public const int ReasonMaxLength = CaseHistoryEntry.NoteMaxLength;
    public const int ResultMaxLength = 2000;
    public const int NameMaxLength = 30;
    public const int LateExplanationMaxLength = 1000;

    private readonly List<CaseHistoryEntry> _history = [];
    private readonly List<CaseEvidence> _evidence = [];
    private readonly List<Whistle> _whistles = [];
    private readonly List<CaseFollower> _followers = [];
    private readonly List<CaseExtension> _extensions = [];
    private readonly List<SatisfactionAnswer> _satisfactionAnswers = [];
    private readonly List<CaseCoHandling> _coHandlings = [];

    private Case()
    {
        Number = Description = Address = GridCode = ReporterName = "";
        Location = null!;
    }

    private Case(string number, int categoryId, string description, Point location, string address, CaseLocationInfo where,
        CaseSource source, CasePriority priority, string reporterName, string? reporterPhone, int? reporterStaffId, DateTimeOffset now)
    {
        Number = number;
        CategoryId = categoryId;
        Description = Text.Require(description, DescriptionMaxLength, DomainFields.Description);
        Location = Locations.Require(location, DomainFields.CaseLocation);
        Address = Text.Require(address, AddressMaxLength, DomainFields.Address);
        GridId = where.GridId;
        GridCode = where.GridCode;
        CommunityId = where.CommunityId;
        Source = source;
        Priority = priority;
        Level = CaseLevel.Grid;
        ReporterName = Text.Require(reporterName, NameMaxLength, DomainFields.ReporterName);
        ReporterPhone = reporterPhone is null ? null : Phone.Require(reporterPhone, DomainFields.ReporterPhone);
        ReporterStaffId = reporterStaffId;
        ReportedAt = now;
        UpdatedAt = now;
        _followers.Add(new CaseFollower(ReporterName, ReporterPhone, reporterStaffId));
    }

    public int Id { get; private set; }
    /// <summary>yyyyMMdd + 6-digit daily sequence, e.g. 20261122000017.</summary>
    public string Number { get; private set; }
    public int CategoryId { get; private set; }
    public string Description { get; private set; }
    public Point Location { get; private set; }
    public string Address { get; private set; }
    public int GridId { get; private set; }
    public string GridCode { get; private set; }
    public int CommunityId { get; private set; }
    public CaseSource Source { get; private set; }
    public CasePriority Priority { get; private set; }
    public CaseLevel Level { get; private set; }
    public CaseState State { get; private set; }
    public string ReporterName { get; private set; }
    public string? ReporterPhone { get; private set; }
    public int? ReporterStaffId { get; private set; }
    public DateTimeOffset ReportedAt { get; private set; }

    public int? AssignedDepartmentId { get; private set; }
    /// <summary>For local handling (社区指派): the grid leader or worker who handles it.</summary>
    public int? AssignedStaffId { get; private set; }
    public List<int> CoHandlingDepartmentIds { get; private set; } = [];

    /// <summary>Deadline of the stage the case is in now; null when no clock runs.</summary>
    public DateTimeOffset? CurrentDue { get; private set; }
    public DateTimeOffset? WarningAt { get; private set; }
    public DateTimeOffset? DispatchedAt { get; private set; }
    public DateTimeOffset? HandleDue { get; private set; }
    public DateTimeOffset? FeedbackAt { get; private set; }
    public string? Result { get; private set; }
    /// <summary>未能按期说明: why the last feedback came after the handling deadline; null when it came in time.</summary>
    public string? LateExplanation { get; private set; }
    /// <summary>Approved extensions (延期) of the handling deadline.</summary>
    public int ExtensionCount { get; private set; }

    public int ReworkCount { get; private set; }
    public int ReturnCount { get; private set; }
    public int SupervisionCount { get; private set; }
    public bool IsSupervised { get; private set; }
    public int? MergedIntoCaseId { get; private set; }
    public ClosureType? ClosureType { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public bool? Satisfied { get; private set; }
    public string? SatisfactionComment { get; private set; }
    /// <summary>
    /// When the report became a valid case: registered (立案) or, for a report handled on the spot, confirmed (一般性事项).
    /// Null while it waits and for a rejected or merged report. The evaluation's 发现准确率 counts from here.
    /// </summary>
    public DateTimeOffset? RegisteredAt { get; private set; }
    /// <summary>When the result was last confirmed (核查通过); the satisfaction window counts from here.</summary>
    public DateTimeOffset? VerifiedAt { get; private set; }
    /// <summary>Times a dissatisfied reporter's answer reopened the case (不满意重办); counted apart from <see cref="ReworkCount"/>.</summary>
    public int ReopenCount { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>The client's id for the submission, so a double-clicked report creates one case; unique per reporter and purpose.</summary>
    public Guid? SubmissionId { get; private init; }
    /// <summary>What <see cref="SubmissionId"/> was given for; null when there is none.</summary>
    public SubmissionPurpose? SubmissionPurpose { get; private init; }
    /// <summary>Optimistic concurrency token (PostgreSQL xmin).</summary>
    public uint Version { get; private set; }
    /// <summary>The 12345 hotline's work order (工单编号) the case came from; its state changes are pushed back to the hotline.</summary>
    public string? HotlineOrderNumber { get; private init; }
    /// <summary>
    /// The hotline's own time limit for the order (办理时限), often stricter than the street's: no clock of the case runs past
    /// it (<see cref="Stricter"/>), and an extension cannot move the handling deadline beyond it (only the hotline grants that).
    /// </summary>
    public DateTimeOffset? HotlineDue { get; private init; }

    public IReadOnlyList<CaseHistoryEntry> History => _history;
    public IReadOnlyList<CaseEvidence> Evidence => _evidence;
    public IReadOnlyList<Whistle> Whistles => _whistles;
    public IReadOnlyList<CaseFollower> Followers => _followers;
    public IReadOnlyList<CaseExtension> Extensions => _extensions;
    public IReadOnlyList<SatisfactionAnswer> SatisfactionAnswers => _satisfactionAnswers;
    /// <summary>协办: one row per co-handling department of the current dispatch (<see cref="CoHandlingDepartmentIds"/>).</summary>
    public IReadOnlyList<CaseCoHandling> CoHandlings => _coHandlings;

    /// <summary>The extension request waiting for a decision, if any (needs <see cref="Extensions"/> loaded).</summary>
    public CaseExtension? PendingExtension => _extensions.FirstOrDefault(e => e.IsPending);

    /// <summary>Whether feedback now comes after the handling deadline and so needs a 未能按期说明.</summary>
    public bool IsLateOn(DateTimeOffset now) => HandleDue is { } due && now > due;

    public DeadlineWarning WarningOn(DateTimeOffset now) => DeadlineWarnings.Of(CurrentDue, WarningAt, now);

    // ---- Step 1: report (问题上报) ----

    public static Case Report(string number, int categoryId, string description, Point location, string address, CaseLocationInfo where,
        CaseSource source, CasePriority priority, CaseActor reporter, string reporterName, string? reporterPhone,
        IReadOnlyCollection<CaseEvidence> photos, StageDeadline registerDeadline, DateTimeOffset now, Guid? submissionId = null,
        SubmissionPurpose submissionPurpose = Common.SubmissionPurpose.CaseReport, HotlineOrderReference? hotline = null)
    {
        if (hotline is not null && source != CaseSource.Hotline)
        {
            throw new DomainException("case.hotline-source", "只有来源为12345热线的案件才能关联热线工单");
        }
        if (!Enum.IsDefined(source))
        {
            throw new DomainException("case.source", "请选择问题来源") { Field = DomainFields.Source.Name };
        }
        if (!Enum.IsDefined(priority))
        {
            throw new DomainException("case.priority", "请选择紧急程度") { Field = DomainFields.Priority.Name };
        }
        var @case = new Case(number, categoryId, description, location, address, where, source, priority,
            reporterName, reporterPhone, reporter.StaffMemberId, now)
        {
            SubmissionId = submissionId,
            SubmissionPurpose = submissionId is null ? null : submissionPurpose,
            HotlineOrderNumber = hotline?.OrderNumber,
            HotlineDue = hotline?.Due?.ToUniversalTime(),
        };
        @case.Apply(CaseAction.Report, reporter, now, note: null, evidence: photos);
        @case.SetClock(registerDeadline);
        return @case;
    }

    /// <summary>一般性 matters: the grid worker settled it on the spot; evidence is required and the community confirms.</summary>
    public static Case ReportHandledOnSpot(string number, int categoryId, string description, Point location, string address, CaseLocationInfo where,
        CaseActor worker, string? workerPhone, string result, IReadOnlyCollection<CaseEvidence> evidence, DateTimeOffset now, Guid? submissionId = null)
    {
        if (evidence.Count == 0)
        {
            throw new DomainException("case.on-spot-evidence-required", "现场处置的案件必须附上处置照片") { Field = DomainFields.Photos.Name };
        }
        RequireGridScope(worker, where.GridCode);
        var @case = new Case(number, categoryId, description, location, address, where, CaseSource.GridWorkerPatrol, CasePriority.Normal,
            worker.Name, workerPhone, worker.StaffMemberId, now)
        { SubmissionId = submissionId, SubmissionPurpose = submissionId is null ? null : Common.SubmissionPurpose.CaseReport };
        @case.Result = Text.Require(result, ResultMaxLength, DomainFields.Result);
        @case.FeedbackAt = now;
        @case.Apply(CaseAction.ReportHandledOnSpot, worker, now, @case.Result, evidence: evidence);
        return @case;
    }

    public void ConfirmOnSpot(CaseActor actor, DateTimeOffset now)
    {
        RequireCommunityScope(actor);
        Apply(CaseAction.ConfirmOnSpot, actor, now, "确认网格员现场处置结果，结案归档");
        RegisteredAt ??= now;
        Close(Domain.Cases.ClosureType.Normal, now);
    }

    /// <summary>突发: registered and dispatched at once by the system, at street level, on the urgent limits.</summary>
    public void GoOutAsEmergency(int departmentId, StageDeadline dispatchDeadline, StageDeadline handleDeadline, DateTimeOffset now)
    {
        if (Priority != CasePriority.Emergency)
        {
            throw new DomainException("case.not-emergency", "只有突发事件才能自动立案派遣");
        }
        Level = CaseLevel.Street;
        Register(CaseActor.System, CategoryId, Priority, dispatchDeadline, now, "突发事件：自动立案，即时上报街道");
        Dispatch(CaseActor.System, departmentId, [], handleDeadline, now, "突发事件：即时派遣责任部门");
    }

    // ---- Step 2: register (案件建立) ----

    public void Register(CaseActor actor, int categoryId, CasePriority priority, StageDeadline dispatchDeadline, DateTimeOffset now, string? note = null)
    {
        RequireCommunityScope(actor);
        CategoryId = categoryId;
        Priority = priority;
        Apply(CaseAction.Register, actor, now, note);
        RegisteredAt ??= now;
        SetClock(dispatchDeadline);
    }

    public void Reject(CaseActor actor, string reason, DateTimeOffset now)
    {
        RequireCommunityScope(actor);
        Apply(CaseAction.Reject, actor, now, RequireReason(reason, DomainFields.RejectReason));
        StopClock();
    }

    /// <summary>A duplicate: this report is folded into <paramref name="original"/>, whose followers gain this reporter.</summary>
    public void MergeInto(Case original, CaseActor actor, DateTimeOffset now)
    {
        if (original.Id == Id || ReferenceEquals(original, this))
        {
            throw new DomainException("case.merge-self", "不能将案件合并到其自身");
        }
        if (!CaseWorkflow.TakesDuplicates(original.State))
        {
            throw new DomainException("case.merge-closed", $"案件{original.Number}已办结，不能再合并") { Arguments = [original.Number] };
        }
        RequireCommunityScope(actor);
        MergedIntoCaseId = original.Id;
        Apply(CaseAction.Merge, actor, now, $"与案件{original.Number}重复，已合并");
        StopClock();
        original._followers.Add(new CaseFollower(ReporterName, ReporterPhone, ReporterStaffId));
        original.Touch(now);
    }

    // ---- Step 3: assign (任务指派) ----

    public void Dispatch(CaseActor actor, int departmentId, IReadOnlyCollection<int> coHandlingDepartmentIds, StageDeadline handleDeadline, DateTimeOffset now, string? note = null)
    {
        if (coHandlingDepartmentIds.Contains(departmentId))
        {
            throw new DomainException("case.co-handling-lead", "协办部门不能与主办部门相同");
        }
        AssignedDepartmentId = departmentId;
        AssignedStaffId = null;
        CoHandlingDepartmentIds = coHandlingDepartmentIds.Distinct().ToList();
        // A new dispatch starts co-handling afresh: earlier accepts and answers stay in the history only.
        _coHandlings.Clear();
        _coHandlings.AddRange(CoHandlingDepartmentIds.Select(id => new CaseCoHandling(id)));
        Apply(CaseAction.Dispatch, actor, now, note, departmentId);
        StartHandling(handleDeadline, now);
    }

    /// <summary>Local handling (小事不出网格): the community assigns a grid leader or worker of the case's grid.</summary>
    public void AssignLocally(CaseActor actor, StaffMember assignee, IReadOnlySet<string> assigneeGridCodes, StageDeadline handleDeadline, DateTimeOffset now, string? note = null)
    {
        RequireCommunityScope(actor);
        if (assignee.Role is not (StaffRole.GridLeader or StaffRole.GridWorker) || !assigneeGridCodes.Contains(GridCode))
        {
            throw new DomainException("case.assignee-scope", $"{assignee.Name}不是本案件所在网格（{GridCode}）的网格长或网格员") { Arguments = [assignee.Name, GridCode] };
        }
        AssignedDepartmentId = null;
        AssignedStaffId = assignee.Id;
        CoHandlingDepartmentIds = [];
        _coHandlings.Clear();
        Apply(CaseAction.AssignLocally, actor, now, note ?? $"指派{assignee.Name}处置");
        StartHandling(handleDeadline, now);
    }

    public void Accept(CaseActor actor, DateTimeOffset now)
    {
        RequireHandler(actor);
        Apply(CaseAction.Accept, actor, now, note: null, AssignedDepartmentId);
    }

    /// <summary>退回: a wrongly dispatched case goes back to the dispatcher with a reason.</summary>
    public void Return(CaseActor actor, string reason, StageDeadline redispatchDeadline, DateTimeOffset now)
    {
        RequireHandler(actor);
        var department = AssignedDepartmentId;
        ReturnCount++;
        Apply(CaseAction.Return, actor, now, RequireReason(reason, DomainFields.ReturnReason), department);
        AssignedDepartmentId = null;
        AssignedStaffId = null;
        HandleDue = null;
        SetClock(redispatchDeadline);
    }

    // ---- Steps 4 and 5: investigate and feed back (调查落实, 反馈成果) ----

    /// <param name="lateExplanation">未能按期说明, required when the handling deadline has passed (and then kept with the case).</param>
    public void SubmitFeedback(CaseActor actor, string result, IReadOnlyCollection<CaseEvidence> evidence, StageDeadline verifyDeadline, DateTimeOffset now,
        string? lateExplanation = null)
    {
        RequireHandler(actor);
        if (_coHandlings.Count(c => c.IsOpen) is > 0 and var waiting)
        {
            throw new DomainException("case.co-handling-pending",
                $"还有{waiting}个协办部门未提交协办意见，不能反馈办结；请等待协办意见，或先“结束协办”并说明理由") { Arguments = [waiting] };
        }
        if (evidence.Count == 0)
        {
            throw new DomainException("case.evidence-required", "反馈处置结果必须附上处置后照片等证据") { Field = DomainFields.Photos.Name };
        }
        var explanation = Text.Optional(lateExplanation, LateExplanationMaxLength, DomainFields.LateExplanation);
        if (IsLateOn(now) && explanation is null)
        {
            throw new DomainException("case.late-explanation-required",
                $"已超过处置期限（{ChinaTime(HandleDue!.Value)}），反馈时必须填写未能按期说明")
            {
                Field = DomainFields.LateExplanation.Name,
                Arguments = [ChinaTime(HandleDue!.Value)],
            };
        }
        Result = Text.Require(result, ResultMaxLength, DomainFields.Result);
        LateExplanation = IsLateOn(now) ? explanation : null;
        FeedbackAt = now;
        Apply(CaseAction.SubmitFeedback, actor, now, Result, AssignedDepartmentId, evidence);
        SetClock(verifyDeadline);
    }

    // ---- Co-handling (协办) ----

    /// <summary>协办签收: a co-handling department's handler takes the case on for the department.</summary>
    public void AcceptCoHandling(CaseActor actor, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.AcceptCoHandling, State, actor);
        var coHandling = RequireOpenCoHandling(actor);
        if (coHandling.AcceptedAt is not null)
        {
            throw new DomainException("case.co-handling-accepted", "本部门已签收该协办案件");
        }
        Apply(CaseAction.AcceptCoHandling, actor, now, "协办部门签收", actor.DepartmentId);
        coHandling.Accept(actor, now);
    }

    /// <summary>协办意见: the co-handling department's partial answer, with optional photos; once per dispatch.</summary>
    public void SubmitCoHandlingOpinion(CaseActor actor, string opinion, IReadOnlyCollection<CaseEvidence> evidence, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.SubmitCoHandlingOpinion, State, actor);
        var coHandling = RequireOpenCoHandling(actor);
        if (coHandling.AcceptedAt is null)
        {
            throw new DomainException("case.co-handling-not-accepted", "请先签收协办案件，再提交协办意见");
        }
        var text = Text.Require(opinion, CaseCoHandling.OpinionMaxLength, DomainFields.CoHandlingOpinion);
        Apply(CaseAction.SubmitCoHandlingOpinion, actor, now, text, actor.DepartmentId, evidence);
        coHandling.Answer(actor, now, text);
    }

    /// <summary>
    /// 结束协办: the lead department stops waiting for the co-handlers that have not answered, with a reason kept in the
    /// history and on each of them; then it may feed back as done. Those co-handlers can no longer answer.
    /// </summary>
    public void EndCoHandling(CaseActor actor, string reason, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.EndCoHandling, State, actor);
        RequireHandler(actor);
        var open = _coHandlings.Where(c => c.IsOpen).ToList();
        if (open.Count == 0)
        {
            throw new DomainException("case.co-handling-none-open", "没有尚未反馈的协办部门，无需结束协办");
        }
        var text = RequireReason(reason, DomainFields.EndCoHandlingReason);
        Apply(CaseAction.EndCoHandling, actor, now, $"不再等待{open.Count}个协办部门的意见，结束协办。理由：{text}", AssignedDepartmentId);
        foreach (var coHandling in open)
        {
            coHandling.End(now, text);
        }
    }

    private CaseCoHandling? CoHandlingOf(CaseActor actor) =>
        actor.Role == StaffRole.DepartmentHandler && actor.DepartmentId is { } departmentId
            ? _coHandlings.FirstOrDefault(c => c.DepartmentId == departmentId)
            : null;

    private CaseCoHandling RequireOpenCoHandling(CaseActor actor)
    {
        var coHandling = CoHandlingOf(actor) ?? throw new DomainException("case.not-co-handler", "本部门不是该案件的协办部门");
        if (coHandling.EndedAt is not null)
        {
            throw new DomainException("case.co-handling-ended", $"主办部门已结束协办（{coHandling.EndReason}），不能再办理") { Arguments = [coHandling.EndReason] };
        }
        if (coHandling.AnsweredAt is not null)
        {
            throw new DomainException("case.co-handling-answered", "本部门已提交过协办意见");
        }
        return coHandling;
    }

    // ---- Step 6: verify and archive (核查结案, 归档) ----

    /// <summary>
    /// 核查 under four eyes: whoever accepted or fed back the case (in any round) may not verify it. A locally assigned
    /// case is therefore verified by the grid leader or another grid worker of its grid, or by the dispatcher.
    /// </summary>
    public void Verify(CaseActor actor, DateTimeOffset now, IReadOnlyCollection<CaseEvidence>? evidence = null, string? note = null)
    {
        RequireGridScope(actor, GridCode);
        if (HandledBy(actor))
        {
            throw new DomainException("case.four-eyes", "您签收或反馈过本案件，不能核查自己的处置结果，请由网格长、本网格其他网格员或座席员核查");
        }
        Apply(CaseAction.Verify, actor, now, note ?? "现场核查，问题已解决", evidence: evidence);
        VerifiedAt = now;
        StopClock();
    }

    /// <summary>返工: back to the same handler with a new deadline; from a verified case only after the reporter was not satisfied.</summary>
    public void Rework(CaseActor actor, string reason, StageDeadline handleDeadline, DateTimeOffset now)
    {
        RequireGridScope(actor, GridCode);
        if (State == CaseState.Verified && (Satisfied != false || actor.Role != StaffRole.Dispatcher))
        {
            throw new DomainException("case.rework-verified", "核查通过的案件只有在上报人表示不满意时，才能由座席员退回返工");
        }
        ReworkCount++;
        Apply(CaseAction.Rework, actor, now, RequireReason(reason, DomainFields.ReworkReason), AssignedDepartmentId);
        HandleDue = Stricter(handleDeadline).Due;
        SetClock(handleDeadline);
    }

    public void Archive(CaseActor actor, DateTimeOffset now, string? specialReason = null)
    {
        Apply(CaseAction.Archive, actor, now, specialReason is null ? null : $"特殊结案：{specialReason}");
        var closure = specialReason is not null ? Domain.Cases.ClosureType.Special
            : FeedbackAt is { } feedback && HandleDue is { } due && feedback > due ? Domain.Cases.ClosureType.Overdue
            : Domain.Cases.ClosureType.Normal;
        Close(closure, now);
    }

    public void Void(CaseActor actor, string reason, DateTimeOffset now)
    {
        Apply(CaseAction.Void, actor, now, RequireReason(reason, DomainFields.VoidReason));
        StopClock();
        ClosureType = Domain.Cases.ClosureType.Erroneous;
        ClosedAt = now;
    }

    // ---- Extension (延期申请) ----

    /// <summary>
    /// The handler asks to move the handling deadline to <paramref name="requestedDue"/>. The working time between the
    /// current deadline and the requested one (<paramref name="extraWorkingTime"/>) and the category's handling time
    /// are measured on the working calendar by the caller; <see cref="CaseExtension.ApproverFor"/> decides who approves.
    /// </summary>
    public CaseExtension RequestExtension(CaseActor actor, string reason, DateTimeOffset requestedDue, TimeSpan extraWorkingTime,
        TimeSpan categoryHandlingTime, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.RequestExtension, State, actor);
        RequireHandler(actor);
        requestedDue = requestedDue.ToUniversalTime(); // timestamptz through Npgsql takes UTC only
        if (PendingExtension is not null)
        {
            throw new DomainException("case.extension-pending", "本案件已有一份延期申请等待审批，请等审批结果后再申请");
        }
        if (HandleDue is not { } due || now >= due)
        {
            throw new DomainException("case.extension-too-late", "处置期限已过，不能再申请延期；请尽快反馈并填写未能按期说明");
        }
        if (requestedDue <= due)
        {
            throw new DomainException("case.extension-not-later", $"申请的新期限必须晚于当前处置期限（{ChinaTime(due)}）") { Arguments = [ChinaTime(due)] };
        }
        if (HotlineDue is { } hotlineDue && requestedDue > hotlineDue)
        {
            throw new DomainException("case.extension-past-hotline",
                $"本案件来自12345热线工单，须于热线办理时限（{ChinaTime(hotlineDue)}）前办结；更晚的期限只能由热线平台批准") { Arguments = [ChinaTime(hotlineDue)] };
        }
        var text = Text.Require(reason, CaseExtension.ReasonMaxLength, DomainFields.ExtensionReason);
        var approver = CaseExtension.ApproverFor(extraWorkingTime, categoryHandlingTime, ExtensionCount);
        var request = new CaseExtension(AssignedDepartmentId, actor, now, text, due, requestedDue, approver);
        Apply(CaseAction.RequestExtension, actor, now,
            $"申请将处置期限由{ChinaTime(due)}延至{ChinaTime(requestedDue)}，由{approver.ChineseName()}审批。理由：{text}", AssignedDepartmentId);
        _extensions.Add(request);
        return request;
    }

    /// <summary>批准延期: the handling deadline moves to the requested moment; the approval is counted (<see cref="ExtensionCount"/>).</summary>
    /// <param name="warningAt">The yellow warning of the new deadline, worked out by the caller on the working calendar.</param>
    public void ApproveExtension(CaseActor actor, string? note, DateTimeOffset warningAt, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.ApproveExtension, State, actor);
        var request = RequirePendingExtensionFor(actor);
        if (request.RequestedDue <= now)
        {
            throw new DomainException("case.extension-expired", $"申请的新期限（{ChinaTime(request.RequestedDue)}）已过，不能再批准，请驳回") { Arguments = [ChinaTime(request.RequestedDue)] };
        }
        var text = Text.Optional(note, CaseExtension.ReasonMaxLength, DomainFields.DecisionNote);
        Apply(CaseAction.ApproveExtension, actor, now,
            $"同意将处置期限由{ChinaTime(request.PreviousDue)}延至{ChinaTime(request.RequestedDue)}" + (text is null ? "" : $"。意见：{text}"), request.DepartmentId);
        request.Decide(ExtensionStatus.Approved, actor, now, text);
        ExtensionCount++;
        HandleDue = request.RequestedDue;
        SetClock(new StageDeadline(request.RequestedDue, warningAt < request.RequestedDue ? warningAt : request.RequestedDue));
    }

    /// <summary>驳回延期: the deadline stays; a reason is required.</summary>
    public void RefuseExtension(CaseActor actor, string reason, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.RefuseExtension, State, actor);
        var request = RequirePendingExtensionFor(actor);
        var text = Text.Require(reason, CaseExtension.ReasonMaxLength, DomainFields.RefusalReason);
        Apply(CaseAction.RefuseExtension, actor, now, $"不同意延期，处置期限仍为{ChinaTime(request.PreviousDue)}。理由：{text}", request.DepartmentId);
        request.Decide(ExtensionStatus.Refused, actor, now, text);
    }

    private CaseExtension RequirePendingExtensionFor(CaseActor actor)
    {
        var request = PendingExtension ?? throw new DomainException("case.extension-none", "本案件没有待审批的延期申请");
        if (!actor.IsSystem && actor.Role != request.Approver)
        {
            throw request.Approver == StaffRole.StreetLeader
                ? new DomainException("case.extension-street-leader", "该延期申请超出座席员的审批权限（超过类别处置时限或再次延期），须由街道领导审批")
                : new DomainException("case.extension-dispatcher", "该延期申请在座席员审批权限内，由座席员审批");
        }
        return request;
    }

    // ---- Levels, supervision, whistle, satisfaction ----

    /// <summary>Moves the case one level up (grid → community → street → district) for re-dispatch there.</summary>
    public void Escalate(CaseActor actor, string reason, StageDeadline dispatchDeadline, DateTimeOffset now)
    {
        if (Level == CaseLevel.District)
        {
            throw new DomainException("case.escalate-top", "案件已在区职能部门层级，不能再上报");
        }
        if (Level != EscalationLevelOf(actor))
        {
            throw new DomainException("case.escalate-level", $"案件当前在{Level.ChineseName()}层级，{actor.Role?.ChineseName()}不能从该层级上报") { Arguments = [Level, actor.Role] };
        }
        if (actor.Role is StaffRole.GridLeader or StaffRole.GridWorker)
        {
            RequireGridScope(actor, GridCode);
        }
        else
        {
            RequireCommunityScope(actor);
        }
        var from = Level;
        Level = from + 1;
        AssignedDepartmentId = null;
        AssignedStaffId = null;
        HandleDue = null;
        Apply(CaseAction.Escalate, actor, now, $"由{from.ChineseName()}上报至{Level.ChineseName()}：{RequireReason(reason, DomainFields.EscalateReason)}");
        SetClock(dispatchDeadline);
    }

    /// <summary>
    /// The grid map changed under the case (Application: GridBoundaries): it now lies in <paramref name="where"/>. Its
    /// handling (department, assignee, deadlines) stays as it is; the history says from which grid to which.
    /// </summary>
    public void MoveToGrid(CaseLocationInfo where, string reason, CaseActor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(where);
        if (where.CommunityId != CommunityId)
        {
            throw new DomainException("case.grid-other-community", "案件只能调整到本社区的网格");
        }
        var from = GridCode;
        GridId = where.GridId;
        GridCode = where.GridCode;
        Apply(CaseAction.MoveToGrid, actor, now, $"网格由{from}调整为{where.GridCode}（{reason}）");
    }

    public void Supervise(CaseActor actor, string note, DateTimeOffset now)
    {
        IsSupervised = true;
        SupervisionCount++;
        Apply(CaseAction.Supervise, actor, now, RequireReason(note, DomainFields.SuperviseNote), AssignedDepartmentId);
    }

    public Whistle BlowWhistle(CaseActor actor, int departmentId, DateTimeOffset respondBy, DateTimeOffset now)
    {
        if (actor.Role == StaffRole.GridLeader)
        {
            RequireGridScope(actor, GridCode);
        }
        else
        {
            RequireCommunityScope(actor);
        }
        if (_whistles.Any(w => w.DepartmentId == departmentId && !w.IsAnswered))
        {
            throw new DomainException("case.whistle-pending", "该部门已被吹哨且尚未报到");
        }
        var whistle = new Whistle(departmentId, actor.StaffMemberId, now, respondBy);
        _whistles.Add(whistle);
        Apply(CaseAction.Whistle, actor, now, $"吹哨召集部门，限{Calendar.WorkingCalendar.ToChinaTime(respondBy):MM-dd HH:mm}前报到", departmentId);
        return whistle;
    }

    public void RespondToWhistle(CaseActor actor, string response, DateTimeOffset now)
    {
        var whistle = _whistles.FirstOrDefault(w => w.DepartmentId == actor.DepartmentId && !w.IsAnswered)
            ?? throw new DomainException("case.whistle-none", "本部门没有待报到的吹哨");
        var text = RequireReason(response, DomainFields.WhistleResponse);
        Apply(CaseAction.RespondToWhistle, actor, now, text, actor.DepartmentId);
        whistle.Answer(now, text);
    }

    /// <summary>The reporter's own verdict (public form, reply to the closing message).</summary>
    public SatisfactionAnswer RecordSatisfaction(CaseActor reporter, bool satisfied, string? comment, DateTimeOffset now) =>
        RecordSatisfaction(reporter, SatisfactionNames.LevelOf(satisfied), comment, now);

    /// <summary>The reporter's own verdict in three levels (满意 / 基本满意 / 不满意).</summary>
    public SatisfactionAnswer RecordSatisfaction(CaseActor reporter, SatisfactionLevel level, string? comment, DateTimeOffset now)
    {
        if (reporter.Role is not null)
        {
            throw new DomainException("case.satisfaction-reporter", "工作人员请通过“回访”登记上报人的满意度");
        }
        if (!Enum.IsDefined(level))
        {
            throw DomainException.For(DomainFields.SatisfactionLevel, "case.satisfaction-level", "请选择满意、基本满意或不满意");
        }
        return Answer(CaseAction.RecordSatisfaction, reporter, level, SatisfactionChannel.ResidentAnswer, comment, now);
    }

    /// <summary>回访: the dispatcher records the reporter's verdict and how it was heard.</summary>
    public SatisfactionAnswer RecordCallBack(CaseActor actor, bool satisfied, SatisfactionChannel channel, string? comment, DateTimeOffset now)
    {
        if (!Enum.IsDefined(channel))
        {
            throw new DomainException("case.satisfaction-channel", "请选择回访方式（电话回访或居民自行答复）") { Field = DomainFields.SatisfactionChannel.Name };
        }
        return Answer(CaseAction.CallBack, actor, SatisfactionNames.LevelOf(satisfied), channel, comment, now);
    }

    private SatisfactionAnswer Answer(CaseAction action, CaseActor actor, SatisfactionLevel level, SatisfactionChannel channel, string? comment, DateTimeOffset now)
    {
        var satisfied = level != SatisfactionLevel.Dissatisfied;
        CaseWorkflow.Check(action, State, actor);
        if (Satisfied is not null)
        {
            throw new DomainException("case.satisfaction-recorded", "该案件已评价过满意度");
        }
        var text = Text.Optional(comment, ReasonMaxLength - 20, DomainFields.SatisfactionComment);
        Satisfied = satisfied;
        SatisfactionComment = text;
        Apply(action, actor, now, $"{channel.ChineseName()}：{level.ChineseName()}" + (text is null ? "" : $"，{text}"), AssignedDepartmentId);
        var answer = new SatisfactionAnswer(level, channel, text, actor, now, AssignedDepartmentId);
        _satisfactionAnswers.Add(answer);
        return answer;
    }

    /// <summary>When the reporter was told the result: the last verification, or the closure of an on-the-spot case.</summary>
    public DateTimeOffset? ResolvedAt => VerifiedAt ?? ClosedAt;

    /// <summary>A dissatisfied answer reopens the case when it comes within <paramref name="window"/> of <see cref="ResolvedAt"/>.</summary>
    public bool CanReopen(DateTimeOffset now, TimeSpan window) =>
        State is CaseState.Verified or CaseState.Archived && Satisfied == false && ResolvedAt is { } resolved && now <= resolved + window;

    /// <summary>
    /// 不满意重办: back to the same handler (the lead department or the assigned grid staff; for an on-the-spot case the grid
    /// worker who settled it) with a new handling deadline; an archived case is no longer closed. The answer that caused it
    /// is marked, and the case counts one reopening. The next round gets its own satisfaction answer.
    /// </summary>
    public void Reopen(CaseActor actor, TimeSpan window, StageDeadline handleDeadline, DateTimeOffset now)
    {
        CaseWorkflow.Check(CaseAction.Reopen, State, actor);
        if (Satisfied != false)
        {
            throw new DomainException("case.reopen-not-dissatisfied", "只有上报人表示不满意的案件才能重办");
        }
        if (!CanReopen(now, window))
        {
            throw new DomainException("case.reopen-window", $"不满意的答复已超过核查后{window.TotalDays:0}天的回访期限，案件不再重办") { Arguments = [Math.Round(window.TotalDays)] };
        }
        if (AssignedDepartmentId is null && AssignedStaffId is null)
        {
            AssignedStaffId = ReporterStaffId;
        }
        var answer = _satisfactionAnswers.LastOrDefault();
        Apply(CaseAction.Reopen, actor, now,
            "上报人不满意，案件重新交承办方处置" + (SatisfactionComment is null ? "" : $"：{SatisfactionComment}"), AssignedDepartmentId);
        ReopenCount++;
        if (answer is not null)
        {
            answer.Reopened = true;
        }
        Satisfied = null;
        SatisfactionComment = null;
        ClosureType = null;
        ClosedAt = null;
        HandleDue = Stricter(handleDeadline).Due;
        SetClock(handleDeadline);
    }

    // ---- The one place a transition happens ----

    private void Apply(CaseAction action, CaseActor actor, DateTimeOffset now, string? note, int? departmentId = null,
        IReadOnlyCollection<CaseEvidence>? evidence = null)
    {
        note = Common.Text.Optional(note, CaseHistoryEntry.NoteMaxLength, DomainFields.Remarks);
        var transition = CaseWorkflow.Check(action, State, actor);
        CaseState? from = action is CaseAction.Report or CaseAction.ReportHandledOnSpot ? null : State;
        var to = transition.To ?? State;
        State = to;
        _history.Add(new CaseHistoryEntry(action, actor, now, from, to, note, departmentId, CurrentDue));
        if (to != CaseState.InProgress && PendingExtension is { } pending)
        {
            // Extensions belong to handling: a request nobody decided lapses when the case moves on (fed back, voided …).
            pending.Decide(ExtensionStatus.Lapsed, actor, now, $"案件已{action.ChineseName()}，申请自动失效");
        }
        foreach (var item in evidence ?? [])
        {
            item.Step = action;
            item.AddedAt = now;
            _evidence.Add(item);
        }
        Touch(now);
    }

    private void Touch(DateTimeOffset now) => UpdatedAt = now > UpdatedAt ? now : UpdatedAt;

    private void SetClock(StageDeadline deadline)
    {
        var bounded = Stricter(deadline);
        CurrentDue = bounded.Due;
        WarningAt = bounded.WarningAt;
    }

    /// <summary>
    /// The stricter of the street's deadline and the hotline's (<see cref="HotlineDue"/>): a hotline order is answered by the
    /// hotline's time limit when that comes first. The warning moves no later than the deadline.
    /// </summary>
    public StageDeadline Stricter(StageDeadline deadline) =>
        HotlineDue is { } hotlineDue && hotlineDue < deadline.Due
            ? new StageDeadline(hotlineDue, deadline.WarningAt < hotlineDue ? deadline.WarningAt : hotlineDue)
            : deadline;

    private void StopClock()
    {
        CurrentDue = null;
        WarningAt = null;
    }

    private void StartHandling(StageDeadline handleDeadline, DateTimeOffset now)
    {
        DispatchedAt = now;
        HandleDue = Stricter(handleDeadline).Due;
        SetClock(handleDeadline);
    }

    private void Close(ClosureType closure, DateTimeOffset now)
    {
        StopClock();
        ClosureType = closure;
        ClosedAt = now;
    }

    /// <summary>
    /// What this actor may do to the case now: the table's actions for the state and role, narrowed by
    /// the same scope rules the transitions enforce. Pages offer exactly these.
    /// </summary>
    public IReadOnlyList<CaseAction> ActionsFor(CaseActor actor, DateTimeOffset now) =>
        CaseWorkflow.ActionsFor(State, actor.Role)
            .Where(action => action is not (CaseAction.Report or CaseAction.ReportHandledOnSpot) && IsAllowedFor(actor, action, now))
            .ToList();

    private bool IsAllowedFor(CaseActor actor, CaseAction action, DateTimeOffset now) => action switch
    {
        CaseAction.Accept or CaseAction.Return => IsHandler(actor),
        CaseAction.SubmitFeedback => IsHandler(actor) && !_coHandlings.Any(c => c.IsOpen),
        CaseAction.AcceptCoHandling => CoHandlingOf(actor) is { IsOpen: true, AcceptedAt: null },
        CaseAction.SubmitCoHandlingOpinion => CoHandlingOf(actor) is { IsOpen: true, AcceptedAt: not null },
        CaseAction.EndCoHandling => IsHandler(actor) && _coHandlings.Any(c => c.IsOpen),
        CaseAction.Register or CaseAction.Reject or CaseAction.Merge or CaseAction.AssignLocally or CaseAction.ConfirmOnSpot => InCommunityScope(actor),
        CaseAction.Verify => InGridScope(actor, GridCode) && !HandledBy(actor),
        CaseAction.Rework => InGridScope(actor, GridCode) && (State != CaseState.Verified || (Satisfied == false && actor.Role == StaffRole.Dispatcher)),
        CaseAction.Escalate => Level != CaseLevel.District && EscalationLevelOf(actor) == Level
                               && (actor.Role is StaffRole.GridLeader or StaffRole.GridWorker ? InGridScope(actor, GridCode) : InCommunityScope(actor)),
        CaseAction.Whistle => actor.Role == StaffRole.GridLeader ? InGridScope(actor, GridCode) : InCommunityScope(actor),
        CaseAction.RespondToWhistle => _whistles.Any(w => w.DepartmentId == actor.DepartmentId && !w.IsAnswered),
        CaseAction.RecordSatisfaction => actor.Role is null && Satisfied is null,
        CaseAction.CallBack => Satisfied is null,
        CaseAction.Reopen => false, // follows a dissatisfied answer by itself, never a button
        CaseAction.MoveToGrid => false, // follows a change of the grid map (the grid editor), never a button
        CaseAction.RequestExtension => IsHandler(actor) && PendingExtension is null && HandleDue is { } due && now < due,
        CaseAction.ApproveExtension or CaseAction.RefuseExtension => PendingExtension is { } request && actor.Role == request.Approver,
        _ => true,
    };

    private CaseLevel EscalationLevelOf(CaseActor actor) => actor.Role switch
    {
        StaffRole.GridLeader or StaffRole.GridWorker => CaseLevel.Grid,
        StaffRole.CommunitySecretary => CaseLevel.Community,
        _ => Level,
    };

    private bool IsHandler(CaseActor actor) =>
        actor.Role == StaffRole.DepartmentHandler
            ? AssignedDepartmentId is not null && actor.DepartmentId == AssignedDepartmentId
            : AssignedStaffId is not null && actor.StaffMemberId == AssignedStaffId;

    /// <summary>Four eyes: this person accepted or fed back the case (needs <see cref="History"/> loaded).</summary>
    private bool HandledBy(CaseActor actor) =>
        actor.StaffMemberId is { } staffId
        && _history.Any(h => h.ActorStaffId == staffId && h.Action is CaseAction.Accept or CaseAction.SubmitFeedback);

    /// <summary>Community secretaries act within their community; street-wide roles everywhere.</summary>
    private bool InCommunityScope(CaseActor actor) =>
        actor.Role != StaffRole.CommunitySecretary || actor.CommunityId == CommunityId;

    private static bool InGridScope(CaseActor actor, string gridCode) =>
        actor.Role is not (StaffRole.GridLeader or StaffRole.GridWorker) || actor.GridCodes.Contains(gridCode);

    private void RequireHandler(CaseActor actor)
    {
        if (!IsHandler(actor))
        {
            throw new DomainException("case.not-handler", "只有本案件的承办部门或承办人才能执行此操作");
        }
    }

    private void RequireCommunityScope(CaseActor actor)
    {
        if (!InCommunityScope(actor))
        {
            throw new DomainException("case.out-of-community", "该案件不在您负责的社区");
        }
    }

    private static void RequireGridScope(CaseActor actor, string gridCode)
    {
        if (!InGridScope(actor, gridCode))
        {
            throw new DomainException("case.out-of-scope", "该案件不在您负责的网格");
        }
    }

    private static string RequireReason(string? reason, DomainField field) =>
        Text.Require(reason, ReasonMaxLength, field);

    private static string ChinaTime(DateTimeOffset moment) =>
        Calendar.WorkingCalendar.ToChinaTime(moment).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The grid and community a case's location resolved to.</summary>
public sealed record CaseLocationInfo(int GridId, string GridCode, int CommunityId);
