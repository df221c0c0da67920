//! CronJob benchmarks on the simulated clock, with the Job controller, scheduler and kubelet
//! doing the rest on one node and default kubelet timings: one simulated day of the
//! kubernetes.io `hello` CronJob (`* * * * *`: 1,440 Jobs and pods, history limits cleaning up
//! behind them) and one simulated year of an `@hourly` CronJob (8,784 Jobs in 2024). The goal
//! for the day is under 50 ms natively.
//!
//! TODO(#5): the simulated day takes 0.6–1.1 s against a 50 ms goal; store clones and change
//! dispatch dominate the profile.

use criterion::{Criterion, criterion_group, criterion_main};
use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::CronJob;
use kubarium::sim::time::SimDuration;
use std::hint::black_box;

/// A one-node cluster with a `hello` CronJob on `schedule`.
fn cluster(schedule: &str) -> Sim {
    let settings = Settings {
        check_invariants: false,
        event_capacity: 5_000,
        ..Settings::default()
    };
    let mut sim = Sim::with_settings(1, settings);
    sim.submit(Command::add_node("node-1")).expect("new node");
    let hello = CronJob::new(
        "default",
        "hello",
        schedule,
        "busybox:1.28",
        &[
            "/bin/sh",
            "-c",
            "date; echo Hello from the Kubernetes cluster",
        ],
    );
    sim.submit(Command::apply(hello)).expect("valid cron job");
    sim
}

/// Runs `schedule` for `duration` and checks the history limit held.
fn run(schedule: &str, duration: SimDuration) -> Sim {
    let mut sim = cluster(schedule);
    sim.advance_by(duration).expect("bounded run");
    assert_eq!(
        sim.store().jobs().len(),
        3,
        "successfulJobsHistoryLimit keeps 3"
    );
    sim
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("cronjob");
    group.sample_size(10);
    group.bench_function("day_every_minute", |b| {
        b.iter(|| black_box(run("* * * * *", SimDuration::from_mins(24 * 60))))
    });
    group.bench_function("year_hourly", |b| {
        b.iter(|| black_box(run("@hourly", SimDuration::from_mins(366 * 24 * 60))))
    });
    group.finish();
}

criterion_group!(cronjob, benches);
criterion_main!(cronjob);
