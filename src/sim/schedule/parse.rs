//! The Kubernetes schedule grammar: robfig/cron v3.0.1 `ParseStandard`, re-implemented.
//!
//! Validation is ours, not the `cron` crate's: the crate wants six or seven fields, numbers
//! Sunday as 1, and words its range errors differently (and wrongly: "must be less than 23" while
//! 23 is accepted). Kubernetes users see robfig's texts through the API server, so this module
//! mirrors robfig's `Parse`, `getField`, `getRange` and `parseDescriptor` step for step, in the
//! same order, so that the first error reported is the one robfig reports.

use super::ScheduleError;
use super::go_duration::parse_go_duration;
use crate::sim::validation::go_quote;
use chrono_tz::Tz;

/// The limits and names of one cron field (robfig's `bounds`).
#[derive(Debug)]
pub(crate) struct Bounds {
    pub min: u32,
    pub max: u32,
    /// Lowercase names and their values; only month and day-of-week have names.
    pub names: &'static [(&'static str, u32)],
}

pub(crate) const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
pub(crate) const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
pub(crate) const DAYS_OF_MONTH: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
pub(crate) const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
pub(crate) const DAYS_OF_WEEK: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// How a term was written; kept so that descriptions can say what the user wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TermForm {
    /// `*` or `?`, possibly with a step (`*/15`).
    Star,
    /// A single value `a`.
    Single,
    /// A range `a-b`, possibly with a step.
    Range,
    /// `a/s`, which robfig reads as `a-max/s`.
    StartStep,
}

/// One comma-separated piece of a field after validation: the values `start..=end` by `step`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    pub form: TermForm,
    pub start: u32,
    pub end: u32,
    /// At least 1; may exceed the range, in which case only `start` matches.
    pub step: u64,
}

impl Term {
    /// The bit set of the values this term matches (bit `n` = value `n`); mirrors `getBits`.
    fn bits(&self) -> u64 {
        let mut bits = 0u64;
        let mut value = u64::from(self.start);
        while value <= u64::from(self.end) {
            bits |= 1 << value;
            value = value.saturating_add(self.step);
        }
        bits
    }
}

/// One validated field: its terms, the values it matches, and robfig's "star bit".
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub terms: Vec<Term>,
    /// Bit `n` set when value `n` matches. Zero is possible (a field of only commas).
    pub bits: u64,
    /// Set when a term is `*` or `?` without a step above 1. Only the day fields use it: a day
    /// field with the star bit does not take part in the day-of-month OR day-of-week rule.
    pub star: bool,
}

impl Field {
    /// A field matching every value, written `*`.
    pub fn every(bounds: &Bounds) -> Field {
        let term = Term {
            form: TermForm::Star,
            start: bounds.min,
            end: bounds.max,
            step: 1,
        };
        Field {
            bits: term.bits(),
            terms: vec![term],
            star: true,
        }
    }

    /// A field matching the single value `value`.
    pub fn single(value: u32) -> Field {
        let term = Term {
            form: TermForm::Single,
            start: value,
            end: value,
            step: 1,
        };
        Field {
            bits: term.bits(),
            terms: vec![term],
            star: false,
        }
    }
}

/// The five fields of a standard cron expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CronFields {
    pub minute: Field,
    pub hour: Field,
    pub day_of_month: Field,
    pub month: Field,
    pub day_of_week: Field,
}

/// What a schedule string parses into, before any time zone is applied.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ParsedBody {
    /// A field-based schedule (robfig's `SpecSchedule`), including the named descriptors.
    Fields(CronFields),
    /// `@every <duration>` (robfig's `ConstantDelaySchedule`): the delay in whole seconds.
    Every { delay_secs: i64 },
}

/// A parsed schedule string and the zone from a `TZ=`/`CRON_TZ=` prefix, if any.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parsed {
    pub zone: Option<Tz>,
    pub body: ParsedBody,
}

/// Parses a schedule exactly as robfig/cron v3.0.1 `ParseStandard` does; mirrors `Parser.Parse`.
pub(crate) fn parse_standard(spec: &str) -> Result<Parsed, ScheduleError> {
    if spec.is_empty() {
        return Err(ScheduleError::new("empty spec string"));
    }
    let (zone, spec) = split_zone_prefix(spec)?;
    if spec.starts_with('@') {
        return parse_descriptor(spec).map(|body| Parsed { zone, body });
    }

    // Go's strings.Fields splits on the same Unicode white space as split_whitespace.
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(ScheduleError::new(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        )));
    }
    let cron_fields = CronFields {
        minute: parse_field(fields[0], &MINUTES)?,
        hour: parse_field(fields[1], &HOURS)?,
        day_of_month: parse_field(fields[2], &DAYS_OF_MONTH)?,
        month: parse_field(fields[3], &MONTHS)?,
        day_of_week: parse_field(fields[4], &DAYS_OF_WEEK)?,
    };
    Ok(Parsed {
        zone,
        body: ParsedBody::Fields(cron_fields),
    })
}

