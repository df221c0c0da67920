//! CronJob controller decisions, one sync at a time on a prepared store, as the upstream unit
//! tests in `pkg/controller/cronjob` check them (cases CJ-1 … CJ-17 of the reference).
//!
//! Base times follow upstream's `cronjob_controllerv2_test.go`: the CronJob `mycronjob` runs
//! `0 * * * ?` (hourly) and is created at 09:59 on Thursday 2016-05-19 unless a case says
//! otherwise; "ran previously" means created 08:59 with `lastScheduleTime` 09:01. Requeue
//! delays include the controller's 100 ms margin.

use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::controllers::SyncReport;
use kubarium::sim::controllers::cronjob::{job_for_run, job_name};
use kubarium::sim::model::cronjob::SCHEDULED_TIMESTAMP_ANNOTATION;
use kubarium::sim::model::*;
use kubarium::sim::schedule::Tz;
use kubarium::sim::time::{SimDuration, SimTime};

const CJ: &str = "cronjob-controller";

fn at(text: &str) -> SimTime {
    SimTime::parse_rfc3339(text).expect("valid instant")
}

/// 2016-05-19 at `hh:mm[:ss]` UTC.
fn may19(clock: &str) -> SimTime {
    let clock = if clock.len() == 5 {
        format!("{clock}:00")
    } else {
        clock.to_string()
    };
    at(&format!("2016-05-19T{clock}Z"))
}

fn key() -> ObjectKey {
    ObjectKey::new("default", "mycronjob")
}

fn hourly() -> CronJob {
    CronJob::new("default", "mycronjob", "0 * * * ?", "busybox", &["date"])
}

fn policy(policy: ConcurrencyPolicy) -> CronJob {
    let mut cj = hourly();
    cj.spec.concurrency_policy = Some(policy);
    cj
}

/// A simulation whose clock starts at `created`, holding `cj` created through the API.
fn sim_with(cj: CronJob, created: SimTime) -> Sim {
    let mut sim = Sim::starting_at(5, Settings::instant(), created);
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create(cj, created, &mut cluster.rng)
        .expect("valid cron job");
    sim
}

/// Like [`sim_with`] but skipping API validation, for objects the API server would refuse
/// today (upstream tests write such objects straight into a fake store).
fn sim_with_unvalidated(cj: CronJob, created: SimTime) -> Sim {
    let mut sim = Sim::starting_at(5, Settings::instant(), created);
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create_unvalidated(cj, created, &mut cluster.rng)
        .expect("stored");
    sim
}

fn set_now(sim: &mut Sim, now: SimTime) {
    sim.cluster_mut().now = now;
}

fn sync(sim: &mut Sim) -> SyncReport {
    sim.sync_once(CJ, &key()).expect("registered controller")
}

fn cron_job(sim: &Sim) -> CronJob {
    sim.store()
        .cron_jobs()
        .get(&key())
        .cloned()
        .expect("exists")
}

fn set_last_schedule(sim: &mut Sim, last: SimTime) {
    sim.cluster_mut()
        .store
        .modify::<CronJob>(&key(), |c| c.status.last_schedule_time = Some(last))
        .expect("exists");
}

/// Adds the Job of the run at `scheduled` (as the controller would make it) and, when
/// `listed`, its entry in `status.active`.
fn add_job(sim: &mut Sim, scheduled: SimTime, listed: bool) -> Job {
    let cj = cron_job(sim);
    let mut job = job_for_run(&cj, scheduled, None);
    // Made before any later breakage of the template (see the failed-create case).
    job.spec.backoff_limit = None;
    let now = sim.now();
    let cluster = sim.cluster_mut();
    let job = cluster
        .store
        .create(job, now, &mut cluster.rng)
        .expect("valid job");
    if listed {
        let entry = ObjectReference {
            kind: "Job".into(),
            namespace: "default".into(),
            name: job.metadata.name.clone(),
            uid: job.metadata.uid.clone(),
            api_version: "batch/v1".into(),
        };
        cluster
            .store
            .modify::<CronJob>(&key(), |c| c.status.active.push(entry))
            .expect("exists");
    }
    job
}

