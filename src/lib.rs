//! Kubarium: a Kubernetes controller playground on a simulated clock.
//!
//! The crate has two layers with one direction between them:
//!
//! - [`sim`], the simulation core. It knows nothing of browsers: it builds and runs natively, reads
//!   no wall clock, draws all randomness from one seeded source and never iterates a hash map, so a
//!   scenario plus a seed always give the same run.
//! - `app`, the Leptos playground, compiled only for `wasm32`. It depends on [`sim`]; the core
//!   never depends on it.

pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod app;