/// Splits off a `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix. robfig accepts these (Kubernetes
/// rejects them on create, see `validate`); the zone ends at the first ASCII space.
fn split_zone_prefix(spec: &str) -> Result<(Option<Tz>, &str), ScheduleError> {
    if !(spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=")) {
        return Ok((None, spec));
    }
    let name_start = spec.find('=').map_or(0, |eq| eq + 1);
    // DIVERGENCE: robfig v3.0.1 slices `spec[eq+1:i]` without checking that a space exists, so
    // `TZ=UTC` alone panics inside the API server; we report a schedule error instead.
    let Some(space) = spec.find(' ') else {
        return Err(ScheduleError::new(format!(
            "expected a schedule after the time zone: {spec}"
        )));
    };
    let name = &spec[name_start..space];
    let zone = load_location(name)
        .map_err(|error| ScheduleError::new(format!("provided bad location {name}: {error}")))?;
    Ok((Some(zone), spec[space..].trim()))
}

/// Resolves a zone name as Go's `time.LoadLocation` does: `""` and `UTC` are UTC, anything else
/// must be an IANA name (case-sensitive).
///
/// DIVERGENCE: Go's `Local` is the kube-controller-manager's own zone; the simulated controller
/// runs in UTC, so `Local` is UTC here.
pub(crate) fn load_location(name: &str) -> Result<Tz, String> {
    match name {
        "" | "UTC" | "Local" => Ok(Tz::UTC),
        _ => name
            .parse::<Tz>()
            .map_err(|_| format!("unknown time zone {name}")),
    }
}

/// Parses `@yearly`, `@every 90m`, ...; mirrors `parseDescriptor`. Names are case-sensitive and
/// the whole string must match, as in robfig.
fn parse_descriptor(descriptor: &str) -> Result<ParsedBody, ScheduleError> {
    let fields = |minute, hour, day_of_month, month, day_of_week| {
        Ok(ParsedBody::Fields(CronFields {
            minute,
            hour,
            day_of_month,
            month,
            day_of_week,
        }))
    };
    let every = Field::every;
    match descriptor {
        "@yearly" | "@annually" => fields(
            Field::single(0),
            Field::single(0),
            Field::single(1),
            Field::single(1),
            every(&DAYS_OF_WEEK),
        ),
        "@monthly" => fields(
            Field::single(0),
            Field::single(0),
            Field::single(1),
            every(&MONTHS),
            every(&DAYS_OF_WEEK),
        ),
        "@weekly" => fields(
            Field::single(0),
            Field::single(0),
            every(&DAYS_OF_MONTH),
            every(&MONTHS),
            Field::single(0),
        ),
        "@daily" | "@midnight" => fields(
            Field::single(0),
            Field::single(0),
            every(&DAYS_OF_MONTH),
            every(&MONTHS),
            every(&DAYS_OF_WEEK),
        ),
        "@hourly" => fields(
            Field::single(0),
            every(&HOURS),
            every(&DAYS_OF_MONTH),
            every(&MONTHS),
            every(&DAYS_OF_WEEK),
        ),
        _ => match descriptor.strip_prefix("@every ") {
            Some(duration) => parse_go_duration(duration)
                .map(|duration_ns| ParsedBody::Every {
                    delay_secs: every_delay_secs(duration_ns),
                })
                .map_err(|error| {
                    ScheduleError::new(format!("failed to parse duration {descriptor}: {error}"))
                }),
            None => Err(ScheduleError::new(format!(
                "unrecognized descriptor: {descriptor}"
            ))),
        },
    }
}

/// The delay robfig's `Every` keeps: at least one second, sub-second part dropped. So
/// `@every 0s` and `@every -5m` run every second and `@every 1.5s` every second too.
fn every_delay_secs(duration_ns: i64) -> i64 {
    const SEC_NS: i64 = 1_000_000_000;
    if duration_ns < SEC_NS {
        1
    } else {
        duration_ns / SEC_NS
    }
}

