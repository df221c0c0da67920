//! Simulated time: instants and durations in integer milliseconds.
//!
//! The core never asks the host for the time. Every instant is a [`SimTime`], counted in
//! milliseconds since the Unix epoch, and every span is a [`SimDuration`] in milliseconds.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// An instant on the simulated clock, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimTime(i64);

/// A span of simulated time in milliseconds. Negative spans are allowed as differences.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct SimDuration(i64);

impl SimTime {
    /// The instant `unix_ms` milliseconds after the Unix epoch.
    pub const fn from_unix_ms(unix_ms: i64) -> Self {
        SimTime(unix_ms)
    }

    /// The instant `unix_secs` seconds after the Unix epoch.
    pub const fn from_unix_secs(unix_secs: i64) -> Self {
        SimTime(unix_secs * 1000)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_ms(self) -> i64 {
        self.0
    }

    /// Whole seconds since the Unix epoch, rounded towards negative infinity.
    pub const fn unix_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// The same instant as a chrono UTC date-time.
    pub fn to_utc(self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// The instant of a chrono date-time, truncated to milliseconds.
    pub fn from_utc(at: DateTime<Utc>) -> Self {
        SimTime(at.timestamp_millis())
    }

    /// Parses an RFC 3339 instant such as `2024-01-01T00:00:00Z`.
    pub fn parse_rfc3339(text: &str) -> Result<Self, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text).map(|at| SimTime(at.timestamp_millis()))
    }

    /// Formats as Kubernetes prints timestamps: RFC 3339 in UTC, whole seconds, `Z` suffix.
    pub fn to_rfc3339(self) -> String {
        self.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ms` milliseconds.
    pub const fn from_ms(ms: i64) -> Self {
        SimDuration(ms)
    }

    /// A span of `secs` seconds.
    pub const fn from_secs(secs: i64) -> Self {
        SimDuration(secs * 1000)
    }

    /// A span of `mins` minutes.
    pub const fn from_mins(mins: i64) -> Self {
        SimDuration(mins * 60_000)
    }

    /// The span in milliseconds.
    pub const fn as_ms(self) -> i64 {
        self.0
    }

    /// The span in whole seconds, rounded towards negative infinity.
    pub const fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub<SimDuration> for SimTime {
    type Output = SimTime;
    fn sub(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_sub(rhs.0))
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_kubernetes_timestamps() {
        let at = SimTime::from_unix_secs(1_463_652_000);
        assert_eq!(at.to_rfc3339(), "2016-05-19T10:00:00Z");
        assert_eq!(SimTime::parse_rfc3339("2016-05-19T10:00:00Z"), Ok(at));
    }

    #[test]
    fn arithmetic_keeps_milliseconds() {
        let at =
            SimTime::from_unix_ms(1_000) + SimDuration::from_secs(60) + SimDuration::from_ms(100);
        assert_eq!(at.unix_ms(), 61_100);
        assert_eq!((at - SimTime::from_unix_ms(1_000)).as_ms(), 60_100);
        assert_eq!(SimDuration::from_ms(-1).as_secs(), -1);
    }
}
