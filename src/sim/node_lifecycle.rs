//! Node lifecycle: power, heartbeats, condition taints and taint-based eviction.
//!
//! Mirrors three upstream pieces: the node-lifecycle controller (a node without heartbeats for
//! the grace period gets `Ready=Unknown`, its pods are marked not ready), TaintNodesByCondition
//! (conditions and cordon become `node.kubernetes.io/...` taints) and the NoExecute taint
//! manager (pods that do not tolerate a NoExecute taint are deleted, those that tolerate it for
//! `tolerationSeconds` are deleted when that runs out, with `DisruptionTarget=True reason
//! DeletionByTaintManager`).
//!
//! DIVERGENCE: upstream notices a silent node at the first 5 s monitor tick after its last
//! 10 s lease renewal plus the grace period, i.e. 40–55 s after power-off with the 50 s default;
//! we mark it exactly `node_monitor_grace_ms` after power-off so scenarios have exact timings.

use crate::sim::cluster::Cluster;
use crate::sim::events::{EventNote, reference};
use crate::sim::kubelet;
use crate::sim::model::{
    ConditionStatus, EventType, Node, NodeConditionType, Object, ObjectKey, Pod, PodConditionType,
    Taint, TaintEffect, node::*,
};
use crate::sim::queue::Work;
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// Taint keys this module manages from conditions and cordon; all others belong to users.
const MANAGED_TAINTS: &[&str] = &[
    TAINT_NOT_READY,
    TAINT_UNREACHABLE,
    TAINT_MEMORY_PRESSURE,
    TAINT_DISK_PRESSURE,
    TAINT_PID_PRESSURE,
    TAINT_NETWORK_UNAVAILABLE,
    TAINT_UNSCHEDULABLE,
];

/// Node power state and pending evictions.
#[derive(Clone, Debug)]
pub struct NodeLifecycle {
    started_at: SimTime,
    stopped: BTreeMap<String, u64>,
    next_epoch: u64,
    evictions: BTreeMap<ObjectKey, ScheduledEviction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ScheduledEviction {
    uid: String,
    created_at: SimTime,
    trigger_at: SimTime,
}

impl NodeLifecycle {
    /// The state of a cluster whose clock starts at `started_at`.
    pub fn new(started_at: SimTime) -> Self {
        NodeLifecycle {
            started_at,
            stopped: BTreeMap::new(),
            next_epoch: 0,
            evictions: BTreeMap::new(),
        }
    }

    /// Whether `node` is powered off.
    pub fn is_stopped(&self, node: &str) -> bool {
        self.stopped.contains_key(node)
    }

    /// The instant the cluster started (the phase of periodic loops).
    pub fn started_at(&self) -> SimTime {
        self.started_at
    }

