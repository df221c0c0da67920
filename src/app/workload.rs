//! The inspector for a workload (DaemonSet, Job, Deployment, ReplicaSet, ...): its status
//! fields and conditions, its owner chain, for a DaemonSet the per-node eligibility table, its
//! Events with their why, and its YAML to copy or download.

use super::driver::Playground;
use super::owners::OwnerChain;
use super::selection::Selection;
use crate::sim::Sim;
use crate::sim::command::Command;
use crate::sim::controllers::daemonset::{
    daemon_pod_tolerations, node_should_run_daemon_pod, nodes_to_daemon_pods,
};
use crate::sim::model::pod::tolerates_taint;
use crate::sim::model::{Kind, ObjectKey};
use leptos::prelude::*;
use serde_json::Value;

/// The panel for a selected workload.
#[component]
pub fn WorkloadPanel(
    playground: Playground,
    selection: RwSignal<Option<Selection>>,
    kind: Kind,
    namespace: String,
    name: String,
) -> impl IntoView {
    let key = ObjectKey::new(&namespace, &name);
    let status = {
        let key = key.clone();
        move || {
            playground.snapshot.track();
            playground.with_sim(|sim| status_rows(sim, kind, &key))
        }
    };
    let feedback = RwSignal::new(None::<Result<String, String>>);
    let delete = {
        let (ns, n) = (namespace.clone(), name.clone());
        move |_| feedback.set(Some(playground.submit(Command::delete(kind, &ns, &n))))
    };
    view! {
        <h2>{kind.as_str()} " " <code>{format!("{namespace}/{name}")}</code></h2>
        <div data-testid="workload-details">
            {move || match status() {
                Some(rows) => super::inspector::field_list(rows),
                None => view! { <p class="hint">"This object no longer exists."</p> }.into_any(),
            }}
        </div>
        <div class="actions" role="group" aria-label="Workload actions">
            <button on:click=delete>"Delete"</button>
        </div>
        {move || feedback.get().map(|result| match result {
            Ok(text) => view! { <p class="ok" role="status">{text}</p> }.into_any(),
            Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
        })}
        <OwnerChain playground=playground selection=selection kind=kind
            namespace=namespace.clone() name=name.clone()/>
        {(kind == Kind::DaemonSet).then(|| view! {
            <Eligibility playground=playground key=key.clone()/>
        })}
        <super::inspector::Events playground=playground name=name.clone()/>
        <ObjectYaml playground=playground kind=kind key=key/>
    }
}

/// Top-level scalar fields of `status` and its conditions, as label/value rows.
fn status_rows(sim: &Sim, kind: Kind, key: &ObjectKey) -> Option<Vec<(String, String)>> {
    let object = sim.store().get_object(kind, key)?;
    let value = serde_json::to_value(&object).unwrap_or(Value::Null);
    let mut rows = Vec::new();
    if let Some(status) = value.get("status").and_then(Value::as_object) {
        for (field, value) in status {
            match value {
                Value::Array(_) | Value::Object(_) | Value::Null => {}
                Value::String(text) => rows.push((field.clone(), text.clone())),
                other => rows.push((field.clone(), other.to_string())),
            }
        }
        if let Some(conditions) = status.get("conditions").and_then(Value::as_array) {
            let text: Vec<String> = conditions
                .iter()
                .map(|c| {
                    let field = |name: &str| c.get(name).and_then(Value::as_str).unwrap_or("");
                    format!("{}={} {}", field("type"), field("status"), field("reason"))
                })
                .collect();
            rows.push(("conditions".into(), text.join(", ")));
        }
    }
    Some(rows)
}

/// One row of the DaemonSet eligibility table.
#[derive(Clone, Debug, PartialEq)]
struct NodeEligibility {
    node: String,
    selector_matches: bool,
    untolerated: Vec<String>,
    should_run: bool,
    should_continue_running: bool,
    daemon_pods: usize,
}