/// Parses one comma-separated field; mirrors `getField`. Empty pieces (`,5` or `5,,6`) are
/// skipped like Go's `strings.FieldsFunc` does, so a field of commas matches nothing.
fn parse_field(text: &str, bounds: &Bounds) -> Result<Field, ScheduleError> {
    let mut field = Field {
        terms: Vec::new(),
        bits: 0,
        star: false,
    };
    for piece in text.split(',').filter(|piece| !piece.is_empty()) {
        let (term, star) = parse_term(piece, bounds)?;
        field.bits |= term.bits();
        field.star |= star;
        field.terms.push(term);
    }
    Ok(field)
}

/// Parses one `a`, `a-b`, `*`, with an optional `/step`; mirrors `getRange`, including its quirks:
/// `*-5` is a plain `*` (the part after a star's hyphen is never read), `a/s` means `a-max/s`, and
/// a step above 1 clears the star bit while `*/1` keeps it.
fn parse_term(expr: &str, bounds: &Bounds) -> Result<(Term, bool), ScheduleError> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_value = low_and_high.len() == 1;

    let (mut form, start, mut end, mut star) = if matches!(low_and_high[0], "*" | "?") {
        (
            TermForm::Star,
            u64::from(bounds.min),
            u64::from(bounds.max),
            true,
        )
    } else {
        let start = parse_int_or_name(low_and_high[0], bounds)?;
        match low_and_high.len() {
            1 => (TermForm::Single, start, start, false),
            2 => (
                TermForm::Range,
                start,
                parse_int_or_name(low_and_high[1], bounds)?,
                false,
            ),
            _ => return Err(ScheduleError::new(format!("too many hyphens: {expr}"))),
        }
    };

    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if single_value {
                end = u64::from(bounds.max);
                if form == TermForm::Single {
                    form = TermForm::StartStep;
                }
            }
            if step > 1 {
                star = false;
            }
            step
        }
        _ => return Err(ScheduleError::new(format!("too many slashes: {expr}"))),
    };

    check_range(expr, start, end, step, bounds)?;
    // The checks above bound start and end by the field's limits, all below 64.
    let term = Term {
        form,
        start: start as u32,
        end: end as u32,
        step,
    };
    Ok((term, star))
}

/// robfig's range checks, in robfig's order.
fn check_range(
    expr: &str,
    start: u64,
    end: u64,
    step: u64,
    b: &Bounds,
) -> Result<(), ScheduleError> {
    let message = if start < u64::from(b.min) {
        format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        )
    } else if end > u64::from(b.max) {
        format!("end of range ({end}) above maximum ({}): {expr}", b.max)
    } else if start > end {
        format!("beginning of range ({start}) beyond end of range ({end}): {expr}")
    } else if step == 0 {
        format!("step of range should be a positive number: {expr}")
    } else {
        return Ok(());
    };
    Err(ScheduleError::new(message))
}

/// A name (`jan`, `MON`, any case) or a number; mirrors `parseIntOrName`.
fn parse_int_or_name(expr: &str, bounds: &Bounds) -> Result<u64, ScheduleError> {
    let lower = expr.to_lowercase();
    match bounds.names.iter().find(|(name, _)| *name == lower) {
        Some(&(_, value)) => Ok(u64::from(value)),
        None => must_parse_int(expr),
    }
}

/// A non-negative decimal number; mirrors `mustParseInt` over Go's `strconv.Atoi`.
fn must_parse_int(expr: &str) -> Result<u64, ScheduleError> {
    match go_atoi(expr) {
        Ok(number) if number < 0 => Err(ScheduleError::new(format!(
            "negative number ({number}) not allowed: {expr}"
        ))),
        Ok(number) => Ok(number.unsigned_abs()),
        Err(error) => Err(ScheduleError::new(format!(
            "failed to parse int from {expr}: {error}"
        ))),
    }
}

