//! Pods (`v1.Pod`): spec fields the simulation acts on, and the status the kubelet writes.

use super::meta::{ObjectMeta, opt_time};
use super::node::{ConditionStatus, Node, Resources, Taint, TaintEffect, default_v1};
use super::quantity::Quantity;
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a toleration compares its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TolerationOperator {
    /// Any value (and, with an empty key, any key).
    Exists,
    /// The taint value must equal the toleration value (the default).
    Equal,
}

/// A toleration (`v1.Toleration`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    /// The taint key; empty with `Exists` tolerates every key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Equal` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<TolerationOperator>,
    /// The value compared under `Equal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The effect tolerated; absent means every effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
    /// For NoExecute: how long the pod stays after the taint appears; absent means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// `key` with operator `Exists` and `effect`, tolerated forever.
    pub fn exists(key: &str, effect: TaintEffect) -> Self {
        Toleration {
            key: Some(key.to_string()),
            operator: Some(TolerationOperator::Exists),
            value: None,
            effect: Some(effect),
            toleration_seconds: None,
        }
    }

    /// Whether this toleration matches `taint`, mirroring `v1.Toleration.ToleratesTaint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|effect| effect != taint.effect) {
            return false;
        }
        let key = self.key.as_deref().unwrap_or("");
        if !key.is_empty() && key != taint.key {
            return false;
        }
        match self.operator.unwrap_or(TolerationOperator::Equal) {
            TolerationOperator::Exists => true,
            TolerationOperator::Equal => {
                !key.is_empty()
                    && self.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
            }
        }
    }
}

/// Whether any toleration in `tolerations` matches `taint`.
pub fn tolerates_taint(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| t.tolerates(taint))
}

/// Node selector operators (`v1.NodeSelectorOperator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeSelectorOperator {
    /// Value is one of `values`.
    In,
    /// Value is none of `values` (or the key is absent).
    NotIn,
    /// The key is present.
    Exists,
    /// The key is absent.
    DoesNotExist,
    /// The value, read as an integer, is greater than the single value.
    Gt,
    /// The value, read as an integer, is less than the single value.
    Lt,
}

/// One requirement of a node selector term (`v1.NodeSelectorRequirement`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorRequirement {
    /// A label key, or for `matchFields` the field `metadata.name`.
    pub key: String,
    /// The comparison.
    pub operator: NodeSelectorOperator,
    /// The values compared against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl NodeSelectorRequirement {
    /// Whether the requirement holds for the value `actual` of its key (absent = `None`).
    pub fn matches_value(&self, actual: Option<&str>) -> bool {
        let int_cmp = |want_greater: bool| {
            let (Some(actual), [bound]) = (actual, self.values.as_slice()) else {
                return false;
            };
            match (actual.parse::<i64>(), bound.parse::<i64>()) {
                (Ok(a), Ok(b)) => {
                    if want_greater {
                        a > b
                    } else {
                        a < b
                    }
                }
                _ => false,
            }
        };
        match self.operator {
            NodeSelectorOperator::In => actual.is_some_and(|v| self.values.iter().any(|w| w == v)),
            NodeSelectorOperator::NotIn => {
                actual.is_none_or(|v| self.values.iter().all(|w| w != v))
            }
            NodeSelectorOperator::Exists => actual.is_some(),
            NodeSelectorOperator::DoesNotExist => actual.is_none(),
            NodeSelectorOperator::Gt => int_cmp(true),
            NodeSelectorOperator::Lt => int_cmp(false),
        }
    }
}

/// One term of a node selector; every requirement in it must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelectorTerm {
    /// Requirements on node labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    /// Requirements on node fields; only `metadata.name` is supported, as upstream.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

impl NodeSelectorTerm {
    /// Whether the term holds for `node`. An empty term matches nothing, as upstream.
    pub fn matches(&self, node: &Node) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        let labels_hold = self
            .match_expressions
            .iter()
            .all(|req| req.matches_value(node.metadata.labels.get(&req.key).map(String::as_str)));
        let fields_hold = self
            .match_fields
            .iter()
            .all(|req| req.key == "metadata.name" && req.matches_value(Some(node.name())));
        labels_hold && fields_hold
    }
}

