//! Which scheduled run is due, and when to look again: the CronJob controller's time arithmetic.
//!
//! Mirrors `mostRecentScheduleTime`, `nextScheduleTime` and `nextScheduleTimeDuration` in
//! upstream `pkg/controller/cronjob/utils.go` (v1.29+), including its approximations: the count
//! of missed runs is estimated from the gap between the first two runs, and only the most
//! recent missed run is ever returned. Everything here is pure.

use crate::sim::model::CronJob;
use crate::sim::schedule::{Schedule, Tz};
use crate::sim::time::{SimDuration, SimTime};

/// The controller syncs this long after a run is due, so the run is surely in the past
/// (`nextScheduleDelta`).
pub const NEXT_SCHEDULE_DELTA_MS: i64 = 100;
/// More missed runs than this raise the `TooManyMissedTimes` warning (the Job is still made).
pub const MANY_MISSED_THRESHOLD: i64 = 100;
/// The error when two consecutive runs are less than a second apart, which is how an
/// impossible schedule (`0 0 30 2 *`, whose next run is "never") shows up.
pub const TOO_CLOSE_ERROR: &str = "time difference between two schedules is less than 1 second";
/// Most runs the scan for the most recent one walks. Upstream's scan is unbounded; starting
/// two estimated intervals back it takes a handful of steps, but a schedule whose first gap is
/// much longer than its usual gap (a weekday schedule whose first gap spans a weekend) can walk
/// further. This bound is far above any real walk and keeps a sync finite whatever happens.
const MAX_SCAN_STEPS: usize = 100_000;

/// How many runs were missed (`missedSchedulesType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missed {
    /// No run is due.
    None,
    /// One to a hundred runs are due.
    Few,
    /// More than [`MANY_MISSED_THRESHOLD`] runs are due.
    Many,
}

/// A CronJob's schedule in its zone, ready to answer "the next run after t".
#[derive(Clone, Copy, Debug)]
pub struct ZonedSchedule<'a> {
    /// The parsed schedule (a `TZ=` prefix inside it wins over `zone`).
    pub schedule: &'a Schedule,
    /// The CronJob's `timeZone`; UTC when `None`.
    pub zone: Option<Tz>,
}

impl ZonedSchedule<'_> {
    /// robfig's `Next`: the first run strictly after `t`; `None` for "never" (the zero time).
    pub fn next(&self, t: SimTime) -> Option<SimTime> {
        self.schedule.next_after(t, self.zone)
    }
}

/// What [`most_recent_schedule_time`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MostRecent {
    /// Where the search started: lastScheduleTime, else the creation time, moved up to
    /// `now - startingDeadlineSeconds` when the deadline is included.
    pub earliest: SimTime,
    /// The latest run at or before `now` after `earliest`, if any.
    pub most_recent: Option<SimTime>,
    /// How many runs were missed, roughly.
    pub missed: Missed,
}

/// The creation time as the API stores it: whole seconds.
fn created_at(cj: &CronJob, now: SimTime) -> SimTime {
    // A stored object always has a creation timestamp; `now` only covers hand-built ones.
    let created = cj.metadata.creation_timestamp.unwrap_or(now);
    SimTime::from_unix_secs(created.unix_secs())
}

/// Mirrors `mostRecentScheduleTime`. `Err` carries [`TOO_CLOSE_ERROR`].
pub fn most_recent_schedule_time(
    cj: &CronJob,
    now: SimTime,
    sched: ZonedSchedule<'_>,
    include_starting_deadline: bool,
) -> Result<MostRecent, &'static str> {
    let mut earliest = cj
        .status
        .last_schedule_time
        .unwrap_or_else(|| created_at(cj, now));
    if include_starting_deadline && let Some(deadline_secs) = cj.spec.starting_deadline_seconds {
        earliest = earliest.max(now - SimDuration::from_secs(deadline_secs));
    }
    let none_due = MostRecent {
        earliest,
        most_recent: None,
        missed: Missed::None,
    };

    // robfig returns the zero time for "never"; upstream then finds the two runs less than a
    // second apart, which is the error below.
    let Some(t1) = sched.next(earliest) else {
        return Err(TOO_CLOSE_ERROR);
    };
    if now < t1 {
        return Ok(none_due);
    }
    let Some(t2) = sched.next(t1) else {
        return Err(TOO_CLOSE_ERROR);
    };
    if now < t2 {
        return Ok(MostRecent {
            most_recent: Some(t1),
            missed: Missed::None,
            ..none_due
        });
    }

    let interval_secs = round_to_secs(t2 - t1);
    if interval_secs < 1 {
        return Err(TOO_CLOSE_ERROR);
    }
    let elapsed_secs = (now - t1).as_ms() / 1000;
    let missed_count = elapsed_secs / interval_secs + 1;
    // Start two estimated intervals before the last estimated run and let the schedule find the
    // real runs from there, as upstream does for schedules with uneven gaps.
    let potential_earliest = t1 + SimDuration::from_secs((missed_count - 2) * interval_secs);
    let most_recent = scan_to(sched, potential_earliest, now);
    let missed = if missed_count > MANY_MISSED_THRESHOLD {
        Missed::Many
    } else {
        Missed::Few
    };
    Ok(MostRecent {
        earliest,
        most_recent,
        missed,
    })
}

/// The last run after `from` that is at or before `now`.
fn scan_to(sched: ZonedSchedule<'_>, from: SimTime, now: SimTime) -> Option<SimTime> {
    let mut latest = None;
    let mut cursor = sched.next(from);
    for _ in 0..MAX_SCAN_STEPS {
        match cursor {
            Some(t) if t <= now => {
                latest = Some(t);
                cursor = sched.next(t);
            }
            _ => break,
        }
    }
    latest
}

