using Microsoft.AspNetCore.Identity;

namespace GridGov.Infrastructure.Identity;

/// <summary>A sign-in account. What the person does is on the linked staff member.</summary>
public class ApplicationUser : IdentityUser
{
    public const int DisplayNameMaxLength = 30;

    public string DisplayName { get; set; } = "";
    public int? StaffMemberId { get; set; }
}
