//! Scenario tests of the simulation core: scheduler, kubelet, node lifecycle, PodGC, garbage
//! collector and stepping, each on a fixed simulated clock with exact values.

use kubarium::sim::cluster::Settings;
use kubarium::sim::command::{Command, CommandError, Propagation};
use kubarium::sim::model::*;
use kubarium::sim::time::{SimDuration, SimTime};
use kubarium::sim::{DEFAULT_START, Sim, SimError};

fn secs(n: i64) -> SimDuration {
    SimDuration::from_secs(n)
}

fn at(n: i64) -> SimTime {
    DEFAULT_START + secs(n)
}

fn instant_sim(nodes: &[&str]) -> Sim {
    let mut sim = Sim::with_settings(7, Settings::instant());
    for node in nodes {
        sim.submit(Command::add_node(node)).expect("new node");
    }
    sim
}

fn pod(sim: &Sim, name: &str) -> Pod {
    sim.store()
        .pods()
        .get(&ObjectKey::new("default", name))
        .cloned()
        .expect("pod exists")
}

fn reasons_about(sim: &Sim, name: &str) -> Vec<String> {
    sim.events()
        .about(name)
        .map(|e| e.event.reason.clone())
        .collect()
}

fn messages_with(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .with_reason(reason)
        .map(|e| e.event.message.clone())
        .collect()
}

