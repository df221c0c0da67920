//! The clock bar's stepping controls: jump to the next queued event, step one simulated second
//! or minute, and the seed with a reset that rebuilds the default cluster from it.
//!
//! Stepping pauses the clock first: a learner who steps wants to look at one moment at a time.

use super::clock::Clock;
use super::driver::{self, Playground};
use crate::sim::Sim;
use crate::sim::controllers::cronjob::next_cronjob_run;
use crate::sim::controllers::cronjob::schedule_time::NEXT_SCHEDULE_DELTA_MS;
use crate::sim::time::SimDuration;
use leptos::prelude::*;

/// Steps the paused simulation with `advance` and moves the clock bar to where it stopped.
fn step(
    playground: Playground,
    clock: &Clock,
    advance: impl FnOnce(&mut Sim) -> Result<(), String>,
) {
    clock.playing.set(false);
    match playground.update_sim(|sim| advance(sim).map(|()| sim.now())) {
        Some(Ok(now)) => clock.now.set(now),
        Some(Err(message)) => playground.error.set(Some(message)),
        None => {}
    }
}

/// Processes everything due at the next queued instant (the next event), if anything is queued.
fn to_next_event(sim: &mut Sim) -> Result<(), String> {
    match sim.next_due() {
        Some(due) => sim.advance_to(due).map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

/// Moves to the next scheduled CronJob run and past the controller's short delay after it, so
/// the run's Job exists when the clock stops.
fn to_next_cronjob_run(sim: &mut Sim) -> Result<(), String> {
    match next_cronjob_run(sim) {
        Some(run) => {
            let created = run + SimDuration::from_ms(NEXT_SCHEDULE_DELTA_MS);
            sim.advance_to(created).map_err(|e| e.to_string())
        }
        None => Ok(()),
    }
}

/// The stepping buttons, the seed and reset.
#[component]
pub fn StepControls(playground: Playground, clock: Clock) -> impl IntoView {
    let seed = RwSignal::new(playground.with_sim(Sim::seed).to_string());
    let seed_error = RwSignal::new(None::<String>);
    let stepping_clock = clock.clone();
    let by = move |duration: SimDuration| {
        let clock = stepping_clock.clone();
        move |_| {
            step(playground, &clock, |sim| {
                sim.advance_by(duration).map_err(|e| e.to_string())
            })
        }
    };
    let next_event = {
        let clock = clock.clone();
        move |_| step(playground, &clock, to_next_event)
    };
    let next_run = {
        let clock = clock.clone();
        move |_| step(playground, &clock, to_next_cronjob_run)
    };
    let has_cronjob_run = move || {
        playground.snapshot.track();
        playground.with_sim(|sim| next_cronjob_run(sim).is_some())
    };
    let reset = {
        let clock = clock.clone();
        move |_| match seed.get_untracked().trim().parse::<u64>() {
            Ok(value) => {
                seed_error.set(None);
                playground.replace(driver::default_cluster(value), &clock);
            }
            Err(_) => seed_error.set(Some(format!(
                "seed: Invalid value: {:?}: must be a whole number from 0 to {}",
                seed.get_untracked(),
                u64::MAX
            ))),
        }
    };
    view! {
        <div class="step-controls" role="group" aria-label="Step the simulated clock">
            <button data-testid="step-event" on:click=next_event
                title="Pause and process everything due at the next queued instant">
                "Next event"
            </button>
            <button data-testid="step-second" on:click=by(SimDuration::from_secs(1))>"+1 s"</button>
            <button data-testid="step-minute" on:click=by(SimDuration::from_secs(60))>
                "+1 min"
            </button>
            <Show when=has_cronjob_run>
                <button data-testid="step-cronjob" on:click=next_run.clone()
                    title="Pause at the next scheduled CronJob run, once its Job is created">
                    "Next CronJob run"
                </button>
            </Show>
            <label class="seed">
                "Seed "
                <input data-testid="seed" size="6" inputmode="numeric" prop:value=seed
                    on:input=move |ev| seed.set(event_target_value(&ev))/>
            </label>
            <button data-testid="reset" on:click=reset
                title="Rebuild the default cluster with this seed">"Reset"</button>
            {move || {
                seed_error.get().map(|e| view! { <span class="error" role="alert">{e}</span> })
            }}
        </div>
    }
}
