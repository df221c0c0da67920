//! Exported YAML applies again: export the cluster, apply the text to a fresh cluster, and the
//! export of that cluster is the same text.

mod common;

use common::*;
use kubarium::manifest::{export_cluster, to_yaml_documents};

#[test]
fn exported_yaml_round_trips_through_apply() {
    let mut sim = cluster_with_fluentd();
    for text in [
        shared("kubernetes-website/job.yaml"),
        shared("kubernetes-website/indexed-job.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {team: a}\n"
            .to_string(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: team-a\nspec:\n  \
         containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n"
            .to_string(),
    ] {
        let out = apply(&mut sim, &text);
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
    }
    advance_secs(&mut sim, 30);
    let exported = to_yaml_documents(&export_cluster(sim.store(), false));
    for absent in [
        "status:",
        "uid:",
        "resourceVersion:",
        "creationTimestamp:",
        "controller-uid",
    ] {
        assert!(!exported.contains(absent), "{absent} in\n{exported}");
    }

    let mut fresh = cluster();
    let out = apply(&mut fresh, &exported);
    assert_eq!(
        out.stdout,
        "namespace/team-a created\n\
         daemonset.apps/fluentd-elasticsearch created\n\
         job.batch/indexed-job created\n\
         job.batch/pi created\n\
         pod/web created\n"
    );
    let again = to_yaml_documents(&export_cluster(fresh.store(), false));
    assert_eq!(again, exported);
    let out = apply(&mut fresh, &exported);
    assert!(
        out.stdout.lines().all(|l| l.ends_with(" unchanged")),
        "{}",
        out.stdout
    );
}

#[test]
fn exported_pods_keep_unsimulated_fields() {
    let mut sim = cluster();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    \
         image: nginx:1.27\n    env:\n    - name: MODE\n      value: fast\n",
    );
    let exported = to_yaml_documents(&export_cluster(sim.store(), false));
    assert!(
        exported.contains("  - env:\n    - name: MODE\n      value: fast\n"),
        "{exported}"
    );
}
