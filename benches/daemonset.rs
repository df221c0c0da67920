//! DaemonSet benchmarks: a DaemonSet rolled out to 500 and 5,000 nodes until every pod runs,
//! and a rolling update (maxUnavailable 10 %) across 5,000 nodes, with default kubelet timings.

use criterion::{Criterion, criterion_group, criterion_main};
use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::{
    DaemonSet, DaemonSetUpdateStrategy, DaemonSetUpdateStrategyType, IntOrString, PodPhase,
    RollingUpdateDaemonSet,
};
use kubarium::sim::time::SimDuration;
use std::hint::black_box;

fn cluster(nodes: usize) -> Sim {
    let settings = Settings {
        check_invariants: false,
        event_capacity: 5_000,
        ..Settings::default()
    };
    let mut sim = Sim::with_settings(1, settings);
    for i in 0..nodes {
        sim.submit(Command::add_node(&format!("node-{i:05}")))
            .expect("new node");
    }
    sim
}

fn all_running(sim: &Sim, nodes: usize) -> bool {
    sim.store()
        .pods()
        .iter()
        .filter(|p| p.phase() == PodPhase::Running)
        .count()
        == nodes
}

/// Applies one DaemonSet and runs until every node's pod is Running.
fn launch(nodes: usize) -> Sim {
    let mut sim = cluster(nodes);
    sim.submit(Command::apply(DaemonSet::new(
        "default", "agent", "agent:1",
    )))
    .expect("valid");
    sim.run_until(|s| all_running(s, nodes), SimDuration::from_mins(10))
        .expect("rolls out");
    sim
}

/// Launches, then changes the image and runs until every node runs an available new pod.
fn rolling_update(nodes: usize) -> Sim {
    let mut sim = launch(nodes);
    let mut ds = DaemonSet::new("default", "agent", "agent:2");
    ds.spec.update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(IntOrString::String("10%".into())),
            max_surge: Some(IntOrString::Int(0)),
        }),
    });
    sim.submit(Command::apply(ds)).expect("valid update");
    let done = |s: &Sim| {
        let status = &s
            .store()
            .daemon_sets()
            .iter()
            .next()
            .expect("exists")
            .status;
        status.observed_generation == Some(2)
            && status.updated_number_scheduled as usize == nodes
            && status.number_available as usize == nodes
    };
    sim.run_until(done, SimDuration::from_mins(60))
        .expect("update completes");
    sim
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("daemonset");
    group.sample_size(10);
    group.bench_function("launch_500_nodes", |b| b.iter(|| black_box(launch(500))));
    group.bench_function("launch_5000_nodes", |b| b.iter(|| black_box(launch(5_000))));
    group.bench_function("rolling_update_5000_nodes", |b| {
        b.iter(|| black_box(rolling_update(5_000)))
    });
    group.finish();
}

criterion_group!(daemonset, benches);
criterion_main!(daemonset);
