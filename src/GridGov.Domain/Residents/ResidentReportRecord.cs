namespace GridGov.Domain.Residents;

/// <summary>
/// One report a resident sent from the phone page, whatever became of it (a case, or held for review): what the daily
/// limits per phone and per client address count.
/// </summary>
public class ResidentReportRecord
{
    private ResidentReportRecord()
    {
        Phone = ClientAddress = "";
    }

    public ResidentReportRecord(string phone, string clientAddress, DateTimeOffset at, string? caseNumber, long? heldReportId)
    {
        Phone = phone;
        ClientAddress = clientAddress.Length > ResidentCode.ClientAddressMaxLength ? clientAddress[..ResidentCode.ClientAddressMaxLength] : clientAddress;
        At = at;
        CaseNumber = caseNumber;
        HeldReportId = heldReportId;
    }

    public long Id { get; private set; }
    public string Phone { get; private set; }
    public string ClientAddress { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? CaseNumber { get; private set; }
    public long? HeldReportId { get; private set; }
}
