//! Pod failure policy and success policy matching (`pod_failure_policy.go`,
//! `success_policy.go`).

use crate::sim::model::{
    ConditionStatus, Job, Pod, PodFailurePolicyAction, PodFailurePolicyOnExitCodesOperator,
    PodFailurePolicyRule,
};
use std::collections::BTreeSet;

/// A rule that matched a failed pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyMatch {
    /// The rule's action.
    pub action: PodFailurePolicyAction,
    /// Position of the rule.
    pub rule_index: usize,
    /// Upstream's message naming the container or condition, e.g. `Container main for pod
    /// default/p failed with exit code 42 matching FailJob rule at index 0`.
    pub message: String,
}

/// `matchPodFailurePolicy`: the first rule matching the failed `pod`; `None` means the
/// default handling (counted).
pub fn match_pod_failure_policy(job: &Job, pod: &Pod) -> Option<PolicyMatch> {
    let policy = job.spec.pod_failure_policy.as_ref()?;
    let pod_ref = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
    for (rule_index, rule) in policy.rules.iter().enumerate() {
        // FailIndex only applies with backoffLimitPerIndex; upstream skips it otherwise.
        if rule.action == PodFailurePolicyAction::FailIndex
            && job.spec.backoff_limit_per_index.is_none()
        {
            continue;
        }
        let action = rule.action.as_str();
        if let Some((container, code)) = matching_exit_code(rule, pod) {
            let message = format!(
                "Container {container} for pod {pod_ref} failed with exit code {code} matching \
                 {action} rule at index {rule_index}"
            );
            return Some(PolicyMatch {
                action: rule.action,
                rule_index,
                message,
            });
        }
        if let Some(condition) = matching_condition(rule, pod) {
            let message = format!(
                "Pod {pod_ref} has condition {condition} matching {action} rule at index \
                 {rule_index}"
            );
            return Some(PolicyMatch {
                action: rule.action,
                rule_index,
                message,
            });
        }
    }
    None
}

/// `getMatchingContainerFromList` over app then init containers: a terminated container with
/// a non-zero exit code that the rule's operator accepts.
fn matching_exit_code(rule: &PodFailurePolicyRule, pod: &Pod) -> Option<(String, i32)> {
    let requirement = rule.on_exit_codes.as_ref()?;
    let statuses = pod
        .status
        .container_statuses
        .iter()
        .chain(&pod.status.init_container_statuses);
    for status in statuses {
        let Some(code) = status.state.terminated.as_ref().map(|t| t.exit_code) else {
            continue;
        };
        if code == 0 {
            continue;
        }
        if requirement
            .container_name
            .as_deref()
            .is_some_and(|name| name != status.name)
        {
            continue;
        }
        let listed = requirement.values.contains(&code);
        let accepted = match requirement.operator {
            PodFailurePolicyOnExitCodesOperator::In => listed,
            PodFailurePolicyOnExitCodesOperator::NotIn => !listed,
        };
        if accepted {
            return Some((status.name.clone(), code));
        }
    }
    None
}

/// `getMatchingPodConditionFromList`: a pod condition with the pattern's type and status.
fn matching_condition(rule: &PodFailurePolicyRule, pod: &Pod) -> Option<String> {
    for pattern in &rule.on_pod_conditions {
        let found = pod
            .status
            .conditions
            .iter()
            .find(|c| format!("{:?}", c.type_) == pattern.type_ && c.status == pattern.status);
        if let Some(condition) = found {
            return Some(format!("{:?}", condition.type_));
        }
    }
    None
}

/// `matchSuccessPolicy`: the index of the first rule the succeeded indexes satisfy.
pub fn match_success_policy(job: &Job, succeeded: &BTreeSet<i32>) -> Option<usize> {
    let policy = job.spec.success_policy.as_ref()?;
    let completions = job.completions().unwrap_or(0);
    policy.rules.iter().position(|rule| {
        let listed = match &rule.succeeded_indexes {
            Some(text) => match crate::sim::model::batch::parse_intervals(text, completions) {
                Ok(set) => set,
                Err(_) => return false,
            },
            None => (0..completions).collect(),
        };
        let done = listed.intersection(succeeded).count() as i32;
        match rule.succeeded_count {
            Some(count) => done >= count,
            None => done == listed.len() as i32,
        }
    })
}

/// True for a `DisruptionTarget=True` pod, which the `why` texts single out.
pub fn is_disrupted(pod: &Pod) -> bool {
    pod.status.conditions.iter().any(|c| {
        c.type_ == crate::sim::model::PodConditionType::DisruptionTarget
            && c.status == ConditionStatus::True
    })
}
