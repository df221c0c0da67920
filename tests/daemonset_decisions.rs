//! DaemonSet controller decisions, one sync at a time on a prepared store, as the upstream unit
//! tests in `pkg/controller/daemon` check them (cases DS-1 … DS-22 of the reference).

use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::controllers::SyncReport;
use kubarium::sim::controllers::daemonset::{CONTROLLER_REVISION_HASH, new_daemon_pod};
use kubarium::sim::model::*;
use kubarium::sim::time::SimDuration;
use kubarium::sim::{DEFAULT_START, Sim};

const DS: &str = "daemonset-controller";

fn sim_with_nodes(count: usize) -> Sim {
    let mut sim = Sim::with_settings(11, Settings::instant());
    for i in 0..count {
        sim.submit(Command::add_node(&format!("node-{i}")))
            .expect("new node");
    }
    sim
}

fn key() -> ObjectKey {
    ObjectKey::new("default", "foo")
}

fn add_ds(sim: &mut Sim, ds: DaemonSet) {
    let now = sim.now();
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create(ds, now, &mut cluster.rng)
        .expect("valid daemon set");
}

fn foo() -> DaemonSet {
    DaemonSet::new("default", "foo", "foo:1")
}

fn sync(sim: &mut Sim) -> SyncReport {
    sim.sync_once(DS, &key()).expect("registered controller")
}

/// (creates, deletes, events other than the pod-control ones).
fn counts(report: &SyncReport) -> (usize, usize, Vec<String>) {
    let events = report
        .events
        .iter()
        .filter(|e| !e.starts_with("Successful"))
        .cloned()
        .collect();
    (report.creates.len(), report.deletes.len(), events)
}

fn ds(sim: &Sim) -> DaemonSet {
    sim.store()
        .daemon_sets()
        .get(&key())
        .cloned()
        .expect("exists")
}

fn set_labels(sim: &mut Sim, node: &str, labels: &[(&str, &str)]) {
    for (k, v) in labels {
        let cmd = Command::SetLabel {
            kind: Kind::Node,
            namespace: String::new(),
            name: node.into(),
            key: k.to_string(),
            value: v.to_string(),
        };
        sim.submit(cmd).expect("node exists");
    }
}

/// Adds a daemon pod of the current template bound to `node`, optionally Ready.
fn add_daemon_pod(sim: &mut Sim, node: &str, ready: bool) -> String {
    let ds = ds(sim);
    let hash = sim
        .store()
        .controller_revisions()
        .iter()
        .next()
        .and_then(|r| r.metadata.labels.get(CONTROLLER_REVISION_HASH).cloned())
        .unwrap_or_default();
    let mut pod = new_daemon_pod(&ds, &hash, node);
    pod.spec.node_name = Some(node.to_string());
    let now = sim.now();
    let cluster = sim.cluster_mut();
    let created = cluster
        .store
        .create(pod, now, &mut cluster.rng)
        .expect("valid pod");
    if ready {
        mark_ready(sim, &created.metadata.name);
    }
    created.metadata.name
}

fn mark_ready(sim: &mut Sim, name: &str) {
    let now = sim.now();
    sim.cluster_mut()
        .store
        .modify::<Pod>(&ObjectKey::new("default", name), |p| {
            p.status.phase = Some(PodPhase::Running);
            p.set_condition(
                PodConditionType::Ready,
                ConditionStatus::True,
                None,
                None,
                now,
            );
        })
        .expect("pod exists");
}

/// Binds every unbound daemon pod to its target node and marks it Ready, as scheduler and
/// kubelet would between syncs.
fn bind_and_ready_all(sim: &mut Sim) {
    let pods: Vec<Pod> = sim.store().pods().iter().cloned().collect();
    for pod in pods {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let target = kubarium::sim::controllers::daemonset::target_node(&pod);
        sim.cluster_mut()
            .store
            .modify::<Pod>(&pod.metadata.key(), |p| p.spec.node_name = target)
            .expect("exists");
        mark_ready(sim, &pod.metadata.name);
    }
}

/// Removes terminating pods, as their kubelets would once the containers stopped.
fn finish_terminations(sim: &mut Sim) {
    let terminating: Vec<ObjectKey> = sim
        .store()
        .pods()
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_some())
        .map(|p| p.metadata.key())
        .collect();
    let now = sim.now();
    for key in terminating {
        sim.cluster_mut()
            .store
            .delete::<Pod>(&key, now, Some(0))
            .expect("exists");
    }
}

