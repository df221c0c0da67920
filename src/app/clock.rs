//! The playground clock (simulated now, play/pause, speed) and the bar that controls it.
//!
//! The clock only holds the settings; `driver` advances the simulation with them.

use crate::sim::time::SimTime;
use leptos::prelude::*;

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
    /// A clock at `now`, playing at 1×.
    pub fn new(now: SimTime) -> Self {
        Clock {
            now: RwSignal::new(now),
            playing: RwSignal::new(true),
            speed: RwSignal::new(1.0),
        }
    }
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
                            view! {
                                <option value=s.to_string() selected=*s == 1.0>
                                    {format!("{s}×")}
                                </option>
                            }
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
