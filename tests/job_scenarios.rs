//! Jobs run end to end on the simulated clock with real kubelet behaviour: pods that exit 1,
//! crash-loop under OnFailure, compute π, or get deleted; the TTL controller; a seed sweep with
//! the invariant check after every instant.

mod job_support;

use job_support::*;
use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::*;
use kubarium::sim::time::SimTime;

fn cluster(seed: u64) -> Sim {
    let mut settings = Settings::instant();
    settings.check_invariants = true;
    let mut sim = Sim::with_settings(seed, settings);
    sim.submit(Command::add_node("node-1")).expect("new node");
    sim
}

fn run(sim: &mut Sim, job: Job) {
    sim.submit(Command::apply(job)).expect("valid job");
}

fn creation_times(sim: &Sim) -> Vec<i64> {
    let mut times: Vec<SimTime> = sim
        .events()
        .iter()
        .filter(|e| e.event.reason == "SuccessfulCreate" && e.event.involved_object.name == "foo")
        .filter_map(|e| e.event.first_timestamp)
        .collect();
    times.sort();
    times.iter().map(|t| (*t - at(0)).as_secs()).collect()
}

/// Pods that `exit 1` with restartPolicy Never: replacements wait 10, 20, 40, 80, 160, 320 s
/// after each failure, and the seventh failure fails a Job with the default backoffLimit 6.
#[test]
fn exit_1_pods_back_off_10_20_40_80_160_320_and_the_seventh_failure_fails_the_job() {
    let mut sim = cluster(1);
    run(
        &mut sim,
        Job::new("default", "foo", "busybox", &["sh", "-c", "exit 1"]),
    );
    let done = sim
        .run_until(|s| job(s).is_finished(), secs(3_600))
        .expect("finishes within an hour");
    let gaps: Vec<i64> = creation_times(&sim)
        .windows(2)
        .map(|w| w[1] - w[0])
        .collect();
    assert_eq!(gaps, vec![10, 20, 40, 80, 160, 320]);
    let job = job(&sim);
    assert_eq!(job.status.failed, 7);
    assert_eq!(job.status.active, 0);
    // The seventh pod starts at 630 s and fails at once; its pod event is batched for 1 s.
    assert_eq!(done, at(631));
    assert_eq!(
        job.condition(JobConditionType::Failed)
            .and_then(|c| c.reason.clone()),
        Some("BackoffLimitExceeded".into())
    );
    assert_eq!(
        whys(&sim, "BackoffLimitExceeded"),
        vec![
            "7 pods have failed and backoffLimit is 6, so the Job is marked Failed: BackoffLimitExceeded"
        ]
    );
    assert_eq!(pods(&sim).len(), 7, "failed pods stay for kubectl logs");
    assert!(pods(&sim).iter().all(|p| p.metadata.finalizers.is_empty()));
}

/// OnFailure: the kubelet restarts the container in place (no new pods); the Job fails when the
/// restarts add up to backoffLimit, and the running pod is deleted and counted as one failure.
#[test]
fn on_failure_crash_loop_restarts_in_place_until_restarts_reach_the_backoff_limit() {
    let mut sim = cluster(2);
    let mut spec = Job::new("default", "foo", "busybox", &["sh", "-c", "exit 1"]);
    spec.spec.template.spec.restart_policy = Some(RestartPolicy::OnFailure);
    spec.spec.backoff_limit = Some(2);
    run(&mut sim, spec);
    sim.run_until(|s| job(s).is_finished(), secs(600))
        .expect("fails");
    let job = job(&sim);
    assert_eq!(creation_times(&sim), vec![0], "one pod, restarted in place");
    assert_eq!(job.status.failed, 1);
    let failed = job.condition(JobConditionType::Failed).expect("failed");
    assert_eq!(failed.reason.as_deref(), Some("BackoffLimitExceeded"));
    // Restart 1 is immediate, restart 2 follows the 10 s CrashLoopBackOff; the pod event is
    // batched for 1 s.
    assert_eq!(
        job.condition(JobConditionType::FailureTarget)
            .and_then(|c| c.last_transition_time),
        Some(at(11))
    );
    assert_eq!(
        whys(&sim, "BackoffLimitExceeded"),
        vec![
            "with restartPolicy OnFailure the kubelet restarts containers in place; they have restarted 2 times and backoffLimit is 2, so the Job is marked Failed: BackoffLimitExceeded"
        ]
    );
}