#[test]
fn ds_1_simple_launch_creates_one_pinned_pod_per_node() {
    let mut sim = sim_with_nodes(5);
    add_ds(&mut sim, foo());
    let report = sync(&mut sim);
    assert_eq!(counts(&report), (5, 0, vec![]));
    let status = ds(&sim).status;
    assert_eq!(
        (
            status.desired_number_scheduled,
            status.current_number_scheduled
        ),
        (5, 5)
    );
    let mut targets: Vec<String> = sim
        .store()
        .pods()
        .iter()
        .map(|p| {
            assert_eq!(p.spec.node_name, None, "the scheduler binds daemon pods");
            let selector = p.spec.required_node_affinity().expect("pinned");
            let field = &selector.node_selector_terms[0].match_fields[0];
            assert_eq!(
                (field.key.as_str(), field.operator),
                ("metadata.name", NodeSelectorOperator::In)
            );
            field.values[0].clone()
        })
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        vec!["node-0", "node-1", "node-2", "node-3", "node-4"]
    );
    assert!(
        sim.store()
            .pods()
            .iter()
            .all(|p| p.metadata.name.starts_with("foo-") && p.metadata.name.len() == 9)
    );
}

#[test]
fn ds_2_no_nodes_does_nothing() {
    let mut sim = sim_with_nodes(0);
    add_ds(&mut sim, foo());
    assert_eq!(counts(&sync(&mut sim)), (0, 0, vec![]));
}

