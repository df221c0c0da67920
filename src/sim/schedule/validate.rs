//! API-server validation of `spec.schedule` and `spec.timeZone` on CronJob create.
//!
//! Mirrors `validateScheduleFormat` and `validateTimeZone` in Kubernetes'
//! `pkg/apis/batch/validation/validation.go`, with its error texts.

use super::{Schedule, Tz, parse};
use crate::sim::validation::{BadValue, FieldError, FieldPath};

/// The detail for a `TZ=`/`CRON_TZ=` prefix on create (Kubernetes 1.29+).
const TZ_IN_SCHEDULE: &str = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";

/// The detail when an old object with a zone prefix also sets `timeZone`.
const TZ_TWICE: &str = "cannot use both timeZone field and TZ or CRON_TZ in schedule";

/// Validates `spec.schedule` of a CronJob being created: required, parseable, and free of
/// `TZ`. All problems are returned, as the API server lists them all.
pub fn validate_schedule(expr: &str) -> Result<(), Vec<FieldError>> {
    let path = FieldPath::new("spec").child("schedule");
    let errors = if expr.is_empty() {
        vec![FieldError::required(path, "")]
    } else {
        validate_schedule_format(expr, false, None, &path)
    };
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The schedule checks proper; mirrors `validateScheduleFormat`. `allow_tz_in_schedule` is true
/// on update when the old schedule already had a `TZ` (legacy objects stay editable).
pub fn validate_schedule_format(
    expr: &str,
    allow_tz_in_schedule: bool,
    time_zone: Option<&str>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let bad_value = || BadValue::Str(expr.to_string());
    if let Err(error) = Schedule::parse(expr) {
        errors.push(FieldError::invalid(
            path.clone(),
            bad_value(),
            error.message(),
        ));
    }
    // Upstream looks for the bare substring "TZ", so it catches both prefixes (and any other
    // "TZ", which no valid schedule contains).
    let has_tz = expr.contains("TZ");
    if allow_tz_in_schedule && has_tz && time_zone.is_some() {
        errors.push(FieldError::invalid(path.clone(), bad_value(), TZ_TWICE));
    } else if !allow_tz_in_schedule && has_tz {
        errors.push(FieldError::invalid(
            path.clone(),
            bad_value(),
            TZ_IN_SCHEDULE,
        ));
    }
    errors
}

/// Validates `spec.timeZone`; mirrors `validateTimeZone`. `None` (unset) is fine; `""`, `Local`
/// and names that are not IANA zones are not.
pub fn validate_time_zone(time_zone: Option<&str>) -> Result<(), Vec<FieldError>> {
    let Some(name) = time_zone else { return Ok(()) };
    let path = FieldPath::new("spec").child("timeZone");
    let invalid =
        |detail: String| FieldError::invalid(path.clone(), BadValue::Str(name.into()), detail);

    if name.is_empty() {
        return Err(vec![invalid(
            "timeZone must be nil or non-empty string".into(),
        )]);
    }
    // Each path element must look like a tz database file name before it is even looked up.
    if name.split('/').any(|part| !is_plausible_zone_part(part)) {
        return Err(vec![invalid(format!("unknown time zone {name}"))]);
    }

    let mut errors = Vec::new();
    if name.eq_ignore_ascii_case("Local") {
        errors.push(invalid(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        ));
    }
    if let Err(error) = parse::load_location(name) {
        errors.push(invalid(error));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Upstream's `validTimeZoneCharacters` check on one `/`-separated part: 1 to 14 characters of
/// `A-Za-z0-9._-+`, not `.` or `..`, not starting with `-`.
fn is_plausible_zone_part(part: &str) -> bool {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    (1..=14).contains(&part.len())
        && part.chars().all(allowed)
        && part != "."
        && part != ".."
        && !part.starts_with('-')
}

/// Resolves a valid `spec.timeZone` to a zone; `None` means UTC. Errors are worded as
/// [`validate_time_zone`] words them.
pub fn parse_time_zone(time_zone: Option<&str>) -> Result<Option<Tz>, Vec<FieldError>> {
    validate_time_zone(time_zone)?;
    // Validation passed, so the name loads; map_err keeps this total without a panic path.
    time_zone
        .map(|name| {
            parse::load_location(name).map_err(|error| {
                let path = FieldPath::new("spec").child("timeZone");
                vec![FieldError::invalid(path, BadValue::Str(name.into()), error)]
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule_errors(expr: &str) -> Vec<String> {
        match validate_schedule(expr) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    fn zone_errors(name: Option<&str>) -> Vec<String> {
        match validate_time_zone(name) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn cron_1_day_of_week_seven_is_rejected_with_the_api_message() {
        assert_eq!(
            schedule_errors("0 0 * * 7"),
            ["spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"]
        );
    }

    #[test]
    fn cj_18_minute_61_is_rejected() {
        assert_eq!(
            schedule_errors("61 * * * *"),
            [
                "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum \
                 (59): 61"
            ]
        );
    }

    #[test]
    fn cron_9_empty_schedule_is_a_required_value() {
        assert_eq!(schedule_errors(""), ["spec.schedule: Required value"]);
    }

    #[test]
    fn cron_17_and_cj_18_tz_prefixes_are_rejected_on_create() {
        assert_eq!(
            schedule_errors("CRON_TZ=UTC * * * * *"),
            [
                "spec.schedule: Invalid value: \"CRON_TZ=UTC * * * * *\": cannot use TZ or CRON_TZ \
              in schedule, use timeZone field instead"
            ]
        );
        assert_eq!(
            schedule_errors("TZ=UTC 0 0 * * *"),
            [
                "spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use TZ or CRON_TZ in \
              schedule, use timeZone field instead"
            ]
        );
    }

    #[test]
    fn a_bad_tz_prefix_reports_both_problems() {
        assert_eq!(
            schedule_errors("TZ=Nowhere 0 0 * * *"),
            [
                "spec.schedule: Invalid value: \"TZ=Nowhere 0 0 * * *\": provided bad location \
                 Nowhere: unknown time zone Nowhere",
                "spec.schedule: Invalid value: \"TZ=Nowhere 0 0 * * *\": cannot use TZ or \
                 CRON_TZ in schedule, use timeZone field instead",
            ]
        );
    }

    #[test]
    fn legacy_tz_prefix_is_allowed_on_update_but_not_with_time_zone() {
        let path = FieldPath::new("spec").child("schedule");
        assert!(validate_schedule_format("TZ=UTC 0 0 * * *", true, None, &path).is_empty());
        let errors = validate_schedule_format("TZ=UTC 0 0 * * *", true, Some("UTC"), &path);
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use both timeZone \
              field and TZ or CRON_TZ in schedule"
            ]
        );
    }

    #[test]
    fn cj_18_time_zone_validation() {
        assert!(zone_errors(None).is_empty());
        assert!(zone_errors(Some("Europe/Paris")).is_empty());
        assert!(zone_errors(Some("UTC")).is_empty());
        assert_eq!(
            zone_errors(Some("Europe/Pariss")),
            ["spec.timeZone: Invalid value: \"Europe/Pariss\": unknown time zone Europe/Pariss"]
        );
        assert_eq!(
            zone_errors(Some("")),
            ["spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"]
        );
        assert_eq!(
            zone_errors(Some("Local")),
            [
                "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone \
              as defined in https://www.iana.org/time-zones"
            ]
        );
        assert_eq!(
            zone_errors(Some("bad timezone")),
            ["spec.timeZone: Invalid value: \"bad timezone\": unknown time zone bad timezone"]
        );
        assert_eq!(
            zone_errors(Some("../etc/passwd")),
            ["spec.timeZone: Invalid value: \"../etc/passwd\": unknown time zone ../etc/passwd"]
        );
    }

    #[test]
    fn parse_time_zone_resolves_names() {
        assert_eq!(parse_time_zone(None), Ok(None));
        assert_eq!(
            parse_time_zone(Some("Europe/Rome")),
            Ok(Some(Tz::Europe__Rome))
        );
        assert!(parse_time_zone(Some("Mars/Base")).is_err());
    }
}
