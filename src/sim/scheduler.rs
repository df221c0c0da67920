//! The default scheduler, reduced to the plugins the controllers depend on.
//!
//! Filters, in upstream order: NodeUnschedulable, TaintToleration (NoSchedule and NoExecute),
//! NodeAffinity (nodeSelector AND required node affinity, with the `matchFields metadata.name`
//! pre-filter DaemonSet pods rely on) and NodeResourcesFit (cpu, memory, pod count). Score:
//! least allocated. A pod that fits nowhere gets `PodScheduled=False reason Unschedulable` and a
//! `FailedScheduling` event worded like kube-scheduler v1.33's `FitError`, including the
//! `preemption:` part (every simulated pod has priority 0, so preemption never finds victims).
//! It is retried when a node changes or a pod goes away, after a per-pod back-off of 1 s doubling
//! to 10 s, and at least every 5 minutes.
//!
//! DIVERGENCE: upstream breaks score ties at random and scores with more plugins (balanced
//! allocation, image locality, preferred affinity, topology spread); we use least allocated
//! alone and break ties by node name so runs are easy to follow. Upstream also stops filtering
//! once enough feasible nodes are found in large clusters (`percentageOfNodesToScore`); we
//! always filter every candidate.

use crate::sim::cluster::Cluster;
use crate::sim::events::{EventNote, reference};
use crate::sim::model::{
    ConditionStatus, EventType, Kind, Node, Object, ObjectKey, Pod, PodConditionType, Resources,
    TaintEffect, node::TAINT_UNSCHEDULABLE, pod::tolerates_taint,
};
use crate::sim::queue::Work;
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use std::collections::{BTreeMap, BTreeSet};

/// Requests assumed for scoring when a container sets none (`NonZeroRequests`).
const DEFAULT_SCORE_CPU_MILLIS: i64 = 100;
/// Memory assumed for scoring when a container sets none: 200 MiB.
const DEFAULT_SCORE_MEMORY_BYTES: i64 = 200 * 1024 * 1024;
/// First retry back-off of an unschedulable pod.
const INITIAL_BACKOFF_MS: i64 = 1_000;
/// Largest retry back-off.
const MAX_BACKOFF_MS: i64 = 10_000;
/// An unschedulable pod is retried at least this often (`podMaxInUnschedulablePodsDuration`).
const MAX_UNSCHEDULABLE_MS: i64 = 5 * 60 * 1_000;

/// The scheduler's bookkeeping of pods it could not place.
#[derive(Clone, Debug, Default)]
pub struct SchedulerState {
    attempts: BTreeMap<ObjectKey, (u32, SimTime)>,
    unschedulable: BTreeSet<ObjectKey>,
}

/// Queues scheduling work a store change causes.
pub fn on_change(cluster: &mut Cluster, change: &Change) {
    match (&change.old, &change.new) {
        (None, Some(Object::Pod(pod))) if needs_scheduling(pod) => {
            cluster.schedule(
                SimDuration::ZERO,
                Work::Schedule {
                    pod: change.key.clone(),
                },
            );
        }
        (_, Some(Object::Pod(pod))) if needs_scheduling(pod) => {}
        (Some(Object::Pod(old)), new) => {
            let freed = old.node_name().is_some()
                && new
                    .as_ref()
                    .is_none_or(|n| matches!(n, Object::Pod(p) if p.phase().is_terminal()));
            cluster.scheduler.attempts.remove(&change.key);
            cluster.scheduler.unschedulable.remove(&change.key);
            if freed {
                retry_unschedulable(cluster);
            }
        }
        (old, Some(Object::Node(node))) => {
            let relevant = match old {
                Some(Object::Node(old)) => node_changed_for_scheduling(old, node),
                _ => true,
            };
            if relevant {
                retry_unschedulable(cluster);
            }
        }
        _ => {}
    }
}

fn needs_scheduling(pod: &Pod) -> bool {
    pod.node_name().is_none()
        && pod.metadata.deletion_timestamp.is_none()
        && !pod.phase().is_terminal()
}

