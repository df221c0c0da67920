//! The reference's CRON and DST tables (B.4, B.5), and descriptions, with exact values.

use super::*;
use chrono::Utc;

fn at(text: &str) -> SimTime {
    SimTime::parse_rfc3339(text).unwrap()
}

fn error_of(expr: &str) -> String {
    match Schedule::parse(expr) {
        Ok(schedule) => panic!("{expr:?} parsed as {schedule:?}"),
        Err(error) => error.to_string(),
    }
}

fn runs(expr: &str, zone: Option<Tz>, from: &str, count: usize) -> Vec<String> {
    let schedule = Schedule::parse(expr).unwrap();
    schedule
        .next_runs(at(from), zone, count)
        .iter()
        .map(|t| t.to_rfc3339())
        .collect()
}

fn described(expr: &str) -> String {
    describe(&Schedule::parse(expr).unwrap())
}

#[test]
fn cron_1_sunday_as_seven_is_rejected() {
    assert_eq!(
        error_of("0 0 * * 7"),
        "end of range (7) above maximum (6): 7"
    );
}

#[test]
fn cron_2_day_of_week_range_to_seven_is_rejected() {
    assert_eq!(
        error_of("0 0 * * 0-7"),
        "end of range (7) above maximum (6): 0-7"
    );
}

#[test]
fn cron_3_minute_60_is_rejected() {
    assert_eq!(
        error_of("60 * * * *"),
        "end of range (60) above maximum (59): 60"
    );
}

#[test]
fn cron_4_hour_24_is_rejected() {
    assert_eq!(
        error_of("0 24 * * *"),
        "end of range (24) above maximum (23): 24"
    );
}

#[test]
fn cron_5_day_and_month_zero_are_below_minimum() {
    assert_eq!(
        error_of("0 0 0 * *"),
        "beginning of range (0) below minimum (1): 0"
    );
    assert_eq!(
        error_of("0 0 * 0 *"),
        "beginning of range (0) below minimum (1): 0"
    );
}

#[test]
fn cron_6_day_month_and_weekday_above_maximum() {
    assert_eq!(
        error_of("0 0 32 * *"),
        "end of range (32) above maximum (31): 32"
    );
    assert_eq!(
        error_of("0 0 * 13 *"),
        "end of range (13) above maximum (12): 13"
    );
    assert_eq!(
        error_of("0 0 * * 8"),
        "end of range (8) above maximum (6): 8"
    );
}

#[test]
fn cron_7_four_fields_are_rejected() {
    assert_eq!(
        error_of("* * * *"),
        "expected exactly 5 fields, found 4: [* * * *]"
    );
}

#[test]
fn cron_8_a_seconds_field_is_rejected() {
    assert_eq!(
        error_of("* * * * * *"),
        "expected exactly 5 fields, found 6: [* * * * * *]"
    );
}

#[test]
fn cron_9_empty_spec() {
    assert_eq!(error_of(""), "empty spec string");
}

#[test]
fn cron_10_step_zero() {
    assert_eq!(
        error_of("*/0 * * * *"),
        "step of range should be a positive number: */0"
    );
}

#[test]
fn cron_11_reversed_ranges() {
    assert_eq!(
        error_of("5-1 * * * *"),
        "beginning of range (5) beyond end of range (1): 5-1"
    );
    assert_eq!(
        error_of("0 0 * * FRI-MON"),
        "beginning of range (5) beyond end of range (1): FRI-MON"
    );
    assert_eq!(
        error_of("0 0 1 mar-jan *"),
        "beginning of range (3) beyond end of range (1): mar-jan"
    );
}

#[test]
fn cron_12_quartz_extensions_and_junk_are_not_numbers() {
    let cases = [
        ("0 0 L * *", "L"),
        ("0 0 * * MON#1", "MON#1"),
        ("0 0 1W * *", "1W"),
        ("a b c d e", "a"),
    ];
    for (expr, bad) in cases {
        assert_eq!(
            error_of(expr),
            format!(
                "failed to parse int from {bad}: strconv.Atoi: parsing \"{bad}\": invalid syntax"
            )
        );
    }
    assert_eq!(
        error_of("-1 * * * *"),
        "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"
    );
}

