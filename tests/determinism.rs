//! The default scenario's Event log is the same on every run and every build: this number is
//! asserted here natively and in `tests/browser.rs` under wasm32.

use kubarium::scenario::report::default_scenario_fingerprint;
use kubarium::sim::time::SimDuration;

/// The fingerprint of the default scenario's Event log after five simulated minutes.
pub const DEFAULT_SCENARIO_5M: u64 = 0x1de7_b8ad_d40c_cd1e;

#[test]
fn the_default_scenario_gives_the_same_event_log_every_run() {
    let first = default_scenario_fingerprint(SimDuration::from_secs(300)).expect("runs");
    let second = default_scenario_fingerprint(SimDuration::from_secs(300)).expect("runs");
    assert_eq!(first, second);
    assert_eq!(first, DEFAULT_SCENARIO_5M, "{first:#x}");
}
