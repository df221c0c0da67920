//! Plain-English descriptions of schedules, in the manner of crontab.guru.
//!
//! `0 9 * 1 1-5` reads "At 09:00 on every day-of-week from Monday through Friday in January".
//! The description follows what the user wrote (a range stays a range, a step stays a step) and
//! says the day-of-month OR day-of-week rule out loud: "on day-of-month 13 and on Friday".

use super::go_duration::format_go_duration_secs;
use super::parse::{CronFields, Field, Term, TermForm};
use super::{Body, Schedule};

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Which field a phrase is about: its unit word and how its values are named.
#[derive(Clone, Copy)]
enum Unit {
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

impl Unit {
    fn word(self) -> &'static str {
        match self {
            Unit::Minute => "minute",
            Unit::Hour => "hour",
            Unit::DayOfMonth => "day-of-month",
            Unit::Month => "month",
            Unit::DayOfWeek => "day-of-week",
        }
    }

    fn value_name(self, value: u32) -> String {
        let named = |names: &[&str], index: u32| names.get(index as usize).map(|n| n.to_string());
        match self {
            Unit::Month => named(&MONTH_NAMES, value.saturating_sub(1)),
            Unit::DayOfWeek => named(&WEEKDAYS, value),
            _ => None,
        }
        .unwrap_or_else(|| value.to_string())
    }

    /// Whether single values are said with the unit word first ("minute 5", "day-of-month 1")
    /// rather than by name alone ("Monday", "January").
    fn says_unit_before_values(self) -> bool {
        !matches!(self, Unit::Month | Unit::DayOfWeek)
    }
}

/// A plain-English description of `schedule`, e.g. "At every 15th minute past every hour from
/// 9 through 17 on every day-of-week from Monday through Friday".
pub fn describe(schedule: &Schedule) -> String {
    let text = match &schedule.body {
        Body::Every { delay_secs } => format!("Every {}", format_go_duration_secs(*delay_secs)),
        Body::Fields(spec) => describe_fields(&spec.fields),
    };
    match schedule.zone {
        Some(zone) => format!("{text} (time zone {})", zone.name()),
        None => text,
    }
}

fn describe_fields(fields: &CronFields) -> String {
    if let Some(never) = never_fires(fields) {
        return never;
    }
    let mut text = format!("At {}", time_phrase(&fields.minute, &fields.hour));
    text.push_str(&day_phrase(&fields.day_of_month, &fields.day_of_week));
    if !fields.month.star {
        text.push_str(" in ");
        text.push_str(&field_phrase(&fields.month, Unit::Month));
    }
    text
}

/// The description of a schedule that some empty field (written as commas only) stops from
/// ever firing.
fn never_fires(fields: &CronFields) -> Option<String> {
    let empty = |field: &Field| field.bits == 0;
    let (dom, dow) = (&fields.day_of_month, &fields.day_of_week);
    let no_day = if dom.star || dow.star {
        empty(dom) || empty(dow)
    } else {
        empty(dom) && empty(dow)
    };
    let reason = if empty(&fields.minute) {
        "the minute field lists no values"
    } else if empty(&fields.hour) {
        "the hour field lists no values"
    } else if empty(&fields.month) {
        "the month field lists no values"
    } else if no_day {
        "the day fields list no values"
    } else {
        return None;
    };
    Some(format!("Never: {reason}"))
}

/// "09:00" when minute and hour are one value each, else "minute 5 past every 2nd hour".
fn time_phrase(minute: &Field, hour: &Field) -> String {
    if let (Some(m), Some(h)) = (single_value(minute), single_value(hour)) {
        return format!("{h:02}:{m:02}");
    }
    let minutes = field_phrase(minute, Unit::Minute);
    if hour.star {
        minutes
    } else {
        format!("{minutes} past {}", field_phrase(hour, Unit::Hour))
    }
}

/// The day part: one restricted field, both joined by "and" (robfig ORs them), or nothing.
fn day_phrase(dom: &Field, dow: &Field) -> String {
    let said = |field: &Field, unit| format!(" on {}", field_phrase(field, unit));
    match (dom.star, dow.star) {
        (true, true) => String::new(),
        (true, false) => said(dow, Unit::DayOfWeek),
        (false, true) => said(dom, Unit::DayOfMonth),
        // Both restricted: a day matches when either matches. An empty one adds nothing.
        (false, false) if dom.bits == 0 => said(dow, Unit::DayOfWeek),
        (false, false) if dow.bits == 0 => said(dom, Unit::DayOfMonth),
        (false, false) => {
            format!(
                "{} and{}",
                said(dom, Unit::DayOfMonth),
                said(dow, Unit::DayOfWeek)
            )
        }
    }
}

/// The one value a field matches, when it is written as a single value.
fn single_value(field: &Field) -> Option<u32> {
    match field.terms.as_slice() {
        [term] if is_single(term) => Some(term.start),
        _ => None,
    }
}

fn is_single(term: &Term) -> bool {
    term.form == TermForm::Single || (term.form == TermForm::Range && term.start == term.end)
}

/// A whole field: single values gathered into one list ("minute 0, 15, and 30"), each range or
/// step its own phrase, all joined with "and".
fn field_phrase(field: &Field, unit: Unit) -> String {
    let singles: Vec<String> = field
        .terms
        .iter()
        .filter(|t| is_single(t))
        .map(|t| unit.value_name(t.start))
        .collect();
    let mut phrases = Vec::new();
    let mut singles_said = false;
    for term in &field.terms {
        if !is_single(term) {
            phrases.push(term_phrase(term, unit));
        } else if !singles_said {
            singles_said = true;
            let list = join_and(&singles);
            phrases.push(if unit.says_unit_before_values() {
                format!("{} {list}", unit.word())
            } else {
                list
            });
        }
    }
    join_and(&phrases)
}

/// "every minute", "every 15th minute", "every hour from 9 through 17",
/// "every 2nd day-of-week from Monday through Friday".
fn term_phrase(term: &Term, unit: Unit) -> String {
    let every = match term.step {
        1 => format!("every {}", unit.word()),
        step => format!("every {} {}", ordinal(step), unit.word()),
    };
    if term.form == TermForm::Star {
        every
    } else {
        let (from, to) = (unit.value_name(term.start), unit.value_name(term.end));
        format!("{every} from {from} through {to}")
    }
}

/// "1st", "2nd", "3rd", "4th", "11th", "21st", ...
fn ordinal(number: u64) -> String {
    let suffix = match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}

/// "a", "a and b", "a, b, and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}