/// Node updates that can make a pod fit (`isSchedulableAfterNodeChange` in spirit): labels,
/// taints, cordon and allocatable; heartbeats alone do not.
fn node_changed_for_scheduling(old: &Node, new: &Node) -> bool {
    old.metadata.labels != new.metadata.labels
        || old.spec.taints != new.spec.taints
        || old.spec.unschedulable != new.spec.unschedulable
        || old.status.allocatable != new.status.allocatable
}

/// Moves every unschedulable pod back to the active queue, respecting its back-off.
fn retry_unschedulable(cluster: &mut Cluster) {
    let pods: Vec<ObjectKey> = cluster.scheduler.unschedulable.iter().cloned().collect();
    for key in pods {
        let due = retry_time(cluster, &key).max(cluster.now);
        cluster.queue.push(due, Work::Schedule { pod: key });
    }
}

fn retry_time(cluster: &Cluster, key: &ObjectKey) -> SimTime {
    match cluster.scheduler.attempts.get(key) {
        Some(&(attempts, last)) => {
            let shift = attempts.saturating_sub(1).min(10);
            last + SimDuration::from_ms((INITIAL_BACKOFF_MS << shift).min(MAX_BACKOFF_MS))
        }
        None => cluster.now,
    }
}

/// Why one node was filtered out; the text is the plugin's reason as counted in `FitError`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rejection {
    reasons: Vec<String>,
    /// `UnschedulableAndUnresolvable`: preemption cannot help.
    unresolvable: bool,
}

fn unresolvable(reason: String) -> Rejection {
    Rejection {
        reasons: vec![reason],
        unresolvable: true,
    }
}

/// What one scheduling cycle reads per candidate node, parsed once: the pod's requests, the
/// node's allocatable and what its non-terminal pods already request.
#[derive(Clone, Copy, Debug)]
struct Fit {
    want: Resources,
    have: Resources,
    used: Resources,
}

/// Runs the filters for one node, mirroring the default plugin order.
fn filter(pod: &Pod, node: &Node, fit: Fit) -> Result<(), Rejection> {
    let unschedulable_taint =
        crate::sim::model::Taint::new(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule);
    if node.is_unschedulable() && !tolerates_taint(&pod.spec.tolerations, &unschedulable_taint) {
        return Err(unresolvable("node(s) were unschedulable".to_string()));
    }
    let untolerated = node.spec.taints.iter().find(|taint| {
        taint.effect != TaintEffect::PreferNoSchedule
            && !tolerates_taint(&pod.spec.tolerations, taint)
    });
    if let Some(taint) = untolerated {
        return Err(unresolvable(format!(
            "node(s) had untolerated taint {}",
            taint.describe()
        )));
    }
    if !pod.spec.node_affinity_matches(node) {
        return Err(unresolvable(
            "node(s) didn't match Pod's node affinity/selector".to_string(),
        ));
    }
    fits_resources(fit)
}

/// NodeResourcesFit: requests plus what bound, non-terminal pods use must stay within
/// allocatable. Every shortage is reported, as upstream does.
fn fits_resources(fit: Fit) -> Result<(), Rejection> {
    let Fit { want, have, used } = fit;
    let mut reasons = Vec::new();
    if used.pods + 1 > have.pods {
        reasons.push("Too many pods".to_string());
    }
    if want.cpu_millis > 0 && used.cpu_millis + want.cpu_millis > have.cpu_millis {
        reasons.push("Insufficient cpu".to_string());
    }
    if want.memory_bytes > 0 && used.memory_bytes + want.memory_bytes > have.memory_bytes {
        reasons.push("Insufficient memory".to_string());
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Rejection {
            reasons,
            unresolvable: false,
        })
    }
}

/// Requests of the non-terminal pods bound to `node`; `non_zero` applies scoring defaults
/// (`NonZeroRequests`) to pods that leave cpu or memory unset.
///
/// The store keeps these sums as pods are bound, finish and go, so this costs one lookup
/// however many finished pods are still bound to the node.
fn used_on_node(cluster: &Cluster, node: &str, non_zero: bool) -> Resources {
    let sums = cluster.store.requests_on_node(node);
    let mut used = sums.requested;
    if non_zero {
        used.cpu_millis += sums.pods_without_cpu * DEFAULT_SCORE_CPU_MILLIS;
        used.memory_bytes += sums.pods_without_memory * DEFAULT_SCORE_MEMORY_BYTES;
    }
    used
}

