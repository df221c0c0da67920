//! A kubectl emulator over the simulated cluster: the browser console, the scenario runner and
//! the CLI all speak to the simulation through it, with kubectl's words and columns.

pub mod format;
pub mod printers;
