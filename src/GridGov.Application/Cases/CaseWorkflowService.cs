using GridGov.Application.Common;
using GridGov.Application.Grids;
using GridGov.Application.Visits;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Common;
using GridGov.Domain.Hotline;
using GridGov.Domain.Notifications;
using GridGov.Domain.Organisation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;

namespace GridGov.Application.Cases;

public sealed record ReportCase(
    int CategoryId,
    string Description,
    double Longitude,
    double Latitude,
    string Address,
    CaseSource Source,
    CasePriority Priority,
    string ReporterName,
    string? ReporterPhone,
    IReadOnlyList<EvidenceUpload> Photos,
    Guid? SubmissionId = null,
    SubmissionPurpose SubmissionPurpose = SubmissionPurpose.CaseReport,
    Domain.Hotline.HotlineOrderReference? Hotline = null);

public sealed record ReportHandledOnSpot(
    int CategoryId,
    string Description,
    double Longitude,
    double Latitude,
    string Address,
    string Result,
    IReadOnlyList<EvidenceUpload> Photos,
    Guid? SubmissionId = null);

/// <summary>
/// THE way a case changes state. Each method loads the case, lets the <see cref="Case"/> aggregate apply
/// the transition (state, role, scope, required fields), queues notifications, and saves it all in one
/// transaction; a concurrent change by someone else is refused with "该案件已被他人更新". Each change is announced to
/// the live pages through <see cref="ICaseChangeFeed"/> inside that transaction, so only a committed change is heard.
/// A use case that already has a transaction open on the same scope (a visit or a patrol raising a case, a held
/// report released) is joined: the change commits or rolls back with the caller's own writes.
/// A case from a 12345 work order also writes, in the same transaction, a push of each change of state to the hotline's
/// outbox (<see cref="HotlineStatusPush"/>), delivered later by the hotline sender.
/// </summary>
public sealed class CaseWorkflowService(
    IGridGovDbContext db,
    ISpatialQueries spatial,
    ICaseNumbers numbers,
    IEvidenceStore evidenceStore,
    CaseDeadlines deadlines,
    FiveMustDemands fiveMust,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<SatisfactionOptions> satisfactionOptions,
    ICaseChangeFeed changes,
    Residents.ResidentPointsLedger points,
    ILogger<CaseWorkflowService> logger)
{
    public const string ConcurrencyMessage = "该案件已被他人更新，请刷新后重试";
    public static readonly TimeLimit DefaultWhistleResponseLimit = TimeLimit.Hours(2);

    // ---- Report ----

    public async Task<Case> ReportAsync(ReportCase command, CaseActor reporter, CancellationToken cancellationToken = default)
    {
        if (await FindSubmissionAsync(command.SubmissionPurpose, command.SubmissionId, reporter, cancellationToken) is { } already)
        {
            return already;
        }
        var now = clock.GetUtcNow();
        var category = await CategoryAsync(command.CategoryId, cancellationToken);
        var point = PointOf(command.Longitude, command.Latitude);
        var where = await ResolveAsync(point, cancellationToken);
        var evidence = await StoreEvidenceAsync(command.Photos, cancellationToken);
        var registerDeadline = await deadlines.ForAsync(category, CaseStage.Register, command.Priority, now, cancellationToken);

        return await InTransactionAsync(async () =>
        {
            var number = await numbers.NextAsync(WorkingCalendar.ChinaDate(now), cancellationToken);
            var @case = Case.Report(number, category.Id, command.Description, point, command.Address, where, command.Source,
                command.Priority, reporter, command.ReporterName, command.ReporterPhone, evidence, registerDeadline, now, command.SubmissionId, command.SubmissionPurpose,
                command.Hotline);
            db.Cases.Add(@case);
            if (command.Priority == CasePriority.Emergency)
            {
                var department = await SuggestDepartmentAsync(category, where, cancellationToken);
                @case.GoOutAsEmergency(department,
                    await deadlines.ForAsync(category, CaseStage.Dispatch, command.Priority, now, cancellationToken),
                    await deadlines.ForAsync(category, CaseStage.Handle, command.Priority, now, cancellationToken), now);
                await db.SaveChangesAsync(cancellationToken); // the notifications below point at the case's id
                await NotifyDepartmentAsync(department, @case, NotificationKind.Emergency, $"【突发】案件{number}：{Short(@case.Description)}，请立即处置", cancellationToken);
                await NotifyRolesAsync([StaffRole.Dispatcher, StaffRole.StreetLeader], @case, NotificationKind.Emergency, $"【突发】{@case.Address}：{Short(@case.Description)}（案件{number}）", cancellationToken);
                await fiveMust.AddForCaseAsync(@case, cancellationToken); // 五必到 at the household of the address
                QueueHotlinePushes(@case, 1, now); // the hotline hears that its emergency went out at once
            }
            await db.SaveChangesAsync(cancellationToken);
            await AnnounceAsync(@case, cancellationToken);
            logger.LogInformation("Case {CaseNumber} reported in grid {GridCode} by {Reporter}, priority {Priority}", number, where.GridCode, reporter.Name, command.Priority);
            return @case;
        }, cancellationToken);
    }

    public async Task<Case> ReportHandledOnSpotAsync(ReportHandledOnSpot command, CaseActor worker, CancellationToken cancellationToken = default)
    {
        if (await FindSubmissionAsync(SubmissionPurpose.CaseReport, command.SubmissionId, worker, cancellationToken) is { } already)
        {
            return already;
        }
        var now = clock.GetUtcNow();
        var category = await CategoryAsync(command.CategoryId, cancellationToken);
        var point = PointOf(command.Longitude, command.Latitude);
        var where = await ResolveAsync(point, cancellationToken);
        var evidence = await StoreEvidenceAsync(command.Photos, cancellationToken);
        var phone = await db.StaffMembers.Where(s => s.Id == worker.StaffMemberId).Select(s => s.Phone).SingleOrDefaultAsync(cancellationToken);

        return await InTransactionAsync(async () =>
        {
            var number = await numbers.NextAsync(WorkingCalendar.ChinaDate(now), cancellationToken);
            var @case = Case.ReportHandledOnSpot(number, category.Id, command.Description, point, command.Address, where, worker, phone,
                command.Result, evidence, now, command.SubmissionId);
            db.Cases.Add(@case);
            await db.SaveChangesAsync(cancellationToken);
            await AnnounceAsync(@case, cancellationToken);
            logger.LogInformation("Case {CaseNumber} handled on the spot by {Worker} in grid {GridCode}", number, worker.Name, where.GridCode);
            return @case;
        }, cancellationToken);
    }

    public Task<Case> ConfirmOnSpotAsync(int caseId, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.ConfirmOnSpot(actor, now);
            return Task.CompletedTask;
        }, cancellationToken);

    // ---- Register ----

    public Task<Case> RegisterAsync(int caseId, CaseActor actor, int? categoryId, CasePriority? priority, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CategoryAsync(categoryId ?? @case.CategoryId, cancellationToken);
            var chosenPriority = priority ?? @case.Priority;
            var deadline = await deadlines.ForAsync(category, CaseStage.Dispatch, chosenPriority, now, cancellationToken);
            @case.Register(actor, category.Id, chosenPriority, deadline, now, note);
            await fiveMust.AddForCaseAsync(@case, cancellationToken); // 五必到 at the household of the address
        }, cancellationToken);

    public Task<Case> RejectAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.Reject(actor, reason, now);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<Case> MergeAsync(int duplicateCaseId, int originalCaseId, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(duplicateCaseId, actor, async (@case, now) =>
        {
            var original = await LoadAsync(originalCaseId, cancellationToken);
            @case.MergeInto(original, actor, now);
            await AnnounceAsync(original, cancellationToken); // it gained a follower
        }, cancellationToken);

    // ---- Assign ----

    /// <summary>定责: grid override, then community override, then the category's default department.</summary>
    public async Task<int> SuggestDepartmentAsync(int caseId, CancellationToken cancellationToken = default)
    {
        var @case = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken) ?? throw NotFound();
        var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
        return await SuggestDepartmentAsync(category, new CaseLocationInfo(@case.GridId, @case.GridCode, @case.CommunityId), cancellationToken);
    }

    public Task<Case> DispatchAsync(int caseId, CaseActor actor, int departmentId, IReadOnlyCollection<int>? coHandlingDepartmentIds = null, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var coHandling = coHandlingDepartmentIds ?? [];
            await RequireDepartmentsAsync([departmentId, .. coHandling], cancellationToken);
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForHandlingAsync(@case, category, now, cancellationToken);
            @case.Dispatch(actor, departmentId, coHandling, deadline, now, note);
            await NotifyDepartmentAsync(departmentId, @case, NotificationKind.Assignment,
                $"新派遣案件{@case.Number}：{Short(@case.Description)}，请于{ChinaTime(deadline.Due)}前处置反馈", cancellationToken);
            foreach (var coHandler in @case.CoHandlingDepartmentIds)
            {
                await NotifyDepartmentAsync(coHandler, @case, NotificationKind.Assignment,
                    $"新协办案件{@case.Number}：{Short(@case.Description)}，请签收并提交协办意见", cancellationToken);
            }
        }, cancellationToken);

    public Task<Case> AssignLocallyAsync(int caseId, CaseActor actor, int assigneeStaffId, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var assignee = await db.StaffMembers.SingleOrDefaultAsync(s => s.Id == assigneeStaffId && s.IsActive, cancellationToken)
                ?? throw new DomainException("case.assignee-not-found", "被指派的工作人员不存在或已停用");
            var assigneeGrids = (await db.AssignmentsInForce(clock).Where(a => a.StaffMemberId == assigneeStaffId).Select(a => a.GridCode).ToListAsync(cancellationToken)).ToHashSet();
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForHandlingAsync(@case, category, now, cancellationToken);
            @case.AssignLocally(actor, assignee, assigneeGrids, deadline, now, note);
            Notify(assignee.Name, assignee.Phone, assignee.Id, @case, NotificationKind.Assignment,
                $"社区指派案件{@case.Number}：{Short(@case.Description)}，请于{ChinaTime(deadline.Due)}前处置反馈", now);
        }, cancellationToken);

    public Task<Case> AcceptAsync(int caseId, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.Accept(actor, now);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<Case> ReturnAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForAsync(category, CaseStage.Dispatch, @case.Priority, now, cancellationToken);
            @case.Return(actor, reason, deadline, now);
            await NotifyRolesAsync([StaffRole.Dispatcher], @case, NotificationKind.Returned, $"案件{@case.Number}被退回：{Short(reason)}，请重新派遣", cancellationToken);
        }, cancellationToken);

    // ---- Investigate and feed back ----

    /// <param name="lateExplanation">未能按期说明: required once the handling deadline has passed; kept only then.</param>
    public async Task<Case> SubmitFeedbackAsync(int caseId, CaseActor actor, string result, IReadOnlyList<EvidenceUpload> evidence, CancellationToken cancellationToken = default,
        string? lateExplanation = null)
    {
        var stored = await StoreEvidenceAsync(evidence, cancellationToken);
        return await ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForAsync(category, CaseStage.Verify, @case.Priority, now, cancellationToken);
            @case.SubmitFeedback(actor, result, stored, deadline, now, lateExplanation);
        }, cancellationToken);
    }

    // ---- Co-handling (协办) ----

    public Task<Case> AcceptCoHandlingAsync(int caseId, CaseActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.AcceptCoHandling(actor, now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>协办意见, with optional photos; the lead department is told.</summary>
    public async Task<Case> SubmitCoHandlingOpinionAsync(int caseId, CaseActor actor, string opinion, IReadOnlyList<EvidenceUpload>? evidence = null,
        CancellationToken cancellationToken = default)
    {
        var stored = await StoreEvidenceAsync(evidence ?? [], cancellationToken);
        return await ChangeAsync(caseId, actor, async (@case, now) =>
        {
            @case.SubmitCoHandlingOpinion(actor, opinion, stored, now);
            await NotifyHandlerAsync(@case, NotificationKind.Assignment, $"案件{@case.Number}的协办部门已提交协办意见：{Short(opinion)}", cancellationToken);
        }, cancellationToken);
    }

    /// <summary>结束协办: the lead stops waiting for the co-handlers that have not answered; they are told.</summary>
    public Task<Case> EndCoHandlingAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var open = @case.CoHandlings.Where(c => c.IsOpen).Select(c => c.DepartmentId).ToList();
            @case.EndCoHandling(actor, reason, now);
            foreach (var departmentId in open)
            {
                await NotifyDepartmentAsync(departmentId, @case, NotificationKind.Assignment, $"主办部门已结束案件{@case.Number}的协办：{Short(reason)}", cancellationToken);
            }
        }, cancellationToken);

    // ---- Extension (延期申请) ----

    /// <summary>
    /// The handler asks for a later handling deadline. The extra working time and the category's handling time are
    /// measured on the working calendar, so the limit (<see cref="CaseExtension.ApproverFor"/>) means the same on any day.
    /// </summary>
    public Task<Case> RequestExtensionAsync(int caseId, CaseActor actor, string reason, DateTimeOffset requestedDue, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var calendar = await deadlines.CalendarAsync(cancellationToken);
            var handlingTime = calendar.Allowance(CaseDeadlines.LimitFor(category, CaseStage.Handle, @case.Priority));
            var extra = @case.HandleDue is { } due && requestedDue > due ? calendar.WorkingTimeBetween(due, requestedDue) : TimeSpan.Zero;
            var request = @case.RequestExtension(actor, reason, requestedDue, extra, handlingTime, now);
            await NotifyRolesAsync([request.Approver], @case, NotificationKind.Extension,
                $"案件{@case.Number}申请延期至{ChinaTime(requestedDue)}，请审批", cancellationToken);
        }, cancellationToken);

    public Task<Case> ApproveExtensionAsync(int caseId, CaseActor actor, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var calendar = await deadlines.CalendarAsync(cancellationToken);
            var requestedDue = @case.PendingExtension?.RequestedDue ?? now;
            var warningAt = requestedDue > now ? calendar.AddWorkingTime(now, calendar.WorkingTimeBetween(now, requestedDue) * 0.8) : requestedDue;
            @case.ApproveExtension(actor, note, warningAt, now);
            await NotifyHandlerAsync(@case, NotificationKind.Extension, $"案件{@case.Number}延期已批准，处置期限延至{ChinaTime(requestedDue)}", cancellationToken);
        }, cancellationToken);

    public Task<Case> RefuseExtensionAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            @case.RefuseExtension(actor, reason, now);
            await NotifyHandlerAsync(@case, NotificationKind.Extension, $"案件{@case.Number}延期未获批准：{Short(reason)}，请按原期限反馈", cancellationToken);
        }, cancellationToken);

    // ---- Verify and archive ----

    public async Task<Case> VerifyAsync(int caseId, CaseActor actor, string? note = null, IReadOnlyList<EvidenceUpload>? evidence = null, CancellationToken cancellationToken = default)
    {
        var stored = await StoreEvidenceAsync(evidence ?? [], cancellationToken);
        return await ChangeAsync(caseId, actor, async (@case, now) =>
        {
            @case.Verify(actor, now, stored, note);
            await NotifyReportersOfOutcomeAsync(@case, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// 办结告知: the case's reporter and the reporter of every report merged into it (directly, or into a report merged
    /// into it) hear the outcome once per phone number, each under the number they reported with, so they recognise it.
    /// A reporter without a phone cannot be told and is skipped.
    /// </summary>
    private async Task NotifyReportersOfOutcomeAsync(Case @case, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = Short(@case.Result ?? "");
        foreach (var person in (await ReportsOfAsync(@case, cancellationToken)).Where(r => r.Phone is not null).GroupBy(r => r.Phone))
        {
            var first = person.First();
            var ownNumbers = person.Select(r => r.Number).Where(n => n != @case.Number).Distinct().ToList();
            var text = person.Any(r => r.Number == @case.Number) || ownNumbers.Count == 0
                ? $"您反映的问题（案件{@case.Number}）已处理完毕：{result}。请回复满意或不满意。"
                : $"您反映的问题（案件{string.Join("、", ownNumbers)}，已并入案件{@case.Number}办理）已处理完毕：{result}。请回复满意或不满意。";
            Notify(first.Name, first.Phone, first.StaffId, @case, NotificationKind.CaseClosed, text, now);
        }
    }

    private sealed record ReportOfCase(string Number, string Name, string? Phone, int? StaffId);

    /// <summary>The case's own report, then the reports merged into it (following merges of merges), oldest first.</summary>
    private async Task<List<ReportOfCase>> ReportsOfAsync(Case @case, CancellationToken cancellationToken)
    {
        var reports = new List<ReportOfCase> { new(@case.Number, @case.ReporterName, @case.ReporterPhone, @case.ReporterStaffId) };
        var seen = new HashSet<int> { @case.Id };
        List<int> frontier = [@case.Id];
        while (frontier.Count > 0)
        {
            var merged = await db.Cases.AsNoTracking()
                .Where(c => c.MergedIntoCaseId != null && frontier.Contains(c.MergedIntoCaseId.Value))
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Number, c.ReporterName, c.ReporterPhone, c.ReporterStaffId })
                .ToListAsync(cancellationToken);
            merged = merged.Where(m => seen.Add(m.Id)).ToList();
            reports.AddRange(merged.Select(m => new ReportOfCase(m.Number, m.ReporterName, m.ReporterPhone, m.ReporterStaffId)));
            frontier = merged.Select(m => m.Id).ToList();
        }
        return reports;
    }

    public Task<Case> ReworkAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForHandlingAsync(@case, category, now, cancellationToken);
            @case.Rework(actor, reason, deadline, now);
            await NotifyHandlerAsync(@case, NotificationKind.Rework, $"案件{@case.Number}需返工：{Short(reason)}，请于{ChinaTime(deadline.Due)}前重新反馈", cancellationToken);
        }, cancellationToken);

    public Task<Case> ArchiveAsync(int caseId, CaseActor actor, string? specialReason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.Archive(actor, now, specialReason);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<Case> VoidAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.Void(actor, reason, now);
            return Task.CompletedTask;
        }, cancellationToken);

    // ---- Levels, supervision, whistle, satisfaction ----

    public Task<Case> EscalateAsync(int caseId, CaseActor actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
            var deadline = await deadlines.ForAsync(category, CaseStage.Dispatch, @case.Priority, now, cancellationToken);
            @case.Escalate(actor, reason, deadline, now);
        }, cancellationToken);

    public Task<Case> SuperviseAsync(int caseId, CaseActor actor, string note, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            @case.Supervise(actor, note, now);
            await NotifyHandlerAsync(@case, NotificationKind.Supervision, $"【督办】案件{@case.Number}：{Short(note)}", cancellationToken);
        }, cancellationToken);

    public Task<Case> WhistleAsync(int caseId, CaseActor actor, IReadOnlyCollection<int> departmentIds, TimeLimit? responseLimit = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            if (departmentIds.Count == 0)
            {
                throw new DomainException("case.whistle-empty", "请至少选择一个吹哨召集的部门") { Field = DomainFields.WhistleDepartments.Name };
            }
            await RequireDepartmentsAsync(departmentIds, cancellationToken);
            var respondBy = (await deadlines.ForAsync(responseLimit ?? DefaultWhistleResponseLimit, now, cancellationToken)).Due;
            foreach (var departmentId in departmentIds.Distinct())
            {
                @case.BlowWhistle(actor, departmentId, respondBy, now);
                await NotifyDepartmentAsync(departmentId, @case, NotificationKind.Whistle,
                    $"【吹哨】案件{@case.Number}召集贵部门，请于{ChinaTime(respondBy)}前报到", cancellationToken);
            }
        }, cancellationToken);

    public Task<Case> RespondToWhistleAsync(int caseId, CaseActor actor, string response, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, (@case, now) =>
        {
            @case.RespondToWhistle(actor, response, now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// The reporter's own verdict, identified by the case number and the phone number they reported with. A dissatisfied
    /// answer within the window reopens the case (by the system); a later one is only recorded, and the dispatcher is told.
    /// </summary>
    public Task<Case> RecordSatisfactionAsync(string caseNumber, string phone, bool satisfied, string? comment, CancellationToken cancellationToken = default) =>
        RecordSatisfactionAsync(caseNumber, phone, SatisfactionNames.LevelOf(satisfied), comment, cancellationToken);

    /// <summary>The reporter's own verdict in three levels (满意 / 基本满意 / 不满意); only 不满意 can reopen the case.</summary>
    public async Task<Case> RecordSatisfactionAsync(string caseNumber, string phone, SatisfactionLevel level, string? comment, CancellationToken cancellationToken = default)
    {
        var caseId = await db.Cases.Where(c => c.Number == caseNumber).Select(c => (int?)c.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw NotFound();
        caseId = await SurvivorOfAsync(caseId, cancellationToken); // a merged report's reporter answers under their own number
        var survivor = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, cancellationToken);
        var follower = (await ReportsOfAsync(survivor, cancellationToken)).FirstOrDefault(r => r.Phone == phone.Trim())
            ?? throw new DomainException("case.not-reporter", "案件编号与联系电话不匹配");
        var reporter = CaseActor.Public(follower.Name);
        return await ChangeAsync(caseId, reporter, async (@case, now) =>
        {
            @case.RecordSatisfaction(reporter, level, comment, now);
            if (level == SatisfactionLevel.Dissatisfied && !await ReopenIfWithinWindowAsync(@case, CaseActor.System, now, cancellationToken))
            {
                await NotifyRolesAsync([StaffRole.Dispatcher], @case, NotificationKind.Rework, $"上报人对案件{@case.Number}的处理不满意，请研判是否返工", cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>The case a merged report was folded into, following merges of merges; the case itself when it was not merged.</summary>
    private async Task<int> SurvivorOfAsync(int caseId, CancellationToken cancellationToken)
    {
        var seen = new HashSet<int> { caseId };
        while (await db.Cases.Where(c => c.Id == caseId).Select(c => c.MergedIntoCaseId).SingleAsync(cancellationToken) is { } into && seen.Add(into))
        {
            caseId = into;
        }
        return caseId;
    }

    /// <summary>回访: the dispatcher records the reporter's verdict and its channel; a dissatisfied one within the window reopens the case.</summary>
    public Task<Case> RecordCallBackAsync(int caseId, CaseActor actor, bool satisfied, SatisfactionChannel channel, string? comment = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(caseId, actor, async (@case, now) =>
        {
            @case.RecordCallBack(actor, satisfied, channel, comment, now);
            if (!satisfied)
            {
                await ReopenIfWithinWindowAsync(@case, actor, now, cancellationToken);
            }
        }, cancellationToken);

    private async Task<bool> ReopenIfWithinWindowAsync(Case @case, CaseActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = satisfactionOptions.Value.ReopenWindow;
        if (!@case.CanReopen(now, window))
        {
            return false;
        }
        var category = await CaseCategoryAsync(@case.CategoryId, cancellationToken);
        var deadline = await deadlines.ForHandlingAsync(@case, category, now, cancellationToken);
        @case.Reopen(actor, window, deadline, now);
        await NotifyHandlerAsync(@case, NotificationKind.Rework,
            $"上报人对案件{@case.Number}不满意，案件重办，请于{ChinaTime(deadline.Due)}前重新反馈", cancellationToken);
        return true;
    }

    public async Task<int?> FindIdAsync(string caseNumber, CancellationToken cancellationToken = default) =>
        await db.Cases.Where(c => c.Number == caseNumber).Select(c => (int?)c.Id).SingleOrDefaultAsync(cancellationToken);

    // ---- Plumbing: one load, one change, one save ----

    private async Task<Case> ChangeAsync(int caseId, CaseActor actor, Func<Case, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        // A transaction of its own (or the caller's, joined): the announcement commits or rolls back with the change.
        await using var transaction = await db.BeginTransactionUnlessOpenAsync(cancellationToken);
        var @case = await LoadAsync(caseId, cancellationToken);
        var now = clock.GetUtcNow();
        var before = @case.State;
        var steps = @case.History.Count;
        await change(@case, now);
        QueueHotlinePushes(@case, steps, now);
        await points.OnStepsAsync(@case, steps, now, cancellationToken); // 积分 of a resident's own report, in this transaction
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Case {CaseNumber}: concurrent update refused for {Actor}", @case.Number, actor.Name);
            throw new DomainException("case.concurrency", ConcurrencyMessage);
        }
        await AnnounceAsync(@case, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        logger.LogInformation("Case {CaseNumber}: {Action} by {Actor}, {From} -> {To}",
            @case.Number, @case.History.Count > 0 ? @case.History[^1].Action : default, actor.Name, before, @case.State);
        return @case;
    }

    private async Task<Case> LoadAsync(int caseId, CancellationToken cancellationToken) =>
        // History too: who accepted and fed back a case decides who may verify it (four eyes).
        await db.Cases.Include(c => c.Whistles).Include(c => c.History).Include(c => c.Extensions).Include(c => c.SatisfactionAnswers).Include(c => c.CoHandlings)
            .SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken) ?? throw NotFound();

    /// <summary>
    /// A replay of the author's own submission returns the case it made; the same key used by someone else is refused
    /// (nothing written), never answered with their case.
    /// </summary>
    private async Task<Case?> FindSubmissionAsync(SubmissionPurpose purpose, Guid? submissionId, CaseActor author, CancellationToken cancellationToken)
    {
        if (submissionId is not { } id)
        {
            return null;
        }
        var found = await db.Cases.Where(c => c.SubmissionPurpose == purpose && c.SubmissionId == id).ToListAsync(cancellationToken);
        if (found.FirstOrDefault(c => c.ReporterStaffId == author.StaffMemberId) is { } own)
        {
            return own;
        }
        if (found.Count > 0)
        {
            logger.LogWarning("Submission {SubmissionId} ({Purpose}) of another author refused for {Actor}", id, purpose, author.Name);
            throw Submissions.Foreign();
        }
        return null;
    }

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionUnlessOpenAsync(cancellationToken);
        var result = await work();
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>The hotline's outbox: one push per step of a hotline case from <paramref name="fromStep"/> on that the hotline hears of.</summary>
    private void QueueHotlinePushes(Case @case, int fromStep, DateTimeOffset now)
    {
        if (@case.HotlineOrderNumber is null)
        {
            return;
        }
        foreach (var entry in @case.History.Skip(fromStep).Where(HotlineStatusPush.IsPushed))
        {
            db.HotlineStatusPushes.Add(HotlineStatusPush.For(@case, entry, now));
        }
    }

    private Task AnnounceAsync(Case @case, CancellationToken cancellationToken) =>
        changes.EnlistAsync(new CaseChanged(@case.Id, @case.Number, @case.State), cancellationToken);

    private static DomainException NotFound() => new("case.not-found", "案件不存在");

    /// <summary>
    /// The category a case already has: a class retired (停用) since still carries its cases under way to the end, with
    /// the limits it has now.
    /// </summary>
    private async Task<Category> CaseCategoryAsync(int categoryId, CancellationToken cancellationToken) =>
        await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == categoryId, cancellationToken)
        ?? throw new DomainException("category.not-found", "案件类别不存在或已停用");

    /// <summary>A category chosen now (a report, a registration): only an active one.</summary>
    private async Task<Category> CategoryAsync(int categoryId, CancellationToken cancellationToken) =>
        await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == categoryId && c.IsActive, cancellationToken)
        ?? throw new DomainException("category.not-found", "案件类别不存在或已停用") { Field = DomainFields.Category.Name };

    private async Task RequireDepartmentsAsync(IReadOnlyCollection<int> departmentIds, CancellationToken cancellationToken)
    {
        var distinct = departmentIds.Distinct().ToList();
        if (await db.Departments.CountAsync(d => distinct.Contains(d.Id), cancellationToken) != distinct.Count)
        {
            throw new DomainException("department.not-found", "所选部门不存在");
        }
    }

    private async Task<int> SuggestDepartmentAsync(Category category, CaseLocationInfo where, CancellationToken cancellationToken)
    {
        var routes = await db.DispatchRoutes.AsNoTracking()
            .Where(r => r.CategoryId == category.Id && (r.GridCode == where.GridCode || r.CommunityId == where.CommunityId))
            .ToListAsync(cancellationToken);
        return routes.FirstOrDefault(r => r.GridCode == where.GridCode)?.DepartmentId
            ?? routes.FirstOrDefault(r => r.CommunityId == where.CommunityId)?.DepartmentId
            ?? category.DefaultDepartmentId;
    }

    private static Point PointOf(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || !double.IsFinite(latitude) || longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new DomainException("location.invalid", "位置坐标无效") { Field = DomainFields.Location.Name };
        }
        return Locations.Point(longitude, latitude);
    }

    private async Task<CaseLocationInfo> ResolveAsync(Point point, CancellationToken cancellationToken) =>
        await spatial.ResolveGridAsync(point, cancellationToken) switch
        {
            GridLocation.InGrid grid => new CaseLocationInfo(grid.GridId, grid.GridCode, grid.CommunityId),
            GridLocation.Uncovered => throw new DomainException("case.uncovered", "该位置在街道范围内，但不属于任何网格，请联系管理员核对网格边界") { Field = DomainFields.Location.Name },
            _ => throw new DomainException("case.outside-street", "上报位置不在本街道范围内，请在地图上重新选择") { Field = DomainFields.Location.Name },
        };

    private async Task<List<CaseEvidence>> StoreEvidenceAsync(IReadOnlyList<EvidenceUpload> uploads, CancellationToken cancellationToken)
    {
        if (uploads.Count > 9)
        {
            throw new DomainException("evidence.too-many", "一次最多上传9张照片") { Field = DomainFields.Photos.Name };
        }
        var stored = new List<CaseEvidence>(uploads.Count);
        foreach (var upload in uploads)
        {
            stored.Add(await evidenceStore.StoreAsync(upload, cancellationToken));
        }
        return stored;
    }

    private async Task NotifyDepartmentAsync(int departmentId, Case @case, NotificationKind kind, string text, CancellationToken cancellationToken)
    {
        var handlers = await db.StaffMembers.AsNoTracking()
            .Where(s => s.DepartmentId == departmentId && s.Role == StaffRole.DepartmentHandler && s.IsActive)
            .ToListAsync(cancellationToken);
        foreach (var handler in handlers)
        {
            Notify(handler.Name, handler.Phone, handler.Id, @case, kind, text, clock.GetUtcNow());
        }
    }

    private async Task NotifyHandlerAsync(Case @case, NotificationKind kind, string text, CancellationToken cancellationToken)
    {
        if (@case.AssignedDepartmentId is { } departmentId)
        {
            await NotifyDepartmentAsync(departmentId, @case, kind, text, cancellationToken);
        }
        else if (@case.AssignedStaffId is { } staffId
                 && await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId, cancellationToken) is { } staff)
        {
            Notify(staff.Name, staff.Phone, staff.Id, @case, kind, text, clock.GetUtcNow());
        }
    }

    private async Task NotifyRolesAsync(StaffRole[] roles, Case @case, NotificationKind kind, string text, CancellationToken cancellationToken)
    {
        var staff = await db.StaffMembers.AsNoTracking().Where(s => roles.Contains(s.Role) && s.IsActive).ToListAsync(cancellationToken);
        foreach (var person in staff)
        {
            Notify(person.Name, person.Phone, person.Id, @case, kind, text, clock.GetUtcNow());
        }
    }

    private void Notify(string name, string? phone, int? staffId, Case @case, NotificationKind kind, string text, DateTimeOffset now) =>
        db.Notifications.Add(new Notification(kind, name, phone, staffId, @case.Id, Short(text, Notification.BodyMaxLength), now));

    private static string Short(string text, int max = 40) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string ChinaTime(DateTimeOffset moment) => WorkingCalendar.ToChinaTime(moment).ToString("MM月dd日HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
