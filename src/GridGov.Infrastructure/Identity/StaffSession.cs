namespace GridGov.Infrastructure.Identity;

/// <summary>
/// One sign-in (会话): its id travels in the sign-in cookie, and the cookie counts only while this row is open. Sign-out
/// ends this session; a password reset or a disabled account ends all of the person's sessions.
/// </summary>
public sealed class StaffSession
{
    private StaffSession()
    {
    }

    public StaffSession(string userId, DateTimeOffset startedAt)
    {
        Id = Guid.NewGuid();
        UserId = userId;
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }

    public string UserId { get; private set; } = "";

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }
}
