//! Property tests: arbitrary text at the manifest, kubectl and scenario entry points never
//! panics, and a kubectl command that fails without reporting a change leaves the cluster
//! unchanged.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use kubarium::kubectl;
use kubarium::manifest;
use kubarium::scenario::Scenario;
use proptest::prelude::*;

/// Words kubectl lines are made of, so generated lines reach deep into the commands.
const WORDS: &[&str] = &[
    "get",
    "describe",
    "apply",
    "create",
    "delete",
    "scale",
    "label",
    "annotate",
    "taint",
    "cordon",
    "uncordon",
    "drain",
    "patch",
    "rollout",
    "logs",
    "explain",
    "pods",
    "po",
    "nodes",
    "ds",
    "jobs",
    "ns",
    "events",
    "all",
    "worker-1",
    "control-plane",
    "fluentd-elasticsearch",
    "-n",
    "kube-system",
    "-A",
    "-o",
    "wide",
    "yaml",
    "json",
    "name",
    "-l",
    "name=x",
    "--all",
    "--cascade=orphan",
    "--force",
    "--ignore-daemonsets",
    "-p",
    "{\"spec\":{}}",
    "status",
    "history",
    "undo",
    "restart",
    "ds/fluentd-elasticsearch",
    "k=v",
    "k-",
    "a=b:NoSchedule",
    "-f",
    "-",
    "--",
    "--image=busybox",
    "job",
    "x",
    "--from=cronjob/x",
    "'",
    "\"",
];

fn kubectl_line() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..8).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn manifest_parsing_never_panics(text in "\\PC{0,200}") {
        let _ = manifest::parse(&text);
    }

    #[test]
    fn yaml_shaped_text_never_panics(
        text in "(apiVersion: (v1|apps/v1|batch/v1)\n)?(kind: (Pod|DaemonSet|Job|List)\n)?\
                 (metadata:\n  name: [a-z{}\\[]{0,5}\n)?(spec:\n  [a-zA-Z]{1,12}: [-0-9a-z\\[{]{0,6}\n){0,3}"
    ) {
        let mut sim = cluster();
        let _ = kubectl::run(&mut sim, "apply -f -", Some(&text));
        let _ = Scenario::parse(&text);
    }

    #[test]
    fn arbitrary_kubectl_lines_never_panic(line in "\\PC{0,80}") {
        let mut sim = cluster();
        let _ = kubectl::run(&mut sim, &line, Some(&line));
    }

    #[test]
    fn failing_kubectl_commands_change_nothing(line in kubectl_line()) {
        let mut sim = cluster_with_fluentd();
        let before = fingerprint(&sim);
        let out = kubectl::run(&mut sim, &line, Some("apiVersion: v1\nkind: Namespace\n"));
        // A command that reports nothing done (kubectl prints each change on stdout) and fails
        // must have changed nothing.
        if out.exit_code != 0 && out.stdout.is_empty() {
            prop_assert_eq!(fingerprint(&sim), before, "`kubectl {}` failed and changed", line);
        }
    }
}
