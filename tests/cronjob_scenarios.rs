//! CronJobs run end to end on the simulated clock, with the Job controller, the scheduler and
//! kubelets doing the rest: the kubernetes.io `hello` example, Forbid's late start, Replace,
//! resume after a suspension, schedule edits, the DST rules (DST-1, DST-3), manual runs, and
//! the "next runs" helpers. The invariant check runs after every instant.

use kubarium::sim::cluster::Settings;
use kubarium::sim::command::{Command, CommandError};
use kubarium::sim::controllers::cronjob::{CronJobAction, next_cronjob_run, next_runs};
use kubarium::sim::events::RecordedEvent;
use kubarium::sim::model::cronjob::{INSTANTIATE_ANNOTATION, SCHEDULED_TIMESTAMP_ANNOTATION};
use kubarium::sim::model::*;
use kubarium::sim::time::{SimDuration, SimTime};
use kubarium::sim::{DEFAULT_START, Sim};

fn at(text: &str) -> SimTime {
    SimTime::parse_rfc3339(text).expect("valid instant")
}

/// 2024-01-01 at `hh:mm[:ss[.mmm]]` UTC (the default start day).
fn jan1(clock: &str) -> SimTime {
    let seconds = if clock.len() == 5 { ":00" } else { "" };
    at(&format!("2024-01-01T{clock}{seconds}Z"))
}

fn ms(n: i64) -> SimDuration {
    SimDuration::from_ms(n)
}

/// A cluster with one node, starting at `start`, with the invariant check on.
fn cluster(seed: u64, start: SimTime, settings: Settings) -> Sim {
    let settings = Settings {
        check_invariants: true,
        ..settings
    };
    let mut sim = Sim::starting_at(seed, settings, start);
    sim.submit(Command::add_node("node-1")).expect("new node");
    sim
}

/// The kubernetes.io example: `busybox` printing the date and a greeting, OnFailure.
fn hello(schedule: &str) -> CronJob {
    CronJob::new(
        "default",
        "hello",
        schedule,
        "busybox:1.28",
        &[
            "/bin/sh",
            "-c",
            "date; echo Hello from the Kubernetes cluster",
        ],
    )
}

/// A CronJob whose Jobs run `sleep secs`.
fn sleeper(schedule: &str, secs: i64, policy: ConcurrencyPolicy) -> CronJob {
    let sleep = secs.to_string();
    let mut cj = CronJob::new("default", "hello", schedule, "busybox", &["sleep", &sleep]);
    cj.spec.concurrency_policy = Some(policy);
    cj
}

fn apply(sim: &mut Sim, cj: CronJob) {
    sim.submit(Command::apply(cj)).expect("valid cron job");
}

fn cron_job(sim: &Sim) -> CronJob {
    sim.store()
        .cron_jobs()
        .get(&ObjectKey::new("default", "hello"))
        .cloned()
        .expect("exists")
}

fn job(sim: &Sim, name: &str) -> Job {
    sim.store()
        .jobs()
        .get(&ObjectKey::new("default", name))
        .cloned()
        .unwrap_or_else(|| panic!("job {name} exists"))
}

fn job_names(sim: &Sim) -> Vec<String> {
    sim.store()
        .jobs()
        .iter()
        .map(|j| j.metadata.name.clone())
        .collect()
}

fn created_at(sim: &Sim, name: &str) -> SimTime {
    job(sim, name).metadata.creation_timestamp.expect("stored")
}

fn finished_at(sim: &Sim, name: &str) -> SimTime {
    let job = job(sim, name);
    let condition = job
        .condition(JobConditionType::Complete)
        .or(job.condition(JobConditionType::Failed))
        .expect("finished");
    condition.last_transition_time.expect("stamped")
}

/// `(reason, message)` of the CronJob's Events in order, with the first time each was seen.
fn timeline(sim: &Sim) -> Vec<(SimTime, String, String)> {
    sim.events()
        .iter()
        .filter(|e| e.event.involved_object.kind == "CronJob")
        .map(|e| {
            let first = e.event.first_timestamp.expect("stamped");
            (first, e.event.reason.clone(), e.event.message.clone())
        })
        .collect()
}