/// Go's `Duration.Round(time.Second)` in whole seconds: halves round away from zero.
fn round_to_secs(span: SimDuration) -> i64 {
    let ms = span.as_ms();
    if ms >= 0 {
        (ms + 500) / 1000
    } else {
        -((-ms + 500) / 1000)
    }
}

/// Mirrors `nextScheduleTime`: the run to start now (deadline included) and how many were
/// missed. `Ok(None)` when nothing is due.
pub fn next_schedule_time(
    cj: &CronJob,
    now: SimTime,
    sched: ZonedSchedule<'_>,
) -> Result<Option<(SimTime, Missed)>, &'static str> {
    let found = most_recent_schedule_time(cj, now, sched, true)?;
    Ok(found
        .most_recent
        .filter(|t| *t <= now)
        .map(|t| (t, found.missed)))
}

/// Mirrors `nextScheduleTimeDuration`: how long until the run after the most recent one (or
/// after `earliest` when none is due), plus [`NEXT_SCHEDULE_DELTA_MS`]. The deadline is not
/// included. `None` when the schedule never fires again.
///
/// DIVERGENCE: upstream can compute a negative delay here (only when its missed-run estimate
/// overshoots), which re-queues at once and would repeat the same sync forever on a simulated
/// clock; the delay is kept at least [`NEXT_SCHEDULE_DELTA_MS`].
pub fn next_schedule_time_duration(
    cj: &CronJob,
    now: SimTime,
    sched: ZonedSchedule<'_>,
) -> Option<SimDuration> {
    let base = match most_recent_schedule_time(cj, now, sched, false) {
        Err(_) => now,
        Ok(found) => found.most_recent.unwrap_or(found.earliest),
    };
    let next = sched.next(base)?;
    let delay = next + SimDuration::from_ms(NEXT_SCHEDULE_DELTA_MS) - now;
    Some(delay.max(SimDuration::from_ms(NEXT_SCHEDULE_DELTA_MS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> SimTime {
        SimTime::parse_rfc3339(text).expect("valid instant")
    }

    fn cron_job(schedule: &str, created: &str, last: Option<&str>) -> CronJob {
        let mut cj = CronJob::new("default", "c", schedule, "busybox", &[]);
        cj.metadata.creation_timestamp = Some(at(created));
        cj.status.last_schedule_time = last.map(at);
        cj
    }

    fn zoned(schedule: &Schedule) -> ZonedSchedule<'_> {
        ZonedSchedule {
            schedule,
            zone: None,
        }
    }

    #[test]
    fn one_missed_hourly_run_is_the_most_recent() {
        let schedule = Schedule::parse("0 * * * *").expect("valid");
        let cj = cron_job("0 * * * *", "2016-05-19T09:59:00Z", None);
        let found =
            most_recent_schedule_time(&cj, at("2016-05-19T10:01:00Z"), zoned(&schedule), true);
        assert_eq!(
            found,
            Ok(MostRecent {
                earliest: at("2016-05-19T09:59:00Z"),
                most_recent: Some(at("2016-05-19T10:00:00Z")),
                missed: Missed::None,
            })
        );
    }

    #[test]
    fn five_missed_runs_give_the_latest_and_count_few() {
        let schedule = Schedule::parse("0 * * * *").expect("valid");
        let cj = cron_job("0 * * * *", "2016-05-19T04:59:00Z", None);
        let found =
            most_recent_schedule_time(&cj, at("2016-05-19T10:01:00Z"), zoned(&schedule), true);
        assert_eq!(
            found.map(|f| (f.most_recent, f.missed)),
            Ok((Some(at("2016-05-19T10:00:00Z")), Missed::Few))
        );
    }

    #[test]
    fn more_than_a_hundred_missed_runs_count_as_many() {
        let schedule = Schedule::parse("* * * * *").expect("valid");
        let cj = cron_job("* * * * *", "2016-05-19T08:00:00Z", None);
        let found =
            most_recent_schedule_time(&cj, at("2016-05-19T09:41:30Z"), zoned(&schedule), true);
        assert_eq!(
            found.map(|f| (f.most_recent, f.missed)),
            Ok((Some(at("2016-05-19T09:41:00Z")), Missed::Many))
        );
        let cj = cron_job("* * * * *", "2016-05-19T08:00:00Z", None);
        let found =
            most_recent_schedule_time(&cj, at("2016-05-19T09:40:30Z"), zoned(&schedule), true);
        assert_eq!(
            found.map(|f| f.missed),
            Ok(Missed::Few),
            "exactly 100 missed is not many"
        );
    }

    #[test]
    fn cj_9_an_impossible_schedule_is_an_error() {
        let schedule = Schedule::parse("59 23 31 2 *").expect("valid syntax");
        let cj = cron_job("59 23 31 2 *", "2016-05-19T10:00:10Z", None);
        let found =
            most_recent_schedule_time(&cj, at("2016-05-19T11:00:00Z"), zoned(&schedule), true);
        assert_eq!(found, Err(TOO_CLOSE_ERROR));
        assert_eq!(
            next_schedule_time_duration(&cj, at("2016-05-19T11:00:00Z"), zoned(&schedule)),
            None
        );
    }

    #[test]
    fn go_rounding_of_intervals() {
        assert_eq!(round_to_secs(SimDuration::from_ms(1_499)), 1);
        assert_eq!(round_to_secs(SimDuration::from_ms(1_500)), 2);
        assert_eq!(round_to_secs(SimDuration::from_ms(-1_500)), -2);
    }
}
