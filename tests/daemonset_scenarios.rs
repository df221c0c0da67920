//! DaemonSet scenarios run end to end on the simulated clock: scheduler, kubelets and node
//! lifecycle included, exact counts and times.

use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::controllers::daemonset::CONTROLLER_REVISION_HASH;
use kubarium::sim::model::*;
use kubarium::sim::time::{SimDuration, SimTime};
use kubarium::sim::{DEFAULT_START, Sim};

fn at(secs: i64) -> SimTime {
    DEFAULT_START + SimDuration::from_secs(secs)
}

fn cluster(nodes: usize) -> Sim {
    let mut sim = Sim::with_settings(21, Settings::instant());
    for i in 1..=nodes {
        sim.submit(Command::add_node(&format!("worker-{i}")))
            .expect("new node");
    }
    sim
}

fn status(sim: &Sim) -> (i32, i32, i32, i32, i32) {
    let s = &sim
        .store()
        .daemon_sets()
        .get(&ObjectKey::new("default", "fluentd"))
        .expect("exists")
        .status;
    (
        s.desired_number_scheduled,
        s.current_number_scheduled,
        s.number_ready,
        s.number_available,
        s.number_misscheduled,
    )
}

fn fluentd() -> DaemonSet {
    DaemonSet::new("default", "fluentd", "fluentd:v1")
}

fn live_pods_on(sim: &Sim, node: &str) -> usize {
    sim.store()
        .pods()
        .iter()
        .filter(|p| p.node_name() == Some(node) && p.is_active())
        .count()
}

#[test]
fn launch_on_three_nodes_reaches_ready_with_explained_events() {
    let mut sim = cluster(3);
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(0)).expect("bounded");
    assert_eq!(status(&sim), (3, 3, 3, 3, 0));
    let creates: Vec<_> = sim.events().with_reason("SuccessfulCreate").collect();
    assert_eq!(creates.len(), 3);
    let first = creates[0];
    let pod = first
        .event
        .message
        .strip_prefix("Created pod: ")
        .expect("kubectl wording");
    assert_eq!(
        first.why,
        format!(
            "node worker-1 has no taint the DaemonSet does not tolerate and has no daemon pod, so the DaemonSet controller created {pod}"
        )
    );
}

#[test]
fn a_new_node_gets_a_pod_and_a_deleted_node_loses_it_to_pod_gc() {
    let mut sim = cluster(2);
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    sim.submit(Command::add_node("worker-3")).expect("new node");
    sim.advance_to(at(6)).expect("bounded");
    assert_eq!(status(&sim), (3, 3, 3, 3, 0));
    sim.submit(Command::DeleteNode {
        name: "worker-3".into(),
    })
    .expect("exists");
    sim.advance_to(at(59)).expect("bounded");
    assert_eq!(
        live_pods_on(&sim, "worker-3"),
        1,
        "PodGC waits for the quarantine"
    );
    sim.advance_to(at(60)).expect("bounded");
    assert_eq!(live_pods_on(&sim, "worker-3"), 0);
    assert_eq!(status(&sim), (2, 2, 2, 2, 0));
}

#[test]
fn c1_control_plane_taint_excludes_the_node_unless_tolerated() {
    let mut sim = cluster(2);
    let mut control = Node::new("control-plane");
    control.spec.taints.push(Taint::new(
        node::LABEL_CONTROL_PLANE,
        TaintEffect::NoSchedule,
    ));
    sim.submit(Command::AddNode {
        node: Box::new(control),
    })
    .expect("new node");
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(1)).expect("bounded");
    assert_eq!(status(&sim), (2, 2, 2, 2, 0));
    let mut tolerant = fluentd();
    tolerant
        .spec
        .template
        .spec
        .tolerations
        .push(Toleration::exists(
            node::LABEL_CONTROL_PLANE,
            TaintEffect::NoSchedule,
        ));
    sim.submit(Command::apply(tolerant)).expect("valid");
    sim.advance_to(at(30)).expect("bounded");
    assert_eq!(status(&sim).0, 3);
    assert_eq!(live_pods_on(&sim, "control-plane"), 1);
}

#[test]
fn c2_cordoned_nodes_still_run_daemon_pods() {
    let mut sim = cluster(1);
    sim.submit(Command::Cordon {
        name: "worker-1".into(),
    })
    .expect("node");
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(1)).expect("bounded");
    assert_eq!(status(&sim), (1, 1, 1, 1, 0));
}

