//! Kubarium: a Kubernetes controller playground on a simulated clock.
//!
//! The crate has layers, each depending only on those above it:
//!
//! - [`sim`], the simulation core. It knows nothing of browsers: it builds and runs natively, reads
//!   no wall clock, draws all randomness from one seeded source and never iterates a hash map, so a
//!   scenario plus a seed always give the same run.
//! - [`kubectl`], the kubectl emulator and its output formats, over [`sim`] (also native).
//! - [`view`], layout of what the canvas draws, as plain data (also native and tested).
//! - `app`, the Leptos playground, compiled only for `wasm32`. It depends on [`sim`] and [`view`];
//!   neither depends on it.

pub mod kubectl;
pub mod manifest;
pub mod scenario;
pub mod sim;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;
