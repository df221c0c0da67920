//! The create menu: forms for a Node, a DaemonSet, a Job, a Deployment and a CronJob, plus a
//! YAML tab. A form builds the object and applies it like `kubectl apply`; whether it is
//! acceptable is the core admission's decision, and its messages are shown next to the field
//! they name. A refused object changes nothing.

use super::driver::Playground;
use crate::sim::command::Command;
use crate::sim::model::{Node, Object, Taint};
use crate::view::forms::{
    FieldMessage, messages_for, parse_command, parse_count, parse_pairs, parse_taints,
    parse_tolerations, split_api_error,
};
use leptos::prelude::*;
use serde_json::{Map, Value, json};

/// The create menu's tabs.
const TABS: [&str; 6] = ["Node", "DaemonSet", "Job", "Deployment", "CronJob", "YAML"];

/// What a form shows after a submit: the API server's messages, or the success line.
#[derive(Clone, Copy)]
pub struct FormState {
    /// Messages from the last refused submit, each with the field it names.
    pub errors: RwSignal<Vec<FieldMessage>>,
    /// kubectl's line for the last accepted submit (`job.batch/pi created`).
    pub created: RwSignal<Option<String>>,
}

impl FormState {
    /// An empty state.
    pub fn new() -> Self {
        FormState {
            errors: RwSignal::new(Vec::new()),
            created: RwSignal::new(None),
        }
    }

    /// Shows the outcome of a submit: one or several API messages, or the created line.
    pub fn show(&self, outcome: Result<String, Vec<FieldMessage>>) {
        match outcome {
            Ok(line) => {
                self.errors.set(Vec::new());
                self.created.set(Some(line));
            }
            Err(messages) => {
                self.created.set(None);
                self.errors.set(messages);
            }
        }
    }
}

/// Reads a manifest value into an object and applies it, returning kubectl's line or the API
/// server's messages split per field.
pub fn apply_value(playground: Playground, value: Value) -> Result<String, Vec<FieldMessage>> {
    let object = Object::from_json(value).map_err(|text| split_api_error(&text))?;
    playground
        .submit(Command::Apply(Box::new(object)))
        .map_err(|text| split_api_error(&text))
}

/// The create menu.
#[component]
pub fn CreateMenu(playground: Playground) -> impl IntoView {
    let tab = RwSignal::new("DaemonSet");
    let tab_button = move |name: &'static str| {
        let selected = move || tab.get() == name;
        view! {
            <button role="tab" id=format!("create-tab-{name}")
                data-testid=format!("create-tab-{name}")
                aria-selected=move || selected().to_string()
                aria-controls="create-form"
                on:click=move |_| tab.set(name)>{name}</button>
        }
    };
    let form = move || match tab.get() {
        "Node" => view! { <NodeForm playground=playground/> }.into_any(),
        "Job" => view! { <JobForm playground=playground/> }.into_any(),
        "Deployment" => view! { <DeploymentForm playground=playground/> }.into_any(),
        "CronJob" => view! { <super::cronjob_form::CronJobForm playground=playground/> }.into_any(),
        "YAML" => view! { <super::yaml_tab::YamlTab playground=playground/> }.into_any(),
        _ => view! { <DaemonSetForm playground=playground/> }.into_any(),
    };
    view! {
        <details class="create-menu" data-testid="create-menu">
            <summary>"Create…"</summary>
            <div role="tablist" aria-label="Kind to create" class="tabs">
                {TABS.into_iter().map(tab_button).collect_view()}
            </div>
            <div id="create-form" role="tabpanel">{form}</div>
        </details>
    }
}

