//! The clock driver: advances simulated time with gloo-timers, and the bar that controls it.

use crate::sim::time::{SimDuration, SimTime};
use gloo_timers::callback::Interval;
use leptos::prelude::*;

/// How often the driver wakes, in wall-clock milliseconds.
const TICK_MS: u32 = 50;

/// The longest wall-clock gap one tick will turn into simulated time, so a tab that was in the
/// background does not jump ahead by minutes when it comes back.
const MAX_TICK_GAP_MS: f64 = 250.0;

/// Speeds offered in the clock bar, as multiples of wall-clock time.
pub const SPEEDS: [f64; 6] = [0.25, 1.0, 10.0, 60.0, 100.0, 1000.0];

/// The playground's clock: simulated now, play/pause and speed, all as signals.
#[derive(Clone)]
pub struct Clock {
    /// The current simulated instant.
    pub now: RwSignal<SimTime>,
    /// Whether simulated time is advancing.
    pub playing: RwSignal<bool>,
    /// Simulated milliseconds per wall-clock millisecond.
    pub speed: RwSignal<f64>,
}

impl Clock {
    /// Starts a clock at the default scenario's start time, playing at 1×.
    pub fn start() -> Self {
        let clock = Clock {
            now: RwSignal::new(SimTime::from_unix_secs(1_767_225_600)), // 2026-01-01T00:00:00Z
            playing: RwSignal::new(true),
            speed: RwSignal::new(1.0),
        };
        clock.drive();
        clock
    }

    fn drive(&self) {
        let clock = self.clone();
        let mut last_wall_ms = wall_ms();
        // The interval lives as long as the page: the playground is never unmounted.
        Interval::new(TICK_MS, move || {
            let wall = wall_ms();
            let gap_ms = (wall - last_wall_ms).clamp(0.0, MAX_TICK_GAP_MS);
            last_wall_ms = wall;
            if clock.playing.get_untracked() {
                let step_ms = (gap_ms * clock.speed.get_untracked()).round() as i64;
                clock
                    .now
                    .update(|now| *now += SimDuration::from_ms(step_ms));
            }
        })
        .forget();
    }
}

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |perf| perf.now())
}

/// Play/pause, the speed selector and the simulated date-time.
#[component]
pub fn ClockBar(clock: Clock) -> impl IntoView {
    let Clock {
        now,
        playing,
        speed,
    } = clock;
    let label = move || if playing.get() { "Pause" } else { "Play" };
    let on_speed = move |event: leptos::ev::Event| {
        if let Ok(value) = event_target_value(&event).parse::<f64>() {
            speed.set(value);
        }
    };
    view! {
        <div class="clock-bar" role="group" aria-label="Simulated clock">
            <button
                class="play"
                data-testid="play-pause"
                aria-pressed=move || (!playing.get()).to_string()
                on:click=move |_| playing.update(|p| *p = !*p)
            >
                {label}
            </button>
            <label class="speed">
                "Speed "
                <select data-testid="speed" on:change=on_speed>
                    {SPEEDS
                        .iter()
                        .map(|s| {
                            view! { <option value=s.to_string() selected=*s == 1.0>{format!("{s}×")}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <time data-testid="sim-clock" class="sim-clock">
                {move || format_clock(now.get())}
            </time>
        </div>
    }
}

/// The clock bar's text: date and time to the second, in UTC.
pub fn format_clock(now: SimTime) -> String {
    now.to_utc().format("%Y-%m-%d %H:%M:%S UTC").to_string()
}