/// A node selector: the terms are ORed (`v1.NodeSelector`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeSelector {
    /// The terms, any of which may match.
    #[serde(default)]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

impl NodeSelector {
    /// The selector `matchFields: metadata.name In [node]` the DaemonSet controller pins pods with.
    pub fn for_node_name(node: &str) -> Self {
        NodeSelector {
            node_selector_terms: vec![NodeSelectorTerm {
                match_expressions: Vec::new(),
                match_fields: vec![NodeSelectorRequirement {
                    key: "metadata.name".to_string(),
                    operator: NodeSelectorOperator::In,
                    values: vec![node.to_string()],
                }],
            }],
        }
    }

    /// Whether any term matches `node`.
    pub fn matches(&self, node: &Node) -> bool {
        self.node_selector_terms
            .iter()
            .any(|term| term.matches(node))
    }
}

/// Node affinity (`v1.NodeAffinity`); only the required part is enforced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeAffinity {
    /// Hard requirement checked by the scheduler and the DaemonSet controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    /// Fields the simulation does not model (preferred terms), kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Pod affinity settings (`v1.Affinity`); pod (anti-)affinity is kept but not simulated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Affinity {
    /// Node affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Resource requests and limits of a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    /// What the scheduler reserves.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, Quantity>,
    /// Upper bounds (kept, not enforced).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Quantity>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A container (`v1.Container`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// Name, unique in the pod.
    pub name: String,
    /// Image reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// `Always`, `IfNotPresent` or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// Entrypoint; the simulated program is interpreted from command + args.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Requests and limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Container {
    /// A container running `image` with `command`.
    pub fn new(name: &str, image: &str, command: &[&str]) -> Self {
        Container {
            name: name.to_string(),
            image: Some(image.to_string()),
            command: command.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// Requested CPU in millicores and memory in bytes; unparsable values count 0.
    pub fn requests(&self) -> Resources {
        let requests = self.resources.as_ref().map(|r| &r.requests);
        let read = |name: &str, milli: bool| {
            requests.and_then(|r| r.get(name)).map_or(0, |q| {
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
            pods: 0,
        }
    }
}

/// When the kubelet restarts containers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestartPolicy {
    /// Restart whatever the exit code (the default).
    #[default]
    Always,
    /// Restart on a non-zero exit code.
    OnFailure,
    /// Never restart.
    Never,
}

impl RestartPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

/// Pod spec (`v1.PodSpec`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// The node the pod is bound to; set by the scheduler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// Labels a node must carry.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Affinity rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Init containers, run one after another before `containers`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// The app containers.
    #[serde(default)]
    pub containers: Vec<Container>,
    /// Restart policy; `Always` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// Use the node's network namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    /// Seconds between SIGTERM and SIGKILL on deletion; 30 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    /// The pod's hostname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Fields the simulation does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The API default for `terminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_SECS: i64 = 30;

impl PodSpec {
    /// The required node affinity selector, if any.
    pub fn required_node_affinity(&self) -> Option<&NodeSelector> {
        self.affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
    }

    /// Whether `nodeSelector` and required node affinity both hold for `node`, mirroring the
    /// scheduler's `RequiredNodeAffinity.Match`.
    pub fn node_affinity_matches(&self, node: &Node) -> bool {
        let selector_holds = self
            .node_selector
            .iter()
            .all(|(k, v)| node.metadata.labels.get(k) == Some(v));
        selector_holds
            && self
                .required_node_affinity()
                .is_none_or(|sel| sel.matches(node))
    }

    /// The restart policy with its default applied.
    pub fn restart_policy(&self) -> RestartPolicy {
        self.restart_policy.unwrap_or_default()
    }

    /// True with `hostNetwork: true`.
    pub fn host_network(&self) -> bool {
        self.host_network == Some(true)
    }

    /// The grace period with its default applied.
    pub fn termination_grace_secs(&self) -> i64 {
        self.termination_grace_period_seconds
            .unwrap_or(DEFAULT_TERMINATION_GRACE_SECS)
    }

    /// The pod's effective request: the sum over app containers, or the largest init container
    /// if that is bigger, as the scheduler's `computePodResourceRequest` does.
    pub fn requests(&self) -> Resources {
        let mut total = Resources {
            pods: 1,
            ..Resources::default()
        };
        for container in &self.containers {
            let r = container.requests();
            total.cpu_millis += r.cpu_millis;
            total.memory_bytes += r.memory_bytes;
        }
        for container in &self.init_containers {
            let r = container.requests();
            total.cpu_millis = total.cpu_millis.max(r.cpu_millis);
            total.memory_bytes = total.memory_bytes.max(r.memory_bytes);
        }
        total
    }
}

/// A pod phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PodPhase {
    /// Accepted, not all containers running yet.
    #[default]
    Pending,
    /// Bound and at least one container running.
    Running,
    /// Every container ended with exit code 0 and will not restart.
    Succeeded,
    /// Every container ended and at least one failed.
    Failed,
    /// The kubelet cannot report.
    Unknown,
}

impl PodPhase {
    /// True for Succeeded and Failed.
    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
}

/// Pod condition types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PodConditionType {
    /// The scheduler placed the pod (or could not).
    PodScheduled,
    /// All init containers finished.
    Initialized,
    /// All containers are ready.
    ContainersReady,
    /// The pod can serve.
    Ready,
    /// The pod is about to be removed by a disruption (eviction, PodGC, ...).
    DisruptionTarget,
}

