//! Which fields of a manifest the simulation keeps without acting on, and which it cannot keep.

use crate::sim::model::{Container, Object, PodSpec};
use serde_json::Value;
use std::collections::BTreeSet;

/// Paths of the fields held in the model's `extra` maps: kept verbatim, exported again, but
/// without effect in the simulation. Sorted and without repeats.
pub fn not_simulated(object: &Object) -> Vec<String> {
    let mut paths = BTreeSet::new();
    match object {
        Object::Pod(pod) => pod_spec(&pod.spec, "spec", &mut paths),
        Object::DaemonSet(ds) => pod_spec(&ds.spec.template.spec, "spec.template.spec", &mut paths),
        Object::Node(node) => keys(&node.spec.extra, "spec", &mut paths),
        Object::Job(job) => pod_spec(&job.spec.template.spec, "spec.template.spec", &mut paths),
        Object::ReplicaSet(rs) => {
            pod_spec(&rs.spec.template.spec, "spec.template.spec", &mut paths)
        }
        Object::Deployment(d) => pod_spec(&d.spec.template.spec, "spec.template.spec", &mut paths),
        Object::CronJob(cj) => pod_spec(
            &cj.spec.job_template.spec.template.spec,
            "spec.jobTemplate.spec.template.spec",
            &mut paths,
        ),
        Object::Namespace(_) | Object::ControllerRevision(_) => {}
    }
    paths.into_iter().collect()
}

fn keys(extra: &std::collections::BTreeMap<String, Value>, path: &str, out: &mut BTreeSet<String>) {
    for key in extra.keys() {
        out.insert(format!("{path}.{key}"));
    }
}

/// The `extra` fields of a pod spec and of everything inside it.
pub fn pod_spec(spec: &PodSpec, path: &str, out: &mut BTreeSet<String>) {
    keys(&spec.extra, path, out);
    if let Some(affinity) = &spec.affinity {
        let affinity_path = format!("{path}.affinity");
        keys(&affinity.extra, &affinity_path, out);
        if let Some(node) = &affinity.node_affinity {
            keys(&node.extra, &format!("{affinity_path}.nodeAffinity"), out);
        }
    }
    for (list, containers) in [
        ("initContainers", &spec.init_containers),
        ("containers", &spec.containers),
    ] {
        for (index, container) in containers.iter().enumerate() {
            container_fields(container, &format!("{path}.{list}[{index}]"), out);
        }
    }
}

fn container_fields(container: &Container, path: &str, out: &mut BTreeSet<String>) {
    keys(&container.extra, path, out);
    if let Some(resources) = &container.resources {
        keys(&resources.extra, &format!("{path}.resources"), out);
    }
}

/// Fields present (and not null) in the manifest `written` that the typed object no longer
/// has: the model had nowhere to keep them. `status` and server-managed metadata are skipped,
/// since apply ignores them anyway.
pub fn unknown_fields(written: &Value, object: &Object) -> Vec<String> {
    let kept = serde_json::to_value(object).unwrap_or(Value::Null);
    let mut out = Vec::new();
    if let (Value::Object(written), Value::Object(kept)) = (written, &kept) {
        for (key, value) in written {
            if key == "status" {
                continue;
            }
            compare(value, kept.get(key), key, &mut out);
        }
    }
    out.retain(|path| {
        !matches!(
            path.as_str(),
            "metadata.managedFields" | "metadata.selfLink"
        )
    });
    out
}

/// Records `path` when `written` has no counterpart in `kept`, recursing into maps and lists.
fn compare(written: &Value, kept: Option<&Value>, path: &str, out: &mut Vec<String>) {
    let empty = match written {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    };
    if empty {
        return;
    }
    let Some(kept) = kept else {
        out.push(path.to_string());
        return;
    };
    match (written, kept) {
        (Value::Object(written), Value::Object(kept)) => {
            for (key, value) in written {
                compare(value, kept.get(key), &format!("{path}.{key}"), out);
            }
        }
        (Value::Array(written), Value::Array(kept)) => {
            for (index, value) in written.iter().enumerate() {
                compare(value, kept.get(index), &format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}