    /// When the taint manager will delete `pod`, if an eviction is pending.
    pub fn eviction_due(&self, pod: &ObjectKey) -> Option<SimTime> {
        self.evictions.get(pod).map(|e| e.trigger_at)
    }
}

/// A new node as its kubelet registers it: Ready, no pressure, network configured.
pub fn register(node: &mut Node, now: SimTime) {
    let healthy = [
        (NodeConditionType::Ready, ConditionStatus::True),
        (NodeConditionType::MemoryPressure, ConditionStatus::False),
        (NodeConditionType::DiskPressure, ConditionStatus::False),
        (NodeConditionType::PidPressure, ConditionStatus::False),
        (
            NodeConditionType::NetworkUnavailable,
            ConditionStatus::False,
        ),
    ];
    for (type_, status) in healthy {
        if node.condition(type_).is_none() {
            node.set_condition(type_, status, now);
        }
    }
    sync_condition_taints(node, now);
}

/// The taints conditions and cordon call for, mirroring TaintNodesByCondition and the
/// NoExecute taints of `doNoExecuteTaintingPass`.
fn desired_managed_taints(node: &Node) -> Vec<Taint> {
    use NodeConditionType as T;
    let mut taints = Vec::new();
    match node.condition_status(T::Ready) {
        Some(ConditionStatus::False) => {
            taints.push(Taint::new(TAINT_NOT_READY, TaintEffect::NoSchedule));
            taints.push(Taint::new(TAINT_NOT_READY, TaintEffect::NoExecute));
        }
        Some(ConditionStatus::Unknown) => {
            taints.push(Taint::new(TAINT_UNREACHABLE, TaintEffect::NoSchedule));
            taints.push(Taint::new(TAINT_UNREACHABLE, TaintEffect::NoExecute));
        }
        _ => {}
    }
    let pressure = [
        (T::MemoryPressure, TAINT_MEMORY_PRESSURE),
        (T::DiskPressure, TAINT_DISK_PRESSURE),
        (T::PidPressure, TAINT_PID_PRESSURE),
        (T::NetworkUnavailable, TAINT_NETWORK_UNAVAILABLE),
    ];
    for (type_, key) in pressure {
        if node.condition_status(type_) == Some(ConditionStatus::True) {
            taints.push(Taint::new(key, TaintEffect::NoSchedule));
        }
    }
    if node.is_unschedulable() {
        taints.push(Taint::new(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule));
    }
    taints
}

/// Brings the managed taints in line with conditions and cordon, keeping user taints and the
/// `timeAdded` of taints that stay.
pub fn sync_condition_taints(node: &mut Node, now: SimTime) {
    let desired = desired_managed_taints(node);
    node.spec.taints.retain(|t| {
        !MANAGED_TAINTS.contains(&t.key.as_str())
            || desired
                .iter()
                .any(|d| d.key == t.key && d.effect == t.effect)
    });
    for mut taint in desired {
        if !node.has_taint(&taint.key, taint.effect) {
            if taint.effect == TaintEffect::NoExecute {
                taint.time_added = Some(now);
            }
            node.spec.taints.push(taint);
        }
    }
}

/// Sets a node condition (as its kubelet would report it) and the taints it implies.
pub fn set_condition(
    cluster: &mut Cluster,
    node: &str,
    type_: NodeConditionType,
    status: ConditionStatus,
) -> Result<(), crate::sim::store::ApiError> {
    let now = cluster.now;
    cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(node), |n| {
            n.set_condition(type_, status, now);
            sync_condition_taints(n, now);
        })
        .map(drop)
}

/// Clears the power state kept for a node name (used when a node registers again).
pub fn forget_power_state(cluster: &mut Cluster, node: &str) {
    cluster.node_lifecycle.stopped.remove(node);
    if cluster.kubelets.is_powered_off(node) {
        kubelet::power_on(cluster, node);
    }
}

/// Powers a node off: the kubelet goes silent and the grace period starts.
pub fn stop(cluster: &mut Cluster, node: &str) {
    cluster.node_lifecycle.next_epoch += 1;
    let epoch = cluster.node_lifecycle.next_epoch;
    cluster
        .node_lifecycle
        .stopped
        .insert(node.to_string(), epoch);
    kubelet::power_off(cluster, node);
    let grace = SimDuration::from_ms(cluster.settings.node_monitor_grace_ms);
    cluster.schedule(
        grace,
        Work::NodeGraceExpired {
            node: node.to_string(),
            epoch,
        },
    );
}

/// Powers a node on: its kubelet reports Ready again and resumes its pods.
pub fn start(cluster: &mut Cluster, node: &str) {
    cluster.node_lifecycle.stopped.remove(node);
    let now = cluster.now;
    let _ = cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(node), |n| {
            for type_ in [
                NodeConditionType::MemoryPressure,
                NodeConditionType::DiskPressure,
                NodeConditionType::PidPressure,
            ] {
                if n.condition_status(type_) == Some(ConditionStatus::Unknown) {
                    n.set_condition(type_, ConditionStatus::False, now);
                }
            }
            n.set_condition(NodeConditionType::Ready, ConditionStatus::True, now);
            sync_condition_taints(n, now);
        });
    if let Some(stored) = cluster
        .store
        .nodes()
        .get(&ObjectKey::cluster(node))
        .cloned()
    {
        let why = format!("{node} was powered on and its kubelet reported Ready again");
        node_event(
            cluster,
            &stored,
            EventType::Normal,
            "NodeReady",
            format!("Node {node} status is now: NodeReady"),
            "kubelet",
            why,
        );
    }
    kubelet::power_on(cluster, node);
}