/// A labelled text input with the API messages that name its field below it.
#[component]
pub fn TextField(
    label: &'static str,
    path: &'static str,
    value: RwSignal<String>,
    state: FormState,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let id = format!("field-{}", path.replace(['.', '[', ']'], "-"));
    let error_id = format!("{id}-error");
    let messages = move || {
        let all = state.errors.get();
        messages_for(&all, path)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let invalid = move || (!messages().is_empty()).to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id data-field=path placeholder=placeholder prop:value=value
                aria-invalid=invalid aria-describedby=error_id.clone()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            <div id=error_id class="field-error" data-testid="field-error" data-field=path>
                {move || messages().into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
            </div>
        </div>
    }
}

/// Messages that name none of `paths`, shown above the submit button.
#[component]
pub fn FormMessages(state: FormState, paths: &'static [&'static str]) -> impl IntoView {
    let loose = move || {
        state
            .errors
            .get()
            .into_iter()
            .filter(|m| {
                paths
                    .iter()
                    .all(|p| messages_for(std::slice::from_ref(m), p).is_empty())
            })
            .map(|m| view! { <p>{m.text}</p> })
            .collect_view()
    };
    view! {
        <div class="form-error" role="alert" data-testid="form-error">{loose}</div>
        <p class="ok" role="status" data-testid="form-created">{move || state.created.get()}</p>
    }
}

