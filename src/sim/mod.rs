//! The simulation core: a deterministic discrete-event model of a Kubernetes cluster.
//!
//! Nothing below this module touches a browser API, reads a wall clock or iterates a hash map.
//! Time is passed in as [`time::SimTime`]; randomness comes from one seeded generator.
//!
//! # Shape
//!
//! A [`Sim`] owns a [`cluster::Cluster`] (clock, API objects, event queue, Event log, the seeded
//! random source and the private state of the built-in components) and the registered
//! controllers. Work waits in a queue ordered by (due time, sequence number). Processing an item
//! writes API objects; every write is recorded as a [`store::Change`] and handed to the
//! components that watch it, which queue more work — the simulation's informers and work queues.
//!
//! External input is one closed enum, [`command::Command`], applied between steps with
//! [`Sim::submit`]. Stepping is always bounded: each call processes at most
//! [`cluster::Settings::max_items_per_call`] items and reports [`SimError::Overrun`] past it.
//!
//! # Using it
//!
//! ```
//! use kubarium::sim::{Sim, command::Command, model::DaemonSet, time::SimDuration};
//! let mut sim = Sim::new(42);
//! sim.submit(Command::add_node("worker-1")).expect("new node");
//! sim.submit(Command::apply(DaemonSet::new("default", "fluentd", "fluentd:v1"))).expect("valid");
//! sim.advance_by(SimDuration::from_secs(30)).expect("bounded run");
//! let ds = sim.store().daemon_sets().iter().next().expect("applied");
//! assert_eq!(ds.status.number_ready, 1);
//! ```

pub mod admission;
pub mod cluster;
pub mod command;
pub mod controllers;
pub mod events;
pub mod gc;
pub mod invariants;
pub mod kubelet;
pub mod model;
pub mod node_lifecycle;
pub mod program;
pub mod queue;
pub mod rollout;
pub mod schedule;
pub mod scheduler;
pub mod store;
pub mod time;
pub mod validation;

use cluster::{Cluster, Settings};
use command::{Command, CommandError};
use controllers::{Controller, SyncReport};
use events::EventLog;
use model::{Namespace, ObjectKey};
use queue::Work;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::fmt;
use store::Store;
use time::{SimDuration, SimTime};

/// The instant every simulation starts at unless told otherwise: 2024-01-01T00:00:00Z.
pub const DEFAULT_START: SimTime = SimTime::from_unix_secs(1_704_067_200);

/// Why a stepping call stopped early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// More items were due than one call may process; the run is probably in a loop.
    Overrun {
        /// The per-call limit.
        limit: u64,
        /// The simulated instant reached.
        at: SimTime,
    },
    /// `run_until` reached its bound without the predicate becoming true.
    DeadlineReached {
        /// The bound.
        deadline: SimTime,
    },
    /// A cluster invariant was broken (only checked when enabled).
    Invariant {
        /// The instant after which the check failed.
        at: SimTime,
        /// What is wrong.
        violations: Vec<String>,
    },
    /// No registered controller has this name.
    UnknownController(String),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Overrun { limit, at } => {
                write!(
                    f,
                    "more than {limit} work items in one call (stopped at {at})"
                )
            }
            SimError::DeadlineReached { deadline } => {
                write!(f, "condition not reached by {deadline}")
            }
            SimError::Invariant { at, violations } => {
                write!(f, "invariant broken at {at}: {}", violations.join("; "))
            }
            SimError::UnknownController(name) => write!(f, "no controller named {name:?}"),
        }
    }
}

impl std::error::Error for SimError {}

/// The initial back-off of a failed sync (client-go's default controller rate limiter).
const SYNC_RETRY_BASE_MS: i64 = 5;
/// The cap of that back-off.
const SYNC_RETRY_MAX_MS: i64 = 1_000_000;

/// A simulated cluster with its controllers.
pub struct Sim {
    seed: u64,
    cluster: Cluster,
    controllers: Vec<Box<dyn Controller>>,
    sync_failures: BTreeMap<(usize, ObjectKey), u32>,
    checked_at: Option<SimTime>,
}

impl Sim {
    /// A cluster with default settings starting at [`DEFAULT_START`], seeded with `seed`.
    pub fn new(seed: u64) -> Sim {
        Sim::with_settings(seed, Settings::default())
    }

    /// A cluster with `settings`, starting at [`DEFAULT_START`].
    pub fn with_settings(seed: u64, settings: Settings) -> Sim {
        Sim::starting_at(seed, settings, DEFAULT_START)
    }