#[test]
fn a_pod_is_scheduled_pulled_started_and_ready_at_once_with_instant_settings() {
    let mut sim = instant_sim(&["worker-1"]);
    sim.submit(Command::apply(Pod::new(
        "default",
        "web",
        "nginx:1.25",
        &[],
    )))
    .expect("valid pod");
    sim.advance_by(secs(1)).expect("bounded");
    let web = pod(&sim, "web");
    assert_eq!(web.spec.node_name.as_deref(), Some("worker-1"));
    assert_eq!(web.phase(), PodPhase::Running);
    assert!(web.is_ready());
    assert_eq!(
        web.condition(PodConditionType::Ready)
            .and_then(|c| c.last_transition_time),
        Some(at(0))
    );
    assert_eq!(
        reasons_about(&sim, "web"),
        vec!["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    );
    assert_eq!(
        messages_with(&sim, "Scheduled"),
        vec!["Successfully assigned default/web to worker-1"]
    );
    assert_eq!(
        messages_with(&sim, "Pulled"),
        vec!["Successfully pulled image \"nginx:1.25\" in 0ms (0ms including waiting)"]
    );
}

#[test]
fn image_pull_time_and_relist_decide_when_the_pod_runs() {
    let mut sim = Sim::with_settings(3, Settings::default());
    sim.submit(Command::add_node("worker-1")).expect("new node");
    let mut web = Pod::new("default", "web", "nginx:1.25", &[]);
    web.metadata
        .annotations
        .insert("kubarium.dev/image-pull-seconds".into(), "2.5".into());
    sim.submit(Command::apply(web)).expect("valid pod");
    sim.advance_by(secs(2)).expect("bounded");
    assert_eq!(pod(&sim, "web").phase(), PodPhase::Pending);
    let container = &pod(&sim, "web").status.container_statuses[0];
    assert_eq!(
        container
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref()),
        Some("ContainerCreating")
    );
    let ready_at = sim
        .run_until(|s| pod(s, "web").is_ready(), secs(10))
        .expect("becomes ready");
    assert_eq!(
        ready_at,
        at(3),
        "pulled at 2.5 s, noticed at the next 1 s relist"
    );
    let second = Pod::new("default", "web-2", "nginx:1.25", &[]);
    sim.submit(Command::apply(second)).expect("valid pod");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(
        messages_with(&sim, "Pulled").last().map(String::as_str),
        Some("Container image \"nginx:1.25\" already present on machine")
    );
}

#[test]
fn failed_scheduling_is_worded_like_kube_scheduler() {
    let mut sim = Sim::with_settings(1, Settings::instant());
    let mut control = Node::with_resources("control-plane", "4", "8Gi", 110);
    control.spec.taints.push(Taint::new(
        node::LABEL_CONTROL_PLANE,
        TaintEffect::NoSchedule,
    ));
    sim.submit(Command::AddNode {
        node: Box::new(control),
    })
    .expect("new node");
    for name in ["worker-1", "worker-2", "worker-3"] {
        sim.submit(Command::AddNode {
            node: Box::new(Node::with_resources(name, "1", "8Gi", 110)),
        })
        .expect("new node");
    }
    let mut big = Pod::new("default", "big", "nginx:1.25", &[]);
    let mut requests = std::collections::BTreeMap::new();
    requests.insert("cpu".to_string(), Quantity::new("2"));
    big.spec.containers[0].resources = Some(ResourceRequirements {
        requests,
        ..Default::default()
    });
    sim.submit(Command::apply(big)).expect("valid pod");
    sim.advance_by(secs(1)).expect("bounded");
    let expected = "0/4 nodes are available: 1 node(s) had untolerated taint \
        {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are \
        available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for \
        incoming pod.";
    assert_eq!(messages_with(&sim, "FailedScheduling"), vec![expected]);
    let scheduled = pod(&sim, "big")
        .condition(PodConditionType::PodScheduled)
        .cloned()
        .expect("set");
    assert_eq!(
        (scheduled.status, scheduled.reason.as_deref()),
        (ConditionStatus::False, Some("Unschedulable"))
    );
    assert_eq!(scheduled.message.as_deref(), Some(expected));

    // A bigger node joining makes the scheduler retry and bind the pod.
    sim.submit(Command::AddNode {
        node: Box::new(Node::with_resources("worker-4", "8", "8Gi", 110)),
    })
    .expect("new node");
    sim.advance_by(secs(2)).expect("bounded");
    assert_eq!(pod(&sim, "big").spec.node_name.as_deref(), Some("worker-4"));
}

#[test]
fn no_nodes_means_no_nodes_available() {
    let mut sim = instant_sim(&[]);
    sim.submit(Command::apply(Pod::new(
        "default",
        "lonely",
        "nginx:1.25",
        &[],
    )))
    .expect("valid pod");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(
        messages_with(&sim, "FailedScheduling"),
        vec!["no nodes available to schedule pods"]
    );
}

#[test]
fn least_allocated_node_wins_and_ties_go_to_the_first_name() {
    let mut sim = instant_sim(&["worker-b", "worker-a"]);
    sim.submit(Command::apply(Pod::new(
        "default",
        "one",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_by(secs(1)).expect("bounded");
    sim.submit(Command::apply(Pod::new(
        "default",
        "two",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(pod(&sim, "one").spec.node_name.as_deref(), Some("worker-a"));
    assert_eq!(pod(&sim, "two").spec.node_name.as_deref(), Some("worker-b"));
}

#[test]
fn cordoned_node_gets_the_unschedulable_taint_and_refuses_new_pods() {
    let mut sim = instant_sim(&["worker-1"]);
    let outcome = sim
        .submit(Command::Cordon {
            name: "worker-1".into(),
        })
        .expect("exists");
    assert_eq!(outcome.message, "node/worker-1 cordoned");
    let node = sim
        .store()
        .nodes()
        .get(&ObjectKey::cluster("worker-1"))
        .cloned()
        .expect("exists");
    assert!(node.has_taint(node::TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule));
    sim.submit(Command::apply(Pod::new(
        "default",
        "web",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(
        messages_with(&sim, "FailedScheduling"),
        vec![
            "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
        ]
    );
    sim.submit(Command::Uncordon {
        name: "worker-1".into(),
    })
    .expect("exists");
    sim.advance_by(secs(2)).expect("bounded");
    assert_eq!(pod(&sim, "web").spec.node_name.as_deref(), Some("worker-1"));
}

#[test]
fn crash_loop_back_off_waits_10_20_40_seconds() {
    let mut sim = instant_sim(&["worker-1"]);
    let crasher = Pod::new(
        "default",
        "crasher",
        "busybox:1.36",
        &["sh", "-c", "sleep 1; exit 1"],
    );
    sim.submit(Command::apply(crasher)).expect("valid");
    let mut starts = Vec::new();
    let mut last_count = -1;
    for second in 0..120 {
        sim.advance_to(at(second)).expect("bounded");
        let status = pod(&sim, "crasher").status.container_statuses[0].clone();
        if status.state.running.is_some() && status.restart_count != last_count {
            last_count = status.restart_count;
            starts.push(second);
        }
    }
    // Runs 1 s each: exits at 1, restarts at once; exits at 2, waits 10; exits at 13, waits 20;
    // exits at 34, waits 40; exits at 75, waits 80.
    assert_eq!(starts, vec![0, 1, 12, 33, 74]);
    let status = &pod(&sim, "crasher").status.container_statuses[0];
    assert_eq!(status.restart_count, 4);
    assert_eq!(pod(&sim, "crasher").phase(), PodPhase::Running);
    assert!(
        messages_with(&sim, "BackOff")[0]
            .starts_with("Back-off restarting failed container main in pod crasher_default(")
    );
}

#[test]
fn restart_policy_never_ends_succeeded_or_failed() {
    let mut sim = instant_sim(&["worker-1"]);
    let mut ok = Pod::new(
        "default",
        "ok",
        "busybox:1.36",
        &["sh", "-c", "echo hello; sleep 5"],
    );
    ok.spec.restart_policy = Some(RestartPolicy::Never);
    let mut bad = Pod::new(
        "default",
        "bad",
        "busybox:1.36",
        &["sh", "-c", "sleep 3; exit 2"],
    );
    bad.spec.restart_policy = Some(RestartPolicy::Never);
    sim.submit(Command::apply(ok)).expect("valid");
    sim.submit(Command::apply(bad)).expect("valid");
    sim.advance_to(at(4)).expect("bounded");
    assert_eq!(pod(&sim, "bad").phase(), PodPhase::Failed);
    assert_eq!(pod(&sim, "ok").phase(), PodPhase::Running);
    sim.advance_to(at(5)).expect("bounded");
    let ok = pod(&sim, "ok");
    assert_eq!(ok.phase(), PodPhase::Succeeded);
    let terminated = ok.status.container_statuses[0]
        .state
        .terminated
        .clone()
        .expect("ended");
    assert_eq!(
        (terminated.exit_code, terminated.reason.as_deref()),
        (0, Some("Completed"))
    );
    assert_eq!(terminated.finished_at, Some(at(5)));
    let logs = sim
        .cluster()
        .kubelets
        .logs(&ok.metadata.uid, "main", sim.now(), false)
        .expect("ran");
    assert_eq!(logs, vec!["hello"]);
    let bad = pod(&sim, "bad");
    assert_eq!(
        bad.status.container_statuses[0]
            .state
            .terminated
            .as_ref()
            .map(|t| t.exit_code),
        Some(2)
    );
}

#[test]
fn deleting_a_running_pod_waits_for_its_containers_to_stop() {
    let mut settings = Settings::instant();
    settings.container_stop_ms = 4_000;
    let mut sim = Sim::with_settings(5, settings);
    sim.submit(Command::add_node("worker-1")).expect("new node");
    sim.submit(Command::apply(Pod::new(
        "default",
        "web",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_to(at(10)).expect("bounded");
    sim.submit(Command::delete(Kind::Pod, "default", "web"))
        .expect("exists");
    let terminating = pod(&sim, "web");
    assert_eq!(
        terminating.metadata.deletion_timestamp,
        Some(at(40)),
        "now + 30 s grace"
    );
    assert_eq!(terminating.metadata.deletion_grace_period_seconds, Some(30));
    sim.advance_to(at(13)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_some()
    );
    sim.advance_to(at(14)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_none()
    );
    assert_eq!(
        messages_with(&sim, "Killing"),
        vec!["Stopping container main"]
    );
}

#[test]
fn a_stopped_node_goes_unknown_after_50s_and_its_pods_are_evicted_300s_later() {
    let mut sim = instant_sim(&["worker-1", "worker-2"]);
    let mut web = Pod::new("default", "web", "nginx:1.25", &[]);
    web.spec
        .node_selector
        .insert(node::LABEL_HOSTNAME.into(), "worker-1".into());
    sim.submit(Command::apply(web)).expect("valid");
    sim.advance_to(at(10)).expect("bounded");
    sim.submit(Command::StopNode {
        name: "worker-1".into(),
    })
    .expect("running");
    sim.advance_to(at(59)).expect("bounded");
    let node = sim
        .store()
        .nodes()
        .get(&ObjectKey::cluster("worker-1"))
        .cloned()
        .expect("exists");
    assert_eq!(
        node.condition_status(NodeConditionType::Ready),
        Some(ConditionStatus::True)
    );
    sim.advance_to(at(60)).expect("bounded");
    let node = sim
        .store()
        .nodes()
        .get(&ObjectKey::cluster("worker-1"))
        .cloned()
        .expect("exists");
    assert_eq!(
        node.condition_status(NodeConditionType::Ready),
        Some(ConditionStatus::Unknown)
    );
    assert!(node.has_taint(node::TAINT_UNREACHABLE, TaintEffect::NoSchedule));
    assert!(node.has_taint(node::TAINT_UNREACHABLE, TaintEffect::NoExecute));
    assert!(!pod(&sim, "web").is_ready());
    sim.advance_to(at(359)).expect("bounded");
    assert!(pod(&sim, "web").metadata.deletion_timestamp.is_none());
    sim.advance_to(at(360)).expect("bounded");
    let evicted = pod(&sim, "web");
    assert!(
        evicted.metadata.deletion_timestamp.is_some(),
        "evicted 300 s after the taint"
    );
    let target = evicted
        .condition(PodConditionType::DisruptionTarget)
        .cloned()
        .expect("set");
    assert_eq!(target.reason.as_deref(), Some("DeletionByTaintManager"));
    assert_eq!(
        messages_with(&sim, "TaintManagerEviction"),
        vec!["Marking for deletion Pod default/web"]
    );
    // The node's kubelet is off, so the pod stays Terminating until the node comes back.
    sim.advance_to(at(500)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_some()
    );
    sim.submit(Command::StartNode {
        name: "worker-1".into(),
    })
    .expect("stopped");
    sim.advance_to(at(501)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_none()
    );
    let node = sim
        .store()
        .nodes()
        .get(&ObjectKey::cluster("worker-1"))
        .cloned()
        .expect("exists");
    assert_eq!(
        node.condition_status(NodeConditionType::Ready),
        Some(ConditionStatus::True)
    );
    assert!(node.spec.taints.is_empty());
}

#[test]
fn pod_gc_removes_pods_of_a_deleted_node_after_the_40s_quarantine() {
    let mut sim = instant_sim(&["worker-1"]);
    sim.submit(Command::apply(Pod::new(
        "default",
        "web",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    sim.submit(Command::DeleteNode {
        name: "worker-1".into(),
    })
    .expect("exists");
    // PodGC ticks at 20 s, 40 s, 60 s from the start: first sees the node missing at 20 s,
    // deletes at the first tick at least 40 s later (60 s).
    sim.advance_to(at(59)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_some()
    );
    sim.advance_to(at(60)).expect("bounded");
    assert!(
        sim.store()
            .pods()
            .get(&ObjectKey::new("default", "web"))
            .is_none()
    );
}

#[test]
fn garbage_collector_honours_background_orphan_and_foreground() {
    for (propagation, pods_left) in [
        (Propagation::Background, 0),
        (Propagation::Orphan, 2),
        (Propagation::Foreground, 0),
    ] {
        let mut sim = instant_sim(&["worker-1", "worker-2"]);
        sim.submit(Command::apply(DaemonSet::new(
            "default", "agent", "agent:1",
        )))
        .expect("valid");
        sim.advance_to(at(5)).expect("bounded");
        assert_eq!(sim.store().pods().len(), 2);
        let delete = Command::Delete {
            kind: Kind::DaemonSet,
            namespace: "default".into(),
            name: "agent".into(),
            propagation,
            grace_period_secs: None,
        };
        sim.submit(delete).expect("exists");
        sim.advance_to(at(60)).expect("bounded");
        assert_eq!(sim.store().pods().len(), pods_left, "{propagation:?}");
        assert!(sim.store().daemon_sets().is_empty(), "{propagation:?}");
        for pod in sim.store().pods().iter() {
            assert!(
                pod.metadata.owner_references.is_empty(),
                "orphaned pods lose their owner"
            );
        }
    }
}

#[test]
fn commands_on_missing_targets_are_errors_not_panics() {
    let mut sim = instant_sim(&["worker-1"]);
    let missing = sim
        .submit(Command::Cordon {
            name: "nope".into(),
        })
        .expect_err("no such node");
    assert_eq!(missing.to_string(), "nodes \"nope\" not found");
    let twice = sim
        .submit(Command::StartNode {
            name: "worker-1".into(),
        })
        .expect_err("running");
    assert_eq!(
        twice,
        CommandError::Rejected("node \"worker-1\" is already running".into())
    );
    let taint = Taint::new("dedicated", TaintEffect::NoSchedule);
    sim.submit(Command::AddTaint {
        node: "worker-1".into(),
        taint: taint.clone(),
    })
    .expect("first");
    let again = sim
        .submit(Command::AddTaint {
            node: "worker-1".into(),
            taint,
        })
        .expect_err("duplicate");
    assert_eq!(
        again.to_string(),
        "node worker-1 already has dedicated taint(s) with same effect(s) and --overwrite is false"
    );
    let kill = Command::KillContainer {
        namespace: "default".into(),
        pod: "ghost".into(),
        container: None,
        exit_code: 1,
    };
    assert_eq!(
        sim.submit(kill).expect_err("no pod").to_string(),
        "pods \"ghost\" not found"
    );
    let mut invalid = DaemonSet::new("default", "bad", "agent:1");
    invalid.spec.selector = None;
    let refused = sim
        .submit(Command::apply(invalid))
        .expect_err("no selector");
    assert_eq!(
        refused.to_string(),
        "DaemonSet.apps \"bad\" is invalid: spec.selector: Required value"
    );
}

#[test]
fn stepping_is_bounded() {
    let mut settings = Settings::instant();
    settings.max_items_per_call = 10;
    let mut sim = Sim::with_settings(1, settings);
    for i in 0..20 {
        sim.submit(Command::add_node(&format!("worker-{i}")))
            .expect("new node");
    }
    sim.submit(Command::apply(DaemonSet::new(
        "default", "agent", "agent:1",
    )))
    .expect("valid");
    let err = sim
        .advance_by(secs(10))
        .expect_err("too much work for 10 items");
    assert_eq!(
        err,
        SimError::Overrun {
            limit: 10,
            at: at(0)
        }
    );
    let deadline = sim.run_until(|_| false, secs(5)).expect_err("never true");
    assert!(matches!(
        deadline,
        SimError::DeadlineReached { .. } | SimError::Overrun { .. }
    ));
}

#[test]
fn kill_container_restarts_it_under_restart_policy_always() {
    let mut sim = instant_sim(&["worker-1"]);
    sim.submit(Command::apply(Pod::new(
        "default",
        "web",
        "nginx:1.25",
        &[],
    )))
    .expect("valid");
    sim.advance_to(at(5)).expect("bounded");
    let kill = Command::KillContainer {
        namespace: "default".into(),
        pod: "web".into(),
        container: None,
        exit_code: 137,
    };
    sim.submit(kill).expect("running");
    sim.advance_to(at(6)).expect("bounded");
    let status = pod(&sim, "web").status.container_statuses[0].clone();
    assert_eq!(status.restart_count, 1);
    assert!(status.state.running.is_some());
    assert_eq!(status.last_state.terminated.map(|t| t.exit_code), Some(137));
}