#[test]
fn c4_a_powered_off_node_keeps_its_daemon_pod_as_misscheduled_and_never_evicts_it() {
    let mut sim = cluster(3);
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(10)).expect("bounded");
    sim.submit(Command::StopNode {
        name: "worker-2".into(),
    })
    .expect("running");
    sim.advance_to(at(59)).expect("bounded");
    assert_eq!(status(&sim), (3, 3, 3, 3, 0));
    sim.advance_to(at(60)).expect("bounded");
    assert_eq!(
        status(&sim),
        (2, 2, 2, 2, 1),
        "unreachable:NoSchedule is not tolerated"
    );
    sim.advance_to(at(1000)).expect("bounded");
    assert_eq!(
        live_pods_on(&sim, "worker-2"),
        1,
        "unreachable:NoExecute is tolerated forever"
    );
    sim.submit(Command::StartNode {
        name: "worker-2".into(),
    })
    .expect("stopped");
    sim.advance_to(at(1001)).expect("bounded");
    assert_eq!(status(&sim), (3, 3, 3, 3, 0));
    let pod = sim
        .store()
        .pods()
        .iter()
        .find(|p| p.node_name() == Some("worker-2"))
        .expect("kept");
    assert_eq!(
        pod.status.container_statuses[0].restart_count, 1,
        "restarted after the power cut"
    );
}

#[test]
fn untolerated_no_execute_taint_deletes_the_pod_and_label_loss_too() {
    let mut sim = cluster(2);
    let mut picky = fluentd();
    picky
        .spec
        .template
        .spec
        .node_selector
        .insert("logging".into(), "on".into());
    for node in ["worker-1", "worker-2"] {
        let cmd = Command::SetLabel {
            kind: Kind::Node,
            namespace: String::new(),
            name: node.into(),
            key: "logging".into(),
            value: "on".into(),
        };
        sim.submit(cmd).expect("node");
    }
    sim.submit(Command::apply(picky)).expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    assert_eq!(status(&sim), (2, 2, 2, 2, 0));
    let taint = Taint {
        key: "maintenance".into(),
        value: None,
        effect: TaintEffect::NoExecute,
        time_added: None,
    };
    sim.submit(Command::AddTaint {
        node: "worker-1".into(),
        taint,
    })
    .expect("node");
    sim.submit(Command::RemoveLabel {
        kind: Kind::Node,
        namespace: String::new(),
        name: "worker-2".into(),
        key: "logging".into(),
    })
    .expect("node");
    sim.advance_to(at(6)).expect("bounded");
    assert_eq!(status(&sim), (0, 0, 0, 0, 0));
    assert_eq!(
        live_pods_on(&sim, "worker-1") + live_pods_on(&sim, "worker-2"),
        0
    );
    // The taint manager evicts the pod on worker-1 first (it tolerates no such taint), so the
    // DaemonSet controller only deletes the pod on the node that lost its label.
    assert_eq!(sim.events().with_reason("TaintManagerEviction").count(), 1);
    assert_eq!(sim.events().with_reason("SuccessfulDelete").count(), 1);
}

#[test]
fn c6_failed_daemon_pods_are_replaced_with_a_doubling_back_off() {
    let mut sim = cluster(1);
    sim.submit(Command::apply(fluentd())).expect("valid");
    sim.advance_to(at(1)).expect("bounded");
    let mut deletion_times = Vec::new();
    for round in 0..4 {
        let pod = sim
            .store()
            .pods()
            .iter()
            .find(|p| p.is_active())
            .map(|p| p.metadata.name.clone())
            .expect("a live pod");
        sim.submit(Command::MarkPodFailed {
            namespace: "default".into(),
            pod: pod.clone(),
        })
        .expect("pod");
        let gone = sim.run_until(
            |s| {
                s.store()
                    .pods()
                    .get(&ObjectKey::new("default", &pod))
                    .is_none_or(|p| p.metadata.deletion_timestamp.is_some())
            },
            SimDuration::from_mins(30),
        );
        deletion_times.push((gone.expect("deleted") - at(1)).as_ms());
        let _ = round;
    }
    // The first deletion is immediate and sets 1 s; each failure right after a deletion waits
    // for the remaining back-off, which doubles: 1 s, 2 s, 4 s.
    assert_eq!(deletion_times, vec![0, 1_000, 3_000, 7_000]);
    assert_eq!(sim.events().with_reason("FailedDaemonPod").count(), 4);
}

