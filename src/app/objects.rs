//! The canvas in words: every node and pod as a button, for keyboards and screen readers, plus
//! the legend that explains the canvas' colours and shapes.

use super::driver::Playground;
use super::selection::Selection;
use crate::view::palette::{BARE_POD_COLOUR, owner_colours};
use crate::view::snapshot::{PodMark, PodView};
use leptos::prelude::*;

/// Nodes listed at most; a larger cluster is summarised after them.
const NODES_LISTED: usize = 200;
/// Pods listed per node at most.
const PODS_LISTED: usize = 30;

/// Nodes and their pods as a nested list of buttons that select them.
#[component]
pub fn ObjectList(playground: Playground, selection: RwSignal<Option<Selection>>) -> impl IntoView {
    let pod_button = move |pod: PodView, node: String| {
        let owner = pod
            .owner
            .as_ref()
            .map(|o| format!("{}/{}", o.kind, o.name))
            .unwrap_or_default();
        let pick = Selection::Pod {
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
        };
        view! {
            <li>
                <button
                    class="pod-item"
                    data-testid="pod-item"
                    data-name=pod.name.clone()
                    data-node=node
                    data-owner=owner
                    data-mark=pod.mark.label()
                    on:click=move |_| selection.set(Some(pick.clone()))
                >
                    {format!("{} — {}", pod.name, pod.mark.label())}
                </button>
            </li>
        }
    };
    let nodes = move || {
        let snapshot = playground.snapshot.get();
        let hidden = snapshot.nodes.len().saturating_sub(NODES_LISTED);
        let listed = snapshot.nodes.into_iter().take(NODES_LISTED).map(|node| {
            let status = node.status.column(node.unschedulable);
            let pick = Selection::Node(node.name.clone());
            let count = node.pods.len();
            let name = node.name.clone();
            let pods = node
                .pods
                .into_iter()
                .take(PODS_LISTED)
                .map(|pod| pod_button(pod, name.clone()))
                .collect_view();
            view! {
                <li>
                    <button
                        class="node-item"
                        data-testid="node-item"
                        data-name=node.name.clone()
                        data-status=status.clone()
                        on:click=move |_| selection.set(Some(pick.clone()))
                    >
                        {format!("{} — {} — {} pods", node.name, status, count)}
                    </button>
                    <ul>{pods}</ul>
                </li>
            }
        });
        let unscheduled = snapshot
            .unscheduled
            .into_iter()
            .map(|pod| pod_button(pod, String::new()))
            .collect_view();
        view! {
            {listed.collect_view()}
            {(hidden > 0).then(|| view! { <li>{format!("… and {hidden} more nodes")}</li> })}
            <li>"Not scheduled" <ul>{unscheduled}</ul></li>
        }
    };
    view! {
        <details class="objects" open>
            <summary>"Nodes and pods"</summary>
            <ul data-testid="object-list">{nodes}</ul>
        </details>
    }
}

/// Which colour is which workload, and which shape is which pod state.
#[component]
pub fn Legend(playground: Playground) -> impl IntoView {
    let workloads = move || {
        let colours = playground.snapshot.with(owner_colours);
        colours
            .into_iter()
            .map(|(owner, colour)| {
                view! {
                    <li>
                        <span class="swatch" style=format!("background:{colour}")></span>
                        {format!("{}/{}", owner.kind, owner.name)}
                    </li>
                }
            })
            .collect_view()
    };
    let marks = PodMark::ALL
        .iter()
        .map(|mark| view! { <li class=format!("mark mark-{mark:?}")>{mark.label()}</li> })
        .collect_view();
    view! {
        <div class="legend" aria-label="Legend">
            <ul class="workloads">
                {workloads}
                <li>
                    <span class="swatch" style=format!("background:{BARE_POD_COLOUR}")></span>
                    "bare pod"
                </li>
            </ul>
            <ul class="marks">{marks}</ul>
        </div>
    }
}
