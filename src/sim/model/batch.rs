//! `batch/v1` Job: spec, status and conditions with the API's field names.
//!
//! The spec keeps every field as the user wrote it (`Option`s stay `None` until the API server's
//! defaults fill them, see [`crate::sim::admission::batch`]); the accessors below read a field
//! with its default so controllers never repeat the defaulting rules.

use super::meta::{ObjectMeta, opt_time};
use super::node::ConditionStatus;
use super::pod::{Container, PodTemplateSpec, RestartPolicy};
use super::selector::LabelSelector;
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The `managedBy` value of the built-in Job controller.
pub const JOB_CONTROLLER_MANAGER: &str = "kubernetes.io/job-controller";

/// How completions are counted (`spec.completionMode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionMode {
    /// Any `completions` successful pods complete the Job (the default).
    #[default]
    NonIndexed,
    /// Each index `0..completions` needs one successful pod.
    Indexed,
}

impl CompletionMode {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CompletionMode::NonIndexed => "NonIndexed",
            CompletionMode::Indexed => "Indexed",
        }
    }
}

/// When a replacement pod may be created (`spec.podReplacementPolicy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodReplacementPolicy {
    /// As soon as the old pod is terminating or failed (the default without podFailurePolicy).
    #[default]
    TerminatingOrFailed,
    /// Only once the old pod reached phase Failed.
    Failed,
}

impl PodReplacementPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodReplacementPolicy::TerminatingOrFailed => "TerminatingOrFailed",
            PodReplacementPolicy::Failed => "Failed",
        }
    }
}

/// What a matching pod failure policy rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodFailurePolicyAction {
    /// Fail the whole Job at once.
    FailJob,
    /// Fail the pod's index (needs `backoffLimitPerIndex`).
    FailIndex,
    /// Do not count the failure; replace the pod.
    Ignore,
    /// Count the failure as usual.
    Count,
}

impl PodFailurePolicyAction {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodFailurePolicyAction::FailJob => "FailJob",
            PodFailurePolicyAction::FailIndex => "FailIndex",
            PodFailurePolicyAction::Ignore => "Ignore",
            PodFailurePolicyAction::Count => "Count",
        }
    }
}

/// `In` or `NotIn` for exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PodFailurePolicyOnExitCodesOperator {
    /// The exit code is one of the values.
    In,
    /// The exit code is none of the values.
    NotIn,
}

/// A rule's exit-code requirement (`onExitCodes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodFailurePolicyOnExitCodesRequirement {
    /// Only this container's exit code is looked at; every container when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The comparison.
    pub operator: PodFailurePolicyOnExitCodesOperator,
    /// The exit codes, sorted and unique (1–255 of them).
    #[serde(default)]
    pub values: Vec<i32>,
}

/// A rule's pod-condition pattern (`onPodConditions[i]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodFailurePolicyOnPodConditionsPattern {
    /// The pod condition type, e.g. `DisruptionTarget`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The condition status that matches; `True` when absent.
    #[serde(default = "condition_true")]
    pub status: ConditionStatus,
}

fn condition_true() -> ConditionStatus {
    ConditionStatus::True
}

/// One pod failure policy rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodFailurePolicyRule {
    /// What to do on a match.
    pub action: PodFailurePolicyAction,
    /// Match on container exit codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit_codes: Option<PodFailurePolicyOnExitCodesRequirement>,
    /// Match on pod conditions (any pattern).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_pod_conditions: Vec<PodFailurePolicyOnPodConditionsPattern>,
}

/// `spec.podFailurePolicy`: rules evaluated in order on each failed pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodFailurePolicy {
    /// The rules; the first match wins.
    #[serde(default)]
    pub rules: Vec<PodFailurePolicyRule>,
}

/// One success policy rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuccessPolicyRule {
    /// Indexes in interval notation (`"0,2-4"`) that must succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_indexes: Option<String>,
    /// How many of those (or of all) indexes must succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_count: Option<i32>,
}

/// `spec.successPolicy` (Indexed Jobs only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuccessPolicy {
    /// The rules; any match declares success.
    #[serde(default)]
    pub rules: Vec<SuccessPolicyRule>,
}

