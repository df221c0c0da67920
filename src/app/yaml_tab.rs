//! The create menu's YAML tab: paste one or more manifests and apply them exactly as
//! `kubectl apply -f -` would, through the core's kubectl emulator and manifest layer. Every
//! document is read before anything is applied, so a YAML error (kubectl's message, with its
//! line and column) or an unknown kind changes nothing.

use super::create::FormState;
use super::driver::Playground;
use crate::kubectl;
use crate::view::forms::FieldMessage;
use leptos::prelude::*;

/// Runs `kubectl apply -f -` with `text` on stdin: what it created or configured, or what
/// kubectl printed on standard error.
fn apply(playground: Playground, text: &str) -> Result<String, Vec<FieldMessage>> {
    let output = playground
        .update_sim(|sim| kubectl::run(sim, "apply -f -", Some(text)))
        .unwrap_or_default();
    let errors: Vec<FieldMessage> = output
        .stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| FieldMessage {
            field: String::new(),
            text: line.to_string(),
        })
        .collect();
    if output.exit_code == 0 && errors.is_empty() {
        Ok(output.stdout.trim_end().to_string())
    } else if output.stdout.trim().is_empty() {
        Err(errors)
    } else {
        // Some documents were applied and others refused: say both, as kubectl does.
        let mut all = vec![FieldMessage {
            field: String::new(),
            text: output.stdout.trim_end().to_string(),
        }];
        all.extend(errors);
        Err(all)
    }
}

/// The YAML tab.
#[component]
pub fn YamlTab(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.show(apply(playground, &text.get_untracked()));
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
