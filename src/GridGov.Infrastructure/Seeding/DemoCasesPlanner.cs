using System.Globalization;
using GridGov.Application.Cases;
using GridGov.Domain.Calendar;
using GridGov.Domain.Cases;
using GridGov.Domain.Categories;
using GridGov.Domain.Ledgers;
using GridGov.Domain.Organisation;

namespace GridGov.Infrastructure.Seeding;

/// <summary>One workflow call of a story, run with the seeding clock set to <see cref="At"/>.</summary>
/// <param name="Sequence">Order of planning within the story, which is the causal order of steps in the same minute.</param>
internal sealed record StoryStep(DateTimeOffset At, int Sequence, CaseAction Action, Func<CaseWorkflowService, CaseStory, CancellationToken, Task<Case>> Run);

/// <summary>Where a case happens: its point, grid, the wording of the place and the address.</summary>
internal sealed record DemoWhere(string GridCode, int CommunityId, double Longitude, double Latitude, string Place, string Address, string? ComponentCode);

/// <summary>What a pinned natural story must be: its class, priority, reporter, and the detour it must take.</summary>
internal sealed record StoryOverrides(string? Code = null, CasePriority? Priority = null, CaseSource? Source = null,
    bool Void = false, bool Escalate = false, int MinDaysAgo = 0);

/// <summary>The life of one demo case, planned up front as workflow calls at given moments.</summary>
internal sealed class CaseStory(int index, DemoCaseTemplate template, Category category, DemoWhere where, CasePriority priority)
{
    public int Index { get; } = index;
    public DemoCaseTemplate Template { get; } = template;
    public Category Category { get; } = category;
    public DemoWhere Where { get; } = where;
    public CasePriority Priority { get; } = priority;
    public List<StoryStep> Steps { get; } = [];

    // Set while the story runs.
    public int? CaseId { get; set; }
    public string? Number { get; set; }
    public bool Failed { get; set; }

    // What the plan knows of the case as it goes, to time the next steps.
    public int? DepartmentId { get; set; }
    public StaffMember? Handler { get; set; }
    public DateTimeOffset? HandleDue { get; set; }
    public string? ReporterPhone { get; set; }

    public DateTimeOffset ReportedAt => Steps[0].At;

    /// <summary>Until when a duplicate may still be merged into this case (before it is verified or closed).</summary>
    public DateTimeOffset MergeableUntil =>
        Steps.Where(s => s.Action is CaseAction.Verify or CaseAction.Void or CaseAction.Reject or CaseAction.ConfirmOnSpot)
            .Select(s => s.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
}

/// <summary>
/// Plans the demo month: most cases over the last 30 days with a natural life (registered, dispatched or handled
/// locally, fed back on time or late, verified, archived; some rejected, voided, returned, reworked, supervised,
/// whistled, handled on the spot, merged as duplicates), and a few "pinned" cases placed just before now so every
/// open state, a yellow warning and an overdue supervised case are always there. Steps after now are cut off,
/// so recent cases stay open where their story has got to.
/// </summary>
internal sealed class DemoCasesPlanner(DemoCasesWorld world, Random random, DateTimeOffset now, int days)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private static readonly CaseSource[] Sources = [CaseSource.GridWorkerPatrol, CaseSource.Resident, CaseSource.Hotline, CaseSource.LeaderInstruction];

    private readonly WorkingCalendar _calendar = world.Calendar;
    private readonly List<DemoCaseTemplate> _templates = DemoCasesTexts.Templates.Where(t => world.Categories.ContainsKey(t.Code)).ToList();
    private int[] _templateWeights = [];

