//! Kubernetes cron schedules: parsing, next run times, descriptions and API validation.
//!
//! `CronJob.spec.schedule` is parsed by robfig/cron v3.0.1 `ParseStandard` in Kubernetes, so
//! [`Schedule::parse`] accepts exactly that language and fails with robfig's error texts. The
//! calendar search is the `cron` crate's, wrapped where Kubernetes differs (see `crate_plan`):
//! Sunday is 0, day-of-month and day-of-week are OR-ed when both are restricted, `@every` exists,
//! and the search gives up after five years. Time zones come from `chrono-tz`; with no zone the
//! schedule runs in UTC, like a kube-controller-manager in a container. Where a zone's UTC offset
//! changes, robfig's search behaves unlike any wall-clock matcher, and `offset_change` follows
//! robfig's own steps instead of the crate.
//!
//! Everything here is pure: instants are passed in as [`SimTime`], nothing reads a clock.

mod crate_plan;
mod describe;
mod go_duration;
mod next;
mod offset_change;
mod parse;
mod validate;

pub use chrono_tz::Tz;
pub use describe::describe;
pub use go_duration::format_go_duration_secs;
pub use validate::{
    parse_time_zone, validate_schedule, validate_schedule_format, validate_time_zone,
};

use crate::sim::time::SimTime;
use crate_plan::CratePlan;
use parse::{CronFields, ParsedBody};
use std::fmt;

/// The most run times [`Schedule::next_runs`] returns, whatever is asked: enough for any list a
/// user reads, small enough that a UI call stays instant.
pub const MAX_NEXT_RUNS: usize = 1000;

/// Why a schedule string was rejected, in robfig's words (`end of range (7) above maximum (6):
/// 7`). The API server quotes this text after `spec.schedule: Invalid value: "...": `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    message: String,
}

impl ScheduleError {
    fn new(message: impl Into<String>) -> Self {
        ScheduleError {
            message: message.into(),
        }
    }

    /// The error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScheduleError {}

/// A parsed Kubernetes cron schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    source: String,
    /// The zone of a `TZ=`/`CRON_TZ=` prefix. Kubernetes rejects such prefixes on create but
    /// still honours them on objects that already have one.
    zone: Option<Tz>,
    body: Body,
}

/// The two kinds of robfig schedule.
#[derive(Clone, Debug, PartialEq)]
enum Body {
    /// Fields (or a named descriptor), run on the `cron` crate. Boxed: it is large and
    /// `@every` is tiny.
    Fields(Box<FieldSchedule>),
    /// `@every <duration>`: fixed whole-second delay after the previous run.
    Every { delay_secs: i64 },
}

/// A field schedule: the validated fields and the crate schedules that run them.
#[derive(Clone, Debug, PartialEq)]
struct FieldSchedule {
    fields: CronFields,
    plan: CratePlan,
}

impl Schedule {
    /// Parses a schedule as Kubernetes does (robfig/cron v3.0.1 `ParseStandard`): five fields,
    /// names in any case, ranges, steps, lists, `?`, the descriptors `@yearly` `@annually`
    /// `@monthly` `@weekly` `@daily` `@midnight` `@hourly` and `@every <Go duration>`.
    pub fn parse(expr: &str) -> Result<Schedule, ScheduleError> {
        let parsed = parse::parse_standard(expr)?;
        let body = match parsed.body {
            ParsedBody::Fields(fields) => {
                let plan = crate_plan::plan(&fields);
                Body::Fields(Box::new(FieldSchedule { fields, plan }))
            }
            ParsedBody::Every { delay_secs } => Body::Every { delay_secs },
        };
        Ok(Schedule {
            source: expr.to_string(),
            zone: parsed.zone,
            body,
        })
    }

    /// The schedule as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The zone named by a `TZ=`/`CRON_TZ=` prefix, if the schedule has one.
    pub fn embedded_time_zone(&self) -> Option<Tz> {
        self.zone
    }

    /// For `@every D`, the delay between runs in whole seconds (at least 1).
    pub fn every_secs(&self) -> Option<i64> {
        match self.body {
            Body::Every { delay_secs } => Some(delay_secs),
            Body::Fields(_) => None,
        }
    }

    /// The first run strictly after `from`, evaluated in `time_zone` (UTC when `None`); mirrors
    /// robfig's `Next`. A local time that does not exist (spring forward) is skipped; a local time
    /// that happens twice (fall back) runs at both instants. `None` when a field schedule does not
    /// fire within robfig's five-year search (`0 0 30 2 *`).
    ///
    /// A `TZ=` prefix in the schedule wins over `time_zone`, as in the CronJob controller's
    /// `formatSchedule`, which leaves such a schedule untouched.
    ///
    /// `@every D` runs at `from` truncated to the second plus D, whatever the zone.
    pub fn next_after(&self, from: SimTime, time_zone: Option<Tz>) -> Option<SimTime> {
        let zone = self.zone.or(time_zone).unwrap_or(Tz::UTC);
        let from_utc = from.to_utc();
        let next = match &self.body {
            Body::Every { delay_secs } => next::every_next(from_utc, *delay_secs),
            Body::Fields(spec) => next::spec_next(&spec.fields, &spec.plan, zone, from_utc),
        };
        next.map(SimTime::from_utc)
    }

    /// Up to `count` consecutive runs after `from` (never more than [`MAX_NEXT_RUNS`]); fewer
    /// when the schedule stops firing.
    pub fn next_runs(&self, from: SimTime, time_zone: Option<Tz>, count: usize) -> Vec<SimTime> {
        let mut runs = Vec::with_capacity(count.min(MAX_NEXT_RUNS));
        let mut after = from;
        while runs.len() < count.min(MAX_NEXT_RUNS) {
            let Some(next) = self.next_after(after, time_zone) else {
                break;
            };
            runs.push(next);
            after = next;
        }
        runs
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

#[cfg(test)]
mod tests;
