//! Core `v1` kinds besides nodes and pods: Namespace and Event.

use super::meta::{ObjectMeta, opt_time};
use super::node::default_v1;
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};

/// A namespace (`v1.Namespace`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Namespace {
    /// Always `v1`.
    #[serde(default = "default_v1")]
    pub api_version: String,
    /// Always `Namespace`.
    #[serde(default = "default_namespace_kind")]
    pub kind: String,
    /// Metadata; namespaces are cluster-scoped.
    #[serde(default)]
    pub metadata: ObjectMeta,
}

fn default_namespace_kind() -> String {
    "Namespace".to_string()
}

impl Namespace {
    /// A namespace called `name`.
    pub fn new(name: &str) -> Self {
        Namespace {
            api_version: default_v1(),
            kind: default_namespace_kind(),
            metadata: ObjectMeta::named("", name),
        }
    }
}

/// A reference to the object an event is about (`v1.ObjectReference`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// Kind of the object.
    pub kind: String,
    /// Namespace; empty for cluster-scoped objects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Uid.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// API version of the object.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
}

/// Which component reported an event (`v1.EventSource`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSource {
    /// `daemonset-controller`, `default-scheduler`, `kubelet`, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub component: String,
    /// The node, for kubelet events.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// `Normal` or `Warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    /// Routine.
    Normal,
    /// Something went wrong or may need attention.
    Warning,
}

/// A Kubernetes Event (`v1.Event`), as `kubectl get events -o json` shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Always `v1`.
    #[serde(default = "default_v1")]
    pub api_version: String,
    /// Always `Event`.
    #[serde(default = "default_event_kind")]
    pub kind: String,
    /// Metadata; the name is `<object>.<hex timestamp>`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The object the event is about.
    pub involved_object: ObjectReference,
    /// CamelCase reason such as `SuccessfulCreate`.
    pub reason: String,
    /// Human-readable message.
    pub message: String,
    /// Who reported it.
    #[serde(default)]
    pub source: EventSource,
    /// First occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub first_timestamp: Option<SimTime>,
    /// Latest occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_timestamp: Option<SimTime>,
    /// How many times it happened.
    pub count: i32,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub type_: EventType,
}

fn default_event_kind() -> String {
    "Event".to_string()
}
