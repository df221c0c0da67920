//! Scenario files: the default scenario, the node shorthand, the timeline and bad input.

use super::*;
use crate::sim::model::{Kind, ObjectKey, PodPhase};

fn run(text: &str, until_secs: i64) -> Runner {
    let scenario = Scenario::parse(text).expect("valid scenario");
    let (mut runner, _) = Runner::new(scenario, None).expect("loads");
    runner
        .run_to(SimDuration::from_secs(until_secs))
        .expect("bounded run");
    runner
}

fn parse_err(text: &str) -> String {
    Scenario::parse(text).expect_err("invalid").to_string()
}

const HEADER: &str = "apiVersion: kubarium.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: t\n";

#[test]
fn default_scenario_builds_a_kubeadm_cluster_with_the_kubernetes_io_examples() {
    let scenario = Scenario::parse(DEFAULT).expect("the embedded default parses");
    assert_eq!(scenario.seed, 42);
    assert_eq!(scenario.start, crate::sim::DEFAULT_START);
    let (mut runner, loaded) = Runner::new(scenario, None).expect("loads");
    assert_eq!(loaded.skipped, Vec::<String>::new());
    runner
        .run_to(SimDuration::from_secs(90))
        .expect("bounded run");
    let store = runner.sim.store();
    let nodes: Vec<&str> = store.nodes().iter().map(|n| n.name()).collect();
    assert_eq!(
        nodes,
        vec!["control-plane", "worker-1", "worker-2", "worker-3"]
    );
    let control_plane = store
        .nodes()
        .get(&ObjectKey::cluster("control-plane"))
        .expect("node");
    assert!(
        control_plane
            .metadata
            .labels
            .contains_key(LABEL_CONTROL_PLANE)
    );
    assert!(control_plane.has_taint(LABEL_CONTROL_PLANE, TaintEffect::NoSchedule));
    let mut fluentd_nodes: Vec<&str> = store
        .pods()
        .in_namespace("kube-system")
        .filter(|p| p.phase() == PodPhase::Running)
        .filter_map(|p| p.node_name())
        .collect();
    fluentd_nodes.sort();
    assert_eq!(
        fluentd_nodes,
        vec!["control-plane", "worker-1", "worker-2", "worker-3"]
    );
    let nginx = store
        .get::<crate::sim::model::Deployment>(&ObjectKey::new("default", "nginx-deployment"))
        .expect("the nginx Deployment is applied");
    assert_eq!(nginx.status.available_replicas, 3);
    let hello = store
        .get::<crate::sim::model::CronJob>(&ObjectKey::new("default", "hello"))
        .expect("the hello CronJob is applied");
    assert_eq!(
        hello
            .status
            .last_schedule_time
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2024-01-01T00:01:00Z")
    );
    let ds = store.daemon_sets().iter().next().expect("fluentd");
    assert_eq!(ds.status.desired_number_scheduled, 4);
    assert_eq!(ds.status.number_ready, 4);
    assert!(
        store
            .get_object(Kind::Job, &ObjectKey::new("default", "pi"))
            .is_some(),
        "the pi Job is applied"
    );
}

#[test]
fn timeline_actions_run_at_their_offsets_in_time_order() {
    let text = format!(
        "{HEADER}spec:\n  kubelet: {{imagePullMin: 0s, imagePullMax: 0s}}\n  nodes:\n    \
         workers: 2\n  timeline:\n  - at: 2m\n    kubectl: get nodes\n  - at: 30s\n    \
         stopNode: worker-2\n  - at: 3m\n    addNodes: {{count: 1}}\n  - at: 4m\n    \
         startNode: worker-2\n"
    );
    let runner = run(&text, 5 * 60);
    let what: Vec<(i64, &str)> = runner
        .log
        .iter()
        .map(|l| (l.at.as_ms() / 1000, l.what.as_str()))
        .collect();
    assert_eq!(
        what,
        vec![
            (30, "stopNode worker-2"),
            (120, "kubectl get nodes"),
            (180, "addNodes 1"),
            (240, "startNode worker-2"),
        ]
    );
    // The node monitor grace period (50 s) passed since the stop: NotReady at 2m.
    assert_eq!(
        runner.log[1].output.stdout,
        "NAME       STATUS     ROLES    AGE   VERSION\n\
         worker-1   Ready      <none>   2m    v1.34.0\n\
         worker-2   NotReady   <none>   2m    v1.34.0\n"
    );
    assert_eq!(runner.log[2].output.stdout, "node/worker-3 created\n");
    assert_eq!(runner.sim.store().nodes().len(), 3);
}

