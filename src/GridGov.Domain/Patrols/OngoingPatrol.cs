using GridGov.Domain.Common;

namespace GridGov.Domain.Patrols;

/// <summary>
/// A patrol under way (进行中的巡查), as a phone records it: started in a grid, its GPS points posted as they come, and
/// recorded as a <see cref="Patrol"/> (with the same rules as a patrol entered on the patrol page) when it is finished. The
/// id is the phone's own, so a start sent twice is one patrol; it is also the recorded patrol's submission id, so a finish
/// sent twice records one patrol.
/// </summary>
public class OngoingPatrol
{
    /// <summary>Points one post may carry; a phone sends its buffer every minute or so.</summary>
    public const int MaxPointsPerPost = 1000;

    /// <summary>How far ahead of the server a phone's clock may run.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    private OngoingPatrol()
    {
        GridCode = null!;
    }

    public OngoingPatrol(Guid id, int patrollerStaffId, string gridCode, DateTimeOffset startedAt, DateTimeOffset now)
    {
        if (startedAt > now + ClockTolerance)
        {
            throw new DomainException("patrol.start-future", "巡查开始时间不能晚于当前时间") { Field = DomainFields.PatrolTimes.Name };
        }
        if (startedAt < now - TimeSpan.FromHours(24))
        {
            throw new DomainException("patrol.too-long", "单次巡查不能超过24小时") { Field = DomainFields.PatrolTimes.Name };
        }
        Id = id;
        PatrollerStaffId = patrollerStaffId;
        GridCode = gridCode;
        StartedAt = startedAt.ToUniversalTime();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public int PatrollerStaffId { get; private set; }
    public string GridCode { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The patrol recorded when it finished; null while it is under way.</summary>
    public long? RecordedPatrolId { get; private set; }

    public bool IsFinished => RecordedPatrolId is not null;

    /// <summary>Points come only while the patrol is under way.</summary>
    public void RequireUnderWay()
    {
        if (IsFinished)
        {
            throw new DomainException("ongoing-patrol.finished", "该巡查已结束，不能再提交轨迹点");
        }
    }

    public void Finished(long patrolId) => RecordedPatrolId = patrolId;
}

/// <summary>One GPS fix of a patrol under way; a fix of a time already stored is the same fix sent again.</summary>
public class OngoingPatrolPoint
{
    private OngoingPatrolPoint()
    {
    }

    public OngoingPatrolPoint(OngoingPatrol patrol, double longitude, double latitude, DateTimeOffset recordedAt, DateTimeOffset now)
    {
        if (!double.IsFinite(longitude) || !double.IsFinite(latitude) || longitude is < -180 or > 180 || latitude is < -90 or > 90)
        {
            throw new DomainException("track.range", "巡查轨迹坐标超出经纬度范围") { Field = DomainFields.Track.Name };
        }
        if (recordedAt > now + OngoingPatrol.ClockTolerance)
        {
            throw new DomainException("track.point-future", "轨迹点的定位时间不能晚于当前时间") { Field = DomainFields.Track.Name };
        }
        if (recordedAt < patrol.StartedAt - OngoingPatrol.ClockTolerance)
        {
            throw new DomainException("track.point-before-start", "轨迹点的定位时间不能早于巡查开始时间") { Field = DomainFields.Track.Name };
        }
        OngoingPatrolId = patrol.Id;
        Longitude = longitude;
        Latitude = latitude;
        RecordedAt = recordedAt.ToUniversalTime();
    }

    public Guid OngoingPatrolId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public double Longitude { get; private set; }
    public double Latitude { get; private set; }
}
