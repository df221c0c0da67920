//! What the canvas needs to know about the cluster at one instant, copied out of the simulation.
//!
//! The playground builds a [`ClusterSnapshot`] from the core after each simulation chunk and
//! draws only from it, so drawing never borrows the simulation and a frame is always consistent.

use crate::sim::model::{
    ConditionStatus, Node, NodeConditionType, ObjectKey, Pod, PodConditionType, PodPhase,
};
use crate::sim::store::Store;
use crate::sim::time::SimTime;

/// The whole cluster as the canvas shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterSnapshot {
    /// The simulated instant the snapshot was taken at.
    pub now: SimTime,
    /// Nodes in name order.
    pub nodes: Vec<NodeView>,
    /// Pods the scheduler has not bound to any node, in name order.
    pub unscheduled: Vec<PodView>,
}

/// A node card.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    /// `metadata.name`.
    pub name: String,
    /// Whether it carries the `node-role.kubernetes.io/control-plane` label.
    pub control_plane: bool,
    /// What `kubectl get nodes` prints in STATUS.
    pub status: NodeStatus,
    /// Whether `spec.unschedulable` is set (cordoned): STATUS gains `,SchedulingDisabled`.
    pub unschedulable: bool,
    /// Taints as kubectl prints them: `key=value:Effect` or `key:Effect`.
    pub taints: Vec<String>,
    /// Labels as `key=value`, in key order.
    pub labels: Vec<String>,
    /// CPU requested by its non-terminal pods and allocatable, in millicores.
    pub cpu_milli: Usage,
    /// Memory requested and allocatable, in bytes.
    pub memory_bytes: Usage,
    /// Pods bound to it and allocatable pod slots.
    pub pod_count: Usage,
    /// Pods bound to it, in name order.
    pub pods: Vec<PodView>,
}

/// Used out of allocatable, in one resource's unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Requested by pods.
    pub used: u64,
    /// Allocatable on the node.
    pub allocatable: u64,
}

impl Usage {
    /// Used as a fraction of allocatable, clamped to 0..=1 (0 when nothing is allocatable).
    pub fn fraction(self) -> f64 {
        if self.allocatable == 0 {
            0.0
        } else {
            (self.used as f64 / self.allocatable as f64).clamp(0.0, 1.0)
        }
    }
}

/// A node's readiness, as the `Ready` condition says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeStatus {
    /// `Ready=True`.
    Ready,
    /// `Ready=False`.
    NotReady,
    /// `Ready=Unknown`: the node stopped reporting.
    Unknown,
}

impl NodeStatus {
    /// The STATUS column text, with `,SchedulingDisabled` for a cordoned node.
    pub fn column(self, unschedulable: bool) -> String {
        let base = match self {
            NodeStatus::Ready => "Ready",
            NodeStatus::NotReady | NodeStatus::Unknown => "NotReady",
        };
        if unschedulable {
            format!("{base},SchedulingDisabled")
        } else {
            base.to_string()
        }
    }
}

/// A pod tile.
#[derive(Clone, Debug, PartialEq)]
pub struct PodView {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// The controlling owner, if any: what colours the tile.
    pub owner: Option<OwnerView>,
    /// The state mark drawn on the tile.
    pub mark: PodMark,
    /// Sum of container restarts.
    pub restarts: u32,
    /// Why it is where it is, for the tooltip (the scheduler's message for unscheduled pods).
    pub reason: Option<String>,
}

/// The controller that owns a pod, as `kind/name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OwnerView {
    /// `Job`, `DaemonSet`, `ReplicaSet`, ...
    pub kind: String,
    /// The owner's name.
    pub name: String,
}

/// The state a pod tile shows, each with a shape of its own so colour is never the only cue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PodMark {
    /// Not yet bound to a node, or bound and waiting.
    Pending,
    /// Bound; the image is being pulled and the container created.
    ContainerCreating,
    /// Running but not (yet) Ready.
    Running,
    /// Running and Ready.
    Ready,
    /// Every container exited 0.
    Succeeded,
    /// The pod failed.
    Failed,
    /// A container keeps crashing and the kubelet is backing off.
    CrashLoopBackOff,
    /// Deleted and shutting down.
    Terminating,
}

impl PodMark {
    /// Every mark, in legend order.
    pub const ALL: [PodMark; 8] = [
        PodMark::Pending,
        PodMark::ContainerCreating,
        PodMark::Running,
        PodMark::Ready,
        PodMark::Succeeded,
        PodMark::Failed,
        PodMark::CrashLoopBackOff,
        PodMark::Terminating,
    ];

