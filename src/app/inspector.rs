//! The inspector: details of the selected node or pod, what happened to it and why, and the
//! actions a learner can take on it. Every action is a core `Command` applied at once.

use super::driver::Playground;
use super::selection::Selection;
use crate::sim::Sim;
use crate::sim::command::Command;
use crate::sim::model::{Kind, ObjectKey, Taint, TaintEffect};
use leptos::prelude::*;

/// How many of the selected object's most recent Events the inspector lists.
const EVENTS_SHOWN: usize = 8;

/// The side panel for the current selection.
#[component]
pub fn Inspector(playground: Playground, selection: RwSignal<Option<Selection>>) -> impl IntoView {
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let body = move || {
        match selection.get() {
        None => view! {
            <p class="hint">
                "Click a node or a pod on the canvas (or pick one from the list or the event log) to \
                 inspect it."
            </p>
        }
        .into_any(),
        Some(Selection::Node(name)) => view! {
            <NodePanel playground=playground name=name.clone() feedback=feedback/>
            <super::workload::ObjectYaml playground=playground kind=Kind::Node
                key=ObjectKey::cluster(&name)/>
        }
        .into_any(),
        Some(Selection::Pod { namespace, name }) => view! {
            <PodPanel playground=playground namespace=namespace.clone() name=name.clone()
                feedback=feedback/>
            <super::owners::OwnerChain playground=playground selection=selection kind=Kind::Pod
                namespace=namespace.clone() name=name.clone()/>
            <super::workload::ObjectYaml playground=playground kind=Kind::Pod
                key=ObjectKey::new(&namespace, &name)/>
        }
        .into_any(),
        Some(Selection::Workload {
            kind,
            namespace,
            name,
        }) => view! {
            <super::workload::WorkloadPanel playground=playground selection=selection kind=kind
                namespace=namespace name=name/>
        }
        .into_any(),
    }
    };
    view! {
        <aside class="inspector" aria-label="Inspector" data-testid="inspector">
            {body}
            {move || {
                feedback
                    .get()
                    .map(|result| match result {
                        Ok(text) => view! { <p class="ok" role="status">{text}</p> }.into_any(),
                        Err(text) => {
                            view! {
                                <p class="error" role="alert" data-testid="action-error">
                                    {text}
                                </p>
                            }
                            .into_any()
                        }
                    })
            }}
        </aside>
    }
}

/// Runs `command` and shows its outcome.
fn act(
    playground: Playground,
    feedback: RwSignal<Option<Result<String, String>>>,
    command: Command,
) {
    feedback.set(Some(playground.submit(command)));
}