    /// A cluster with `settings` whose clock starts at `start`. It holds the `default` and
    /// `kube-system` namespaces and no nodes.
    pub fn starting_at(seed: u64, settings: Settings, start: SimTime) -> Sim {
        let mut cluster = Cluster {
            now: start,
            store: Store::default(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            events: EventLog::with_capacity(settings.event_capacity),
            settings,
            queue: Default::default(),
            kubelets: Default::default(),
            node_lifecycle: node_lifecycle::NodeLifecycle::new(start),
            scheduler: Default::default(),
            gc: Default::default(),
        };
        for name in ["default", "kube-system"] {
            let created = cluster
                .store
                .create(Namespace::new(name), start, &mut cluster.rng);
            created.expect("an empty store accepts the built-in namespaces");
        }
        let mut sim = Sim {
            seed,
            cluster,
            controllers: controllers::registry(),
            sync_failures: BTreeMap::new(),
            checked_at: None,
        };
        sim.dispatch_changes();
        sim
    }

    /// The seed this run was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.cluster.now
    }

    /// The whole cluster state.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The whole cluster state, mutably: for tests that prepare a store by hand. Writes made
    /// here are dispatched to watchers at the next [`Sim::submit`], step or sync.
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The API objects.
    pub fn store(&self) -> &Store {
        &self.cluster.store
    }

    /// The Event log.
    pub fn events(&self) -> &EventLog {
        &self.cluster.events
    }

    /// The registered controller of type `T`, to inspect its private state.
    pub fn controller<T: Controller>(&self) -> Option<&T> {
        self.controllers
            .iter()
            .find_map(|c| c.as_any().downcast_ref::<T>())
    }

    /// Applies an external command at the current instant.
    pub fn submit(&mut self, command: Command) -> Result<command::Outcome, CommandError> {
        self.dispatch_changes();
        let outcome = command::apply(&mut self.cluster, command);
        self.dispatch_changes();
        outcome
    }

    /// Processes the single earliest queued item, moving the clock to its due time. Returns
    /// that time, or `None` when nothing is queued.
    pub fn step(&mut self) -> Result<Option<SimTime>, SimError> {
        self.dispatch_changes();
        let Some(due) = self.cluster.queue.next_due() else {
            return Ok(None);
        };
        self.check_before(due)?;
        if let Some((due, work)) = self.cluster.queue.pop_due(due) {
            self.process(due, work);
        }
        Ok(Some(self.cluster.now))
    }

    /// Processes everything due up to and including `until`, then sets the clock to `until`.
    pub fn advance_to(&mut self, until: SimTime) -> Result<(), SimError> {
        self.dispatch_changes();
        let mut processed: u64 = 0;
        while let Some(due) = self.cluster.queue.next_due().filter(|due| *due <= until) {
            self.check_before(due)?;
            if let Some((due, work)) = self.cluster.queue.pop_due(due) {
                self.process(due, work);
            }
            processed += 1;
            if processed > self.cluster.settings.max_items_per_call {
                let limit = self.cluster.settings.max_items_per_call;
                return Err(SimError::Overrun {
                    limit,
                    at: self.cluster.now,
                });
            }
        }
        self.check_before(until.max(self.cluster.now) + SimDuration::from_ms(1))?;
        self.cluster.now = until.max(self.cluster.now);
        Ok(())
    }

    /// Like [`Sim::advance_to`], but processes at most `max_items` queued items: the playground
    /// calls it once per frame so a burst of work never freezes the page. Returns `true` when
    /// the clock reached `until`, `false` when the budget ran out first (the clock then stands at
    /// the last processed item and the rest waits for the next call).
    pub fn advance_toward(&mut self, until: SimTime, max_items: u64) -> Result<bool, SimError> {
        self.dispatch_changes();
        let mut processed: u64 = 0;
        while let Some(due) = self.cluster.queue.next_due().filter(|due| *due <= until) {
            if processed == max_items {
                return Ok(false);
            }
            self.check_before(due)?;
            if let Some((due, work)) = self.cluster.queue.pop_due(due) {
                self.process(due, work);
            }
            processed += 1;
        }
        self.dispatch_changes();
        self.check_before(until.max(self.cluster.now) + SimDuration::from_ms(1))?;
        self.cluster.now = until.max(self.cluster.now);
        Ok(true)
    }

    /// When the next queued item is due, if anything is queued.
    pub fn next_due(&self) -> Option<SimTime> {
        self.cluster.queue.next_due()
    }

    /// Processes everything due in the next `duration`.
    pub fn advance_by(&mut self, duration: SimDuration) -> Result<(), SimError> {
        self.advance_to(self.cluster.now + duration)
    }

    /// Steps instant by instant until `done` holds (checked first, then after each instant) or
    /// `bound` of simulated time has passed. Returns the instant `done` became true.
    pub fn run_until(
        &mut self,
        mut done: impl FnMut(&Sim) -> bool,
        bound: SimDuration,
    ) -> Result<SimTime, SimError> {
        let deadline = self.cluster.now + bound;
        let mut processed: u64 = 0;
        loop {
            self.dispatch_changes();
            if done(self) {
                return Ok(self.cluster.now);
            }
            let Some(next) = self.cluster.queue.next_due().filter(|due| *due <= deadline) else {
                self.advance_to(deadline)?;
                return if done(self) {
                    Ok(self.cluster.now)
                } else {
                    Err(SimError::DeadlineReached { deadline })
                };
            };
            while let Some(due) = self.cluster.queue.next_due().filter(|due| *due <= next) {
                self.check_before(due)?;
                if let Some((due, work)) = self.cluster.queue.pop_due(due) {
                    self.process(due, work);
                }
                processed += 1;
                if processed > self.cluster.settings.max_items_per_call {
                    let limit = self.cluster.settings.max_items_per_call;
                    return Err(SimError::Overrun {
                        limit,
                        at: self.cluster.now,
                    });
                }
            }
        }
    }