#[test]
fn cron_13_too_many_hyphens_or_slashes() {
    assert_eq!(error_of("1-2-3 * * * *"), "too many hyphens: 1-2-3");
    assert_eq!(error_of("1/2/3 * * * *"), "too many slashes: 1/2/3");
}

#[test]
fn cron_14_unknown_descriptors() {
    assert_eq!(error_of("@reboot"), "unrecognized descriptor: @reboot");
    assert_eq!(error_of("@foo"), "unrecognized descriptor: @foo");
}

#[test]
fn cron_15_accepted_forms() {
    for expr in [
        "? ? ? ? ?",
        "@every 90m",
        "@every 0s",
        "0 9 * jan MON-FRI",
        "0 0 * * sun",
        "*/61 * * * *",
        "0 0 * * 1-5/2",
        "0 0 ,1 * *",
        "  0   0\t* *  *  ",
    ] {
        assert!(Schedule::parse(expr).is_ok(), "{expr:?} should parse");
    }
}

#[test]
fn cron_16_impossible_dates_parse_but_never_fire() {
    for expr in ["59 23 31 2 *", "0 0 30 2 *"] {
        let schedule = Schedule::parse(expr).unwrap();
        assert_eq!(
            schedule.next_after(at("2016-05-19T10:00:10Z"), None),
            None,
            "{expr}"
        );
    }
}

#[test]
fn cron_17_tz_prefixes_are_valid_for_robfig() {
    let tokyo = Schedule::parse("CRON_TZ=Asia/Tokyo 0 0 * * *").unwrap();
    assert_eq!(tokyo.embedded_time_zone(), Some(Tz::Asia__Tokyo));
    // Midnight in Tokyo is 15:00 UTC; the prefix wins over the zone passed in.
    assert_eq!(
        tokyo.next_after(at("2024-01-01T00:00:00Z"), Some(Tz::America__New_York)),
        Some(at("2024-01-01T15:00:00Z"))
    );
    assert!(Schedule::parse("TZ=UTC 0 0 * * *").is_ok());
}

#[test]
fn cron_18_both_day_fields_restricted_are_ored() {
    assert_eq!(
        runs("0 0 13 * 5", None, "2024-01-01T00:00:00Z", 8),
        [
            "2024-01-05T00:00:00Z",
            "2024-01-12T00:00:00Z",
            "2024-01-13T00:00:00Z",
            "2024-01-19T00:00:00Z",
            "2024-01-26T00:00:00Z",
            "2024-02-02T00:00:00Z",
            "2024-02-09T00:00:00Z",
            "2024-02-13T00:00:00Z",
        ]
    );
}

#[test]
fn cron_19_business_hours_every_quarter_hour() {
    assert_eq!(
        runs("*/15 9-17 * * 1-5", None, "2024-01-05T16:50:00Z", 6),
        [
            "2024-01-05T17:00:00Z",
            "2024-01-05T17:15:00Z",
            "2024-01-05T17:30:00Z",
            "2024-01-05T17:45:00Z",
            "2024-01-08T09:00:00Z",
            "2024-01-08T09:15:00Z",
        ]
    );
}

#[test]
fn cron_20_hourly_is_strictly_after() {
    assert_eq!(
        runs("@hourly", None, "2024-01-01T10:30:00Z", 3),
        [
            "2024-01-01T11:00:00Z",
            "2024-01-01T12:00:00Z",
            "2024-01-01T13:00:00Z"
        ]
    );
    assert_eq!(
        runs("@hourly", None, "2024-01-01T10:00:00Z", 1),
        ["2024-01-01T11:00:00Z"]
    );
}

#[test]
fn cron_21_stepped_range() {
    assert_eq!(
        runs("1-10/3 * * * *", None, "2024-01-01T00:00:00Z", 5),
        [
            "2024-01-01T00:01:00Z",
            "2024-01-01T00:04:00Z",
            "2024-01-01T00:07:00Z",
            "2024-01-01T00:10:00Z",
            "2024-01-01T01:01:00Z",
        ]
    );
}

