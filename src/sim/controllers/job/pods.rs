//! The pods a Job makes: template, names, labels, annotations, finalizer and index, and the
//! order in which extra pods are removed.

use crate::sim::model::{ConditionStatus, Job, OwnerReference, Pod, PodConditionType, PodPhase};
use serde_json::json;
use std::cmp::Ordering;

/// The finalizer that keeps a finished pod until the controller has counted it.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
/// Annotation and label holding an Indexed pod's completion index.
pub const COMPLETION_INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// Annotation with the number of counted failures of the index before this pod.
pub const INDEX_FAILURE_COUNT_KEY: &str = "batch.kubernetes.io/job-index-failure-count";
/// Annotation with the number of ignored failures of the index before this pod.
pub const INDEX_IGNORED_FAILURE_COUNT_KEY: &str =
    "batch.kubernetes.io/job-index-ignored-failure-count";
/// The environment variable carrying the index.
pub const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";

/// The owner reference every Job pod carries.
pub fn owner_ref(job: &Job) -> OwnerReference {
    OwnerReference {
        api_version: "batch/v1".to_string(),
        kind: "Job".to_string(),
        name: job.metadata.name.clone(),
        uid: job.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The completion index of a pod, from its annotation (then its label).
pub fn completion_index(pod: &Pod) -> Option<i32> {
    let meta = &pod.metadata;
    meta.annotations
        .get(COMPLETION_INDEX_KEY)
        .or_else(|| meta.labels.get(COMPLETION_INDEX_KEY))
        .and_then(|v| v.parse().ok())
        .filter(|i: &i32| *i >= 0)
}

/// An annotation read as a count; absent or malformed reads 0.
pub fn count_annotation(pod: &Pod, key: &str) -> i32 {
    pod.metadata
        .annotations
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Per-index failure counts carried by a new pod of an index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexCounts {
    /// Counted failures so far.
    pub failed: i32,
    /// Ignored failures so far.
    pub ignored: i32,
}

/// The pod `manageJob` creates: the template plus owner, finalizer and, for Indexed Jobs, the
/// index annotation and label, hostname and `JOB_COMPLETION_INDEX` (mirrors
/// `addCompletionIndexEnvVariables` and friends).
pub fn new_job_pod(job: &Job, index: Option<i32>, counts: Option<IndexCounts>) -> Pod {
    let mut pod = Pod::from_template(&job.spec.template, &job.metadata.namespace);
    let name = &job.metadata.name;
    pod.metadata.generate_name = Some(match index {
        Some(i) => format!("{name}-{i}-"),
        None => format!("{name}-"),
    });
    pod.metadata.owner_references.push(owner_ref(job));
    pod.metadata
        .finalizers
        .push(JOB_TRACKING_FINALIZER.to_string());
    let Some(index) = index else {
        return pod;
    };
    let text = index.to_string();
    pod.metadata
        .annotations
        .insert(COMPLETION_INDEX_KEY.to_string(), text.clone());
    pod.metadata
        .labels
        .insert(COMPLETION_INDEX_KEY.to_string(), text);
    if let Some(counts) = counts {
        pod.metadata.annotations.insert(
            INDEX_FAILURE_COUNT_KEY.to_string(),
            counts.failed.to_string(),
        );
        if counts.ignored > 0 {
            pod.metadata.annotations.insert(
                INDEX_IGNORED_FAILURE_COUNT_KEY.to_string(),
                counts.ignored.to_string(),
            );
        }
    }
    pod.spec.hostname = Some(format!("{name}-{index}"));
    let env = json!({
        "name": COMPLETION_INDEX_ENV,
        "valueFrom": { "fieldRef": {
            "fieldPath": format!("metadata.annotations['{COMPLETION_INDEX_KEY}']")
        } }
    });
    for container in pod
        .spec
        .init_containers
        .iter_mut()
        .chain(pod.spec.containers.iter_mut())
    {
        let list = container
            .extra
            .entry("env".to_string())
            .or_insert_with(|| json!([]));
        if let Some(items) = list.as_array_mut() {
            items.push(env.clone());
        }
    }
    pod
}

/// Whether `pod` belongs to `job` (its controller reference names the Job's uid).
///
/// DIVERGENCE: upstream also adopts orphan pods matching the selector (`ClaimPods`); the
/// generated selector names the Job's uid, so only hand-made pods could be adopted, and the
/// simulation does not adopt them.
pub fn is_owned_by(pod: &Pod, job: &Job) -> bool {
    pod.metadata
        .controller_ref()
        .is_some_and(|o| o.uid == job.metadata.uid)
}

fn phase_rank(pod: &Pod) -> u8 {
    match pod.phase() {
        PodPhase::Pending => 0,
        PodPhase::Unknown => 1,
        PodPhase::Running => 2,
        PodPhase::Succeeded | PodPhase::Failed => 3,
    }
}

fn restarts(pod: &Pod) -> i32 {
    pod.status
        .container_statuses
        .iter()
        .map(|s| s.restart_count)
        .max()
        .unwrap_or(0)
}

/// `controller.ActivePods` ordering: the pod to remove first sorts first — unscheduled before
/// scheduled, Pending < Unknown < Running, not ready before ready, ready for less time first,
/// more restarts first, newer first.
pub fn removal_order(a: &Pod, b: &Pod) -> Ordering {
    let scheduled = |p: &Pod| p.node_name().is_some();
    let ready_since = |p: &Pod| {
        p.condition(PodConditionType::Ready)
            .filter(|c| c.status == ConditionStatus::True)
            .and_then(|c| c.last_transition_time)
    };
    scheduled(a)
        .cmp(&scheduled(b))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(a.is_ready().cmp(&b.is_ready()))
        .then(ready_since(b).cmp(&ready_since(a)))
        .then(restarts(b).cmp(&restarts(a)))
        .then(
            b.metadata
                .creation_timestamp
                .cmp(&a.metadata.creation_timestamp),
        )
        .then(a.metadata.name.cmp(&b.metadata.name))
}