#[component]
fn NodePanel(
    playground: Playground,
    name: String,
    feedback: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let details = {
        let name = name.clone();
        move || {
            playground.snapshot.track();
            playground.with_sim(|sim| node_details(sim, &name))
        }
    };
    let run = move |command: Command| act(playground, feedback, command);
    let n = name.clone();
    let taint_key = RwSignal::new(String::from("dedicated"));
    let taint_value = RwSignal::new(String::from("gpu"));
    let taint_effect = RwSignal::new(String::from("NoSchedule"));
    let label_key = RwSignal::new(String::from("disktype"));
    let label_value = RwSignal::new(String::from("ssd"));
    let button = move |label: &'static str, make: fn(&str) -> Command| {
        let n = n.clone();
        view! { <button on:click=move |_| run(make(&n))>{label}</button> }
    };
    // Drain is kubectl's own command (cordon, then evict all but DaemonSet pods), so it runs
    // through the kubectl emulator and shows kubectl's words.
    let drain = {
        let n = name.clone();
        move |_| {
            let line = format!("kubectl drain {n} --ignore-daemonsets --delete-emptydir-data");
            let output = playground.update_sim(|sim| crate::kubectl::run(sim, &line, None));
            feedback.set(output.map(|out| {
                if out.exit_code == 0 {
                    Ok(format!("$ {line}\n{}{}", out.stderr, out.stdout))
                } else {
                    Err(format!("$ {line}\n{}", out.stderr))
                }
            }));
        }
    };
    let add_taint = {
        let n = name.clone();
        move |_| {
            let effect = match taint_effect.get_untracked().as_str() {
                "NoExecute" => TaintEffect::NoExecute,
                "PreferNoSchedule" => TaintEffect::PreferNoSchedule,
                _ => TaintEffect::NoSchedule,
            };
            let mut taint = Taint::new(taint_key.get_untracked().trim(), effect);
            let value = taint_value.get_untracked();
            taint.value = (!value.trim().is_empty()).then(|| value.trim().to_string());
            run(Command::AddTaint {
                node: n.clone(),
                taint,
            });
        }
    };
    let remove_taint = {
        let n = name.clone();
        move |_| {
            let key = taint_key.get_untracked().trim().to_string();
            run(Command::RemoveTaint {
                node: n.clone(),
                key,
                effect: None,
            });
        }
    };
    let set_label = {
        let n = name.clone();
        move |_| {
            run(Command::SetLabel {
                kind: Kind::Node,
                namespace: String::new(),
                name: n.clone(),
                key: label_key.get_untracked().trim().to_string(),
                value: label_value.get_untracked().trim().to_string(),
            })
        }
    };
    let remove_label = {
        let n = name.clone();
        move |_| {
            run(Command::RemoveLabel {
                kind: Kind::Node,
                namespace: String::new(),
                name: n.clone(),
                key: label_key.get_untracked().trim().to_string(),
            })
        }
    };
    view! {
        <h2>"Node " <code>{name.clone()}</code></h2>
        <div data-testid="node-details">{details}</div>
        <div class="actions" role="group" aria-label="Node actions">
            {button("Cordon", |n| Command::Cordon { name: n.to_string() })}
            {button("Uncordon", |n| Command::Uncordon { name: n.to_string() })}
            <button on:click=drain data-testid="drain-node">"Drain"</button>
            {button("Stop (power off)", |n| Command::StopNode { name: n.to_string() })}
            {button("Start", |n| Command::StartNode { name: n.to_string() })}
            {button("Delete node", |n| Command::DeleteNode { name: n.to_string() })}
        </div>
        <fieldset class="form-row">
            <legend>"Taint"</legend>
            <TextField label="key" value=taint_key/>
            <TextField label="value" value=taint_value/>
            <label>
                "effect "
                <select on:change=move |ev| taint_effect.set(event_target_value(&ev))>
                    <option value="NoSchedule" selected>"NoSchedule"</option>
                    <option value="NoExecute">"NoExecute"</option>
                    <option value="PreferNoSchedule">"PreferNoSchedule"</option>
                </select>
            </label>
            <button on:click=add_taint>"Add taint"</button>
            <button on:click=remove_taint>"Remove taint"</button>
        </fieldset>
        <fieldset class="form-row">
            <legend>"Label"</legend>
            <TextField label="key" value=label_key/>
            <TextField label="value" value=label_value/>
            <button on:click=set_label>"Set label"</button>
            <button on:click=remove_label>"Remove label"</button>
        </fieldset>
        <Events playground=playground name=name/>
    }
}

