//! Object metadata shared by every kind: names, labels, owners and timestamps.
//!
//! Field names follow `metav1.ObjectMeta` so the same struct parses a manifest and prints like
//! `kubectl get -o json`. Timestamps are [`SimTime`] values written as RFC 3339 strings.

use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Serde helpers writing an optional [`SimTime`] as a Kubernetes timestamp string.
pub mod opt_time {
    use crate::sim::time::SimTime;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the instant as RFC 3339 in UTC with whole seconds, as the API server does.
    pub fn serialize<S: Serializer>(value: &Option<SimTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(at) => s.serialize_str(&at.to_rfc3339()),
            None => s.serialize_none(),
        }
    }

    /// Reads an RFC 3339 string; `null` or a missing field is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SimTime>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(text) => SimTime::parse_rfc3339(&text).map(Some).map_err(|err| {
                serde::de::Error::custom(format!("invalid timestamp {text:?}: {err}"))
            }),
        }
    }
}

/// Identifies an object's namespace and name; cluster-scoped kinds use an empty namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    /// The namespace, or `""` for cluster-scoped objects such as nodes.
    pub namespace: String,
    /// The object's name.
    pub name: String,
}

impl ObjectKey {
    /// The key of a namespaced object.
    pub fn new(namespace: &str, name: &str) -> Self {
        ObjectKey {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The key of a cluster-scoped object such as a node.
    pub fn cluster(name: &str) -> Self {
        ObjectKey {
            namespace: String::new(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// A link from a dependent to the object that owns it (`metav1.OwnerReference`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// The owner's API group and version, e.g. `apps/v1`.
    pub api_version: String,
    /// The owner's kind, e.g. `DaemonSet`.
    pub kind: String,
    /// The owner's name.
    pub name: String,
    /// The owner's uid; a dependent whose owner uid no longer exists is garbage.
    pub uid: String,
    /// True for the one owner that manages this object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// With foreground deletion, the owner waits for this dependent to go first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

/// Standard object metadata (`metav1.ObjectMeta`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// The object's name, unique per kind and namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// A prefix the API server completes with five random characters when `name` is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    /// The namespace; empty for cluster-scoped kinds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Unique id assigned at creation.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// Opaque version of the stored object, raised on every write.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// Raised by the API server whenever the spec changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// When the object was created.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub creation_timestamp: Option<SimTime>,
    /// When a graceful deletion was requested; the object is "terminating" from then on.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub deletion_timestamp: Option<SimTime>,
    /// The grace period granted to the deletion, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    /// Identifying labels, matched by selectors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Non-identifying annotations; `kubarium.dev/...` keys steer the simulation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// The objects this one depends on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    /// Keys that must be removed before the object is really deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
}

impl ObjectMeta {
    /// Metadata with just a name and namespace.
    pub fn named(namespace: &str, name: &str) -> Self {
        ObjectMeta {
            name: name.to_string(),
            namespace: namespace.to_string(),
            ..Default::default()
        }
    }

    /// The owner reference marked `controller: true`, mirroring `metav1.GetControllerOf`.
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|owner| owner.controller == Some(true))
    }

    /// The key of this object.
    pub fn key(&self) -> ObjectKey {
        ObjectKey {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    /// True once a deletion has been requested.
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }
}
