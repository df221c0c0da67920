//! The client-side workload operations of kubectl: `rollout undo`, `rollout restart`,
//! `rollout pause`/`resume`, `rollout history` and `scale`.
//!
//! In `apps/v1` these are not controller features: kubectl reads the Deployment's ReplicaSets
//! and patches the Deployment, and the Deployment controller reacts to the patch like to any
//! other edit. The functions here do the same on the simulated API; [`crate::sim::command`]
//! exposes them as commands, and the kubectl layer can call them directly too. Messages are
//! kubectl's (`deployment.apps/web rolled back`).

use crate::sim::cluster::Cluster;
use crate::sim::command::{CommandError, Outcome};
use crate::sim::model::deployment::{
    DESIRED_REPLICAS_ANNOTATION, LAST_APPLIED_ANNOTATION, MAX_REPLICAS_ANNOTATION,
    POD_TEMPLATE_HASH, RESTARTED_AT_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
};
use crate::sim::model::{Deployment, Kind, ObjectKey, PodTemplateSpec, ReplicaSet};
use crate::sim::store::{ApiError, Store};

/// The annotation whose value `kubectl rollout history` shows as CHANGE-CAUSE.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// Deployment annotations kubectl keeps on rollback instead of copying them from the
/// ReplicaSet (`annotationsToSkip` in kubectl's rollback).
const ANNOTATIONS_TO_SKIP: &[&str] = &[
    LAST_APPLIED_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];

/// One line of `kubectl rollout history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionEntry {
    /// The revision number.
    pub revision: i64,
    /// The ReplicaSet holding that revision's template.
    pub replica_set: String,
    /// The `kubernetes.io/change-cause` annotation, if any.
    pub change_cause: Option<String>,
}

fn deployment(store: &Store, key: &ObjectKey) -> Result<Deployment, CommandError> {
    store.deployments().get(key).cloned().ok_or_else(|| {
        CommandError::Api(ApiError::NotFound {
            resource: Kind::Deployment.resource(),
            name: key.name.clone(),
        })
    })
}

/// The ReplicaSets whose controller is the Deployment `d`, oldest first.
pub fn owned_replica_sets<'a>(store: &'a Store, d: &Deployment) -> Vec<&'a ReplicaSet> {
    let uid = d.metadata.uid.as_str();
    let mut owned: Vec<&ReplicaSet> = store
        .replica_sets()
        .iter()
        .filter(|rs| rs.metadata.namespace == d.metadata.namespace)
        .filter(|rs| rs.metadata.controller_ref().is_some_and(|o| o.uid == uid))
        .collect();
    owned.sort_by_key(|rs| (rs.metadata.creation_timestamp, rs.metadata.name.clone()));
    owned
}

/// Whether two templates are equal apart from the `pod-template-hash` label (`EqualIgnoreHash`).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.metadata.labels.remove(POD_TEMPLATE_HASH);
    b.metadata.labels.remove(POD_TEMPLATE_HASH);
    a == b
}

/// `kubectl rollout history deployment/<name>`: every revision, lowest first.
pub fn history(
    store: &Store,
    namespace: &str,
    name: &str,
) -> Result<Vec<RevisionEntry>, CommandError> {
    let d = deployment(store, &ObjectKey::new(namespace, name))?;
    let mut entries: Vec<RevisionEntry> = owned_replica_sets(store, &d)
        .into_iter()
        .filter_map(|rs| {
            Some(RevisionEntry {
                revision: rs.revision()?,
                replica_set: rs.metadata.name.clone(),
                change_cause: rs
                    .metadata
                    .annotations
                    .get(CHANGE_CAUSE_ANNOTATION)
                    .cloned(),
            })
        })
        .collect();
    entries.sort_by_key(|e| e.revision);
    Ok(entries)
}

/// The ReplicaSet `rollout undo --to-revision=<to_revision>` restores; 0 means the previous
/// revision (mirrors kubectl's `deploymentRevision`).
fn revision_to_restore<'a>(
    store: &'a Store,
    d: &Deployment,
    to_revision: i64,
) -> Result<&'a ReplicaSet, CommandError> {
    let not_found = || {
        CommandError::Rejected(format!(
            "unable to find specified revision {to_revision} in history"
        ))
    };
    if to_revision < 0 {
        return Err(not_found());
    }
    let mut by_revision: Vec<(i64, &ReplicaSet)> = owned_replica_sets(store, d)
        .into_iter()
        .filter_map(|rs| Some((rs.revision()?, rs)))
        .collect();
    if to_revision > 0 {
        return by_revision
            .into_iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| rs)
            .ok_or_else(not_found);
    }
    by_revision.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
    by_revision.get(1).map(|(_, rs)| *rs).ok_or_else(|| {
        CommandError::Rejected(format!(
            "no rollout history found for deployment {:?}",
            d.metadata.name
        ))
    })
}