    /// The word kubectl shows in STATUS for this state.
    pub fn label(self) -> &'static str {
        match self {
            PodMark::Pending => "Pending",
            PodMark::ContainerCreating => "ContainerCreating",
            PodMark::Running => "Running",
            PodMark::Ready => "Running (Ready)",
            PodMark::Succeeded => "Completed",
            PodMark::Failed => "Error",
            PodMark::CrashLoopBackOff => "CrashLoopBackOff",
            PodMark::Terminating => "Terminating",
        }
    }
}

/// Copies what the canvas shows out of the simulation.
pub fn from_sim(sim: &crate::sim::Sim) -> ClusterSnapshot {
    let store = sim.store();
    let nodes: Vec<NodeView> = store
        .nodes()
        .iter()
        .map(|node| node_view(store, node))
        .collect();
    let unscheduled = store
        .pods()
        .iter()
        .filter(|pod| {
            pod.node_name()
                .is_none_or(|name| store.nodes().get(&ObjectKey::cluster(name)).is_none())
        })
        .map(|pod| pod_view(pod, store))
        .collect();
    ClusterSnapshot {
        now: sim.now(),
        nodes,
        unscheduled,
    }
}

const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

fn node_view(store: &Store, node: &Node) -> NodeView {
    let status = match node.condition_status(NodeConditionType::Ready) {
        Some(ConditionStatus::True) => NodeStatus::Ready,
        Some(ConditionStatus::False) => NodeStatus::NotReady,
        Some(ConditionStatus::Unknown) | None => NodeStatus::Unknown,
    };
    let pods: Vec<&Pod> = store
        .pods_on_node(node.name())
        .filter_map(|key| store.pods().get(key))
        .collect();
    let requested = pods
        .iter()
        .filter(|pod| !pod.phase().is_terminal())
        .map(|pod| pod.spec.requests())
        .fold((0i64, 0i64, 0i64), |(cpu, mem, count), r| {
            (cpu + r.cpu_millis, mem + r.memory_bytes, count + 1)
        });
    let allocatable = node.allocatable();
    let as_usage = |used: i64, allocatable: i64| Usage {
        used: used.max(0) as u64,
        allocatable: allocatable.max(0) as u64,
    };
    NodeView {
        name: node.name().to_string(),
        control_plane: node.metadata.labels.contains_key(CONTROL_PLANE_LABEL),
        status,
        unschedulable: node.is_unschedulable(),
        taints: node.spec.taints.iter().map(taint_text).collect(),
        labels: node
            .metadata
            .labels
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect(),
        cpu_milli: as_usage(requested.0, allocatable.cpu_millis),
        memory_bytes: as_usage(requested.1, allocatable.memory_bytes),
        pod_count: as_usage(requested.2, allocatable.pods),
        pods: pods.into_iter().map(|pod| pod_view(pod, store)).collect(),
    }
}

/// A taint as kubectl prints it: `key=value:Effect`, or `key:Effect` without a value.
pub fn taint_text(taint: &crate::sim::model::Taint) -> String {
    match &taint.value {
        Some(value) if !value.is_empty() => {
            format!("{}={}:{}", taint.key, value, taint.effect.as_str())
        }
        _ => format!("{}:{}", taint.key, taint.effect.as_str()),
    }
}

fn pod_view(pod: &Pod, store: &Store) -> PodView {
    let columns = crate::kubectl::printers::pod_columns(pod);
    let mark = pod_mark(pod, &columns.status);
    let reason = match pod.node_name() {
        None => pod
            .condition(PodConditionType::PodScheduled)
            .and_then(|condition| condition.message.clone()),
        Some(node) if store.nodes().get(&ObjectKey::cluster(node)).is_none() => {
            Some(format!("node {node} was deleted; PodGC removes its pods"))
        }
        Some(_) => None,
    };
    PodView {
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        owner: pod.metadata.controller_ref().map(|owner| OwnerView {
            kind: owner.kind.clone(),
            name: owner.name.clone(),
        }),
        mark,
        restarts: columns.restarts.max(0) as u32,
        reason: reason.or_else(|| Some(columns.status.clone())),
    }
}

/// Maps kubectl's STATUS word and the phase to the tile's mark.
fn pod_mark(pod: &Pod, status: &str) -> PodMark {
    if status == "Terminating" {
        return PodMark::Terminating;
    }
    if status == "CrashLoopBackOff" {
        return PodMark::CrashLoopBackOff;
    }
    match pod.phase() {
        PodPhase::Succeeded => PodMark::Succeeded,
        PodPhase::Failed => PodMark::Failed,
        PodPhase::Pending if pod.node_name().is_some() => PodMark::ContainerCreating,
        PodPhase::Pending | PodPhase::Unknown => PodMark::Pending,
        PodPhase::Running if pod.is_ready() => PodMark::Ready,
        PodPhase::Running => PodMark::Running,
    }
}
