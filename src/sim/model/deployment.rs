//! `apps/v1` ReplicaSet and Deployment: a counted set of interchangeable pods, and the rollout
//! machinery that moves such a set from one pod template to the next.
//!
//! Field names, defaults and condition reasons follow `k8s.io/api/apps/v1`; the controllers that
//! act on them live in [`crate::sim::controllers::replicaset`] and
//! [`crate::sim::controllers::deployment`].

use super::apps::{IntOrString, default_apps_v1};
use super::meta::{ObjectMeta, opt_time};
use super::node::ConditionStatus;
use super::pod::{Container, PodTemplateSpec};
use super::selector::LabelSelector;
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};

/// The label the Deployment controller adds to a ReplicaSet's selector, template and pods so
/// that ReplicaSets of one Deployment never select each other's pods.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// The revision number of a Deployment's ReplicaSet (and of the Deployment itself).
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// Earlier revision numbers a ReplicaSet had before a rollback reused it.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// The Deployment's `spec.replicas` when the ReplicaSet was last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// The Deployment's `spec.replicas + maxSurge` when the ReplicaSet was last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The template annotation `kubectl rollout restart` sets to force a new rollout.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";
/// The annotation `kubectl apply` keeps its last input in; never copied to ReplicaSets.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A condition of a ReplicaSet (`apps/v1 ReplicaSetCondition`); the controller only ever sets
/// `ReplicaFailure`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetCondition {
    /// The condition type, `ReplicaFailure`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Its status.
    pub status: ConditionStatus,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_transition_time: Option<SimTime>,
    /// `FailedCreate` or `FailedDelete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The API error that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// ReplicaSet spec (`apps/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetSpec {
    /// How many pods to keep; the API server defaults it to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Seconds a pod must be Ready before it counts as available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// Which pods belong to the ReplicaSet; required, must match the template labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplateSpec,
}

/// ReplicaSet status, as `calculateStatus` in `pkg/controller/replicaset` writes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    /// Active pods the ReplicaSet owns.
    #[serde(default)]
    pub replicas: i32,
    /// Of those, pods carrying every label of the template.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fully_labeled_replicas: i32,
    /// Of those, pods that are Ready.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    /// Of those, pods Ready for at least `minReadySeconds`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    /// The generation the controller last processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// `ReplicaFailure` while creates or deletes fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ReplicaSetCondition>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

/// A ReplicaSet (`apps/v1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSet {
    /// Always `apps/v1`.
    #[serde(default = "default_apps_v1")]
    pub api_version: String,
    /// Always `ReplicaSet`.
    #[serde(default = "default_rs_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: ReplicaSetSpec,
    /// Status.
    #[serde(default)]
    pub status: ReplicaSetStatus,
}

fn default_rs_kind() -> String {
    "ReplicaSet".to_string()
}

/// A template labelled `app=<name>` running one container of `image`.
fn app_template(name: &str, image: &str) -> PodTemplateSpec {
    let mut template = PodTemplateSpec::default();
    template
        .metadata
        .labels
        .insert("app".to_string(), name.to_string());
    template
        .spec
        .containers
        .push(Container::new(name, image, &[]));
    template
}

impl ReplicaSet {
    /// A ReplicaSet of `replicas` pods selecting and labelling them `app=<name>`.
    pub fn new(namespace: &str, name: &str, image: &str, replicas: i32) -> Self {
        ReplicaSet {
            api_version: default_apps_v1(),
            kind: default_rs_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: ReplicaSetSpec {
                replicas: Some(replicas),
                selector: Some(LabelSelector::from_labels(&[("app", name)])),
                template: app_template(name, image),
                ..Default::default()
            },
            status: ReplicaSetStatus::default(),
        }
    }

    /// `spec.replicas` with its default of 1.
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    /// `minReadySeconds` with its default of 0.
    pub fn min_ready_secs(&self) -> i64 {
        i64::from(self.spec.min_ready_seconds.unwrap_or(0))
    }

    /// The revision annotation as a number, if it is one (`deploymentutil.Revision`).
    pub fn revision(&self) -> Option<i64> {
        self.metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .and_then(|r| r.parse().ok())
    }
}

/// `RollingUpdate` or `Recreate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeploymentStrategyType {
    /// Replace pods gradually within maxSurge and maxUnavailable (the default).
    #[default]
    RollingUpdate,
    /// Scale every old pod away before creating new ones.
    Recreate,
}

impl DeploymentStrategyType {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentStrategyType::RollingUpdate => "RollingUpdate",
            DeploymentStrategyType::Recreate => "Recreate",
        }
    }
}

