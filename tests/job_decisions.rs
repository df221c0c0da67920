//! Job controller decisions, one sync at a time on a prepared store, as the upstream unit tests
//! in `pkg/controller/job` check them (cases JOB-1 … JOB-18 of the reference).

mod job_support;

use job_support::*;
use kubarium::sim::controllers::job::pods::{COMPLETION_INDEX_KEY, JOB_TRACKING_FINALIZER};
use kubarium::sim::model::*;

fn counts(job: &Job) -> (i32, i32, i32, i32) {
    let s = &job.status;
    (s.active, s.ready.unwrap_or(0), s.succeeded, s.failed)
}

#[test]
fn job_1_start_creates_parallelism_pods_with_labels_finalizer_and_events() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 2);
    assert_eq!(report.events, vec!["SuccessfulCreate", "SuccessfulCreate"]);
    let job = job(&sim);
    assert_eq!(counts(&job), (2, 0, 0, 0));
    assert_eq!(job.status.start_time, Some(sim.now()));
    let pod = &pods(&sim)[0];
    assert!(pod.metadata.name.starts_with("foo-") && pod.metadata.name.len() == 9);
    let labels = &pod.metadata.labels;
    assert_eq!(labels["batch.kubernetes.io/job-name"], "foo");
    assert_eq!(labels["job-name"], "foo");
    assert_eq!(
        labels["batch.kubernetes.io/controller-uid"],
        job.metadata.uid
    );
    assert_eq!(labels["controller-uid"], job.metadata.uid);
    assert_eq!(pod.metadata.finalizers, vec![JOB_TRACKING_FINALIZER]);
    let owner = pod.metadata.controller_ref().expect("owned");
    assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("Job", "foo"));
    let created = messages(&sim, "SuccessfulCreate");
    assert_eq!(created[0], format!("Created pod: {}", report.creates[0]));
    assert_eq!(
        whys(&sim, "SuccessfulCreate")[0],
        format!(
            "5 completions are still needed and parallelism is 2, so the Job wants 2 active pods \
             and had 0; the Job controller created {}",
            report.creates[0]
        )
    );
}

#[test]
fn job_1_work_queue_job_starts_parallelism_pods() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), None));
    assert_eq!(job(&sim).spec.completions, None);
    assert_eq!(sync(&mut sim).creates.len(), 2);
    assert_eq!(job(&sim).status.active, 2);
}

#[test]
fn job_1_indexed_job_creates_the_lowest_indexes_with_hostname_and_env() {
    let mut sim = bare_sim();
    let mut indexed = foo(Some(2), Some(5));
    indexed.spec.completion_mode = Some(CompletionMode::Indexed);
    add_job(&mut sim, indexed);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 2);
    let mut indexes: Vec<(String, String, Option<String>)> = pods(&sim)
        .iter()
        .map(|p| {
            (
                p.metadata.annotations[COMPLETION_INDEX_KEY].clone(),
                p.metadata.labels[COMPLETION_INDEX_KEY].clone(),
                p.spec.hostname.clone(),
            )
        })
        .collect();
    indexes.sort();
    assert_eq!(
        indexes,
        vec![
            ("0".into(), "0".into(), Some("foo-0".into())),
            ("1".into(), "1".into(), Some("foo-1".into()))
        ]
    );
    let pod = pods(&sim)
        .into_iter()
        .find(|p| p.metadata.name.starts_with("foo-0-"));
    let env = pod.expect("index 0").spec.containers[0].extra["env"].clone();
    assert_eq!(env[0]["name"], "JOB_COMPLETION_INDEX");
    assert_eq!(
        env[0]["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
}

#[test]
fn job_2_steady_state_creates_nothing_and_counts_ready() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(3), Some(5)));
    add_pod(&mut sim, None, State::Ready);
    add_pod(&mut sim, None, State::Ready);
    add_pod(&mut sim, None, State::Running);
    let report = sync(&mut sim);
    assert_eq!((report.creates.len(), report.deletes.len()), (0, 0));
    assert_eq!(counts(&job(&sim)), (3, 2, 0, 0));
}

#[test]
fn job_3_top_up_after_a_success() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    add_pod(&mut sim, None, State::Running);
    add_pod(&mut sim, None, State::Succeeded);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 1);
    assert_eq!(counts(&job(&sim)), (2, 0, 1, 0));
}

