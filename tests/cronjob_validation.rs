//! CronJob create and update validation through the API (CJ-18, C-17, C-24): the messages
//! `kubectl apply` would print, field path and quoted value included.

use kubarium::sim::Sim;
use kubarium::sim::command::Command;
use kubarium::sim::model::*;

fn hello() -> CronJob {
    CronJob::new("default", "hello", "* * * * *", "busybox", &["date"])
}

fn create(cj: CronJob) -> Result<String, String> {
    let mut sim = Sim::new(1);
    sim.submit(Command::apply(cj))
        .map(|o| o.message)
        .map_err(|e| e.to_string())
}

fn rejected(cj: CronJob) -> String {
    create(cj).expect_err("the API server refuses it")
}

#[test]
fn the_hello_example_is_created_with_defaults() {
    let mut sim = Sim::new(1);
    let outcome = sim.submit(Command::apply(hello())).expect("valid");
    assert_eq!(outcome.message, "cronjob.batch/hello created");
    let cj = sim
        .store()
        .cron_jobs()
        .iter()
        .next()
        .expect("stored")
        .clone();
    assert_eq!(cj.spec.concurrency_policy, Some(ConcurrencyPolicy::Allow));
    assert_eq!(cj.spec.suspend, Some(false));
    assert_eq!(cj.spec.successful_jobs_history_limit, Some(3));
    assert_eq!(cj.spec.failed_jobs_history_limit, Some(1));
    assert_eq!(cj.spec.starting_deadline_seconds, None);
}

#[test]
fn cj_18_a_cron_tz_prefix_is_rejected_on_create() {
    let mut cj = hello();
    cj.spec.schedule = "CRON_TZ=UTC * * * * *".into();
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.schedule: Invalid value: \"CRON_TZ=UTC * * * * \
         *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    );
}

#[test]
fn cj_18_minute_61_is_out_of_range() {
    let mut cj = hello();
    cj.spec.schedule = "61 * * * *".into();
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.schedule: Invalid value: \"61 * * * *\": end of \
         range (61) above maximum (59): 61"
    );
}

#[test]
fn c_17_day_of_week_7_is_not_sunday() {
    let mut cj = hello();
    cj.spec.schedule = "0 0 * * 7".into();
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.schedule: Invalid value: \"0 0 * * 7\": end of \
         range (7) above maximum (6): 7"
    );
}

#[test]
fn an_empty_schedule_is_required() {
    let mut cj = hello();
    cj.spec.schedule = String::new();
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.schedule: Required value"
    );
}

#[test]
fn cj_18_time_zones_must_be_known_explicit_and_non_empty() {
    let cases = [
        (
            "Europe/Pariss",
            "spec.timeZone: Invalid value: \"Europe/Pariss\": unknown time zone Europe/Pariss",
        ),
        (
            "Local",
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as \
             defined in https://www.iana.org/time-zones",
        ),
        (
            "",
            "spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string",
        ),
    ];
    for (zone, detail) in cases {
        let mut cj = hello();
        cj.spec.time_zone = Some(zone.into());
        assert_eq!(
            rejected(cj),
            format!("CronJob.batch \"hello\" is invalid: {detail}")
        );
    }
    let mut cj = hello();
    cj.spec.time_zone = Some("Europe/Rome".into());
    assert_eq!(create(cj), Ok("cronjob.batch/hello created".to_string()));
}

#[test]
fn cj_18_and_c_24_names_longer_than_52_characters_are_rejected() {
    let mut cj = hello();
    cj.metadata.name = "a".repeat(53);
    let name = "a".repeat(53);
    assert_eq!(
        rejected(cj),
        format!(
            "CronJob.batch \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": must \
             be no more than 52 characters"
        )
    );
    let mut cj = hello();
    cj.metadata.name = "b".repeat(52);
    assert!(
        create(cj).is_ok(),
        "52 characters leave room for -<11 digits>"
    );
}

#[test]
fn the_job_template_may_not_choose_its_selector() {
    let mut cj = hello();
    cj.spec.job_template.spec.manual_selector = Some(true);
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.jobTemplate.spec.manualSelector: Unsupported \
         value: true: supported values: \"nil\", \"false\""
    );
    let mut cj = hello();
    cj.spec.job_template.spec.selector = Some(LabelSelector::from_labels(&[("app", "x")]));
    let message = rejected(cj);
    assert!(
        message.starts_with(
            "CronJob.batch \"hello\" is invalid: spec.jobTemplate.spec.selector: Invalid value: "
        ) && message.ends_with(": `selector` will be auto-generated"),
        "{message}"
    );
}

#[test]
fn the_job_template_must_restart_on_failure_or_never() {
    let mut cj = hello();
    cj.spec.job_template.spec.template.spec.restart_policy = Some(RestartPolicy::Always);
    assert_eq!(
        rejected(cj),
        "CronJob.batch \"hello\" is invalid: spec.jobTemplate.spec.template.spec.restartPolicy: \
         Required value: valid values: \"OnFailure\", \"Never\""
    );
}

#[test]
fn an_update_with_a_bad_schedule_is_rejected_and_the_stored_object_kept() {
    let mut sim = Sim::new(1);
    sim.submit(Command::apply(hello())).expect("valid");
    let mut edit = hello();
    edit.spec.schedule = "0 0 30 2 * *".into();
    let err = sim.submit(Command::apply(edit)).expect_err("six fields");
    assert_eq!(
        err.to_string(),
        "CronJob.batch \"hello\" is invalid: spec.schedule: Invalid value: \"0 0 30 2 * *\": \
         expected exactly 5 fields, found 6: [0 0 30 2 * *]"
    );
    let stored = sim.store().cron_jobs().iter().next().expect("kept");
    assert_eq!(stored.spec.schedule, "* * * * *");
}