/// Job spec (`batch/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    /// Most pods running at once; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i32>,
    /// Successful pods needed; `None` after defaulting means a work-queue Job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<i32>,
    /// Seconds from `status.startTime` after which the Job fails (`DeadlineExceeded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    /// Rules deciding what a pod failure means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_failure_policy: Option<PodFailurePolicy>,
    /// Rules declaring an Indexed Job successful early.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_policy: Option<SuccessPolicy>,
    /// Failed pods tolerated before the Job fails; default 6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
    /// Failures tolerated per index (Indexed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit_per_index: Option<i32>,
    /// Failed indexes tolerated before the Job fails early.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_failed_indexes: Option<i32>,
    /// Which pods belong to the Job; generated from the uid unless `manualSelector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// True when the user wrote the selector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_selector: Option<bool>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// Seconds after finishing at which the TTL controller deletes the Job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<i32>,
    /// `NonIndexed` (default) or `Indexed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<CompletionMode>,
    /// True stops the Job: its active pods are deleted and no new ones made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// When replacements are created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_replacement_policy: Option<PodReplacementPolicy>,
    /// The controller responsible; the built-in one only handles `kubernetes.io/job-controller`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
}

/// Job condition types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum JobConditionType {
    /// The Job is (or was) suspended.
    Suspended,
    /// The Job finished successfully.
    Complete,
    /// The Job finished with a failure.
    Failed,
    /// The Job will fail once its pods have terminated.
    FailureTarget,
    /// The Job will complete once its pods have terminated.
    SuccessCriteriaMet,
}

impl JobConditionType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobConditionType::Suspended => "Suspended",
            JobConditionType::Complete => "Complete",
            JobConditionType::Failed => "Failed",
            JobConditionType::FailureTarget => "FailureTarget",
            JobConditionType::SuccessCriteriaMet => "SuccessCriteriaMet",
        }
    }
}

/// A Job condition (`batch/v1 JobCondition`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCondition {
    /// The type.
    #[serde(rename = "type")]
    pub type_: JobConditionType,
    /// Its status.
    pub status: ConditionStatus,
    /// When the controller last looked at it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_probe_time: Option<SimTime>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_transition_time: Option<SimTime>,
    /// Machine-readable reason, e.g. `BackoffLimitExceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Uids of finished pods not yet added to `succeeded` / `failed`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UncountedTerminatedPods {
    /// Uids of succeeded pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub succeeded: Vec<String>,
    /// Uids of failed pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

impl UncountedTerminatedPods {
    /// True when no pod waits to be counted.
    pub fn is_empty(&self) -> bool {
        self.succeeded.is_empty() && self.failed.is_empty()
    }
}

/// Job status, as `syncJob` writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobStatus {
    /// Conditions in the order they were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<JobCondition>,
    /// When the controller started the Job (reset on resume).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub start_time: Option<SimTime>,
    /// When the Job completed (only on `Complete`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub completion_time: Option<SimTime>,
    /// Pods neither terminal nor being deleted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub active: i32,
    /// Successful pods counted (Indexed: distinct succeeded indexes).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub succeeded: i32,
    /// Failed pods counted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failed: i32,
    /// Pods being deleted but not terminal yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating: Option<i32>,
    /// Succeeded indexes in interval notation, e.g. `"0-2,4,5,7"`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub completed_indexes: String,
    /// Failed indexes in interval notation (with `backoffLimitPerIndex`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_indexes: Option<String>,
    /// Finished pods waiting to be counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncounted_terminated_pods: Option<UncountedTerminatedPods>,
    /// Active pods that are Ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<i32>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

/// A Job (`batch/v1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// Always `batch/v1`.
    #[serde(default = "default_batch_v1")]
    pub api_version: String,
    /// Always `Job`.
    #[serde(default = "default_job_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: JobSpec,
    /// Status.
    #[serde(default)]
    pub status: JobStatus,
}

pub(crate) fn default_batch_v1() -> String {
    "batch/v1".to_string()
}

fn default_job_kind() -> String {
    "Job".to_string()
}

impl Job {
    /// A Job running one container `main` with `image` and `command`, restartPolicy Never.
    pub fn new(namespace: &str, name: &str, image: &str, command: &[&str]) -> Self {
        let mut template = PodTemplateSpec::default();
        template
            .spec
            .containers
            .push(Container::new("main", image, command));
        template.spec.restart_policy = Some(RestartPolicy::Never);
        Job {
            api_version: default_batch_v1(),
            kind: default_job_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: JobSpec {
                template,
                ..Default::default()
            },
            status: JobStatus::default(),
        }
    }

    /// `parallelism` with its default (1).
    pub fn parallelism(&self) -> i32 {
        self.spec.parallelism.unwrap_or(1)
    }

    /// `completions`; `None` is a work-queue Job.
    pub fn completions(&self) -> Option<i32> {
        self.spec.completions
    }

    /// `backoffLimit` with its default (6).
    pub fn backoff_limit(&self) -> i32 {
        self.spec.backoff_limit.unwrap_or(6)
    }

    /// The completion mode with its default.
    pub fn completion_mode(&self) -> CompletionMode {
        self.spec.completion_mode.unwrap_or_default()
    }

