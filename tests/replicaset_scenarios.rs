//! ReplicaSet controller scenarios on the instant clock: scaling, the upstream deletion ranking,
//! adoption and orphaning, status with minReadySeconds, replacement after a node is lost, and
//! API validation.

mod workload_support;

use kubarium::sim::command::{Command, Propagation};
use kubarium::sim::model::*;
use std::collections::BTreeMap;
use workload_support::*;

fn scale_rs(sim: &mut Sim, name: &str, replicas: i32) {
    ok(
        sim,
        Command::Scale {
            kind: Kind::ReplicaSet,
            namespace: "default".into(),
            name: name.into(),
            replicas,
        },
    );
}

use kubarium::sim::Sim;

/// The RS creates its pods in one sync (slow-start batches 1 and 2), the scheduler spreads them
/// over the least allocated nodes, and the status counts them.
#[test]
fn rs_scale_up_creates_the_missing_pods_spread_by_the_scheduler() {
    let mut sim = instant_sim(3, &["node-a", "node-b", "node-c"]);
    let message = ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 3)),
    );
    assert_eq!(message, "replicaset.apps/frontend created");
    sim.advance_by(secs(1)).expect("bounded");
    let created = messages(&sim, "SuccessfulCreate");
    assert_eq!(created.len(), 3);
    assert!(
        created
            .iter()
            .all(|m| m.starts_with("Created pod: frontend-")),
        "{created:?}"
    );
    let nodes: Vec<usize> = per_node(&sim, "frontend-").values().copied().collect();
    assert_eq!(
        nodes,
        vec![1, 1, 1],
        "one pod per node: least allocated wins each time"
    );
    let status = rs(&sim, "frontend").status;
    assert_eq!(
        (
            status.replicas,
            status.fully_labeled_replicas,
            status.ready_replicas,
            status.available_replicas
        ),
        (3, 3, 3, 3)
    );
    assert_eq!(status.observed_generation, Some(1));

    assert_eq!(
        sim.submit(Command::Scale {
            kind: Kind::ReplicaSet,
            namespace: "default".into(),
            name: "frontend".into(),
            replicas: 5
        })
        .expect("scalable")
        .message,
        "replicaset.apps/frontend scaled"
    );
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(active_pods(&sim, "frontend-").len(), 5);
    assert_eq!(rs(&sim, "frontend").status.observed_generation, Some(2));
    assert_eq!(
        per_node(&sim, "frontend-"),
        BTreeMap::from([
            ("node-a".to_string(), 2),
            ("node-b".to_string(), 2),
            ("node-c".to_string(), 1),
        ])
    );
}

/// Scaling down removes the pod that became ready most recently (ages 200 s vs 100 s are a
/// power of two apart, so the logarithmic comparison separates them).
#[test]
fn rs_scale_down_deletes_the_most_recently_ready_pod_first() {
    let mut sim = instant_sim(5, &["node-a", "node-b", "node-c"]);
    ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 2)),
    );
    sim.advance_to(at(100)).expect("bounded");
    scale_rs(&mut sim, "frontend", 3);
    sim.advance_to(at(101)).expect("bounded");
    let newest = sim
        .store()
        .pods()
        .iter()
        .find(|p| p.metadata.creation_timestamp == Some(at(100)))
        .map(|p| p.metadata.name.clone())
        .expect("the pod made at 100 s");
    sim.advance_to(at(200)).expect("bounded");
    scale_rs(&mut sim, "frontend", 2);
    sim.advance_to(at(201)).expect("bounded");
    assert_eq!(
        messages(&sim, "SuccessfulDelete"),
        vec![format!("Deleted pod: {newest}")]
    );
    let why = sim
        .events()
        .with_reason("SuccessfulDelete")
        .map(|e| e.why.clone())
        .next();
    assert_eq!(
        why.as_deref(),
        Some(
            format!(
                "frontend wants 2 replicas but had 3, so the ReplicaSet controller \
                 deleted {newest}: \
                 pods that hurt least go first, and it was the most recently started of equally \
                 healthy pods"
            )
            .as_str()
        )
    );
    assert_eq!(active_pods(&sim, "frontend-").len(), 2);
}

