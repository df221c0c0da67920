//! The TTL-after-finished controller (`pkg/controller/ttlafterfinished`): deletes a finished
//! Job `ttlSecondsAfterFinished` seconds after it finished, together with its pods.
//!
//! The finish time is the `lastTransitionTime` of the Job's `Complete` or `Failed` condition
//! (`jobFinishTime`). The Job is deleted with foreground propagation, so its pods go first.

use crate::sim::cluster::Cluster;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::gc::FOREGROUND_FINALIZER;
use crate::sim::model::{ConditionStatus, Job, JobConditionType, Kind, ObjectKey};
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use std::any::Any;

/// The component name.
pub const COMPONENT: &str = "ttl-after-finished-controller";

/// The controller; it keeps no state beyond the work queue.
#[derive(Clone, Copy, Debug, Default)]
pub struct TtlAfterFinishedController;

/// `jobFinishTime`: when the Job's Complete or Failed condition became True.
pub fn finish_time(job: &Job) -> Option<SimTime> {
    job.status
        .conditions
        .iter()
        .filter(|c| {
            matches!(
                c.type_,
                JobConditionType::Complete | JobConditionType::Failed
            ) && c.status == ConditionStatus::True
        })
        .find_map(|c| c.last_transition_time)
}

/// `timeLeft`: the instant the Job expires, if it has a TTL and has finished.
pub fn expires_at(job: &Job) -> Option<SimTime> {
    let ttl_secs = job.spec.ttl_seconds_after_finished?;
    Some(finish_time(job)? + SimDuration::from_secs(i64::from(ttl_secs)))
}

impl Controller for TtlAfterFinishedController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn watch(
        &mut self,
        change: &Change,
        _cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        if change.kind == Kind::Job && change.new.is_some() {
            keys.push((change.key.clone(), SimDuration::ZERO));
        }
    }

    /// `processJob`: delete an expired Job, or look again when it expires.
    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let mut report = SyncReport::default();
        let Some(job) = cluster.store.jobs().get(key) else {
            return report;
        };
        if job.metadata.deletion_timestamp.is_some() {
            return report;
        }
        let Some(expiry) = expires_at(job) else {
            return report;
        };
        let now = cluster.now;
        if expiry > now {
            report.requeue(expiry - now);
            return report;
        }
        let has_dependents = cluster
            .store
            .dependents_of(&job.metadata.uid)
            .next()
            .is_some();
        if has_dependents {
            let added = cluster.store.modify::<Job>(key, |j| {
                if !j
                    .metadata
                    .finalizers
                    .iter()
                    .any(|f| f == FOREGROUND_FINALIZER)
                {
                    j.metadata.finalizers.push(FOREGROUND_FINALIZER.to_string());
                }
            });
            if let Err(err) = added {
                report.error = Some(err.to_string());
                return report;
            }
        }
        match cluster.store.delete::<Job>(key, now, None) {
            Ok(_) => report.deletes.push(key.name.clone()),
            Err(err) => report.error = Some(err.to_string()),
        }
        report
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
