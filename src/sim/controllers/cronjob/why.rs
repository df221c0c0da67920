//! The plain-language *why* beside every CronJob controller Event.
//!
//! Each function returns one or two sentences for the playground's event list. Times are shown
//! on the CronJob's own clock (`10:05 UTC`, `01:30 EDT`), since that is how its schedule reads.

use crate::sim::model::CronJob;
use crate::sim::schedule::Tz;
use crate::sim::time::{SimDuration, SimTime};

/// `10:05 UTC`, or `10:05:30 UTC` when the seconds are not zero, on the zone's wall clock.
pub fn clock(at: SimTime, zone: Option<Tz>) -> String {
    let local = at.to_utc().with_timezone(&zone.unwrap_or(Tz::UTC));
    if at.unix_ms() % 60_000 == 0 {
        local.format("%H:%M %Z").to_string()
    } else {
        local.format("%H:%M:%S %Z").to_string()
    }
}

/// `2m`, `1h5m`, `3d4h`: a lateness or interval, coarse enough to read at a glance.
pub fn span(duration: SimDuration) -> String {
    let secs = duration.as_ms().max(0) / 1000;
    let (days, hours, mins) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60);
    match (days, hours, mins) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d{h}h"),
    }
}

/// Why a scheduled Job was created.
pub fn created(
    cj: &CronJob,
    job: &str,
    scheduled: SimTime,
    now: SimTime,
    zone: Option<Tz>,
) -> String {
    let name = &cj.metadata.name;
    let run = clock(scheduled, zone);
    let late = now - scheduled;
    let lateness = if late.as_ms() > 1_000 {
        let allowed = match cj.spec.starting_deadline_seconds {
            Some(secs) => format!("within its startingDeadlineSeconds of {secs}s"),
            None => "no startingDeadlineSeconds is set".to_string(),
        };
        format!(" It starts {} late ({allowed}).", span(late))
    } else {
        String::new()
    };
    format!(
        "The {run} run of {name} (schedule {:?}) was due, so the CronJob controller created \
         {job}; the name ends in the scheduled time in minutes since 1970, so one run can \
         never make two Jobs.{lateness}",
        cj.spec.schedule
    )
}

/// Why a run was skipped under `concurrencyPolicy: Forbid`.
pub fn forbidden(cj: &CronJob, running: &[String], scheduled: SimTime, zone: Option<Tz>) -> String {
    let run = clock(scheduled, zone);
    let jobs = running.join(", ");
    let verb = if running.len() == 1 { "is" } else { "are" };
    let later = match cj.spec.starting_deadline_seconds {
        Some(secs) => format!(
            "it will start when that Job ends unless startingDeadlineSeconds ({secs}s) passes or \
             a newer run comes due first"
        ),
        None => "it will start when that Job ends, unless a newer run comes due first".to_string(),
    };
    format!(
        "concurrencyPolicy is Forbid and {jobs} {verb} still running, so the {run} run was \
         skipped; lastScheduleTime stays put, so {later}."
    )
}

/// Why a running Job was deleted under `concurrencyPolicy: Replace`.
pub fn replaced(job: &str, scheduled: SimTime, zone: Option<Tz>) -> String {
    format!(
        "concurrencyPolicy is Replace and {job} was still running when the {} run came due, so \
         it was deleted (its pods go with it) to make way for the new Job.",
        clock(scheduled, zone)
    )
}

/// Why a finished Job was deleted by the history limits.
pub fn history(cj: &CronJob, job: &str, succeeded: bool, limit: i32) -> String {
    let (which, field) = if succeeded {
        ("successful", "successfulJobsHistoryLimit")
    } else {
        ("failed", "failedJobsHistoryLimit")
    };
    format!(
        "{} keeps at most {limit} finished {which} Jobs ({field}); {job} is the oldest of them \
         by start time, so it was deleted.",
        cj.metadata.name
    )
}

