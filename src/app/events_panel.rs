//! The event log: the cluster's Events newest first, each with its simulated time and the
//! simulation's plain-language why, filterable by kind, object, reason and type. Clicking an
//! entry selects the object it is about. The list is a polite live region, so a screen reader
//! announces new Events as they arrive without interrupting.

use super::driver::Playground;
use super::selection::Selection;
use crate::sim::events::RecordedEvent;
use crate::sim::model::EventType;
use leptos::prelude::*;

/// Entries rendered at most: the log keeps thousands, a reader scans the newest.
const ENTRIES_SHOWN: usize = 150;

/// One log line, as plain data for the view.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    /// The log id and the count: a repeat of an aggregated event is a new line for the view.
    key: (u64, i32),
    at: String,
    warning: bool,
    kind: String,
    namespace: String,
    name: String,
    reason: String,
    message: String,
    count: i32,
    why: String,
}

/// What the filters hold; empty text and "All" let everything through.
#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    kind: String,
    object: String,
    reason: String,
    type_: String,
}

impl Filters {
    fn admits(&self, recorded: &RecordedEvent) -> bool {
        let event = &recorded.event;
        let object = &event.involved_object;
        let type_ = match event.type_ {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        };
        (self.kind.is_empty() || object.kind == self.kind)
            && (self.object.is_empty() || object.name.contains(self.object.trim()))
            && (self.reason.is_empty() || event.reason.contains(self.reason.trim()))
            && (self.type_.is_empty() || type_ == self.type_)
    }
}

fn entry(recorded: &RecordedEvent) -> Entry {
    let event = &recorded.event;
    Entry {
        key: (recorded.id, event.count),
        at: event
            .last_timestamp
            .map(|t| t.to_utc().format("%H:%M:%S").to_string())
            .unwrap_or_default(),
        warning: event.type_ == EventType::Warning,
        kind: event.involved_object.kind.clone(),
        namespace: event.involved_object.namespace.clone(),
        name: event.involved_object.name.clone(),
        reason: event.reason.clone(),
        message: event.message.clone(),
        count: event.count,
        why: recorded.why.clone(),
    }
}

/// The newest events that pass `filters`, newest first, and the kinds present in the log.
fn matching(playground: Playground, filters: &Filters) -> (Vec<Entry>, Vec<String>) {
    playground.with_sim(|sim| {
        let mut kinds: Vec<String> = Vec::new();
        for recorded in sim.events().iter() {
            let kind = &recorded.event.involved_object.kind;
            if let Err(at) = kinds.binary_search(kind) {
                kinds.insert(at, kind.clone());
            }
        }
        let entries = sim
            .events()
            .iter()
            .rev()
            .filter(|recorded| filters.admits(recorded))
            .take(ENTRIES_SHOWN)
            .map(entry)
            .collect();
        (entries, kinds)
    })
}

/// The event log panel.
#[component]
pub fn EventLog(playground: Playground, selection: RwSignal<Option<Selection>>) -> impl IntoView {
    let filters = RwSignal::new(Filters::default());
    let found = Memo::new(move |_| {
        playground.snapshot.track();
        matching(playground, &filters.get())
    });
    let entries = move || found.get().0;
    let kinds = move || found.get().1;
    let set = move |apply: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filters.update(|f| apply(f, value));
        }
    };
    view! {
        <section class="event-log" aria-labelledby="event-log-title" data-testid="event-log">
            <h2 id="event-log-title">"Events"</h2>
            <div class="filters" role="group" aria-label="Filter events">
                <label>
                    "Kind "
                    <select data-testid="event-filter-kind" on:change=set(|f, v| f.kind = v)>
                        <option value="">"All"</option>
                        <For each=kinds key=|k| k.clone() let:kind>
                            <option value=kind.clone()>{kind.clone()}</option>
                        </For>
                    </select>
                </label>
                <label>
                    "Object "
                    <input data-testid="event-filter-object" size="10"
                        on:input=set(|f, v| f.object = v)/>
                </label>
                <label>
                    "Reason "
                    <input data-testid="event-filter-reason" size="10"
                        on:input=set(|f, v| f.reason = v)/>
                </label>
                <label>
                    "Type "
                    <select data-testid="event-filter-type" on:change=set(|f, v| f.type_ = v)>
                        <option value="">"All"</option>
                        <option value="Normal">"Normal"</option>
                        <option value="Warning">"Warning"</option>
                    </select>
                </label>
            </div>
            <ol class="event-list" role="log" aria-live="polite" aria-relevant="additions"
                aria-label="Cluster events, newest first" data-testid="event-list">
                <For each=entries key=|e| e.key let:entry>
                    <EntryView entry=entry selection=selection/>
                </For>
            </ol>
        </section>
    }
}

#[component]
fn EntryView(entry: Entry, selection: RwSignal<Option<Selection>>) -> impl IntoView {
    let pick = Selection::of(&entry.kind, &entry.namespace, &entry.name);
    let object = format!("{}/{}", entry.kind, entry.name);
    let count = (entry.count > 1).then(|| format!(" (×{})", entry.count));
    let (data_kind, data_name, data_reason) =
        (entry.kind.clone(), entry.name.clone(), entry.reason.clone());
    let class = if entry.warning {
        "event warning"
    } else {
        "event"
    };
    view! {
        <li class=class>
            <button
                class="event-entry"
                data-testid="event-entry"
                data-kind=data_kind
                data-name=data_name
                data-reason=data_reason
                title="Select this object"
                on:click=move |_| {
                    if let Some(pick) = pick.clone() {
                        selection.set(Some(pick));
                    }
                }
            >
                <time>{entry.at}</time>
                " "
                <span class="type">{if entry.warning { "Warning" } else { "Normal" }}</span>
                " "
                <strong>{entry.reason}</strong>
                " "
                <code>{object}</code>
                " "
                {entry.message}
                {count}
            </button>
            <div class="why">{entry.why}</div>
        </li>
    }
}