#[test]
fn ds_3_node_selector_and_required_affinity_pick_matching_nodes() {
    let mut sim = sim_with_nodes(7);
    for node in ["node-4", "node-5", "node-6"] {
        set_labels(&mut sim, node, &[("color", "blue"), ("speed", "fast")]);
    }
    let mut by_selector = foo();
    by_selector.spec.template.spec.node_selector = [("color", "blue"), ("speed", "fast")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    add_ds(&mut sim, by_selector);
    assert_eq!(counts(&sync(&mut sim)), (3, 0, vec![]));

    let mut sim = sim_with_nodes(7);
    for node in ["node-4", "node-5", "node-6"] {
        set_labels(&mut sim, node, &[("color", "blue")]);
    }
    let mut by_affinity = foo();
    let term = NodeSelectorTerm {
        match_expressions: vec![NodeSelectorRequirement {
            key: "color".into(),
            operator: NodeSelectorOperator::In,
            values: vec!["blue".into()],
        }],
        match_fields: vec![],
    };
    by_affinity.spec.template.spec.affinity = Some(Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![term],
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    add_ds(&mut sim, by_affinity);
    assert_eq!(counts(&sync(&mut sim)), (3, 0, vec![]));

    let mut sim = sim_with_nodes(7);
    let mut red = foo();
    red.spec
        .template
        .spec
        .node_selector
        .insert("color".into(), "red".into());
    add_ds(&mut sim, red);
    assert_eq!(counts(&sync(&mut sim)), (0, 0, vec![]));
}

#[test]
fn ds_4_template_node_name_limits_the_daemon_set_to_that_node() {
    for (node_name, selector, creates) in [
        ("node-0", false, 1),
        ("node-10", false, 0),
        ("node-0", true, 0),
        ("node-6", true, 1),
    ] {
        let mut sim = sim_with_nodes(7);
        for node in ["node-4", "node-5", "node-6"] {
            set_labels(&mut sim, node, &[("color", "blue")]);
        }
        let mut ds = foo();
        ds.spec.template.spec.node_name = Some(node_name.into());
        if selector {
            ds.spec
                .template
                .spec
                .node_selector
                .insert("color".into(), "blue".into());
        }
        add_ds(&mut sim, ds);
        assert_eq!(
            sync(&mut sim).creates.len(),
            creates,
            "nodeName {node_name}, selector {selector}"
        );
    }
}

#[test]
fn ds_5_deals_with_existing_pods_keeping_the_oldest() {
    let mut sim = sim_with_nodes(5);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    finish_all_pods(&mut sim);
    add_daemon_pod(&mut sim, "node-1", false);
    let oldest_on_2 = add_daemon_pod(&mut sim, "node-2", false);
    let later = sim.now() + SimDuration::from_secs(1);
    sim.cluster_mut().now = later;
    add_daemon_pod(&mut sim, "node-2", false);
    for _ in 0..5 {
        add_daemon_pod(&mut sim, "node-3", false);
    }
    let report = sync(&mut sim);
    assert_eq!((report.creates.len(), report.deletes.len()), (2, 5));
    assert!(
        !report.deletes.contains(&oldest_on_2),
        "the oldest pod on node-2 stays"
    );
}

/// Force-removes every pod, leaving the DaemonSet and its revision.
fn finish_all_pods(sim: &mut Sim) {
    let keys: Vec<ObjectKey> = sim
        .store()
        .pods()
        .iter()
        .map(|p| p.metadata.key())
        .collect();
    let now = sim.now();
    for key in keys {
        sim.cluster_mut()
            .store
            .delete::<Pod>(&key, now, Some(0))
            .expect("exists");
    }
}

#[test]
fn ds_7_not_ready_and_unreachable_nodes_without_no_schedule_taints_get_pods() {
    let cases = [
        (ConditionStatus::False, None),
        (ConditionStatus::False, Some(node::TAINT_NOT_READY)),
        (ConditionStatus::Unknown, Some(node::TAINT_UNREACHABLE)),
    ];
    for (ready, taint) in cases {
        let mut sim = sim_with_nodes(0);
        let mut node = Node::new("node-0");
        node.set_condition(NodeConditionType::Ready, ready, DEFAULT_START);
        if let Some(key) = taint {
            node.spec
                .taints
                .push(Taint::new(key, TaintEffect::NoExecute));
        }
        let now = sim.now();
        let cluster = sim.cluster_mut();
        cluster
            .store
            .create(node, now, &mut cluster.rng)
            .expect("valid node");
        add_ds(&mut sim, foo());
        assert_eq!(sync(&mut sim).creates.len(), 1, "{ready:?} {taint:?}");
    }
}

#[test]
fn ds_8_no_schedule_taints_block_new_pods_and_no_execute_taints_remove_running_ones() {
    let dedicated = |effect| Taint {
        key: "dedicated".into(),
        value: Some("user1".into()),
        effect,
        time_added: None,
    };
    let toleration = Toleration {
        key: Some("dedicated".into()),
        operator: None,
        value: Some("user1".into()),
        effect: Some(TaintEffect::NoSchedule),
        toleration_seconds: None,
    };
    for (tolerates, creates) in [(false, 0), (true, 1)] {
        let mut sim = sim_with_nodes(1);
        sim.submit(Command::AddTaint {
            node: "node-0".into(),
            taint: dedicated(TaintEffect::NoSchedule),
        })
        .expect("node");
        let mut ds = foo();
        if tolerates {
            ds.spec.template.spec.tolerations.push(toleration.clone());
        }
        add_ds(&mut sim, ds);
        assert_eq!(counts(&sync(&mut sim)), (creates, 0, vec![]));
    }
    for (effect, deletes) in [(TaintEffect::NoSchedule, 0), (TaintEffect::NoExecute, 1)] {
        let mut sim = sim_with_nodes(1);
        add_ds(&mut sim, foo());
        sync(&mut sim);
        bind_and_ready_all(&mut sim);
        sim.submit(Command::AddTaint {
            node: "node-0".into(),
            taint: dedicated(effect),
        })
        .expect("node");
        assert_eq!(counts(&sync(&mut sim)), (0, deletes, vec![]), "{effect:?}");
        if effect == TaintEffect::NoSchedule {
            assert_eq!(ds(&sim).status.number_misscheduled, 1);
        }
    }
}

#[test]
fn ds_9_pressure_cordon_and_network_conditions() {
    let mut sim = sim_with_nodes(1);
    for condition in [
        NodeConditionType::DiskPressure,
        NodeConditionType::MemoryPressure,
        NodeConditionType::PidPressure,
    ] {
        let cmd = Command::SetNodeCondition {
            node: "node-0".into(),
            condition,
            status: ConditionStatus::True,
        };
        sim.submit(cmd).expect("node");
    }
    add_ds(&mut sim, foo());
    assert_eq!(
        sync(&mut sim).creates.len(),
        1,
        "pressure taints are auto-tolerated"
    );

    let mut sim = sim_with_nodes(1);
    sim.submit(Command::Cordon {
        name: "node-0".into(),
    })
    .expect("node");
    add_ds(&mut sim, foo());
    assert_eq!(
        sync(&mut sim).creates.len(),
        1,
        "cordoned nodes still get daemon pods"
    );

    // The real NetworkUnavailable taint is tolerated only with hostNetwork.
    for (host_network, creates) in [(false, 0), (true, 1)] {
        let mut sim = sim_with_nodes(1);
        let cmd = Command::SetNodeCondition {
            node: "node-0".into(),
            condition: NodeConditionType::NetworkUnavailable,
            status: ConditionStatus::True,
        };
        sim.submit(cmd).expect("node");
        let mut ds = foo();
        ds.spec.template.spec.host_network = Some(host_network);
        add_ds(&mut sim, ds);
        assert_eq!(
            sync(&mut sim).creates.len(),
            creates,
            "hostNetwork {host_network}"
        );
    }
}

#[test]
fn ds_10_resources_are_not_the_controllers_business() {
    let mut sim = sim_with_nodes(0);
    sim.submit(Command::AddNode {
        node: Box::new(Node::with_resources("node-0", "200m", "100M", 110)),
    })
    .expect("node");
    let mut ds = foo();
    let requests: std::collections::BTreeMap<String, Quantity> =
        [("cpu", "500m"), ("memory", "1G")]
            .iter()
            .map(|(k, v)| (k.to_string(), Quantity::new(v)))
            .collect();
    ds.spec.template.spec.containers[0].resources = Some(ResourceRequirements {
        requests,
        ..Default::default()
    });
    add_ds(&mut sim, ds);
    assert_eq!(counts(&sync(&mut sim)), (1, 0, vec![]));
    sim.advance_by(SimDuration::from_secs(1)).expect("bounded");
    let pod = sim.store().pods().iter().next().cloned().expect("created");
    assert_eq!(
        pod.phase(),
        PodPhase::Pending,
        "the scheduler leaves it Pending"
    );
    let scheduled = pod
        .condition(PodConditionType::PodScheduled)
        .expect("tried");
    assert_eq!(scheduled.reason.as_deref(), Some("Unschedulable"));
    assert!(
        sim.events()
            .with_reason("FailedScheduling")
            .next()
            .is_some()
    );
    assert!(
        sim.events()
            .iter()
            .all(|e| e.event.source.component != DS || e.event.reason == "SuccessfulCreate")
    );
}

#[test]
fn ds_11_failed_pods_are_deleted_and_replaced_in_the_next_sync() {
    // (a) one normal pod: nothing to do; (b) no pods: one create.
    let mut sim = sim_with_nodes(1);
    add_ds(&mut sim, foo());
    assert_eq!(counts(&sync(&mut sim)), (1, 0, vec![]));
    bind_and_ready_all(&mut sim);
    assert_eq!(counts(&sync(&mut sim)), (0, 0, vec![]));

    // (c) one failed pod: delete it, no create, one FailedDaemonPod event.
    let name = sim
        .store()
        .pods()
        .iter()
        .next()
        .map(|p| p.metadata.name.clone())
        .expect("pod");
    sim.submit(Command::MarkPodFailed {
        namespace: "default".into(),
        pod: name.clone(),
    })
    .expect("pod");
    let report = sync(&mut sim);
    assert_eq!(counts(&report), (0, 1, vec!["FailedDaemonPod".to_string()]));
    let event = sim
        .events()
        .with_reason("FailedDaemonPod")
        .next()
        .expect("recorded")
        .event
        .clone();
    assert_eq!(
        event.message,
        format!("Found failed daemon pod default/{name} on node node-0, will try to kill it")
    );
    assert_eq!(event.type_, EventType::Warning);
    assert_eq!(
        counts(&sync(&mut sim)),
        (1, 0, vec![]),
        "the replacement comes in the next sync"
    );

    // (d) one failed and three normal pods: delete the failed one and two extras.
    let mut sim = sim_with_nodes(1);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    finish_all_pods(&mut sim);
    let failed = add_daemon_pod(&mut sim, "node-0", false);
    for _ in 0..3 {
        add_daemon_pod(&mut sim, "node-0", false);
    }
    sim.submit(Command::MarkPodFailed {
        namespace: "default".into(),
        pod: failed,
    })
    .expect("pod");
    assert_eq!(
        counts(&sync(&mut sim)),
        (0, 3, vec!["FailedDaemonPod".to_string()])
    );
}

#[test]
fn ds_11_a_terminating_pod_blocks_creation_without_surge() {
    let mut sim = sim_with_nodes(1);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    bind_and_ready_all(&mut sim);
    let pod = sim
        .store()
        .pods()
        .iter()
        .next()
        .map(|p| p.metadata.key())
        .expect("pod");
    let now = sim.now();
    sim.cluster_mut()
        .store
        .delete::<Pod>(&pod, now, None)
        .expect("exists");
    assert_eq!(counts(&sync(&mut sim)), (0, 0, vec![]));
}

#[test]
fn ds_13_status_counts_ready_pods_and_observed_generation() {
    let mut sim = sim_with_nodes(2);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    let pods: Vec<Pod> = sim.store().pods().iter().cloned().collect();
    for pod in &pods {
        let target = kubarium::sim::controllers::daemonset::target_node(pod);
        sim.cluster_mut()
            .store
            .modify::<Pod>(&pod.metadata.key(), |p| p.spec.node_name = target)
            .expect("exists");
    }
    sync(&mut sim);
    assert_eq!(ds(&sim).status.number_ready, 0);
    bind_and_ready_all(&mut sim);
    sync(&mut sim);
    let status = ds(&sim).status;
    assert_eq!(status.number_ready, 2);
    assert_eq!(status.observed_generation, ds(&sim).metadata.generation);
}

#[test]
fn ds_13_misscheduled_pod_on_a_newly_tainted_node() {
    let mut sim = sim_with_nodes(3);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    bind_and_ready_all(&mut sim);
    let taint = Taint {
        key: "x".into(),
        value: Some("y".into()),
        effect: TaintEffect::NoSchedule,
        time_added: None,
    };
    sim.submit(Command::AddTaint {
        node: "node-2".into(),
        taint,
    })
    .expect("node");
    sync(&mut sim);
    let s = ds(&sim).status;
    assert_eq!(
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_misscheduled
        ),
        (2, 2, 1)
    );
}

#[test]
fn ds_15_label_and_taint_changes_enqueue_the_daemon_set_but_allocatable_changes_do_not() {
    let mut sim = sim_with_nodes(1);
    let mut ds = foo();
    ds.spec
        .template
        .spec
        .node_selector
        .insert("color".into(), "blue".into());
    add_ds(&mut sim, ds);
    sim.advance_by(SimDuration::from_secs(1)).expect("bounded");
    assert!(sim.store().pods().is_empty());
    set_labels(&mut sim, "node-0", &[("color", "blue"), ("speed", "fast")]);
    assert!(
        sim.cluster().queue.any_sync_pending(&key()),
        "shouldRun flipped"
    );
    sim.advance_by(SimDuration::from_secs(1)).expect("bounded");
    assert_eq!(sim.store().pods().len(), 1);

    let taint = Taint::new("dedicated", TaintEffect::NoSchedule);
    sim.submit(Command::AddTaint {
        node: "node-0".into(),
        taint,
    })
    .expect("node");
    assert!(sim.cluster().queue.any_sync_pending(&key()));
    sim.advance_by(SimDuration::from_secs(1)).expect("bounded");
    sim.submit(Command::RemoveTaint {
        node: "node-0".into(),
        key: "dedicated".into(),
        effect: None,
    })
    .expect("tainted");
    assert!(
        sim.cluster().queue.any_sync_pending(&key()),
        "taint removed"
    );
    sim.advance_by(SimDuration::from_secs(1)).expect("bounded");

    sim.cluster_mut()
        .store
        .modify::<Node>(&ObjectKey::cluster("node-0"), |n| {
            n.status
                .allocatable
                .insert("cpu".into(), Quantity::new("8"));
        })
        .expect("node");
    sim.flush_changes();
    assert!(
        !sim.cluster().queue.any_sync_pending(&key()),
        "allocatable-only change does not enqueue"
    );
}

#[test]
fn ds_16_rolling_update_max_unavailable_2() {
    let mut sim = sim_with_nodes(5);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    bind_and_ready_all(&mut sim);
    sync(&mut sim);
    let mut updated = ds(&sim);
    updated.spec.template.spec.containers[0].image = Some("foo:2".into());
    updated.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::Int(2)),
            max_surge: Some(IntOrString::Int(0)),
        }),
    });
    sim.cluster_mut()
        .store
        .update(updated)
        .expect("valid update");
    let mut rounds = Vec::new();
    for step in [
        "sync", "sync", "ready", "sync", "sync", "ready", "sync", "sync", "ready", "sync",
    ] {
        if step == "ready" {
            bind_and_ready_all(&mut sim);
            continue;
        }
        let report = sync(&mut sim);
        rounds.push((report.creates.len(), report.deletes.len()));
        finish_terminations(&mut sim);
    }
    assert_eq!(
        rounds,
        vec![(0, 2), (2, 0), (0, 2), (2, 0), (0, 1), (1, 0), (0, 0)]
    );
    assert_eq!(ds(&sim).status.updated_number_scheduled, 5);
}