/// LeastAllocated: the mean over cpu and memory of the free share after placing the pod, 0-100.
fn least_allocated_score(cluster: &Cluster, node: &Node, want: Resources, have: Resources) -> i64 {
    let used = used_on_node(cluster, node.name(), true);
    let want_cpu = if want.cpu_millis == 0 {
        DEFAULT_SCORE_CPU_MILLIS
    } else {
        want.cpu_millis
    };
    let want_memory = if want.memory_bytes == 0 {
        DEFAULT_SCORE_MEMORY_BYTES
    } else {
        want.memory_bytes
    };
    let free = |capacity: i64, requested: i64| {
        if capacity <= 0 || requested > capacity {
            0
        } else {
            (capacity - requested) * 100 / capacity
        }
    };
    (free(have.cpu_millis, used.cpu_millis + want_cpu)
        + free(have.memory_bytes, used.memory_bytes + want_memory))
        / 2
}

/// The nodes NodeAffinity's pre-filter allows: the `metadata.name In [...]` values when every
/// required term pins names, otherwise `None` (all nodes).
fn prefiltered_names(pod: &Pod) -> Option<BTreeSet<String>> {
    let selector = pod.spec.required_node_affinity()?;
    let mut names = BTreeSet::new();
    for term in &selector.node_selector_terms {
        let pinned = term.match_fields.iter().find(|f| {
            f.key == "metadata.name" && f.operator == crate::sim::model::NodeSelectorOperator::In
        })?;
        names.extend(pinned.values.iter().cloned());
    }
    Some(names)
}

/// The outcome of one scheduling cycle.
enum Decision {
    Bind(String),
    Unschedulable(String),
}

/// Runs one scheduling cycle for `key`, mirroring `schedulePod`: filter, score, bind.
fn decide(cluster: &Cluster, pod: &Pod) -> Decision {
    let total = cluster.store.nodes().len();
    if total == 0 {
        return Decision::Unschedulable("no nodes available to schedule pods".to_string());
    }
    let allowed = prefiltered_names(pod);
    let want = pod.spec.requests();
    let mut rejections: Vec<Rejection> = Vec::new();
    let mut best: Option<(i64, String)> = None;
    let candidates: Vec<&Node> = match &allowed {
        Some(names) => names
            .iter()
            .filter_map(|n| cluster.store.nodes().get(&ObjectKey::cluster(n)))
            .collect(),
        None => cluster.store.nodes().iter().collect(),
    };
    for node in &candidates {
        let fit = Fit {
            want,
            have: node.allocatable(),
            used: used_on_node(cluster, node.name(), false),
        };
        match filter(pod, node, fit) {
            Err(rejection) => rejections.push(rejection),
            Ok(()) => {
                let score = least_allocated_score(cluster, node, want, fit.have);
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, node.name().to_string()));
                }
            }
        }
    }
    if let Some((_, node)) = best {
        return Decision::Bind(node);
    }
    let excluded = total - candidates.len();
    Decision::Unschedulable(fit_error(total, &rejections, excluded))
}

/// Formats `FitError.Error()`: counted reasons sorted as strings, then the preemption summary.
fn fit_error(total: usize, rejections: &[Rejection], excluded_by_prefilter: usize) -> String {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let (mut unresolvable, mut resolvable) = (excluded_by_prefilter, 0);
    for rejection in rejections {
        for reason in &rejection.reasons {
            *reasons.entry(reason.clone()).or_default() += 1;
        }
        if rejection.unresolvable {
            unresolvable += 1
        } else {
            resolvable += 1
        }
    }
    if excluded_by_prefilter > 0 {
        *reasons
            .entry("node(s) didn't satisfy plugin(s) [NodeAffinity]".to_string())
            .or_default() += excluded_by_prefilter;
    }
    let mut counted: Vec<String> = reasons
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect();
    counted.sort();
    let mut preemption = Vec::new();
    if resolvable > 0 {
        preemption.push(format!(
            "{resolvable} No preemption victims found for incoming pod"
        ));
    }
    if unresolvable > 0 {
        preemption.push(format!(
            "{unresolvable} Preemption is not helpful for scheduling"
        ));
    }
    preemption.sort();
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
        counted.join(", "),
        preemption.join(", ")
    )
}

