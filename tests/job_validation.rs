//! JOB-20: the API server's rejections of bad Jobs, with field paths and messages.

mod job_support;

use job_support::*;
use kubarium::sim::command::{Command, CommandError};
use kubarium::sim::model::*;

fn rejection(job: Job) -> String {
    let mut sim = bare_sim();
    match sim.submit(Command::apply(job)) {
        Err(CommandError::Api(err)) => err.to_string(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn prefix(body: &str) -> String {
    format!("Job.batch \"foo\" is invalid: {body}")
}

#[test]
fn job_20_restart_policy_always_is_refused() {
    let mut job = foo(None, None);
    job.spec.template.spec.restart_policy = Some(RestartPolicy::Always);
    assert_eq!(
        rejection(job),
        prefix(
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
        )
    );
}

#[test]
fn job_20_pod_failure_policy_needs_never() {
    let mut job = foo(None, None);
    job.spec.template.spec.restart_policy = Some(RestartPolicy::OnFailure);
    job.spec.pod_failure_policy = Some(PodFailurePolicy {
        rules: vec![PodFailurePolicyRule {
            action: PodFailurePolicyAction::Count,
            on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                container_name: None,
                operator: PodFailurePolicyOnExitCodesOperator::NotIn,
                values: vec![0],
            }),
            on_pod_conditions: Vec::new(),
        }],
    });
    assert_eq!(
        rejection(job),
        prefix(
            "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"
        )
    );
}

#[test]
fn job_20_indexed_needs_completions() {
    let mut job = foo(Some(2), None);
    job.spec.completion_mode = Some(CompletionMode::Indexed);
    assert_eq!(
        rejection(job),
        prefix("spec.completions: Required value: when completion mode is Indexed")
    );
}

#[test]
fn job_20_backoff_limit_per_index_needs_indexed() {
    let mut job = foo(None, None);
    job.spec.backoff_limit_per_index = Some(1);
    assert_eq!(
        rejection(job),
        prefix("spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode")
    );
}

#[test]
fn job_20_fail_index_needs_backoff_limit_per_index_and_in_may_not_list_0() {
    let mut job = foo(Some(2), Some(2));
    job.spec.completion_mode = Some(CompletionMode::Indexed);
    job.spec.pod_failure_policy = Some(PodFailurePolicy {
        rules: vec![PodFailurePolicyRule {
            action: PodFailurePolicyAction::FailIndex,
            on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                container_name: None,
                operator: PodFailurePolicyOnExitCodesOperator::In,
                values: vec![0, 3],
            }),
            on_pod_conditions: Vec::new(),
        }],
    });
    assert_eq!(
        rejection(job),
        prefix(
            "[spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the \
             backoffLimitPerIndex to be set, spec.podFailurePolicy.rules[0].onExitCodes.values[0]: \
             Invalid value: 0: must not be 0 for the In operator]"
        )
    );
}

#[test]
fn negative_counts_and_long_names_are_refused() {
    let mut job = foo(Some(-1), Some(1));
    job.spec.backoff_limit = Some(-2);
    assert_eq!(
        rejection(job),
        prefix(
            "[spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0, \
             spec.parallelism: Invalid value: -1: must be greater than or equal to 0]"
        )
    );
    let long = "j".repeat(64);
    let mut job = foo(None, None);
    job.metadata.name = long.clone();
    let mut sim = bare_sim();
    let err = sim.submit(Command::apply(job)).expect_err("too long");
    assert_eq!(
        err.to_string(),
        format!(
            "Job.batch \"{long}\" is invalid: spec.template.metadata.labels: Invalid value: \
             \"{long}\": must be no more than 63 characters"
        )
    );
}

#[test]
fn a_rule_needs_exactly_one_of_exit_codes_and_pod_conditions() {
    let mut job = foo(None, None);
    job.spec.pod_failure_policy = Some(PodFailurePolicy {
        rules: vec![PodFailurePolicyRule {
            action: PodFailurePolicyAction::Ignore,
            on_exit_codes: None,
            on_pod_conditions: Vec::new(),
        }],
    });
    assert_eq!(
        rejection(job),
        prefix(
            "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"
        )
    );
}

#[test]
fn completions_are_immutable_after_creation() {
    let mut sim = bare_sim();
    sim.submit(Command::apply(foo(Some(1), Some(3))))
        .expect("valid");
    let err = sim
        .submit(Command::apply(foo(Some(1), Some(4))))
        .expect_err("immutable");
    assert_eq!(
        err.to_string(),
        "Job.batch \"foo\" is invalid: spec.completions: Invalid value: 4: field is immutable"
    );
    sim.submit(Command::apply(foo(Some(2), Some(3))))
        .expect("parallelism may change");
}
