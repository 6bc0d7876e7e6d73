using System.Net;
using System.Text.RegularExpressions;
using GridGov.Domain.Audit;
using GridGov.Domain.Ledgers;
using Microsoft.EntityFrameworkCore;

namespace GridGov.Web.Tests.Security;

/// <summary>
/// Hole 1 of issue 11: the resident search must tell nobody anything about a personal number they may not reveal.
/// The attack it guards against: a role that sees <c>320504********8813</c> searched by the visible start plus one
/// guessed digit and learned each hidden digit from whether the resident came back (42 requests for a whole number).
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed partial class PersonalNumberSearchTests(SecurityFixture app)
{
    /// <summary>Every role that sees residents in the fixture's grid (department handlers see no people at all).</summary>
    public static TheoryData<Who> PeopleRoles() =>
        [Who.Dispatcher, Who.CommunitySecretary, Who.GridLeader, Who.GridWorker, Who.StreetLeader, Who.Administrator];

    private Task<Resident> TargetAsync() => app.DbAsync(db =>
        db.Residents.AsNoTracking()
            .Where(r => r.GridId == app.Ids.GridId && r.RemovedAt == null && r.Phone != null && r.Phone.Length == 11)
            .OrderBy(r => r.Id).FirstAsync());

    private async Task<string> ResultsAsync(Who who, string q)
    {
        using var response = await app.Client(who).GetAsync($"/ledgers/residents?grid={app.Ids.GridCode}&q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        // The results block only: the search box echoes the person's own query.
        return ResultsBlock().Match(html) is { Success: true } match ? match.Value : throw new Xunit.Sdk.XunitException($"no results block for {who}");
    }

    [Theory]
    [MemberData(nameof(PeopleRoles))]
    public async Task Guessing_the_next_hidden_digit_of_an_id_number_or_phone_learns_nothing(Who who)
    {
        var target = await TargetAsync();
        // The characters the masked list shows, then every candidate for the next one, at the start, the middle and
        // the end of the hidden part (a guess of the last character is a whole number: see the look-up budget).
        var guesses = new[]
        {
            (Known: target.IdNumber[..6], Alphabet: "0123456789X"),
            (Known: target.IdNumber[..12], Alphabet: "0123456789"),
            (Known: target.IdNumber[..16], Alphabet: "0123456789X"),
            (Known: target.Phone![..3], Alphabet: "0123456789"),
            (Known: target.Phone![..9], Alphabet: "0123456789"),
        };

        foreach (var (known, alphabet) in guesses)
        {
            var answers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var digit in alphabet)
            {
                var results = await ResultsAsync(who, known + digit);
                Assert.DoesNotContain($"data-resident-id=\"{target.Id}\"", results, StringComparison.Ordinal);
                Assert.Contains("resident-whole-numbers", results, StringComparison.Ordinal);
                answers.Add(results);
            }
            // A guess that changed the answer in any way would single out the right digit.
            Assert.Single(answers);
        }
    }

    [Theory]
    [MemberData(nameof(PeopleRoles))]
    public async Task A_whole_id_number_or_phone_finds_its_resident_and_is_audited_as_a_look_up(Who who)
    {
        var target = await TargetAsync();
        var before = await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup));

        foreach (var whole in new[] { target.IdNumber, target.Phone! })
        {
            var results = await ResultsAsync(who, whole);
            Assert.Contains($"data-resident-id=\"{target.Id}\"", results, StringComparison.Ordinal);
            Assert.DoesNotContain("resident-whole-numbers", results, StringComparison.Ordinal);
            // Found, but still masked in the list.
            Assert.DoesNotContain(whole, results, StringComparison.Ordinal);
        }

        var lookups = await app.DbAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditAction.Lookup).OrderByDescending(e => e.Id).Take(2).ToListAsync());
        Assert.Equal(before + 2, await app.DbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Lookup)));
        Assert.All(lookups, e => Assert.Equal(SecurityFixture.UserNames[who], e.ActorUserName));
        Assert.All(lookups, e => Assert.Equal(nameof(Resident), e.EntityType));
        Assert.Contains(lookups, e => e.Detail!.Contains(Application.Ledgers.Masking.IdNumber(target.IdNumber), StringComparison.Ordinal));
        Assert.Contains(lookups, e => e.Detail!.Contains(Application.Ledgers.Masking.Phone(target.Phone)!, StringComparison.Ordinal));
        // The audit log keeps the look-up, not the number.
        Assert.All(lookups, e => Assert.DoesNotContain(target.IdNumber, e.Detail!, StringComparison.Ordinal));
        Assert.All(lookups, e => Assert.DoesNotContain(target.Phone!, e.Detail!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_search_still_finds_by_the_start_of_the_name()
    {
        var target = await TargetAsync();
        var results = await ResultsAsync(Who.GridWorker, target.Name[..1]);
        Assert.DoesNotContain("resident-whole-numbers", results, StringComparison.Ordinal);
        Assert.Contains($"data-resident-id=\"{target.Id}\"", await ResultsAsync(Who.GridWorker, target.Name), StringComparison.Ordinal);
    }

    [GeneratedRegex("<div id=\"resident-results\".*?data-testid=\"ledger-count\".*?</p>", RegexOptions.Singleline)]
    private static partial Regex ResultsBlock();
}