#[test]
fn job_4_excess_pods_are_deleted_and_not_counted_as_failed() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    for _ in 0..3 {
        add_pod(&mut sim, None, State::Running);
    }
    let report = sync(&mut sim);
    assert_eq!((report.creates.len(), report.deletes.len()), (0, 1));
    assert_eq!(counts(&job(&sim)), (2, 0, 0, 0));
    assert_eq!(
        pods(&sim).len(),
        2,
        "the deleted pod lost its finalizer and is gone"
    );
}

#[test]
fn job_4_ten_active_pods_lose_eight() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    for _ in 0..10 {
        add_pod(&mut sim, None, State::Running);
    }
    assert_eq!(sync(&mut sim).deletes.len(), 8);
    assert_eq!(job(&sim).status.active, 2);
}

#[test]
fn job_4_want_active_is_remaining_completions_when_smaller_than_parallelism() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(3), Some(4)));
    for _ in 0..3 {
        add_pod(&mut sim, None, State::Running);
    }
    add_pod(&mut sim, None, State::Succeeded);
    add_pod(&mut sim, None, State::Succeeded);
    let report = sync(&mut sim);
    assert_eq!(report.deletes.len(), 1);
    assert_eq!(counts(&job(&sim)), (2, 0, 2, 0));
}

#[test]
fn job_4_deletion_prefers_pending_then_not_ready_pods() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(1), Some(5)));
    let ready = add_pod(&mut sim, None, State::Ready);
    let pending = add_pod(&mut sim, None, State::Pending);
    let running = add_pod(&mut sim, None, State::Running);
    let report = sync(&mut sim);
    assert_eq!(
        report.deletes,
        vec![pending.metadata.name.clone(), running.metadata.name.clone()]
    );
    assert_eq!(pods(&sim)[0].metadata.name, ready.metadata.name);
}

#[test]
fn job_5_and_18_completion_sets_success_criteria_then_complete() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    for _ in 0..5 {
        add_pod(&mut sim, None, State::Succeeded);
    }
    let report = sync(&mut sim);
    let job = job(&sim);
    assert_eq!(job.status.succeeded, 5);
    let reason = "CompletionsReached".to_string();
    let message = "Reached expected number of succeeded pods".to_string();
    assert_eq!(
        conditions(&job),
        vec![
            (
                JobConditionType::SuccessCriteriaMet,
                ConditionStatus::True,
                reason.clone(),
                message.clone()
            ),
            (
                JobConditionType::Complete,
                ConditionStatus::True,
                reason,
                message
            ),
        ]
    );
    assert_eq!(job.status.completion_time, Some(sim.now()));
    assert_eq!(report.events, vec!["Completed"]);
    assert_eq!(messages(&sim, "Completed"), vec!["Job completed"]);
    assert_eq!(
        whys(&sim, "Completed"),
        vec!["5 pods have succeeded and completions is 5, so the Job is marked Complete"]
    );
    assert!(pods(&sim).iter().all(|p| p.metadata.finalizers.is_empty()));
    assert_eq!(
        job.status.uncounted_terminated_pods,
        Some(UncountedTerminatedPods::default())
    );
}

#[test]
fn job_5_work_queue_waits_for_the_running_pod_and_creates_no_more() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), None));
    add_pod(&mut sim, None, State::Running);
    add_pod(&mut sim, None, State::Succeeded);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 0);
    let job = job(&sim);
    assert_eq!(counts(&job), (1, 0, 1, 0));
    assert!(!job.is_finished());
}

#[test]
fn job_5_work_queue_two_successes_complete() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), None));
    add_pod(&mut sim, None, State::Succeeded);
    add_pod(&mut sim, None, State::Succeeded);
    sync(&mut sim);
    let job = job(&sim);
    assert!(job.has_condition(JobConditionType::Complete));
    assert_eq!(job.status.succeeded, 2);
}

#[test]
fn job_5_work_queue_failure_after_success_is_counted_but_the_job_completes() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), None));
    add_pod(&mut sim, None, State::Succeeded);
    add_pod(&mut sim, None, State::Failed(1));
    sync(&mut sim);
    let job = job(&sim);
    assert!(job.has_condition(JobConditionType::Complete));
    assert_eq!((job.status.succeeded, job.status.failed), (1, 1));
}