/// A pod condition (`v1.PodCondition`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    /// The condition type.
    #[serde(rename = "type")]
    pub type_: PodConditionType,
    /// Its status.
    pub status: ConditionStatus,
    /// Machine-readable reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_transition_time: Option<SimTime>,
}

/// A waiting container (`v1.ContainerStateWaiting`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateWaiting {
    /// `ContainerCreating`, `PodInitializing`, `CrashLoopBackOff`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A running container (`v1.ContainerStateRunning`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateRunning {
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub started_at: Option<SimTime>,
}

/// A finished container (`v1.ContainerStateTerminated`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateTerminated {
    /// The exit code.
    pub exit_code: i32,
    /// `Completed`, `Error`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub started_at: Option<SimTime>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub finished_at: Option<SimTime>,
}

/// A container state: exactly one of the three is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    /// Waiting to run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<ContainerStateWaiting>,
    /// Running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<ContainerStateRunning>,
    /// Ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<ContainerStateTerminated>,
}

impl ContainerState {
    /// A waiting state with `reason`.
    pub fn waiting(reason: &str, message: Option<String>) -> Self {
        ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.to_string()),
                message,
            }),
            ..Default::default()
        }
    }

    /// True when neither running nor terminated has been recorded.
    pub fn is_empty(&self) -> bool {
        self.waiting.is_none() && self.running.is_none() && self.terminated.is_none()
    }
}

/// A container's status (`v1.ContainerStatus`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    /// Container name.
    pub name: String,
    /// Current state.
    #[serde(default)]
    pub state: ContainerState,
    /// The previous run's state, after a restart.
    #[serde(default, skip_serializing_if = "ContainerState::is_empty")]
    pub last_state: ContainerState,
    /// Whether it passes readiness.
    #[serde(default)]
    pub ready: bool,
    /// How many times the kubelet restarted it.
    #[serde(default)]
    pub restart_count: i32,
    /// The image.
    #[serde(default)]
    pub image: String,
    /// Whether it has started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
}

