//! The state one simulation step reads and writes: clock, API objects, queue, events and the
//! private state of the built-in components (kubelets, node lifecycle, scheduler, PodGC).

use crate::sim::events::{EventLog, EventNote};
use crate::sim::gc::GcState;
use crate::sim::kubelet::Kubelets;
use crate::sim::model::{EventType, ObjectMeta, ObjectReference};
use crate::sim::node_lifecycle::NodeLifecycle;
use crate::sim::queue::{Work, WorkQueue};
use crate::sim::scheduler::SchedulerState;
use crate::sim::store::Store;
use crate::sim::time::{SimDuration, SimTime};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Scenario settings: component timings. Zero delays are allowed for exact timings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Shortest simulated image pull, in milliseconds.
    pub image_pull_min_ms: i64,
    /// Longest simulated image pull, in milliseconds; each pull draws uniformly in between.
    pub image_pull_max_ms: i64,
    /// Time from "Created" to "Started" for a container, in milliseconds.
    pub container_start_ms: i64,
    /// Time a container takes to exit after SIGTERM, in milliseconds (capped by the grace
    /// period; `kubarium.dev/stop-seconds` overrides it per pod).
    pub container_stop_ms: i64,
    /// The kubelet's PLEG relist period, in milliseconds: container state changes are noticed
    /// and written at the next multiple of it. 0 writes them at the exact instant.
    pub kubelet_relist_ms: i64,
    /// `--node-monitor-grace-period`, in milliseconds (50 s since v1.32).
    pub node_monitor_grace_ms: i64,
    /// How many distinct Events the log keeps.
    pub event_capacity: usize,
    /// How many queue items one stepping call may process before it reports an error.
    pub max_items_per_call: u64,
    /// Whether to check cluster invariants after every instant (on by default in debug builds).
    pub check_invariants: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            image_pull_min_ms: 1_000,
            image_pull_max_ms: 3_000,
            container_start_ms: 0,
            container_stop_ms: 1_000,
            kubelet_relist_ms: 1_000,
            node_monitor_grace_ms: 50_000,
            event_capacity: crate::sim::events::DEFAULT_EVENT_CAPACITY,
            max_items_per_call: 5_000_000,
            check_invariants: cfg!(debug_assertions),
        }
    }
}

impl Settings {
    /// Settings with no pull, start, stop or relist delay: every kubelet step happens at the
    /// instant it is caused, so tests can assert exact times.
    pub fn instant() -> Self {
        Settings {
            image_pull_min_ms: 0,
            image_pull_max_ms: 0,
            container_start_ms: 0,
            container_stop_ms: 0,
            kubelet_relist_ms: 0,
            ..Settings::default()
        }
    }
}

/// Everything a simulation step works on, except the controllers themselves.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// The simulated clock.
    pub now: SimTime,
    /// The API objects.
    pub store: Store,
    /// The one random source; every random choice draws from it in a fixed order.
    pub rng: ChaCha8Rng,
    /// The Event log.
    pub events: EventLog,
    /// Component timings.
    pub settings: Settings,
    /// Pending work.
    pub queue: WorkQueue,
    /// Per-node kubelet state (container runtimes, logs, image caches).
    pub kubelets: Kubelets,
    /// Node power state and heartbeat bookkeeping.
    pub node_lifecycle: NodeLifecycle,
    /// The scheduler's per-pod retry bookkeeping.
    pub scheduler: SchedulerState,
    /// Garbage-collector and PodGC bookkeeping.
    pub gc: GcState,
}

impl Cluster {
    /// Queues `work` `delay` from now.
    pub fn schedule(&mut self, delay: SimDuration, work: Work) {
        let due = self.now + delay;
        self.queue.push(due, work);
    }

    /// Records an Event (aggregated) with its plain-language explanation.
    pub fn record(&mut self, note: EventNote) {
        self.events.record(note, self.now);
    }

    /// Shorthand for recording an event about `meta` of `kind`.
    #[allow(clippy::too_many_arguments)]
    pub fn record_about(
        &mut self,
        kind: &str,
        api_version: &str,
        meta: &ObjectMeta,
        type_: EventType,
        reason: &str,
        message: String,
        component: &'static str,
        why: String,
    ) {
        let object: ObjectReference = crate::sim::events::reference(kind, api_version, meta);
        let note = EventNote {
            object,
            type_,
            reason: reason.to_string(),
            message,
            component,
            host: String::new(),
            why,
        };
        self.record(note);
    }

    /// A uniform draw in `[min_ms, max_ms]` from the seeded generator (no draw when equal).
    pub fn jitter_ms(&mut self, min_ms: i64, max_ms: i64) -> i64 {
        if max_ms <= min_ms {
            min_ms
        } else {
            self.rng.random_range(min_ms..=max_ms)
        }
    }
}