/// The CronJob's Events with `reason`, oldest first.
fn cj_events<'a>(sim: &'a Sim, reason: &'a str) -> impl Iterator<Item = &'a RecordedEvent> + 'a {
    sim.events()
        .with_reason(reason)
        .filter(|e| e.event.involved_object.kind == "CronJob")
}

/// How many times the CronJob's Events with `reason` happened (repeats are aggregated).
fn count(sim: &Sim, reason: &str) -> i64 {
    cj_events(sim, reason)
        .map(|e| i64::from(e.event.count))
        .sum()
}

fn act(sim: &mut Sim, action: CronJobAction) -> String {
    let command = Command::CronJob {
        namespace: "default".into(),
        name: "hello".into(),
        action,
    };
    sim.submit(command).expect("cron job exists").message
}

/// The kubernetes.io `hello` CronJob for ten minutes: a Job a minute, each done in about a
/// second, and the history limit keeping exactly the three newest successful Jobs.
#[test]
fn hello_every_minute_for_ten_minutes_keeps_exactly_three_successful_jobs() {
    let mut sim = cluster(1, DEFAULT_START, Settings::default());
    apply(&mut sim, hello("* * * * *"));
    sim.advance_to(jan1("00:10:30")).expect("bounded run");

    assert_eq!(
        job_names(&sim),
        ["hello-28401128", "hello-28401129", "hello-28401130"]
    );
    for name in job_names(&sim) {
        assert!(
            job(&sim, &name).has_condition(JobConditionType::Complete),
            "{name}"
        );
    }
    assert_eq!(count(&sim, "SuccessfulCreate"), 10);
    assert_eq!(count(&sim, "SawCompletedJob"), 10);
    assert_eq!(count(&sim, "SuccessfulDelete"), 7);
    let cj = cron_job(&sim);
    assert_eq!(cj.status.active, Vec::new());
    assert_eq!(cj.status.last_schedule_time, Some(jan1("00:10:00")));
    assert_eq!(
        cj.status.last_successful_time,
        Some(finished_at(&sim, "hello-28401130"))
    );
    // Each Job is created 100 ms after its minute: the controller's requeue margin.
    assert_eq!(created_at(&sim, "hello-28401130"), jan1("00:10:00.100"));
    // The deleted Jobs' pods went with them (background propagation).
    let pods_left: Vec<String> = sim
        .store()
        .pods()
        .iter()
        .map(|p| {
            p.metadata
                .name
                .split('-')
                .take(2)
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    assert_eq!(
        pods_left,
        ["hello-28401128", "hello-28401129", "hello-28401130"]
    );
}

#[test]
fn hello_creates_each_job_at_its_minute_plus_100_ms() {
    let mut sim = cluster(2, jan1("00:00:30"), Settings::instant());
    apply(&mut sim, hello("* * * * *"));
    sim.advance_to(jan1("00:03:30")).expect("bounded run");
    let created: Vec<SimTime> = ["hello-28401121", "hello-28401122", "hello-28401123"]
        .iter()
        .map(|name| created_at(&sim, name))
        .collect();
    assert_eq!(
        created,
        [
            jan1("00:01:00.100"),
            jan1("00:02:00.100"),
            jan1("00:03:00.100")
        ]
    );
    let annotation = job(&sim, "hello-28401121")
        .metadata
        .annotations
        .get(SCHEDULED_TIMESTAMP_ANNOTATION)
        .cloned();
    assert_eq!(annotation.as_deref(), Some("2024-01-01T00:01:00Z"));
}

/// C-18: Forbid does not just skip a run. The skipped 00:10 run is not recorded, so it starts
/// (late) the moment the 00:05 Job ends.
#[test]
fn forbid_starts_the_skipped_run_when_the_active_job_ends() {
    let mut sim = cluster(3, DEFAULT_START, Settings::instant());
    apply(
        &mut sim,
        sleeper("*/5 * * * *", 420, ConcurrencyPolicy::Forbid),
    );
    sim.advance_to(jan1("00:12:30")).expect("bounded run");

    let first_end = finished_at(&sim, "hello-28401125");
    assert!(
        first_end > jan1("00:12:00") && first_end < jan1("00:12:30"),
        "{first_end}"
    );
    assert_eq!(
        created_at(&sim, "hello-28401130"),
        first_end,
        "started as 00:05's Job ended"
    );
    assert_eq!(
        cron_job(&sim).status.last_schedule_time,
        Some(jan1("00:10:00"))
    );
    let reasons: Vec<(SimTime, String)> =
        timeline(&sim).into_iter().map(|(t, r, _)| (t, r)).collect();
    let expected = [
        (jan1("00:05:00.100"), "SuccessfulCreate"),
        (jan1("00:10:00.100"), "JobAlreadyActive"),
        (first_end, "SawCompletedJob"),
        (first_end, "SuccessfulCreate"),
    ];
    let expected: Vec<(SimTime, String)> =
        expected.iter().map(|(t, r)| (*t, r.to_string())).collect();
    assert_eq!(reasons, expected);
    let skipped = sim
        .events()
        .with_reason("JobAlreadyActive")
        .next()
        .expect("recorded");
    assert_eq!(
        skipped.why,
        "concurrencyPolicy is Forbid and hello-28401125 is still running, so the 00:10 UTC run \
         was skipped; lastScheduleTime stays put, so it will start when that Job ends, unless a \
         newer run comes due first."
    );
    let late = cj_events(&sim, "SuccessfulCreate")
        .nth(1)
        .expect("second create");
    assert!(
        late.why
            .contains("It starts 2m late (no startingDeadlineSeconds is set)."),
        "{}",
        late.why
    );
}

/// With startingDeadlineSeconds 60 the skipped 00:10 run is two minutes stale when the 00:05
/// Job ends, so nothing starts then, and no event says so; the 00:15 run starts on time.
#[test]
fn forbid_with_a_deadline_drops_the_skipped_run_silently() {
    let mut sim = cluster(4, DEFAULT_START, Settings::instant());
    let mut cj = sleeper("*/5 * * * *", 420, ConcurrencyPolicy::Forbid);
    cj.spec.starting_deadline_seconds = Some(60);
    apply(&mut sim, cj);
    sim.advance_to(jan1("00:15:30")).expect("bounded run");
    assert_eq!(job_names(&sim), ["hello-28401125", "hello-28401135"]);
    assert_eq!(created_at(&sim, "hello-28401135"), jan1("00:15:00.100"));
    assert_eq!(count(&sim, "JobAlreadyActive"), 1);
    assert_eq!(count(&sim, "MissSchedule"), 0);
    let skipped = sim
        .events()
        .with_reason("JobAlreadyActive")
        .next()
        .expect("recorded");
    assert!(
        skipped.why.ends_with(
            "it will start when that Job ends unless startingDeadlineSeconds (60s) passes or a \
             newer run comes due first."
        ),
        "{}",
        skipped.why
    );
}

/// Forbid never runs two scheduled Jobs at once, whatever the timing (the invariant check
/// runs after every instant), over two hours of 7-minute Jobs every 5 minutes. Every run is
/// due while the previous Job still runs, so each Job starts the moment the previous one ends,
/// for the most recent 5-minute mark.
#[test]
fn forbid_chains_seven_minute_jobs_end_to_start_for_two_hours() {
    let mut sim = cluster(5, DEFAULT_START, Settings::default());
    apply(
        &mut sim,
        sleeper("*/5 * * * *", 420, ConcurrencyPolicy::Forbid),
    );
    for minute in 1..=120 {
        sim.advance_to(DEFAULT_START + SimDuration::from_mins(minute))
            .expect("invariants hold");
        assert!(
            cron_job(&sim).status.active.len() <= 1,
            "at minute {minute}"
        );
    }
    let chain: Vec<(SimTime, String, String)> = timeline(&sim)
        .into_iter()
        .filter(|(_, reason, _)| reason == "SuccessfulCreate" || reason == "SawCompletedJob")
        .collect();
    assert!(chain.len() >= 30, "{} events", chain.len());
    for (index, (time, reason, message)) in chain.iter().enumerate() {
        let expected = if index % 2 == 0 {
            "SuccessfulCreate"
        } else {
            "SawCompletedJob"
        };
        assert_eq!(reason, expected, "event {index}");
        if reason != "SuccessfulCreate" {
            continue;
        }
        if index > 0 {
            assert_eq!(
                *time,
                chain[index - 1].0,
                "{message} starts as the previous Job ends"
            );
        }
        let mark_mins = time.unix_secs() / 300 * 5;
        assert_eq!(message, &format!("Created job hello-{mark_mins}"));
    }
}

#[test]
fn replace_deletes_the_running_job_at_the_next_run() {
    let mut sim = cluster(6, DEFAULT_START, Settings::instant());
    apply(
        &mut sim,
        sleeper("*/5 * * * *", 420, ConcurrencyPolicy::Replace),
    );
    sim.advance_to(jan1("00:10:30")).expect("bounded run");
    assert_eq!(job_names(&sim), ["hello-28401130"]);
    let names: Vec<String> = cron_job(&sim)
        .status
        .active
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names, ["hello-28401130"]);
    let events: Vec<(SimTime, String, String)> = timeline(&sim);
    assert_eq!(
        events[1..],
        [
            (
                jan1("00:10:00.100"),
                "SuccessfulDelete".into(),
                "Deleted job hello-28401125".into()
            ),
            (
                jan1("00:10:00.100"),
                "SuccessfulCreate".into(),
                "Created job hello-28401130".into()
            ),
        ]
    );
    // The old Job's pod is terminating or gone; only the new Job's pod runs.
    let running: Vec<String> = sim
        .store()
        .pods()
        .iter()
        .filter(|p| p.is_active())
        .map(|p| {
            p.metadata
                .labels
                .get("job-name")
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(running, ["hello-28401130"]);
}

/// C-19: resuming after missed runs starts the most recent one at once, with no warning when
/// at most a hundred were missed.
#[test]
fn resume_starts_the_most_recent_missed_run_at_once() {
    let mut sim = cluster(7, DEFAULT_START, Settings::instant());
    let mut cj = hello("0 * * * *");
    cj.spec.suspend = Some(true);
    apply(&mut sim, cj);
    sim.advance_to(jan1("03:30")).expect("bounded run");
    assert_eq!(job_names(&sim), Vec::<String>::new());
    assert_eq!(
        act(&mut sim, CronJobAction::Resume),
        "cronjob.batch/hello patched"
    );
    sim.advance_by(ms(1)).expect("bounded run");
    assert_eq!(job_names(&sim), ["hello-28401300"], "the 03:00 run");
    assert_eq!(created_at(&sim, "hello-28401300"), jan1("03:30"));
    assert_eq!(count(&sim, "TooManyMissedTimes"), 0);
    sim.advance_to(jan1("04:00:30")).expect("bounded run");
    assert_eq!(created_at(&sim, "hello-28401360"), jan1("04:00:00.100"));
}

/// C-19 / C-12: after five days suspended (120 hourly runs missed) the resume warns
/// TooManyMissedTimes and still starts the most recent run.
#[test]
fn resume_after_more_than_a_hundred_missed_runs_warns_and_still_starts() {
    let mut sim = cluster(8, DEFAULT_START, Settings::instant());
    let mut cj = hello("0 * * * *");
    cj.spec.suspend = Some(true);
    apply(&mut sim, cj);
    sim.advance_to(at("2024-01-06T00:30:00Z"))
        .expect("bounded run");
    act(&mut sim, CronJobAction::Resume);
    sim.advance_by(ms(1)).expect("bounded run");
    assert_eq!(
        job_names(&sim),
        ["hello-28408320"],
        "the 2024-01-06 00:00 run"
    );
    let reasons: Vec<String> = timeline(&sim).into_iter().map(|(_, r, _)| r).collect();
    assert_eq!(reasons, ["TooManyMissedTimes", "SuccessfulCreate"]);
}

#[test]
fn suspend_twice_reports_no_change_and_stops_new_runs() {
    let mut sim = cluster(9, DEFAULT_START, Settings::instant());
    apply(&mut sim, hello("* * * * *"));
    sim.advance_to(jan1("00:01:30")).expect("bounded run");
    assert_eq!(
        act(&mut sim, CronJobAction::Suspend),
        "cronjob.batch/hello patched"
    );
    assert_eq!(
        act(&mut sim, CronJobAction::Suspend),
        "cronjob.batch/hello patched (no change)"
    );
    sim.advance_to(jan1("00:05:30")).expect("bounded run");
    assert_eq!(count(&sim, "SuccessfulCreate"), 1);
    let missing = sim.submit(Command::CronJob {
        namespace: "default".into(),
        name: "nope".into(),
        action: CronJobAction::Suspend,
    });
    assert_eq!(
        missing.map_err(|e| e.to_string()),
        Err("cronjobs.batch \"nope\" not found".to_string())
    );
}

/// An edit of the schedule moves the next sync to the new schedule's next run.
#[test]
fn a_schedule_edit_runs_at_the_new_schedules_next_time() {
    let mut sim = cluster(10, jan1("00:00:30"), Settings::instant());
    apply(&mut sim, hello("0 * * * *"));
    sim.advance_to(jan1("00:10")).expect("bounded run");
    apply(&mut sim, hello("*/15 * * * *"));
    sim.advance_to(jan1("00:31")).expect("bounded run");
    let created: Vec<SimTime> = ["hello-28401135", "hello-28401150"]
        .iter()
        .map(|name| created_at(&sim, name))
        .collect();
    assert_eq!(created, [jan1("00:15:00.100"), jan1("00:30:00.100")]);
}

/// `kubectl create job --from=cronjob/hello`: a Job from the template, marked manual, owned by
/// the CronJob but not in its active list (the controller reports it as unexpected).
#[test]
fn a_manual_run_is_an_unexpected_job_that_still_counts_for_success() {
    let mut sim = cluster(11, DEFAULT_START, Settings::instant());
    apply(
        &mut sim,
        sleeper("0 * * * *", 30, ConcurrencyPolicy::Forbid),
    );
    sim.advance_to(jan1("00:10")).expect("bounded run");
    let outcome = act(
        &mut sim,
        CronJobAction::Trigger {
            job_name: "hello-manual".into(),
        },
    );
    assert_eq!(outcome, "job.batch/hello-manual created");
    let manual = job(&sim, "hello-manual");
    assert_eq!(
        manual
            .metadata
            .annotations
            .get(INSTANTIATE_ANNOTATION)
            .map(String::as_str),
        Some("manual")
    );
    let owner = manual.metadata.controller_ref().expect("owned");
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("CronJob", "hello")
    );
    assert_eq!(owner.block_owner_deletion, None);
    sim.advance_to(jan1("00:11")).expect("bounded run");
    // Every sync while it runs repeats the warning; the log aggregates the repeats.
    let unexpected: Vec<String> = cj_events(&sim, "UnexpectedJob")
        .map(|e| e.event.message.clone())
        .collect();
    assert_eq!(
        unexpected,
        ["Saw a job that the controller did not create or forgot: hello-manual"]
    );
    assert_eq!(cron_job(&sim).status.active, Vec::new());
    assert_eq!(
        cron_job(&sim).status.last_successful_time,
        Some(finished_at(&sim, "hello-manual"))
    );
    let taken = sim.submit(Command::CronJob {
        namespace: "default".into(),
        name: "hello".into(),
        action: CronJobAction::Trigger {
            job_name: "hello-manual".into(),
        },
    });
    assert!(matches!(taken, Err(CommandError::Api(_))));
    assert_eq!(
        taken.map_err(|e| e.to_string()),
        Err("jobs.batch \"hello-manual\" already exists".to_string())
    );
}

fn new_york(schedule: &str) -> CronJob {
    let mut cj = hello(schedule);
    cj.spec.time_zone = Some("America/New_York".into());
    cj
}

/// DST-1: 02:30 does not exist in New York on 2024-03-10, so that day has no run.
#[test]
fn dst_1_spring_forward_skips_the_missing_local_time() {
    let mut sim = cluster(12, at("2024-03-09T00:00:00Z"), Settings::instant());
    apply(&mut sim, new_york("30 2 * * *"));
    sim.advance_to(at("2024-03-11T12:00:00Z"))
        .expect("bounded run");
    let created: Vec<(String, SimTime)> = sim
        .store()
        .jobs()
        .iter()
        .map(|j| {
            (
                j.metadata.name.clone(),
                j.metadata.creation_timestamp.expect("stored"),
            )
        })
        .collect();
    assert_eq!(
        created,
        [
            ("hello-28499490".to_string(), at("2024-03-09T07:30:00.100Z")),
            ("hello-28502310".to_string(), at("2024-03-11T06:30:00.100Z")),
        ]
    );
    let stamp = |name: &str| {
        job(&sim, name)
            .metadata
            .annotations
            .get(SCHEDULED_TIMESTAMP_ANNOTATION)
            .cloned()
    };
    assert_eq!(
        stamp("hello-28499490").as_deref(),
        Some("2024-03-09T02:30:00-05:00")
    );
    assert_eq!(
        stamp("hello-28502310").as_deref(),
        Some("2024-03-11T02:30:00-04:00")
    );
}

/// DST-3: 01:30 happens twice in New York on 2024-11-03 (EDT, then EST): two runs with two
/// Job names, then the next day's 01:30 EST.
#[test]
fn dst_3_fall_back_runs_the_repeated_local_time_twice() {
    let mut sim = cluster(13, at("2024-11-02T12:00:00Z"), Settings::instant());
    apply(&mut sim, new_york("30 1 * * *"));
    sim.advance_to(at("2024-11-04T12:00:00Z"))
        .expect("bounded run");
    assert_eq!(
        job_names(&sim),
        ["hello-28843530", "hello-28843590", "hello-28845030"]
    );
    let stamp = |name: &str| {
        job(&sim, name)
            .metadata
            .annotations
            .get(SCHEDULED_TIMESTAMP_ANNOTATION)
            .cloned()
    };
    assert_eq!(
        stamp("hello-28843530").as_deref(),
        Some("2024-11-03T01:30:00-04:00")
    );
    assert_eq!(
        stamp("hello-28843590").as_deref(),
        Some("2024-11-03T01:30:00-05:00")
    );
    let whys: Vec<String> = sim
        .events()
        .with_reason("SuccessfulCreate")
        .filter(|e| e.event.involved_object.kind == "CronJob")
        .map(|e| e.why.split(" run of").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(whys, ["The 01:30 EDT", "The 01:30 EST", "The 01:30 EST"]);
}

#[test]
fn next_runs_read_the_cron_jobs_zone() {
    let cj = new_york("30 1 * * *");
    let runs = next_runs(&cj, at("2024-11-02T12:00:00Z"), 3).expect("valid");
    assert_eq!(
        runs,
        [
            at("2024-11-03T05:30:00Z"),
            at("2024-11-03T06:30:00Z"),
            at("2024-11-04T06:30:00Z")
        ]
    );
    let mut bad = cj.clone();
    bad.spec.time_zone = Some("Mars/Olympus".into());
    assert_eq!(
        next_runs(&bad, DEFAULT_START, 3),
        Err("spec.timeZone: unknown time zone Mars/Olympus".to_string())
    );
}

#[test]
fn next_cronjob_run_is_the_earliest_unsuspended_run() {
    let mut sim = cluster(14, jan1("00:00:30"), Settings::instant());
    assert_eq!(next_cronjob_run(&sim), None);
    let mut every_minute = hello("* * * * *");
    every_minute.metadata.name = "minutely".into();
    every_minute.spec.suspend = Some(true);
    apply(&mut sim, every_minute);
    apply(&mut sim, hello("*/20 * * * *"));
    assert_eq!(next_cronjob_run(&sim), Some(jan1("00:20")));
    sim.submit(Command::CronJob {
        namespace: "default".into(),
        name: "minutely".into(),
        action: CronJobAction::Resume,
    })
    .expect("exists");
    assert_eq!(next_cronjob_run(&sim), Some(jan1("00:01")));
}