/// For every node, what the DaemonSet controller decides and why; mirrors the inputs of
/// `NodeShouldRunDaemonPod` (node name and affinity, then taints the pods do not tolerate).
fn eligibility(sim: &Sim, key: &ObjectKey) -> Vec<NodeEligibility> {
    let Some(ds) = sim.store().daemon_sets().get(key) else {
        return Vec::new();
    };
    let template = &ds.spec.template.spec;
    let tolerations = daemon_pod_tolerations(template);
    let pods = nodes_to_daemon_pods(sim.cluster(), &ds.metadata.uid);
    sim.store()
        .nodes()
        .iter()
        .map(|node| {
            let (should_run, should_continue_running) =
                node_should_run_daemon_pod(node, ds, &tolerations);
            let name_fits = template
                .node_name
                .as_deref()
                .is_none_or(|n| n.is_empty() || n == node.name());
            NodeEligibility {
                node: node.name().to_string(),
                selector_matches: name_fits && template.node_affinity_matches(node),
                untolerated: node
                    .spec
                    .taints
                    .iter()
                    .filter(|taint| !tolerates_taint(&tolerations, taint))
                    .map(crate::view::snapshot::taint_text)
                    .collect(),
                should_run,
                should_continue_running,
                daemon_pods: pods.get(node.name()).map_or(0, Vec::len),
            }
        })
        .collect()
}

#[component]
fn Eligibility(playground: Playground, key: ObjectKey) -> impl IntoView {
    let yes_no = |flag: bool| if flag { "yes" } else { "no" };
    let rows = move || {
        playground.snapshot.track();
        playground
            .with_sim(|sim| eligibility(sim, &key))
            .into_iter()
            .map(|row| {
                let taints = if row.untolerated.is_empty() {
                    "none".to_string()
                } else {
                    row.untolerated.join(", ")
                };
                let node = row.node.clone();
                view! {
                    <tr data-testid="eligibility-row" data-node=node>
                        <th scope="row">{row.node}</th>
                        <td>{yes_no(row.selector_matches)}</td>
                        <td>{taints}</td>
                        <td>{yes_no(row.should_run)}</td>
                        <td>{yes_no(row.should_continue_running)}</td>
                        <td>{row.daemon_pods}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <h3>"Where it runs"</h3>
        <table class="eligibility" data-testid="eligibility">
            <caption>
                "The DaemonSet controller's decision per node (NodeShouldRunDaemonPod): a pod \
                 runs where the node selector matches and every taint is tolerated."
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Node"</th>
                    <th scope="col">"Selector matches"</th>
                    <th scope="col">"Untolerated taints"</th>
                    <th scope="col">"Should run"</th>
                    <th scope="col">"Should continue running"</th>
                    <th scope="col">"Pods"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The object as YAML, with buttons to copy it and to download it as a file.
#[component]
pub fn ObjectYaml(playground: Playground, kind: Kind, key: ObjectKey) -> impl IntoView {
    let file_name = format!("{}-{}.yaml", kind.as_str().to_lowercase(), key.name);
    let yaml = Memo::new(move |_| {
        playground.snapshot.track();
        playground.with_sim(|sim| {
            sim.store()
                .get_object(kind, &key)
                .map(|object| serde_saphyr::to_string(&object).unwrap_or_else(|e| e.to_string()))
                .unwrap_or_default()
        })
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .navigator()
                .clipboard()
                .write_text(&yaml.get_untracked());
            copied.set(true);
        }
    };
    let href = move || {
        let encoded = js_sys::encode_uri_component(&yaml.get());
        format!(
            "data:application/yaml;charset=utf-8,{}",
            String::from(encoded)
        )
    };
    view! {
        <details class="yaml">
            <summary>"YAML"</summary>
            <div class="actions">
                <button on:click=copy data-testid="copy-yaml">
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
                <a class="button" href=href download=file_name>"Download"</a>
            </div>
            <pre data-testid="object-yaml">{move || yaml.get()}</pre>
        </details>
    }
}