/// Marks a Job finished with `condition`, started at `started` and (if Complete) completed at
/// `finished`, as the Job controller would.
fn finish_job(
    sim: &mut Sim,
    name: &str,
    condition: JobConditionType,
    started: SimTime,
    finished: SimTime,
) {
    sim.cluster_mut()
        .store
        .modify::<Job>(&ObjectKey::new("default", name), |job| {
            job.status.start_time = Some(started);
            job.status.conditions.push(JobCondition {
                type_: condition,
                status: ConditionStatus::True,
                last_probe_time: Some(finished),
                last_transition_time: Some(finished),
                reason: None,
                message: None,
            });
            if condition == JobConditionType::Complete {
                job.status.completion_time = Some(finished);
            }
        })
        .expect("job exists");
}

fn active_names(sim: &Sim) -> Vec<String> {
    cron_job(sim)
        .status
        .active
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

fn job_names(sim: &Sim) -> Vec<String> {
    sim.store()
        .jobs()
        .iter()
        .map(|j| j.metadata.name.clone())
        .collect()
}

fn messages(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .with_reason(reason)
        .map(|e| e.event.message.clone())
        .collect()
}

fn requeue(minutes: i64, secs: i64, ms: i64) -> Option<SimDuration> {
    Some(SimDuration::from_ms((minutes * 60 + secs) * 1000 + ms))
}

#[test]
fn cj_1_not_yet_time_requeues_a_minute_and_100ms_later_for_every_policy() {
    for policy_kind in [
        ConcurrencyPolicy::Allow,
        ConcurrencyPolicy::Forbid,
        ConcurrencyPolicy::Replace,
    ] {
        let mut sim = sim_with(policy(policy_kind), may19("09:59"));
        let report = sync(&mut sim);
        assert_eq!(report.creates, Vec::<String>::new(), "{policy_kind:?}");
        assert_eq!(report.events, Vec::<String>::new());
        assert_eq!(
            report.requeue_after,
            requeue(1, 0, 100),
            "1m0.1s with {policy_kind:?}"
        );
        assert_eq!(cron_job(&sim).status, CronJobStatus::default());
    }
}

#[test]
fn cj_1_not_yet_time_in_new_york_is_the_same() {
    let mut cj = hourly();
    cj.spec.time_zone = Some("America/New_York".into());
    let mut sim = sim_with(cj, may19("09:59"));
    let report = sync(&mut sim);
    assert!(report.creates.is_empty());
    assert_eq!(report.requeue_after, requeue(1, 0, 100));
}

#[test]
fn cj_2_first_run_creates_the_job_named_after_the_scheduled_minute() {
    let mut sim = sim_with(hourly(), may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.creates, ["mycronjob-24394200"]);
    assert_eq!(report.events, ["SuccessfulCreate"]);
    assert_eq!(report.requeue_after, requeue(59, 0, 100), "59m0.1s");
    let cj = cron_job(&sim);
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
    assert_eq!(cj.status.last_schedule_time, Some(may19("10:00")));
    assert_eq!(
        messages(&sim, "SuccessfulCreate"),
        ["Created job mycronjob-24394200"]
    );

    let job = sim
        .store()
        .jobs()
        .get(&ObjectKey::new("default", "mycronjob-24394200"))
        .expect("created");
    let owner = job.metadata.controller_ref().expect("controller reference");
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str(), owner.uid.as_str()),
        ("CronJob", "mycronjob", cj.metadata.uid.as_str())
    );
    assert_eq!(owner.block_owner_deletion, Some(true));
    assert_eq!(cj.status.active[0].uid, job.metadata.uid);
}

