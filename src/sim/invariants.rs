//! Whole-cluster invariants, checked after every simulated instant in tests and debug builds.
//!
//! Each check states something that must hold however the run got here: indexes agree with the
//! objects, a pod is bound to at most one node and never moves, owners exist or are being
//! collected. Controllers add their own checks through `Controller::check_invariants`.

use crate::sim::cluster::Cluster;
use crate::sim::model::{ObjectKey, Pod};
use crate::sim::store::NodeRequests;
use std::collections::{BTreeMap, BTreeSet};

/// Returns every broken invariant, or `Ok` when all hold.
pub fn check(cluster: &Cluster) -> Result<(), Vec<String>> {
    let mut violations = Vec::new();
    check_pod_index(cluster, &mut violations);
    check_node_requests(cluster, &mut violations);
    check_pods(cluster, &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// The pods-by-node index lists exactly the bound pods.
fn check_pod_index(cluster: &Cluster, violations: &mut Vec<String>) {
    let mut indexed = BTreeSet::new();
    for node in cluster.store.nodes_with_pods() {
        for key in cluster.store.pods_on_node(node) {
            match cluster.store.pods().get(key) {
                Some(pod) if pod.node_name() == Some(node.as_str()) => {}
                _ => violations.push(format!(
                    "pod index lists {key} on {node} but the pod is not bound there"
                )),
            }
            if !indexed.insert(key.clone()) {
                violations.push(format!("pod {key} is indexed on more than one node"));
            }
        }
    }
    for pod in cluster.store.pods().iter() {
        if pod.node_name().is_some() && !indexed.contains(&pod.metadata.key()) {
            violations.push(format!(
                "bound pod {} is missing from the node index",
                pod.metadata.key()
            ));
        }
    }
}

/// The store's running per-node request sums equal a full recount over the bound, non-terminal
/// pods, which is what the scheduler's NodeResourcesFit and scoring would otherwise sum.
fn check_node_requests(cluster: &Cluster, violations: &mut Vec<String>) {
    let mut recount: BTreeMap<&str, NodeRequests> = BTreeMap::new();
    for pod in cluster.store.pods().iter() {
        if let Some(node) = pod.node_name()
            && !pod.phase().is_terminal()
        {
            recount
                .entry(node)
                .or_default()
                .add(&NodeRequests::of_pod(pod));
        }
    }
    let kept = cluster.store.requests_by_node();
    for node in kept
        .keys()
        .map(String::as_str)
        .chain(recount.keys().copied())
    {
        let (kept, counted) = (kept.get(node), recount.get(node));
        if kept != counted {
            violations.push(format!(
                "requests kept for node {node} are {kept:?} but its pods request {counted:?}"
            ));
        }
    }
}

/// Per-pod rules: phase and container statuses agree, timestamps are ordered.
fn check_pods(cluster: &Cluster, violations: &mut Vec<String>) {
    for pod in cluster.store.pods().iter() {
        let key: ObjectKey = pod.metadata.key();
        if pod.node_name().is_none()
            && pod
                .status
                .container_statuses
                .iter()
                .any(|s| s.state.running.is_some())
        {
            violations.push(format!("pod {key} has running containers but no node"));
        }
        if pod.is_ready() && pod.node_name().is_none() {
            violations.push(format!("pod {key} is Ready without a node"));
        }
        if let (Some(created), Some(started)) =
            (pod.metadata.creation_timestamp, pod.status.start_time)
            && started < created
        {
            violations.push(format!("pod {key} started before it was created"));
        }
        if ready_but_terminal(pod) {
            violations.push(format!(
                "pod {key} is Ready in terminal phase {:?}",
                pod.phase()
            ));
        }
        for owner in &pod.metadata.owner_references {
            if owner.uid.is_empty() {
                violations.push(format!("pod {key} has an owner reference without uid"));
            }
        }
    }
}

fn ready_but_terminal(pod: &Pod) -> bool {
    pod.phase().is_terminal() && pod.is_ready()
}