/// Rolling update knobs of a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDeployment {
    /// How many desired pods may be unavailable during the update; default 25 % (rounded down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// How many pods may exist above the desired count; default 25 % (rounded up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// The update strategy of a Deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStrategy {
    /// The strategy type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<DeploymentStrategyType>,
    /// Rolling update parameters (only with `RollingUpdate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

/// Deployment spec (`apps/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    /// How many pods to run; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    /// Which pods belong to the Deployment; required, must match the template labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// How pods are replaced after a template change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<DeploymentStrategy>,
    /// Seconds a pod must be Ready before it counts as available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// How many old ReplicaSets to keep for rollback; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    /// While true the controller scales but does not roll out template changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    /// Seconds without progress before the rollout is reported failed; default 600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
}

/// A Deployment condition (`apps/v1 DeploymentCondition`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCondition {
    /// `Available`, `Progressing` or `ReplicaFailure`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Its status.
    pub status: ConditionStatus,
    /// When the controller last wrote this condition with progress.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_update_time: Option<SimTime>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_transition_time: Option<SimTime>,
    /// A CamelCase reason such as `NewReplicaSetAvailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Deployment status, as `calculateStatus` and `syncRolloutStatus` write it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    /// The generation the controller last processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Active pods of every ReplicaSet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replicas: i32,
    /// Active pods of the current template's ReplicaSet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    /// Ready pods of every ReplicaSet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    /// Available pods of every ReplicaSet.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    /// Desired pods (summed over ReplicaSets) that are not available.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unavailable_replicas: i32,
    /// `Available`, `Progressing` and `ReplicaFailure`, most recently changed last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<DeploymentCondition>,
    /// Bumped when a new ReplicaSet's name clashed with a foreign one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
}

impl DeploymentStatus {
    /// The condition of `type_`, if present.
    pub fn condition(&self, type_: &str) -> Option<&DeploymentCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// A Deployment (`apps/v1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// Always `apps/v1`.
    #[serde(default = "default_apps_v1")]
    pub api_version: String,
    /// Always `Deployment`.
    #[serde(default = "default_deploy_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: DeploymentSpec,
    /// Status.
    #[serde(default)]
    pub status: DeploymentStatus,
}

fn default_deploy_kind() -> String {
    "Deployment".to_string()
}

impl Deployment {
    /// A Deployment of `replicas` pods selecting and labelling them `app=<name>`.
    pub fn new(namespace: &str, name: &str, image: &str, replicas: i32) -> Self {
        Deployment {
            api_version: default_apps_v1(),
            kind: default_deploy_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: DeploymentSpec {
                replicas: Some(replicas),
                selector: Some(LabelSelector::from_labels(&[("app", name)])),
                template: app_template(name, image),
                ..Default::default()
            },
            status: DeploymentStatus::default(),
        }
    }

    /// `spec.replicas` with its default of 1.
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }

    /// `minReadySeconds` with its default of 0.
    pub fn min_ready_secs(&self) -> i64 {
        i64::from(self.spec.min_ready_seconds.unwrap_or(0))
    }

    /// The strategy type with the `apps/v1` default.
    pub fn strategy_type(&self) -> DeploymentStrategyType {
        self.spec
            .strategy
            .as_ref()
            .and_then(|s| s.type_)
            .unwrap_or_default()
    }

    /// The rolling update parameters, if any.
    pub fn rolling_update(&self) -> Option<&RollingUpdateDeployment> {
        self.spec
            .strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
    }

    /// Whether `spec.paused` is true.
    pub fn is_paused(&self) -> bool {
        self.spec.paused == Some(true)
    }

    /// Sets the rolling update knobs (and the `RollingUpdate` type), for scenarios.
    pub fn with_rolling_update(
        mut self,
        max_surge: IntOrString,
        max_unavailable: IntOrString,
    ) -> Self {
        self.spec.strategy = Some(DeploymentStrategy {
            type_: Some(DeploymentStrategyType::RollingUpdate),
            rolling_update: Some(RollingUpdateDeployment {
                max_unavailable: Some(max_unavailable),
                max_surge: Some(max_surge),
            }),
        });
        self
    }

    /// Switches to the `Recreate` strategy, for scenarios.
    pub fn with_recreate(mut self) -> Self {
        self.spec.strategy = Some(DeploymentStrategy {
            type_: Some(DeploymentStrategyType::Recreate),
            rolling_update: None,
        });
        self
    }

    /// Sets the image of the first container, as `kubectl set image` does.
    pub fn set_image(&mut self, image: &str) {
        if let Some(container) = self.spec.template.spec.containers.first_mut() {
            container.image = Some(image.to_string());
        }
    }
}
