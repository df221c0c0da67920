//! Running validated Kubernetes fields on the `cron` crate.
//!
//! The crate does the calendar search: given a wall-clock start it finds the next local date
//! and time whose fields match, skips local times that do not exist, and reports both instants
//! of a repeated local time. We translate our fields into its syntax and add only what it cannot
//! express:
//!
//! - its expressions have a seconds field (always `0` for us) and number Sunday as 1, so the
//!   day-of-week values 0–6 shift to 1–7;
//! - it always ANDs day-of-month with day-of-week, while robfig ORs them when both are
//!   restricted, so that case becomes two crate schedules and the earlier answer wins;
//! - a field of only commas matches nothing in robfig, which the crate cannot write;
//! - across a UTC-offset change robfig steps in absolute time, which no wall-clock search can
//!   reproduce; `next` hands those windows to `offset_change`.

use super::parse::{
    CronFields, DAYS_OF_MONTH, DAYS_OF_WEEK, Field, HOURS, MINUTES, MONTHS, TermForm,
};
use std::str::FromStr;

/// The crate schedules that together express one Kubernetes field schedule.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CratePlan {
    /// Some field matches no value: the schedule never fires.
    Never,
    /// One crate schedule says it all (at most one day field is restricted, or one is empty).
    One(Box<cron::Schedule>),
    /// Day-of-month OR day-of-week: the first schedule restricts only the day of the month, the
    /// second only the day of the week; the schedule fires at the earlier of the two.
    Either(Box<[cron::Schedule; 2]>),
}

impl CratePlan {
    /// The crate schedules to consult for the next run.
    pub fn schedules(&self) -> &[cron::Schedule] {
        match self {
            CratePlan::Never => &[],
            CratePlan::One(one) => std::slice::from_ref(one.as_ref()),
            CratePlan::Either(both) => both.as_slice(),
        }
    }
}

/// Builds the crate schedules for validated fields; mirrors the day rule of robfig's
/// `dayMatches`: when either day field carries the star bit both must match (AND), otherwise
/// either may (OR).
pub(crate) fn plan(fields: &CronFields) -> CratePlan {
    if fields.minute.bits == 0 || fields.hour.bits == 0 || fields.month.bits == 0 {
        return CratePlan::Never;
    }
    let dom_text = field_text(
        &fields.day_of_month,
        DAYS_OF_MONTH.min,
        DAYS_OF_MONTH.max,
        0,
    );
    let dow_text = field_text(&fields.day_of_week, DAYS_OF_WEEK.min, DAYS_OF_WEEK.max, 1);
    let build = |dom: &str, dow: &str| crate_schedule(fields, dom, dow);
    let dom_empty = fields.day_of_month.bits == 0;
    let dow_empty = fields.day_of_week.bits == 0;

    if fields.day_of_month.star || fields.day_of_week.star {
        if dom_empty || dow_empty {
            return CratePlan::Never;
        }
        return CratePlan::One(Box::new(build(&dom_text, &dow_text)));
    }
    match (dom_empty, dow_empty) {
        (true, true) => CratePlan::Never,
        (true, false) => CratePlan::One(Box::new(build("*", &dow_text))),
        (false, true) => CratePlan::One(Box::new(build(&dom_text, "*"))),
        (false, false) => {
            CratePlan::Either(Box::new([build(&dom_text, "*"), build("*", &dow_text)]))
        }
    }
}

/// The crate schedule `0 <minute> <hour> <dom> <month> <dow>` for our fields.
fn crate_schedule(fields: &CronFields, dom_text: &str, dow_text: &str) -> cron::Schedule {
    let minute = field_text(&fields.minute, MINUTES.min, MINUTES.max, 0);
    let hour = field_text(&fields.hour, HOURS.min, HOURS.max, 0);
    let month = field_text(&fields.month, MONTHS.min, MONTHS.max, 0);
    let expression = format!("0 {minute} {hour} {dom_text} {month} {dow_text}");
    cron::Schedule::from_str(&expression).unwrap_or_else(|error| {
        // Every term was range-checked by our parser and is written in the crate's plainest
        // syntax (`a`, `a-b`, `a-b/s` with s no larger than the range), so a rejection here is a
        // bug in this translation, not bad user input.
        panic!("the cron crate rejected the translated expression {expression:?}: {error}")
    })
}

/// Writes one non-empty field in the crate's syntax, adding `shift` to every value (1 for the
/// day of the week, whose Sunday is 0 for robfig and 1 for the crate).
fn field_text(field: &Field, min: u32, max: u32, shift: u32) -> String {
    if field.star || field.terms.is_empty() {
        return "*".to_string();
    }
    let terms: Vec<String> = field
        .terms
        .iter()
        .map(|term| {
            let (start, end) = (term.start + shift, term.end + shift);
            let span = u64::from(term.end - term.start);
            if term.form == TermForm::Star && term.step == 1 && (term.start, term.end) == (min, max)
            {
                "*".to_string()
            } else if start == end || term.step > span {
                // The crate refuses steps larger than the field; robfig then matches the start
                // only.
                start.to_string()
            } else if term.step == 1 {
                format!("{start}-{end}")
            } else {
                format!("{start}-{end}/{}", term.step)
            }
        })
        .collect();
    terms.join(",")
}
