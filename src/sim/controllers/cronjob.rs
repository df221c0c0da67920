//! The CronJob controller v2 (`pkg/controller/cronjob`): start a Job at each scheduled time.
//!
//! A sync mirrors upstream's `sync`: list the Jobs whose controller reference names this
//! CronJob, delete finished Jobs beyond the history limits (`cleanupFinishedJobs`), then
//! `syncCronJob` — keep `status.active` in step with the Jobs (`SawCompletedJob`, `MissingJob`,
//! `UnexpectedJob`), stop for a CronJob being deleted, an unknown zone, `suspend`, or a schedule
//! that does not parse; find the most recent unmet run ([`schedule_time`]); skip it when it was
//! already started, or when `Forbid` and a Job is active; delete the active Jobs when `Replace`;
//! create the Job named `<cronjob>-<minutes since epoch of the scheduled time>`; and requeue
//! 100 ms after the next run. The status is written once at the end when it changed.
//!
//! The controller is woken only by changes (a CronJob written, a Job of it created, updated or
//! deleted) and by its own requeue at the next run: there is no polling loop.
//!
//! DIVERGENCE: the simulated informer cache is never stale, so the "get it from the API server
//! to be sure" lookups upstream makes (re-reading the CronJob for an unexpected Job, re-reading
//! a missing Job) read the same store as the list. When an edit changes the schedule, upstream
//! records `UnParseableCronJobSchedule` from its watch handler if the new schedule does not
//! parse; watch handlers here only queue work, and the sync reports `UnparseableSchedule`.

pub mod actions;
pub mod schedule_time;
mod why;

pub use actions::{CronJobAction, job_from_cron_job, next_cronjob_run, next_runs};

use crate::sim::cluster::Cluster;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::events::{EventNote, reference};
use crate::sim::model::cronjob::SCHEDULED_TIMESTAMP_ANNOTATION;
use crate::sim::model::{
    ConcurrencyPolicy, CronJob, EventType, Job, JobConditionType, Kind, Object, ObjectKey,
    ObjectReference, OwnerReference,
};
use crate::sim::schedule::{Schedule, Tz, parse_time_zone};
use crate::sim::store::{ApiError, Change};
use crate::sim::time::{SimDuration, SimTime};
use chrono::SecondsFormat;
use schedule_time::{Missed, ZonedSchedule, next_schedule_time, next_schedule_time_duration};
use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};

/// The component name on Events.
pub const COMPONENT: &str = "cronjob-controller";

/// The controller's private state: only what the invariant check needs.
#[derive(Clone, Debug, Default)]
pub struct CronJobController {
    /// CronJob uid → when its `concurrencyPolicy` was last seen becoming `Forbid`.
    forbid_since: BTreeMap<String, SimTime>,
}

/// One Event to record about the CronJob.
#[derive(Clone, Debug)]
struct Note {
    type_: EventType,
    reason: &'static str,
    message: String,
    why: String,
}

impl Note {
    fn normal(reason: &'static str, message: String, why: String) -> Note {
        Note {
            type_: EventType::Normal,
            reason,
            message,
            why,
        }
    }

    fn warning(reason: &'static str, message: String, why: String) -> Note {
        Note {
            type_: EventType::Warning,
            reason,
            message,
            why,
        }
    }
}

fn record(cluster: &mut Cluster, cj: &CronJob, note: Note, report: &mut SyncReport) {
    report.events.push(note.reason.to_string());
    cluster.record(EventNote {
        object: reference("CronJob", "batch/v1", &cj.metadata),
        type_: note.type_,
        reason: note.reason.to_string(),
        message: note.message,
        component: COMPONENT,
        host: String::new(),
        why: note.why,
    });
}

/// The Job name for a run: `<cronjob>-<scheduled time in minutes since the epoch>`
/// (`getJobName`), e.g. `hello-28401120` for 2024-01-01T00:00:00Z.
pub fn job_name(cron_job: &str, scheduled: SimTime) -> String {
    format!("{cron_job}-{}", scheduled.unix_secs().div_euclid(60))
}