/// A labelled text input bound to `value`.
#[component]
fn TextField(label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label>
            {label} " "
            <input prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

fn node_details(sim: &Sim, name: &str) -> AnyView {
    let Some(node) = sim.store().nodes().get(&ObjectKey::cluster(name)) else {
        return view! { <p class="hint">"This node no longer exists."</p> }.into_any();
    };
    let rows: Vec<(String, String)> = vec![
        (
            "Conditions".into(),
            node.status
                .conditions
                .iter()
                .map(|c| format!("{:?}={:?}", c.type_, c.status))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Unschedulable".into(), node.is_unschedulable().to_string()),
        (
            "Taints".into(),
            node.spec
                .taints
                .iter()
                .map(crate::view::snapshot::taint_text)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Labels".into(),
            node.metadata
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Pods".into(),
            sim.store().pods_on_node(name).count().to_string(),
        ),
    ];
    field_list(rows)
}

#[component]
fn PodPanel(
    playground: Playground,
    namespace: String,
    name: String,
    feedback: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let details = {
        let (namespace, name) = (namespace.clone(), name.clone());
        move || {
            playground.snapshot.track();
            playground.with_sim(|sim| pod_details(sim, &namespace, &name))
        }
    };
    let exit_code = RwSignal::new(String::from("1"));
    let run = move |command: Command| act(playground, feedback, command);
    let delete = {
        let (ns, n) = (namespace.clone(), name.clone());
        move |_| run(Command::delete(Kind::Pod, &ns, &n))
    };
    let crash = {
        let (ns, n) = (namespace.clone(), name.clone());
        move |_| match exit_code.get_untracked().trim().parse::<i32>() {
            Ok(code) if (0..=255).contains(&code) => run(Command::KillContainer {
                namespace: ns.clone(),
                pod: n.clone(),
                container: None,
                exit_code: code,
            }),
            _ => feedback.set(Some(Err(format!(
                "exit code: Invalid value: {:?}: must be a whole number from 0 to 255",
                exit_code.get_untracked()
            )))),
        }
    };
    let fail = {
        let (ns, n) = (namespace.clone(), name.clone());
        move |_| {
            run(Command::MarkPodFailed {
                namespace: ns.clone(),
                pod: n.clone(),
            })
        }
    };
    view! {
        <h2>"Pod " <code>{format!("{namespace}/{name}")}</code></h2>
        <div data-testid="pod-details">{details}</div>
        <div class="actions" role="group" aria-label="Pod actions">
            <button on:click=delete data-testid="delete-pod">"Delete pod"</button>
            <button on:click=fail>"Mark failed"</button>
        </div>
        <fieldset class="form-row">
            <legend>"Crash the container"</legend>
            <label>
                "exit code "
                <input
                    inputmode="numeric"
                    size="4"
                    prop:value=exit_code
                    on:input=move |ev| exit_code.set(event_target_value(&ev))
                />
            </label>
            <button on:click=crash>"Crash"</button>
        </fieldset>
        <Events playground=playground name=name/>
    }
}

fn pod_details(sim: &Sim, namespace: &str, name: &str) -> AnyView {
    let Some(pod) = sim.store().pods().get(&ObjectKey::new(namespace, name)) else {
        return view! { <p class="hint">"This pod no longer exists."</p> }.into_any();
    };
    let columns = crate::kubectl::printers::pod_columns(pod);
    let owner = pod
        .metadata
        .controller_ref()
        .map_or("none (a bare pod)".to_string(), |o| {
            format!("{}/{}", o.kind, o.name)
        });
    let rows: Vec<(String, String)> = vec![
        ("Status".into(), columns.status),
        ("Ready".into(), columns.ready),
        ("Restarts".into(), columns.restarts.to_string()),
        (
            "Node".into(),
            pod.node_name().unwrap_or("(not scheduled)").to_string(),
        ),
        ("Controlled by".into(), owner),
        (
            "Conditions".into(),
            pod.status
                .conditions
                .iter()
                .map(|c| format!("{:?}={:?}", c.type_, c.status))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    field_list(rows)
}

pub(super) fn field_list(rows: Vec<(String, String)>) -> AnyView {
    view! {
        <dl class="fields">
            {rows
                .into_iter()
                .map(|(key, value)| view! { <dt>{key}</dt> <dd>{value}</dd> })
                .collect_view()}
        </dl>
    }
    .into_any()
}

/// The object's most recent Events, newest first, each with its plain-language why.
#[component]
pub(super) fn Events(playground: Playground, name: String) -> impl IntoView {
    let list = move || {
        playground.snapshot.track();
        let events: Vec<(String, String, String, String)> = playground.with_sim(|sim| {
            let mut about: Vec<_> = sim.events().about(&name).collect();
            about.reverse();
            about
                .into_iter()
                .take(EVENTS_SHOWN)
                .map(|recorded| {
                    let e = &recorded.event;
                    let at = e.last_timestamp.map(|t| t.to_rfc3339()).unwrap_or_default();
                    (
                        at,
                        e.reason.clone(),
                        e.message.clone(),
                        recorded.why.clone(),
                    )
                })
                .collect()
        });
        events
            .into_iter()
            .map(|(at, reason, message, why)| {
                view! {
                    <li>
                        <time>{at}</time> " " <strong>{reason}</strong> " " {message}
                        <div class="why">{why}</div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h3>"Events"</h3>
        <ol class="events">{list}</ol>
    }
}
