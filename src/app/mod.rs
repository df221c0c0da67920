//! The Leptos playground (wasm32 only): panels around a canvas that draws the simulation.

/// Installs the panic hook and mounts the playground into `<body>`.
pub fn start() {
    console_error_panic_hook::set_once();
}
