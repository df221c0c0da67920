//! What the canvas needs to know about the cluster at one instant, copied out of the simulation.
//!
//! The playground builds a [`ClusterSnapshot`] from the core after each simulation chunk and
//! draws only from it, so drawing never borrows the simulation and a frame is always consistent.

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
