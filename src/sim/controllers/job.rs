//! The Job controller (`pkg/controller/job`): run pods until enough succeed, or give up.
//!
//! A sync mirrors `syncJob`: skip Jobs managed by another controller and finished Jobs; count
//! newly finished pods (through `status.uncountedTerminatedPods` and the
//! `batch.kubernetes.io/job-tracking` finalizer, so every pod is counted exactly once); apply
//! the pod failure policy; make the terminal decision in upstream order (FailJob rule,
//! BackoffLimitExceeded, DeadlineExceeded, per-index limits, success policy); otherwise run
//! `manageJob` (suspend, delete extra pods, create missing ones after the pod-failure back-off)
//! and check for completion. Failure and success are first announced with the interim
//! `FailureTarget` / `SuccessCriteriaMet` conditions; `Failed` / `Complete` follow once no pod
//! of the Job is still terminating.
//!
//! DIVERGENCE: the simulated informer cache is never stale, so there are no expectations and
//! the uncounted pods are moved into the counters in the same sync that recorded them (upstream
//! needs a second status update, usually in the same sync too). Upstream adopts orphan pods
//! matching the selector; the generated selector names the Job's uid, so the simulation skips
//! adoption.

pub mod backoff;
pub mod pods;
pub mod policy;

use crate::sim::cluster::Cluster;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::events::{EventNote, reference};
use crate::sim::model::batch::{format_intervals, parse_intervals};
use crate::sim::model::{
    ConditionStatus, EventType, Job, JobCondition, JobConditionType, JobStatus, Kind, Object,
    ObjectKey, Pod, PodFailurePolicyAction, PodPhase, PodReplacementPolicy, RestartPolicy,
    UncountedTerminatedPods,
};
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use backoff::BackoffRecord;
use pods::{IndexCounts, JOB_TRACKING_FINALIZER};
use policy::PolicyMatch;
use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};

/// The component name on Events.
pub const COMPONENT: &str = "job-controller";
/// Pod events are batched for this long before the Job syncs (`syncJobBatchPeriod`).
pub const SYNC_BATCH_MS: i64 = 1_000;
/// Most pods created or deleted in one sync (`MaxPodCreateDeletePerSync`).
pub const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;

/// Reason of the interim and final conditions when enough pods succeeded.
pub const REASON_COMPLETIONS_REACHED: &str = "CompletionsReached";
/// Message that goes with [`REASON_COMPLETIONS_REACHED`].
pub const MESSAGE_COMPLETIONS_REACHED: &str = "Reached expected number of succeeded pods";

/// The controller's private state.
#[derive(Clone, Debug, Default)]
pub struct JobController {
    backoff: BTreeMap<ObjectKey, BackoffRecord>,
    orphans: BTreeSet<ObjectKey>,
    /// The explanation of an interim decision, kept for the Event of the final condition.
    pending_why: BTreeMap<ObjectKey, String>,
}

impl JobController {
    /// The pod-failure back-off record of the Job at `key`, if any.
    pub fn backoff_record(&self, key: &ObjectKey) -> Option<BackoffRecord> {
        self.backoff.get(key).copied()
    }
}

/// How a Job ends, decided in one sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// True for failure (`FailureTarget` → `Failed`), false for success.
    pub failed: bool,
    /// The condition reason, e.g. `BackoffLimitExceeded`.
    pub reason: String,
    /// The condition message.
    pub message: String,
    /// The plain-language explanation.
    pub why: String,
}

/// The Job's pods sorted into what this sync must do with them.
#[derive(Clone, Debug, Default)]
struct Tally {
    /// Every pod the Job controls.
    pods: Vec<Pod>,
    /// Pods neither terminal nor being deleted.
    active: Vec<Pod>,
    /// Finished pods still carrying the finalizer: counted now.
    new_succeeded: Vec<Pod>,
    /// Failed pods counted now (podFailurePolicy Count, FailJob, FailIndex or no policy).
    new_failed: Vec<Pod>,
    /// Failed pods the podFailurePolicy ignores.
    new_ignored: Vec<Pod>,
    /// The first FailJob match among the new failures.
    fail_job: Option<PolicyMatch>,
    /// Indexes that fail now (FailIndex, or per-index limit reached).
    failed_indexes: BTreeSet<i32>,
}

/// `isPodFailed`: Failed, or — with `TerminatingOrFailed` and no podFailurePolicy — deleted
/// and not Succeeded.
fn considered_failed(job: &Job, pod: &Pod) -> bool {
    if pod.phase() == PodPhase::Failed {
        return true;
    }
    job.spec.pod_failure_policy.is_none()
        && job.pod_replacement_policy() == PodReplacementPolicy::TerminatingOrFailed
        && pod.metadata.deletion_timestamp.is_some()
        && pod.phase() != PodPhase::Succeeded
}

fn has_finalizer(pod: &Pod) -> bool {
    pod.metadata
        .finalizers
        .iter()
        .any(|f| f == JOB_TRACKING_FINALIZER)
}

