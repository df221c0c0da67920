//! The next run after an instant, in a time zone, with robfig's limits.
//!
//! Mirrors robfig's `SpecSchedule.Next` and `ConstantDelaySchedule.Next`: the next run is
//! strictly after the given instant, whole seconds only, and a field schedule that does not fire
//! within five calendar years gives up (Kubernetes then reports `InvalidSchedule`).

use super::crate_plan::CratePlan;
use super::offset_change::{offset_changes, robfig_next};
use super::parse::CronFields;
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;

/// robfig gives up when the search passes the end of the year five years after the start.
const SEARCH_LIMIT_YEARS: i32 = 5;

/// `@every`: the start truncated to the second, plus the delay; mirrors
/// `ConstantDelaySchedule.Next`. No time zone matters.
pub(crate) fn every_next(from: DateTime<Utc>, delay_secs: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(from.timestamp(), 0)
        .and_then(|whole| whole.checked_add_signed(Duration::seconds(delay_secs)))
}

/// The first run of a field schedule strictly after `from`, on the wall clock of `zone`.
///
/// The `cron` crate finds the next matching wall-clock time. When the zone's UTC offset changes
/// between `from` and that answer, robfig's absolute-time stepping can disagree with any
/// wall-clock matcher (see `offset_change`), so robfig's own loop decides there. That covers the
/// reference's DST rules too: a local time that does not exist is skipped, one that happens
/// twice runs twice.
pub(crate) fn spec_next(
    fields: &CronFields,
    plan: &CratePlan,
    zone: Tz,
    from: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let by_crate = plan
        .schedules()
        .iter()
        .filter_map(|schedule| crate_next(schedule, zone, from))
        .min()?;
    if offset_changes(zone, from, by_crate) {
        return robfig_next(fields, zone, from);
    }
    within_search_limit(zone, from, by_crate).then_some(by_crate)
}

/// Whether `run` falls inside robfig's five-year search from `from`: robfig starts at the next
/// whole second and stops once the local year exceeds the starting year plus five.
fn within_search_limit(zone: Tz, from: DateTime<Utc>, run: DateTime<Utc>) -> bool {
    let search_start = DateTime::from_timestamp(from.timestamp() + 1, 0).unwrap_or(from);
    let limit_year = search_start.with_timezone(&zone).year() + SEARCH_LIMIT_YEARS;
    run.with_timezone(&zone).year() <= limit_year
}

/// The crate's first match strictly after `from`. The crate yields both instants of a repeated
/// local time, earlier first, so at most the first two matches can be at or before `from`.
///
/// DIVERGENCE: the crate's calendar stops at 2100, robfig's does not; runs after 2100 are never
/// found. Simulations start near the present, so this never shows.
fn crate_next(schedule: &cron::Schedule, zone: Tz, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    schedule
        .after(&from.with_timezone(&zone))
        .take(3)
        .map(|run| run.with_timezone(&Utc))
        .find(|run| *run > from)
}
