//! Nodes (`v1.Node`): labels, taints, conditions and allocatable resources.

use super::meta::{ObjectMeta, opt_time};
use super::quantity::Quantity;
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The label every kubelet sets to its node name.
pub const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";
/// The label and taint key kubeadm puts on control-plane nodes.
pub const LABEL_CONTROL_PLANE: &str = "node-role.kubernetes.io/control-plane";
/// Taint for a node whose Ready condition is False.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// Taint for a node whose Ready condition is Unknown (no heartbeat).
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// Taint for a cordoned node.
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
/// Taint for MemoryPressure=True.
pub const TAINT_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
/// Taint for DiskPressure=True.
pub const TAINT_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
/// Taint for PIDPressure=True.
pub const TAINT_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
/// Taint for NetworkUnavailable=True.
pub const TAINT_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";

/// What a taint does to pods that do not tolerate it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TaintEffect {
    /// New pods are not scheduled; running pods stay.
    NoSchedule,
    /// The scheduler avoids the node if it can; never enforced.
    PreferNoSchedule,
    /// New pods are not scheduled and running pods are evicted.
    NoExecute,
}

impl TaintEffect {
    /// The effect's API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }
}

/// A node taint (`v1.Taint`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    /// The taint key.
    pub key: String,
    /// The optional value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The effect.
    pub effect: TaintEffect,
    /// When a NoExecute taint was added; eviction timers count from here.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub time_added: Option<SimTime>,
}

impl Taint {
    /// A taint with no value.
    pub fn new(key: &str, effect: TaintEffect) -> Self {
        Taint {
            key: key.to_string(),
            value: None,
            effect,
            time_added: None,
        }
    }

    /// Formats like the scheduler's messages: `{key: value}`.
    pub fn describe(&self) -> String {
        format!("{{{}: {}}}", self.key, self.value.as_deref().unwrap_or(""))
    }
}

/// Node spec (`v1.NodeSpec`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    /// True when cordoned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unschedulable: Option<bool>,
    /// Taints repelling pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// `True`, `False` or `Unknown`, as in every Kubernetes condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConditionStatus {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// Nobody knows (for nodes: no heartbeat).
    Unknown,
}

/// The node condition types the simulation reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeConditionType {
    /// The kubelet is healthy and ready for pods.
    Ready,
    /// Memory is low.
    MemoryPressure,
    /// Disk is low.
    DiskPressure,
    /// Process ids are low.
    #[serde(rename = "PIDPressure")]
    PidPressure,
    /// The node's network is not configured.
    NetworkUnavailable,
}

/// One node condition (`v1.NodeCondition`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeCondition {
    /// The condition type.
    #[serde(rename = "type")]
    pub type_: NodeConditionType,
    /// Its status.
    pub status: ConditionStatus,
    /// Machine-readable reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The last kubelet report.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_heartbeat_time: Option<SimTime>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_transition_time: Option<SimTime>,
}

/// Node status (`v1.NodeStatus`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// Total resources of the machine.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    /// Resources available to pods; the scheduler fits requests against these.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allocatable: BTreeMap<String, Quantity>,
    /// Health conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A node (`v1.Node`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Always `v1`.
    #[serde(default = "default_v1")]
    pub api_version: String,
    /// Always `Node`.
    #[serde(default = "default_node_kind")]
    pub kind: String,
    /// Metadata; nodes are cluster-scoped.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: NodeSpec,
    /// Status.
    #[serde(default)]
    pub status: NodeStatus,
}

pub(crate) fn default_v1() -> String {
    "v1".to_string()
}

fn default_node_kind() -> String {
    "Node".to_string()
}

/// The pod capacity a kubelet advertises by default (`--max-pods`).
pub const DEFAULT_MAX_PODS: i64 = 110;

impl Node {
    /// A Ready node with the hostname label, 4 CPUs, 16 GiB of memory and 110 pods.
    pub fn new(name: &str) -> Self {
        Node::with_resources(name, "4", "16Gi", DEFAULT_MAX_PODS)
    }

