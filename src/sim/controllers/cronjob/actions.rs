//! What users do to CronJobs besides editing them, and what the playground asks about them:
//! suspend, resume, start a Job now, and the coming run times.
//!
//! Suspend and resume are the `kubectl patch cronjob NAME -p '{"spec":{"suspend":...}}'` edits;
//! a manual run is `kubectl create job NAME --from=cronjob/CJ`, which kubectl (not the
//! controller) builds from the template. The controller then sees that Job as one it did not
//! start (`UnexpectedJob`), keeps it out of `status.active`, and counts it for the history
//! limits once it finishes, exactly as on a real cluster.

use super::{controller_time_zone, finished_condition};
use crate::sim::Sim;
use crate::sim::cluster::Cluster;
use crate::sim::command::{CommandError, Outcome};
use crate::sim::model::cronjob::{INSTANTIATE_ANNOTATION, INSTANTIATE_MANUAL};
use crate::sim::model::{CronJob, Job, ObjectKey, OwnerReference};
use crate::sim::schedule::Schedule;
use crate::sim::store::ApiError;
use crate::sim::time::SimTime;

/// An operation on one CronJob, applied through [`crate::sim::command::Command::CronJob`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CronJobAction {
    /// Set `spec.suspend: true`: no new runs start; running Jobs go on.
    Suspend,
    /// Set `spec.suspend: false`: if runs were missed meanwhile, the most recent one starts at
    /// once (unless outside `startingDeadlineSeconds`).
    Resume,
    /// `kubectl create job JOB_NAME --from=cronjob/NAME`: a Job from the template, now.
    Trigger {
        /// The new Job's name.
        job_name: String,
    },
}

/// True for a Job started by hand from a CronJob (`cronjob.kubernetes.io/instantiate: manual`).
pub fn is_manual(job: &Job) -> bool {
    job.metadata
        .annotations
        .get(INSTANTIATE_ANNOTATION)
        .is_some_and(|v| v == INSTANTIATE_MANUAL)
}

/// The Job `kubectl create job JOB_NAME --from=cronjob/NAME` sends: the template's spec and
/// labels, its annotations plus `cronjob.kubernetes.io/instantiate: manual`, and a controller
/// reference to the CronJob (kubectl sets no `blockOwnerDeletion`).
pub fn job_from_cron_job(cj: &CronJob, job_name: &str) -> Job {
    let template = &cj.spec.job_template;
    let mut job = Job::new(&cj.metadata.namespace, job_name, "", &[]);
    job.metadata.annotations.insert(
        INSTANTIATE_ANNOTATION.to_string(),
        INSTANTIATE_MANUAL.to_string(),
    );
    job.metadata
        .annotations
        .extend(template.metadata.annotations.clone());
    job.metadata.labels = template.metadata.labels.clone();
    job.metadata.owner_references = vec![OwnerReference {
        api_version: "batch/v1".to_string(),
        kind: "CronJob".to_string(),
        name: cj.metadata.name.clone(),
        uid: cj.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: None,
    }];
    job.spec = template.spec.clone();
    job
}

/// Applies `action` to the CronJob `namespace/name`, answering in kubectl's words.
pub fn apply(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    action: CronJobAction,
) -> Result<Outcome, CommandError> {
    let key = ObjectKey::new(namespace, name);
    let Some(cj) = cluster.store.cron_jobs().get(&key).cloned() else {
        return Err(CommandError::Api(ApiError::NotFound {
            resource: "cronjobs.batch",
            name: name.to_string(),
        }));
    };
    let suspend = match action {
        CronJobAction::Suspend => true,
        CronJobAction::Resume => false,
        CronJobAction::Trigger { job_name } => {
            let now = cluster.now;
            let job = job_from_cron_job(&cj, &job_name);
            let created = cluster.store.create(job, now, &mut cluster.rng)?;
            return Ok(Outcome {
                message: format!("job.batch/{} created", created.metadata.name),
            });
        }
    };
    if cj.is_suspended() == suspend {
        return Ok(Outcome {
            message: format!("cronjob.batch/{name} patched (no change)"),
        });
    }
    cluster
        .store
        .modify::<CronJob>(&key, |c| c.spec.suspend = Some(suspend))?;
    Ok(Outcome {
        message: format!("cronjob.batch/{name} patched"),
    })
}

/// The next `count` scheduled instants of `cj` strictly after `after`, in its zone (a
/// `TZ=` prefix in the schedule wins), for the playground's "next runs" list. At most
/// [`crate::sim::schedule::MAX_NEXT_RUNS`]; fewer when the schedule stops firing. `Err` says why
/// there are none: the zone or schedule the controller would also reject.
pub fn next_runs(cj: &CronJob, after: SimTime, count: usize) -> Result<Vec<SimTime>, String> {
    let zone = controller_time_zone(cj).map_err(|e| format!("spec.timeZone: {e}"))?;
    let schedule = Schedule::parse(&cj.spec.schedule).map_err(|e| format!("spec.schedule: {e}"))?;
    Ok(schedule.next_runs(after, zone, count))
}

/// The earliest scheduled instant after now of any CronJob that is not suspended — the
/// playground's "jump to the next CronJob run". The controller creates that run's Job
/// [`super::schedule_time::NEXT_SCHEDULE_DELTA_MS`] later. `None` when no CronJob will run.
pub fn next_cronjob_run(sim: &Sim) -> Option<SimTime> {
    sim.store()
        .cron_jobs()
        .iter()
        .filter(|cj| !cj.is_suspended() && cj.metadata.deletion_timestamp.is_none())
        .filter_map(|cj| next_runs(cj, sim.now(), 1).ok()?.first().copied())
        .min()
}

/// The Jobs of `cj` that have not finished, by name: what the playground shows as running.
pub fn unfinished_jobs<'a>(cluster: &'a Cluster, cj: &'a CronJob) -> impl Iterator<Item = &'a Job> {
    cluster
        .store
        .jobs()
        .in_namespace(&cj.metadata.namespace)
        .filter(move |job| {
            job.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == cj.metadata.uid)
                && finished_condition(job).is_none()
        })
}
