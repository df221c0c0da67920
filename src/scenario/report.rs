//! What the CLI prints at the end of a run: every object as a `v1 List`, the Event log, or
//! kubectl tables.

use super::{ActionLog, format_duration};
use crate::kubectl::{self, get, resources};
use crate::manifest::list_objects;
use crate::sim::Sim;
use crate::sim::time::{SimDuration, SimTime};
use serde_json::Value;

/// Every object of every served kind (nodes and namespaces first) and every Event, as
/// `kubectl get -o json` shapes a `List`, status filled in.
pub fn all_objects(sim: &Sim) -> Value {
    let mut items = Vec::new();
    for rtype in resources::TYPES {
        match rtype.target {
            resources::Target::Kind(kind) => {
                for object in list_objects(sim.store(), kind) {
                    items.push(serde_json::to_value(&object).unwrap_or(Value::Null));
                }
            }
            resources::Target::Events => {
                for recorded in sim.events().iter() {
                    items.push(serde_json::to_value(&recorded.event).unwrap_or(Value::Null));
                }
            }
        }
    }
    get::list_value(items)
}

/// The Event log, one line per event, oldest first: offset from `start`, type, reason,
/// object, message, and `(xN)` for aggregated repeats.
pub fn events_text(sim: &Sim, start: SimTime) -> String {
    let mut rows = vec![
        ["AT", "TYPE", "REASON", "OBJECT", "MESSAGE"]
            .map(String::from)
            .to_vec(),
    ];
    let mut events: Vec<_> = sim.events().iter().map(|r| (r.id, &r.event)).collect();
    events.sort_by_key(|(id, e)| (e.first_timestamp, *id));
    for (_, event) in events {
        let at = event.first_timestamp.unwrap_or(start);
        let mut message = event.message.clone();
        if event.count > 1 {
            message.push_str(&format!(" (x{})", event.count));
        }
        let object = &event.involved_object;
        let name = if object.namespace.is_empty() {
            format!("{}/{}", object.kind.to_lowercase(), object.name)
        } else {
            format!(
                "{}/{}/{}",
                object.namespace,
                object.kind.to_lowercase(),
                object.name
            )
        };
        rows.push(vec![
            format_duration(at - start),
            format!("{:?}", event.type_),
            event.reason.clone(),
            name,
            message,
        ]);
    }
    kubectl::format::table(&rows)
}

/// The timeline's outputs, each under a `# at 1m30s: kubectl get pods` line.
pub fn actions_text(log: &[ActionLog]) -> String {
    let mut text = String::new();
    for entry in log {
        text.push_str(&format!(
            "# at {}: {}\n",
            format_duration(entry.at),
            entry.what
        ));
        text.push_str(&entry.output.stdout);
        text.push_str(&entry.output.stderr);
    }
    text
}

/// The end state as kubectl tables: nodes, then everything in every namespace.
pub fn tables_text(sim: &mut Sim) -> String {
    let nodes = kubectl::run(sim, "get nodes", None);
    let all = kubectl::run(sim, "get all -A", None);
    format!("{}\n{}{}", nodes.stdout, all.stdout, all.stderr)
}

/// A 64-bit FNV-1a fingerprint of [`events_text`]: equal fingerprints mean the same Event log,
/// which is how the native and the wasm32 builds are checked to run a scenario identically.
pub fn event_log_fingerprint(sim: &Sim, start: SimTime) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    events_text(sim, start).bytes().fold(OFFSET, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// Runs the embedded default scenario for `until` and fingerprints its Event log; the same
/// number natively and in the browser is the determinism check across builds.
pub fn default_scenario_fingerprint(until: SimDuration) -> Result<u64, super::ScenarioError> {
    let scenario = super::Scenario::parse(super::DEFAULT)?;
    let start = scenario.start;
    let (mut runner, _) = super::Runner::new(scenario, None)?;
    runner.run_to(until)?;
    Ok(event_log_fingerprint(&runner.sim, start))
}
