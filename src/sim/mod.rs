//! The simulation core: a deterministic discrete-event model of a Kubernetes cluster.
//!
//! Nothing below this module touches a browser API, reads a wall clock or iterates a hash map.
//! Time is passed in as [`time::SimTime`]; randomness comes from one seeded generator.

pub mod schedule;
pub mod time;
pub mod validation;