#[test]
fn cron_22_january_weekdays_wait_for_next_year() {
    assert_eq!(
        runs("0 9 * jan MON-FRI", None, "2024-01-31T10:00:00Z", 2),
        ["2025-01-01T09:00:00Z", "2025-01-02T09:00:00Z"]
    );
}

#[test]
fn cron_23_first_seven_days_or_mondays_not_first_monday() {
    let expected: Vec<String> = (2..=8)
        .map(|day| format!("2024-01-{day:02}T00:00:00Z"))
        .chain(["2024-01-15T00:00:00Z".to_string()])
        .collect();
    assert_eq!(
        runs("0 0 1-7 * 1", None, "2024-01-01T00:00:01Z", 8),
        expected
    );
}

#[test]
fn star_step_clears_the_star_bit_but_star_step_one_does_not() {
    // `*/2` on the day of the month is restricted, so Wednesdays are added (OR).
    assert_eq!(
        runs("0 0 */2 * 3", None, "2024-01-01T00:00:00Z", 4),
        [
            "2024-01-03T00:00:00Z",
            "2024-01-05T00:00:00Z",
            "2024-01-07T00:00:00Z",
            "2024-01-09T00:00:00Z"
        ]
    );
    assert_eq!(
        runs("0 0 */2 * 1", None, "2024-01-01T00:00:00Z", 4),
        [
            "2024-01-03T00:00:00Z",
            "2024-01-05T00:00:00Z",
            "2024-01-07T00:00:00Z",
            "2024-01-08T00:00:00Z"
        ]
    );
    // `*/1` keeps the star bit, so only Wednesdays match (AND with every day).
    assert_eq!(
        runs("0 0 */1 * 3", None, "2024-01-01T00:00:00Z", 2),
        ["2024-01-03T00:00:00Z", "2024-01-10T00:00:00Z"]
    );
}

#[test]
fn dst_1_spring_forward_skips_the_missing_local_time() {
    assert_eq!(
        runs(
            "30 2 * * *",
            Some(Tz::America__New_York),
            "2024-03-08T12:00:00Z",
            3
        ),
        // 03-09 02:30 EST, no run on 03-10 (02:30 does not exist), 03-11 02:30 EDT.
        [
            "2024-03-09T07:30:00Z",
            "2024-03-11T06:30:00Z",
            "2024-03-12T06:30:00Z"
        ]
    );
}

#[test]
fn dst_3_fall_back_runs_the_repeated_local_time_twice() {
    let zone = Some(Tz::America__New_York);
    assert_eq!(
        runs("30 1 * * *", zone, "2024-11-02T12:00:00Z", 3),
        // 01:30 EDT, 01:30 EST, then 11-04 01:30 EST.
        [
            "2024-11-03T05:30:00Z",
            "2024-11-03T06:30:00Z",
            "2024-11-04T06:30:00Z"
        ]
    );
    // The two runs have distinct Job names (minutes since the epoch): 28843530 and 28843590.
    let schedule = Schedule::parse("30 1 * * *").unwrap();
    let first = schedule
        .next_after(at("2024-11-02T12:00:00Z"), zone)
        .unwrap();
    let second = schedule.next_after(first, zone).unwrap();
    assert_eq!(
        (first.unix_secs() / 60, second.unix_secs() / 60),
        (28_843_530, 28_843_590)
    );
}

#[test]
fn fall_back_from_inside_the_first_pass_finds_the_second_pass() {
    // 05:45Z is 01:45 EDT; the clocks then repeat 01:00-02:00 as EST from 06:00Z.
    let zone = Some(Tz::America__New_York);
    assert_eq!(
        runs("*/15 * * * *", zone, "2024-11-03T05:45:00Z", 3),
        [
            "2024-11-03T06:00:00Z",
            "2024-11-03T06:15:00Z",
            "2024-11-03T06:30:00Z"
        ]
    );
    assert_eq!(
        runs("10 1 * * *", zone, "2024-11-03T05:45:00Z", 1),
        ["2024-11-03T06:10:00Z"]
    );
}