    /// A Ready node with the given allocatable CPU, memory and pod count.
    pub fn with_resources(name: &str, cpu: &str, memory: &str, pods: i64) -> Self {
        let mut metadata = ObjectMeta::named("", name);
        metadata
            .labels
            .insert(LABEL_HOSTNAME.to_string(), name.to_string());
        let resources: BTreeMap<String, Quantity> = [
            ("cpu".to_string(), Quantity::new(cpu)),
            ("memory".to_string(), Quantity::new(memory)),
            ("pods".to_string(), Quantity::new(&pods.to_string())),
        ]
        .into_iter()
        .collect();
        Node {
            api_version: default_v1(),
            kind: default_node_kind(),
            metadata,
            spec: NodeSpec::default(),
            status: NodeStatus {
                capacity: resources.clone(),
                allocatable: resources,
                conditions: Vec::new(),
                extra: BTreeMap::new(),
            },
        }
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The condition of `type_`, if reported.
    pub fn condition(&self, type_: NodeConditionType) -> Option<&NodeCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }

    /// The status of `type_`, if reported.
    pub fn condition_status(&self, type_: NodeConditionType) -> Option<ConditionStatus> {
        self.condition(type_).map(|c| c.status)
    }

    /// Sets a condition, keeping `lastTransitionTime` when the status does not change.
    pub fn set_condition(
        &mut self,
        type_: NodeConditionType,
        status: ConditionStatus,
        now: SimTime,
    ) {
        let (reason, message) = node_condition_words(type_, status);
        let condition = NodeCondition {
            type_,
            status,
            reason: Some(reason.to_string()),
            message: Some(message.to_string()),
            last_heartbeat_time: Some(now),
            last_transition_time: Some(now),
        };
        match self.status.conditions.iter_mut().find(|c| c.type_ == type_) {
            Some(existing) if existing.status == status => existing.last_heartbeat_time = Some(now),
            Some(existing) => *existing = condition,
            None => self.status.conditions.push(condition),
        }
    }

    /// Whether the node carries a taint with this key and effect.
    pub fn has_taint(&self, key: &str, effect: TaintEffect) -> bool {
        self.spec
            .taints
            .iter()
            .any(|t| t.key == key && t.effect == effect)
    }

    /// True when cordoned.
    pub fn is_unschedulable(&self) -> bool {
        self.spec.unschedulable == Some(true)
    }

    /// Allocatable CPU in millicores, memory in bytes and pod slots; unparsable values count 0.
    pub fn allocatable(&self) -> Resources {
        let read = |name: &str, milli: bool| {
            self.status.allocatable.get(name).map_or(0, |q| {
                if milli {
                    q.milli_value().unwrap_or(0)
                } else {
                    q.value().unwrap_or(0)
                }
            })
        };
        Resources {
            cpu_millis: read("cpu", true),
            memory_bytes: read("memory", false),
            pods: read("pods", false),
        }
    }
}

/// The reason and message a kubelet or the node controller gives each condition status.
fn node_condition_words(
    type_: NodeConditionType,
    status: ConditionStatus,
) -> (&'static str, &'static str) {
    use ConditionStatus as S;
    use NodeConditionType as T;
    match (type_, status) {
        (T::Ready, S::True) => ("KubeletReady", "kubelet is posting ready status"),
        (T::Ready, S::False) => ("KubeletNotReady", "container runtime network not ready"),
        (T::Ready | T::MemoryPressure | T::DiskPressure | T::PidPressure, S::Unknown) => {
            ("NodeStatusUnknown", "Kubelet stopped posting node status.")
        }
        (T::MemoryPressure, S::False) => (
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (T::MemoryPressure, S::True) => (
            "KubeletHasInsufficientMemory",
            "kubelet has insufficient memory available",
        ),
        (T::DiskPressure, S::False) => ("KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        (T::DiskPressure, S::True) => ("KubeletHasDiskPressure", "kubelet has disk pressure"),
        (T::PidPressure, S::False) => (
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        (T::PidPressure, S::True) => (
            "KubeletHasInsufficientPID",
            "kubelet has insufficient PID available",
        ),
        (T::NetworkUnavailable, S::False) => ("RouteCreated", "RouteController created a route"),
        (T::NetworkUnavailable, S::True | S::Unknown) => {
            ("NoRouteCreated", "Node created without a route")
        }
    }
}

/// CPU, memory and pod slots, as requested by pods or offered by nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// CPU in thousandths of a core.
    pub cpu_millis: i64,
    /// Memory in bytes.
    pub memory_bytes: i64,
    /// Pod slots.
    pub pods: i64,
}