/// Processes one queued scheduling attempt.
pub fn schedule_one(cluster: &mut Cluster, key: &ObjectKey) {
    let Some(pod) = cluster.store.pods().get(key).cloned() else {
        return;
    };
    if !needs_scheduling(&pod) {
        cluster.scheduler.unschedulable.remove(key);
        return;
    }
    match decide(cluster, &pod) {
        Decision::Bind(node) => bind(cluster, &pod, &node),
        Decision::Unschedulable(message) => mark_unschedulable(cluster, &pod, message),
    }
}

fn bind(cluster: &mut Cluster, pod: &Pod, node: &str) {
    let key = pod.metadata.key();
    cluster.scheduler.unschedulable.remove(&key);
    cluster.scheduler.attempts.remove(&key);
    let now = cluster.now;
    let result = cluster.store.modify::<Pod>(&key, |p| {
        p.spec.node_name = Some(node.to_string());
        p.set_condition(
            PodConditionType::PodScheduled,
            ConditionStatus::True,
            None,
            None,
            now,
        );
    });
    if result.is_err() {
        return;
    }
    let note = EventNote {
        object: reference(Kind::Pod.as_str(), "v1", &pod.metadata),
        type_: EventType::Normal,
        reason: "Scheduled".to_string(),
        message: format!("Successfully assigned {key} to {node}"),
        component: "default-scheduler",
        host: String::new(),
        why: format!(
            "{node} passed every scheduling filter for {} and had the most free cpu and memory, \
             so the scheduler bound the pod there",
            key.name
        ),
    };
    cluster.record(note);
}

fn mark_unschedulable(cluster: &mut Cluster, pod: &Pod, message: String) {
    let key = pod.metadata.key();
    let now = cluster.now;
    let attempts = cluster.scheduler.attempts.get(&key).map_or(0, |(n, _)| *n) + 1;
    cluster
        .scheduler
        .attempts
        .insert(key.clone(), (attempts, now));
    cluster.scheduler.unschedulable.insert(key.clone());
    let condition_message = message.clone();
    let written = cluster.store.modify::<Pod>(&key, |p| {
        let reason = Some("Unschedulable");
        p.set_condition(
            PodConditionType::PodScheduled,
            ConditionStatus::False,
            reason,
            Some(condition_message),
            now,
        );
    });
    if written.is_err() {
        return;
    }
    cluster.queue.push(
        now + SimDuration::from_ms(MAX_UNSCHEDULABLE_MS),
        Work::Schedule { pod: key.clone() },
    );
    let note = EventNote {
        object: reference(Kind::Pod.as_str(), "v1", &pod.metadata),
        type_: EventType::Warning,
        reason: "FailedScheduling".to_string(),
        message,
        component: "default-scheduler",
        host: String::new(),
        why: format!(
            "no node passed the scheduler's filters for {}, so it stays Pending until a node or \
             pod change frees room",
            key.name
        ),
    };
    cluster.record(note);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_error_counts_sorts_and_adds_the_preemption_summary() {
        let taint = unresolvable(
            "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".into(),
        );
        let cpu = Rejection {
            reasons: vec!["Insufficient cpu".into()],
            unresolvable: false,
        };
        let message = fit_error(4, &[cpu.clone(), taint, cpu.clone(), cpu], 0);
        assert_eq!(
            message,
            "0/4 nodes are available: 1 node(s) had untolerated taint \
             {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes \
             are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims \
             found for incoming pod."
        );
    }

    #[test]
    fn daemon_pods_report_the_other_nodes_as_excluded_by_node_affinity() {
        let cpu = Rejection {
            reasons: vec!["Insufficient cpu".into()],
            unresolvable: false,
        };
        assert_eq!(
            fit_error(4, &[cpu], 3),
            "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) \
             [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found \
             for incoming pod, 3 Preemption is not helpful for scheduling."
        );
    }
}
