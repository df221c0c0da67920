//! Seed sweep and determinism for CronJobs: random sequences of suspend/resume, manual runs,
//! schedule, policy and deadline edits, Job deletions and node trouble, with the invariant check
//! after every simulated instant (Forbid never runs two scheduled Jobs at once, `status.active`
//! names existing Jobs, ...). The seed is in every failure message.

use kubarium::sim::Sim;
use kubarium::sim::cluster::Settings;
use kubarium::sim::command::Command;
use kubarium::sim::controllers::cronjob::CronJobAction;
use kubarium::sim::model::*;
use kubarium::sim::time::SimDuration;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEEDS: u64 = 200;
const ACTIONS_PER_SEED: usize = 12;
const NAMES: [&str; 2] = ["tick", "tock"];
const SCHEDULES: [&str; 6] = [
    "* * * * *",
    "*/3 * * * *",
    "*/5 * * * *",
    "@every 2m",
    "7,8,9 * * * *",
    "0 0 30 2 *",
];
const POLICIES: [ConcurrencyPolicy; 3] = [
    ConcurrencyPolicy::Allow,
    ConcurrencyPolicy::Forbid,
    ConcurrencyPolicy::Replace,
];

fn cron_job(name: &str, schedule: &str, sleep_secs: u32, policy: ConcurrencyPolicy) -> CronJob {
    let mut cj = CronJob::new(
        "default",
        name,
        schedule,
        "busybox",
        &["sleep", &sleep_secs.to_string()],
    );
    if sleep_secs.is_multiple_of(3) {
        // Some runs fail, so the failed history limit is exercised too.
        cj.spec.job_template.spec.template.spec.containers[0].command = vec![
            "sh".into(),
            "-c".into(),
            format!("sleep {sleep_secs}; exit 1"),
        ];
        cj.spec.job_template.spec.backoff_limit = Some(0);
    }
    cj.spec.concurrency_policy = Some(policy);
    cj
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn random_command(sim: &Sim, rng: &mut ChaCha8Rng, step: usize) -> Command {
    let name = pick(rng, &NAMES).to_string();
    let action = |action| Command::CronJob {
        namespace: "default".into(),
        name: name.clone(),
        action,
    };
    match rng.random_range(0..10) {
        0 => action(CronJobAction::Suspend),
        1 => action(CronJobAction::Resume),
        2 => action(CronJobAction::Trigger {
            job_name: format!("{name}-manual-{step}"),
        }),
        3..=5 => {
            let mut cj = cron_job(
                &name,
                pick::<&str>(rng, &SCHEDULES),
                rng.random_range(20..400),
                *pick(rng, &POLICIES),
            );
            if rng.random_bool(0.3) {
                cj.spec.starting_deadline_seconds = Some(rng.random_range(0..200));
            }
            if rng.random_bool(0.3) {
                cj.spec.successful_jobs_history_limit = Some(rng.random_range(0..3));
            }
            Command::apply(cj)
        }
        6 => {
            let jobs: Vec<String> = sim
                .store()
                .jobs()
                .iter()
                .map(|j| j.metadata.name.clone())
                .collect();
            if jobs.is_empty() {
                return action(CronJobAction::Resume);
            }
            Command::delete(Kind::Job, "default", pick(rng, &jobs).as_str())
        }
        7 => Command::StopNode {
            name: "node-1".into(),
        },
        8 => Command::StartNode {
            name: "node-1".into(),
        },
        _ => Command::delete(Kind::CronJob, "default", &name),
    }
}

/// Runs one seed; returns a fingerprint of the final state for the determinism check.
fn run_seed(seed: u64) -> Result<String, String> {
    let settings = Settings {
        check_invariants: true,
        ..Settings::default()
    };
    let mut sim = Sim::with_settings(seed, settings);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xc0ff_ee00);
    sim.submit(Command::add_node("node-1"))
        .map_err(|e| e.to_string())?;
    sim.submit(Command::apply(cron_job(
        "tick",
        "* * * * *",
        90,
        ConcurrencyPolicy::Forbid,
    )))
    .map_err(|e| e.to_string())?;
    sim.submit(Command::apply(cron_job(
        "tock",
        "*/3 * * * *",
        200,
        ConcurrencyPolicy::Allow,
    )))
    .map_err(|e| e.to_string())?;
    for step in 0..ACTIONS_PER_SEED {
        let wait = SimDuration::from_secs(rng.random_range(10..240));
        sim.advance_by(wait)
            .map_err(|e| format!("seed {seed} step {step}: {e}"))?;
        let command = random_command(&sim, &mut rng, step);
        // Refusals (a stopped node stopped again, a CronJob already deleted) are fine.
        let _ = sim.submit(command);
        sim.check_invariants()
            .map_err(|v| format!("seed {seed} step {step}: {}", v.join("; ")))?;
    }
    sim.advance_by(SimDuration::from_mins(10))
        .map_err(|e| format!("seed {seed} end: {e}"))?;
    let jobs: Vec<String> = sim
        .store()
        .jobs()
        .iter()
        .map(|j| j.metadata.name.clone())
        .collect();
    let statuses: Vec<String> = sim
        .store()
        .cron_jobs()
        .iter()
        .map(|cj| format!("{}:{:?}", cj.metadata.name, cj.status))
        .collect();
    Ok(format!(
        "{jobs:?} {statuses:?} events={}",
        sim.events().next_id()
    ))
}

#[test]
fn two_hundred_seeds_of_cron_job_actions_keep_every_invariant() {
    for seed in 0..SEEDS {
        if let Err(message) = run_seed(seed) {
            panic!("{message}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_run() {
    for seed in [3, 77, 150] {
        assert_eq!(run_seed(seed), run_seed(seed), "seed {seed}");
    }
}