#[test]
fn crash_container_restarts_a_daemon_pod() {
    let text = format!(
        "{HEADER}spec:\n  kubelet: {{imagePullMin: 0s, imagePullMax: 0s}}\n  nodes:\n    \
         workers: 1\n  timeline:\n  - at: 10s\n    kubectl: get pods -o name\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: \
         web\n    image: nginx:1.27\n"
    );
    let mut runner = run(&text, 10);
    assert_eq!(runner.log[0].output.stdout, "pod/web\n");
    runner
        .sim
        .submit(Command::KillContainer {
            namespace: "default".into(),
            pod: "web".into(),
            container: None,
            exit_code: 137,
        })
        .expect("running container");
    runner
        .run_to(SimDuration::from_secs(30))
        .expect("bounded run");
    let pod = runner.sim.store().pods().iter().next().expect("web");
    assert_eq!(pod.status.container_statuses[0].restart_count, 1);
    let last = pod.status.container_statuses[0]
        .last_state
        .terminated
        .as_ref();
    assert_eq!(last.map(|t| t.exit_code), Some(137));
}

#[test]
fn scenario_errors_name_the_field_and_quote_the_value() {
    assert_eq!(
        parse_err("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"),
        "no document of kind Scenario (apiVersion kubarium.dev/v1alpha1)"
    );
    assert_eq!(
        parse_err(&format!("{HEADER}spec:\n  startTime: yesterday\n")),
        "Scenario spec.startTime: Invalid value: \"yesterday\": not an RFC 3339 time (such as \
         \"2024-01-01T00:00:00Z\")"
    );
    assert_eq!(
        parse_err(&format!(
            "{HEADER}spec:\n  timeline:\n  - at: 5x\n    kubectl: get pods\n"
        )),
        "Scenario spec.timeline[0].at: Invalid value: \"5x\": time: unknown unit \"x\" in \
         duration \"5x\""
    );
    assert_eq!(
        parse_err(&format!(
            "{HEADER}spec:\n  kubelet:\n    imagePullMin: fast\n"
        )),
        "Scenario spec.kubelet.imagePullMin: Invalid value: \"fast\": time: invalid duration \
         \"fast\""
    );
    assert_eq!(
        parse_err(&format!("{HEADER}spec:\n  timeline:\n  - at: 1s\n")),
        "Scenario spec.timeline[0]: Required value: one of kubectl, stopNode, startNode, \
         crashContainer, addNodes"
    );
    assert_eq!(
        parse_err(&format!("{HEADER}spec:\n  seed: many\n")),
        "Scenario spec.seed: invalid type: string \"many\", expected u64"
    );
    let zone = parse_err(&format!("{HEADER}spec:\n  timeZone: Mars/Olympus\n"));
    assert!(
        zone.starts_with("Scenario spec.timeZone: Invalid value: \"Mars/Olympus\": "),
        "{zone}"
    );
    let unknown = parse_err(&format!("{HEADER}spec:\n  sead: 1\n"));
    assert!(
        unknown.starts_with("Scenario spec.sead: unknown field `sead`"),
        "{unknown}"
    );
    assert_eq!(
        parse_err(&format!("{HEADER}spec:\n  include: [nope.yaml]\n")),
        "include: no embedded file named \"nope.yaml\""
    );
}

#[test]
fn a_saved_scenario_loads_back_into_the_same_objects() {
    let text = format!(
        "{HEADER}spec:\n  kubelet: {{imagePullMin: 0s, imagePullMax: 0s}}\n  nodes:\n    \
         controlPlanes: 1\n    workers: 2\n  include: [fluentd-elasticsearch.yaml]\n"
    );
    let runner = run(&text, 60);
    let saved = Scenario::to_yaml(&runner.sim, "saved");
    let again = run(&saved, 60);
    assert_eq!(
        crate::manifest::export_cluster(again.sim.store(), true),
        crate::manifest::export_cluster(runner.sim.store(), true)
    );
    assert_eq!(again.sim.store().pods().len(), 3);
}

#[test]
fn the_node_shorthand_names_labels_taints_and_sizes_nodes() {
    let text = format!(
        "{HEADER}spec:\n  nodes:\n    controlPlanes: 2\n    workers: 1\n    namePrefix: lab-\n    \
         labels: {{disk: ssd}}\n    taints:\n    - {{key: gpu, value: \"true\", effect: \
         NoSchedule}}\n    capacity: {{cpu: 2, memory: 8Gi, pods: 30}}\n"
    );
    let runner = run(&text, 1);
    let store = runner.sim.store();
    let names: Vec<&str> = store.nodes().iter().map(|n| n.name()).collect();
    assert_eq!(
        names,
        vec!["lab-control-plane-1", "lab-control-plane-2", "lab-worker-1"]
    );
    let worker = store
        .nodes()
        .get(&ObjectKey::cluster("lab-worker-1"))
        .expect("worker");
    assert_eq!(
        worker.metadata.labels.get("disk").map(String::as_str),
        Some("ssd")
    );
    assert!(worker.has_taint("gpu", TaintEffect::NoSchedule));
    let allocatable = worker.allocatable();
    assert_eq!(
        (
            allocatable.cpu_millis,
            allocatable.memory_bytes,
            allocatable.pods
        ),
        (2_000, 8 * 1024 * 1024 * 1024, 30)
    );
    let control_plane = store
        .nodes()
        .get(&ObjectKey::cluster("lab-control-plane-2"))
        .expect("control plane");
    assert!(!control_plane.metadata.labels.contains_key("disk"));
    assert!(control_plane.has_taint(LABEL_CONTROL_PLANE, TaintEffect::NoSchedule));
}