/// Sorts the Job's pods (`trackJobStatusAndRemoveFinalizers` plus the pod failure policy).
fn tally(job: &Job, pods: Vec<Pod>) -> Tally {
    let mut tally = Tally::default();
    for pod in &pods {
        if pod.is_active() {
            tally.active.push(pod.clone());
        }
        if !has_finalizer(pod) {
            continue;
        }
        if pod.phase() == PodPhase::Succeeded {
            tally.new_succeeded.push(pod.clone());
        } else if considered_failed(job, pod) {
            tally_failure(job, pod, &mut tally);
        }
    }
    tally.active.sort_by(pods::removal_order);
    tally.pods = pods;
    tally
}

fn tally_failure(job: &Job, pod: &Pod, tally: &mut Tally) {
    let matched = if pod.phase() == PodPhase::Failed {
        policy::match_pod_failure_policy(job, pod)
    } else {
        None
    };
    let action = matched.as_ref().map(|m| m.action);
    if action == Some(PodFailurePolicyAction::Ignore) {
        tally.new_ignored.push(pod.clone());
        return;
    }
    let index = pods::completion_index(pod);
    if let (Some(limit), Some(index)) = (job.spec.backoff_limit_per_index, index) {
        let index_failed = action == Some(PodFailurePolicyAction::FailIndex)
            || pods::count_annotation(pod, pods::INDEX_FAILURE_COUNT_KEY) >= limit;
        if index_failed {
            tally.failed_indexes.insert(index);
        }
    }
    if action == Some(PodFailurePolicyAction::FailJob) && tally.fail_job.is_none() {
        tally.fail_job = matched;
    }
    tally.new_failed.push(pod.clone());
}

/// The succeeded index set of an Indexed Job after counting `tally`.
fn succeeded_indexes(job: &Job, tally: &Tally) -> BTreeSet<i32> {
    let completions = job.completions().unwrap_or(0);
    let mut set = parse_intervals(&job.status.completed_indexes, completions).unwrap_or_default();
    set.extend(
        tally
            .new_succeeded
            .iter()
            .filter_map(pods::completion_index)
            .filter(|i| *i < completions),
    );
    set
}

/// The failed index set after counting `tally` (with `backoffLimitPerIndex`).
fn failed_indexes(job: &Job, tally: &Tally) -> BTreeSet<i32> {
    let completions = job.completions().unwrap_or(0);
    let old = job.status.failed_indexes.as_deref().unwrap_or("");
    let mut set = parse_intervals(old, completions).unwrap_or_default();
    set.extend(tally.failed_indexes.iter().filter(|i| **i < completions));
    set
}

/// Writes the counters the newly finished pods add (the second half of
/// `trackJobStatusAndRemoveFinalizers`).
fn count_into(job: &Job, tally: &Tally, status: &mut JobStatus) {
    if job.is_indexed() {
        let done = succeeded_indexes(job, tally);
        status.succeeded = done.len() as i32;
        status.completed_indexes = format_intervals(&done);
    } else {
        status.succeeded += tally.new_succeeded.len() as i32;
    }
    status.failed += tally.new_failed.len() as i32;
    if job.spec.backoff_limit_per_index.is_some() {
        status.failed_indexes = Some(format_intervals(&failed_indexes(job, tally)));
    }
}

/// `pastBackoffLimitOnFailure`: with OnFailure, the restarts of every container of the
/// Pending and Running pods add up to the limit (or to one when the limit is 0).
fn restarts_on_failure(job: &Job, pods: &[Pod]) -> Option<i32> {
    if job.restart_policy() != RestartPolicy::OnFailure {
        return None;
    }
    let total: i32 = pods
        .iter()
        .filter(|p| matches!(p.phase(), PodPhase::Pending | PodPhase::Running))
        .flat_map(|p| {
            p.status
                .init_container_statuses
                .iter()
                .chain(&p.status.container_statuses)
        })
        .map(|s| s.restart_count)
        .sum();
    let limit = job.backoff_limit();
    let exceeded = if limit == 0 {
        total > 0
    } else {
        total >= limit
    };
    exceeded.then_some(total)
}