#[test]
fn job_6_backoff_limit_zero_fails_on_the_first_failure() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.backoff_limit = Some(0);
    add_job(&mut sim, spec);
    add_pod(&mut sim, None, State::Failed(1));
    let report = sync(&mut sim);
    let job = job(&sim);
    assert_eq!(job.status.failed, 1);
    let reason = "BackoffLimitExceeded".to_string();
    let message = "Job has reached the specified backoff limit".to_string();
    assert_eq!(
        conditions(&job),
        vec![
            (
                JobConditionType::FailureTarget,
                ConditionStatus::True,
                reason.clone(),
                message.clone()
            ),
            (
                JobConditionType::Failed,
                ConditionStatus::True,
                reason,
                message.clone()
            ),
        ]
    );
    assert_eq!(report.events, vec!["BackoffLimitExceeded"]);
    assert_eq!(messages(&sim, "BackoffLimitExceeded"), vec![message]);
    assert_eq!(
        whys(&sim, "BackoffLimitExceeded"),
        vec![
            "1 pod has failed and backoffLimit is 0, so the Job is marked Failed: BackoffLimitExceeded"
        ]
    );
    assert_eq!(job.status.completion_time, None);
}

#[test]
fn job_6_two_failures_exceed_backoff_limit_one() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.backoff_limit = Some(1);
    add_job(&mut sim, spec);
    add_pod(&mut sim, None, State::Failed(1));
    add_pod(&mut sim, None, State::Failed(1));
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!(job.status.failed, 2);
    assert!(job.has_condition(JobConditionType::Failed));
    assert_eq!(
        whys(&sim, "BackoffLimitExceeded"),
        vec![
            "2 pods have failed and backoffLimit is 1, so the Job is marked Failed: BackoffLimitExceeded"
        ]
    );
}

#[test]
fn job_6_six_failures_with_the_default_limit_keep_running_and_seven_fail() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(2)));
    add_pod(&mut sim, None, State::Running);
    for _ in 0..6 {
        add_pod(&mut sim, None, State::Failed(1));
    }
    sync(&mut sim);
    let running = job(&sim);
    assert!(!running.is_finished());
    assert_eq!(running.status.failed, 6);
    // The back-off holds the replacement back, and upstream reports 0 active meanwhile.
    assert_eq!(running.status.active, 0);

    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(2)));
    for _ in 0..7 {
        add_pod(&mut sim, None, State::Failed(1));
    }
    sync(&mut sim);
    let failed = job(&sim);
    assert_eq!(failed.status.failed, 7);
    assert!(failed.has_condition(JobConditionType::Failed));
}

#[test]
fn job_8_active_deadline_deletes_the_pod_counts_it_failed_and_fails_the_job() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.active_deadline_seconds = Some(10);
    add_job(&mut sim, spec);
    sync(&mut sim);
    assert_eq!(job(&sim).status.start_time, Some(at(0)));
    sim.advance_to(at(15)).expect("bounded");
    let before = job(&sim);
    assert_eq!(
        before.status.failed, 1,
        "the deadline sync at 10 s already failed the Job"
    );
    let reason = "DeadlineExceeded".to_string();
    let message = "Job was active longer than specified deadline".to_string();
    assert_eq!(
        conditions(&before),
        vec![
            (
                JobConditionType::FailureTarget,
                ConditionStatus::True,
                reason.clone(),
                message.clone()
            ),
            (
                JobConditionType::Failed,
                ConditionStatus::True,
                reason,
                message.clone()
            ),
        ]
    );
    assert_eq!(
        before
            .condition(JobConditionType::Failed)
            .and_then(|c| c.last_transition_time),
        Some(at(10))
    );
    assert_eq!(messages(&sim, "DeadlineExceeded"), vec![message]);
    assert_eq!(
        whys(&sim, "DeadlineExceeded"),
        vec![
            "the Job has been running for 10s since its start time and activeDeadlineSeconds is 10, so the Job is marked Failed: DeadlineExceeded"
        ]
    );
    assert_eq!(before.status.active, 0);
}

