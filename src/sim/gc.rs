//! The garbage collector and PodGC.
//!
//! Garbage collector: an object whose owners are all gone is deleted (background propagation);
//! an owner deleted with foreground propagation waits, with the `foregroundDeletion` finalizer,
//! until its dependents are gone. Orphan propagation is handled where the delete command is
//! applied: the dependents lose their owner reference before the owner goes.
//!
//! PodGC (`pkg/controller/podgc`): every 20 s it looks for pods bound to nodes that no longer
//! exist; a node missing for the 40 s quarantine has its pods marked `Failed` with
//! `DisruptionTarget=True reason DeletionByPodGC` and force-deleted.
//!
//! DIVERGENCE: orphaning happens at once instead of through the `orphan` finalizer the real
//! garbage collector processes; the end state is the same.

use crate::sim::cluster::Cluster;
use crate::sim::model::{
    ConditionStatus, Kind, Object, ObjectKey, Pod, PodConditionType, PodPhase,
};
use crate::sim::queue::Work;
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use std::collections::{BTreeMap, BTreeSet};

/// The finalizer of foreground deletion.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// PodGC's loop period.
pub const POD_GC_PERIOD_MS: i64 = 20_000;
/// How long a node must be missing before PodGC deletes its pods.
pub const POD_GC_QUARANTINE_MS: i64 = 40_000;

/// Garbage-collector and PodGC bookkeeping.
#[derive(Clone, Debug, Default)]
pub struct GcState {
    foreground: BTreeSet<(Kind, ObjectKey)>,
    missing_nodes: BTreeMap<String, SimTime>,
    pod_gc_ticking: bool,
    collect_queued: bool,
}

/// Queues a garbage-collection pass unless one is already waiting. Every request is due at
/// once, so a waiting pass runs after the write that asked for it and sees the same store a
/// second pass would: collapsing them keeps the result and saves a walk over every owner per
/// owned create (like the real collector's work queue, which holds each item once).
fn request_collect(cluster: &mut Cluster) {
    if !cluster.gc.collect_queued {
        cluster.gc.collect_queued = true;
        cluster.schedule(SimDuration::ZERO, Work::GarbageCollect);
    }
}

/// Queues garbage collection when an owner disappears or starts a foreground deletion, and
/// starts the PodGC loop when a node with pods is deleted.
pub fn on_change(cluster: &mut Cluster, change: &Change) {
    let Some(old) = &change.old else {
        if let Some(new) = &change.new
            && !new.meta().owner_references.is_empty()
        {
            request_collect(cluster);
        }
        return;
    };
    match &change.new {
        None => {
            if cluster
                .store
                .dependents_of(&old.meta().uid)
                .next()
                .is_some()
                || cluster.gc.foreground.iter().next().is_some()
            {
                request_collect(cluster);
            }
            if matches!(old, Object::Node(_)) && !cluster.gc.pod_gc_ticking {
                cluster.gc.pod_gc_ticking = true;
                let next = next_tick(cluster);
                cluster.queue.push(next, Work::PodGc);
            }
        }
        Some(new) => {
            let starts_foreground = new.meta().deletion_timestamp.is_some()
                && new
                    .meta()
                    .finalizers
                    .iter()
                    .any(|f| f == FOREGROUND_FINALIZER)
                && old.meta().deletion_timestamp.is_none();
            if starts_foreground {
                cluster
                    .gc
                    .foreground
                    .insert((new.kind(), change.key.clone()));
                request_collect(cluster);
            }
        }
    }
}

/// The next PodGC tick: multiples of 20 s from the cluster's start.
fn next_tick(cluster: &Cluster) -> SimTime {
    let start = cluster.node_lifecycle.started_at();
    let elapsed = (cluster.now - start).as_ms();
    let ticks = elapsed.div_euclid(POD_GC_PERIOD_MS) + 1;
    start + SimDuration::from_ms(ticks * POD_GC_PERIOD_MS)
}