fn plural(count: i32, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn fail(reason: &str, message: &str, why: String) -> Option<Verdict> {
    Some(Verdict {
        failed: true,
        reason: reason.to_string(),
        message: message.to_string(),
        why,
    })
}

/// The terminal decision of `syncJob`, in upstream order. `status` holds this sync's counts.
pub fn decide(
    job: &Job,
    status: &JobStatus,
    pods: &[Pod],
    fail_job: Option<&PolicyMatch>,
    now: SimTime,
) -> Option<Verdict> {
    for (type_, failed) in [
        (JobConditionType::SuccessCriteriaMet, false),
        (JobConditionType::FailureTarget, true),
    ] {
        if let Some(c) = job
            .condition(type_)
            .filter(|c| c.status == ConditionStatus::True)
        {
            return Some(Verdict {
                failed,
                reason: c.reason.clone().unwrap_or_default(),
                message: c.message.clone().unwrap_or_default(),
                why: format!(
                    "the Job was already marked {} and none of its pods is still terminating, so \
                     it is now marked {}",
                    type_.as_str(),
                    if failed { "Failed" } else { "Complete" }
                ),
            });
        }
    }
    if let Some(matched) = fail_job {
        let why = format!(
            "{}, so the Job is marked Failed: PodFailurePolicy without further retries",
            matched.message
        );
        return fail("PodFailurePolicy", &matched.message, why);
    }
    let limit = job.backoff_limit();
    if status.failed > limit {
        let why = format!(
            "{} and backoffLimit is {limit}, so the Job is marked Failed: BackoffLimitExceeded",
            plural(status.failed, "pod has failed", "pods have failed")
        );
        return fail(
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
            why,
        );
    }
    if let Some(total) = restarts_on_failure(job, pods) {
        let why = format!(
            "with restartPolicy OnFailure the kubelet restarts containers in place; they have \
             restarted {} and backoffLimit is {limit}, so the Job is marked Failed: \
             BackoffLimitExceeded",
            plural(total, "time", "times")
        );
        return fail(
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
            why,
        );
    }
    if let Some(verdict) = past_deadline(job, status, now) {
        return Some(verdict);
    }
    if let Some(verdict) = index_limits(job, status) {
        return Some(verdict);
    }
    success_policy(job, status)
}

/// `pastActiveDeadline`: the deadline counts from `startTime`, boundary included.
fn past_deadline(job: &Job, status: &JobStatus, now: SimTime) -> Option<Verdict> {
    let deadline_secs = job.spec.active_deadline_seconds?;
    let start = status.start_time?;
    if job.is_suspended() || (now - start).as_ms() < deadline_secs * 1000 {
        return None;
    }
    let why = format!(
        "the Job has been running for {}s since its start time and activeDeadlineSeconds is \
         {deadline_secs}, so the Job is marked Failed: DeadlineExceeded",
        (now - start).as_secs()
    );
    fail(
        "DeadlineExceeded",
        "Job was active longer than specified deadline",
        why,
    )
}

/// Per-index limits: too many failed indexes, or every index finished with some failed.
fn index_limits(job: &Job, status: &JobStatus) -> Option<Verdict> {
    job.spec.backoff_limit_per_index?;
    if !job.is_indexed() {
        return None;
    }
    let completions = job.completions().unwrap_or(0);
    let failed = parse_intervals(status.failed_indexes.as_deref().unwrap_or(""), completions)
        .unwrap_or_default()
        .len() as i32;
    if let Some(max) = job.spec.max_failed_indexes
        && failed > max
    {
        let why = format!(
            "{} failed and maxFailedIndexes is {max}, so the Job is marked Failed: \
             MaxFailedIndexesExceeded",
            plural(failed, "index has", "indexes have")
        );
        return fail(
            "MaxFailedIndexesExceeded",
            "Job has exceeded the specified maximal number of failed indexes",
            why,
        );
    }
    if failed > 0 && failed + status.succeeded >= completions {
        let why = format!(
            "every index has finished and {} failed, so the Job is marked Failed: FailedIndexes",
            plural(failed, "index", "indexes")
        );
        return fail("FailedIndexes", "Job has failed indexes", why);
    }
    None
}

fn success_policy(job: &Job, status: &JobStatus) -> Option<Verdict> {
    if !job.is_indexed() {
        return None;
    }
    let completions = job.completions().unwrap_or(0);
    let done = parse_intervals(&status.completed_indexes, completions).unwrap_or_default();
    let rule = policy::match_success_policy(job, &done)?;
    Some(Verdict {
        failed: false,
        reason: "SuccessPolicy".to_string(),
        message: format!("Matched rules at index {rule}"),
        why: format!(
            "indexes {} have succeeded, which satisfies successPolicy rule {rule}, so the Job \
             is marked Complete and its remaining pods are deleted",
            status.completed_indexes
        ),
    })
}

/// `ensureJobConditionStatus`: adds or updates a condition; returns whether it changed.
pub fn ensure_condition(
    status: &mut JobStatus,
    type_: JobConditionType,
    value: ConditionStatus,
    reason: &str,
    message: &str,
    now: SimTime,
) -> bool {
    if let Some(existing) = status.conditions.iter_mut().find(|c| c.type_ == type_) {
        let same = existing.status == value
            && existing.reason.as_deref() == Some(reason)
            && existing.message.as_deref() == Some(message);
        if same {
            return false;
        }
        if existing.status != value {
            existing.last_transition_time = Some(now);
        }
        existing.status = value;
        existing.reason = Some(reason.to_string());
        existing.message = Some(message.to_string());
        existing.last_probe_time = Some(now);
        return true;
    }
    if value != ConditionStatus::True {
        return false;
    }
    status.conditions.push(JobCondition {
        type_,
        status: value,
        last_probe_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
    });
    true
}

/// What `manageJob` decided.
#[derive(Clone, Debug, Default)]
struct Manage {
    /// Pods to delete (finalizer removed first, never counted), with the explanation.
    deletes: Vec<(ObjectKey, String)>,
    /// Pods to create: index, per-index counts, explanation (`{pod}` is the name).
    creates: Vec<(Option<i32>, Option<IndexCounts>, String)>,
    /// Sync again after this delay (back-off).
    requeue: Option<SimDuration>,
    /// Upstream's `manageJob` returns 0 active pods while it waits for the back-off.
    report_zero_active: bool,
}

/// `wantActive` of `manageJob`.
fn want_active(job: &Job, succeeded: i32, active: i32) -> i32 {
    let parallelism = job.parallelism();
    match job.completions() {
        None if succeeded > 0 => active,
        None => parallelism,
        Some(completions) => (completions - succeeded).min(parallelism).max(0),
    }
}

impl JobController {
    /// `manageJob` as a plan.
    fn plan_manage(&self, job: &Job, tally: &Tally, status: &JobStatus, now: SimTime) -> Manage {
        let mut plan = Manage::default();
        let active = tally.active.len() as i32;
        if job.is_suspended() {
            for pod in &tally.active {
                let why = format!(
                    "the Job is suspended, so the Job controller deleted {}; pods deleted for a \
                     suspension do not count as failures",
                    pod.metadata.name
                );
                plan.deletes.push((pod.metadata.key(), why));
            }
            return plan;
        }
        let want = want_active(job, status.succeeded, active);
        if active > want {
            let extra = (active - want) as usize;
            for pod in removal_candidates(job, &tally.active)
                .into_iter()
                .take(extra)
            {
                let why = format!(
                    "the Job has {active} active pods but wants {want} (parallelism {}), so the \
                     Job controller deleted {}; it does not count as a failure",
                    job.parallelism(),
                    pod.metadata.name
                );
                plan.deletes.push((pod.metadata.key(), why));
            }
            return plan;
        }
        if active == want {
            return plan;
        }
        let record = self
            .backoff
            .get(&job.metadata.key())
            .copied()
            .unwrap_or_default();
        let wait = backoff::remaining(&record, now);
        if wait > SimDuration::ZERO && job.spec.backoff_limit_per_index.is_none() {
            plan.requeue = Some(wait.max(SimDuration::from_secs(1)));
            plan.report_zero_active = true;
            return plan;
        }
        let terminating = tally
            .pods
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_some() && !p.phase().is_terminal())
            .count() as i32;
        let mut diff = want - active;
        if job.pod_replacement_policy() == PodReplacementPolicy::Failed {
            diff -= terminating;
        }
        let diff = diff.clamp(0, MAX_POD_CREATE_DELETE_PER_SYNC as i32);
        let why = create_why(
            job,
            want,
            active,
            status.succeeded,
            record.failures_after_last_success,
        );
        if !job.is_indexed() {
            plan.creates = (0..diff).map(|_| (None, None, why.clone())).collect();
            return plan;
        }
        self.plan_indexes(job, tally, status, diff, now, &why, &mut plan);
        plan
    }

    /// Indexed creation: the lowest indexes with no active, succeeded or failed pod, skipping
    /// indexes still in their per-index back-off.
    #[allow(clippy::too_many_arguments)]
    fn plan_indexes(
        &self,
        job: &Job,
        tally: &Tally,
        status: &JobStatus,
        diff: i32,
        now: SimTime,
        why: &str,
        plan: &mut Manage,
    ) {
        let completions = job.completions().unwrap_or(0);
        let mut taken = parse_intervals(&status.completed_indexes, completions).unwrap_or_default();
        taken.extend(
            parse_intervals(status.failed_indexes.as_deref().unwrap_or(""), completions)
                .unwrap_or_default(),
        );
        let replacing_failed = job.pod_replacement_policy() == PodReplacementPolicy::Failed;
        for pod in &tally.pods {
            let busy = pod.is_active()
                || (replacing_failed
                    && pod.metadata.deletion_timestamp.is_some()
                    && !pod.phase().is_terminal());
            if busy && let Some(index) = pods::completion_index(pod) {
                taken.insert(index);
            }
        }
        let mut left = diff;
        for index in (0..completions).filter(|i| !taken.contains(i)) {
            if left == 0 {
                break;
            }
            let counts = job
                .spec
                .backoff_limit_per_index
                .map(|_| index_counts(job, &tally.pods, index));
            if let Some((counts, last_failed_at)) = counts {
                let record = BackoffRecord {
                    failures_after_last_success: counts.failed + counts.ignored,
                    last_failure_time: last_failed_at,
                };
                let wait = backoff::remaining(&record, now);
                if wait > SimDuration::ZERO {
                    plan.requeue = Some(plan.requeue.map_or(wait, |r| r.min(wait)));
                    continue;
                }
                plan.creates
                    .push((Some(index), Some(counts), why.to_string()));
            } else {
                plan.creates.push((Some(index), None, why.to_string()));
            }
            left -= 1;
        }
    }
}

