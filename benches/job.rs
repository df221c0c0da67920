//! Benchmark: 1,000 Jobs of completions 10 / parallelism 3 run to completion on 100 nodes.
//!
//! Each pod sleeps 10 s, so a Job needs four waves; the whole run is about 10,000 pods and
//! every kubelet, scheduler and Job-controller step on the simulated clock, with the invariant
//! check off as in release builds.

use criterion::{Criterion, criterion_group, criterion_main};
use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::model::Job;
use kubarium::sim::time::SimDuration;

fn run_thousand_jobs() -> usize {
    let settings = Settings {
        check_invariants: false,
        ..Settings::default()
    };
    let mut sim = Sim::with_settings(42, settings);
    for i in 0..100 {
        sim.submit(Command::add_node(&format!("node-{i:03}")))
            .expect("new node");
    }
    for i in 0..1_000 {
        let mut job = Job::new(
            "default",
            &format!("batch-{i:04}"),
            "busybox",
            &["sleep", "10"],
        );
        job.spec.completions = Some(10);
        job.spec.parallelism = Some(3);
        sim.submit(Command::apply(job)).expect("valid job");
    }
    let all_done = |s: &Sim| s.store().jobs().iter().all(Job::is_finished);
    sim.run_until(all_done, SimDuration::from_mins(30))
        .expect("every Job completes within 30 simulated minutes");
    sim.store().pods().len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("job");
    group.sample_size(10);
    group.bench_function("1000_jobs_c10_p3_on_100_nodes", |b| {
        b.iter(run_thousand_jobs)
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