/// A select of fixed choices bound to a signal.
#[component]
pub fn Choice(
    label: &'static str,
    value: RwSignal<String>,
    choices: &'static [&'static str],
) -> impl IntoView {
    view! {
        <label class="field">
            {label} " "
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                {choices
                    .iter()
                    .map(|c| {
                        view! { <option value=*c selected=move || value.get() == *c>{*c}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The pod template every workload form shares: one container named after the workload.
pub fn pod_template(
    name: &str,
    image: &str,
    command: &str,
    spec_extra: Map<String, Value>,
) -> Value {
    let mut container = json!({"name": name, "image": image.trim()});
    let words = parse_command(command);
    if !words.is_empty() {
        container["command"] = json!(words);
    }
    let mut spec = spec_extra;
    spec.insert("containers".into(), json!([container]));
    json!({"metadata": {"labels": {"app": name}}, "spec": spec})
}

/// `metadata` of a namespaced object in `default`, as kubectl sends it.
pub fn metadata(name: &str) -> Value {
    json!({"name": name.trim(), "namespace": "default"})
}

/// Sets `map[key]` to the whole number in `text`, unless `text` is empty.
pub fn put_count(
    map: &mut Map<String, Value>,
    key: &str,
    text: &str,
    field: &str,
) -> Result<(), FieldMessage> {
    if let Some(number) = parse_count(text, field)? {
        map.insert(key.into(), number.into());
    }
    Ok(())
}

const NODE_PATHS: &[&str] = &["metadata.name", "metadata.labels", "spec.taints", "status"];

#[component]
fn NodeForm(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let name = RwSignal::new(playground.with_sim(super::driver::next_worker_name));
    let labels = RwSignal::new(String::from("disktype=ssd"));
    let taints = RwSignal::new(String::new());
    let cpu = RwSignal::new(String::from("4"));
    let memory = RwSignal::new(String::from("8Gi"));
    let pods = RwSignal::new(String::from("110"));
    let control_plane = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = build_node(
            &name.get_untracked(),
            &labels.get_untracked(),
            &taints.get_untracked(),
            [
                cpu.get_untracked(),
                memory.get_untracked(),
                pods.get_untracked(),
            ],
            control_plane.get_untracked(),
        );
        state.show(built.map_err(|m| vec![m]).and_then(|node| {
            playground
                .submit(Command::AddNode {
                    node: Box::new(node),
                })
                .map_err(|text| split_api_error(&text))
        }));
    };
    view! {
        <form class="create-form" data-testid="node-form" on:submit=submit>
            <TextField label="Name" path="metadata.name" value=name state=state/>
            <TextField label="Labels" path="metadata.labels" value=labels state=state
                placeholder="key=value, key=value"/>
            <TextField label="Taints" path="spec.taints" value=taints state=state
                placeholder="key=value:NoSchedule"/>
            <TextField label="CPU" path="status.capacity.cpu" value=cpu state=state/>
            <TextField label="Memory" path="status.capacity.memory" value=memory state=state/>
            <TextField label="Pods" path="status.capacity.pods" value=pods state=state/>
            <label class="check">
                <input type="checkbox" prop:checked=control_plane
                    on:change=move |ev| control_plane.set(event_target_checked(&ev))/>
                " Control plane (role label and NoSchedule taint)"
            </label>
            <FormMessages state=state paths=NODE_PATHS/>
            <button type="submit" data-testid="create-submit">"Add node"</button>
        </form>
    }
}

/// Builds the node the form describes.
fn build_node(
    name: &str,
    labels: &str,
    taints: &str,
    [cpu, memory, pods]: [String; 3],
    control_plane: bool,
) -> Result<Node, FieldMessage> {
    let pods = parse_count(&pods, "status.capacity.pods")?.unwrap_or(110);
    let mut node = Node::with_resources(name.trim(), cpu.trim(), memory.trim(), pods);
    for (key, value) in parse_pairs(labels, "metadata.labels")? {
        node.metadata
            .labels
            .insert(key, value.as_str().unwrap_or_default().to_string());
    }
    for taint in parse_taints(taints, "spec.taints")? {
        if let Ok(taint) = serde_json::from_value::<Taint>(taint) {
            node.spec.taints.push(taint);
        }
    }
    if control_plane {
        let role = "node-role.kubernetes.io/control-plane";
        node.metadata.labels.insert(role.into(), String::new());
        node.spec
            .taints
            .push(Taint::new(role, crate::sim::model::TaintEffect::NoSchedule));
    }
    Ok(node)
}

const DS_PATHS: &[&str] = &[
    "metadata.name",
    "spec.template.spec.containers",
    "spec.template.spec.nodeSelector",
    "spec.template.spec.tolerations",
    "spec.updateStrategy",
];

#[component]
fn DaemonSetForm(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let name = RwSignal::new(String::from("node-exporter"));
    let image = RwSignal::new(String::from("prom/node-exporter:v1.8.2"));
    let node_selector = RwSignal::new(String::new());
    let tolerations = RwSignal::new(String::new());
    let strategy = RwSignal::new(String::from("RollingUpdate"));
    let max_unavailable = RwSignal::new(String::from("1"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = (|| -> Result<Value, FieldMessage> {
            let name = name.get_untracked();
            let mut spec = Map::new();
            let selector = parse_pairs(&node_selector.get_untracked(), DS_PATHS[2])?;
            if !selector.is_empty() {
                spec.insert("nodeSelector".into(), Value::Object(selector));
            }
            let tolerations = parse_tolerations(&tolerations.get_untracked(), DS_PATHS[3])?;
            if !tolerations.is_empty() {
                spec.insert("tolerations".into(), Value::Array(tolerations));
            }
            let mut update = json!({"type": strategy.get_untracked()});
            let unavailable = max_unavailable.get_untracked();
            if strategy.get_untracked() == "RollingUpdate" && !unavailable.trim().is_empty() {
                let value = unavailable
                    .trim()
                    .parse::<i64>()
                    .map_or_else(|_| json!(unavailable.trim()), Value::from);
                update["rollingUpdate"] = json!({"maxUnavailable": value});
            }
            Ok(json!({
                "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": metadata(&name),
                "spec": {
                    "selector": {"matchLabels": {"app": name.trim()}},
                    "template": pod_template(name.trim(), &image.get_untracked(), "", spec),
                    "updateStrategy": update,
                },
            }))
        })();
        state.show(
            built
                .map_err(|m| vec![m])
                .and_then(|value| apply_value(playground, value)),
        );
    };
    view! {
        <form class="create-form" data-testid="daemonset-form" on:submit=submit>
            <TextField label="Name" path="metadata.name" value=name state=state/>
            <TextField label="Image" path="spec.template.spec.containers" value=image state=state/>
            <TextField label="Node selector" path="spec.template.spec.nodeSelector"
                value=node_selector state=state placeholder="disktype=ssd"/>
            <TextField label="Tolerations" path="spec.template.spec.tolerations"
                value=tolerations state=state
                placeholder="node-role.kubernetes.io/control-plane:NoSchedule"/>
            <Choice label="Update strategy" value=strategy choices=&["RollingUpdate", "OnDelete"]/>
            <TextField label="maxUnavailable" path="spec.updateStrategy" value=max_unavailable
                state=state/>
            <FormMessages state=state paths=DS_PATHS/>
            <button type="submit" data-testid="create-submit">"Create DaemonSet"</button>
        </form>
    }
}

const JOB_PATHS: &[&str] = &[
    "metadata.name",
    "spec.completions",
    "spec.parallelism",
    "spec.backoffLimit",
    "spec.template.spec.restartPolicy",
    "spec.template.spec.containers",
];

#[component]
fn JobForm(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let name = RwSignal::new(String::from("countdown"));
    let image = RwSignal::new(String::from("busybox:1.36"));
    let command = RwSignal::new(String::from("sh -c \"sleep 20\""));
    let completions = RwSignal::new(String::from("3"));
    let parallelism = RwSignal::new(String::from("2"));
    let backoff_limit = RwSignal::new(String::from("6"));
    let restart_policy = RwSignal::new(String::from("Never"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = (|| -> Result<Value, FieldMessage> {
            let name = name.get_untracked();
            let mut spec = Map::new();
            put_count(
                &mut spec,
                "completions",
                &completions.get_untracked(),
                JOB_PATHS[1],
            )?;
            put_count(
                &mut spec,
                "parallelism",
                &parallelism.get_untracked(),
                JOB_PATHS[2],
            )?;
            put_count(
                &mut spec,
                "backoffLimit",
                &backoff_limit.get_untracked(),
                JOB_PATHS[3],
            )?;
            let mut pod = Map::new();
            pod.insert(
                "restartPolicy".into(),
                restart_policy.get_untracked().into(),
            );
            let template = pod_template(
                name.trim(),
                &image.get_untracked(),
                &command.get_untracked(),
                pod,
            );
            spec.insert("template".into(), template);
            Ok(
                json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata(&name),
                "spec": spec}),
            )
        })();
        state.show(
            built
                .map_err(|m| vec![m])
                .and_then(|value| apply_value(playground, value)),
        );
    };
    view! {
        <form class="create-form" data-testid="job-form" on:submit=submit>
            <TextField label="Name" path="metadata.name" value=name state=state/>
            <TextField label="Image" path="spec.template.spec.containers" value=image state=state/>
            <TextField label="Command" path="spec.template.spec.containers[0].command"
                value=command state=state/>
            <TextField label="completions" path="spec.completions" value=completions state=state/>
            <TextField label="parallelism" path="spec.parallelism" value=parallelism state=state/>
            <TextField label="backoffLimit" path="spec.backoffLimit" value=backoff_limit
                state=state/>
            <Choice label="restartPolicy" value=restart_policy choices=&["Never", "OnFailure"]/>
            <FormMessages state=state paths=JOB_PATHS/>
            <button type="submit" data-testid="create-submit">"Create Job"</button>
        </form>
    }
}

const DEPLOYMENT_PATHS: &[&str] = &["metadata.name", "spec.replicas", "spec.template"];

#[component]
fn DeploymentForm(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let name = RwSignal::new(String::from("web"));
    let replicas = RwSignal::new(String::from("2"));
    let image = RwSignal::new(String::from("nginx:1.27"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = (|| -> Result<Value, FieldMessage> {
            let name = name.get_untracked();
            let mut spec = Map::new();
            put_count(
                &mut spec,
                "replicas",
                &replicas.get_untracked(),
                DEPLOYMENT_PATHS[1],
            )?;
            spec.insert(
                "selector".into(),
                json!({"matchLabels": {"app": name.trim()}}),
            );
            let template = pod_template(name.trim(), &image.get_untracked(), "", Map::new());
            spec.insert("template".into(), template);
            Ok(
                json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(&name),
                "spec": spec}),
            )
        })();
        state.show(
            built
                .map_err(|m| vec![m])
                .and_then(|value| apply_value(playground, value)),
        );
    };
    view! {
        <form class="create-form" data-testid="deployment-form" on:submit=submit>
            <TextField label="Name" path="metadata.name" value=name state=state/>
            <TextField label="Replicas" path="spec.replicas" value=replicas state=state/>
            <TextField label="Image" path="spec.template" value=image state=state/>
            <FormMessages state=state paths=DEPLOYMENT_PATHS/>
            <button type="submit" data-testid="create-submit">"Create Deployment"</button>
        </form>
    }
}