/// `getNewIndexFailureCounts`: the counts a new pod of `index` carries, from the last failed
/// pod of that index (its counts plus its own failure), with that pod's finish time.
fn index_counts(job: &Job, all: &[Pod], index: i32) -> (IndexCounts, Option<SimTime>) {
    let last = all
        .iter()
        .filter(|p| p.phase() == PodPhase::Failed && pods::completion_index(p) == Some(index))
        .max_by_key(|p| (backoff::finish_time(p), p.metadata.name.clone()));
    let Some(last) = last else {
        return (IndexCounts::default(), None);
    };
    let ignored = policy::match_pod_failure_policy(job, last)
        .is_some_and(|m| m.action == PodFailurePolicyAction::Ignore);
    let counts = IndexCounts {
        failed: pods::count_annotation(last, pods::INDEX_FAILURE_COUNT_KEY) + i32::from(!ignored),
        ignored: pods::count_annotation(last, pods::INDEX_IGNORED_FAILURE_COUNT_KEY)
            + i32::from(ignored),
    };
    (counts, Some(backoff::finish_time(last)))
}

/// Indexed Jobs remove duplicates of an index and out-of-range indexes first.
fn removal_candidates<'a>(job: &Job, active: &'a [Pod]) -> Vec<&'a Pod> {
    if !job.is_indexed() {
        return active.iter().collect();
    }
    let completions = job.completions().unwrap_or(0);
    let mut seen = BTreeSet::new();
    let (mut first, mut rest) = (Vec::new(), Vec::new());
    // `active` is sorted worst-first, so walk it best-first to keep the best pod per index.
    for pod in active.iter().rev() {
        match pods::completion_index(pod) {
            Some(i) if i < completions && seen.insert(i) => rest.push(pod),
            _ => first.push(pod),
        }
    }
    first.reverse();
    rest.reverse();
    first.extend(rest);
    first
}

