//! robfig's own search, used only where a zone's UTC offset changes.
//!
//! robfig/cron's `SpecSchedule.Next` does not match wall-clock times; it steps through time:
//! months and days by calendar arithmetic, hours and minutes by adding absolute hours and minutes.
//! Away from offset changes that is the same as "the next wall-clock time that matches", which is
//! what the `cron` crate computes. Across an offset change it is not, and the differences are
//! Kubernetes behaviour: on Lord Howe's half-hour fall-back, hours are stepped at :30 past and a
//! run at 07:04 is missed; on Chatham's spring-forward, `50 2 * * *` fires at 03:50. The crate
//! cannot express stepping in absolute time, so this module re-implements robfig's loop on top of
//! chrono-tz, with Go's `time.Date` rules for local times that do not exist or exist twice.

use super::parse::CronFields;
use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// An upper bound on loop steps; robfig's five-year limit ends every real search far sooner
/// (about 60 steps per wrap, a few thousand wraps at most).
const MAX_STEPS: u32 = 2_000_000;

/// Sampling interval for offset changes; real zones never change twice within it.
const OFFSET_SAMPLE_SECS: i64 = 6 * 3600;

/// Whether `zone`'s UTC offset changes anywhere in `(from, until]`.
pub(crate) fn offset_changes(zone: Tz, from: DateTime<Utc>, until: DateTime<Utc>) -> bool {
    let start_offset = offset_secs(zone, from.timestamp());
    let mut at = from.timestamp();
    while at < until.timestamp() {
        at = (at + OFFSET_SAMPLE_SECS).min(until.timestamp());
        if offset_secs(zone, at) != start_offset {
            return true;
        }
    }
    false
}

/// The next run strictly after `from`; mirrors robfig v3.0.1 `SpecSchedule.Next` step for step.
/// Each field's loop is a method of [`Search`]; `Wrap` is robfig's `goto WRAP`. `None` past the
/// five-year limit.
pub(crate) fn robfig_next(
    fields: &CronFields,
    zone: Tz,
    from: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let clock = GoClock { zone };
    // Start at the next whole second.
    let t = from.timestamp() + 1;
    let year_limit = clock.local(t).year() + 5;
    let mut search = Search {
        fields,
        clock,
        t,
        added: false,
        steps: 0,
    };
    loop {
        if search.clock.local(search.t).year() > year_limit {
            return None;
        }
        let outcome = search
            .find_month()
            .and_then(|()| search.find_day())
            .and_then(|()| search.find_hour())
            .and_then(|()| search.find_minute())
            .and_then(|()| search.find_second());
        match outcome {
            Ok(()) => return DateTime::from_timestamp(search.t, 0),
            Err(Restart::Wrap) => continue,
            Err(Restart::GiveUp) => return None,
        }
    }
}

/// Why a field loop stopped before the fields all matched.
enum Restart {
    /// A field wrapped around: check every field again from the month (robfig's `goto WRAP`).
    Wrap,
    /// The step budget ran out (never reached within robfig's five-year limit).
    GiveUp,
}

/// The state of one robfig search: the candidate instant `t` and whether it has been moved yet
/// (robfig's `added`: the first move also zeroes the smaller units).
struct Search<'a> {
    fields: &'a CronFields,
    clock: GoClock,
    t: i64,
    added: bool,
    steps: u32,
}

