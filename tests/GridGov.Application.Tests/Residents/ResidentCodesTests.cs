using System.Text;
using System.Text.RegularExpressions;
using GridGov.Application.Residents;
using GridGov.Domain.Common;
using GridGov.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Application.Tests.Residents;

/// <summary>One-time codes (短信验证码): sent at once through the SMS gateway over real HTTP, kept hashed, short-lived, few tries, limited.</summary>
public sealed partial class ResidentCodesTests(ResidentScenario scenario) : IClassFixture<ResidentScenario>
{
    private Task<ResidentCodeSent> RequestAsync(string phone, string address = "10.1.0.1") =>
        scenario.WithAsync(p => p.GetRequiredService<ResidentCodes>().RequestAsync(phone, address));

    private Task<string> ConfirmAsync(string phone, string? code) =>
        scenario.WithAsync(p => p.GetRequiredService<ResidentCodes>().ConfirmAsync(phone, code));

    private string CodeSentTo(string phone) =>
        Digits().Match(scenario.Gateway.To(phone)[^1].Params["content"]) is { Success: true } match ? match.Value : throw new InvalidOperationException("no code in the SMS");

    [Fact]
    public async Task A_code_goes_out_at_once_through_the_gateway_is_stored_only_hashed_and_confirms_the_phone_once()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13700000001";

        var sent = await RequestAsync(phone);

        Assert.Equal("137****0001", sent.MaskedPhone);
        var code = CodeSentTo(phone); // at the gateway already: nobody ran the outbox
        var stored = await scenario.DbAsync(db => db.ResidentCodes.AsNoTracking().SingleAsync(c => c.Phone == phone));
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(code, Encoding.ASCII.GetString(stored.SecretHash));
        var record = await scenario.DbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.RecipientPhone == phone && n.Kind == NotificationKind.ResidentCode));
        Assert.Equal(DeliveryStatus.Sent, record.Status);
        Assert.DoesNotContain(code, record.Body);
        // The code as a number of its own (not six digits that happen to sit inside a timestamp or an id of another row).
        var pattern = $"(^|[^0-9]){code}([^0-9]|$)";
        Assert.Equal(0, await scenario.DbAsync(db => db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM audit_entries WHERE after::text ~ {pattern}").SingleAsync()));
        Assert.True(await scenario.DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == "ResidentCode"))); // the row is audited, its secret redacted

        Assert.Equal(phone, await ConfirmAsync(phone, code));
        var again = await Assert.ThrowsAsync<DomainException>(() => ConfirmAsync(phone, code));
        Assert.Equal("resident.code-used", again.Code);
    }

    [Fact]
    public async Task A_code_expires_after_five_minutes()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13700000002";
        await RequestAsync(phone);
        var code = CodeSentTo(phone);
        scenario.Clock.Advance(TimeSpan.FromSeconds(301));

        var refused = await Assert.ThrowsAsync<DomainException>(() => ConfirmAsync(phone, code));

        Assert.Equal("resident.code-expired", refused.Code);
        Assert.Null(await scenario.DbAsync(db => db.ResidentCodes.Where(c => c.Phone == phone).Select(c => c.ConfirmedAt).SingleAsync()));
    }

    [Fact]
    public async Task Five_wrong_codes_use_the_code_up_and_the_right_one_is_then_refused_too()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13700000003";
        await RequestAsync(phone);
        var code = CodeSentTo(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var left = 4; left >= 1; left--)
        {
            var refused = await Assert.ThrowsAsync<DomainException>(() => ConfirmAsync(phone, wrong));
            Assert.Equal(("resident.code-wrong", $"验证码不正确，还可以再试{left}次"), (refused.Code, refused.Message));
        }
        Assert.Equal("resident.code-attempts", (await Assert.ThrowsAsync<DomainException>(() => ConfirmAsync(phone, wrong))).Code);
        Assert.Equal("resident.code-attempts", (await Assert.ThrowsAsync<DomainException>(() => ConfirmAsync(phone, code))).Code);
        Assert.Equal(5, await scenario.DbAsync(db => db.ResidentCodes.Where(c => c.Phone == phone).Select(c => c.FailedAttempts).SingleAsync()));
    }

    [Fact]
    public async Task One_code_per_phone_per_minute_and_a_daily_cap_per_phone()
    {
        await scenario.UseGatewayAsync();
        const string phone = "13700000004";
        await RequestAsync(phone, "10.1.0.4");
        var tooSoon = await Assert.ThrowsAsync<DomainException>(() => RequestAsync(phone, "10.1.0.4"));
        Assert.Equal("resident.code-too-soon", tooSoon.Code);
        Assert.Single(scenario.Gateway.To(phone));

        for (var i = 1; i < ResidentScenario.CodesPerPhone; i++)
        {
            scenario.Clock.Advance(TimeSpan.FromSeconds(61));
            await RequestAsync(phone, "10.1.0.4");
        }
        scenario.Clock.Advance(TimeSpan.FromSeconds(61));
        var capped = await Assert.ThrowsAsync<DomainException>(() => RequestAsync(phone, "10.1.0.4"));

        Assert.Equal("resident.code-phone-cap", capped.Code);
        Assert.Equal(ResidentScenario.CodesPerPhone, scenario.Gateway.To(phone).Count);
    }

    [Fact]
    public async Task A_client_address_gets_a_daily_cap_of_codes_whatever_the_phones()
    {
        await scenario.UseGatewayAsync();
        for (var i = 0; i < ResidentScenario.CodesPerAddress; i++)
        {
            await RequestAsync($"1370000010{i}", "10.1.0.5");
        }

        var capped = await Assert.ThrowsAsync<DomainException>(() => RequestAsync("13700000199", "10.1.0.5"));

        Assert.Equal("resident.code-address-cap", capped.Code);
        Assert.Empty(scenario.Gateway.To("13700000199"));
        await RequestAsync("13700000199", "10.1.0.6"); // another address is not held back
    }

    [Fact]
    public async Task A_code_is_not_held_back_by_the_notices_daily_cap_nor_counted_in_it()
    {
        await scenario.UseGatewayAsync(dailyCap: 1);
        const string phone = "13700000006";
        await RequestAsync(phone);
        var notice = await scenario.EnqueueAsync(phone);
        await scenario.RunOutboxAsync();
        Assert.Equal(DeliveryStatus.Sent, (await scenario.NotificationAsync(notice)).Status); // the code did not use up the cap

        scenario.Clock.Advance(TimeSpan.FromSeconds(61));
        await RequestAsync(phone); // the notice reached the cap; the code still goes, at once
        Assert.Equal(2, scenario.Gateway.To(phone).Count(m => Digits().IsMatch(m.Params["content"])));
        var second = await scenario.EnqueueAsync(phone);
        await scenario.RunOutboxAsync();
        Assert.Equal(DeliveryStatus.Capped, (await scenario.NotificationAsync(second)).Status);
    }

    [Fact]
    public async Task A_landline_or_a_malformed_number_gets_no_code()
    {
        await scenario.UseGatewayAsync();
        Assert.Equal("resident.phone-not-mobile", (await Assert.ThrowsAsync<DomainException>(() => RequestAsync("0512-65223344"))).Code);
        Assert.Equal("phone.invalid", (await Assert.ThrowsAsync<DomainException>(() => RequestAsync("12345"))).Code);
        Assert.Empty(scenario.Gateway.To("0512-65223344"));
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex Digits();
}
