//! What the canvas draws and where, as plain data: no browser types, so it is tested natively.
//!
//! The playground turns a snapshot of the simulation into a [`layout::Scene`] each frame and hands
//! it to the canvas painter. Keeping layout here means the arithmetic of cards, grids and hit
//! targets is checked by `cargo test` rather than by eye.

pub mod anim;
pub mod camera;
pub mod completion;
pub mod forms;
pub mod history;
pub mod layout;
pub mod palette;
pub mod snapshot;