#[test]
fn job_8_deadline_with_one_success_and_one_active_pod() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(2));
    spec.spec.active_deadline_seconds = Some(10);
    add_job(&mut sim, spec);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.status.start_time = Some(at(0)))
        .expect("job");
    sim.cluster_mut().now = at(15);
    add_pod(&mut sim, None, State::Running);
    add_pod(&mut sim, None, State::Succeeded);
    let report = sync(&mut sim);
    assert_eq!(report.deletes.len(), 1);
    let job = job(&sim);
    assert_eq!((job.status.succeeded, job.status.failed), (1, 1));
    assert_eq!(
        job.condition(JobConditionType::Failed)
            .and_then(|c| c.reason.clone()),
        Some("DeadlineExceeded".into())
    );
}

#[test]
fn job_8_deadline_boundary_is_inclusive() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.active_deadline_seconds = Some(10);
    spec.spec.suspend = Some(true);
    add_job(&mut sim, spec);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| {
            j.spec.suspend = Some(false);
            j.status.start_time = Some(at(0));
        })
        .expect("job");
    sim.cluster_mut().now = at(10);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 0);
    let job = job(&sim);
    assert!(
        job.has_condition(JobConditionType::Failed),
        "{:?}",
        job.status
    );
    assert_eq!(job.status.failed, 0);
}

#[test]
fn job_8_backoff_limit_wins_over_the_deadline_in_the_same_sync() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.active_deadline_seconds = Some(1);
    spec.spec.backoff_limit = Some(0);
    add_job(&mut sim, spec);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.status.start_time = Some(at(0)))
        .expect("job");
    sim.cluster_mut().now = at(10);
    add_pod(&mut sim, None, State::Failed(1));
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!(
        job.condition(JobConditionType::Failed)
            .and_then(|c| c.reason.clone()),
        Some("BackoffLimitExceeded".into())
    );
}

#[test]
fn job_8_suspended_job_past_its_deadline_does_not_fail() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(1), Some(1));
    spec.spec.active_deadline_seconds = Some(10);
    spec.spec.suspend = Some(true);
    add_job(&mut sim, spec);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.status.start_time = Some(at(0)))
        .expect("job");
    sim.cluster_mut().now = at(15);
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!(
        conditions(&job),
        vec![(
            JobConditionType::Suspended,
            ConditionStatus::True,
            "JobSuspended".into(),
            "Job suspended".into()
        )]
    );
}

#[test]
fn job_9_a_fresh_failure_holds_the_replacement_for_ten_seconds() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(1), Some(1)));
    add_pod(&mut sim, None, State::Failed(1));
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 0);
    assert_eq!(report.requeue_after, Some(secs(10)));
    assert_eq!(job(&sim).status.active, 0);
    let record = sim
        .controller::<kubarium::sim::controllers::job::JobController>()
        .and_then(|c| c.backoff_record(&key()))
        .expect("record kept");
    assert_eq!(record.failures_after_last_success, 1);
    assert_eq!(record.last_failure_time, Some(at(0)));
    sim.cluster_mut().now = at(1);
    assert_eq!(sync(&mut sim).requeue_after, Some(secs(9)));
    sim.cluster_mut().now = at(10);
    assert_eq!(sync(&mut sim).creates.len(), 1);
}

#[test]
fn job_9_without_failures_the_pod_is_created_at_once() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(1), Some(1)));
    assert_eq!(sync(&mut sim).creates.len(), 1);
}

#[test]
fn job_11_created_suspended_job_makes_no_pods_and_has_no_start_time() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(2), Some(5));
    spec.spec.suspend = Some(true);
    add_job(&mut sim, spec);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 0);
    assert_eq!(report.events, vec!["Suspended"]);
    let job = job(&sim);
    assert_eq!(job.status.start_time, None);
    assert_eq!(
        conditions(&job),
        vec![(
            JobConditionType::Suspended,
            ConditionStatus::True,
            "JobSuspended".into(),
            "Job suspended".into()
        )]
    );
}

