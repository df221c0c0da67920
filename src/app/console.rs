//! The kubectl console: a terminal-like panel that runs each line through the core's kubectl
//! emulator against the live cluster. Up and down walk the history of lines; Tab completes the
//! command, the resource type and object names (`view::completion`).

use super::driver::Playground;
use crate::kubectl;
use crate::kubectl::resources::{TYPES, Target};
use crate::manifest::list_objects;
use crate::sim::Sim;
use crate::view::completion::complete;
use leptos::prelude::*;

/// Lines and outputs kept in the transcript; older ones scroll away for good.
const TRANSCRIPT_MAX: usize = 100;
/// Lines kept in the history.
const HISTORY_MAX: usize = 200;

/// One command and what it printed.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: u64,
    line: String,
    stdout: String,
    stderr: String,
}

/// Names of the objects a resource word (`pods`, `ds`, `node`) names, in `default` for
/// namespaced kinds.
fn names_of(sim: &Sim, word: &str) -> Vec<String> {
    let Some(kind) = TYPES
        .iter()
        .find(|t| t.plural == word || t.singular == word || t.short.contains(&word))
        .and_then(|t| match t.target {
            Target::Kind(kind) => Some(kind),
            Target::Events => None,
        })
    else {
        return Vec::new();
    };
    list_objects(sim.store(), kind)
        .iter()
        .map(|object| object.meta())
        .filter(|meta| !kind.is_namespaced() || meta.namespace == "default")
        .map(|meta| meta.name.clone())
        .collect()
}

/// The console panel.
#[component]
pub fn Console(playground: Playground) -> impl IntoView {
    let line = RwSignal::new(String::new());
    let transcript = RwSignal::new(Vec::<Entry>::new());
    let history = StoredValue::new(Vec::<String>::new());
    // Where up/down stands in the history; `None` is the line being typed.
    let cursor = StoredValue::new(None::<usize>);
    let hint = RwSignal::new(String::new());
    let next_id = StoredValue::new(0_u64);
    let run = move || {
        let text = line.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let output = playground.update_sim(|sim| kubectl::run(sim, &text, None));
        let output = output.unwrap_or_default();
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        transcript.update(|entries| {
            entries.push(Entry {
                id,
                line: text.clone(),
                stdout: output.stdout,
                stderr: output.stderr,
            });
            let excess = entries.len().saturating_sub(TRANSCRIPT_MAX);
            entries.drain(..excess);
        });
        history.update_value(|lines| {
            lines.push(text);
            let excess = lines.len().saturating_sub(HISTORY_MAX);
            lines.drain(..excess);
        });
        cursor.set_value(None);
        hint.set(String::new());
        line.set(String::new());
    };
    let recall = move |older: bool| {
        let lines = history.get_value();
        let at = match (cursor.get_value(), older) {
            (None, true) => lines.len().checked_sub(1),
            (None, false) => None,
            (Some(at), true) => Some(at.saturating_sub(1)),
            (Some(at), false) => (at + 1 < lines.len()).then_some(at + 1),
        };
        cursor.set_value(at);
        line.set(at.and_then(|at| lines.get(at).cloned()).unwrap_or_default());
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => run(),
        "ArrowUp" => {
            ev.prevent_default();
            recall(true);
        }
        "ArrowDown" => {
            ev.prevent_default();
            recall(false);
        }
        // An empty line lets Tab move focus on, so the console never traps the keyboard.
        "Tab" if !line.get_untracked().trim().is_empty() && !ev.shift_key() => {
            ev.prevent_default();
            let done = playground
                .with_sim(|sim| complete(&line.get_untracked(), &|word: &str| names_of(sim, word)));
            let several = done.candidates.len() > 1;
            hint.set(if several {
                done.candidates.join("  ")
            } else {
                String::new()
            });
            line.set(done.line);
        }
        _ => {}
    };
    view! {
        <details class="console" data-testid="console">
            <summary>"kubectl console"</summary>
            <div class="terminal" role="log" aria-label="kubectl output"
                data-testid="console-output">
                <For each=move || transcript.get() key=|e| e.id let:entry>
                    <div class="entry">
                        <pre class="prompt">
                            {format!("$ kubectl {}", entry.line.trim_start_matches("kubectl "))}
                        </pre>
                        <pre class="stdout">{entry.stdout}</pre>
                        <pre class="stderr">{entry.stderr}</pre>
                    </div>
                </For>
            </div>
            <label class="prompt-line">
                <span aria-hidden="true">"$ kubectl "</span>
                <input data-testid="console-input" aria-label="kubectl command" spellcheck="false"
                    autocomplete="off" placeholder="get pods -o wide" prop:value=line
                    on:input=move |ev| line.set(event_target_value(&ev)) on:keydown=on_key/>
            </label>
            <p class="hint" data-testid="console-hint">{move || hint.get()}</p>
        </details>
    }
}
