using System.Text.RegularExpressions;
using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;
using GridGov.Infrastructure.Persistence;
using GridGov.TestSupport.Fakes;
using GridGov.Web.Infrastructure;
using GridGov.Web.Tests.Inbox;
using GridGov.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Web.Tests.Residents;

/// <summary>
/// The app on a real port whose SMS channel is the fake gateway (over real HTTP), so a resident's one-time code is read
/// where an SMS would arrive; helpers to confirm a phone over HTTP and to send a resident's cookie.
/// </summary>
public sealed partial class ResidentFixture : WebAppFixture
{
    public FakeSmsGateway Gateway { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Gateway = await FakeSmsGateway.StartAsync();
        var admin = await this.ActorAsync("admin1");
        await this.WithAsync(async provider =>
        {
            var version = await provider.GetRequiredService<GridGovDbContext>().NoticeSenders.Where(s => s.Channel == NotificationChannel.Sms)
                .Select(s => (uint?)s.Version).SingleOrDefaultAsync();
            await provider.GetRequiredService<NoticeSenders>().SaveSmsAsync(new SmsSenderInput(NoticeSenderKind.SmsGateway, NoticeSender.DefaultDailyCap,
                Gateway.Url, "sk-resident-test", "云帆街道", "SMS_STAFF_001", "SMS_NOTICE_002", version), admin);
            return true;
        });
    }

    /// <summary>The last code that reached the gateway for the phone.</summary>
    public string LastCodeTo(string phone) =>
        SixDigits().Match(Gateway.To(phone)[^1].Params["content"]) is { Success: true } match ? match.Value : throw new InvalidOperationException($"no code for {phone}");

    /// <summary>A client with the resident session of <paramref name="phone"/> (the cookie the code's confirmation sets).</summary>
    public HttpClient ResidentClient(string phone)
    {
        var client = CreateClient();
        var value = Services.GetRequiredService<ResidentSession>().CookieValue(phone);
        client.DefaultRequestHeaders.Add("Cookie", $"{ResidentSession.CookieName}={value}");
        return client;
    }

    public override async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();
}
