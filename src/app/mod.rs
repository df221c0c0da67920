//! The Leptos playground (wasm32 only): a clock bar above a canvas that draws the cluster.
//!
//! The simulation is one owned value behind the clock driver, not a signal per object: the clock
//! advances it in bounded chunks and bumps a single `frame` signal, and the canvas repaints from a
//! snapshot when that signal changes.

mod canvas;
mod clock;
mod paint;
pub use clock::format_clock;
pub mod panic;

use leptos::prelude::*;

/// Installs the panic hook and mounts the playground into `<body>`.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let clock = clock::Clock::start();
    view! {
        <header class="topbar">
            <h1 class="brand">"Kubarium"</h1>
            <clock::ClockBar clock=clock.clone()/>
        </header>
        <main class="stage">
            <canvas::ClusterCanvas clock=clock/>
        </main>
    }
}
