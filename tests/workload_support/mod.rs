//! Helpers shared by the ReplicaSet and Deployment scenario tests: a cluster on the instant
//! clock, short accessors, and event listings.

#![allow(dead_code)]

use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::*;
use kubarium::sim::time::{SimDuration, SimTime};
use kubarium::sim::{DEFAULT_START, Sim};
use std::collections::BTreeMap;

/// `n` seconds.
pub fn secs(n: i64) -> SimDuration {
    SimDuration::from_secs(n)
}

/// The instant `n` seconds after the simulation started.
pub fn at(n: i64) -> SimTime {
    DEFAULT_START + secs(n)
}

/// A cluster with instant kubelets (pulls, starts and stops take no time) and these nodes.
pub fn instant_sim(seed: u64, nodes: &[&str]) -> Sim {
    let mut sim = Sim::with_settings(seed, Settings::instant());
    for node in nodes {
        sim.submit(Command::add_node(node)).expect("new node");
    }
    sim
}

/// Submits a command that must succeed and returns kubectl's message.
pub fn ok(sim: &mut Sim, command: Command) -> String {
    sim.submit(command).expect("command accepted").message
}

/// The stored Deployment `name` in `default`.
pub fn deploy(sim: &Sim, name: &str) -> Deployment {
    sim.store()
        .deployments()
        .get(&ObjectKey::new("default", name))
        .cloned()
        .expect("deployment exists")
}

/// The stored ReplicaSet `name` in `default`.
pub fn rs(sim: &Sim, name: &str) -> ReplicaSet {
    sim.store()
        .replica_sets()
        .get(&ObjectKey::new("default", name))
        .cloned()
        .expect("replica set exists")
}

/// ReplicaSets of the Deployment `name`, oldest first, as `(name, spec.replicas)`.
pub fn rs_sizes(sim: &Sim, name: &str) -> Vec<(String, i32)> {
    let d = deploy(sim, name);
    kubarium::sim::rollout::owned_replica_sets(sim.store(), &d)
        .into_iter()
        .map(|rs| (rs.metadata.name.clone(), rs.replicas()))
        .collect()
}

/// Just the `spec.replicas` of the Deployment's ReplicaSets, oldest first.
pub fn sizes(sim: &Sim, name: &str) -> Vec<i32> {
    rs_sizes(sim, name).into_iter().map(|(_, n)| n).collect()
}

/// Active pods whose name starts with `prefix`, as `(name, node)` in name order.
pub fn active_pods(sim: &Sim, prefix: &str) -> Vec<(String, Option<String>)> {
    sim.store()
        .pods()
        .iter()
        .filter(|p| p.metadata.name.starts_with(prefix) && p.is_active())
        .map(|p| (p.metadata.name.clone(), p.node_name().map(str::to_string)))
        .collect()
}

/// How many active pods with `prefix` each node runs.
pub fn per_node(sim: &Sim, prefix: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (_, node) in active_pods(sim, prefix) {
        *counts
            .entry(node.unwrap_or_else(|| "<none>".into()))
            .or_default() += 1;
    }
    counts
}

/// Messages of Events with `reason`, oldest first.
pub fn messages(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .with_reason(reason)
        .map(|e| e.event.message.clone())
        .collect()
}

/// `(reason, message)` of the Events about the object `name`, oldest first.
pub fn events_about(sim: &Sim, name: &str) -> Vec<(String, String)> {
    sim.events()
        .about(name)
        .map(|e| (e.event.reason.clone(), e.event.message.clone()))
        .collect()
}

/// The Deployment's condition of `type_` as `(status, reason)`.
pub fn cond(sim: &Sim, name: &str, type_: &str) -> Option<(ConditionStatus, String)> {
    deploy(sim, name)
        .status
        .condition(type_)
        .map(|c| (c.status, c.reason.clone().unwrap_or_default()))
}