    /// True for `completionMode: Indexed`.
    pub fn is_indexed(&self) -> bool {
        self.completion_mode() == CompletionMode::Indexed
    }

    /// True with `suspend: true`.
    pub fn is_suspended(&self) -> bool {
        self.spec.suspend == Some(true)
    }

    /// The replacement policy with its default (`Failed` when a podFailurePolicy is set).
    pub fn pod_replacement_policy(&self) -> PodReplacementPolicy {
        self.spec.pod_replacement_policy.unwrap_or({
            if self.spec.pod_failure_policy.is_some() {
                PodReplacementPolicy::Failed
            } else {
                PodReplacementPolicy::TerminatingOrFailed
            }
        })
    }

    /// The restart policy of the pod template.
    pub fn restart_policy(&self) -> RestartPolicy {
        self.spec.template.spec.restart_policy()
    }

    /// The condition of `type_`, if present.
    pub fn condition(&self, type_: JobConditionType) -> Option<&JobCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }

    /// True when the condition of `type_` is present with status True.
    pub fn has_condition(&self, type_: JobConditionType) -> bool {
        self.condition(type_)
            .is_some_and(|c| c.status == ConditionStatus::True)
    }

    /// `IsJobFinished`: `Complete=True` or `Failed=True`.
    pub fn is_finished(&self) -> bool {
        self.has_condition(JobConditionType::Complete)
            || self.has_condition(JobConditionType::Failed)
    }

    /// True unless `managedBy` names another controller.
    pub fn is_managed_by_job_controller(&self) -> bool {
        self.spec
            .managed_by
            .as_deref()
            .is_none_or(|m| m == JOB_CONTROLLER_MANAGER)
    }

    /// Labels of the template (what created pods carry).
    pub fn template_labels(&self) -> &BTreeMap<String, String> {
        &self.spec.template.metadata.labels
    }
}

/// Writes indexes in the API's interval notation, mirroring `orderedIntervals.String`: runs of
/// three or more as `a-b`, shorter runs one by one, e.g. {0,1,2,4,5,7} → `"0-2,4,5,7"`.
pub fn format_intervals(indexes: &BTreeSet<i32>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = indexes.iter().copied().peekable();
    while let Some(first) = iter.next() {
        let mut last = first;
        while iter.peek() == Some(&(last + 1)) {
            last += 1;
            iter.next();
        }
        match last - first {
            0 => parts.push(first.to_string()),
            1 => parts.push(format!("{first},{last}")),
            _ => parts.push(format!("{first}-{last}")),
        }
    }
    parts.join(",")
}

/// Reads interval notation (`"0,2-4"`) into a set of indexes below `completions`, as
/// `parseIndexesFromString` does for `succeededIndexes`. Errors describe the first bad part.
pub fn parse_intervals(text: &str, completions: i32) -> Result<BTreeSet<i32>, String> {
    let mut indexes = BTreeSet::new();
    if text.is_empty() {
        return Ok(indexes);
    }
    let mut previous: Option<i32> = None;
    for part in text.split(',') {
        let (low, high) = match part.split_once('-') {
            Some((low, high)) => (parse_index(low)?, parse_index(high)?),
            None => {
                let only = parse_index(part)?;
                (only, only)
            }
        };
        if high >= completions {
            return Err(format!("too large index: {high:?}"));
        }
        if let Some(previous) = previous.filter(|p| *p >= low) {
            return Err(format!(
                "non-increasing order, previous: {previous}, current: {low}"
            ));
        }
        if low > high {
            return Err(format!(
                "non-increasing order, previous: {low}, current: {high}"
            ));
        }
        indexes.extend(low..=high);
        previous = Some(high);
    }
    Ok(indexes)
}

fn parse_index(text: &str) -> Result<i32, String> {
    text.parse::<i32>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| format!("cannot convert string to integer for index: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_print_runs_of_three_as_ranges() {
        let set: BTreeSet<i32> = [0, 1, 2, 4, 5, 7].into_iter().collect();
        assert_eq!(format_intervals(&set), "0-2,4,5,7");
        assert_eq!(format_intervals(&BTreeSet::new()), "");
        assert_eq!(parse_intervals("0-2,4,5,7", 8), Ok(set));
    }

    #[test]
    fn bad_intervals_are_rejected_with_the_part_quoted() {
        assert_eq!(
            parse_intervals("0,x", 5),
            Err("cannot convert string to integer for index: \"x\"".to_string())
        );
        assert_eq!(
            parse_intervals("3,1", 5),
            Err("non-increasing order, previous: 3, current: 1".to_string())
        );
        assert_eq!(
            parse_intervals("7", 5),
            Err("too large index: 7".to_string())
        );
    }
}