/// An unschedulable (Pending, unbound) pod goes before any running one.
#[test]
fn rs_scale_down_deletes_the_unscheduled_pod_first() {
    let mut sim = Sim::with_settings(9, kubarium::sim::cluster::Settings::instant());
    let node = Node::with_resources("small", "1", "4Gi", 110);
    ok(
        &mut sim,
        Command::AddNode {
            node: Box::new(node),
        },
    );
    let mut frontend = ReplicaSet::new("default", "frontend", "nginx:1.25", 3);
    let requests = BTreeMap::from([("cpu".to_string(), Quantity("400m".to_string()))]);
    frontend.spec.template.spec.containers[0].resources = Some(ResourceRequirements {
        requests,
        ..Default::default()
    });
    ok(&mut sim, Command::apply(frontend));
    sim.advance_to(at(10)).expect("bounded");
    let pending: Vec<String> = active_pods(&sim, "frontend-")
        .into_iter()
        .filter(|(_, node)| node.is_none())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(pending.len(), 1, "only two 400m pods fit on one cpu");
    let status = rs(&sim, "frontend").status;
    assert_eq!((status.replicas, status.ready_replicas), (3, 2));
    scale_rs(&mut sim, "frontend", 2);
    sim.advance_to(at(11)).expect("bounded");
    assert_eq!(
        messages(&sim, "SuccessfulDelete"),
        vec![format!("Deleted pod: {}", pending[0])]
    );
    assert!(
        sim.events()
            .with_reason("SuccessfulDelete")
            .all(|e| e.why.ends_with("it was not scheduled to any node yet"))
    );
}

/// A matching orphan pod is adopted instead of creating a new one; relabelling an owned pod
/// releases it and the RS replaces it.
#[test]
fn rs_adopts_matching_orphans_and_releases_relabelled_pods() {
    let mut sim = instant_sim(2, &["node-a"]);
    let mut orphan = Pod::new("default", "stray", "nginx:1.25", &[]);
    orphan
        .metadata
        .labels
        .insert("app".into(), "frontend".into());
    ok(&mut sim, Command::apply(orphan));
    sim.advance_to(at(1)).expect("bounded");
    ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 2)),
    );
    sim.advance_to(at(2)).expect("bounded");
    let stray = sim
        .store()
        .pods()
        .get(&ObjectKey::new("default", "stray"))
        .cloned()
        .expect("kept");
    assert_eq!(
        stray.metadata.controller_ref().map(|o| o.name.as_str()),
        Some("frontend")
    );
    assert_eq!(
        messages(&sim, "SuccessfulCreate").len(),
        1,
        "one adopted, one created"
    );

    ok(
        &mut sim,
        Command::SetLabel {
            kind: Kind::Pod,
            namespace: "default".into(),
            name: "stray".into(),
            key: "app".into(),
            value: "debug".into(),
        },
    );
    sim.advance_to(at(3)).expect("bounded");
    let stray = sim
        .store()
        .pods()
        .get(&ObjectKey::new("default", "stray"))
        .cloned()
        .expect("kept");
    assert_eq!(
        stray.metadata.controller_ref(),
        None,
        "released, not deleted"
    );
    assert_eq!(
        messages(&sim, "SuccessfulCreate").len(),
        2,
        "a replacement was created"
    );
    assert_eq!(rs(&sim, "frontend").status.replicas, 2);
}

/// availableReplicas waits minReadySeconds (strictly more) after Ready; the controller requeues
/// itself so the count rises at minReadySeconds + 1 s without any other event.
#[test]
fn rs_available_replicas_follow_min_ready_seconds() {
    let mut sim = instant_sim(4, &["node-a"]);
    let mut frontend = ReplicaSet::new("default", "frontend", "nginx:1.25", 2);
    frontend.spec.min_ready_seconds = Some(10);
    ok(&mut sim, Command::apply(frontend));
    sim.advance_to(at(10)).expect("bounded");
    let status = rs(&sim, "frontend").status;
    assert_eq!((status.ready_replicas, status.available_replicas), (2, 0));
    let became = sim
        .run_until(
            |s| rs(s, "frontend").status.available_replicas == 2,
            secs(60),
        )
        .expect("becomes available");
    assert_eq!(became, at(11));
}