#[test]
fn every_runs_from_the_previous_time_keeping_seconds() {
    assert_eq!(
        runs("@every 90m", None, "2025-04-21T13:37:04Z", 2),
        ["2025-04-21T15:07:04Z", "2025-04-21T16:37:04Z"]
    );
    // Sub-second starts are truncated first, as robfig's ConstantDelaySchedule does.
    let schedule = Schedule::parse("@every 0s").unwrap();
    let from = SimTime::from_unix_ms(1_000_500);
    assert_eq!(
        schedule.next_after(from, None),
        Some(SimTime::from_unix_secs(1_001))
    );
    assert_eq!(schedule.every_secs(), Some(1));
}

#[test]
fn sub_second_start_counts_from_the_next_second() {
    let schedule = Schedule::parse("* * * * *").unwrap();
    let from = SimTime::from_unix_ms(59_999);
    assert_eq!(
        schedule.next_after(from, None),
        Some(SimTime::from_unix_secs(60))
    );
}

#[test]
fn five_year_search_limit() {
    // Leap day: from 2024-03-01 the next one (2028) is inside the search, from 2096-03-01 the
    // next (2104, as 2100 is not a leap year) is not.
    let leap = Schedule::parse("0 0 29 2 *").unwrap();
    assert_eq!(
        leap.next_after(at("2024-03-01T00:00:00Z"), None),
        Some(at("2028-02-29T00:00:00Z"))
    );
    assert_eq!(leap.next_after(at("2096-03-01T00:00:00Z"), None), None);
}

#[test]
fn comma_only_fields_never_fire() {
    let never = Schedule::parse(", * * * *").unwrap();
    assert_eq!(never.next_after(at("2024-01-01T00:00:00Z"), None), None);
    assert_eq!(describe(&never), "Never: the minute field lists no values");
    // An empty day-of-month with a restricted day-of-week leaves the weekdays (OR).
    assert_eq!(
        runs("0 0 , * 1", None, "2024-01-01T00:00:00Z", 1),
        ["2024-01-08T00:00:00Z"]
    );
}

#[test]
fn next_runs_is_bounded() {
    let every_second = Schedule::parse("@every 1s").unwrap();
    let all = every_second.next_runs(at("2024-01-01T00:00:00Z"), None, usize::MAX);
    assert_eq!(all.len(), MAX_NEXT_RUNS);
    assert_eq!(all.last().copied(), Some(at("2024-01-01T00:16:40Z")));
}

#[test]
fn descriptions_read_like_crontab_guru() {
    let cases = [
        (
            "0 9 * 1 1-5",
            "At 09:00 on every day-of-week from Monday through Friday in January",
        ),
        ("* * * * *", "At every minute"),
        (
            "*/15 9-17 * * 1-5",
            "At every 15th minute past every hour from 9 through 17 on every day-of-week from \
             Monday through Friday",
        ),
        ("@hourly", "At minute 0"),
        ("@daily", "At 00:00"),
        ("@weekly", "At 00:00 on Sunday"),
        ("@monthly", "At 00:00 on day-of-month 1"),
        ("@yearly", "At 00:00 on day-of-month 1 in January"),
        ("@every 90m", "Every 1h30m0s"),
        ("0 0 13 * 5", "At 00:00 on day-of-month 13 and on Friday"),
        (
            "0 0 */2 * 3",
            "At 00:00 on every 2nd day-of-month and on Wednesday",
        ),
        (
            "0 0 1-7 * 1",
            "At 00:00 on every day-of-month from 1 through 7 and on Monday",
        ),
        (
            "23 0-20/2 * * *",
            "At minute 23 past every 2nd hour from 0 through 20",
        ),
        ("0,30 9,17 * * *", "At minute 0 and 30 past hour 9 and 17"),
        (
            "0 0 1,15 * 3",
            "At 00:00 on day-of-month 1 and 15 and on Wednesday",
        ),
        ("1-10/3 * * * *", "At every 3rd minute from 1 through 10"),
        (
            "30 1/2 * * *",
            "At minute 30 past every 2nd hour from 1 through 23",
        ),
        (
            "0 0 1 */3 *",
            "At 00:00 on day-of-month 1 in every 3rd month",
        ),
        ("5 4 * * sun", "At 04:05 on Sunday"),
        (
            "0 12 * jan,jun,dec mon-fri",
            "At 12:00 on every day-of-week from Monday through Friday in January, June, and \
             December",
        ),
        (
            "1,5-10 * * * *",
            "At minute 1 and every minute from 5 through 10",
        ),
        ("* 9 * * *", "At every minute past hour 9"),
        (
            "CRON_TZ=Asia/Tokyo 0 0 * * *",
            "At 00:00 (time zone Asia/Tokyo)",
        ),
    ];
    for (expr, expected) in cases {
        assert_eq!(described(expr), expected, "{expr}");
    }
}