    /// Runs one sync of the controller named `name` for `key` right now, outside the queue, as
    /// upstream unit tests call `syncHandler` once on a prepared store.
    pub fn sync_once(&mut self, name: &str, key: &ObjectKey) -> Result<SyncReport, SimError> {
        self.dispatch_changes();
        let index = self
            .controllers
            .iter()
            .position(|c| c.name() == name)
            .ok_or_else(|| SimError::UnknownController(name.to_string()))?;
        let report = self.controllers[index].sync(key, &mut self.cluster);
        self.dispatch_changes();
        Ok(report)
    }

    /// Checks every cluster invariant now; see [`invariants`].
    pub fn check_invariants(&self) -> Result<(), Vec<String>> {
        let mut violations = invariants::check(&self.cluster).err().unwrap_or_default();
        for controller in &self.controllers {
            controller.check_invariants(&self.cluster, &mut violations);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Runs the invariant check once per instant, just before the clock moves past it.
    fn check_before(&mut self, next: SimTime) -> Result<(), SimError> {
        let now = self.cluster.now;
        if !self.cluster.settings.check_invariants || next <= now || self.checked_at == Some(now) {
            return Ok(());
        }
        self.checked_at = Some(now);
        self.check_invariants()
            .map_err(|violations| SimError::Invariant {
                at: now,
                violations,
            })
    }

    /// Processes one work item at `due` and hands the resulting writes to watchers.
    fn process(&mut self, due: SimTime, work: Work) {
        self.cluster.now = self.cluster.now.max(due);
        match work {
            Work::Sync { controller, key } => self.run_sync(controller, key),
            Work::Schedule { pod } => scheduler::schedule_one(&mut self.cluster, &pod),
            Work::Kubelet {
                pod_uid,
                epoch,
                action,
            } => kubelet::handle(&mut self.cluster, &pod_uid, epoch, action),
            Work::NodeGraceExpired { node, epoch } => {
                node_lifecycle::grace_expired(&mut self.cluster, &node, epoch)
            }
            Work::TaintEviction { pod, uid } => {
                node_lifecycle::evict(&mut self.cluster, &pod, &uid)
            }
            Work::PodGc => gc::pod_gc_tick(&mut self.cluster),
            Work::GarbageCollect => gc::collect(&mut self.cluster),
        }
        self.dispatch_changes();
    }

    /// Runs a queued sync; a failed sync is retried with per-key exponential back-off and a
    /// successful one may ask to be requeued after a delay.
    fn run_sync(&mut self, controller: usize, key: ObjectKey) {
        let Some(handler) = self.controllers.get_mut(controller) else {
            return;
        };
        let report = handler.sync(&key, &mut self.cluster);
        let failure_key = (controller, key.clone());
        if report.error.is_some() {
            let failures = self.sync_failures.entry(failure_key).or_insert(0);
            let delay_ms = (SYNC_RETRY_BASE_MS << (*failures).min(30)).min(SYNC_RETRY_MAX_MS);
            *failures += 1;
            self.cluster.schedule(
                SimDuration::from_ms(delay_ms),
                Work::Sync { controller, key },
            );
            return;
        }
        self.sync_failures.remove(&failure_key);
        if let Some(after) = report.requeue_after {
            self.cluster.schedule(after, Work::Sync { controller, key });
        }
    }

    /// Hands writes made through [`Sim::cluster_mut`] to the watchers now, queueing the work
    /// they cause without processing it (tests use it to see what a change enqueues).
    pub fn flush_changes(&mut self) {
        self.dispatch_changes();
    }

    /// Hands every recorded write to the built-in components and the controllers' watch
    /// handlers, which queue the work it causes. Watchers only queue; they never write, so one
    /// pass drains everything.
    fn dispatch_changes(&mut self) {
        let changes = self.cluster.store.take_changes();
        let mut keys = Vec::new();
        for change in &changes {
            scheduler::on_change(&mut self.cluster, change);
            kubelet::on_change(&mut self.cluster, change);
            node_lifecycle::on_change(&mut self.cluster, change);
            gc::on_change(&mut self.cluster, change);
            for (index, controller) in self.controllers.iter_mut().enumerate() {
                keys.clear();
                controller.watch(change, &self.cluster, &mut keys);
                for (key, delay) in keys.drain(..) {
                    self.cluster.schedule(
                        delay,
                        Work::Sync {
                            controller: index,
                            key,
                        },
                    );
                }
            }
        }
    }
}