#[test]
fn job_11_suspending_deletes_active_pods_without_counting_and_resume_resets_start_time() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(5)));
    add_pod(&mut sim, None, State::Running);
    add_pod(&mut sim, None, State::Running);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.spec.suspend = Some(true))
        .expect("job");
    let report = sync(&mut sim);
    assert_eq!(report.deletes.len(), 2);
    assert_eq!(counts(&job(&sim)), (0, 0, 0, 0));
    assert_eq!(
        whys(&sim, "SuccessfulDelete")[0],
        format!(
            "the Job is suspended, so the Job controller deleted {}; pods deleted for a suspension do not count as failures",
            report.deletes[0]
        )
    );
    sim.cluster_mut().now = at(30);
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.spec.suspend = Some(false))
        .expect("job");
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 2);
    assert!(report.events.contains(&"Resumed".to_string()));
    let job = job(&sim);
    assert_eq!(job.status.start_time, Some(at(30)));
    assert_eq!(
        conditions(&job),
        vec![(
            JobConditionType::Suspended,
            ConditionStatus::False,
            "JobResumed".into(),
            "Job resumed".into()
        )]
    );
    assert_eq!(messages(&sim, "Resumed"), vec!["Job resumed"]);
}

#[test]
fn job_12_indexed_completion_counts_distinct_indexes() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(2), Some(3));
    spec.spec.completion_mode = Some(CompletionMode::Indexed);
    add_job(&mut sim, spec);
    add_pod(&mut sim, Some(0), State::Succeeded);
    add_pod(&mut sim, Some(1), State::Failed(1));
    add_pod(&mut sim, Some(1), State::Succeeded);
    add_pod(&mut sim, Some(2), State::Succeeded);
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!((job.status.succeeded, job.status.failed), (3, 1));
    assert_eq!(job.status.completed_indexes, "0-2");
    assert!(job.has_condition(JobConditionType::Complete));
}

#[test]
fn job_16a_fail_job_rule_fails_at_once_with_the_container_message() {
    let mut sim = bare_sim();
    add_job(&mut sim, pfp_job());
    let running = add_pod(&mut sim, None, State::Running);
    let failed = add_pod(&mut sim, None, State::Failed(42));
    let report = sync(&mut sim);
    assert_eq!(report.deletes, vec![running.metadata.name.clone()]);
    let job = job(&sim);
    let message = format!(
        "Container main for pod default/{} failed with exit code 42 matching FailJob rule at index 0",
        failed.metadata.name
    );
    assert_eq!(
        conditions(&job),
        vec![
            (
                JobConditionType::FailureTarget,
                ConditionStatus::True,
                "PodFailurePolicy".into(),
                message.clone()
            ),
            (
                JobConditionType::Failed,
                ConditionStatus::True,
                "PodFailurePolicy".into(),
                message.clone()
            ),
        ]
    );
    assert_eq!(job.status.failed, 2);
    assert_eq!(messages(&sim, "PodFailurePolicy"), vec![message]);
}

#[test]
fn job_16b_disruption_is_ignored_and_replaced() {
    let mut sim = bare_sim();
    add_job(&mut sim, pfp_job());
    let mut evicted = add_pod(&mut sim, None, State::Failed(137));
    evicted.set_condition(
        PodConditionType::DisruptionTarget,
        ConditionStatus::True,
        Some("DeletionByTaintManager"),
        None,
        sim.now(),
    );
    let key = evicted.metadata.key();
    sim.cluster_mut()
        .store
        .modify::<Pod>(&key, |p| p.status = evicted.status.clone())
        .expect("pod");
    let report = sync(&mut sim);
    assert_eq!(
        report.creates.len(),
        3,
        "ignored failures start no back-off"
    );
    let job = job(&sim);
    assert_eq!((job.status.failed, job.status.active), (0, 3));
}

#[test]
fn job_16c_other_exit_codes_count() {
    let mut sim = bare_sim();
    add_job(&mut sim, pfp_job());
    add_pod(&mut sim, None, State::Failed(1));
    let report = sync(&mut sim);
    assert_eq!(job(&sim).status.failed, 1);
    assert_eq!(report.requeue_after, Some(secs(10)));
}

/// The kubernetes.io `job-pod-failure-policy-example` Job (completions 12, parallelism 3).
pub fn pfp_job() -> Job {
    let mut job = foo(Some(3), Some(12));
    job.spec.backoff_limit = Some(6);
    job.spec.pod_failure_policy = Some(PodFailurePolicy {
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
    });
    job
}

#[test]
fn job_managed_by_another_controller_is_ignored() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(2), Some(5));
    spec.spec.managed_by = Some("kueue.x-k8s.io/multikueue".into());
    add_job(&mut sim, spec);
    let report = sync(&mut sim);
    assert_eq!(report, Default::default());
    assert_eq!(job(&sim).status, JobStatus::default());
}