/// A random five-field schedule with every term form (values, ranges, steps, names, lists).
fn random_expr(rng: &mut rand_chacha::ChaCha8Rng) -> String {
    use rand::RngExt;
    let limits = [(0u32, 59u32), (0, 23), (1, 31), (1, 12), (0, 6)];
    let fields: Vec<String> = limits
        .iter()
        .map(|&(min, max)| {
            let terms = rng.random_range(1..=3);
            let mut pieces = Vec::new();
            for _ in 0..terms {
                let a = rng.random_range(min..=max);
                let b = rng.random_range(a..=max);
                let step = rng.random_range(1..=7);
                pieces.push(match rng.random_range(0..6) {
                    0 => "*".to_string(),
                    1 => format!("*/{step}"),
                    2 => format!("{a}-{b}"),
                    3 => format!("{a}-{b}/{step}"),
                    4 => format!("{a}/{step}"),
                    _ => a.to_string(),
                });
            }
            pieces.join(",")
        })
        .collect();
    fields.join(" ")
}

/// Seed sweep: the crate-based search agrees with robfig's own loop wherever it is used, and
/// `next_after` (which hands offset changes to robfig's loop) agrees everywhere.
#[test]
fn crate_search_agrees_with_robfig_stepping_seed_sweep() {
    use rand::{RngExt, SeedableRng};
    const SEED: u64 = 5;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(SEED);
    let zones = [
        Tz::UTC,
        Tz::Europe__Berlin,
        Tz::America__New_York,
        Tz::Australia__Lord_Howe,
        Tz::Pacific__Chatham,
    ];
    let mut by_crate_alone = 0;
    for case in 0..400 {
        let expr = random_expr(&mut rng);
        let schedule = Schedule::parse(&expr).unwrap();
        let Body::Fields(spec) = &schedule.body else {
            unreachable!("five fields")
        };
        let zone = zones[case % zones.len()];
        let mut from = SimTime::from_unix_secs(rng.random_range(1_704_067_200..1_798_761_600));
        for _ in 0..5 {
            let ours = schedule.next_after(from, Some(zone));
            let robfig = offset_change::robfig_next(&spec.fields, zone, from.to_utc());
            assert_eq!(
                ours.map(SimTime::to_rfc3339),
                robfig.map(|t| SimTime::from_utc(t).to_rfc3339()),
                "seed {SEED} case {case}: {expr:?} in {zone} after {from}"
            );
            let by_crate = spec.plan.schedules().iter().filter_map(|s| {
                s.after(&from.to_utc().with_timezone(&zone))
                    .next()
                    .map(|t| t.with_timezone(&Utc))
            });
            if let Some(first) = by_crate.min()
                && !offset_change::offset_changes(zone, from.to_utc(), first)
            {
                by_crate_alone += 1;
            }
            let Some(next) = ours else { break };
            from = next;
        }
    }
    // Most answers come from the crate; the fallback is for the few windows with a DST change.
    assert!(
        by_crate_alone > 1_500,
        "only {by_crate_alone} answers came from the crate alone"
    );
}