#[test]
fn cj_2_the_why_names_the_run_and_the_job() {
    let mut sim = sim_with(hourly(), may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    sync(&mut sim);
    let event = sim
        .events()
        .with_reason("SuccessfulCreate")
        .next()
        .expect("recorded");
    assert_eq!(
        event.why,
        "The 10:00 UTC run of mycronjob (schedule \"0 * * * ?\") was due, so the CronJob \
         controller created mycronjob-24394200; the name ends in the scheduled time in minutes \
         since 1970, so one run can never make two Jobs. It starts 1m late (no \
         startingDeadlineSeconds is set)."
    );
}

#[test]
fn cj_3_suspended_does_nothing_and_does_not_requeue() {
    let mut cj = hourly();
    cj.spec.suspend = Some(true);
    let mut sim = sim_with(cj, may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report, SyncReport::default());
    assert_eq!(cron_job(&sim).status, CronJobStatus::default());
}

/// "Ran previously": created 08:59, the 09:00 run's Job still active, last schedule 09:01.
fn still_active(policy_kind: ConcurrencyPolicy) -> Sim {
    let mut sim = sim_with(policy(policy_kind), may19("08:59"));
    set_now(&mut sim, may19("09:01"));
    add_job(&mut sim, may19("09:00"), true);
    set_last_schedule(&mut sim, may19("09:01"));
    set_now(&mut sim, may19("10:01"));
    sim
}

#[test]
fn cj_4_allow_starts_beside_the_active_job() {
    let mut sim = still_active(ConcurrencyPolicy::Allow);
    let report = sync(&mut sim);
    assert_eq!(report.creates, ["mycronjob-24394200"]);
    assert_eq!(report.deletes, Vec::<String>::new());
    assert_eq!(
        active_names(&sim),
        ["mycronjob-24394140", "mycronjob-24394200"]
    );
    assert_eq!(report.requeue_after, requeue(59, 0, 100));
}

#[test]
fn cj_4_forbid_skips_the_run_and_keeps_last_schedule_time() {
    let mut sim = still_active(ConcurrencyPolicy::Forbid);
    let report = sync(&mut sim);
    assert_eq!(report.creates, Vec::<String>::new());
    assert_eq!(report.events, ["JobAlreadyActive"]);
    assert_eq!(report.requeue_after, requeue(59, 0, 100), "59m0.1s");
    assert_eq!(active_names(&sim), ["mycronjob-24394140"]);
    assert_eq!(
        cron_job(&sim).status.last_schedule_time,
        Some(may19("09:01"))
    );
    let event = sim
        .events()
        .with_reason("JobAlreadyActive")
        .next()
        .expect("recorded");
    assert_eq!(event.event.type_, EventType::Normal);
    assert_eq!(
        event.event.message,
        "Not starting job because prior execution is running and concurrency policy is Forbid"
    );
    assert_eq!(
        event.why,
        "concurrencyPolicy is Forbid and mycronjob-24394140 is still running, so the 10:00 UTC \
         run was skipped; lastScheduleTime stays put, so it will start when that Job ends, \
         unless a newer run comes due first."
    );
}

#[test]
fn cj_4_replace_deletes_the_active_job_then_creates() {
    let mut sim = still_active(ConcurrencyPolicy::Replace);
    let report = sync(&mut sim);
    assert_eq!(report.deletes, ["mycronjob-24394140"]);
    assert_eq!(report.creates, ["mycronjob-24394200"]);
    assert_eq!(report.events, ["SuccessfulDelete", "SuccessfulCreate"]);
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
    assert_eq!(job_names(&sim), ["mycronjob-24394200"]);
    assert_eq!(
        messages(&sim, "SuccessfulDelete"),
        ["Deleted job mycronjob-24394140"]
    );
}

fn with_deadline(deadline_secs: i64) -> Sim {
    let mut cj = hourly();
    cj.spec.starting_deadline_seconds = Some(deadline_secs);
    sim_with(cj, may19("09:59"))
}

#[test]
fn cj_5_a_run_outside_the_deadline_is_skipped_without_any_event() {
    let mut sim = with_deadline(10);
    set_now(&mut sim, may19("10:12"));
    let report = sync(&mut sim);
    assert_eq!(report.creates, Vec::<String>::new());
    assert_eq!(
        report.events,
        Vec::<String>::new(),
        "no MissSchedule warning"
    );
    assert_eq!(
        sim.now() + report.requeue_after.expect("requeued"),
        may19("11:00") + SimDuration::from_ms(100)
    );
}

#[test]
fn cj_5_the_deadline_window_is_half_open() {
    let mut sim = with_deadline(10);
    set_now(&mut sim, may19("10:00:05"));
    assert_eq!(sync(&mut sim).creates, ["mycronjob-24394200"]);

    let mut sim = with_deadline(10);
    set_now(&mut sim, may19("10:00:10"));
    let report = sync(&mut sim);
    assert_eq!(
        report.creates,
        Vec::<String>::new(),
        "10:00:10 is already outside [10:00, 10:00:10)"
    );
    assert_eq!(report.events, Vec::<String>::new());

    let mut sim = with_deadline(1_000_000);
    set_now(&mut sim, may19("10:12"));
    assert_eq!(sync(&mut sim).creates, ["mycronjob-24394200"]);
}

fn every_hour(created: SimTime) -> Sim {
    let mut cj = hourly();
    cj.spec.schedule = "@every 1h".into();
    sim_with(cj, created)
}

#[test]
fn cj_7_every_runs_one_interval_after_creation() {
    let mut sim = every_hour(may19("08:59"));
    set_now(&mut sim, may19("09:59"));
    let report = sync(&mut sim);
    assert_eq!(report.creates, ["mycronjob-24394199"]);
    assert_eq!(report.requeue_after, requeue(60, 0, 100), "1h0m0.1s");
    assert_eq!(
        cron_job(&sim).status.last_schedule_time,
        Some(may19("09:59"))
    );

    let mut sim = every_hour(may19("09:59"));
    set_now(&mut sim, may19("10:00"));
    let report = sync(&mut sim);
    assert!(report.creates.is_empty());
    assert_eq!(report.requeue_after, requeue(59, 0, 100));
}

#[test]
fn cj_7_every_past_its_deadline_waits_for_the_next_interval() {
    let mut cj = hourly();
    cj.spec.schedule = "@every 1h".into();
    cj.spec.starting_deadline_seconds = Some(10);
    let mut sim = sim_with(cj, may19("08:59"));
    set_last_schedule(&mut sim, may19("09:59"));
    set_now(&mut sim, may19("10:59:11"));
    let report = sync(&mut sim);
    assert!(report.creates.is_empty());
    assert!(report.events.is_empty());
    assert_eq!(
        report.requeue_after,
        requeue(59, 49, 100),
        "(1h - 11s) + 0.1s"
    );
}

#[test]
fn cj_8_an_unparseable_schedule_warns_once_and_stops() {
    let mut cj = hourly();
    cj.spec.schedule = "obvious error schedule".into();
    let mut sim = sim_with_unvalidated(cj, may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["UnparseableSchedule"]);
    assert_eq!(report.requeue_after, None);
    assert_eq!(
        messages(&sim, "UnparseableSchedule"),
        [
            "unparseable schedule: \"obvious error schedule\" : expected exactly 5 fields, found 3: \
          [obvious error schedule]"
        ]
    );
}

#[test]
fn cj_8_an_unknown_time_zone_warns_once_and_stops() {
    let mut cj = hourly();
    cj.spec.time_zone = Some("bad timezone".into());
    let mut sim = sim_with_unvalidated(cj, may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["UnknownTimeZone"]);
    assert_eq!(report.requeue_after, None);
    assert!(report.creates.is_empty());
    assert_eq!(
        messages(&sim, "UnknownTimeZone"),
        ["invalid timeZone: \"bad timezone\": unknown time zone bad timezone"]
    );
}

#[test]
fn cj_8_a_legacy_tz_prefix_is_honoured_with_a_warning() {
    let mut cj = hourly();
    cj.spec.schedule = "TZ=UTC 0 * * * ?".into();
    cj.spec.time_zone = Some("America/New_York".into());
    let mut sim = sim_with_unvalidated(cj, may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["UnsupportedSchedule", "SuccessfulCreate"]);
    assert_eq!(report.creates, ["mycronjob-24394200"]);
    let job = sim
        .store()
        .jobs()
        .get(&ObjectKey::new("default", "mycronjob-24394200"))
        .expect("created");
    // The annotation is written in spec.timeZone even though the schedule ran on UTC.
    assert_eq!(
        job.metadata
            .annotations
            .get(SCHEDULED_TIMESTAMP_ANNOTATION)
            .map(String::as_str),
        Some("2016-05-19T06:00:00-04:00")
    );
}

#[test]
fn cj_8_a_legacy_tz_prefix_decides_the_day() {
    // With `TZ=UTC` the daily 03:00 run is due at 03:30 UTC; read on the New York clock of
    // spec.timeZone it would be at 07:00 UTC and not due yet.
    let mut cj = hourly();
    cj.spec.schedule = "TZ=UTC 0 3 * * *".into();
    cj.spec.time_zone = Some("America/New_York".into());
    let mut sim = sim_with_unvalidated(cj, may19("02:59"));
    set_now(&mut sim, may19("03:30"));
    assert_eq!(sync(&mut sim).creates, ["mycronjob-24393780"]);
}

#[test]
fn cj_9_an_impossible_schedule_is_an_invalid_schedule_warning() {
    let mut cj = hourly();
    cj.spec.schedule = "59 23 31 2 *".into();
    let mut sim = sim_with(cj, may19("10:00:10"));
    set_now(&mut sim, may19("11:00"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["InvalidSchedule"]);
    assert_eq!(report.requeue_after, None);
    assert!(report.creates.is_empty());
    assert_eq!(
        messages(&sim, "InvalidSchedule"),
        [
            "invalid schedule: 59 23 31 2 * : time difference between two schedules is less than 1 \
          second"
        ]
    );
}

#[test]
fn too_many_missed_runs_warn_but_still_start_the_most_recent() {
    // Created nine days earlier and never run: 217 hourly runs were missed.
    let mut sim = sim_with(hourly(), at("2016-05-10T09:59:00Z"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["TooManyMissedTimes", "SuccessfulCreate"]);
    assert_eq!(report.creates, ["mycronjob-24394200"]);
    assert_eq!(
        messages(&sim, "TooManyMissedTimes"),
        [
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check \
          clock skew"
        ]
    );
}

#[test]
fn a_deadline_hides_the_missed_runs_from_the_count() {
    let mut cj = hourly();
    cj.spec.starting_deadline_seconds = Some(200);
    let mut sim = sim_with(cj, at("2016-05-10T09:59:00Z"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(
        report.events,
        ["SuccessfulCreate"],
        "only runs inside the deadline are counted"
    );
}

/// `cj` created 08:59 with two Complete Jobs that started at 08:59 and 09:59; `validated`
/// says whether `cj` goes through the API.
fn two_complete_jobs_of(cj: CronJob, validated: bool) -> Sim {
    let mut sim = if validated {
        sim_with(cj, may19("08:59"))
    } else {
        sim_with_unvalidated(cj, may19("08:59"))
    };
    set_now(&mut sim, may19("09:00"));
    add_job(&mut sim, may19("09:00"), false);
    finish_job(
        &mut sim,
        "mycronjob-24394140",
        JobConditionType::Complete,
        may19("08:59"),
        may19("09:05"),
    );
    add_job(&mut sim, may19("10:00"), false);
    finish_job(
        &mut sim,
        "mycronjob-24394200",
        JobConditionType::Complete,
        may19("09:59"),
        may19("10:05"),
    );
    set_last_schedule(&mut sim, may19("10:00"));
    set_now(&mut sim, may19("10:30"));
    sim
}

fn two_complete_jobs(successful_limit: i32) -> Sim {
    let mut cj = hourly();
    cj.spec.successful_jobs_history_limit = Some(successful_limit);
    two_complete_jobs_of(cj, true)
}

#[test]
fn cj_12_history_limit_one_deletes_the_oldest_complete_job() {
    let mut sim = two_complete_jobs(1);
    let report = sync(&mut sim);
    assert_eq!(report.deletes, ["mycronjob-24394140"]);
    assert_eq!(report.events, ["SuccessfulDelete"]);
    assert_eq!(job_names(&sim), ["mycronjob-24394200"]);
    assert_eq!(
        cron_job(&sim).status.last_successful_time,
        Some(may19("10:05"))
    );
    let event = sim
        .events()
        .with_reason("SuccessfulDelete")
        .next()
        .expect("recorded");
    assert_eq!(
        event.why,
        "mycronjob keeps at most 1 finished successful Jobs (successfulJobsHistoryLimit); \
         mycronjob-24394140 is the oldest of them by start time, so it was deleted."
    );
}

#[test]
fn cj_12_history_limit_two_with_one_finished_job_deletes_nothing() {
    let mut sim = two_complete_jobs(2);
    assert_eq!(sync(&mut sim).deletes, Vec::<String>::new());
    assert_eq!(job_names(&sim).len(), 2);
}

#[test]
fn cj_12_cleanup_happens_even_when_the_new_job_cannot_be_created() {
    // A template the API server refuses stands in for upstream's quota error.
    let mut cj = hourly();
    cj.spec.successful_jobs_history_limit = Some(1);
    cj.spec.failed_jobs_history_limit = Some(1);
    cj.spec.job_template.spec.backoff_limit = Some(-1);
    let mut sim = two_complete_jobs_of(cj, false);
    set_now(&mut sim, may19("11:01"));
    let report = sync(&mut sim);
    assert_eq!(report.deletes, ["mycronjob-24394140"]);
    assert_eq!(report.events, ["SuccessfulDelete", "FailedCreate"]);
    assert_eq!(
        report.error.as_deref(),
        Some(
            "Job.batch \"mycronjob-24394260\" is invalid: spec.backoffLimit: Invalid value: -1: \
             must be greater than or equal to 0"
        ),
        "a failed create is retried with back-off"
    );
    assert_eq!(
        messages(&sim, "FailedCreate"),
        [
            "Error creating job: Job.batch \"mycronjob-24394260\" is invalid: spec.backoffLimit: \
          Invalid value: -1: must be greater than or equal to 0"
        ]
    );
}

#[test]
fn cj_12_finished_jobs_go_oldest_start_first_without_start_time_last_name_breaking_ties() {
    let mut cj = hourly();
    cj.spec.failed_jobs_history_limit = Some(1);
    let mut sim = sim_with(cj, may19("05:59"));
    for hour in ["06:00", "07:00", "08:00"] {
        add_job(&mut sim, may19(hour), false);
    }
    // 06:00 has no start time; 07:00 and 08:00 started at the same instant.
    sim.cluster_mut()
        .store
        .modify::<Job>(&ObjectKey::new("default", "mycronjob-24393960"), |job| {
            job.status.conditions.push(JobCondition {
                type_: JobConditionType::Failed,
                status: ConditionStatus::True,
                last_probe_time: None,
                last_transition_time: None,
                reason: Some("BackoffLimitExceeded".into()),
                message: None,
            })
        })
        .expect("exists");
    for name in ["mycronjob-24394080", "mycronjob-24394020"] {
        finish_job(
            &mut sim,
            name,
            JobConditionType::Failed,
            may19("08:00"),
            may19("08:10"),
        );
    }
    set_last_schedule(&mut sim, may19("08:00"));
    set_now(&mut sim, may19("08:30"));
    let report = sync(&mut sim);
    assert_eq!(report.deletes, ["mycronjob-24394020", "mycronjob-24394080"]);
    assert_eq!(job_names(&sim), ["mycronjob-24393960"]);
}

#[test]
fn cj_13_an_owned_job_missing_from_active_is_adopted_into_the_list() {
    let mut sim = sim_with(hourly(), may19("09:59"));
    set_now(&mut sim, may19("10:00:30"));
    add_job(&mut sim, may19("10:00"), false);
    set_now(&mut sim, may19("10:01"));
    let version_before: u64 = cron_job(&sim)
        .metadata
        .resource_version
        .parse()
        .expect("number");
    let report = sync(&mut sim);
    assert_eq!(
        report.creates,
        Vec::<String>::new(),
        "the create met AlreadyExists"
    );
    // The simulated lister already holds the Job, so it is also reported as unexpected.
    assert_eq!(report.events, ["UnexpectedJob"]);
    assert_eq!(report.requeue_after, requeue(59, 0, 100));
    let cj = cron_job(&sim);
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
    assert_eq!(cj.status.last_schedule_time, Some(may19("10:00")));
    let version_after: u64 = cj.metadata.resource_version.parse().expect("number");
    assert!(version_after > version_before, "the status was written");
    assert_eq!(
        version_after,
        sim.store().resource_version(),
        "once, as the sync's last write"
    );
}

#[test]
fn cj_13_a_job_of_the_same_name_owned_by_no_one_is_left_alone() {
    let mut sim = sim_with(hourly(), may19("09:59"));
    let mut job = Job::new("default", "mycronjob-24394200", "busybox", &["date"]);
    job.spec.template.spec.restart_policy = Some(RestartPolicy::Never);
    let now = sim.now();
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create(job, now, &mut cluster.rng)
        .expect("valid job");
    set_now(&mut sim, may19("10:01"));
    let before = cron_job(&sim).metadata.resource_version;
    let report = sync(&mut sim);
    assert_eq!(report, SyncReport::default(), "no event, no requeue");
    assert_eq!(
        cron_job(&sim).metadata.resource_version,
        before,
        "no status update"
    );
}

#[test]
fn a_finished_active_job_leaves_the_list_and_sets_last_successful_time_a_sync_later() {
    let mut sim = still_active(ConcurrencyPolicy::Forbid);
    finish_job(
        &mut sim,
        "mycronjob-24394140",
        JobConditionType::Complete,
        may19("09:01"),
        may19("09:30"),
    );
    let report = sync(&mut sim);
    assert_eq!(report.events, ["SawCompletedJob", "SuccessfulCreate"]);
    assert_eq!(
        messages(&sim, "SawCompletedJob"),
        ["Saw completed job: mycronjob-24394140, condition: Complete"]
    );
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
    // Upstream's else-if chain: the same sync does not read the completion time...
    assert_eq!(cron_job(&sim).status.last_successful_time, None);
    // ...the next one (which the status write triggers at once) does.
    let report = sync(&mut sim);
    assert_eq!(report.events, Vec::<String>::new());
    assert_eq!(
        cron_job(&sim).status.last_successful_time,
        Some(may19("09:30"))
    );
}

#[test]
fn a_vanished_active_job_is_reported_missing_and_dropped() {
    let mut sim = still_active(ConcurrencyPolicy::Forbid);
    sim.cluster_mut()
        .store
        .remove::<Job>(&ObjectKey::new("default", "mycronjob-24394140"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["MissingJob", "SuccessfulCreate"]);
    assert_eq!(
        messages(&sim, "MissingJob"),
        ["Active job went missing: mycronjob-24394140"]
    );
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
}

#[test]
fn an_unlisted_running_job_is_unexpected_and_does_not_block_forbid() {
    let mut sim = sim_with(policy(ConcurrencyPolicy::Forbid), may19("08:59"));
    set_now(&mut sim, may19("09:01"));
    add_job(&mut sim, may19("09:00"), false);
    set_last_schedule(&mut sim, may19("09:00"));
    set_now(&mut sim, may19("10:01"));
    let report = sync(&mut sim);
    assert_eq!(report.events, ["UnexpectedJob", "SuccessfulCreate"]);
    assert_eq!(
        messages(&sim, "UnexpectedJob"),
        ["Saw a job that the controller did not create or forgot: mycronjob-24394140"]
    );
    assert_eq!(active_names(&sim), ["mycronjob-24394200"]);
}

#[test]
fn a_run_already_started_is_not_started_twice() {
    let mut sim = sim_with(hourly(), may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    assert_eq!(sync(&mut sim).creates.len(), 1);
    set_now(&mut sim, may19("10:02"));
    let report = sync(&mut sim);
    assert_eq!(report.creates, Vec::<String>::new());
    assert_eq!(report.events, Vec::<String>::new());
    assert_eq!(report.requeue_after, requeue(58, 0, 100));
}

#[test]
fn a_cron_job_being_deleted_only_keeps_its_books() {
    let mut sim = still_active(ConcurrencyPolicy::Allow);
    let now = sim.now();
    let cluster = sim.cluster_mut();
    cluster
        .store
        .modify::<CronJob>(&key(), |c| {
            c.metadata.finalizers.push("example.com/hold".into())
        })
        .expect("exists");
    cluster
        .store
        .delete::<CronJob>(&key(), now, None)
        .expect("exists");
    finish_job(
        &mut sim,
        "mycronjob-24394140",
        JobConditionType::Failed,
        may19("09:01"),
        may19("09:02"),
    );
    let report = sync(&mut sim);
    assert_eq!(report.events, ["SawCompletedJob"]);
    assert_eq!(report.creates, Vec::<String>::new());
    assert_eq!(report.requeue_after, None);
    assert_eq!(active_names(&sim), Vec::<String>::new());
}

#[test]
fn cj_17_job_name_and_scheduled_timestamp_annotation_in_the_cron_jobs_zone() {
    let mut cj = CronJob::new("default", "hello", "0 * * * *", "busybox", &["date"]);
    cj.spec
        .job_template
        .metadata
        .labels
        .insert("app".into(), "hello".into());
    cj.spec
        .job_template
        .metadata
        .annotations
        .insert("team".into(), "batch".into());
    let scheduled = may19("10:00");
    let rome = job_for_run(&cj, scheduled, Some(Tz::Europe__Rome));
    assert_eq!(rome.metadata.name, "hello-24394200");
    assert_eq!(job_name("hello", scheduled), "hello-24394200");
    assert_eq!(
        rome.metadata
            .annotations
            .get(SCHEDULED_TIMESTAMP_ANNOTATION)
            .map(String::as_str),
        Some("2016-05-19T12:00:00+02:00")
    );
    assert_eq!(
        rome.metadata.annotations.get("team").map(String::as_str),
        Some("batch")
    );
    assert_eq!(
        rome.metadata.labels.get("app").map(String::as_str),
        Some("hello")
    );
    for zone in [None, Some(Tz::UTC)] {
        let utc = job_for_run(&cj, scheduled, zone);
        assert_eq!(
            utc.metadata
                .annotations
                .get(SCHEDULED_TIMESTAMP_ANNOTATION)
                .map(String::as_str),
            Some("2016-05-19T10:00:00Z")
        );
    }
}

#[test]
fn cj_17_a_synced_job_carries_the_rome_annotation() {
    let mut cj = CronJob::new("default", "mycronjob", "0 * * * *", "busybox", &["date"]);
    cj.spec.time_zone = Some("Europe/Rome".into());
    let mut sim = sim_with(cj, may19("09:59"));
    set_now(&mut sim, may19("10:01"));
    assert_eq!(sync(&mut sim).creates, ["mycronjob-24394200"]);
    let job = &sim.store().jobs().iter().next().expect("created").metadata;
    assert_eq!(
        job.annotations
            .get(SCHEDULED_TIMESTAMP_ANNOTATION)
            .map(String::as_str),
        Some("2016-05-19T12:00:00+02:00")
    );
}