/// Why an active Job left `status.active` because it finished.
pub fn saw_completed(job: &str, condition: &str) -> String {
    format!(
        "{job} finished ({condition}), so it is no longer listed in status.active and no longer \
         counts for concurrencyPolicy."
    )
}

/// Why an active Job left `status.active` because it is gone.
pub fn missing(job: &str) -> String {
    format!(
        "status.active listed {job}, but that Job no longer exists (something else deleted it), \
         so it was dropped from the list; a due run may start now."
    )
}

/// Why an unlisted running Job was reported.
pub fn unexpected(cj: &CronJob, job: &str) -> String {
    format!(
        "{job} names {} as its controller but is not in status.active: it was started by hand \
         (kubectl create job --from=cronjob/{}) or the controller lost track of it. It runs, \
         but concurrencyPolicy does not count it.",
        cj.metadata.name, cj.metadata.name
    )
}

/// Why nothing runs with an unknown `timeZone`.
pub fn unknown_time_zone(zone: &str) -> String {
    format!(
        "timeZone {zone:?} is not in the time-zone database, so no run time can be computed; \
         nothing runs until the CronJob is edited."
    )
}

/// Why a `TZ=` prefix got a warning.
pub fn unsupported_schedule() -> String {
    "The schedule carries its own TZ= or CRON_TZ= prefix. New CronJobs may not (use timeZone); \
     this older object still runs on that prefix's clock."
        .to_string()
}

/// Why nothing runs with a schedule that does not parse.
pub fn unparseable(schedule: &str) -> String {
    format!(
        "The schedule {schedule:?} cannot be parsed, so no run time can be computed; nothing \
         runs until the schedule is fixed."
    )
}

/// Why nothing runs with a schedule that never fires.
pub fn invalid_schedule(schedule: &str) -> String {
    format!(
        "The schedule {schedule:?} is valid syntax but matches no date within five years (for \
         example the 30th of February), so it never fires; nothing runs until it is changed."
    )
}

/// Why more than a hundred missed runs got a warning.
pub fn too_many_missed(
    cj: &CronJob,
    since: SimTime,
    scheduled: SimTime,
    zone: Option<Tz>,
) -> String {
    format!(
        "More than 100 runs of {} were missed since {} (suspended, controller down, or the clock \
         jumped). Only the most recent one, {}, is started; the older ones are dropped.",
        cj.metadata.name,
        since,
        clock(scheduled, zone)
    )
}

/// Why a run past its deadline was reported.
pub fn missed_deadline(cj: &CronJob, scheduled: SimTime, zone: Option<Tz>) -> String {
    format!(
        "The {} run is more than startingDeadlineSeconds ({}s) late, so it is skipped.",
        clock(scheduled, zone),
        cj.spec.starting_deadline_seconds.unwrap_or(0)
    )
}

/// Why a Job create failed.
pub fn failed_create(job: &str, error: &str) -> String {
    format!("The API server refused {job}: {error}. The controller retries the sync with back-off.")
}

/// Why a Job delete failed.
pub fn failed_delete(job: &str, error: &str) -> String {
    format!("Deleting {job} failed: {error}. The controller retries the sync with back-off.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_in_the_cron_jobs_zone() {
        let at = SimTime::parse_rfc3339("2024-11-03T05:30:00Z").expect("valid");
        assert_eq!(clock(at, None), "05:30 UTC");
        assert_eq!(clock(at, Some(Tz::America__New_York)), "01:30 EDT");
        let later = at + SimDuration::from_secs(3_600);
        assert_eq!(clock(later, Some(Tz::America__New_York)), "01:30 EST");
        assert_eq!(clock(at + SimDuration::from_ms(100), None), "05:30:00 UTC");
    }

    #[test]
    fn spans_are_coarse() {
        assert_eq!(span(SimDuration::from_secs(42)), "42s");
        assert_eq!(span(SimDuration::from_secs(3_900)), "1h5m");
        assert_eq!(span(SimDuration::from_secs(3 * 86_400 + 7_200)), "3d2h");
    }
}