fn create_why(job: &Job, want: i32, active: i32, succeeded: i32, failures: i32) -> String {
    let target = match job.completions() {
        Some(c) => format!(
            "{} and parallelism is {}",
            plural(
                c - succeeded,
                "completion is still needed",
                "completions are still needed"
            ),
            job.parallelism()
        ),
        None => format!(
            "it is a work-queue Job with parallelism {} and no pod has succeeded yet",
            job.parallelism()
        ),
    };
    let after = if failures > 0 {
        format!(
            " after waiting {}s for the pod-failure back-off",
            backoff::delay_ms(failures) / 1000
        )
    } else {
        String::new()
    };
    format!(
        "{target}, so the Job wants {want} active pods and had {active}; the Job controller \
         created {{pod}}{after}"
    )
}

fn job_event(
    cluster: &mut Cluster,
    job: &Job,
    type_: EventType,
    reason: &str,
    message: String,
    why: String,
    report: &mut SyncReport,
) {
    report.events.push(reason.to_string());
    cluster.record(EventNote {
        object: reference("Job", "batch/v1", &job.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component: COMPONENT,
        host: String::new(),
        why,
    });
}

fn remove_finalizer(cluster: &mut Cluster, key: &ObjectKey) {
    let _ = cluster.store.modify::<Pod>(key, |p| {
        p.metadata
            .finalizers
            .retain(|f| f != JOB_TRACKING_FINALIZER)
    });
}

impl JobController {
    /// Drops the tracking finalizer of pods whose Job is gone, so they can be removed.
    fn release_orphans(&mut self, cluster: &mut Cluster) {
        let orphans = std::mem::take(&mut self.orphans);
        for key in orphans {
            let orphaned = cluster.store.pods().get(&key).is_some_and(|p| {
                has_finalizer(p)
                    && p.metadata
                        .controller_ref()
                        .is_none_or(|o| cluster.store.find_uid(&o.uid).is_none())
            });
            if orphaned {
                remove_finalizer(cluster, &key);
            }
        }
    }

    /// Records newly finished pods in `uncountedTerminatedPods`, then removes their finalizers
    /// (the first half of `trackJobStatusAndRemoveFinalizers`).
    fn track_uncounted(
        &self,
        cluster: &mut Cluster,
        job: &Job,
        tally: &Tally,
        report: &mut SyncReport,
    ) -> bool {
        let finished: Vec<&Pod> = tally
            .new_succeeded
            .iter()
            .chain(&tally.new_failed)
            .chain(&tally.new_ignored)
            .collect();
        if finished.is_empty() {
            return true;
        }
        let uid = |p: &Pod| p.metadata.uid.clone();
        let uncounted = UncountedTerminatedPods {
            succeeded: tally.new_succeeded.iter().map(uid).collect(),
            failed: tally.new_failed.iter().map(uid).collect(),
        };
        let written = cluster.store.modify::<Job>(&job.metadata.key(), |j| {
            j.status.uncounted_terminated_pods = Some(uncounted);
        });
        if let Err(err) = written {
            report.error = Some(err.to_string());
            return false;
        }
        for pod in finished {
            remove_finalizer(cluster, &pod.metadata.key());
        }
        true
    }

    /// Deletes pods (finalizer first); returns how many were deleted.
    fn delete_pods(
        &self,
        cluster: &mut Cluster,
        job: &Job,
        deletes: Vec<(ObjectKey, String)>,
        report: &mut SyncReport,
    ) -> i32 {
        let now = cluster.now;
        let mut deleted = 0;
        for (key, why) in deletes.into_iter().take(MAX_POD_CREATE_DELETE_PER_SYNC) {
            remove_finalizer(cluster, &key);
            match cluster.store.delete::<Pod>(&key, now, None) {
                Ok(_) => {
                    deleted += 1;
                    report.deletes.push(key.name.clone());
                    let message = format!("Deleted pod: {}", key.name);
                    job_event(
                        cluster,
                        job,
                        EventType::Normal,
                        "SuccessfulDelete",
                        message,
                        why,
                        report,
                    );
                }
                Err(err) => {
                    let why = format!(
                        "deleting {} failed, so the Job controller will retry",
                        key.name
                    );
                    let message = format!("Error deleting: {err}");
                    job_event(
                        cluster,
                        job,
                        EventType::Warning,
                        "FailedDelete",
                        message,
                        why,
                        report,
                    );
                    report.error = Some(err.to_string());
                }
            }
        }
        deleted
    }

    /// Creates pods in slow-start batches of 1, 2, 4, ...; an error skips the rest.
    fn create_pods(
        &self,
        cluster: &mut Cluster,
        job: &Job,
        creates: Vec<(Option<i32>, Option<IndexCounts>, String)>,
        report: &mut SyncReport,
    ) {
        let now = cluster.now;
        let mut pending = creates
            .into_iter()
            .take(MAX_POD_CREATE_DELETE_PER_SYNC)
            .peekable();
        let mut batch = 1;
        while pending.peek().is_some() {
            for (index, counts, why) in pending.by_ref().take(batch) {
                let pod = pods::new_job_pod(job, index, counts);
                match cluster.store.create(pod, now, &mut cluster.rng) {
                    Ok(created) => {
                        let name = created.metadata.name;
                        report.creates.push(name.clone());
                        let message = format!("Created pod: {name}");
                        let why = why.replace("{pod}", &name);
                        job_event(
                            cluster,
                            job,
                            EventType::Normal,
                            "SuccessfulCreate",
                            message,
                            why,
                            report,
                        );
                    }
                    Err(err) => {
                        let why =
                            "the API server refused the pod, so the Job controller skips the \
                                   rest of this batch and retries"
                                .to_string();
                        let message = format!("Error creating: {err}");
                        job_event(
                            cluster,
                            job,
                            EventType::Warning,
                            "FailedCreate",
                            message,
                            why,
                            report,
                        );
                        report.error = Some(err.to_string());
                        return;
                    }
                }
            }
            batch *= 2;
        }
    }
}

/// Active, ready and terminating pods of the Job as the store holds them now.
fn live_counts(cluster: &Cluster, job: &Job) -> (i32, i32, i32) {
    let (mut active, mut ready, mut terminating) = (0, 0, 0);
    for pod in owned_pods(cluster, job) {
        if pod.is_active() {
            active += 1;
            ready += i32::from(pod.is_ready());
        } else if pod.metadata.deletion_timestamp.is_some() && !pod.phase().is_terminal() {
            terminating += 1;
        }
    }
    (active, ready, terminating)
}

fn owned_pods<'a>(cluster: &'a Cluster, job: &'a Job) -> impl Iterator<Item = &'a Pod> + 'a {
    cluster
        .store
        .dependents_of(&job.metadata.uid)
        .filter(|(kind, _)| *kind == Kind::Pod)
        .filter_map(|(_, key)| cluster.store.pods().get(key))
        .filter(|pod| pods::is_owned_by(pod, job))
}

