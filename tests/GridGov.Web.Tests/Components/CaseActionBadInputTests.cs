using System.Text;
using Bunit;
using GridGov.Application.Cases;
using GridGov.Domain.Cases;
using GridGov.Domain.Common;
using GridGov.Web.Tests.Infrastructure;
using GridGov.Web.Tests.Ledgers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GridGov.Web.Tests.Inbox.InboxCases;

namespace GridGov.Web.Tests.Components;

/// <summary>
/// The bad inputs the corpus used to post to the case page's action forms, now that the page is interactive: typed into
/// the page's fields with bUnit where the page has a field for them (each answered with a Chinese message on the
/// page), otherwise sent to the workflow service the page calls, as a forged request would be (each refused with a
/// DomainException). No server error, and nothing written: the cases' history, state, photos and extensions stay.
/// Inputs a typed select cannot produce any more (category "abc", priority "Bogus", an unknown action name, a form
/// posted without an antiforgery token) have no way into the interactive page.
/// </summary>
public sealed class CaseActionBadInputTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Script = "<script>alert('gg')</script>";

    private static string Long(int length) => new('长', length);

    [Fact]
    public async Task Bad_case_action_inputs_get_a_chinese_refusal_no_server_error_and_write_nothing()
    {
        var reported = await app.ResidentReportAsync();
        var dispatched = await app.DispatchedToHandler1Async();
        var inProgress = await app.DispatchedToHandler1Async();
        var handler = await app.ActorAsync("handler1");
        await app.DoAsync(s => s.AcceptAsync(inProgress.Id, handler));
        var dispatcher = await app.ActorAsync("dispatcher1");
        var worker = await app.ActorAsync("worker1");
        var department = handler.DepartmentId!.Value;
        int[] ids = [reported.Id, dispatched.Id, inProgress.Id];
        var before = await FingerprintAsync(ids);
        var failures = new List<string>();
        var tried = 0;

        async Task OnPageAsync(string userName, Case @case, string action, string name, Action<IRenderedComponent<GridGov.Web.Components.Pages.Cases.CaseDetail>> fill)
        {
            tried++;
            try
            {
                await using var harness = await ComponentHarness.SignedInAsync(app, userName);
                var page = harness.OpenCase(@case.Number);
                fill(page);
                page.Submit(harness, action);
                var message = page.WaitForRefusal(action);
                if (!message.Any(c => c >= '\u4e00' && c <= '\u9fff'))
                {
                    failures.Add($"{action} {name}: no Chinese message ({message})");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"{action} {name}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        async Task ForgedAsync(string name, CaseActor actor, Func<CaseWorkflowService, Task> call)
        {
            tried++;
            try
            {
                await app.WithAsync(async provider =>
                {
                    await call(provider.GetRequiredService<CaseWorkflowService>());
                    return true;
                });
                failures.Add($"{name}: went through");
            }
            catch (DomainException exception) when (exception.Message.Any(c => c >= '\u4e00' && c <= '\u9fff'))
            {
                // refused, in Chinese
            }
            catch (Exception exception)
            {
                failures.Add($"{name}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        // ---- A reported case, as the dispatcher ----
        await OnPageAsync("dispatcher1", reported, "Register", "note over-long", p => p.Type("Register", "note", Long(3000)));
        await OnPageAsync("dispatcher1", reported, "Reject", "no reason", _ => { });
        await OnPageAsync("dispatcher1", reported, "Reject", "over-long reason", p => p.Type("Reject", "reason", Long(3000)));
        await OnPageAsync("dispatcher1", reported, "Merge", "original abc", p => p.Type("Merge", "original", "abc"));
        await OnPageAsync("dispatcher1", reported, "Merge", "original itself", p => p.Type("Merge", "original", reported.Number));
        await OnPageAsync("dispatcher1", reported, "Merge", "original that does not exist", p => p.Type("Merge", "original", "99999999999999"));
        await OnPageAsync("dispatcher1", reported, "Void", "no reason", _ => { });
        foreach (var (label, control) in new[] { ("NUL", "\0"), ("ESC", "\u001b") })
        {
            await OnPageAsync("dispatcher1", reported, "Reject", $"control character {label} in the reason", p => p.Type("Reject", "reason", "重复上报" + control + "x"));
        }
        await ForgedAsync("Register category 99999999", dispatcher, s => s.RegisterAsync(reported.Id, dispatcher, 99999999, CasePriority.Normal));
        await ForgedAsync("Archive in the wrong state", dispatcher, s => s.ArchiveAsync(reported.Id, dispatcher));
        await ForgedAsync("Dispatch in the wrong state", dispatcher, s => s.DispatchAsync(reported.Id, dispatcher, department));
        await ForgedAsync("CallBack in the wrong state", dispatcher, s => s.RecordCallBackAsync(reported.Id, dispatcher, true, SatisfactionChannel.PhoneCallBack, Long(3000)));

        // ---- A case dispatched to handler1's department ----
        await OnPageAsync("handler1", dispatched, "Return", "no reason", _ => { });
        await OnPageAsync("handler1", dispatched, "Return", "over-long reason", p => p.Type("Return", "reason", Long(3000)));
        await ForgedAsync("SubmitFeedback before accepting", handler, s => s.SubmitFeedbackAsync(dispatched.Id, handler, "已处理", [Photo()]));
        await ForgedAsync("Whistle by a handler", handler, s => s.WhistleAsync(dispatched.Id, handler, [department]));
        await ForgedAsync("Accept by a grid worker", worker, s => s.AcceptAsync(dispatched.Id, worker));

        // ---- A case in progress at handler1's department ----
        await OnPageAsync("handler1", inProgress, "SubmitFeedback", "no text, no photo", _ => { });
        await OnPageAsync("handler1", inProgress, "SubmitFeedback", "a text file named .jpg", p =>
        {
            p.Type("SubmitFeedback", "result", "已处理");
            p.ChoosePhotos("SubmitFeedback", ("done.jpg", Encoding.UTF8.GetBytes("not a picture")));
        });
        await OnPageAsync("handler1", inProgress, "SubmitFeedback", "script text, no photo", p => p.Type("SubmitFeedback", "result", Script));
        await OnPageAsync("handler1", inProgress, "RequestExtension", "due abc", p =>
        {
            p.Type("RequestExtension", "due", "abc");
            p.Type("RequestExtension", "reason", "需要协调施工队");
        });
        await OnPageAsync("handler1", inProgress, "RequestExtension", "due in the past", p =>
        {
            p.Type("RequestExtension", "due", "2020-01-01T09:00");
            p.Type("RequestExtension", "reason", "需要协调施工队");
        });
        await OnPageAsync("handler1", inProgress, "RequestExtension", "no reason", p => p.Type("RequestExtension", "due", "2099-01-01T09:00"));
        await OnPageAsync("handler1", inProgress, "RequestExtension", "over-long reason", p =>
        {
            p.Type("RequestExtension", "due", "2099-01-01T09:00");
            p.Type("RequestExtension", "reason", Long(3000));
        });
        await ForgedAsync("ApproveExtension with nothing pending", dispatcher, s => s.ApproveExtensionAsync(inProgress.Id, dispatcher, null));
        await ForgedAsync("RefuseExtension with nothing pending", dispatcher, s => s.RefuseExtensionAsync(inProgress.Id, dispatcher, "不同意"));
        await ForgedAsync("EndCoHandling with nobody waiting", handler, s => s.EndCoHandlingAsync(inProgress.Id, handler, "协办部门未答复"));
        await ForgedAsync("AcceptCoHandling by no co-handler", handler, s => s.AcceptCoHandlingAsync(inProgress.Id, handler));
        await ForgedAsync("SubmitCoHandlingOpinion by no co-handler, script text", handler, s => s.SubmitCoHandlingOpinionAsync(inProgress.Id, handler, Script, []));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(30, tried);
        Assert.Equal(before, await FingerprintAsync(ids));
    }

    private Task<string> FingerprintAsync(int[] ids) => app.DbAsync(async db =>
    {
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.State, c.CategoryId, c.Priority, c.MergedIntoCaseId, c.HandleDue, History = c.History.Count, Photos = c.Evidence.Count, Extensions = c.Extensions.Count })
            .ToListAsync();
        return string.Join("|", cases.Select(c => c.ToString()));
    });
}