/// The condition a finished Job ended with (`FinishedCondition`): the first `Complete` or
/// `Failed` condition that is True.
pub fn finished_condition(job: &Job) -> Option<JobConditionType> {
    job.status
        .conditions
        .iter()
        .find(|c| {
            matches!(
                c.type_,
                JobConditionType::Complete | JobConditionType::Failed
            ) && c.status == crate::sim::model::ConditionStatus::True
        })
        .map(|c| c.type_)
}

/// The controller reference a CronJob puts on its Jobs (`NewControllerRef`).
pub fn controller_ref(cj: &CronJob) -> OwnerReference {
    OwnerReference {
        api_version: "batch/v1".to_string(),
        kind: "CronJob".to_string(),
        name: cj.metadata.name.clone(),
        uid: cj.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Resolves `spec.timeZone` as Go's `time.LoadLocation` does in the controller: unset, `""`
/// and `Local` are the controller's own zone (UTC, as in a container); other names must be in
/// the time-zone database. `Err` carries the loader's message.
pub fn controller_time_zone(cj: &CronJob) -> Result<Option<Tz>, String> {
    match cj.spec.time_zone.as_deref() {
        None | Some("") | Some("Local") => Ok(None),
        Some(name) => parse_time_zone(Some(name)).map_err(|errors| {
            errors
                .into_iter()
                .next()
                .map(|e| e.detail)
                .unwrap_or_default()
        }),
    }
}

/// `getJobFromTemplate2`: the Job for the run at `scheduled`, with the template's labels and
/// annotations, the scheduled-timestamp annotation in the CronJob's zone and a controller
/// reference.
pub fn job_for_run(cj: &CronJob, scheduled: SimTime, zone: Option<Tz>) -> Job {
    let template = &cj.spec.job_template;
    let mut job = Job::new(
        &cj.metadata.namespace,
        &job_name(&cj.metadata.name, scheduled),
        "",
        &[],
    );
    job.metadata.labels = template.metadata.labels.clone();
    job.metadata.annotations = template.metadata.annotations.clone();
    let local = scheduled.to_utc().with_timezone(&zone.unwrap_or(Tz::UTC));
    job.metadata.annotations.insert(
        SCHEDULED_TIMESTAMP_ANNOTATION.to_string(),
        local.to_rfc3339_opts(SecondsFormat::Secs, true),
    );
    job.metadata.owner_references = vec![controller_ref(cj)];
    job.spec = template.spec.clone();
    job
}

/// The reference `status.active` holds for `job`.
fn active_ref(job: &Job) -> ObjectReference {
    ObjectReference {
        kind: "Job".to_string(),
        namespace: job.metadata.namespace.clone(),
        name: job.metadata.name.clone(),
        uid: job.metadata.uid.clone(),
        api_version: "batch/v1".to_string(),
    }
}

/// `getJobsToBeReconciled`: the Jobs in the CronJob's namespace whose controller reference
/// carries its name (upstream compares the name only).
fn jobs_to_be_reconciled(cluster: &Cluster, cj: &CronJob) -> Vec<Job> {
    cluster
        .store
        .jobs()
        .in_namespace(&cj.metadata.namespace)
        .filter(|job| {
            job.metadata
                .controller_ref()
                .is_some_and(|owner| owner.name == cj.metadata.name)
        })
        .cloned()
        .collect()
}

/// `byJobStartTime`: oldest `status.startTime` first, Jobs without one last, name breaking ties.
fn by_start_time(a: &&Job, b: &&Job) -> std::cmp::Ordering {
    let key = |job: &Job| (job.status.start_time.is_none(), job.status.start_time);
    key(a)
        .cmp(&key(b))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `removeOldestJobs`' choice: the oldest Jobs beyond `limit`.
fn beyond_limit(mut jobs: Vec<&Job>, limit: i32) -> Vec<&Job> {
    let excess = jobs
        .len()
        .saturating_sub(usize::try_from(limit).unwrap_or(0));
    jobs.sort_by(by_start_time);
    jobs.truncate(excess);
    jobs
}

/// The finished Jobs the history limits delete, each with whether it succeeded and the limit.
fn history_cleanup_plan<'a>(cj: &CronJob, jobs: &'a [Job]) -> Vec<(&'a Job, bool, i32)> {
    let finished = |wanted: JobConditionType| {
        jobs.iter()
            .filter(|job| finished_condition(job) == Some(wanted))
            .collect::<Vec<_>>()
    };
    let mut plan = Vec::new();
    if let Some(limit) = cj.successful_jobs_history_limit() {
        let old = beyond_limit(finished(JobConditionType::Complete), limit);
        plan.extend(old.into_iter().map(|job| (job, true, limit)));
    }
    if let Some(limit) = cj.failed_jobs_history_limit() {
        let old = beyond_limit(finished(JobConditionType::Failed), limit);
        plan.extend(old.into_iter().map(|job| (job, false, limit)));
    }
    plan
}

/// `deleteJob`: delete with background propagation and drop it from `status.active`.
fn delete_job(
    cluster: &mut Cluster,
    cj: &mut CronJob,
    job: &Job,
    why: String,
    report: &mut SyncReport,
) -> Result<(), ApiError> {
    let now = cluster.now;
    let name = job.metadata.name.clone();
    if let Err(err) = cluster.store.delete::<Job>(&job.metadata.key(), now, None) {
        let note = Note::warning(
            "FailedDelete",
            format!("Deleted job: {err}"),
            why::failed_delete(&name, &err.to_string()),
        );
        record(cluster, cj, note, report);
        return Err(err);
    }
    cj.status.active.retain(|r| r.uid != job.metadata.uid);
    report.deletes.push(name.clone());
    let note = Note::normal("SuccessfulDelete", format!("Deleted job {name}"), why);
    record(cluster, cj, note, report);
    Ok(())
}

/// `cleanupFinishedJobs`.
fn cleanup_finished_jobs(
    cluster: &mut Cluster,
    cj: &mut CronJob,
    jobs: &[Job],
    report: &mut SyncReport,
) {
    for (job, succeeded, limit) in history_cleanup_plan(cj, jobs) {
        let why = why::history(cj, &job.metadata.name, succeeded, limit);
        // A failed delete is reported by an Event and tried again at the next sync.
        let _ = delete_job(cluster, cj, job, why, report);
    }
}

/// The bookkeeping half of `syncCronJob`: finished, unexpected and vanished Jobs, and
/// `lastSuccessfulTime`. `exists` says whether a Job of that namespace and name exists.
fn track_jobs(
    cj: &mut CronJob,
    jobs: &[Job],
    exists: impl Fn(&ObjectReference) -> bool,
) -> Vec<Note> {
    let mut notes = Vec::new();
    for job in jobs {
        let uid = &job.metadata.uid;
        let listed = cj.status.active.iter().any(|r| &r.uid == uid);
        let finished = finished_condition(job);
        let name = &job.metadata.name;
        match (listed, finished) {
            (false, None) => notes.push(Note::warning(
                "UnexpectedJob",
                format!("Saw a job that the controller did not create or forgot: {name}"),
                why::unexpected(cj, name),
            )),
            (true, Some(condition)) => {
                cj.status.active.retain(|r| &r.uid != uid);
                notes.push(Note::normal(
                    "SawCompletedJob",
                    format!(
                        "Saw completed job: {name}, condition: {}",
                        condition.as_str()
                    ),
                    why::saw_completed(name, condition.as_str()),
                ));
            }
            // Upstream's else-if chain: a Job just seen completing updates lastSuccessfulTime
            // only at the next sync (which the status write triggers at once).
            (_, Some(JobConditionType::Complete)) => {
                let last = &mut cj.status.last_successful_time;
                *last = (*last).max(job.status.completion_time);
            }
            _ => {}
        }
    }
    let children: BTreeSet<&str> = jobs.iter().map(|j| j.metadata.uid.as_str()).collect();
    let mut kept = Vec::new();
    for entry in std::mem::take(&mut cj.status.active) {
        if children.contains(entry.uid.as_str()) || exists(&entry) {
            kept.push(entry);
            continue;
        }
        notes.push(Note::normal(
            "MissingJob",
            format!("Active job went missing: {}", entry.name),
            why::missing(&entry.name),
        ));
    }
    cj.status.active = kept;
    notes
}

/// What the scheduling half of `syncCronJob` decided.
#[derive(Clone, Debug, PartialEq)]
enum Decision {
    /// Nothing to start; sync again after the delay (`None`: only when something changes).
    Wait(Option<SimDuration>),
    /// Start the run at `scheduled`, first deleting the active Jobs when `replace`.
    Start { scheduled: SimTime, replace: bool },
}

/// A CronJob's parsed schedule and zones, or the Event that says why there is none.
struct Timing {
    schedule: Schedule,
    /// `spec.timeZone` (the annotation's zone).
    zone: Option<Tz>,
}

impl Timing {
    fn zoned(&self) -> ZonedSchedule<'_> {
        ZonedSchedule {
            schedule: &self.schedule,
            zone: self.zone,
        }
    }

    /// The zone run times are read in: a `TZ=` prefix wins over `spec.timeZone`.
    fn clock_zone(&self) -> Option<Tz> {
        self.schedule.embedded_time_zone().or(self.zone)
    }
}

/// The checks of `syncCronJob` before any time arithmetic: zone, suspend, schedule.
fn timing(cj: &CronJob, notes: &mut Vec<Note>) -> Option<Timing> {
    let zone = match controller_time_zone(cj) {
        Ok(zone) => zone,
        Err(error) => {
            let name = cj.spec.time_zone.clone().unwrap_or_default();
            notes.push(Note::warning(
                "UnknownTimeZone",
                format!("invalid timeZone: {name:?}: {error}"),
                why::unknown_time_zone(&name),
            ));
            return None;
        }
    };
    if cj.is_suspended() {
        return None;
    }
    let source = &cj.spec.schedule;
    if source.contains("TZ") {
        notes.push(Note::warning(
            "UnsupportedSchedule",
            format!(
                "CRON_TZ or TZ used in schedule {source:?} is not officially supported, see \
                 https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more \
                 details"
            ),
            why::unsupported_schedule(),
        ));
    }
    match Schedule::parse(source) {
        Ok(schedule) => Some(Timing { schedule, zone }),
        Err(error) => {
            notes.push(Note::warning(
                "UnparseableSchedule",
                format!("unparseable schedule: {source:?} : {error}"),
                why::unparseable(source),
            ));
            None
        }
    }
}

/// The scheduling half of `syncCronJob`, from the most recent unmet run to the concurrency
/// policy. Pure: it reads the CronJob (after bookkeeping) and the clock.
fn decide(cj: &CronJob, timing: &Timing, now: SimTime, notes: &mut Vec<Note>) -> Decision {
    let zoned = timing.zoned();
    let requeue = || Decision::Wait(next_schedule_time_duration(cj, now, zoned));
    let source = &cj.spec.schedule;
    let (scheduled, missed) = match next_schedule_time(cj, now, zoned) {
        Err(error) => {
            notes.push(Note::warning(
                "InvalidSchedule",
                format!("invalid schedule: {source} : {error}"),
                why::invalid_schedule(source),
            ));
            return Decision::Wait(None);
        }
        Ok(None) => return requeue(),
        Ok(Some(found)) => found,
    };
    let clock_zone = timing.clock_zone();
    if missed == Missed::Many {
        let since = cj
            .status
            .last_schedule_time
            .or(cj.metadata.creation_timestamp)
            .unwrap_or(now);
        notes.push(Note::warning(
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check \
             clock skew"
                .to_string(),
            why::too_many_missed(cj, since, scheduled, clock_zone),
        ));
    }
    // Unreachable in practice: the deadline already bounded the search above.
    if let Some(deadline_secs) = cj.spec.starting_deadline_seconds
        && scheduled + SimDuration::from_secs(deadline_secs) < now
    {
        let rfc1123z = scheduled.to_utc().format("%a, %d %b %Y %H:%M:%S %z");
        notes.push(Note::warning(
            "MissSchedule",
            format!("Missed scheduled time to start a job: {rfc1123z}"),
            why::missed_deadline(cj, scheduled, clock_zone),
        ));
        return requeue();
    }
    let name = job_name(&cj.metadata.name, scheduled);
    let processed = cj.status.active.iter().any(|r| r.name == name)
        || cj.status.last_schedule_time == Some(scheduled);
    if processed {
        return requeue();
    }
    let policy = cj.concurrency_policy();
    if policy == ConcurrencyPolicy::Forbid && !cj.status.active.is_empty() {
        let running: Vec<String> = cj.status.active.iter().map(|r| r.name.clone()).collect();
        notes.push(Note::normal(
            "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is \
             Forbid"
                .to_string(),
            why::forbidden(cj, &running, scheduled, clock_zone),
        ));
        return requeue();
    }
    Decision::Start {
        scheduled,
        replace: policy == ConcurrencyPolicy::Replace,
    }
}

/// Starts the run at `scheduled` (`syncCronJob` from the Replace deletes on). Returns the
/// requeue delay.
fn start_run(
    cluster: &mut Cluster,
    cj: &mut CronJob,
    timing: &Timing,
    scheduled: SimTime,
    replace: bool,
    report: &mut SyncReport,
) -> Option<SimDuration> {
    if replace {
        for entry in cj.status.active.clone() {
            let key = ObjectKey::new(&entry.namespace, &entry.name);
            let Some(job) = cluster.store.jobs().get(&key).cloned() else {
                let err = ApiError::NotFound {
                    resource: Kind::Job.resource(),
                    name: entry.name.clone(),
                };
                let note = Note::warning(
                    "FailedGet",
                    format!("Get job: {err}"),
                    why::failed_delete(&entry.name, &err.to_string()),
                );
                record(cluster, cj, note, report);
                report.error = Some(err.to_string());
                return None;
            };
            let why = why::replaced(&entry.name, scheduled, timing.clock_zone());
            if let Err(err) = delete_job(cluster, cj, &job, why, report) {
                report.error = Some(format!("could not replace job {key}: {err}"));
                return None;
            }
        }
    }

    let now = cluster.now;
    let wanted = job_for_run(cj, scheduled, timing.zone);
    let name = wanted.metadata.name.clone();
    let job = match cluster.store.create(wanted, now, &mut cluster.rng) {
        Ok(job) => {
            report.creates.push(name.clone());
            let why = why::created(cj, &name, scheduled, now, timing.clock_zone());
            let note = Note::normal("SuccessfulCreate", format!("Created job {name}"), why);
            record(cluster, cj, note, report);
            job
        }
        Err(ApiError::AlreadyExists { .. }) => {
            // The name is the lock: another sync (or a restart) already made this run's Job.
            let existing = cluster
                .store
                .jobs()
                .get(&ObjectKey::new(&cj.metadata.namespace, &name));
            let owned = existing.filter(|job| {
                job.metadata
                    .controller_ref()
                    .is_some_and(|owner| owner.uid == cj.metadata.uid)
            });
            let job =
                owned.filter(|job| !cj.status.active.iter().any(|r| r.uid == job.metadata.uid))?;
            job.clone()
        }
        Err(err) => {
            let note = Note::warning(
                "FailedCreate",
                format!("Error creating job: {err}"),
                why::failed_create(&name, &err.to_string()),
            );
            record(cluster, cj, note, report);
            report.error = Some(err.to_string());
            return None;
        }
    };
    cj.status.active.push(active_ref(&job));
    cj.status.last_schedule_time = Some(scheduled);
    next_schedule_time_duration(cj, now, timing.zoned())
}

impl CronJobController {
    /// One reconcile of the CronJob at `key` (upstream `sync`).
    fn sync_cron_job(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let mut report = SyncReport::default();
        let Some(stored) = cluster.store.cron_jobs().get(key).cloned() else {
            return report;
        };
        let jobs = jobs_to_be_reconciled(cluster, &stored);
        let mut cj = stored.clone();
        cleanup_finished_jobs(cluster, &mut cj, &jobs, &mut report);

        let store = &cluster.store;
        let exists = |r: &ObjectReference| {
            store
                .jobs()
                .get(&ObjectKey::new(&r.namespace, &r.name))
                .is_some()
        };
        let mut notes = track_jobs(&mut cj, &jobs, exists);
        let mut requeue = None;
        let mut start = None;
        if cj.metadata.deletion_timestamp.is_none()
            && let Some(timing) = timing(&cj, &mut notes)
        {
            match decide(&cj, &timing, cluster.now, &mut notes) {
                Decision::Wait(after) => requeue = after,
                Decision::Start { scheduled, replace } => {
                    start = Some((timing, scheduled, replace))
                }
            }
        }
        for note in notes {
            record(cluster, &cj, note, &mut report);
        }
        if let Some((timing, scheduled, replace)) = start {
            requeue = start_run(cluster, &mut cj, &timing, scheduled, replace, &mut report);
        }

        if cj.status != stored.status {
            let status = cj.status.clone();
            if let Err(err) = cluster.store.modify::<CronJob>(key, |c| c.status = status) {
                report.error = Some(err.to_string());
                return report;
            }
        }
        if let Some(after) = requeue {
            report.requeue(after);
        }
        report
    }

    /// CronJob handlers: a new CronJob syncs now; an edit of the schedule or zone syncs at the
    /// new next run (`updateCronJob`); any other write (including status) syncs now.
    fn watch_cron_job(
        &mut self,
        old: Option<&CronJob>,
        new: Option<&CronJob>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let Some(new) = new else {
            if let Some(old) = old {
                self.forbid_since.remove(&old.metadata.uid);
            }
            return;
        };
        let forbid = new.concurrency_policy() == ConcurrencyPolicy::Forbid;
        let was_forbid = old.is_some_and(|o| o.concurrency_policy() == ConcurrencyPolicy::Forbid);
        if forbid && !was_forbid {
            self.forbid_since
                .insert(new.metadata.uid.clone(), cluster.now);
        }
        let key = new.metadata.key();
        let Some(old) = old else {
            keys.push((key, SimDuration::ZERO));
            return;
        };
        let timing_changed =
            old.spec.schedule != new.spec.schedule || old.spec.time_zone != new.spec.time_zone;
        if !timing_changed {
            keys.push((key, SimDuration::ZERO));
            return;
        }
        let Ok(schedule) = Schedule::parse(&new.spec.schedule) else {
            return;
        };
        let zoned = ZonedSchedule {
            schedule: &schedule,
            zone: controller_time_zone(new).ok().flatten(),
        };
        if let Some(after) = next_schedule_time_duration(new, cluster.now, zoned) {
            keys.push((key, after));
        }
    }

    /// Job handlers (`addJob`, `updateJob`, `deleteJob`): sync the CronJob a Job's controller
    /// reference resolves to, and the old one when the reference changed.
    fn watch_job(
        old: Option<&Job>,
        new: Option<&Job>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let owner_of = |job: &Job| {
            let owner = job.metadata.controller_ref()?;
            if owner.kind != "CronJob" {
                return None;
            }
            let key = ObjectKey::new(&job.metadata.namespace, &owner.name);
            let cj = cluster.store.cron_jobs().get(&key)?;
            (cj.metadata.uid == owner.uid).then_some(key)
        };
        let old_owner = old.and_then(owner_of);
        let new_owner = new.and_then(owner_of);
        let changed_ref = match (old, new) {
            (Some(o), Some(n)) => o.metadata.controller_ref() != n.metadata.controller_ref(),
            _ => true,
        };
        if let Some(key) = new_owner.clone() {
            keys.push((key, SimDuration::ZERO));
        }
        if let Some(key) = old_owner.filter(|k| changed_ref && Some(k) != new_owner.as_ref()) {
            keys.push((key, SimDuration::ZERO));
        }
    }
}

fn as_job(object: &Option<Object>) -> Option<&Job> {
    match object {
        Some(Object::Job(job)) => Some(job.as_ref()),
        _ => None,
    }
}

impl Controller for CronJobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        match change.kind {
            Kind::CronJob => {
                let as_cj = |o: &Option<Object>| match o {
                    Some(Object::CronJob(cj)) => Some(cj.as_ref().clone()),
                    _ => None,
                };
                let (old, new) = (as_cj(&change.old), as_cj(&change.new));
                self.watch_cron_job(old.as_ref(), new.as_ref(), cluster, keys);
            }
            Kind::Job => {
                Self::watch_job(as_job(&change.old), as_job(&change.new), cluster, keys);
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        self.sync_cron_job(key, cluster)
    }

    fn check_invariants(&self, cluster: &Cluster, violations: &mut Vec<String>) {
        check_invariants(self, cluster, violations);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// CronJob invariants, checked once the CronJob has no sync waiting: every `status.active`
/// entry names an existing Job with that uid; a `Forbid` CronJob never has two unfinished
/// scheduled Jobs started since it became `Forbid` (Jobs started by hand do not count: the
/// controller never sees them as active); `lastScheduleTime` is not in the future.
fn check_invariants(
    controller: &CronJobController,
    cluster: &Cluster,
    violations: &mut Vec<String>,
) {
    for cj in cluster.store.cron_jobs().iter() {
        let key = cj.metadata.key();
        if cj
            .status
            .last_schedule_time
            .is_some_and(|t| t > cluster.now)
        {
            violations.push(format!("cronjob {key}: lastScheduleTime is in the future"));
        }
        if cluster.queue.any_sync_pending(&key) {
            continue;
        }
        for entry in &cj.status.active {
            let job = cluster
                .store
                .jobs()
                .get(&ObjectKey::new(&entry.namespace, &entry.name));
            if job.is_none_or(|job| job.metadata.uid != entry.uid) {
                violations.push(format!(
                    "cronjob {key}: status.active lists {} but no such Job exists",
                    entry.name
                ));
            }
        }
        let Some(since) = controller.forbid_since.get(&cj.metadata.uid) else {
            continue;
        };
        if cj.concurrency_policy() != ConcurrencyPolicy::Forbid {
            continue;
        }
        let running: Vec<&str> = cluster
            .store
            .jobs()
            .in_namespace(&cj.metadata.namespace)
            .filter(|job| {
                job.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == cj.metadata.uid)
                    && finished_condition(job).is_none()
                    && !actions::is_manual(job)
                    && job.metadata.creation_timestamp.is_some_and(|c| c >= *since)
            })
            .map(|job| job.metadata.name.as_str())
            .collect();
        if running.len() > 1 {
            violations.push(format!(
                "cronjob {key}: concurrencyPolicy Forbid but {} scheduled Jobs run at once: {}",
                running.len(),
                running.join(", ")
            ));
        }
    }
}
