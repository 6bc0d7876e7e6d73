using GridGov.Domain.Common;
using NetTopologySuite.Geometries;

namespace GridGov.Domain.Patrols;

/// <summary>A patrol (巡查) of a grid: who, when, the track walked, notes, and the coverage it achieved.</summary>
public class Patrol
{
    /// <summary>The longest one patrol may last; reports are matched to patrols within it (EvaluationSql).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public const int NotesMaxLength = 2000;
    public const double DefaultBufferMeters = 30;
    public const double DefaultFullCoverageShare = 0.9;

    private Patrol()
    {
        Track = null!;
    }

    public Patrol(int gridId, int patrollerStaffId, DateTimeOffset startedAt, DateTimeOffset endedAt, LineString track, string? notes, Guid? submissionId = null)
    {
        if (endedAt <= startedAt)
        {
            throw new DomainException("patrol.times", "巡查结束时间必须晚于开始时间") { Field = DomainFields.PatrolTimes.Name };
        }
        if (endedAt - startedAt > MaxDuration)
        {
            throw new DomainException("patrol.too-long", "单次巡查不能超过24小时") { Field = DomainFields.PatrolTimes.Name };
        }
        GridId = gridId;
        PatrollerStaffId = patrollerStaffId;
        StartedAt = startedAt;
        EndedAt = endedAt;
        Track = TrackRules.Require(track);
        Notes = Text.Optional(notes, NotesMaxLength, DomainFields.PatrolNotes);
        SubmissionId = submissionId;
    }

    public long Id { get; private set; }
    public int GridId { get; private set; }
    public int PatrollerStaffId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset EndedAt { get; private set; }
    public LineString Track { get; private set; }
    public string? Notes { get; private set; }
    /// <summary>Share (0–1) of the grid's area within the buffer distance of this track alone.</summary>
    public double CoverageShare { get; private set; }

    /// <summary>The recording form's id (made once per form), so a replayed form returns this patrol; unique per patroller.</summary>
    public Guid? SubmissionId { get; private init; }

    public void SetCoverage(double share) => CoverageShare = Math.Clamp(share, 0, 1);
}

/// <summary>What a track must be on its own: a line in WGS-84 with at least two distinct points.</summary>
public static class TrackRules
{
    public const int MaxPoints = 20_000;

    public static LineString Require(LineString? track)
    {
        if (track is null || track.IsEmpty || track.NumPoints < 2)
        {
            throw new DomainException("track.empty", "巡查轨迹至少需要两个点") { Field = DomainFields.Track.Name };
        }
        if (track.SRID != Srid.Wgs84)
        {
            throw new DomainException("track.srid", $"巡查轨迹的坐标系必须是WGS-84（SRID 4326），收到的是SRID {track.SRID}") { Field = DomainFields.Track.Name, Arguments = [track.SRID] };
        }
        if (track.NumPoints > MaxPoints)
        {
            throw new DomainException("track.point-limit", $"巡查轨迹点数超过{MaxPoints}个，请抽稀后上传") { Field = DomainFields.Track.Name, Arguments = [MaxPoints] };
        }
        foreach (var coordinate in track.Coordinates)
        {
            if (!double.IsFinite(coordinate.X) || !double.IsFinite(coordinate.Y) || coordinate.X is < -180 or > 180 || coordinate.Y is < -90 or > 90)
            {
                throw new DomainException("track.range", "巡查轨迹坐标超出经纬度范围") { Field = DomainFields.Track.Name };
            }
        }
        if (track.Length == 0)
        {
            throw new DomainException("track.degenerate", "巡查轨迹的所有点都在同一位置") { Field = DomainFields.Track.Name };
        }
        return track;
    }
}
