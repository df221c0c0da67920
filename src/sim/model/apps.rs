//! `apps/v1` kinds owned by this module: DaemonSet and ControllerRevision.

use super::meta::ObjectMeta;
use super::pod::PodTemplateSpec;
use super::selector::LabelSelector;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An `int-or-string` field such as `maxUnavailable: 1` or `maxUnavailable: "25%"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    /// A plain number.
    Int(i32),
    /// A string, normally a percentage like `"25%"`.
    String(String),
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(value) => write!(f, "{value}"),
            IntOrString::String(text) => f.write_str(text),
        }
    }
}

impl IntOrString {
    /// Resolves against `total`, rounding percentages up or down, mirroring
    /// `intstr.GetScaledValueFromIntOrPercent`. Errors quote the bad text.
    pub fn scaled_value(&self, total: i64, round_up: bool) -> Result<i64, String> {
        match self {
            IntOrString::Int(value) => Ok(i64::from(*value)),
            IntOrString::String(text) => {
                let percent: i64 = text
                    .strip_suffix('%')
                    .and_then(|digits| digits.parse().ok())
                    .ok_or_else(|| {
                        format!(
                            "invalid value for IntOrString: invalid type: string \
                        is not a percentage: {text:?}"
                        )
                    })?;
                let scaled = percent * total;
                Ok(if round_up {
                    (scaled + 99).div_euclid(100)
                } else {
                    scaled.div_euclid(100)
                })
            }
        }
    }
}

/// Rolling update knobs of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdateDaemonSet {
    /// How many desired nodes may lack an available pod during the update; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// How many nodes may run an extra new pod next to the old one; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// `RollingUpdate` or `OnDelete`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DaemonSetUpdateStrategyType {
    /// Replace pods automatically (the `apps/v1` default).
    #[default]
    RollingUpdate,
    /// Replace a pod only after the user deletes it.
    OnDelete,
}

/// The update strategy of a DaemonSet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetUpdateStrategy {
    /// The strategy type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<DaemonSetUpdateStrategyType>,
    /// Rolling update parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDaemonSet>,
}

/// DaemonSet spec (`apps/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetSpec {
    /// Which pods belong to the DaemonSet; required, must match the template labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The pod template.
    #[serde(default)]
    pub template: PodTemplateSpec,
    /// How pods are replaced after a template change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<DaemonSetUpdateStrategy>,
    /// Seconds a pod must be Ready before it counts as available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    /// How many old ControllerRevisions to keep; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
}

/// DaemonSet status, as `updateDaemonSetStatus` writes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    /// Nodes running at least one daemon pod that should.
    #[serde(default)]
    pub current_number_scheduled: i32,
    /// Nodes running a daemon pod that should not.
    #[serde(default)]
    pub number_misscheduled: i32,
    /// Nodes that should run a daemon pod.
    #[serde(default)]
    pub desired_number_scheduled: i32,
    /// Nodes whose daemon pod is Ready.
    #[serde(default)]
    pub number_ready: i32,
    /// The generation the controller last processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Nodes running the current template's pod.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub updated_number_scheduled: i32,
    /// Nodes whose daemon pod is available (Ready for minReadySeconds).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub number_available: i32,
    /// `desiredNumberScheduled - numberAvailable`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub number_unavailable: i32,
    /// Hash collision counter for revision names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    /// Conditions; the controller sets none, kept so manifests round-trip.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<serde_json::Value>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

/// A DaemonSet (`apps/v1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSet {
    /// Always `apps/v1`.
    #[serde(default = "default_apps_v1")]
    pub api_version: String,
    /// Always `DaemonSet`.
    #[serde(default = "default_ds_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: DaemonSetSpec,
    /// Status.
    #[serde(default)]
    pub status: DaemonSetStatus,
}

pub(crate) fn default_apps_v1() -> String {
    "apps/v1".to_string()
}

fn default_ds_kind() -> String {
    "DaemonSet".to_string()
}

impl DaemonSet {
    /// A DaemonSet selecting and labelling its pods `app=<name>`, running one container.
    pub fn new(namespace: &str, name: &str, image: &str) -> Self {
        let mut template = PodTemplateSpec::default();
        template
            .metadata
            .labels
            .insert("app".to_string(), name.to_string());
        template
            .spec
            .containers
            .push(super::pod::Container::new(name, image, &[]));
        DaemonSet {
            api_version: default_apps_v1(),
            kind: default_ds_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: DaemonSetSpec {
                selector: Some(LabelSelector::from_labels(&[("app", name)])),
                template,
                ..Default::default()
            },
            status: DaemonSetStatus::default(),
        }
    }

    /// The strategy type with the `apps/v1` default.
    pub fn strategy_type(&self) -> DaemonSetUpdateStrategyType {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.type_)
            .unwrap_or_default()
    }

    /// The rolling update parameters, if any.
    pub fn rolling_update(&self) -> Option<&RollingUpdateDaemonSet> {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
    }

    /// `minReadySeconds` with its default.
    pub fn min_ready_secs(&self) -> i64 {
        i64::from(self.spec.min_ready_seconds.unwrap_or(0))
    }
}

/// A snapshot of a controller's template (`apps/v1 ControllerRevision`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerRevision {
    /// Always `apps/v1`.
    #[serde(default = "default_apps_v1")]
    pub api_version: String,
    /// Always `ControllerRevision`.
    #[serde(default = "default_cr_kind")]
    pub kind: String,
    /// Metadata; labelled with the owner's selector labels and `controller-revision-hash`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The patch that reproduces the template.
    #[serde(default)]
    pub data: serde_json::Value,
    /// The revision number, increasing per owner.
    #[serde(default)]
    pub revision: i64,
}

fn default_cr_kind() -> String {
    "ControllerRevision".to_string()
}

impl ControllerRevision {
    /// An empty revision object ready to be filled by a controller.
    pub fn new(metadata: ObjectMeta, data: serde_json::Value, revision: i64) -> Self {
        ControllerRevision {
            api_version: default_apps_v1(),
            kind: default_cr_kind(),
            metadata,
            data,
            revision,
        }
    }
}
