//! The Leptos playground (wasm32 only): a clock bar, the cluster canvas, an inspector and a
//! list of the canvas' objects.
//!
//! The simulation is one owned value inside the driver, not a signal per object: the driver
//! advances it in bounded chunks and publishes a snapshot signal, and the canvas and panels
//! render from that snapshot.

mod canvas;
mod clock;
mod console;
mod create;
mod cronjob_form;
mod driver;
mod events_panel;
mod inspector;
mod objects;
mod owners;
mod paint;
mod persist;
mod selection;
mod stepper;
mod timeline;
mod workload;
mod yaml_tab;
pub use clock::format_clock;
pub mod panic;

use crate::sim::time::SimTime;
use leptos::prelude::*;

/// Installs the panic hook and mounts the playground into `<body>`.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let clock = clock::Clock::new(SimTime::default());
    let playground = driver::Playground::start(clock.clone());
    let selection = RwSignal::new(None::<selection::Selection>);
    let add_node = move |_| {
        let name = playground.with_sim(driver::next_worker_name);
        let node = crate::sim::model::Node::with_resources(&name, "4", "8Gi", 110);
        let _ = playground.submit(crate::sim::command::Command::AddNode {
            node: Box::new(node),
        });
    };
    view! {
        <header class="topbar">
            <h1 class="brand">"Kubarium"</h1>
            <clock::ClockBar clock=clock.clone()/>
            <stepper::StepControls playground=playground clock=clock.clone()/>
            <persist::Persistence playground=playground clock=clock.clone()/>
            <button class="add-node" data-testid="add-node" on:click=add_node>"Add node"</button>
        </header>
        <p class="caption" data-testid="caption">
            "A control-plane node and three workers. The fluentd DaemonSet runs one pod on every \
             node, the control plane too, because it tolerates the control-plane taint. Add a \
             node and watch a daemon pod appear on it; stop a worker and watch what happens to \
             its pods; delete a daemon pod and the DaemonSet controller replaces it."
        </p>
        <main class="stage">
            <section class="canvas-column">
                <canvas::ClusterCanvas playground=playground clock=clock selection=selection/>
                <objects::Legend playground=playground/>
                <timeline::Timeline playground=playground/>
                <console::Console playground=playground/>
            </section>
            <section class="side-column">
                <inspector::Inspector playground=playground selection=selection/>
                <create::CreateMenu playground=playground/>
                <events_panel::EventLog playground=playground selection=selection/>
                <objects::ObjectList playground=playground selection=selection/>
            </section>
        </main>
        {move || {
            playground
                .error
                .get()
                .map(|error| view! { <p class="sim-error" role="alert">{error}</p> })
        }}
    }
}