#[test]
fn success_policy_completes_an_indexed_job_early_and_deletes_the_rest() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(3), Some(3));
    spec.spec.completion_mode = Some(CompletionMode::Indexed);
    spec.spec.success_policy = Some(SuccessPolicy {
        rules: vec![SuccessPolicyRule {
            succeeded_indexes: Some("0".into()),
            succeeded_count: None,
        }],
    });
    add_job(&mut sim, spec);
    add_pod(&mut sim, Some(0), State::Succeeded);
    add_pod(&mut sim, Some(1), State::Running);
    let report = sync(&mut sim);
    assert_eq!(report.deletes.len(), 1);
    let job = job(&sim);
    assert_eq!(
        conditions(&job),
        vec![
            (
                JobConditionType::SuccessCriteriaMet,
                ConditionStatus::True,
                "SuccessPolicy".into(),
                "Matched rules at index 0".into()
            ),
            (
                JobConditionType::Complete,
                ConditionStatus::True,
                "SuccessPolicy".into(),
                "Matched rules at index 0".into()
            ),
        ]
    );
    assert_eq!((job.status.succeeded, job.status.failed), (1, 0));
}

#[test]
fn backoff_limit_per_index_fails_only_that_index_and_then_the_job() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(2), Some(2));
    spec.spec.completion_mode = Some(CompletionMode::Indexed);
    spec.spec.backoff_limit_per_index = Some(0);
    add_job(&mut sim, spec);
    assert_eq!(job(&sim).spec.backoff_limit, Some(i32::MAX));
    add_pod(&mut sim, Some(0), State::Failed(1));
    add_pod(&mut sim, Some(1), State::Running);
    let report = sync(&mut sim);
    assert_eq!(report.creates.len(), 0, "a failed index is not retried");
    let running = job(&sim);
    assert_eq!(running.status.failed_indexes.as_deref(), Some("0"));
    assert!(!running.is_finished());
    let key1 = pods(&sim)
        .into_iter()
        .find(|p| p.is_active())
        .expect("index 1")
        .metadata
        .key();
    sim.cluster_mut()
        .store
        .modify::<Pod>(&key1, |p| p.status.phase = Some(PodPhase::Succeeded))
        .expect("pod");
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!(
        job.condition(JobConditionType::Failed)
            .and_then(|c| c.message.clone()),
        Some("Job has failed indexes".into())
    );
    assert_eq!(job.status.completed_indexes, "1");
}

#[test]
fn max_failed_indexes_exceeded_fails_early() {
    let mut sim = bare_sim();
    let mut spec = foo(Some(3), Some(3));
    spec.spec.completion_mode = Some(CompletionMode::Indexed);
    spec.spec.backoff_limit_per_index = Some(0);
    spec.spec.max_failed_indexes = Some(0);
    add_job(&mut sim, spec);
    add_pod(&mut sim, Some(0), State::Failed(1));
    add_pod(&mut sim, Some(1), State::Running);
    sync(&mut sim);
    let job = job(&sim);
    assert_eq!(
        job.condition(JobConditionType::Failed)
            .map(|c| (c.reason.clone(), c.message.clone())),
        Some((
            Some("MaxFailedIndexesExceeded".into()),
            Some("Job has exceeded the specified maximal number of failed indexes".into())
        ))
    );
    assert_eq!(
        job.status.failed, 2,
        "the running pod of index 1 is deleted and counted"
    );
}

#[test]
fn too_many_succeeded_pods_warns_on_completion() {
    let mut sim = bare_sim();
    add_job(&mut sim, foo(Some(2), Some(2)));
    sim.cluster_mut()
        .store
        .modify::<Job>(&key(), |j| j.status.succeeded = 1)
        .expect("job");
    add_pod(&mut sim, None, State::Succeeded);
    add_pod(&mut sim, None, State::Succeeded);
    let report = sync(&mut sim);
    assert_eq!(report.events, vec!["Completed", "TooManySucceededPods"]);
    assert_eq!(
        messages(&sim, "TooManySucceededPods"),
        vec!["Too many succeeded pods running after completion count reached"]
    );
}
