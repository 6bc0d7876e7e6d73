using System.Globalization;
using GridGov.Domain.Common;

namespace GridGov.Domain.Bulletins;

public enum BulletinState
{
    /// <summary>草稿: generated from the month's frozen evaluation; the street office edits its foreword and closing notes.</summary>
    Draft,
    /// <summary>已印发: numbered and immutable.</summary>
    Issued,
}

/// <summary>
/// The monthly bulletin (网格化工作简报) of one closed month: generated from the month's frozen evaluation snapshot (its
/// content stored with it, so what was issued never changes), with a foreword and closing notes by the street office.
/// A draft is edited, then issued once: issuing numbers it within its year in order of issue (2026年第11期) and makes it
/// immutable.
/// </summary>
public class Bulletin
{
    public const int ForewordMaxLength = 2000;
    public const int ClosingNotesMaxLength = 2000;

    public const string IssuedCode = "bulletin.issued";

    private Bulletin()
    {
        ContentJson = "";
    }

    public Bulletin(DateOnly month, long snapshotId, string contentJson, int createdByStaffId, DateTimeOffset at)
    {
        if (month.Day != 1)
        {
            throw new DomainException("bulletin.month", "简报月份必须是某月1日");
        }
        Month = month;
        SnapshotId = snapshotId;
        ContentJson = contentJson;
        State = BulletinState.Draft;
        CreatedByStaffId = ChangedByStaffId = createdByStaffId;
        CreatedAt = ChangedAt = at;
    }

    public long Id { get; private set; }
    /// <summary>The first day of the month the bulletin reports on.</summary>
    public DateOnly Month { get; private set; }
    public BulletinState State { get; private set; }
    /// <summary>The year of the issue number: the year of the month reported on.</summary>
    public int? IssueYear { get; private set; }
    /// <summary>The issue's number within <see cref="IssueYear"/>, in order of issue (1, 2, …); null for a draft.</summary>
    public int? IssueNumber { get; private set; }
    /// <summary>The evaluation snapshot the content was generated from.</summary>
    public long SnapshotId { get; private set; }
    /// <summary>The generated content (the application's bulletin content as JSON).</summary>
    public string ContentJson { get; private set; }
    public string? Foreword { get; private set; }
    public string? ClosingNotes { get; private set; }
    public int CreatedByStaffId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Who saved the bulletin last, and when: named when a stale save is refused.</summary>
    public int ChangedByStaffId { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
    public int? IssuedByStaffId { get; private set; }
    public DateTimeOffset? IssuedAt { get; private set; }

    /// <summary>The row version (PostgreSQL xmin): a save carries the version its author saw, and a stale one is refused.</summary>
    public uint Version { get; private set; }

    public bool IsIssued => State == BulletinState.Issued;

    /// <summary>"2026年第11期" once issued; null for a draft.</summary>
    public string? IssueTitle => IssueYear is { } year && IssueNumber is { } number ? Title(year, number) : null;

    public static string Title(int year, int number) => string.Create(CultureInfo.InvariantCulture, $"{year}年第{number}期");

    /// <summary>The street office's foreword (按语) and closing notes (结束语), trimmed; blank means none.</summary>
    public void Edit(string? foreword, string? closingNotes, int staffId, DateTimeOffset at)
    {
        RequireDraft();
        Foreword = Checked(foreword, ForewordMaxLength, DomainFields.BulletinForeword);
        ClosingNotes = Checked(closingNotes, ClosingNotesMaxLength, DomainFields.BulletinClosingNotes);
        ChangedByStaffId = staffId;
        ChangedAt = at;
    }

    /// <summary>The draft's content generated again (the month's evaluation was recomputed since).</summary>
    public void Regenerate(long snapshotId, string contentJson, int staffId, DateTimeOffset at)
    {
        RequireDraft();
        SnapshotId = snapshotId;
        ContentJson = contentJson;
        ChangedByStaffId = staffId;
        ChangedAt = at;
    }

    /// <param name="number">The next free number of the month's year (the application counts the year's issued bulletins).</param>
    public void Issue(int number, int staffId, DateTimeOffset at)
    {
        RequireDraft();
        if (number < 1)
        {
            throw new DomainException("bulletin.number", "简报期号必须从1开始");
        }
        State = BulletinState.Issued;
        IssueYear = Month.Year;
        IssueNumber = number;
        IssuedByStaffId = ChangedByStaffId = staffId;
        IssuedAt = ChangedAt = at;
    }

    private void RequireDraft()
    {
        if (IsIssued)
        {
            throw new DomainException(IssuedCode, $"该简报（{IssueTitle}）已印发，不能再修改或重复印发") { Arguments = [IssueTitle] };
        }
    }

    /// <summary>
    /// Trimmed and length-checked; control characters (other than tab and line breaks) are refused: PostgreSQL refuses a
    /// NUL in text, and an interactive page's input never passes the HTTP guard against them.
    /// </summary>
    private static string? Checked(string? text, int maxLength, DomainField field)
    {
        if (text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
        {
            throw DomainException.For(field, "bulletin.text-control", $"{field}含有不可见的控制字符（如 NUL），请删除这些字符后重试");
        }
        return Text.Optional(text, maxLength, field);
    }
}