impl JobController {
    /// `syncJob` for one key.
    fn sync_job(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let mut report = SyncReport::default();
        self.release_orphans(cluster);
        let Some(job) = cluster.store.jobs().get(key).cloned() else {
            self.backoff.remove(key);
            self.pending_why.remove(key);
            return report;
        };
        if !job.is_managed_by_job_controller() {
            return report;
        }
        if job.is_finished() {
            self.backoff.remove(key);
            self.pending_why.remove(key);
            return report;
        }
        let now = cluster.now;
        let pods: Vec<Pod> = owned_pods(cluster, &job).cloned().collect();
        let tally = tally(&job, pods);
        let old_record = self.backoff.get(key).copied().unwrap_or_default();
        let succeeded: Vec<&Pod> = tally.new_succeeded.iter().collect();
        let failed: Vec<&Pod> = tally.new_failed.iter().chain(&tally.new_ignored).collect();
        let counted_failed: Vec<&Pod> = failed
            .iter()
            .copied()
            .filter(|p| {
                !tally
                    .new_ignored
                    .iter()
                    .any(|i| i.metadata.uid == p.metadata.uid)
            })
            .collect();
        self.backoff.insert(
            key.clone(),
            backoff::next_record(old_record, &succeeded, &counted_failed),
        );
        if !self.track_uncounted(cluster, &job, &tally, &mut report) {
            return report;
        }
        let mut status = job.status.clone();
        status.uncounted_terminated_pods = Some(UncountedTerminatedPods::default());
        count_into(&job, &tally, &mut status);
        if status.start_time.is_none() && !job.is_suspended() {
            status.start_time = Some(now);
        }
        let verdict = decide(&job, &status, &tally.pods, tally.fail_job.as_ref(), now);
        let mut zero_active = false;
        match &verdict {
            Some(verdict) => {
                self.finish_pods(cluster, &job, &tally, verdict, &mut status, &mut report)
            }
            None => {
                let plan = self.plan_manage(&job, &tally, &status, now);
                zero_active = plan.report_zero_active;
                if let Some(after) = plan.requeue {
                    report.requeue(after);
                }
                self.delete_pods(cluster, &job, plan.deletes, &mut report);
                self.create_pods(cluster, &job, plan.creates, &mut report);
                self.suspend_conditions(cluster, &job, &mut status, &mut report);
            }
        }
        let (active, ready, terminating) = live_counts(cluster, &job);
        status.active = if zero_active { 0 } else { active };
        status.ready = Some(ready);
        status.terminating = Some(terminating);
        let verdict = verdict.or_else(|| completion(&job, &status, active));
        if let Some(verdict) = &verdict {
            self.announce(
                cluster,
                &job,
                verdict,
                terminating,
                &mut status,
                &mut report,
            );
        }
        self.requeue_deadline(&job, &status, now, &mut report);
        if status != job.status
            && let Err(err) = cluster
                .store
                .modify::<Job>(key, |j| j.status = status.clone())
        {
            report.error = Some(err.to_string());
        }
        report
    }

