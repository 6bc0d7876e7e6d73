using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GridGov.Application.Notifications;
using GridGov.Domain.Notifications;

namespace GridGov.Infrastructure.Notifications;

/// <summary>
/// SMS through an HTTP gateway, the way the common Chinese SMS platforms work: a POST of JSON with the phone, the sign
/// name, an approved template's id and its parameters (here one, <c>content</c>), the key as a bearer token; the gateway
/// answers JSON whose <c>code</c> says whether it accepted the message ("OK" or 0) and gives its message id.
/// </summary>
internal sealed class SmsGatewaySender(IHttpClientFactory clients) : INotificationSender
{
    public const string ClientName = "sms-gateway";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public NoticeSenderKind Kind => NoticeSenderKind.SmsGateway;

    public async Task<DeliveryReceipt> SendAsync(Notification notification, SenderSettings settings, CancellationToken cancellationToken = default)
    {
        var configuration = settings.Configuration;
        if (string.IsNullOrEmpty(notification.RecipientPhone))
        {
            throw new NotificationDeliveryException("收件人没有手机号码", permanent: true);
        }
        // Residents' messages (notices, a case's outcome) use the notice template; staff work messages and an administrator's test the staff one.
        var template = notification.RecipientStaffId is null && notification.Kind != NotificationKind.Test ? configuration.NoticeTemplateId : configuration.StaffTemplateId;
        var request = new SmsRequest(notification.RecipientPhone, configuration.SignName ?? "", template ?? "",
            new Dictionary<string, string> { ["content"] = notification.Body }, notification.Id.ToString(CultureInfo.InvariantCulture));
        using var message = new HttpRequestMessage(HttpMethod.Post, configuration.GatewayUrl) { Content = JsonContent.Create(request, options: Json) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Secret);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ClientName).SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new NotificationDeliveryException($"短信网关无法连接：{exception.Message}", inner: exception);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new NotificationDeliveryException($"短信网关返回HTTP {(int)response.StatusCode}");
            }
            SmsResponse? answer;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<SmsResponse>(Json, cancellationToken);
            }
            catch (JsonException exception)
            {
                throw new NotificationDeliveryException("短信网关的应答无法解析", inner: exception);
            }
            var code = answer?.Code switch
            {
                { ValueKind: JsonValueKind.String } text => text.GetString(),
                { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
                _ => null,
            };
            if (code is "OK" or "0")
            {
                return new DeliveryReceipt(answer?.MessageId);
            }
            throw new NotificationDeliveryException($"短信网关未接受：{code ?? "无应答码"} {answer?.Message}".TrimEnd());
        }
    }

    private sealed record SmsRequest(string Phone, string SignName, string TemplateId, Dictionary<string, string> TemplateParams, string OutId);

    private sealed record SmsResponse(
        [property: JsonPropertyName("code")] JsonElement? Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("messageId")] string? MessageId);
}