fn node_event(
    cluster: &mut Cluster,
    node: &Node,
    type_: EventType,
    reason: &str,
    message: String,
    component: &'static str,
    why: String,
) {
    let host = if component == "kubelet" {
        node.name().to_string()
    } else {
        String::new()
    };
    let note = EventNote {
        object: reference("Node", "v1", &node.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component,
        host,
        why,
    };
    cluster.record(note);
}

/// The grace period of a stopped node ran out: `Ready=Unknown`, unreachable taints, pods not
/// ready (mirrors `tryUpdateNodeHealth` and `MarkPodsNotReady`).
pub fn grace_expired(cluster: &mut Cluster, node: &str, epoch: u64) {
    if cluster.node_lifecycle.stopped.get(node) != Some(&epoch) {
        return;
    }
    let now = cluster.now;
    let updated = cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(node), |n| {
            for type_ in [
                NodeConditionType::Ready,
                NodeConditionType::MemoryPressure,
                NodeConditionType::DiskPressure,
                NodeConditionType::PidPressure,
            ] {
                n.set_condition(type_, ConditionStatus::Unknown, now);
            }
            sync_condition_taints(n, now);
        });
    let Ok(stored) = updated else { return };
    let grace_secs = cluster.settings.node_monitor_grace_ms / 1000;
    let why = format!(
        "{node} sent no heartbeat for {grace_secs}s, so the node controller marked it Unknown and \
            tainted it unreachable"
    );
    node_event(
        cluster,
        &stored,
        EventType::Normal,
        "NodeNotReady",
        format!("Node {node} status is now: NodeNotReady"),
        "node-controller",
        why,
    );
    let keys: Vec<ObjectKey> = cluster.store.pods_on_node(node).cloned().collect();
    for key in keys {
        mark_pod_not_ready(cluster, &key, node);
    }
}

fn mark_pod_not_ready(cluster: &mut Cluster, key: &ObjectKey, node: &str) {
    let now = cluster.now;
    let Some(pod) = cluster.store.pods().get(key).cloned() else {
        return;
    };
    if pod.phase().is_terminal() {
        return;
    }
    let _ = cluster.store.modify::<Pod>(key, |p| {
        p.set_condition(
            PodConditionType::Ready,
            ConditionStatus::False,
            None,
            None,
            now,
        );
        for status in &mut p.status.container_statuses {
            status.ready = false;
        }
    });
    let note = EventNote {
        object: reference("Pod", "v1", &pod.metadata),
        type_: EventType::Warning,
        reason: "NodeNotReady".to_string(),
        message: "Node is not ready".to_string(),
        component: "node-controller",
        host: String::new(),
        why: format!(
            "{} runs on {node}, which stopped reporting, so it no longer counts as ready",
            key.name
        ),
    };
    cluster.record(note);
}

/// The taint manager's reaction to writes: a node whose NoExecute taints changed re-checks all
/// its pods; a newly bound pod is checked against its node.
pub fn on_change(cluster: &mut Cluster, change: &Change) {
    match (&change.old, &change.new) {
        (old, Some(Object::Node(node))) => {
            let before: Vec<&Taint> = match old {
                Some(Object::Node(old)) => no_execute(old).collect(),
                _ => Vec::new(),
            };
            let after: Vec<&Taint> = no_execute(node).collect();
            if before != after {
                let keys: Vec<ObjectKey> =
                    cluster.store.pods_on_node(node.name()).cloned().collect();
                for key in keys {
                    process_pod(cluster, &key);
                }
            }
        }
        (old, Some(Object::Pod(pod))) => {
            let newly_bound = pod.node_name().is_some()
                && !matches!(old, Some(Object::Pod(o)) if o.node_name().is_some());
            if newly_bound {
                process_pod(cluster, &change.key);
            }
        }
        (Some(Object::Pod(_)), None) => {
            cluster.node_lifecycle.evictions.remove(&change.key);
        }
        _ => {}
    }
}

