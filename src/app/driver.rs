//! The simulation driver: owns the one `Sim`, advances it in bounded chunks on a gloo-timers
//! tick, and publishes a fresh snapshot for the canvas when something changed.

use super::clock::Clock;
use crate::sim::Sim;
use crate::sim::cluster::Settings;
use crate::sim::command::Command;
use crate::sim::model::{Node, Object, Taint, TaintEffect};
use crate::sim::time::{SimDuration, SimTime};
use crate::view::snapshot::{self, ClusterSnapshot};
use gloo_timers::callback::Interval;
use leptos::prelude::*;

/// How often the driver wakes, in wall-clock milliseconds (about one display frame).
const TICK_MS: u32 = 16;

/// The longest wall-clock gap one tick turns into simulated time, so a tab that was in the
/// background does not leap ahead when it comes back.
const MAX_TICK_GAP_MS: f64 = 250.0;

/// Queue items one tick may process: at 1000× a burst of work is spread over several frames
/// instead of freezing the page.
const ITEMS_PER_TICK: u64 = 20_000;

/// The playground's simulation and what the panels read from it.
#[derive(Clone, Copy)]
pub struct Playground {
    sim: StoredValue<Sim, LocalStorage>,
    /// What the canvas draws.
    pub snapshot: RwSignal<ClusterSnapshot>,
    /// The last error from the simulation, shown instead of a silent stop.
    pub error: RwSignal<Option<String>>,
}

impl Playground {
    /// Builds the default cluster and starts driving it with `clock`.
    pub fn start(clock: Clock) -> Self {
        let sim = default_cluster();
        clock.now.set(sim.now());
        let playground = Playground {
            snapshot: RwSignal::new(snapshot::from_sim(&sim)),
            sim: StoredValue::new_local(sim),
            error: RwSignal::new(None),
        };
        playground.drive(clock);
        playground
    }

    /// Applies a command now and refreshes the snapshot; the error text on refusal.
    pub fn submit(&self, command: Command) -> Result<String, String> {
        let outcome = self
            .sim
            .try_update_value(|sim| sim.submit(command))
            .ok_or_else(|| "the simulation is gone".to_string())?;
        self.publish();
        outcome
            .map(|outcome| outcome.message)
            .map_err(|err| err.to_string())
    }

    /// Reads the simulation.
    pub fn with_sim<T>(&self, read: impl FnOnce(&Sim) -> T) -> T {
        self.sim.with_value(read)
    }

    fn publish(&self) {
        self.sim
            .with_value(|sim| self.snapshot.set(snapshot::from_sim(sim)));
    }

    fn drive(self, clock: Clock) {
        let mut last_wall_ms = wall_ms();
        let mut last_version = 0;
        // The interval lives as long as the page: the playground is never unmounted.
        Interval::new(TICK_MS, move || {
            let wall = wall_ms();
            let gap_ms = (wall - last_wall_ms).clamp(0.0, MAX_TICK_GAP_MS);
            last_wall_ms = wall;
            if !clock.playing.get_untracked() || self.error.get_untracked().is_some() {
                return;
            }
            let step = SimDuration::from_ms((gap_ms * clock.speed.get_untracked()).round() as i64);
            let advanced = self.sim.try_update_value(|sim| {
                let target = sim.now() + step;
                sim.advance_toward(target, ITEMS_PER_TICK).map(|_| {
                    let version = sim.store().resource_version();
                    (
                        sim.now(),
                        std::mem::replace(&mut last_version, version) != version,
                    )
                })
            });
            match advanced {
                Some(Ok((now, changed))) => {
                    clock.now.set(now);
                    if changed {
                        self.publish();
                    }
                }
                Some(Err(err)) => self.error.set(Some(err.to_string())),
                None => {}
            }
        })
        .forget();
    }
}

/// The first `worker-N` name no node has.
pub fn next_worker_name(sim: &Sim) -> String {
    (1..)
        .map(|index| format!("worker-{index}"))
        .find(|name| {
            sim.store()
                .nodes()
                .get(&crate::sim::model::ObjectKey::cluster(name))
                .is_none()
        })
        .unwrap_or_else(|| "worker".to_string())
}

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |perf| perf.now())
}

/// The first load: one control-plane node and three workers running the kubernetes.io
/// fluentd-elasticsearch DaemonSet, the pi Job, the hello CronJob and a 3-replica nginx
/// Deployment.
// TODO(#8): load the embedded default scenario (Job, CronJob, Deployment too) once the
// scenario format lands.
fn default_cluster() -> Sim {
    let start = SimTime::parse_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default();
    let mut sim = Sim::starting_at(42, Settings::default(), start);
    let mut control_plane = Node::with_resources("control-plane", "2", "4Gi", 110);
    control_plane.metadata.labels.insert(
        "node-role.kubernetes.io/control-plane".into(),
        String::new(),
    );
    control_plane.spec.taints.push(Taint::new(
        "node-role.kubernetes.io/control-plane",
        TaintEffect::NoSchedule,
    ));
    let mut commands = vec![Command::AddNode {
        node: Box::new(control_plane),
    }];
    for index in 1..=3 {
        let worker = Node::with_resources(&format!("worker-{index}"), "4", "8Gi", 110);
        commands.push(Command::AddNode {
            node: Box::new(worker),
        });
    }
    for document in [
        include_str!("../scenarios/fluentd-elasticsearch.yaml"),
        include_str!("../scenarios/pi-job.yaml"),
        include_str!("../scenarios/hello-cronjob.yaml"),
        include_str!("../scenarios/nginx-deployment.yaml"),
    ] {
        let with_namespace =
            serde_saphyr::from_str::<serde_json::Value>(document).map(|mut doc| {
                // kubectl sends objects without a namespace to the current one: `default`.
                if doc.pointer("/metadata/namespace").is_none()
                    && let Some(meta) = doc.get_mut("metadata").and_then(|m| m.as_object_mut())
                {
                    meta.insert("namespace".into(), "default".into());
                }
                doc
            });
        match with_namespace.map(Object::from_json) {
            Ok(Ok(object)) => commands.push(Command::Apply(Box::new(object))),
            Ok(Err(err)) => leptos::logging::error!("default scenario: {err}"),
            Err(err) => leptos::logging::error!("default scenario: {err}"),
        }
    }
    for command in commands {
        if let Err(err) = sim.submit(command) {
            leptos::logging::error!("default scenario: {err}");
        }
    }
    sim
}