#[test]
fn ds_20_rolling_update_max_surge_2() {
    let mut sim = sim_with_nodes(5);
    add_ds(&mut sim, foo());
    sync(&mut sim);
    bind_and_ready_all(&mut sim);
    sync(&mut sim);
    let mut updated = ds(&sim);
    updated.spec.template.spec.containers[0].image = Some("foo:2".into());
    updated.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::Int(0)),
            max_surge: Some(IntOrString::Int(2)),
        }),
    });
    sim.cluster_mut()
        .store
        .update(updated)
        .expect("valid update");
    let mut rounds = Vec::new();
    for step in [
        "sync", "sync", "ready", "sync", "sync", "ready", "sync", "sync", "ready", "sync", "sync",
    ] {
        if step == "ready" {
            bind_and_ready_all(&mut sim);
            continue;
        }
        let report = sync(&mut sim);
        rounds.push((report.creates.len(), report.deletes.len()));
        finish_terminations(&mut sim);
    }
    assert_eq!(
        rounds,
        vec![
            (2, 0),
            (0, 0),
            (2, 2),
            (0, 0),
            (1, 2),
            (0, 0),
            (0, 1),
            (0, 0)
        ]
    );
}

#[test]
fn ds_22_empty_selector_only_records_selecting_all() {
    let mut sim = sim_with_nodes(2);
    let mut ds = foo();
    ds.spec.selector = Some(LabelSelector::default());
    let now = sim.now();
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create_unvalidated(ds, now, &mut cluster.rng)
        .expect("stored as a fake store would");
    sim.submit(Command::apply(Pod::new(
        "default",
        "unrelated",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    let report = sync(&mut sim);
    assert_eq!(counts(&report), (0, 0, vec!["SelectingAll".to_string()]));
    let event = sim
        .events()
        .with_reason("SelectingAll")
        .next()
        .expect("recorded")
        .event
        .clone();
    assert_eq!(
        event.message,
        "This daemon set is selecting all pods. A non-empty selector is required."
    );
    let unrelated = sim
        .store()
        .pods()
        .get(&ObjectKey::new("default", "unrelated"))
        .expect("untouched");
    assert!(unrelated.metadata.owner_references.is_empty());
}

#[test]
fn api_server_validates_rolling_update_and_selector() {
    let mut sim = sim_with_nodes(0);
    let mut both = foo();
    both.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::Int(1)),
            max_surge: Some(IntOrString::String("10%".into())),
        }),
    });
    let err = sim.submit(Command::apply(both)).expect_err("both non-zero");
    assert_eq!(
        err.to_string(),
        "DaemonSet.apps \"foo\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"10%\": may not be set when maxUnavailable is non-zero"
    );
    sim.submit(Command::apply(foo())).expect("valid");
    let mut moved = foo();
    moved.spec.selector = Some(LabelSelector::from_labels(&[("app", "other")]));
    moved
        .spec
        .template
        .metadata
        .labels
        .insert("app".into(), "other".into());
    let err = sim.submit(Command::apply(moved)).expect_err("immutable");
    assert_eq!(
        err.to_string(),
        "DaemonSet.apps \"foo\" is invalid: spec.selector: Invalid value: \
         &v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, \
         MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
}