#[test]
fn ds_13_min_ready_seconds_makes_pods_available_strictly_after_30s() {
    // Pods turn Ready at 0 s. The pod-ready handler asks for a sync at 31 s, but the status
    // write asks for one at 30 s, and a delaying queue keeps only the earlier request. At exactly
    // 30 s the pods are not yet available (strictly after), so the next look is 30 s later.
    let mut sim = cluster(2);
    let mut slow = fluentd();
    slow.spec.min_ready_seconds = Some(30);
    sim.submit(Command::apply(slow)).expect("valid");
    sim.advance_to(at(30)).expect("bounded");
    assert_eq!(status(&sim), (2, 2, 2, 0, 0));
    sim.advance_to(at(59)).expect("bounded");
    assert_eq!(status(&sim), (2, 2, 2, 0, 0));
    sim.advance_to(at(60)).expect("bounded");
    assert_eq!(status(&sim), (2, 2, 2, 2, 0));
}

#[test]
fn rolling_update_completes_and_history_is_trimmed() {
    let mut sim = cluster(4);
    let mut ds = fluentd();
    ds.spec.revision_history_limit = Some(1);
    sim.submit(Command::apply(ds.clone())).expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    for (i, image) in ["fluentd:v2", "fluentd:v3", "fluentd:v4"]
        .iter()
        .enumerate()
    {
        ds.spec.template.spec.containers[0].image = Some(image.to_string());
        sim.submit(Command::apply(ds.clone()))
            .expect("valid update");
        let done = sim.run_until(
            |s| {
                let d = s.store().daemon_sets().iter().next().expect("exists");
                d.status.observed_generation == d.metadata.generation
                    && d.status.updated_number_scheduled == 4
                    && d.status.number_available == 4
            },
            SimDuration::from_mins(10),
        );
        assert!(done.is_ok(), "update {i} completes");
    }
    assert_eq!(
        sim.store().controller_revisions().len(),
        2,
        "current plus one old revision"
    );
    let hashes: std::collections::BTreeSet<_> = sim
        .store()
        .pods()
        .iter()
        .filter(|p| p.is_active())
        .filter_map(|p| p.metadata.labels.get(CONTROLLER_REVISION_HASH).cloned())
        .collect();
    assert_eq!(hashes.len(), 1);
    assert!(
        sim.store()
            .pods()
            .iter()
            .filter(|p| p.is_active())
            .all(|p| p.spec.containers[0].image.as_deref() == Some("fluentd:v4"))
    );
}

#[test]
fn on_delete_replaces_only_deleted_pods() {
    let mut sim = cluster(2);
    let mut ds = fluentd();
    ds.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some(DaemonSetUpdateStrategyType::OnDelete),
        rolling_update: None,
    });
    sim.submit(Command::apply(ds.clone())).expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    ds.spec.template.spec.containers[0].image = Some("fluentd:v2".into());
    sim.submit(Command::apply(ds)).expect("valid");
    sim.advance_to(at(60)).expect("bounded");
    let images = |s: &Sim| -> Vec<String> {
        s.store()
            .pods()
            .iter()
            .filter(|p| p.is_active())
            .map(|p| p.spec.containers[0].image.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(images(&sim), vec!["fluentd:v1", "fluentd:v1"]);
    let victim = sim
        .store()
        .pods()
        .iter()
        .find(|p| p.node_name() == Some("worker-1"))
        .map(|p| p.metadata.name.clone())
        .expect("pod");
    sim.submit(Command::delete(Kind::Pod, "default", &victim))
        .expect("exists");
    sim.advance_to(at(120)).expect("bounded");
    let mut now_images = images(&sim);
    now_images.sort();
    assert_eq!(now_images, vec!["fluentd:v1", "fluentd:v2"]);
    let s = sim
        .store()
        .daemon_sets()
        .iter()
        .next()
        .expect("exists")
        .status
        .clone();
    assert_eq!(s.updated_number_scheduled, 1);
}
