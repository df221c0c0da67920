//! Controllers: work-queue driven reconcilers like kube-controller-manager's.
//!
//! Each controller watches store changes (the simulation's informer events) and names the keys
//! to reconcile; the [`crate::sim::Sim`] queues a sync per key, deduplicated like client-go's
//! work queue. A sync reads the cluster, computes a plan with pure helpers, applies it in one
//! place and returns a [`SyncReport`]. A sync that fails is retried with per-key exponential
//! back-off (5 ms doubling to 1000 s, client-go's default controller rate limiter); a sync that
//! wants to look again later sets [`SyncReport::requeue_after`].
//!
//! # Adding a controller
//!
//! 1. Write `src/sim/controllers/<name>.rs` with a struct holding the controller's private state
//!    (expectations, back-off records) and implement [`Controller`] for it:
//!    - `name()` returns the component name used as the Event source
//!      (e.g. `"job-controller"`);
//!    - `watch()` maps a [`Change`] to keys (usually the changed object itself, or the
//!      controller owner of a changed pod, found with `metadata.controller_ref()`), with a delay
//!      of [`SimDuration::ZERO`] unless upstream defers the work;
//!    - `sync()` reconciles one key and records Events with `cluster.record_about(...)`.
//! 2. If the controller owns a new kind, add the kind to [`crate::sim::model::Kind`] and
//!    [`crate::sim::model::Object`], a table to [`crate::sim::store::Store`] with a `resource!`
//!    line, and defaults/validation in [`crate::sim::admission`].
//! 3. Add `pub mod <name>;` below and one `Box::new(...)` line in [`registry`].
//!
//! Tests can run exactly one sync on a prepared store with
//! [`crate::sim::Sim::sync_once`] and compare the report's creates, deletes and events with the
//! upstream unit test's expectations.

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod job;
pub mod replicaset;
pub mod ttl_after_finished;

use crate::sim::cluster::Cluster;
use crate::sim::model::ObjectKey;
use crate::sim::store::Change;
use crate::sim::time::SimDuration;
use std::any::Any;

/// What one sync did, for tests and the playground's activity view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Names of objects created.
    pub creates: Vec<String>,
    /// Names of objects deleted.
    pub deletes: Vec<String>,
    /// Reasons of the Events recorded, in order.
    pub events: Vec<String>,
    /// Sync again after this delay.
    pub requeue_after: Option<SimDuration>,
    /// The sync failed and will be retried with back-off.
    pub error: Option<String>,
}

impl SyncReport {
    /// Keeps the earliest of the requested requeue delays, as `AddAfter` on one key does.
    pub fn requeue(&mut self, after: SimDuration) {
        self.requeue_after = Some(
            self.requeue_after
                .map_or(after, |current| current.min(after)),
        );
    }
}

/// A reconciler run from the work queue.
pub trait Controller: Any {
    /// The component name, used as the Event source (e.g. `daemonset-controller`).
    fn name(&self) -> &'static str;

    /// Adds to `keys` the objects to sync because of `change`, each with a delay.
    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    );

    /// Reconciles the object at `key` once.
    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport;

    /// Appends violations of this controller's invariants (see [`crate::sim::invariants`]).
    fn check_invariants(&self, _cluster: &Cluster, _violations: &mut Vec<String>) {}

    /// The controller as [`Any`], so tests can inspect its private state.
    fn as_any(&self) -> &dyn Any;
}

/// Every controller the simulation runs, in a fixed order (which is the order their syncs for
/// one change are queued in).
pub fn registry() -> Vec<Box<dyn Controller>> {
    vec![
        Box::new(daemonset::DaemonSetController::default()),
        Box::new(job::JobController::default()),
        Box::new(ttl_after_finished::TtlAfterFinishedController),
        Box::new(replicaset::ReplicaSetController::default()),
        Box::new(deployment::DeploymentController),
        Box::new(cronjob::CronJobController::default()),
    ]
}
