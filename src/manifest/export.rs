//! Objects out as manifests a real cluster accepts: no status, no server-owned metadata.

use crate::sim::model::{Kind, Object};
use crate::sim::store::{Resource, Store};
use serde_json::Value;

/// Metadata fields the API server owns; sending them to another cluster is wrong or refused.
const SERVER_METADATA: &[&str] = &[
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "finalizers",
];

/// Namespaces every cluster has; exporting them would only say `unchanged`.
const BUILT_IN_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

/// Every object of `kind` in key order, as [`Object`]s. The match has no wildcard so a kind the
/// store gains is listed as soon as it compiles.
pub fn list_objects(store: &Store, kind: Kind) -> Vec<Object> {
    fn all<T: Resource>(store: &Store) -> Vec<Object> {
        store
            .list::<T>()
            .cloned()
            .map(Resource::into_object)
            .collect()
    }
    use crate::sim::model::{
        ControllerRevision, CronJob, DaemonSet, Deployment, Job, Namespace, Node, Pod, ReplicaSet,
    };
    match kind {
        Kind::Namespace => all::<Namespace>(store),
        Kind::Node => all::<Node>(store),
        Kind::Pod => all::<Pod>(store),
        Kind::DaemonSet => all::<DaemonSet>(store),
        Kind::ControllerRevision => all::<ControllerRevision>(store),
        Kind::Job => all::<Job>(store),
        Kind::ReplicaSet => all::<ReplicaSet>(store),
        Kind::Deployment => all::<Deployment>(store),
        Kind::CronJob => all::<CronJob>(store),
    }
}

/// The object as a manifest value: without status and server-owned metadata. Defaults the API
/// server filled in are kept: they are valid input and say what the object really does.
///
/// Nodes keep `status.capacity` and `status.allocatable` (a real API server ignores status on
/// apply; a scenario needs them to size the node) and lose the taints the node lifecycle
/// controller manages. Pods lose `spec.nodeName`, the scheduler's choice in this cluster.
pub fn export_object(object: &Object) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    let Value::Object(map) = &mut value else {
        return value;
    };
    let status = map.remove("status");
    if let Some(Value::Object(meta)) = map.get_mut("metadata") {
        for field in SERVER_METADATA {
            meta.remove(*field);
        }
    }
    match object.kind() {
        Kind::Node => export_node(map, status),
        Kind::Pod => {
            if let Some(Value::Object(spec)) = map.get_mut("spec") {
                spec.remove("nodeName");
            }
        }
        Kind::Job => export_job(map),
        Kind::Namespace
        | Kind::DaemonSet
        | Kind::ControllerRevision
        | Kind::ReplicaSet
        | Kind::Deployment
        | Kind::CronJob => {}
    }
    value
}

/// Drops what the API server generates for a Job (the selector and the template labels naming
/// the Job's uid): a real API server refuses a Job whose selector it did not generate itself
/// unless `manualSelector` is set.
fn export_job(map: &mut serde_json::Map<String, Value>) {
    let Some(Value::Object(spec)) = map.get_mut("spec") else {
        return;
    };
    if spec.get("manualSelector") != Some(&Value::Bool(true)) {
        spec.remove("selector");
        if let Some(labels) = spec
            .get_mut("template")
            .and_then(|t| t.get_mut("metadata"))
            .and_then(|m| m.get_mut("labels"))
            .and_then(Value::as_object_mut)
        {
            for key in GENERATED_JOB_LABELS {
                labels.remove(*key);
            }
        }
    }
}

/// The labels the API server puts on a Job's template.
const GENERATED_JOB_LABELS: &[&str] = &[
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "job-name",
];

/// Keeps a node's sizes and drops the lifecycle-managed taints (and the cordon flag's taint).
fn export_node(map: &mut serde_json::Map<String, Value>, status: Option<Value>) {
    if let Some(Value::Object(spec)) = map.get_mut("spec") {
        if let Some(Value::Array(taints)) = spec.get_mut("taints") {
            taints.retain(|t| {
                let key = t.get("key").and_then(Value::as_str).unwrap_or("");
                !key.starts_with("node.kubernetes.io/")
            });
            if taints.is_empty() {
                spec.remove("taints");
            }
        }
        if spec.is_empty() {
            map.remove("spec");
        }
    }
    let mut kept = serde_json::Map::new();
    if let Some(Value::Object(status)) = status {
        for field in ["capacity", "allocatable"] {
            if let Some(value) = status.get(field) {
                kept.insert(field.to_string(), value.clone());
            }
        }
    }
    if !kept.is_empty() {
        map.insert("status".to_string(), Value::Object(kept));
    }
}

/// The whole user-made state as manifests, in apply order: namespaces, then every other kind's
/// objects that no controller owns (controllers recreate what they own). Nodes are included only
/// with `include_nodes` (a real cluster's nodes register themselves).
pub fn export_cluster(store: &Store, include_nodes: bool) -> Vec<Value> {
    let mut out = Vec::new();
    for kind in export_order() {
        if kind == Kind::Node && !include_nodes {
            continue;
        }
        for object in list_objects(store, kind) {
            let meta = object.meta();
            let built_in =
                kind == Kind::Namespace && BUILT_IN_NAMESPACES.contains(&meta.name.as_str());
            if built_in || meta.controller_ref().is_some() || meta.is_terminating() {
                continue;
            }
            out.push(export_object(&object));
        }
    }
    out
}

/// Kinds in the order a cluster is rebuilt: scope first, then nodes, then workloads.
fn export_order() -> Vec<Kind> {
    vec![
        Kind::Namespace,
        Kind::Node,
        Kind::DaemonSet,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::CronJob,
        Kind::Job,
        Kind::Pod,
    ]
}

/// Shorthand for a stored object's manifest value.
pub fn export_value<T: Resource>(object: &T) -> Value {
    export_object(&object.clone().into_object())
}

/// One document as YAML in kubectl's layout: keys sorted, list items not indented past their
/// key, long strings kept on one line.
pub fn to_yaml(value: &Value) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    serde_saphyr::to_string_with_options(value, options).unwrap_or_default()
}

/// Several documents separated by `---` lines.
pub fn to_yaml_documents(values: &[Value]) -> String {
    values.iter().map(to_yaml).collect::<Vec<_>>().join("---\n")
}