fn no_execute(node: &Node) -> impl Iterator<Item = &Taint> {
    node.spec
        .taints
        .iter()
        .filter(|t| t.effect == TaintEffect::NoExecute)
}

/// Decides when (if ever) `key` must be evicted, mirroring `processPodOnNode`.
fn process_pod(cluster: &mut Cluster, key: &ObjectKey) {
    let Some(pod) = cluster.store.pods().get(key) else {
        return;
    };
    let Some(node) = pod
        .node_name()
        .and_then(|n| cluster.store.nodes().get(&ObjectKey::cluster(n)))
    else {
        return;
    };
    let taints: Vec<&Taint> = no_execute(node).collect();
    if taints.is_empty() || pod.metadata.deletion_timestamp.is_some() {
        cluster.node_lifecycle.evictions.remove(key);
        return;
    }
    let mut min_secs: Option<i64> = None;
    for taint in &taints {
        let matching: Vec<_> = pod
            .spec
            .tolerations
            .iter()
            .filter(|t| t.tolerates(taint))
            .collect();
        if matching.is_empty() {
            min_secs = Some(0);
            break;
        }
        for toleration in matching {
            if let Some(secs) = toleration.toleration_seconds {
                min_secs = Some(min_secs.map_or(secs.max(0), |m| m.min(secs.max(0))));
            }
        }
    }
    let uid = pod.metadata.uid.clone();
    let Some(secs) = min_secs else {
        cluster.node_lifecycle.evictions.remove(key);
        return;
    };
    let now = cluster.now;
    let created_at = match cluster.node_lifecycle.evictions.get(key) {
        Some(existing) if existing.uid == uid => existing.created_at,
        _ => now,
    };
    let trigger_at = (created_at + SimDuration::from_secs(secs)).max(now);
    let entry = ScheduledEviction {
        uid: uid.clone(),
        created_at,
        trigger_at,
    };
    if cluster.node_lifecycle.evictions.get(key) != Some(&entry) {
        cluster.node_lifecycle.evictions.insert(key.clone(), entry);
        cluster.queue.push(
            trigger_at,
            Work::TaintEviction {
                pod: key.clone(),
                uid,
            },
        );
    }
}

/// A scheduled eviction is due: mark the pod as a disruption target and delete it.
pub fn evict(cluster: &mut Cluster, key: &ObjectKey, uid: &str) {
    let now = cluster.now;
    let due = cluster
        .node_lifecycle
        .evictions
        .get(key)
        .filter(|e| e.uid == uid && e.trigger_at <= now);
    if due.is_none() {
        return;
    }
    cluster.node_lifecycle.evictions.remove(key);
    let Some(pod) = cluster
        .store
        .pods()
        .get(key)
        .filter(|p| p.metadata.uid == uid)
        .cloned()
    else {
        return;
    };
    let node = pod.node_name().unwrap_or_default().to_string();
    let _ = cluster.store.modify::<Pod>(key, |p| {
        let message = Some("Taint manager: deleting due to NoExecute taint".to_string());
        p.set_condition(
            PodConditionType::DisruptionTarget,
            ConditionStatus::True,
            Some("DeletionByTaintManager"),
            message,
            now,
        );
    });
    let note = EventNote {
        object: reference("Pod", "v1", &pod.metadata),
        type_: EventType::Normal,
        reason: "TaintManagerEviction".to_string(),
        message: format!("Marking for deletion Pod {key}"),
        component: "taint-eviction-controller",
        host: String::new(),
        why: format!(
            "{node} has a NoExecute taint that {} does not tolerate (or no longer tolerates), so \
             the taint manager deleted it",
            key.name
        ),
    };
    cluster.record(note);
    let _ = cluster.store.delete::<Pod>(key, now, None);
}
