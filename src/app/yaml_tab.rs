//! The create menu's YAML tab: paste one or more manifests and apply them like
//! `kubectl apply -f -`. Everything is read first; a YAML error (with its line and column) or
//! an unreadable object applies nothing.

use super::create::{FormState, apply_value};
use super::driver::Playground;
use crate::sim::model::Object;
use crate::view::forms::{FieldMessage, parse_manifests, split_api_error};
use leptos::prelude::*;
use serde_json::Value;

// TODO(#9): read through the manifest layer (`crate::manifest`) once it is on main, so pasted
// scenarios and not-simulated field warnings work here too.
/// Reads every document, refusing all of them if any cannot be read.
fn read_all(text: &str) -> Result<Vec<Value>, Vec<FieldMessage>> {
    let documents = parse_manifests(text).map_err(|error| {
        vec![FieldMessage {
            field: String::new(),
            text: format!(
                "error parsing YAML: {}",
                error.strip_prefix("error: ").unwrap_or(&error)
            ),
        }]
    })?;
    if documents.is_empty() {
        return Err(split_api_error("no objects passed to apply"));
    }
    for document in &documents {
        Object::from_json(document.clone()).map_err(|text| split_api_error(&text))?;
    }
    Ok(documents)
}

/// The YAML tab.
#[component]
pub fn YamlTab(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome = read_all(&text.get_untracked()).and_then(|documents| {
            let mut lines = Vec::new();
            for document in documents {
                lines.push(apply_value(playground, document)?);
            }
            Ok(lines.join("\n"))
        });
        state.show(outcome);
    };
    view! {
        <form class="create-form" data-testid="yaml-form" on:submit=submit>
            <label for="yaml-input">"Manifests (YAML, several separated by ---)"</label>
            <textarea id="yaml-input" data-testid="yaml-input" rows="12" spellcheck="false"
                prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="form-error" role="alert" data-testid="form-error">
                {move || {
                    state.errors.get().into_iter().map(|m| view! { <p>{m.text}</p> }).collect_view()
                }}
            </div>
            <p class="ok" role="status" data-testid="form-created">{move || state.created.get()}</p>
            <button type="submit" data-testid="create-submit">"Apply"</button>
        </form>
    }
}
