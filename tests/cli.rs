//! The `kubarium` binary: `run` and `kubectl` on the example scenario, and bad arguments.

use std::process::{Command, Output};

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/node-outage.yaml");

fn kubarium(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubarium"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn run_prints_the_timeline_and_the_end_state() {
    let out = kubarium(&["run", SCENARIO, "--until", "6m"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "# at 30s: stopNode worker-2
node/worker-2 stopped
# at 2m0s: kubectl get nodes
NAME            STATUS     ROLES           AGE   VERSION
control-plane   Ready      control-plane   2m    v1.34.0
worker-1        Ready      <none>          2m    v1.34.0
worker-2        NotReady   <none>          2m    v1.34.0
# at 2m0s: kubectl get pods -n kube-system -o wide
NAME               READY   STATUS    RESTARTS   AGE   IP       NODE            NOMINATED NODE   READINESS GATES
node-agent-4hfh7   1/1     Running   0          2m    <none>   worker-1        <none>           <none>
node-agent-54ltb   0/1     Running   0          2m    <none>   worker-2        <none>           <none>
node-agent-xzzvf   1/1     Running   0          2m    <none>   control-plane   <none>           <none>
# at 5m0s: startNode worker-2
node/worker-2 started
NAME            STATUS   ROLES           AGE   VERSION
control-plane   Ready    control-plane   6m    v1.34.0
worker-1        Ready    <none>          6m    v1.34.0
worker-2        Ready    <none>          6m    v1.34.0

NAMESPACE     NAME                   READY   STATUS    RESTARTS      AGE
kube-system   pod/node-agent-4hfh7   1/1     Running   0             6m
kube-system   pod/node-agent-54ltb   1/1     Running   1 (60s ago)   6m
kube-system   pod/node-agent-xzzvf   1/1     Running   0             6m

NAMESPACE     NAME                        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
kube-system   daemonset.apps/node-agent   3         3         3       3            3           <none>          6m
"
    );
}

#[test]
fn run_json_is_a_v1_list_of_every_object_with_status_and_events() {
    let out = kubarium(&["run", SCENARIO, "--until", "6m", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list["kind"], "List");
    assert_eq!(list["apiVersion"], "v1");
    let items = list["items"].as_array().expect("items");
    let count = |kind: &str| items.iter().filter(|i| i["kind"] == kind).count();
    assert_eq!(
        (
            count("Node"),
            count("Namespace"),
            count("Pod"),
            count("DaemonSet")
        ),
        (3, 2, 3, 1)
    );
    assert_eq!(count("ControllerRevision"), 1);
    assert_eq!(count("Event"), 22);
    let ds = items.iter().find(|i| i["kind"] == "DaemonSet").expect("ds");
    assert_eq!(ds["status"]["numberReady"], 3);
    let not_ready = items
        .iter()
        .find(|i| i["kind"] == "Event" && i["reason"] == "NodeNotReady")
        .expect("the outage is recorded");
    assert_eq!(not_ready["involvedObject"]["name"], "worker-2");
    assert_eq!(not_ready["firstTimestamp"], "2024-01-01T00:01:20Z");
}

#[test]
fn the_same_seed_gives_the_same_event_log() {
    let first = kubarium(&["run", SCENARIO, "--until", "6m", "-o", "events"]);
    let second = kubarium(&["run", SCENARIO, "--until", "6m", "-o", "events"]);
    assert_eq!(first.stdout, second.stdout);
    let other_seed = kubarium(&[
        "run", SCENARIO, "--until", "6m", "-o", "events", "--seed", "8",
    ]);
    assert_ne!(first.stdout, other_seed.stdout, "pod names follow the seed");
}

#[test]
fn kubectl_runs_one_command_at_the_given_time() {
    let out = kubarium(&[
        "kubectl", SCENARIO, "--until", "2m", "--", "get", "nodes", "worker-2",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "NAME       STATUS     ROLES    AGE   VERSION\nworker-2   NotReady   <none>   2m    v1.34.0\n"
    );
    let out = kubarium(&[
        "kubectl", SCENARIO, "--until", "1s", "--", "get", "pod", "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}

#[test]
fn bad_arguments_are_clear_errors() {
    let out = kubarium(&["run", SCENARIO, "--until", "5x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "error: invalid value '5x' for '--until <UNTIL>': time: unknown unit \"x\" in \
             duration \"5x\"\n"
        ),
        "{}",
        text(&out.stderr)
    );
    let out = kubarium(&["run", "/nonexistent/scenario.yaml", "--until", "1m"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: cannot read /nonexistent/scenario.yaml: "),
        "{}",
        text(&out.stderr)
    );
}