    public List<CaseStory> Plan(int count)
    {
        _templateWeights = DemoStreetNames.Cumulative(_templates.Select(t => t.Weight));
        var stories = new List<CaseStory>(count);
        PlanPinned(stories);
        var duplicates = count * 3 / 100;
        while (stories.Count < count - duplicates)
        {
            PlanNatural(stories);
        }
        for (var attempt = 0; stories.Count < count && attempt < duplicates * 20; attempt++)
        {
            PlanDuplicate(stories);
        }
        while (stories.Count < count)
        {
            PlanNatural(stories);
        }
        foreach (var story in stories)
        {
            // Later steps have not happened yet: the case stays where its story has got to.
            story.Steps.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Sequence.CompareTo(b.Sequence));
            story.Steps.RemoveAll(s => s.At > now - Margin);
        }
        // A pinned case whose moment could not be found (e.g. a category an administrator switched off) is dropped.
        stories.RemoveAll(s => s.Steps.Count == 0);
        return stories;
    }

    // ---- Natural cases over the month ----

    private void PlanNatural(List<CaseStory> stories, StoryOverrides? overrides = null)
    {
        var template = overrides?.Code is { } code ? _templates.FirstOrDefault(t => t.Code == code) : _templates[DemoStreetNames.Pick(_templateWeights, random)];
        if (template is null)
        {
            return;
        }
        var category = world.Categories[template.Code];
        var source = overrides?.Source ?? PickSource(template);
        var priority = overrides?.Priority ?? PickPriority(template);
        var onSpot = overrides is null && source == CaseSource.GridWorkerPatrol && template.OnSpotResults is not null && priority == CasePriority.Normal && Chance(0.45);
        var where = PickWhere(template);
        var story = new CaseStory(stories.Count, template, category, where, priority);
        var reportedAt = PickReportTime(source, overrides?.MinDaysAgo ?? 0);

        if (onSpot)
        {
            var worker = Pick(Team(story).Workers);
            var at = ReportOnSpot(story, reportedAt, worker);
            if (Chance(0.9))
            {
                ConfirmOnSpot(story, Office(at + Minutes(30, 600)), Secretary(story));
            }
            else
            {
                ConfirmOnSpot(story, Center(at + Minutes(30, 300)), Dispatcher());
            }
            stories.Add(story);
            return;
        }

        var t = Report(story, reportedAt, source);
        var outcome = overrides is null ? random.NextDouble() : 1;
        if (outcome < 0.04 && priority != CasePriority.Emergency)
        {
            Reject(story, Center(t + Minutes(5, 60)), Pick(DemoCasesTexts.RejectReasons));
        }
        else
        {
            Handle(story, t, voided: overrides?.Void ?? (outcome < 0.06 && priority != CasePriority.Emergency), escalate: overrides?.Escalate ?? false);
        }
        stories.Add(story);
    }

    /// <summary>Register, dispatch or assign locally, handle, verify, archive; with the occasional detour.</summary>
    private void Handle(CaseStory story, DateTimeOffset reportedAt, bool voided, bool escalate)
    {
        var urgent = story.Priority != CasePriority.Normal;
        var t = reportedAt;
        if (story.Priority != CasePriority.Emergency)
        {
            t = Chance(0.15)
                ? Register(story, Office(t + Minutes(10, 60)), Secretary(story))
                : Register(story, Center(t + (urgent ? Minutes(2, 8) : Minutes(4, 30))), Dispatcher());
            if (voided && Chance(0.4))
            {
                Void(story, Center(t + Minutes(30, 2 * 24 * 60)));
                return;
            }

            var local = story.Template.Local || (story.Template.OnSpotResults is not null && !urgent && Chance(0.15));
            if (local)
            {
                HandleLocally(story, t, voided, escalate);
                return;
            }
            t = DispatchWithDetours(story, t, urgent);
        }
        if (voided)
        {
            Void(story, Center(t + Minutes(60, 24 * 60)));
            return;
        }
        HandleByDepartment(story, t, urgent);
    }

    private DateTimeOffset DispatchWithDetours(CaseStory story, DateTimeOffset registeredAt, bool urgent)
    {
        var department = world.DepartmentFor(story.Category, story.Where.GridCode, story.Where.CommunityId);
        var t = Center(registeredAt + (urgent ? Minutes(1, 6) : Minutes(3, 25)));
        if (story.Template.WrongDepartment is { } wrongCode && world.DepartmentIds.TryGetValue(wrongCode, out var wrong) && wrong != department
            && world.HandlersByDepartment.ContainsKey(wrong) && Chance(0.2))
        {
            t = Dispatch(story, t, wrong);
            t = Return(story, Office(t + Minutes(15, 240)), story.Template.WrongReason ?? "经核实不属于本部门职责，请改派");
            t = Center(t + Minutes(5, 40));
        }
        return Dispatch(story, t, department);
    }

    private void HandleByDepartment(CaseStory story, DateTimeOffset dispatchedAt, bool urgent)
    {
        var accepted = Accept(story, urgent ? dispatchedAt + Minutes(3, 15) : Office(dispatchedAt + Minutes(5, 120)));
        var fedBack = PlanFeedbackTime(story, dispatchedAt, accepted, out var overdue);
        if (overdue && Chance(0.6))
        {
            PlanSupervision(story, fedBack);
        }
        if (story.Template.WhistleDepartments is { Length: > 0 } && Chance(0.3))
        {
            PlanWhistle(story, accepted, fedBack);
        }
        Feedback(story, fedBack);
        VerifyAndClose(story, fedBack, locally: false);
    }

    /// <summary>小事不出网格: the community assigns a grid leader or worker; sometimes they cannot settle it and escalate.</summary>
    private void HandleLocally(CaseStory story, DateTimeOffset registeredAt, bool voided, bool escalate)
    {
        var team = Team(story);
        var assignee = team.Leader is not null && Chance(0.3) ? team.Leader : Pick(team.Workers);
        var t = Chance(0.8)
            ? AssignLocally(story, Office(registeredAt + Minutes(10, 90)), Secretary(story), assignee)
            : AssignLocally(story, Center(registeredAt + Minutes(5, 40)), Dispatcher(), assignee);
        if (voided)
        {
            Void(story, Center(t + Minutes(60, 24 * 60)));
            return;
        }
        var accepted = Accept(story, Patrol(t + Minutes(10, 120)));
        if (story.Template.EscalateTo is { } escalateTo && world.DepartmentIds.TryGetValue(escalateTo, out var department) && (escalate || Chance(0.15)))
        {
            var escalated = Escalate(story, Patrol(accepted + Minutes(60, 600)), assignee);
            HandleByDepartment(story, Dispatch(story, Center(escalated + Minutes(10, 60)), department), urgent: false);
            return;
        }
        var fedBack = PlanFeedbackTime(story, t, accepted, out _);
        Feedback(story, fedBack);
        VerifyAndClose(story, fedBack, locally: true);
    }

    /// <summary>
    /// Mostly within the limit (15–85% of the working time it allows); about one in ten late by hours to days;
    /// a few stall for weeks (the ones still open and red on the dashboard).
    /// </summary>
    private DateTimeOffset PlanFeedbackTime(CaseStory story, DateTimeOffset dispatchedAt, DateTimeOffset acceptedAt, out bool overdue)
    {
        var due = story.HandleDue!.Value;
        var roll = random.NextDouble();
        var emergency = story.Priority == CasePriority.Emergency;
        overdue = roll < (emergency ? 0.05 : 0.13);
        var at = !overdue ? _calendar.AddWorkingTime(dispatchedAt, Allowance(story, CaseStage.Handle) * (0.15 + random.NextDouble() * 0.7))
            : roll < 0.03 && !emergency ? Office(due + TimeSpan.FromDays(8 + random.NextDouble() * 20))
            : Office(due + TimeSpan.FromHours(Math.Pow(random.NextDouble(), 2) * 24 * 7 + 1));
        return at <= acceptedAt ? acceptedAt + Minutes(15, 45) : at;
    }

    /// <summary>督办: a street leader presses a late case a day or three after its deadline.</summary>
    private void PlanSupervision(CaseStory story, DateTimeOffset fedBack)
    {
        var due = story.HandleDue!.Value;
        var at = Office(due + TimeSpan.FromHours(12 + random.NextDouble() * 60));
        if (at < fedBack - TimeSpan.FromMinutes(10))
        {
            Supervise(story, at);
        }
    }

    private void PlanWhistle(CaseStory story, DateTimeOffset acceptedAt, DateTimeOffset fedBack)
    {
        var at = Office(acceptedAt + Minutes(30, 300));
        if (at > fedBack - TimeSpan.FromMinutes(40))
        {
            return;
        }
        var departments = story.Template.WhistleDepartments!
            .Select(code => world.DepartmentIds.GetValueOrDefault(code))
            .Where(id => id != 0 && id != story.DepartmentId && world.HandlersByDepartment.ContainsKey(id))
            .Distinct().ToList();
        if (departments.Count == 0)
        {
            return;
        }
        var team = Team(story);
        var whistler = random.Next(10) switch
        {
            < 5 => Secretary(story),
            < 8 when team.Leader is not null => team.Leader,
            _ => Dispatcher(),
        };
        Whistle(story, at, whistler, departments);
        foreach (var department in departments)
        {
            // Most report within the 2 working hours allowed; some late; a response after feedback never comes.
            var answered = Chance(0.75)
                ? at + Minutes(10, 100)
                : _calendar.AddWorkingTime(at, TimeSpan.FromHours(2.5 + random.NextDouble() * 4));
            if (answered < fedBack - TimeSpan.FromMinutes(5))
            {
                RespondToWhistle(story, answered, Pick(world.HandlersByDepartment[department]));
            }
        }
    }

    private void VerifyAndClose(CaseStory story, DateTimeOffset fedBack, bool locally)
    {
        var verifier = PickVerifier(story, locally);
        var t = VerifyTime(story, fedBack, verifier);
        if (Chance(0.06))
        {
            t = Rework(story, t, verifier, Pick(DemoCasesTexts.ReworkReasons));
            t = Feedback(story, _calendar.AddWorkingTime(t, Allowance(story, CaseStage.Handle) * (0.1 + random.NextDouble() * 0.5)) + Minutes(20, 40));
            t = VerifyTime(story, t, verifier);
        }
        t = Verify(story, t, verifier);

        var canAnswer = story.ReporterPhone is not null && Chance(0.65);
        if (!canAnswer)
        {
            Archive(story, Center(t + Minutes(20, 600)));
            return;
        }
        var answeredAt = Center(t + Minutes(60, 1800));
        if (Chance(0.92))
        {
            // Either side of the archive: a verdict may come in after the case is closed.
            Archive(story, Center(t + Minutes(20, 600)));
            RecordSatisfaction(story, answeredAt, satisfied: true, Chance(0.3) ? Pick(DemoCasesTexts.SatisfiedComments) : null);
            return;
        }
        // Not satisfied (within the window): the answer reopens the case for its handler, who does it again; the center verifies.
        var comment = Pick(DemoCasesTexts.DissatisfiedComments);
        t = RecordSatisfaction(story, answeredAt, satisfied: false, comment);
        var dispatcher = Dispatcher();
        t = Feedback(story, _calendar.AddWorkingTime(t, Allowance(story, CaseStage.Handle) * (0.1 + random.NextDouble() * 0.4)) + Minutes(20, 40));
        t = Verify(story, Center(_calendar.AddWorkingTime(t, Allowance(story, CaseStage.Verify) * (0.2 + random.NextDouble() * 0.7))), dispatcher);
        Archive(story, Center(t + Minutes(20, 480)));
    }

    private StaffMember PickVerifier(CaseStory story, bool locally)
    {
        var team = Team(story);
        var others = team.Everyone.Where(s => s.Id != story.Handler?.Id).ToList();
        var roll = random.NextDouble();
        return locally
            ? roll < 0.5 || others.Count == 0 ? Dispatcher() : Pick(others)
            : roll < 0.35 || others.Count == 0 ? Dispatcher() : team.Leader is not null && roll < 0.55 ? team.Leader : Pick(team.Workers);
    }

    private DateTimeOffset VerifyTime(CaseStory story, DateTimeOffset fedBack, StaffMember verifier)
    {
        var share = Chance(0.12) ? 1.2 + random.NextDouble() * 2 : 0.1 + random.NextDouble() * 0.8;
        var at = _calendar.AddWorkingTime(fedBack, Allowance(story, CaseStage.Verify) * share);
        return verifier.Role == StaffRole.Dispatcher ? Center(at) : Patrol(at);
    }

    // ---- Duplicates: a second report of an open case, merged by the dispatcher ----

    private void PlanDuplicate(List<CaseStory> stories)
    {
        var original = stories[random.Next(stories.Count)];
        if (original.Steps.Count < 2 || original.Steps[0].Action != CaseAction.Report || original.Priority == CasePriority.Emergency
            || original.Steps.Any(s => s.Action is CaseAction.Reject or CaseAction.Void or CaseAction.Merge))
        {
            return;
        }
        var until = Min(original.MergeableUntil, now - Margin);
        var window = until - original.ReportedAt - TimeSpan.FromHours(1);
        if (window < TimeSpan.FromMinutes(30))
        {
            return;
        }
        var reportedAt = original.ReportedAt + TimeSpan.FromMinutes(20) + Min(window, TimeSpan.FromDays(2)) * random.NextDouble() * 0.8;
        var template = original.Template;
        var where = original.Where;
        var story = new CaseStory(stories.Count, template, original.Category, where, original.Priority);
        var t = Report(story, Truncate(reportedAt), Chance(0.5) ? CaseSource.Resident : CaseSource.Hotline);
        var mergeAt = Center(t + Minutes(5, 45));
        if (mergeAt >= until && mergeAt <= now - Margin)
        {
            return; // the original was closed before anyone could merge: this duplicate would hang about unhandled
        }
        Merge(story, mergeAt, original);
        stories.Add(story);
    }

    // ---- Pinned: just before now, so every open state, a yellow warning and an overdue case are always there ----

    private void PlanPinned(List<CaseStory> stories)
    {
        // Rare in a month, but a demo should show them: a burst water main (突发), a dispute the grid had to pass up, a voided report.
        PlanNatural(stories, new StoryOverrides("0902", CasePriority.Emergency, CaseSource.Hotline, MinDaysAgo: 4));
        PlanNatural(stories, new StoryOverrides("1001", CasePriority.Normal, CaseSource.Resident, Escalate: true, MinDaysAgo: 6));
        PlanNatural(stories, new StoryOverrides("0804", CasePriority.Normal, CaseSource.Hotline, Void: true, MinDaysAgo: 3));

        // 待立案: reported minutes ago.
        if (Pinned(stories, "0501") is { } reported)
        {
            Report(reported, now - Minutes(3, 20), CaseSource.Resident);
        }
        // 现场已处置: waiting for the community to confirm.
        if (Pinned(stories, "0806") is { } onSpot)
        {
            ReportOnSpot(onSpot, now - Minutes(30, 150), Pick(Team(onSpot).Workers));
        }
        // 已立案: waiting for dispatch.
        if (Pinned(stories, "0702") is { } registered)
        {
            var t = Report(registered, now - Minutes(35, 60), CaseSource.Hotline);
            Register(registered, Between(t, now, 0.6), Dispatcher());
        }
        // 已派遣: not yet accepted.
        if (Pinned(stories, "0804") is { } dispatched)
        {
            var t = Report(dispatched, now - Minutes(60, 120), CaseSource.GridWorkerPatrol);
            t = Register(dispatched, t + Minutes(5, 15), Dispatcher());
            Dispatch(dispatched, Between(t, now, 0.5), world.DepartmentFor(dispatched.Category, dispatched.Where.GridCode, dispatched.Where.CommunityId));
        }
        // 已退回: returned by the wrong department, waiting for re-dispatch.
        if (Pinned(stories, "0805") is { } returned && world.DepartmentIds.TryGetValue(returned.Template.WrongDepartment!, out var wrong))
        {
            var t = Report(returned, now - Minutes(180, 300), CaseSource.Resident);
            t = Register(returned, t + Minutes(5, 15), Dispatcher());
            t = Dispatch(returned, t + Minutes(5, 15), wrong);
            Return(returned, Between(t, now, 0.7), returned.Template.WrongReason!);
        }
        // 处置中, in their yellow window (80% of the working time used): a one-day and a ten-day matter.
        foreach (var (code, source) in new[] { ("0501", CaseSource.GridWorkerPatrol), ("1003", CaseSource.Hotline) })
        {
            if (Pinned(stories, code) is { } yellow && YellowDispatchTime(yellow) is { } start)
            {
                var t = Report(yellow, start - Minutes(30, 50), source);
                Register(yellow, t + Minutes(5, 15), Dispatcher());
                Dispatch(yellow, start, world.DepartmentFor(yellow.Category, yellow.Where.GridCode, yellow.Where.CommunityId));
                Accept(yellow, start + Minutes(10, 30));
            }
        }
        // 已反馈: waiting for verification.
        if (Pinned(stories, "0801") is { } fedBack)
        {
            var t = Report(fedBack, now - Minutes(150, 240), CaseSource.GridWorkerPatrol);
            t = Register(fedBack, t + Minutes(5, 15), Dispatcher());
            t = Dispatch(fedBack, t + Minutes(5, 15), world.DepartmentFor(fedBack.Category, fedBack.Where.GridCode, fedBack.Where.CommunityId));
            t = Accept(fedBack, t + Minutes(5, 20));
            Feedback(fedBack, Between(t, now, 0.8));
        }
        // 核查通过: waiting for archive.
        if (Pinned(stories, "0302") is { } verified)
        {
            var t = Report(verified, now - Minutes(300, 420), CaseSource.Resident);
            t = Register(verified, t + Minutes(5, 15), Dispatcher());
            t = Dispatch(verified, t + Minutes(5, 15), world.DepartmentFor(verified.Category, verified.Where.GridCode, verified.Where.CommunityId));
            t = Accept(verified, t + Minutes(5, 20));
            t = Feedback(verified, Between(t, now, 0.5));
            Verify(verified, Between(t, now, 0.6), Pick(Team(verified).Workers));
        }
        // Overdue for days, whistled and supervised by the street leader.
        if (Pinned(stories, "0701") is { } overdue)
        {
            var t = Report(overdue, Office(now - TimeSpan.FromDays(10 + random.Next(4))), CaseSource.Hotline);
            t = Register(overdue, t + Minutes(5, 20), Dispatcher());
            t = Dispatch(overdue, t + Minutes(5, 20), world.DepartmentFor(overdue.Category, overdue.Where.GridCode, overdue.Where.CommunityId));
            t = Accept(overdue, Office(t + Minutes(10, 60)));
            if (world.DepartmentIds.TryGetValue(ReferenceData.Housing, out var housing) && housing != overdue.DepartmentId)
            {
                var whistledAt = Whistle(overdue, Office(t + Minutes(60, 180)), Secretary(overdue), [housing]);
                RespondToWhistle(overdue, whistledAt + Minutes(20, 90), Pick(world.HandlersByDepartment[housing]));
            }
            Supervise(overdue, Office(overdue.HandleDue!.Value + TimeSpan.FromDays(1)));
        }
    }

    private CaseStory? Pinned(List<CaseStory> stories, string code)
    {
        var template = _templates.FirstOrDefault(t => t.Code == code);
        if (template is null)
        {
            return null;
        }
        var story = new CaseStory(stories.Count, template, world.Categories[code], PickWhere(template), CasePriority.Normal);
        stories.Add(story);
        return story;
    }

    /// <summary>A dispatch moment whose handling deadline is still ahead while its 80% warning point has passed.</summary>
    private DateTimeOffset? YellowDispatchTime(CaseStory story)
    {
        var limit = CaseDeadlines.LimitFor(story.Category, CaseStage.Handle, story.Priority);
        var candidates = new List<DateTimeOffset>();
        for (var start = Truncate(now) - TimeSpan.FromMinutes(10); start > now - TimeSpan.FromDays(20); start -= TimeSpan.FromMinutes(10))
        {
            if (_calendar.Add(start, limit) <= now)
            {
                break;
            }
            if (_calendar.WarningPoint(start, limit) <= now - Margin && start < now - TimeSpan.FromHours(1))
            {
                candidates.Add(start);
            }
        }
        return candidates.Count == 0 ? null : candidates[candidates.Count / 2];
    }

    // ---- Steps: each appends one workflow call and keeps the plan's view of the case up to date ----

    private DateTimeOffset Report(CaseStory story, DateTimeOffset at, CaseSource source)
    {
        var team = Team(story);
        var (actor, name, phone) = source switch
        {
            CaseSource.GridWorkerPatrol => Staff(team.Leader is not null && Chance(0.15) ? team.Leader : Pick(team.Workers)),
            CaseSource.LeaderInstruction => Staff(Pick(world.StreetLeaders)),
            CaseSource.Hotline => Caller(hotline: true),
            _ => Caller(hotline: false),
        };
        var description = Fill(Pick(story.Template.Descriptions), story.Where.Place);
        if (source == CaseSource.LeaderInstruction)
        {
            description = "街道领导检查发现：" + description;
        }
        if (story.Where.ComponentCode is { } code)
        {
            description += $"（部件编码{code}）";
        }
        var photos = PhotoSeeds(source switch
        {
            CaseSource.GridWorkerPatrol => random.Next(1, 3),
            CaseSource.Resident => random.Next(0, 2),
            _ => 0,
        });
        story.ReporterPhone = source is CaseSource.Resident or CaseSource.Hotline ? phone : null;
        if (story.Priority == CasePriority.Emergency)
        {
            // 突发: the workflow registers and dispatches it at once.
            story.DepartmentId = world.DepartmentFor(story.Category, story.Where.GridCode, story.Where.CommunityId);
            story.Handler = Pick(world.HandlersByDepartment[story.DepartmentId.Value]);
            story.HandleDue = Due(story, CaseStage.Handle, at);
        }
        return Add(story, at, CaseAction.Report, (w, s, ct) => w.ReportAsync(new ReportCase(s.Category.Id, description, s.Where.Longitude, s.Where.Latitude,
            s.Where.Address, source, s.Priority, name, phone, Uploads(photos, "现场照片")), actor, ct));
    }

    private DateTimeOffset ReportOnSpot(CaseStory story, DateTimeOffset at, StaffMember worker)
    {
        var description = Fill(Pick(story.Template.Descriptions), story.Where.Place);
        var result = Fill(Pick(story.Template.OnSpotResults!), story.Where.Place);
        var actor = world.Actor(worker);
        var before = PhotoSeeds(1);
        var after = PhotoSeeds(1);
        story.Handler = worker;
        return Add(story, at, CaseAction.ReportHandledOnSpot, (w, s, ct) => w.ReportHandledOnSpotAsync(
            new ReportHandledOnSpot(s.Category.Id, description, s.Where.Longitude, s.Where.Latitude, s.Where.Address, result,
                [.. Uploads(before, "处置前"), .. Uploads(after, "处置后")]), actor, ct));
    }

    private DateTimeOffset ConfirmOnSpot(CaseStory story, DateTimeOffset at, StaffMember by)
    {
        var actor = world.Actor(by);
        return Add(story, at, CaseAction.ConfirmOnSpot, (w, s, ct) => w.ConfirmOnSpotAsync(s.CaseId!.Value, actor, ct));
    }

    private DateTimeOffset Register(CaseStory story, DateTimeOffset at, StaffMember by)
    {
        var actor = world.Actor(by);
        return Add(story, at, CaseAction.Register, (w, s, ct) => w.RegisterAsync(s.CaseId!.Value, actor, null, null, cancellationToken: ct));
    }

    private DateTimeOffset Reject(CaseStory story, DateTimeOffset at, string reason)
    {
        var actor = world.Actor(Dispatcher());
        return Add(story, at, CaseAction.Reject, (w, s, ct) => w.RejectAsync(s.CaseId!.Value, actor, reason, ct));
    }

    private DateTimeOffset Merge(CaseStory story, DateTimeOffset at, CaseStory original)
    {
        var actor = world.Actor(Dispatcher());
        return Add(story, at, CaseAction.Merge, (w, s, ct) => w.MergeAsync(s.CaseId!.Value,
            original.CaseId ?? throw new InvalidOperationException($"demo case {original.Index} was not reported"), actor, ct));
    }

    private DateTimeOffset Dispatch(CaseStory story, DateTimeOffset at, int departmentId)
    {
        var actor = world.Actor(Dispatcher());
        story.DepartmentId = departmentId;
        story.Handler = Pick(world.HandlersByDepartment[departmentId]);
        story.HandleDue = Due(story, CaseStage.Handle, at);
        return Add(story, at, CaseAction.Dispatch, (w, s, ct) => w.DispatchAsync(s.CaseId!.Value, actor, departmentId, cancellationToken: ct));
    }

    private DateTimeOffset AssignLocally(CaseStory story, DateTimeOffset at, StaffMember by, StaffMember assignee)
    {
        var actor = world.Actor(by);
        story.DepartmentId = null;
        story.Handler = assignee;
        story.HandleDue = Due(story, CaseStage.Handle, at);
        return Add(story, at, CaseAction.AssignLocally, (w, s, ct) => w.AssignLocallyAsync(s.CaseId!.Value, actor, assignee.Id, cancellationToken: ct));
    }

    private DateTimeOffset Accept(CaseStory story, DateTimeOffset at)
    {
        var actor = world.Actor(story.Handler!);
        return Add(story, at, CaseAction.Accept, (w, s, ct) => w.AcceptAsync(s.CaseId!.Value, actor, ct));
    }

    private DateTimeOffset Return(CaseStory story, DateTimeOffset at, string reason)
    {
        var actor = world.Actor(story.Handler!);
        story.DepartmentId = null;
        story.Handler = null;
        story.HandleDue = null;
        return Add(story, at, CaseAction.Return, (w, s, ct) => w.ReturnAsync(s.CaseId!.Value, actor, reason, ct));
    }

    private DateTimeOffset Escalate(CaseStory story, DateTimeOffset at, StaffMember by)
    {
        var actor = world.Actor(by);
        var reason = Pick(DemoCasesTexts.EscalateReasons);
        story.DepartmentId = null;
        story.Handler = null;
        story.HandleDue = null;
        return Add(story, at, CaseAction.Escalate, (w, s, ct) => w.EscalateAsync(s.CaseId!.Value, actor, reason, ct));
    }

    private DateTimeOffset Feedback(CaseStory story, DateTimeOffset at)
    {
        var actor = world.Actor(story.Handler!);
        var result = Fill(Pick(story.Template.Results), story.Where.Place);
        var photos = PhotoSeeds(random.Next(1, 3));
        // The workflow keeps the explanation only when the feedback is late (and then requires it).
        var explanation = Pick(DemoCasesTexts.LateExplanations);
        return Add(story, at, CaseAction.SubmitFeedback, (w, s, ct) => w.SubmitFeedbackAsync(s.CaseId!.Value, actor, result, Uploads(photos, "处置后"), ct, explanation));
    }

    private DateTimeOffset Verify(CaseStory story, DateTimeOffset at, StaffMember by)
    {
        var actor = world.Actor(by);
        var note = by.Role == StaffRole.Dispatcher ? DemoCasesTexts.VerifyNotes[1] : Pick(DemoCasesTexts.VerifyNotes);
        var photos = PhotoSeeds(by.Role == StaffRole.Dispatcher ? 0 : random.Next(0, 2));
        return Add(story, at, CaseAction.Verify, (w, s, ct) => w.VerifyAsync(s.CaseId!.Value, actor, note, Uploads(photos, "核查照片"), ct));
    }

    private DateTimeOffset Rework(CaseStory story, DateTimeOffset at, StaffMember by, string reason)
    {
        var actor = world.Actor(by);
        story.HandleDue = Due(story, CaseStage.Handle, at);
        return Add(story, at, CaseAction.Rework, (w, s, ct) => w.ReworkAsync(s.CaseId!.Value, actor, reason, ct));
    }

    private DateTimeOffset Archive(CaseStory story, DateTimeOffset at)
    {
        var actor = world.Actor(Dispatcher());
        return Add(story, at, CaseAction.Archive, (w, s, ct) => w.ArchiveAsync(s.CaseId!.Value, actor, cancellationToken: ct));
    }

    private DateTimeOffset Void(CaseStory story, DateTimeOffset at)
    {
        var actor = world.Actor(Dispatcher());
        var reason = Pick(DemoCasesTexts.VoidReasons);
        return Add(story, at, CaseAction.Void, (w, s, ct) => w.VoidAsync(s.CaseId!.Value, actor, reason, ct));
    }

    private DateTimeOffset Supervise(CaseStory story, DateTimeOffset at)
    {
        var actor = world.Actor(Pick(world.StreetLeaders));
        var note = Pick(DemoCasesTexts.SupervisionNotes);
        return Add(story, at, CaseAction.Supervise, (w, s, ct) => w.SuperviseAsync(s.CaseId!.Value, actor, note, ct));
    }

    private DateTimeOffset Whistle(CaseStory story, DateTimeOffset at, StaffMember by, IReadOnlyCollection<int> departmentIds)
    {
        var actor = world.Actor(by);
        return Add(story, at, CaseAction.Whistle, (w, s, ct) => w.WhistleAsync(s.CaseId!.Value, actor, departmentIds, cancellationToken: ct));
    }

    private DateTimeOffset RespondToWhistle(CaseStory story, DateTimeOffset at, StaffMember handler)
    {
        var actor = world.Actor(handler);
        var response = Pick(DemoCasesTexts.WhistleResponses);
        return Add(story, at, CaseAction.RespondToWhistle, (w, s, ct) => w.RespondToWhistleAsync(s.CaseId!.Value, actor, response, ct));
    }

    private DateTimeOffset RecordSatisfaction(CaseStory story, DateTimeOffset at, bool satisfied, string? comment)
    {
        var phone = story.ReporterPhone!;
        return Add(story, at, CaseAction.RecordSatisfaction, (w, s, ct) => w.RecordSatisfactionAsync(s.Number!, phone, satisfied, comment, ct));
    }

    /// <summary>Appends a step at the whole minute; steps are planned in causal order, each timed after what it depends on.</summary>
    private static DateTimeOffset Add(CaseStory story, DateTimeOffset at, CaseAction action, Func<CaseWorkflowService, CaseStory, CancellationToken, Task<Case>> run)
    {
        at = Truncate(at);
        story.Steps.Add(new StoryStep(at, story.Steps.Count, action, run));
        return at;
    }

    // ---- Who, where, what ----

    private CaseSource PickSource(DemoCaseTemplate template)
    {
        // Patrols find most street problems; residents and the hotline bring most disputes and requests.
        int[] weights = template.Code[0] == '1' ? [30, 40, 28, 2] : template.Code.StartsWith("09", StringComparison.Ordinal) ? [40, 30, 30, 0] : [65, 17, 16, 2];
        return Sources[DemoStreetNames.Pick(DemoStreetNames.Cumulative(weights), random)];
    }

    private CasePriority PickPriority(DemoCaseTemplate template) => template.Code switch
    {
        _ when template.Code.StartsWith("09", StringComparison.Ordinal) => Chance(0.75) ? CasePriority.Emergency : CasePriority.Urgent,
        "0101" or "0102" or "0103" or "0105" or "0106" or "0109" => Chance(0.35) ? CasePriority.Urgent : CasePriority.Normal,
        "1101" or "1102" or "1105" or "1107" => Chance(0.2) ? CasePriority.Urgent : CasePriority.Normal,
        _ => Chance(0.05) ? CasePriority.Urgent : CasePriority.Normal,
    };

    private DemoWhere PickWhere(DemoCaseTemplate template)
    {
        if (template.Place == DemoPlace.Component && world.ComponentsByCategory.TryGetValue(template.Code, out var components))
        {
            var usable = components.Where(c => world.Teams.TryGetValue(c.GridCode, out var team) && team.Workers.Count > 0).ToList();
            if (usable.Count > 0)
            {
                var component = Pick(usable);
                var (road, number) = DemoCasesWorld.SplitAddress(component.Address) ?? (DemoStreetNames.RoadName(random), Number(1, 300));
                return new DemoWhere(component.GridCode, world.Teams[component.GridCode].CommunityId, component.Longitude, component.Latitude,
                    $"{road}{number}号附近", $"{DemoStreetNames.StreetName}{road}{number}号附近", component.Code);
            }
        }
        var grid = world.SpotsByGrid[random.Next(world.SpotsByGrid.Count)];
        var spot = grid[random.Next(grid.Count)];
        var (spotRoad, spotNumber) = DemoCasesWorld.SplitAddress(spot.Address) ?? (DemoStreetNames.RoadName(random), Number(1, 300));
        var compound = spot.Compound ?? $"{spotRoad}{spotNumber}号院";
        var building = spot.Building ?? $"{random.Next(1, 12)}幢";
        var shop = spot.ShopName ?? "沿街商铺";
        var street = DemoStreetNames.StreetName;
        var (place, address) = template.Place switch
        {
            DemoPlace.Shop => ($"{spotRoad}{spotNumber}号{shop}门前", $"{street}{spotRoad}{spotNumber}号"),
            DemoPlace.Compound => (Pick([$"{compound}{building}楼下", $"{compound}{building}旁", $"{compound}{building}东侧空地", $"{compound}南门口"]),
                $"{street}{compound}{building}"),
            DemoPlace.Stairwell => ($"{compound}{building}{random.Next(1, 4)}单元楼道", $"{street}{compound}{building}"),
            DemoPlace.Home => Room(compound, building, street),
            _ => (Pick([$"{spotRoad}{spotNumber}号附近人行道", $"{spotRoad}{spotNumber}号{shop}旁", $"{compound}门口的{spotRoad}路边"]),
                $"{street}{spotRoad}{spotNumber}号"),
        };
        return new DemoWhere(spot.GridCode, spot.CommunityId, spot.Longitude, spot.Latitude, place, address, null);
    }

    private (string Place, string Address) Room(string compound, string building, string street)
    {
        var room = $"{compound}{building}{random.Next(1, 7)}0{random.Next(1, 4)}室";
        return (room, street + room);
    }

    private (CaseActor Actor, string Name, string? Phone) Staff(StaffMember staff) => (world.Actor(staff), staff.Name, staff.Phone);

    private (CaseActor Actor, string Name, string? Phone) Caller(bool hotline)
    {
        var sex = Chance(0.5) ? Sex.Male : Sex.Female;
        // 12345 tickets often carry only the caller's surname and title.
        var name = hotline && Chance(0.5)
            ? DemoStreetNames.Surname(random) + (sex == Sex.Male ? "先生" : "女士")
            : DemoStreetNames.FullName(sex, now.Year - random.Next(22, 80), random);
        return (CaseActor.Public(name), name, DemoStreetNames.MobilePhone(random));
    }

    private string Fill(string text, string place) => text
        .Replace("{at}", place, StringComparison.Ordinal)
        .Replace("{a}", Number(2, 5), StringComparison.Ordinal)
        .Replace("{b}", Number(5, 15), StringComparison.Ordinal)
        .Replace("{l}", Number(3, 6), StringComparison.Ordinal)
        .Replace("{m}", Number(10, 60), StringComparison.Ordinal)
        .Replace("{c}", Number(20, 40), StringComparison.Ordinal)
        .Replace("{plate}", Plate(), StringComparison.Ordinal);

    private string Plate()
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        return $"苏E·{letters[random.Next(letters.Length)]}{Number(10000, 99999)}";
    }

    private string Number(int min, int max) => random.Next(min, max + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Photos are drawn when the step runs, from seeds fixed by the plan, so planning stays light and repeatable.</summary>
    private int[] PhotoSeeds(int count) => Enumerable.Range(0, count).Select(_ => random.Next()).ToArray();

    private static List<EvidenceUpload> Uploads(int[] seeds, string name) =>
        seeds.Select((seed, i) => new EvidenceUpload(
            seeds.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $"{name}{i + 1}.png") : name + ".png",
            new MemoryStream(DemoCasesPng.Create(seed)))).ToList();

    private DemoGridTeam Team(CaseStory story) => world.Teams[story.Where.GridCode];

    /// <summary>The community's secretary; the center's dispatchers may take each of their steps when there is none.</summary>
    private StaffMember Secretary(CaseStory story) => world.SecretaryByCommunity.GetValueOrDefault(story.Where.CommunityId) ?? Dispatcher();

    private StaffMember Dispatcher() => Pick(world.Dispatchers);

    // ---- Time ----

    private DateTimeOffset PickReportTime(CaseSource source, int minDaysAgo = 0)
    {
        var today = WorkingCalendar.ToChinaTime(now).Date;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var day = today.AddDays(-random.Next(minDaysAgo, days));
            var hours = source switch
            {
                CaseSource.GridWorkerPatrol => 8 + random.NextDouble() * 9.5,
                CaseSource.Resident => 7 + random.NextDouble() * 14.5,
                CaseSource.Hotline => Chance(0.9) ? 8 + random.NextDouble() * 12 : random.NextDouble() * 24,
                _ => 9 + random.NextDouble() * 8,
            };
            var at = new DateTimeOffset(day.AddHours(hours), WorkingCalendar.ChinaOffset).ToUniversalTime();
            if (at < now - TimeSpan.FromMinutes(10))
            {
                return at;
            }
        }
        return now - TimeSpan.FromHours(1 + random.NextDouble() * 24 * days);
    }

    /// <summary>Department handlers, secretaries and street leaders act in office hours.</summary>
    private DateTimeOffset Office(DateTimeOffset at) =>
        _calendar.IsWorkingTime(at) ? at : _calendar.NextWorkingMoment(at) + Minutes(3, 40);

    /// <summary>The grid center's seats are staffed 07:30–22:00 every day.</summary>
    private DateTimeOffset Center(DateTimeOffset at) => Daily(at, new TimeOnly(7, 30), new TimeOnly(22, 0), 45);

    /// <summary>Grid workers patrol 08:00–18:00, weekends by rota.</summary>
    private DateTimeOffset Patrol(DateTimeOffset at) => Daily(at, new TimeOnly(8, 0), new TimeOnly(18, 0), 60);

    private DateTimeOffset Daily(DateTimeOffset at, TimeOnly open, TimeOnly close, int spreadMinutes)
    {
        var china = WorkingCalendar.ToChinaTime(at);
        var time = TimeOnly.FromDateTime(china.DateTime);
        if (time >= open && time < close)
        {
            return at;
        }
        var day = time < open ? china.Date : china.Date.AddDays(1);
        return new DateTimeOffset(day + open.ToTimeSpan(), WorkingCalendar.ChinaOffset).ToUniversalTime() + Minutes(0, spreadMinutes);
    }

    private DateTimeOffset Due(CaseStory story, CaseStage stage, DateTimeOffset start) =>
        _calendar.Add(Truncate(start), CaseDeadlines.LimitFor(story.Category, stage, story.Priority));

    private TimeSpan Allowance(CaseStory story, CaseStage stage) =>
        _calendar.Allowance(CaseDeadlines.LimitFor(story.Category, stage, story.Priority));

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to, double share) => from + (to - Margin - from) * share;

    private TimeSpan Minutes(int min, int max) => TimeSpan.FromMinutes(min + random.NextDouble() * (max - min));

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private bool Chance(double probability) => random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