    /// A terminal decision: delete the active pods (counted as failed when failing) and add
    /// the interim condition.
    fn finish_pods(
        &self,
        cluster: &mut Cluster,
        job: &Job,
        tally: &Tally,
        verdict: &Verdict,
        status: &mut JobStatus,
        report: &mut SyncReport,
    ) {
        let now = cluster.now;
        let deletes = tally
            .active
            .iter()
            .map(|pod| {
                let fate = if verdict.failed {
                    format!(
                        "the Job is failing ({}), so the Job controller deleted",
                        verdict.reason
                    )
                } else {
                    format!(
                        "the Job has succeeded ({}), so the Job controller deleted",
                        verdict.reason
                    )
                };
                let counted = if verdict.failed {
                    "; it counts as failed"
                } else {
                    ""
                };
                (
                    pod.metadata.key(),
                    format!("{fate} {}{counted}", pod.metadata.name),
                )
            })
            .collect();
        let deleted = self.delete_pods(cluster, job, deletes, report);
        if verdict.failed {
            status.failed += deleted;
        }
        let interim = if verdict.failed {
            JobConditionType::FailureTarget
        } else {
            JobConditionType::SuccessCriteriaMet
        };
        ensure_condition(
            status,
            interim,
            ConditionStatus::True,
            &verdict.reason,
            &verdict.message,
            now,
        );
    }

    /// The `Suspended` condition and the Suspended / Resumed events.
    fn suspend_conditions(
        &self,
        cluster: &mut Cluster,
        job: &Job,
        status: &mut JobStatus,
        report: &mut SyncReport,
    ) {
        let now = cluster.now;
        if job.is_suspended() {
            if ensure_condition(
                status,
                JobConditionType::Suspended,
                ConditionStatus::True,
                "JobSuspended",
                "Job suspended",
                now,
            ) {
                let why =
                    "spec.suspend is true, so the Job controller deleted the Job's active pods \
                           and creates no new ones until it is resumed"
                        .to_string();
                job_event(
                    cluster,
                    job,
                    EventType::Normal,
                    "Suspended",
                    "Job suspended".into(),
                    why,
                    report,
                );
            }
            return;
        }
        if ensure_condition(
            status,
            JobConditionType::Suspended,
            ConditionStatus::False,
            "JobResumed",
            "Job resumed",
            now,
        ) {
            status.start_time = Some(now);
            let why = "spec.suspend is false again, so the Job controller resets startTime (and \
                       with it activeDeadlineSeconds) and creates pods again"
                .to_string();
            job_event(
                cluster,
                job,
                EventType::Normal,
                "Resumed",
                "Job resumed".into(),
                why,
                report,
            );
        }
    }