/// The kubernetes.io `pi` Job: perl computes 2000 digits (2 s + 3 ms × 2000 = 8 s) and the Job
/// completes with SuccessCriteriaMet and Complete at the same instant.
#[test]
fn the_pi_job_completes_after_eight_seconds() {
    let mut sim = cluster(3);
    let mut pi = Job::new(
        "default",
        "foo",
        "perl:5.34.0",
        &["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"],
    );
    pi.spec.backoff_limit = Some(4);
    run(&mut sim, pi);
    let done = sim
        .run_until(|s| job(s).is_finished(), secs(120))
        .expect("completes");
    let job = job(&sim);
    assert_eq!(done, at(9), "8 s of perl plus the 1 s pod-event batch");
    assert_eq!(
        (job.status.succeeded, job.status.failed, job.status.active),
        (1, 0, 0)
    );
    assert_eq!(job.status.completion_time, Some(at(9)));
    assert_eq!(job.status.start_time, Some(at(0)));
    let types: Vec<JobConditionType> = job.status.conditions.iter().map(|c| c.type_).collect();
    assert_eq!(
        types,
        vec![
            JobConditionType::SuccessCriteriaMet,
            JobConditionType::Complete
        ]
    );
}

/// The kubernetes.io `indexed-job` example: 5 completions, 3 at a time, each index once.
#[test]
fn indexed_job_example_runs_indexes_0_to_4_three_at_a_time() {
    let mut sim = cluster(4);
    let mut spec = Job::new(
        "default",
        "foo",
        "docker.io/library/busybox",
        &["sh", "-c", "sleep 30"],
    );
    spec.spec.completions = Some(5);
    spec.spec.parallelism = Some(3);
    spec.spec.completion_mode = Some(CompletionMode::Indexed);
    run(&mut sim, spec);
    sim.run_until(|s| job(s).is_finished(), secs(600))
        .expect("completes");
    let job = job(&sim);
    assert_eq!(job.status.completed_indexes, "0-4");
    assert_eq!(job.status.succeeded, 5);
    assert_eq!(creation_times(&sim), vec![0, 0, 0, 31, 31]);
    let mut hostnames: Vec<String> = pods(&sim)
        .iter()
        .filter_map(|p| p.spec.hostname.clone())
        .collect();
    hostnames.sort();
    assert_eq!(hostnames, vec!["foo-0", "foo-1", "foo-2", "foo-3", "foo-4"]);
}

/// The kubernetes.io `job-pod-failure-policy-example`: the first pod exits 42 after 5 s and
/// the FailJob rule fails the whole Job without using its backoffLimit of 6.
#[test]
fn pod_failure_policy_example_fails_the_job_on_exit_code_42() {
    let mut sim = cluster(5);
    let mut spec = Job::new("default", "foo", "docker.io/library/bash:5", &["bash"]);
    spec.spec.template.spec.containers[0].args = vec![
        "-c".into(),
        "echo \"Hello world!\" && sleep 5 && exit 42".into(),
    ];
    spec.spec.completions = Some(12);
    spec.spec.parallelism = Some(3);
    spec.spec.backoff_limit = Some(6);
    spec.spec.pod_failure_policy = job_pfp();
    run(&mut sim, spec);
    sim.run_until(|s| job(s).is_finished(), secs(120))
        .expect("fails");
    let job = job(&sim);
    assert_eq!(job.status.failed, 3);
    let failed = job.condition(JobConditionType::Failed).expect("failed");
    assert_eq!(failed.reason.as_deref(), Some("PodFailurePolicy"));
    let message = failed.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Container main for pod default/foo-")
            && message.ends_with(" failed with exit code 42 matching FailJob rule at index 0"),
        "{message}"
    );
    assert_eq!(
        job.spec.pod_replacement_policy,
        Some(PodReplacementPolicy::Failed)
    );
}

fn job_pfp() -> Option<PodFailurePolicy> {
    Some(PodFailurePolicy {
        rules: vec![
            PodFailurePolicyRule {
                action: PodFailurePolicyAction::FailJob,
                on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                    container_name: Some("main".into()),
                    operator: PodFailurePolicyOnExitCodesOperator::In,
                    values: vec![42],
                }),
                on_pod_conditions: Vec::new(),
            },
            PodFailurePolicyRule {
                action: PodFailurePolicyAction::Ignore,
                on_exit_codes: None,
                on_pod_conditions: vec![PodFailurePolicyOnPodConditionsPattern {
                    type_: "DisruptionTarget".into(),
                    status: ConditionStatus::True,
                }],
            },
        ],
    })
}

/// C-21: with the default TerminatingOrFailed policy a deleted running pod is replaced at once
/// and counts as failed.
#[test]
fn deleting_a_running_pod_counts_as_a_failure_and_is_replaced() {
    let mut sim = cluster(6);
    run(
        &mut sim,
        Job::new("default", "foo", "busybox", &["sleep", "30"]),
    );
    sim.advance_to(at(5)).expect("bounded");
    let name = pods(&sim)[0].metadata.name.clone();
    sim.submit(Command::delete(Kind::Pod, "default", &name))
        .expect("pod exists");
    sim.advance_to(at(7)).expect("bounded");
    assert_eq!(job(&sim).status.failed, 1);
    sim.advance_to(at(20)).expect("bounded");
    assert_eq!(
        creation_times(&sim),
        vec![0, 15],
        "replacement 10 s after the pod stopped"
    );
}

