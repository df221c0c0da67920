//! The contrast the playground teaches: the same cluster and the same events applied to a
//! 3-replica Deployment and to a DaemonSet. The Deployment keeps a count wherever the
//! scheduler finds room; the DaemonSet keeps one pod on every eligible node.

mod workload_support;

use kubarium::sim::command::Command;
use kubarium::sim::model::*;
use std::collections::BTreeMap;
use workload_support::*;

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect()
}

fn pod_on(sim: &kubarium::sim::Sim, prefix: &str, node: &str) -> String {
    active_pods(sim, prefix)
        .into_iter()
        .find(|(_, n)| n.as_deref() == Some(node))
        .map(|(name, _)| name)
        .expect("a pod on that node")
}

fn delete_pod(sim: &mut kubarium::sim::Sim, name: &str) {
    ok(sim, Command::delete(Kind::Pod, "default", name));
}

/// Add a node, stop a node, cordon a node, kill a pod: after each, where do the pods of the
/// Deployment `web` and the DaemonSet `agent` run?
#[test]
fn contrast_deployment_and_daemon_set_under_the_same_events() {
    let mut sim = instant_sim(21, &["node-a", "node-b", "node-c"]);
    ok(
        &mut sim,
        Command::apply(DaemonSet::new("default", "agent", "fluentd:v1")),
    );
    ok(
        &mut sim,
        Command::apply(Deployment::new("default", "web", "nginx:1.25", 3)),
    );
    sim.advance_to(at(5)).expect("bounded");
    let three = counts(&[("node-a", 1), ("node-b", 1), ("node-c", 1)]);
    assert_eq!(
        per_node(&sim, "web-"),
        three,
        "the scheduler spread the 3 replicas"
    );
    assert_eq!(per_node(&sim, "agent-"), three, "one daemon pod per node");

    // A new node: the DaemonSet grows onto it; the Deployment does not move anything.
    ok(&mut sim, Command::add_node("node-d"));
    sim.advance_to(at(10)).expect("bounded");
    assert_eq!(per_node(&sim, "web-"), three);
    assert_eq!(
        per_node(&sim, "agent-"),
        counts(&[("node-a", 1), ("node-b", 1), ("node-c", 1), ("node-d", 1)])
    );
    let agents = sim
        .store()
        .daemon_sets()
        .iter()
        .next()
        .expect("agent")
        .status
        .clone();
    assert_eq!(
        (agents.desired_number_scheduled, agents.number_ready),
        (4, 4)
    );

    // node-a stops at 20 s: NotReady at 70 s, its web pod is evicted at 370 s and replaced on
    // the emptiest node (node-d); the daemon pod tolerates unreachable forever and stays.
    let web_on_a = pod_on(&sim, "web-", "node-a");
    let agent_on_a = pod_on(&sim, "agent-", "node-a");
    sim.advance_to(at(20)).expect("bounded");
    ok(
        &mut sim,
        Command::StopNode {
            name: "node-a".into(),
        },
    );
    sim.advance_to(at(369)).expect("bounded");
    assert_eq!(
        per_node(&sim, "web-"),
        three,
        "nothing moves during the 300 s toleration"
    );
    sim.advance_to(at(370)).expect("bounded");
    assert!(
        active_pods(&sim, "web-")
            .iter()
            .all(|(name, _)| *name != web_on_a)
    );
    assert_eq!(
        per_node(&sim, "web-"),
        counts(&[("node-b", 1), ("node-c", 1), ("node-d", 1)])
    );
    let evicted = sim
        .events()
        .with_reason("TaintManagerEviction")
        .map(|e| e.event.involved_object.name.clone());
    assert_eq!(evicted.collect::<Vec<_>>(), vec![web_on_a]);
    assert!(
        active_pods(&sim, "agent-")
            .iter()
            .any(|(name, _)| *name == agent_on_a)
    );
    let agents = sim
        .store()
        .daemon_sets()
        .iter()
        .next()
        .expect("agent")
        .status
        .clone();
    assert_eq!(
        agents.number_misscheduled, 1,
        "node-a's unreachable NoSchedule taint"
    );
    assert_eq!(agents.desired_number_scheduled, 3);

    // Cordon node-b, then kill the web and the agent pod there: the Deployment's replacement
    // avoids the cordoned node; the DaemonSet's replacement goes right back onto it.
    sim.advance_to(at(400)).expect("bounded");
    ok(
        &mut sim,
        Command::Cordon {
            name: "node-b".into(),
        },
    );
    sim.advance_to(at(410)).expect("bounded");
    assert_eq!(
        per_node(&sim, "web-"),
        counts(&[("node-b", 1), ("node-c", 1), ("node-d", 1)]),
        "cordon evicts nothing"
    );
    let web_on_b = pod_on(&sim, "web-", "node-b");
    let agent_on_b = pod_on(&sim, "agent-", "node-b");
    delete_pod(&mut sim, &web_on_b);
    delete_pod(&mut sim, &agent_on_b);
    sim.advance_to(at(420)).expect("bounded");
    assert_eq!(
        per_node(&sim, "web-"),
        counts(&[("node-c", 2), ("node-d", 1)])
    );
    assert_eq!(
        per_node(&sim, "agent-"),
        counts(&[("node-a", 1), ("node-b", 1), ("node-c", 1), ("node-d", 1)])
    );
    assert!(
        active_pods(&sim, "agent-")
            .iter()
            .all(|(name, _)| *name != agent_on_b)
    );
    let d = deploy(&sim, "web");
    assert_eq!(
        (d.status.replicas, d.status.available_replicas),
        (3, 3),
        "the count is all that matters"
    );
}