/// Pod status (`v1.PodStatus`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// The phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<PodPhase>,
    /// Conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    /// Why the pod is in this state (e.g. `Evicted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The node's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    /// The pod's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_ip: Option<String>,
    /// When the kubelet accepted the pod.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub start_time: Option<SimTime>,
    /// Init container statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_container_statuses: Vec<ContainerStatus>,
    /// App container statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
}

/// A pod (`v1.Pod`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    /// Always `v1`.
    #[serde(default = "default_v1")]
    pub api_version: String,
    /// Always `Pod`.
    #[serde(default = "default_pod_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: PodSpec,
    /// Status.
    #[serde(default)]
    pub status: PodStatus,
}

fn default_pod_kind() -> String {
    "Pod".to_string()
}

/// A pod template (`v1.PodTemplateSpec`) as embedded in workload controllers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplateSpec {
    /// Labels and annotations copied onto created pods.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The pod spec.
    #[serde(default)]
    pub spec: PodSpec,
}

impl Pod {
    /// A pod in `namespace` with one container running `image` with `command`.
    pub fn new(namespace: &str, name: &str, image: &str, command: &[&str]) -> Self {
        Pod {
            api_version: default_v1(),
            kind: default_pod_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: PodSpec {
                containers: vec![Container::new("main", image, command)],
                ..Default::default()
            },
            status: PodStatus::default(),
        }
    }

    /// A pod built from a template, as controllers create them.
    pub fn from_template(template: &PodTemplateSpec, namespace: &str) -> Self {
        let mut metadata = ObjectMeta {
            labels: template.metadata.labels.clone(),
            annotations: template.metadata.annotations.clone(),
            finalizers: template.metadata.finalizers.clone(),
            ..Default::default()
        };
        metadata.namespace = namespace.to_string();
        Pod {
            api_version: default_v1(),
            kind: default_pod_kind(),
            metadata,
            spec: template.spec.clone(),
            status: PodStatus::default(),
        }
    }

    /// The phase, Pending when unset.
    pub fn phase(&self) -> PodPhase {
        self.status.phase.unwrap_or_default()
    }

    /// The bound node, if any.
    pub fn node_name(&self) -> Option<&str> {
        self.spec.node_name.as_deref().filter(|n| !n.is_empty())
    }

    /// The condition of `type_`, if present.
    pub fn condition(&self, type_: PodConditionType) -> Option<&PodCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }

    /// Sets a condition, keeping `lastTransitionTime` when only reason or message change.
    pub fn set_condition(
        &mut self,
        type_: PodConditionType,
        status: ConditionStatus,
        reason: Option<&str>,
        message: Option<String>,
        now: SimTime,
    ) {
        let reason = reason.map(str::to_string);
        match self.status.conditions.iter_mut().find(|c| c.type_ == type_) {
            Some(existing) => {
                if existing.status != status {
                    existing.last_transition_time = Some(now);
                }
                existing.status = status;
                existing.reason = reason;
                existing.message = message;
            }
            None => self.status.conditions.push(PodCondition {
                type_,
                status,
                reason,
                message,
                last_transition_time: Some(now),
            }),
        }
    }

    /// `controller.IsPodActive`: not terminal and not being deleted.
    pub fn is_active(&self) -> bool {
        !self.phase().is_terminal() && self.metadata.deletion_timestamp.is_none()
    }

    /// `podutil.IsPodReady`: condition Ready=True.
    pub fn is_ready(&self) -> bool {
        self.condition(PodConditionType::Ready)
            .is_some_and(|c| c.status == ConditionStatus::True)
    }

    /// `podutil.IsPodAvailable`: ready, and ready for more than `min_ready_secs` (strictly).
    pub fn is_available(&self, min_ready_secs: i64, now: SimTime) -> bool {
        let Some(ready) = self.condition(PodConditionType::Ready) else {
            return false;
        };
        if ready.status != ConditionStatus::True {
            return false;
        }
        if min_ready_secs <= 0 {
            return true;
        }
        let since = ready.last_transition_time.unwrap_or(now);
        since + crate::sim::time::SimDuration::from_secs(min_ready_secs) < now
    }
}