/// JOB-19: a Job with ttlSecondsAfterFinished 100 is deleted with its pods 100 s after it
/// completed.
#[test]
fn job_19_ttl_deletes_the_job_and_its_pods_after_100_seconds() {
    let mut sim = cluster(7);
    let mut spec = Job::new("default", "foo", "busybox", &["sleep", "10"]);
    spec.spec.ttl_seconds_after_finished = Some(100);
    run(&mut sim, spec);
    let finished = sim
        .run_until(|s| job(s).is_finished(), secs(60))
        .expect("completes");
    assert_eq!(finished, at(11));
    sim.advance_to(at(110)).expect("bounded");
    assert!(sim.store().jobs().get(&key()).is_some());
    let gone = sim
        .run_until(|s| s.store().jobs().get(&key()).is_none(), secs(60))
        .expect("deleted");
    assert_eq!(gone, at(111));
    assert!(pods(&sim).is_empty());
}

#[test]
fn job_19_ttl_zero_deletes_at_once_and_unset_never() {
    let mut sim = cluster(8);
    let mut spec = Job::new("default", "foo", "busybox", &["sleep", "10"]);
    spec.spec.ttl_seconds_after_finished = Some(0);
    run(&mut sim, spec);
    let gone = sim
        .run_until(|s| s.store().jobs().get(&key()).is_none(), secs(60))
        .expect("deleted");
    assert_eq!(gone, at(11));

    let mut sim = cluster(8);
    run(
        &mut sim,
        Job::new("default", "foo", "busybox", &["sleep", "10"]),
    );
    sim.advance_to(at(10_000)).expect("bounded");
    assert!(job(&sim).is_finished());
}

/// 200 seeds of a mixed workload with the invariant check after every instant: Jobs that
/// succeed, fail, run indexed and work-queue, on flaky pods.
#[test]
fn seed_sweep_of_mixed_jobs_keeps_every_invariant() {
    for seed in 0..200u64 {
        let mut sim = cluster(seed);
        sim.submit(Command::add_node("node-2")).expect("new node");
        let mut flaky = Job::new("default", "flaky", "busybox", &["sleep", "20"]);
        flaky.spec.completions = Some(4);
        flaky.spec.parallelism = Some(2);
        flaky.spec.backoff_limit = Some(3);
        flaky
            .spec
            .template
            .metadata
            .annotations
            .insert("kubarium.dev/failure-probability".into(), "0.4".into());
        let mut indexed = Job::new("default", "idx", "busybox", &["sleep", "15"]);
        indexed.spec.completions = Some(3);
        indexed.spec.parallelism = Some(3);
        indexed.spec.completion_mode = Some(CompletionMode::Indexed);
        indexed.spec.backoff_limit_per_index = Some(1);
        indexed
            .spec
            .template
            .metadata
            .annotations
            .insert("kubarium.dev/failure-probability".into(), "0.5".into());
        let mut queue = Job::new("default", "queue", "busybox", &["sleep", "12"]);
        queue.spec.parallelism = Some(2);
        queue.spec.active_deadline_seconds = Some(40 + (seed % 30) as i64);
        let mut crash = Job::new("default", "crash", "busybox", &["sh", "-c", "exit 3"]);
        crash.spec.template.spec.restart_policy = Some(RestartPolicy::OnFailure);
        crash.spec.backoff_limit = Some(1 + (seed % 3) as i32);
        for job in [flaky, indexed, queue, crash] {
            sim.submit(Command::apply(job)).expect("valid job");
        }
        if seed % 4 == 0 {
            sim.advance_to(at(7)).expect("bounded");
            sim.cluster_mut()
                .store
                .modify::<Job>(&ObjectKey::new("default", "flaky"), |j| {
                    j.spec.suspend = Some(true)
                })
                .expect("job");
            sim.advance_to(at(30)).expect("bounded");
            sim.cluster_mut()
                .store
                .modify::<Job>(&ObjectKey::new("default", "flaky"), |j| {
                    j.spec.suspend = Some(false)
                })
                .expect("job");
        }
        let all_done = |s: &Sim| s.store().jobs().iter().all(Job::is_finished);
        if let Err(err) = sim.run_until(all_done, secs(7_200)) {
            panic!("seed {seed}: {err}");
        }
        sim.check_invariants()
            .unwrap_or_else(|v| panic!("seed {seed}: {v:?}"));
    }
}