    /// Adds the final condition once no pod is terminating, with its Event.
    fn announce(
        &mut self,
        cluster: &mut Cluster,
        job: &Job,
        verdict: &Verdict,
        terminating: i32,
        status: &mut JobStatus,
        report: &mut SyncReport,
    ) {
        let now = cluster.now;
        let (interim, last) = if verdict.failed {
            (JobConditionType::FailureTarget, JobConditionType::Failed)
        } else {
            (
                JobConditionType::SuccessCriteriaMet,
                JobConditionType::Complete,
            )
        };
        ensure_condition(
            status,
            interim,
            ConditionStatus::True,
            &verdict.reason,
            &verdict.message,
            now,
        );
        let key = job.metadata.key();
        if terminating > 0 {
            if !job.has_condition(interim) {
                self.pending_why.insert(key, verdict.why.clone());
            }
            return;
        }
        let why = self
            .pending_why
            .remove(&key)
            .unwrap_or_else(|| verdict.why.clone());
        if !ensure_condition(
            status,
            last,
            ConditionStatus::True,
            &verdict.reason,
            &verdict.message,
            now,
        ) {
            return;
        }
        if verdict.failed {
            job_event(
                cluster,
                job,
                EventType::Warning,
                &verdict.reason,
                verdict.message.clone(),
                why,
                report,
            );
            return;
        }
        status.completion_time = Some(now);
        job_event(
            cluster,
            job,
            EventType::Normal,
            "Completed",
            "Job completed".into(),
            why,
            report,
        );
        if let Some(completions) = job.completions().filter(|c| status.succeeded > *c) {
            let why = format!(
                "{} pods succeeded although completions is {completions}, which happens when \
                 pods finish together",
                status.succeeded
            );
            let message =
                "Too many succeeded pods running after completion count reached".to_string();
            job_event(
                cluster,
                job,
                EventType::Warning,
                "TooManySucceededPods",
                message,
                why,
                report,
            );
        }
    }

    /// Syncs again when the active deadline will pass.
    fn requeue_deadline(
        &self,
        job: &Job,
        status: &JobStatus,
        now: SimTime,
        report: &mut SyncReport,
    ) {
        let (Some(deadline_secs), Some(start)) =
            (job.spec.active_deadline_seconds, status.start_time)
        else {
            return;
        };
        if job.is_suspended()
            || status.conditions.iter().any(|c| {
                c.status == ConditionStatus::True && c.type_ != JobConditionType::Suspended
            })
        {
            return;
        }
        let due = start + SimDuration::from_secs(deadline_secs);
        if due > now {
            report.requeue(due - now);
        }
    }
}

/// The completion check after `manageJob`.
fn completion(job: &Job, status: &JobStatus, active: i32) -> Option<Verdict> {
    let complete = match job.completions() {
        None => status.succeeded > 0 && active == 0,
        Some(completions) => status.succeeded >= completions && active == 0,
    };
    if !complete || job.is_suspended() {
        return None;
    }
    let why = match job.completions() {
        Some(completions) => format!(
            "{} and completions is {completions}, so the Job is marked Complete",
            plural(status.succeeded, "pod has succeeded", "pods have succeeded")
        ),
        None => format!(
            "this work-queue Job has {} and no pod is still running, so the Job is marked \
             Complete",
            plural(status.succeeded, "succeeded pod", "succeeded pods")
        ),
    };
    Some(Verdict {
        failed: false,
        reason: REASON_COMPLETIONS_REACHED.to_string(),
        message: MESSAGE_COMPLETIONS_REACHED.to_string(),
        why,
    })
}

/// The Job invariants: counters within bounds and conditions that follow the API's rules.
pub fn check_job_invariants(cluster: &Cluster, violations: &mut Vec<String>) {
    for job in cluster.store.jobs().iter() {
        let key = job.metadata.key();
        let status = &job.status;
        if let Some(completions) = job.completions()
            && status.succeeded > completions
        {
            violations.push(format!(
                "job {key} has succeeded {} above completions {completions}",
                status.succeeded
            ));
        }
        let complete = job.has_condition(JobConditionType::Complete);
        let failed = job.has_condition(JobConditionType::Failed);
        if complete && failed {
            violations.push(format!("job {key} is both Complete and Failed"));
        }
        if failed && !job.has_condition(JobConditionType::FailureTarget) {
            violations.push(format!("job {key} is Failed without FailureTarget"));
        }
        if complete
            && (!job.has_condition(JobConditionType::SuccessCriteriaMet)
                || status.completion_time.is_none())
        {
            violations.push(format!(
                "job {key} is Complete without SuccessCriteriaMet and completionTime"
            ));
        }
        if (complete || failed)
            && (status.active != 0 || owned_pods(cluster, job).any(Pod::is_active))
        {
            violations.push(format!("finished job {key} still has active pods"));
        }
    }
}

impl Controller for JobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    /// Job writes sync at once; pod writes sync the owning Job after the 1 s batch period.
    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        match change.kind {
            Kind::Job => keys.push((change.key.clone(), SimDuration::ZERO)),
            Kind::Pod => {
                let pod = match (&change.new, &change.old) {
                    (Some(Object::Pod(pod)), _) | (None, Some(Object::Pod(pod))) => pod,
                    _ => return,
                };
                let Some(owner) = pod.metadata.controller_ref().filter(|o| o.kind == "Job") else {
                    return;
                };
                let job_key = ObjectKey::new(&pod.metadata.namespace, &owner.name);
                if cluster.store.find_uid(&owner.uid).is_none() {
                    if change.new.is_some() && has_finalizer(pod) {
                        self.orphans.insert(pod.metadata.key());
                        keys.push((job_key, SimDuration::ZERO));
                    }
                    return;
                }
                keys.push((job_key, SimDuration::from_ms(SYNC_BATCH_MS)));
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        self.sync_job(key, cluster)
    }

    fn check_invariants(&self, cluster: &Cluster, violations: &mut Vec<String>) {
        check_job_invariants(cluster, violations);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
