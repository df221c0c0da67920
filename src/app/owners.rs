//! The owner chain of the selected object: who controls it, up to the top (Pod → Job →
//! CronJob, Pod → ReplicaSet → Deployment), and what it owns, down to the pods and the nodes
//! they run on (DaemonSet → Pod → Node). Every link selects the object it names.

use super::driver::Playground;
use super::selection::Selection;
use crate::sim::Sim;
use crate::sim::model::{Kind, ObjectKey};
use leptos::prelude::*;

/// Owners followed upwards at most; real chains are two or three long.
const MAX_OWNER_DEPTH: usize = 4;
/// Levels of dependents listed below the object (workload → ReplicaSet/Job → Pod).
const MAX_DEPENDENT_DEPTH: usize = 2;
/// Dependents listed per object at most.
const MAX_DEPENDENTS: usize = 40;

/// One link of the chain: an object and, for a pod, the node it runs on.
#[derive(Clone, Debug, PartialEq)]
struct Link {
    kind: Kind,
    namespace: String,
    name: String,
    node: Option<String>,
    dependents: Vec<Link>,
}

/// The object's controllers, nearest first, following `metadata.ownerReferences[controller]`.
fn owners(sim: &Sim, kind: Kind, key: &ObjectKey) -> Vec<Link> {
    let mut chain = Vec::new();
    let mut current = sim.store().get_object(kind, key);
    while let Some(object) = current.take() {
        if chain.len() == MAX_OWNER_DEPTH {
            break;
        }
        let Some(owner) = object.meta().controller_ref() else {
            break;
        };
        let Some(owner_kind) = Kind::from_name(&owner.kind) else {
            break;
        };
        let owner_key = ObjectKey::new(&object.meta().namespace, &owner.name);
        chain.push(Link {
            kind: owner_kind,
            namespace: owner_key.namespace.clone(),
            name: owner_key.name.clone(),
            node: None,
            dependents: Vec::new(),
        });
        current = sim.store().get_object(owner_kind, &owner_key);
    }
    chain
}

/// What the object with `uid` owns, `depth` levels down, pods with their node.
fn dependents(sim: &Sim, uid: &str, depth: usize) -> Vec<Link> {
    if depth == 0 {
        return Vec::new();
    }
    sim.store()
        .dependents_of(uid)
        .filter(|(kind, _)| *kind != Kind::ControllerRevision)
        .take(MAX_DEPENDENTS)
        .filter_map(|(kind, key)| {
            let object = sim.store().get_object(*kind, key)?;
            let node = sim
                .store()
                .pods()
                .get(key)
                .filter(|_| *kind == Kind::Pod)
                .and_then(|pod| pod.node_name().map(str::to_string));
            Some(Link {
                kind: *kind,
                namespace: key.namespace.clone(),
                name: key.name.clone(),
                node,
                dependents: dependents(sim, &object.meta().uid, depth - 1),
            })
        })
        .collect()
}

/// The owner chain of the object of `kind` at `namespace`/`name`.
#[component]
pub fn OwnerChain(
    playground: Playground,
    selection: RwSignal<Option<Selection>>,
    kind: Kind,
    namespace: String,
    name: String,
) -> impl IntoView {
    let key = ObjectKey::new(if kind.is_namespaced() { &namespace } else { "" }, &name);
    let chain = move || {
        playground.snapshot.track();
        playground.with_sim(|sim| {
            let up = owners(sim, kind, &key);
            let uid = sim
                .store()
                .get_object(kind, &key)
                .map(|o| o.meta().uid.clone())
                .unwrap_or_default();
            (up, dependents(sim, &uid, MAX_DEPENDENT_DEPTH))
        })
    };
    let this = format!("{kind}/{name}");
    view! {
        <h3>"Owner chain"</h3>
        <div class="owner-chain" data-testid="owner-chain">
            {move || {
                let (up, down) = chain();
                let upward = up
                    .into_iter()
                    .rev()
                    .map(|link| view! { <LinkButton link=link selection=selection/> " → " })
                    .collect_view();
                view! {
                    <p>{upward} <strong>{this.clone()}</strong></p>
                    <Tree links=down selection=selection/>
                }
            }}
        </div>
    }
}

#[component]
fn Tree(links: Vec<Link>, selection: RwSignal<Option<Selection>>) -> AnyView {
    if links.is_empty() {
        return ().into_any();
    }
    view! {
            <ul class="owned">
                {links
                    .into_iter()
                    .map(|link| {
                        let below = link.dependents.clone();
                        let node = link.node.clone();
                        view! {
                            <li>
                                "→ " <LinkButton link=link selection=selection/>
                                {node.map(|node| {
                                    let pick = Selection::Node(node.clone());
                                    view! {
                                        " → "
                                        <button class="link"
                                            on:click=move |_| selection.set(Some(pick.clone()))>
                                            {format!("Node/{node}")}
                                        </button>
                                    }
                                })}
                                <Tree links=below selection=selection/>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
    }
    .into_any()
}

#[component]
fn LinkButton(link: Link, selection: RwSignal<Option<Selection>>) -> impl IntoView {
    let pick = Selection::of(link.kind.as_str(), &link.namespace, &link.name);
    view! {
        <button class="link" on:click=move |_| {
            if let Some(pick) = pick.clone() {
                selection.set(Some(pick));
            }
        }>{format!("{}/{}", link.kind, link.name)}</button>
    }
}
