//! The playground's entry point: installs the panic hook and mounts the Leptos app.
//!
//! Trunk builds this binary for `wasm32`. Natively it only says where the playground lives.

#[cfg(target_arch = "wasm32")]
fn main() {
    kubarium::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the playground runs in a browser: `make run` builds and serves it");
}
