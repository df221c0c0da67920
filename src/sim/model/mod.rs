//! Kubernetes object types with Kubernetes field names.
//!
//! Every type derives serde with `camelCase` names and skips absent optional fields, so one set of
//! types parses real manifests and serializes like `kubectl get -o json`. Spec structs that real
//! manifests carry more fields on keep the rest in an `extra` map, so nothing a user wrote is lost;
//! the manifest layer lists those fields as not simulated.

pub mod apps;
pub mod batch;
pub mod core;
pub mod cronjob;
pub mod deployment;
pub mod meta;
pub mod node;
pub mod pod;
pub mod quantity;
pub mod selector;

pub use apps::{
    ControllerRevision, DaemonSet, DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy,
    DaemonSetUpdateStrategyType, IntOrString, RollingUpdateDaemonSet,
};
pub use batch::{
    CompletionMode, Job, JobCondition, JobConditionType, JobSpec, JobStatus, PodFailurePolicy,
    PodFailurePolicyAction, PodFailurePolicyOnExitCodesOperator,
    PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule, PodReplacementPolicy, SuccessPolicy, SuccessPolicyRule,
    UncountedTerminatedPods,
};
pub use core::{Event, EventSource, EventType, Namespace, ObjectReference};
pub use cronjob::{ConcurrencyPolicy, CronJob, CronJobSpec, CronJobStatus, JobTemplateSpec};
pub use deployment::{
    Deployment, DeploymentCondition, DeploymentSpec, DeploymentStatus, DeploymentStrategy,
    DeploymentStrategyType, ReplicaSet, ReplicaSetCondition, ReplicaSetSpec, ReplicaSetStatus,
    RollingUpdateDeployment,
};
pub use meta::{ObjectKey, ObjectMeta, OwnerReference};
pub use node::{
    ConditionStatus, Node, NodeCondition, NodeConditionType, NodeSpec, NodeStatus, Resources,
    Taint, TaintEffect,
};
pub use pod::{
    Affinity, Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, NodeAffinity, NodeSelector, NodeSelectorOperator,
    NodeSelectorRequirement, NodeSelectorTerm, Pod, PodCondition, PodConditionType, PodPhase,
    PodSpec, PodStatus, PodTemplateSpec, ResourceRequirements, RestartPolicy, Toleration,
    TolerationOperator,
};
pub use quantity::Quantity;
pub use selector::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement};

use serde::Serialize;

/// The kinds the store holds. Adding a kind means a variant here, in [`Object`], and a table in
/// [`crate::sim::store::Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    /// `v1 Namespace`.
    Namespace,
    /// `v1 Node`.
    Node,
    /// `v1 Pod`.
    Pod,
    /// `apps/v1 DaemonSet`.
    DaemonSet,
    /// `apps/v1 ControllerRevision`.
    ControllerRevision,
    /// `batch/v1 Job`.
    Job,
    /// `apps/v1 ReplicaSet`.
    ReplicaSet,
    /// `apps/v1 Deployment`.
    Deployment,
    /// `batch/v1 CronJob`.
    CronJob,
}

impl Kind {
    /// The kind's name as in `kind:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::DaemonSet => "DaemonSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::Job => "Job",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Deployment => "Deployment",
            Kind::CronJob => "CronJob",
        }
    }

    /// The lowercase plural resource name used in API messages (`pods "x" not found`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::DaemonSet => "daemonsets.apps",
            Kind::ControllerRevision => "controllerrevisions.apps",
            Kind::Job => "jobs.batch",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::Deployment => "deployments.apps",
            Kind::CronJob => "cronjobs.batch",
        }
    }

    /// The API group and version.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Namespace | Kind::Node | Kind::Pod => "v1",
            Kind::DaemonSet | Kind::ControllerRevision | Kind::ReplicaSet | Kind::Deployment => {
                "apps/v1"
            }
            Kind::Job | Kind::CronJob => "batch/v1",
        }
    }

    /// False for cluster-scoped kinds.
    pub fn is_namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }

    /// Looks a kind up by its `kind:` name.
    pub fn from_name(name: &str) -> Option<Kind> {
        [
            Kind::Namespace,
            Kind::Node,
            Kind::Pod,
            Kind::DaemonSet,
            Kind::ControllerRevision,
            Kind::Job,
            Kind::ReplicaSet,
            Kind::Deployment,
            Kind::CronJob,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Any stored object, owned. Used for `Apply` commands and change notifications.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Object {
    /// A namespace.
    Namespace(Box<Namespace>),
    /// A node.
    Node(Box<Node>),
    /// A pod.
    Pod(Box<Pod>),
    /// A DaemonSet.
    DaemonSet(Box<DaemonSet>),
    /// A ControllerRevision.
    ControllerRevision(Box<ControllerRevision>),
    /// A Job.
    Job(Box<Job>),
    /// A ReplicaSet.
    ReplicaSet(Box<ReplicaSet>),
    /// A Deployment.
    Deployment(Box<Deployment>),
    /// A CronJob.
    CronJob(Box<CronJob>),
}

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::Pod(_) => Kind::Pod,
            Object::DaemonSet(_) => Kind::DaemonSet,
            Object::ControllerRevision(_) => Kind::ControllerRevision,
            Object::Job(_) => Kind::Job,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::Deployment(_) => Kind::Deployment,
            Object::CronJob(_) => Kind::CronJob,
        }
    }

    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::Namespace(o) => &o.metadata,
            Object::Node(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::DaemonSet(o) => &o.metadata,
            Object::ControllerRevision(o) => &o.metadata,
            Object::Job(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::CronJob(o) => &o.metadata,
        }
    }

    /// Reads an object from JSON by its `kind` field; errors name the problem like the API does.
    pub fn from_json(value: serde_json::Value) -> Result<Object, String> {
        let kind_name = value
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("")
            .to_string();
        let kind = Kind::from_name(&kind_name)
            .ok_or_else(|| format!("kind: Unsupported value: {kind_name:?}"))?;
        let err = |e: serde_json::Error| e.to_string();
        Ok(match kind {
            Kind::Namespace => {
                Object::Namespace(Box::new(serde_json::from_value(value).map_err(err)?))
            }
            Kind::Node => Object::Node(Box::new(serde_json::from_value(value).map_err(err)?)),
            Kind::Pod => Object::Pod(Box::new(serde_json::from_value(value).map_err(err)?)),
            Kind::DaemonSet => {
                Object::DaemonSet(Box::new(serde_json::from_value(value).map_err(err)?))
            }
            Kind::ControllerRevision => {
                Object::ControllerRevision(Box::new(serde_json::from_value(value).map_err(err)?))
            }
            Kind::Job => Object::Job(Box::new(serde_json::from_value(value).map_err(err)?)),
            Kind::ReplicaSet => {
                Object::ReplicaSet(Box::new(serde_json::from_value(value).map_err(err)?))
            }
            Kind::Deployment => {
                Object::Deployment(Box::new(serde_json::from_value(value).map_err(err)?))
            }
            Kind::CronJob => Object::CronJob(Box::new(serde_json::from_value(value).map_err(err)?)),
        })
    }
}