/// Go's `strconv.Atoi` on a 64-bit platform: an optional sign and decimal digits, with Go's
/// error texts. Like Go's `ParseUint`, a bad character is reported if it comes before the digit
/// that overflows, and an overflow if it comes first.
fn go_atoi(text: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.Atoi: parsing {}: invalid syntax", go_quote(text));
    let range = || {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            go_quote(text)
        )
    };
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    if digits.is_empty() {
        return Err(syntax());
    }

    let mut magnitude: u64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return Err(syntax());
        }
        if magnitude > u64::MAX / 10 {
            return Err(range());
        }
        magnitude = (magnitude * 10)
            .checked_add(u64::from(byte - b'0'))
            .ok_or_else(range)?;
    }

    const LIMIT: u64 = 1 << 63;
    match (negative, magnitude) {
        (false, m) if m >= LIMIT => Err(range()),
        (true, m) if m > LIMIT => Err(range()),
        (true, m) => Ok(0i64.wrapping_sub_unsigned(m)),
        (false, m) => Ok(m as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(spec: &str) -> String {
        match parse_standard(spec) {
            Ok(parsed) => panic!("{spec:?} parsed as {parsed:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn atoi_matches_go_texts() {
        assert_eq!(go_atoi("+5"), Ok(5));
        assert_eq!(go_atoi("-1"), Ok(-1));
        assert_eq!(
            go_atoi(""),
            Err("strconv.Atoi: parsing \"\": invalid syntax".into())
        );
        assert_eq!(
            go_atoi("+"),
            Err("strconv.Atoi: parsing \"+\": invalid syntax".into())
        );
        assert_eq!(
            go_atoi("1_000"),
            Err("strconv.Atoi: parsing \"1_000\": invalid syntax".into())
        );
        assert_eq!(
            go_atoi("9223372036854775808"),
            Err("strconv.Atoi: parsing \"9223372036854775808\": value out of range".into())
        );
        assert_eq!(go_atoi("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(
            go_atoi("9999999999999999999x"),
            Err("strconv.Atoi: parsing \"9999999999999999999x\": invalid syntax".into())
        );
        assert_eq!(
            go_atoi("99999999999999999999x"),
            Err("strconv.Atoi: parsing \"99999999999999999999x\": value out of range".into())
        );
    }

    #[test]
    fn star_bit_follows_robfig() {
        let star_of = |spec: &str| match parse_standard(spec) {
            Ok(Parsed {
                body: ParsedBody::Fields(fields),
                ..
            }) => fields.day_of_month.star,
            other => panic!("{spec:?} gave {other:?}"),
        };
        assert!(star_of("0 0 * * 1"));
        assert!(star_of("0 0 ? * 1"));
        assert!(star_of("0 0 */1 * 1"));
        assert!(star_of("0 0 *-5 * 1"));
        assert!(!star_of("0 0 */2 * 1"));
        assert!(!star_of("0 0 1-31 * 1"));
    }

    #[test]
    fn quirks_of_robfig_are_kept() {
        assert!(parse_standard("*-5 * * * *").is_ok());
        assert!(parse_standard("+5 * * * *").is_ok());
        assert!(parse_standard(", * * * *").is_ok());
        assert_eq!(
            error_of(" @hourly"),
            "expected exactly 5 fields, found 1: [@hourly]"
        );
        assert_eq!(error_of("@hourly "), "unrecognized descriptor: @hourly ");
        assert_eq!(error_of("@Daily"), "unrecognized descriptor: @Daily");
        assert_eq!(error_of("   "), "expected exactly 5 fields, found 0: []");
        assert_eq!(
            error_of("*/-1 * * * *"),
            "negative number (-1) not allowed: -1"
        );
        assert_eq!(
            error_of("70/0 * * * *"),
            "beginning of range (70) beyond end of range (59): 70/0"
        );
        assert_eq!(
            error_of("0 0 * * tues"),
            "failed to parse int from tues: strconv.Atoi: parsing \"tues\": invalid syntax"
        );
        assert_eq!(
            error_of("@every 90"),
            "failed to parse duration @every 90: time: missing unit in duration \"90\""
        );
        assert_eq!(error_of("@every"), "unrecognized descriptor: @every");
    }

    #[test]
    fn every_keeps_whole_seconds_and_at_least_one() {
        let delay_of = |spec: &str| match parse_standard(spec) {
            Ok(Parsed {
                body: ParsedBody::Every { delay_secs },
                ..
            }) => delay_secs,
            other => panic!("{spec:?} gave {other:?}"),
        };
        assert_eq!(delay_of("@every 0s"), 1);
        assert_eq!(delay_of("@every -5m"), 1);
        assert_eq!(delay_of("@every 1.9s"), 1);
        assert_eq!(delay_of("@every 2.5s"), 2);
        assert_eq!(delay_of("@every 1h30m"), 5400);
    }

    #[test]
    fn time_zone_prefix_is_parsed_like_robfig() {
        let parsed = parse_standard("CRON_TZ=Asia/Tokyo 0 0 * * *").map(|p| p.zone);
        assert_eq!(parsed, Ok(Some(Tz::Asia__Tokyo)));
        assert_eq!(
            error_of("TZ=Mars/Olympus 0 0 * * *"),
            "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"
        );
        assert_eq!(
            parse_standard("TZ=UTC @hourly").map(|p| p.zone),
            Ok(Some(Tz::UTC))
        );
    }
}