/// Deletes dependents whose owners are all gone, and finishes foreground deletions whose
/// dependents are gone (mirrors `attemptToDeleteItem`).
pub fn collect(cluster: &mut Cluster) {
    cluster.gc.collect_queued = false;
    let now = cluster.now;
    let owners: Vec<String> = cluster.store.owner_uids().cloned().collect();
    for owner_uid in owners {
        if cluster.store.find_uid(&owner_uid).is_some() {
            continue;
        }
        let dependents: Vec<(Kind, ObjectKey)> =
            cluster.store.dependents_of(&owner_uid).cloned().collect();
        for (kind, key) in dependents {
            let Some(object) = cluster.store.get_object(kind, &key) else {
                continue;
            };
            let alive_owner = object
                .meta()
                .owner_references
                .iter()
                .any(|o| o.uid != owner_uid && cluster.store.find_uid(&o.uid).is_some());
            if alive_owner {
                let _ = cluster.store.modify_meta_any(kind, &key, |m| {
                    m.owner_references.retain(|o| o.uid != owner_uid)
                });
            } else if object.meta().deletion_timestamp.is_none() {
                let _ = cluster.store.delete_any(kind, &key, now, None);
            }
        }
    }
    finish_foreground(cluster);
}

/// Foreground owners: delete their dependents; drop the finalizer once none are left.
fn finish_foreground(cluster: &mut Cluster) {
    let now = cluster.now;
    let owners: Vec<(Kind, ObjectKey)> = cluster.gc.foreground.iter().cloned().collect();
    for (kind, key) in owners {
        let Some(owner) = cluster.store.get_object(kind, &key) else {
            cluster.gc.foreground.remove(&(kind, key));
            continue;
        };
        let uid = owner.meta().uid.clone();
        let dependents: Vec<(Kind, ObjectKey)> =
            cluster.store.dependents_of(&uid).cloned().collect();
        if dependents.is_empty() {
            cluster.gc.foreground.remove(&(kind, key.clone()));
            let _ = cluster.store.modify_meta_any(kind, &key, |m| {
                m.finalizers.retain(|f| f != FOREGROUND_FINALIZER)
            });
            continue;
        }
        for (dependent_kind, dependent_key) in dependents {
            let terminating = cluster
                .store
                .get_object(dependent_kind, &dependent_key)
                .is_some_and(|o| o.meta().deletion_timestamp.is_some());
            if !terminating {
                let _ = cluster
                    .store
                    .delete_any(dependent_kind, &dependent_key, now, None);
            }
        }
    }
}

/// One PodGC pass over pods bound to missing nodes (`gcOrphaned`).
pub fn pod_gc_tick(cluster: &mut Cluster) {
    let now = cluster.now;
    let bound_nodes: Vec<String> = cluster.store.nodes_with_pods().cloned().collect();
    let missing: Vec<String> = bound_nodes
        .into_iter()
        .filter(|n| cluster.store.nodes().get(&ObjectKey::cluster(n)).is_none())
        .collect();
    cluster
        .gc
        .missing_nodes
        .retain(|node, _| missing.contains(node));
    for node in missing {
        let first_seen = *cluster.gc.missing_nodes.entry(node.clone()).or_insert(now);
        if (now - first_seen).as_ms() < POD_GC_QUARANTINE_MS {
            continue;
        }
        let keys: Vec<ObjectKey> = cluster.store.pods_on_node(&node).cloned().collect();
        for key in keys {
            delete_orphan_pod(cluster, &key);
        }
        cluster.gc.missing_nodes.remove(&node);
    }
    if cluster.gc.missing_nodes.is_empty()
        && cluster
            .store
            .nodes_with_pods()
            .all(|n| cluster.store.nodes().get(&ObjectKey::cluster(n)).is_some())
    {
        cluster.gc.pod_gc_ticking = false;
    } else {
        let next = next_tick(cluster);
        cluster.queue.push(next, Work::PodGc);
    }
}

fn delete_orphan_pod(cluster: &mut Cluster, key: &ObjectKey) {
    let now = cluster.now;
    let _ = cluster.store.modify::<Pod>(key, |p| {
        if !p.phase().is_terminal() {
            p.status.phase = Some(PodPhase::Failed);
        }
        let message = Some("PodGC: node no longer exists".to_string());
        p.set_condition(
            PodConditionType::DisruptionTarget,
            ConditionStatus::True,
            Some("DeletionByPodGC"),
            message,
            now,
        );
    });
    let _ = cluster.store.delete::<Pod>(key, now, Some(0));
}