impl Search<'_> {
    /// Counts one loop step; `GiveUp` once the budget is spent.
    fn step(&mut self) -> Result<(), Restart> {
        self.steps += 1;
        if self.steps <= MAX_STEPS {
            Ok(())
        } else {
            Err(Restart::GiveUp)
        }
    }

    /// Months: jump to the 1st at midnight, then add calendar months.
    fn find_month(&mut self) -> Result<(), Restart> {
        while self.fields.month.bits & (1 << self.clock.local(self.t).month()) == 0 {
            self.step()?;
            if !self.added {
                self.added = true;
                let now = self.clock.local(self.t);
                self.t = self.clock.date(now.year(), now.month() as i64, 1, 0, 0);
            }
            self.t = self.clock.add_date(self.t, 1, 0);
            if self.clock.local(self.t).month() == 1 {
                return Err(Restart::Wrap);
            }
        }
        Ok(())
    }

    /// Days: jump to midnight, then add calendar days.
    fn find_day(&mut self) -> Result<(), Restart> {
        while !day_matches(self.fields, &self.clock.local(self.t)) {
            self.step()?;
            if !self.added {
                self.added = true;
                let now = self.clock.local(self.t);
                let day = now.day() as i64;
                self.t = self.clock.date(now.year(), now.month() as i64, day, 0, 0);
            }
            self.t = self.clock.add_date(self.t, 0, 1);
            // Where midnight does not exist the day starts at 01:00 (or 23:00 the day before);
            // robfig pulls it back to the hour boundary nearest midnight.
            let hour = i64::from(self.clock.local(self.t).hour());
            if hour != 0 {
                self.t += if hour > 12 {
                    (24 - hour) * 3600
                } else {
                    -hour * 3600
                };
            }
            if self.clock.local(self.t).day() == 1 {
                return Err(Restart::Wrap);
            }
        }
        Ok(())
    }

    /// Hours: truncate to the local hour, then add absolute hours. Across a half-hour offset
    /// change this lands on :30 past, which is where robfig differs from a wall-clock search.
    fn find_hour(&mut self) -> Result<(), Restart> {
        while self.fields.hour.bits & (1 << self.clock.local(self.t).hour()) == 0 {
            self.step()?;
            if !self.added {
                self.added = true;
                let now = self.clock.local(self.t);
                let (day, hour) = (now.day() as i64, i64::from(now.hour()));
                self.t = self
                    .clock
                    .date(now.year(), now.month() as i64, day, hour, 0);
            }
            self.t += 3600;
            if self.clock.local(self.t).hour() == 0 {
                return Err(Restart::Wrap);
            }
        }
        Ok(())
    }

    /// Minutes: truncate to the minute, then add absolute minutes.
    fn find_minute(&mut self) -> Result<(), Restart> {
        while self.fields.minute.bits & (1 << self.clock.local(self.t).minute()) == 0 {
            self.step()?;
            if !self.added {
                self.added = true;
                self.t -= self.t.rem_euclid(60);
            }
            self.t += 60;
            if self.clock.local(self.t).minute() == 0 {
                return Err(Restart::Wrap);
            }
        }
        Ok(())
    }

    /// Seconds: the field is always `0`, so a non-zero second steps to the next whole minute,
    /// where robfig's loop wraps.
    fn find_second(&mut self) -> Result<(), Restart> {
        let second = i64::from(self.clock.local(self.t).second());
        if second == 0 {
            return Ok(());
        }
        self.step()?;
        self.added = true;
        self.t += 60 - second;
        Err(Restart::Wrap)
    }
}

/// robfig's `dayMatches`: AND when either day field has the star bit, OR otherwise.
fn day_matches(fields: &CronFields, local: &DateTime<Tz>) -> bool {
    let dom = fields.day_of_month.bits & (1 << local.day()) != 0;
    let dow = fields.day_of_week.bits & (1 << local.weekday().num_days_from_sunday()) != 0;
    if fields.day_of_month.star || fields.day_of_week.star {
        dom && dow
    } else {
        dom || dow
    }
}

/// Go's `time` arithmetic in one zone, on Unix seconds.
struct GoClock {
    zone: Tz,
}

impl GoClock {
    /// The instant's local date and time in the zone (`t.In(loc)`).
    fn local(&self, unix_secs: i64) -> DateTime<Tz> {
        let at = DateTime::from_timestamp(unix_secs, 0).unwrap_or_default();
        at.with_timezone(&self.zone)
    }

    /// `t.AddDate(0, months, days)`: the same wall-clock time on the shifted date.
    fn add_date(&self, unix_secs: i64, months: i64, days: i64) -> i64 {
        let now = self.local(unix_secs);
        let wall_secs = i64::from(now.num_seconds_from_midnight());
        let month = now.month() as i64 + months;
        self.date_secs(now.year(), month, now.day() as i64 + days, wall_secs)
    }

    /// `time.Date(year, month, day, hour, minute, 0, 0, loc)`, normalising out-of-range values.
    fn date(&self, year: i32, month: i64, day: i64, hour: i64, minute: i64) -> i64 {
        self.date_secs(year, month, day, hour * 3600 + minute * 60)
    }

    /// `time.Date` with the time of day given in seconds. Month and day overflow carry into the
    /// year and month (February 30 is March 1 or 2), like Go.
    ///
    /// A local time that does not exist or exists twice resolves as Go resolves it: take the
    /// offset in force at the wall time read as UTC; if the instant that gives lies outside that
    /// offset's span, use the offset in force at that instant instead.
    fn date_secs(&self, year: i32, month: i64, day: i64, wall_secs: i64) -> i64 {
        let months_since_year_0 = i64::from(year) * 12 + (month - 1);
        let (year, month0) = (
            months_since_year_0.div_euclid(12),
            months_since_year_0.rem_euclid(12),
        );
        let first = NaiveDate::from_ymd_opt(year as i32, month0 as u32 + 1, 1).unwrap_or_default();
        let as_utc = first
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp()
            + (day - 1) * 86_400
            + wall_secs;
        let guess = offset_secs(self.zone, as_utc);
        if guess == 0 {
            return as_utc;
        }
        as_utc - i64::from(offset_secs(self.zone, as_utc - i64::from(guess)))
    }
}

/// The zone's UTC offset in seconds at the instant `unix_secs`.
fn offset_secs(zone: Tz, unix_secs: i64) -> i32 {
    let at = DateTime::from_timestamp(unix_secs, 0).unwrap_or_default();
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}
