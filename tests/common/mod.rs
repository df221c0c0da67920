//! Helpers shared by the interface tests: the shared manifests and a fixed little cluster.

#![allow(dead_code)]

use kubarium::kubectl::{self, Output};
use kubarium::manifest;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::{Node, Taint, TaintEffect, node::LABEL_CONTROL_PLANE};
use kubarium::sim::time::SimDuration;
use kubarium::sim::{DEFAULT_START, Sim};
use std::path::PathBuf;

/// The seed of every fixed cluster; names of generated objects depend on it.
pub const SEED: u64 = 1;

/// Reads a file of the shared test data (`shared/` in an ancestor folder of the crate).
pub fn shared(relative: &str) -> String {
    let relative = format!("shared/testdata/manifests/{relative}");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = manifest
        .ancestors()
        .map(|dir| dir.join(&relative))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("no {relative} above {}", manifest.display()));
    std::fs::read_to_string(path).expect("readable shared manifest")
}

/// A kubernetes.io example shipped in `src/scenarios/`.
pub fn example(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/scenarios")
        .join(name);
    std::fs::read_to_string(path).expect("readable example")
}

/// A kubeadm-like cluster on a fixed clock with instant kubelets: `control-plane` (tainted
/// NoSchedule) and `worker-1`, `worker-2`.
pub fn cluster() -> Sim {
    let mut sim = Sim::starting_at(SEED, Settings::instant(), DEFAULT_START);
    let mut control_plane = Node::new("control-plane");
    control_plane
        .metadata
        .labels
        .insert(LABEL_CONTROL_PLANE.to_string(), String::new());
    control_plane
        .spec
        .taints
        .push(Taint::new(LABEL_CONTROL_PLANE, TaintEffect::NoSchedule));
    sim.submit(Command::AddNode {
        node: Box::new(control_plane),
    })
    .expect("new node");
    for name in ["worker-1", "worker-2"] {
        sim.submit(Command::add_node(name)).expect("new node");
    }
    sim
}

/// Runs a kubectl line.
pub fn kubectl(sim: &mut Sim, line: &str) -> Output {
    kubectl::run(sim, line, None)
}

/// Runs `kubectl apply -f -` with `text`.
pub fn apply(sim: &mut Sim, text: &str) -> Output {
    kubectl::run(sim, "apply -f -", Some(text))
}

/// Advances the clock.
pub fn advance_secs(sim: &mut Sim, secs: i64) {
    sim.advance_by(SimDuration::from_secs(secs))
        .expect("bounded run");
}

/// A fingerprint of everything a command could change: every object as exported JSON with
/// its resource version, the store's version counter, the Event count and the clock.
pub fn fingerprint(sim: &Sim) -> String {
    let objects = kubarium::scenario::report::all_objects(sim);
    format!(
        "{}|{}|{}|{}",
        objects,
        sim.store().resource_version(),
        sim.events().len(),
        sim.now()
    )
}

/// Asserts the exact output of a command.
#[track_caller]
pub fn assert_output(out: &Output, stdout: &str, stderr: &str, exit_code: i32) {
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        (stdout, stderr, exit_code),
        "\n--- stdout\n{}--- stderr\n{}",
        out.stdout,
        out.stderr
    );
}

/// The DaemonSet example applied to [`cluster`], 90 s later.
pub fn cluster_with_fluentd() -> Sim {
    let mut sim = cluster();
    let out = apply(&mut sim, &shared("kubernetes-website/daemonset.yaml"));
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    advance_secs(&mut sim, 90);
    sim
}

/// Parses with the manifest layer (for tests that need the typed object).
pub fn parse_one(text: &str) -> manifest::Document {
    manifest::parse(text).expect("valid manifest").remove(0)
}
