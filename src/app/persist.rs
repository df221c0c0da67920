//! The cluster survives a page reload: the playground writes it to local storage as a scenario
//! (`Scenario::to_yaml`: start time, seed, nodes and the objects no controller owns) and loads
//! it back on the next visit. A saved state that cannot be read is dropped with a clear message
//! and the default cluster is used. The same scenario text can be downloaded as a file.
//!
//! TODO(#9): pods, their phases and the Event log are not saved, so after a reload the
//! controllers replay their workloads from the restored objects.

use super::clock::Clock;
use super::driver::Playground;
use crate::scenario::Scenario;
use leptos::prelude::*;

/// The local-storage key of the saved scenario.
const STORAGE_KEY: &str = "kubarium.scenario";
/// Wall-clock milliseconds between saves while the cluster changes.
const SAVE_EVERY_MS: f64 = 1_000.0;
/// The scenario's `metadata.name` when saved from the playground.
const SCENARIO_NAME: &str = "playground";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn save(playground: Playground) {
    let text = playground.with_sim(|sim| Scenario::to_yaml(sim, SCENARIO_NAME));
    if let Some(storage) = storage() {
        // A full or disabled storage only loses the reload feature; nothing else depends on it.
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

/// Loads the saved cluster, if any, into `playground`. Returns the message to show: what was
/// restored, or why the saved state was dropped.
fn restore(playground: Playground, clock: &Clock) -> Option<String> {
    let storage = storage()?;
    let text = storage.get_item(STORAGE_KEY).ok().flatten()?;
    let loaded = Scenario::parse(&text)
        .map_err(|e| e.to_string())
        .and_then(|scenario| scenario.load(None).map_err(|e| e.to_string()));
    match loaded {
        Ok((sim, _report)) => {
            let at = super::format_clock(sim.now());
            playground.replace(sim, clock);
            Some(format!(
                "Restored the cluster saved in this browser, at {at}."
            ))
        }
        Err(error) => {
            let _ = storage.remove_item(STORAGE_KEY);
            Some(format!(
                "The saved cluster could not be read ({error}); the default cluster is loaded \
                 instead."
            ))
        }
    }
}

/// Restores the saved cluster, keeps saving it, and offers it as a download.
#[component]
pub fn Persistence(playground: Playground, clock: Clock) -> impl IntoView {
    let message = RwSignal::new(restore(playground, &clock));
    let last_save_ms = StoredValue::new(f64::MIN);
    Effect::new(move |_| {
        playground.snapshot.track();
        clock.now.track();
        let wall = js_sys::Date::now();
        if wall - last_save_ms.get_value() >= SAVE_EVERY_MS {
            last_save_ms.set_value(wall);
            save(playground);
        }
    });
    // The last changes before leaving the page are saved too.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| save(playground));
    // The scenario text is built when the link is about to be followed, not on every tick.
    let href = RwSignal::new(String::from("#"));
    let refresh = move || {
        let text = playground.with_sim(|sim| Scenario::to_yaml(sim, SCENARIO_NAME));
        let encoded = String::from(js_sys::encode_uri_component(&text));
        href.set(format!("data:application/yaml;charset=utf-8,{encoded}"));
    };
    view! {
        <div class="persistence" role="group" aria-label="Saved state">
            <a class="button" href=href download="kubarium-scenario.yaml"
                data-testid="download-scenario" on:pointerdown=move |_| refresh()
                on:focus=move |_| refresh()>"Download scenario"</a>
            <span role="status" data-testid="persist-message">{move || message.get()}</span>
        </div>
    }
}