/// A stopped node goes NotReady after the 50 s grace period; its pod is evicted 300 s later (the
/// default not-ready/unreachable toleration) and the RS creates a replacement at that instant on
/// a node the scheduler still accepts.
#[test]
fn rs_pod_on_a_stopped_node_is_replaced_elsewhere_after_the_eviction_delay() {
    let mut sim = instant_sim(6, &["node-a", "node-b", "node-c"]);
    ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 3)),
    );
    sim.advance_to(at(10)).expect("bounded");
    let lost = active_pods(&sim, "frontend-")
        .into_iter()
        .find(|(_, node)| node.as_deref() == Some("node-a"))
        .map(|(name, _)| name)
        .expect("a pod on node-a");
    ok(
        &mut sim,
        Command::StopNode {
            name: "node-a".into(),
        },
    );
    sim.advance_to(at(59)).expect("bounded");
    assert_eq!(rs(&sim, "frontend").status.ready_replicas, 3);
    sim.advance_to(at(60)).expect("bounded");
    assert_eq!(
        rs(&sim, "frontend").status.ready_replicas,
        2,
        "NotReady at 10 + 50 s"
    );
    assert_eq!(rs(&sim, "frontend").status.replicas, 3);
    sim.advance_to(at(359)).expect("bounded");
    assert_eq!(
        messages(&sim, "SuccessfulCreate").len(),
        3,
        "nothing replaced before 360 s"
    );
    let replaced_at = sim
        .run_until(|s| messages(s, "SuccessfulCreate").len() == 4, secs(10))
        .expect("replaced");
    assert_eq!(replaced_at, at(360), "10 s + 50 s grace + 300 s toleration");
    sim.advance_to(at(361)).expect("bounded");
    let pods = active_pods(&sim, "frontend-");
    assert!(
        !pods.iter().any(|(name, _)| *name == lost),
        "the evicted pod is terminating"
    );
    assert_eq!(
        per_node(&sim, "frontend-"),
        BTreeMap::from([("node-b".to_string(), 2), ("node-c".to_string(), 1),])
    );
    let status = rs(&sim, "frontend").status;
    assert_eq!(
        (
            status.replicas,
            status.ready_replicas,
            status.available_replicas
        ),
        (3, 3, 3)
    );
}

/// Deleting the RS with orphan propagation keeps its pods; background deletion lets the garbage
/// collector remove them.
#[test]
fn rs_deletion_orphans_or_collects_its_pods() {
    let mut sim = instant_sim(8, &["node-a"]);
    ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 2)),
    );
    sim.advance_to(at(1)).expect("bounded");
    ok(
        &mut sim,
        Command::Delete {
            kind: Kind::ReplicaSet,
            namespace: "default".into(),
            name: "frontend".into(),
            propagation: Propagation::Orphan,
            grace_period_secs: None,
        },
    );
    sim.advance_to(at(5)).expect("bounded");
    let orphans = active_pods(&sim, "frontend-");
    assert_eq!(orphans.len(), 2);
    ok(
        &mut sim,
        Command::apply(ReplicaSet::new("default", "frontend", "nginx:1.25", 2)),
    );
    sim.advance_to(at(6)).expect("bounded");
    assert_eq!(
        active_pods(&sim, "frontend-"),
        orphans,
        "the new RS adopted both"
    );
    assert_eq!(
        messages(&sim, "SuccessfulCreate").len(),
        2,
        "no pod created for the new RS"
    );
    ok(
        &mut sim,
        Command::delete(Kind::ReplicaSet, "default", "frontend"),
    );
    sim.advance_to(at(10)).expect("bounded");
    assert!(active_pods(&sim, "frontend-").is_empty());
}

#[test]
fn rs_validation_names_the_field_and_quotes_the_value() {
    let mut sim = instant_sim(1, &[]);
    let mut bad = ReplicaSet::new("default", "frontend", "nginx:1.25", 2);
    bad.spec.selector = Some(LabelSelector::from_labels(&[("app", "x")]));
    let err = sim.submit(Command::apply(bad)).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "ReplicaSet.apps \"frontend\" is invalid: spec.template.metadata.labels: Invalid value: \
         map[string]string{\"app\":\"frontend\"}: `selector` does not match template `labels`"
    );
    let mut negative = ReplicaSet::new("default", "frontend", "nginx:1.25", -2);
    negative.spec.template.spec.restart_policy = Some(RestartPolicy::Never);
    let err = sim.submit(Command::apply(negative)).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "ReplicaSet.apps \"frontend\" is invalid: [spec.replicas: Invalid value: -2: must be \
         greater than or equal to 0, spec.template.spec.restartPolicy: Unsupported value: \
         \"Never\": supported values: \"Always\"]"
    );
    let mut defaulted = ReplicaSet::new("default", "frontend", "nginx:1.25", 1);
    defaulted.spec.replicas = None;
    ok(&mut sim, Command::apply(defaulted));
    assert_eq!(
        rs(&sim, "frontend").spec.replicas,
        Some(1),
        "replicas defaults to 1"
    );
}