/// `kubectl rollout undo deployment/<name> [--to-revision=N]`: copy that revision's template
/// (without its hash label) and annotations back into the Deployment.
pub fn undo(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    to_revision: i64,
) -> Result<Outcome, CommandError> {
    let key = ObjectKey::new(namespace, name);
    let d = deployment(&cluster.store, &key)?;
    if d.is_paused() {
        return Err(CommandError::Rejected(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout \
             resume' and try again"
                .to_string(),
        ));
    }
    let rs = revision_to_restore(&cluster.store, &d, to_revision)?.clone();
    if equal_ignore_hash(&rs.spec.template, &d.spec.template) {
        return Ok(Outcome {
            message: format!(
                "deployment.apps/{name} skipped rollback (current template already matches \
                 revision {to_revision})"
            ),
        });
    }
    let mut template = rs.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH);
    let mut annotations: std::collections::BTreeMap<String, String> = d
        .metadata
        .annotations
        .iter()
        .filter(|(k, _)| ANNOTATIONS_TO_SKIP.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in &rs.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    cluster.store.modify::<Deployment>(&key, |d| {
        d.spec.template = template;
        d.metadata.annotations = annotations;
    })?;
    Ok(Outcome {
        message: format!("deployment.apps/{name} rolled back"),
    })
}

/// `kubectl rollout restart deployment/<name>`: stamp the template with the current time so
/// that the controller rolls out fresh pods.
pub fn restart(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
) -> Result<Outcome, CommandError> {
    let key = ObjectKey::new(namespace, name);
    let d = deployment(&cluster.store, &key)?;
    if d.is_paused() {
        return Err(CommandError::Rejected(format!(
            "deployments.apps {name:?} can't restart paused deployment (run rollout resume first)"
        )));
    }
    let stamp = cluster.now.to_rfc3339();
    if d.spec
        .template
        .metadata
        .annotations
        .get(RESTARTED_AT_ANNOTATION)
        == Some(&stamp)
    {
        return Err(CommandError::Rejected(format!(
            "failed to create patch for {name}: if restart has already been triggered within the \
             past second, please wait before attempting to trigger another"
        )));
    }
    cluster.store.modify::<Deployment>(&key, |d| {
        d.spec
            .template
            .metadata
            .annotations
            .insert(RESTARTED_AT_ANNOTATION.to_string(), stamp);
    })?;
    Ok(Outcome {
        message: format!("deployment.apps/{name} restarted"),
    })
}

/// `kubectl rollout pause` (`paused = true`) and `kubectl rollout resume` (`paused = false`).
pub fn set_paused(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    paused: bool,
) -> Result<Outcome, CommandError> {
    let key = ObjectKey::new(namespace, name);
    let d = deployment(&cluster.store, &key)?;
    if d.is_paused() == paused {
        let state = if paused {
            "is already paused"
        } else {
            "is not paused"
        };
        return Err(CommandError::Rejected(format!(
            "deployments.apps {name:?} {state}"
        )));
    }
    cluster.store.modify::<Deployment>(&key, |d| {
        d.spec.paused = if paused { Some(true) } else { None };
    })?;
    let verb = if paused { "paused" } else { "resumed" };
    Ok(Outcome {
        message: format!("deployment.apps/{name} {verb}"),
    })
}

/// `kubectl scale <kind>/<name> --replicas=N` for Deployments and ReplicaSets.
pub fn scale(
    cluster: &mut Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
    replicas: i32,
) -> Result<Outcome, CommandError> {
    let key = ObjectKey::new(namespace, name);
    match kind {
        Kind::Deployment => {
            cluster
                .store
                .modify::<Deployment>(&key, |d| d.spec.replicas = Some(replicas))?;
        }
        Kind::ReplicaSet => {
            cluster
                .store
                .modify::<ReplicaSet>(&key, |rs| rs.spec.replicas = Some(replicas))?;
        }
        other => {
            return Err(CommandError::Rejected(format!(
                "cannot scale {}: only deployments and replicasets are scalable here",
                other.resource()
            )));
        }
    }
    let resource = kind.resource().replace("s.apps", ".apps");
    Ok(Outcome {
        message: format!("{resource}/{name} scaled"),
    })
}

/// What `kubectl apply` of a Deployment keeps from the stored object: the status, and the
/// revision annotations the controller wrote (a three-way merge leaves fields the manifest never
/// set alone).
pub fn merge_deployment_apply(old: &Deployment, new: &mut Deployment) -> Result<(), ApiError> {
    new.status = old.status.clone();
    for key in [REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION] {
        if let Some(value) = old.metadata.annotations.get(key) {
            new.metadata
                .annotations
                .entry(key.to_string())
                .or_insert_with(|| value.clone());
        }
    }
    Ok(())
}
