//! The Deployment controller (`pkg/controller/deployment`): roll a counted set of pods from one
//! template to the next through ReplicaSets.
//!
//! A sync mirrors `syncDeployment`: refuse an empty selector (`SelectingAll`), claim the
//! ReplicaSets the selector matches, then — paused or merely scaled — only `sync` (scale and
//! status), otherwise roll out with `rolloutRolling` or `rolloutRecreate`, and finally write the
//! status with the `Progressing` and `Available` conditions (`syncRolloutStatus`).
//!
//! Every template gets its own ReplicaSet, named `<deployment>-<pod-template-hash>`; the hash is
//! also added to the ReplicaSet's selector and pod labels so that ReplicaSets of one Deployment
//! never fight over pods. The newest revision number is written on the ReplicaSet and on the
//! Deployment (`deployment.kubernetes.io/revision`); old ReplicaSets scaled to zero are kept as
//! history for `kubectl rollout undo`, up to `revisionHistoryLimit`.
//!
//! The controller never touches pods: it only resizes ReplicaSets, and the ReplicaSet
//! controller creates and deletes the pods.
//!
//! DIVERGENCE: pod template hashes are FNV-1a over the template's JSON (see
//! [`crate::sim::controllers::daemonset::template_hash`]), so ReplicaSet names differ from a real
//! cluster's for the same manifest; the format is the same. Condition times keep milliseconds
//! where the API server stores whole seconds.

use crate::sim::cluster::Cluster;
use crate::sim::controllers::daemonset::template_hash;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::events::{EventNote, reference};
use crate::sim::model::deployment::{
    DESIRED_REPLICAS_ANNOTATION, LAST_APPLIED_ANNOTATION, MAX_REPLICAS_ANNOTATION,
    POD_TEMPLATE_HASH, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
};
use crate::sim::model::{
    ConditionStatus, Deployment, DeploymentCondition, DeploymentStatus, DeploymentStrategyType,
    EventType, Kind, Object, ObjectKey, ObjectMeta, OwnerReference, Pod, PodPhase, ReplicaSet,
    ReplicaSetSpec,
};
use crate::sim::rollout::equal_ignore_hash;
use crate::sim::store::{ApiError, Change};
use crate::sim::time::{SimDuration, SimTime};
use std::any::Any;
use std::collections::BTreeMap;

/// The component name on Events.
pub const COMPONENT: &str = "deployment-controller";
/// The longest `deployment.kubernetes.io/revision-history` kept, in characters.
const MAX_REV_HISTORY_CHARS: usize = 2000;

/// `Progressing` reason: a ReplicaSet was created for a new template.
pub const NEW_RS_REASON: &str = "NewReplicaSetCreated";
/// `Progressing` reason: the ReplicaSet of the current template was found.
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
/// `Progressing` reason: the rollout made progress.
pub const RS_UPDATED_REASON: &str = "ReplicaSetUpdated";
/// `Progressing` reason: the rollout finished.
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
/// `Progressing` reason: no progress for `progressDeadlineSeconds`.
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
/// `Progressing` reason: `spec.paused` was set.
pub const PAUSED_REASON: &str = "DeploymentPaused";
/// `Progressing` reason: `spec.paused` was cleared.
pub const RESUMED_REASON: &str = "DeploymentResumed";
/// `Progressing` reason: the new ReplicaSet could not be created.
pub const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
/// `Available` reason: enough pods are available.
pub const MIN_AVAILABLE_REASON: &str = "MinimumReplicasAvailable";
/// `Available` reason: too few pods are available.
pub const MIN_UNAVAILABLE_REASON: &str = "MinimumReplicasUnavailable";

/// The Deployment controller; it keeps no private state (upstream has no expectations here).
#[derive(Clone, Debug, Default)]
pub struct DeploymentController;

/// `ResolveFenceposts`: maxSurge rounded up and maxUnavailable rounded down against the desired
/// count; when both come out 0, maxUnavailable becomes 1.
pub fn resolve_fenceposts(d: &Deployment) -> (i32, i32) {
    let desired = i64::from(d.replicas());
    let rolling = d.rolling_update();
    let scaled = |v: Option<&crate::sim::model::IntOrString>, up: bool| {
        v.map_or(0, |v| v.scaled_value(desired, up).unwrap_or(0))
    };
    let surge = scaled(rolling.and_then(|r| r.max_surge.as_ref()), true);
    let mut unavailable = scaled(rolling.and_then(|r| r.max_unavailable.as_ref()), false);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    let clamp = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    (clamp(surge), clamp(unavailable))
}

/// `MaxSurge`: 0 unless rolling.
pub fn max_surge(d: &Deployment) -> i32 {
    match d.strategy_type() {
        DeploymentStrategyType::RollingUpdate => resolve_fenceposts(d).0,
        DeploymentStrategyType::Recreate => 0,
    }
}

/// `MaxUnavailable`: 0 unless rolling with replicas, and never above the replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    if d.strategy_type() != DeploymentStrategyType::RollingUpdate || d.replicas() == 0 {
        return 0;
    }
    resolve_fenceposts(d).1.min(d.replicas())
}

fn spec_replicas(rs: &ReplicaSet) -> i32 {
    rs.replicas()
}

fn sum(rss: &[ReplicaSet], f: impl Fn(&ReplicaSet) -> i32) -> i32 {
    rss.iter().map(f).sum()
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, then by name.
fn by_creation(rss: &mut [ReplicaSet]) {
    rss.sort_by(|a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's, ignoring
/// the hash label.
pub fn find_new_replica_set<'a>(d: &Deployment, rss: &'a [ReplicaSet]) -> Option<&'a ReplicaSet> {
    let mut sorted: Vec<&ReplicaSet> = rss.iter().collect();
    sorted.sort_by(|a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    sorted
        .into_iter()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
}

fn annotation_i32(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata
        .annotations
        .get(key)
        .and_then(|v| v.parse().ok())
}

/// `SetReplicasAnnotations`: record the Deployment size the ReplicaSet was scaled for.
fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max),
    ] {
        let value = value.to_string();
        if rs.metadata.annotations.get(key) != Some(&value) {
            rs.metadata.annotations.insert(key.to_string(), value);
            changed = true;
        }
    }
    changed
}

/// Annotations of the Deployment that are never copied onto its ReplicaSets.
const NOT_COPIED: &[&str] = &[
    LAST_APPLIED_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations, raise the revision (keeping
/// the old number in the revision history when a rollback reuses the ReplicaSet) and, for a
/// ReplicaSet about to be created, record the size annotations.
fn set_new_rs_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    let mut changed = false;
    for (k, v) in &d.metadata.annotations {
        if !NOT_COPIED.contains(&k.as_str()) && rs.metadata.annotations.get(k) != Some(v) {
            rs.metadata.annotations.insert(k.clone(), v.clone());
            changed = true;
        }
    }
    let old = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned();
    let old_revision = match old.as_deref().map(str::parse::<i64>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return false,
    };
    if old_revision < new_revision {
        rs.metadata
            .annotations
            .insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        changed = true;
        if let Some(old) = old {
            push_revision_history(rs, &old);
        }
    }
    if !exists && set_replicas_annotations(rs, d.replicas(), d.replicas() + max_surge(d)) {
        changed = true;
    }
    changed
}

/// Appends `old` to the revision history, dropping the oldest entries beyond the length limit.
fn push_revision_history(rs: &mut ReplicaSet, old: &str) {
    let history = rs
        .metadata
        .annotations
        .get(REVISION_HISTORY_ANNOTATION)
        .cloned()
        .unwrap_or_default();
    let mut entries: Vec<&str> = history.split(',').filter(|s| !s.is_empty()).collect();
    entries.push(old);
    while entries.join(",").len() > MAX_REV_HISTORY_CHARS && entries.len() > 1 {
        entries.remove(0);
    }
    rs.metadata
        .annotations
        .insert(REVISION_HISTORY_ANNOTATION.to_string(), entries.join(","));
}

/// A fresh condition with both times `now` (`NewDeploymentCondition`).
fn condition(
    type_: &str,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: SimTime,
) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.to_string(),
        status,
        last_update_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(reason.to_string()),
        message: Some(message),
    }
}

/// `SetDeploymentCondition`: no change for the same status and reason; the transition time
/// survives a reason change with the same status; the condition moves to the end.
pub fn set_condition(status: &mut DeploymentStatus, mut new: DeploymentCondition) {
    if let Some(current) = status.condition(&new.type_) {
        if current.status == new.status && current.reason == new.reason {
            return;
        }
        if current.status == new.status {
            new.last_transition_time = current.last_transition_time;
        }
    }
    status.conditions.retain(|c| c.type_ != new.type_);
    status.conditions.push(new);
}

fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|s| s != i32::MAX)
}

/// `calculateStatus`: counts summed over the ReplicaSets and the `Available` condition.
pub fn calculate_status(
    all: &[ReplicaSet],
    new_rs: Option<&ReplicaSet>,
    d: &Deployment,
    now: SimTime,
) -> DeploymentStatus {
    let available = sum(all, |rs| rs.status.available_replicas);
    let total = sum(all, spec_replicas);
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: sum(all, |rs| rs.status.replicas),
        updated_replicas: new_rs.map_or(0, |rs| rs.status.replicas),
        ready_replicas: sum(all, |rs| rs.status.ready_replicas),
        available_replicas: available,
        unavailable_replicas: (total - available).max(0),
        conditions: d.status.conditions.clone(),
        collision_count: d.status.collision_count,
    };
    let min_available = d.replicas() - max_unavailable(d);
    let available_condition = if available >= min_available {
        condition(
            "Available",
            ConditionStatus::True,
            MIN_AVAILABLE_REASON,
            "Deployment has minimum availability.".to_string(),
            now,
        )
    } else {
        condition(
            "Available",
            ConditionStatus::False,
            MIN_UNAVAILABLE_REASON,
            "Deployment does not have minimum availability.".to_string(),
            now,
        )
    };
    set_condition(&mut status, available_condition);
    status
}

/// `DeploymentComplete`: every desired pod updated and available, generation observed.
pub fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    let replicas = d.replicas();
    status.updated_replicas == replicas
        && status.replicas == replicas
        && status.available_replicas == replicas
        && status.observed_generation >= d.metadata.generation
}

/// `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones.
fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let old = &d.status;
    new.updated_replicas > old.updated_replicas
        || new.replicas - new.updated_replicas < old.replicas - old.updated_replicas
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

/// `DeploymentTimedOut`: the last progress is more than `progressDeadlineSeconds` ago.
fn deployment_timed_out(d: &Deployment, status: &DeploymentStatus, now: SimTime) -> bool {
    let Some(cond) = status
        .condition("Progressing")
        .filter(|_| has_progress_deadline(d))
    else {
        return false;
    };
    match cond.reason.as_deref() {
        Some(NEW_RS_AVAILABLE_REASON) => false,
        Some(TIMED_OUT_REASON) => true,
        _ => {
            let deadline =
                SimDuration::from_secs(i64::from(d.spec.progress_deadline_seconds.unwrap_or(0)));
            cond.last_update_time
                .is_some_and(|from| from + deadline < now)
        }
    }
}

fn rs_label(new_rs: Option<&ReplicaSet>, d: &Deployment) -> String {
    match new_rs {
        Some(rs) => format!("ReplicaSet {:?}", rs.metadata.name),
        None => format!("Deployment {:?}", d.metadata.name),
    }
}

/// The `Progressing` condition `syncRolloutStatus` sets, if any.
fn progressing_condition(
    d: &Deployment,
    status: &DeploymentStatus,
    new_rs: Option<&ReplicaSet>,
    now: SimTime,
) -> Option<DeploymentCondition> {
    let current = d.status.condition("Progressing");
    let complete = status.replicas == status.updated_replicas
        && current.is_some_and(|c| c.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON));
    if !has_progress_deadline(d) || complete {
        return None;
    }
    let subject = rs_label(new_rs, d);
    if deployment_complete(d, status) {
        let message = format!("{subject} has successfully progressed.");
        Some(condition(
            "Progressing",
            ConditionStatus::True,
            NEW_RS_AVAILABLE_REASON,
            message,
            now,
        ))
    } else if deployment_progressing(d, status) {
        let message = format!("{subject} is progressing.");
        let mut cond = condition(
            "Progressing",
            ConditionStatus::True,
            RS_UPDATED_REASON,
            message,
            now,
        );
        if let Some(current) = current.filter(|c| c.status == ConditionStatus::True) {
            cond.last_transition_time = current.last_transition_time;
        }
        Some(cond)
    } else if deployment_timed_out(d, status, now) {
        let message = format!("{subject} has timed out progressing.");
        Some(condition(
            "Progressing",
            ConditionStatus::False,
            TIMED_OUT_REASON,
            message,
            now,
        ))
    } else {
        None
    }
}

/// `getReplicaFailures`: the first `ReplicaFailure` of the new, then the old ReplicaSets.
fn replica_failure(all: &[ReplicaSet], new_rs: Option<&ReplicaSet>) -> Option<DeploymentCondition> {
    new_rs
        .into_iter()
        .chain(all.iter())
        .flat_map(|rs| rs.status.conditions.iter())
        .find(|c| c.type_ == "ReplicaFailure")
        .map(|c| DeploymentCondition {
            type_: "ReplicaFailure".to_string(),
            status: c.status,
            last_update_time: c.last_transition_time,
            last_transition_time: c.last_transition_time,
            reason: c.reason.clone(),
            message: c.message.clone(),
        })
}

fn owner_ref(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "Deployment".to_string(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn event(
    cluster: &mut Cluster,
    d: &Deployment,
    type_: EventType,
    reason: &str,
    message: String,
    why: String,
    report: &mut SyncReport,
) {
    report.events.push(reason.to_string());
    cluster.record(EventNote {
        object: reference("Deployment", "apps/v1", &d.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component: COMPONENT,
        host: String::new(),
        why,
    });
}

/// One sync's working set: the Deployment as last written, and its ReplicaSets.
struct Ctx {
    d: Deployment,
    report: SyncReport,
}

type SyncResult = Result<(), String>;

impl Ctx {
    /// Writes the Deployment's status (and annotations) and keeps the local copy current.
    fn write_deployment(&mut self, cluster: &mut Cluster) -> SyncResult {
        let wanted = self.d.clone();
        let written = cluster
            .store
            .modify::<Deployment>(&wanted.metadata.key(), |d| {
                d.status = wanted.status.clone();
                d.metadata.annotations = wanted.metadata.annotations.clone();
            });
        self.d = written.map_err(|e| e.to_string())?;
        Ok(())
    }

    /// `scaleReplicaSet`: resize `rs` (and refresh its size annotations); a size change is a
    /// `ScalingReplicaSet` Event explained by `why`.
    fn scale_rs(
        &mut self,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
        new_scale: i32,
        up: bool,
        why: &str,
    ) -> Result<ReplicaSet, String> {
        let d = &self.d;
        let old_scale = spec_replicas(rs);
        let mut copy = rs.clone();
        let size_changes = old_scale != new_scale;
        let annotations_change =
            set_replicas_annotations(&mut copy, d.replicas(), d.replicas() + max_surge(d));
        if !size_changes && !annotations_change {
            return Ok(rs.clone());
        }
        copy.spec.replicas = Some(new_scale);
        let updated = cluster.store.update(copy).map_err(|e| e.to_string())?;
        if size_changes {
            let verb = if up { "up" } else { "down" };
            let message = format!(
                "Scaled {verb} replica set {} from {old_scale} to {new_scale}",
                rs.metadata.name
            );
            let d = self.d.clone();
            event(
                cluster,
                &d,
                EventType::Normal,
                "ScalingReplicaSet",
                message,
                why.to_string(),
                &mut self.report,
            );
        }
        Ok(updated)
    }

    /// `scaleReplicaSetAndRecordEvent`: the direction follows the sizes.
    fn scale_to(
        &mut self,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
        new_scale: i32,
        why: &str,
    ) -> Result<(bool, ReplicaSet), String> {
        if spec_replicas(rs) == new_scale {
            return Ok((false, rs.clone()));
        }
        let up = spec_replicas(rs) < new_scale;
        self.scale_rs(cluster, rs, new_scale, up, why)
            .map(|rs| (true, rs))
    }
}

/// The ReplicaSets of one Deployment, split as `getAllReplicaSetsAndSyncRevision` returns them.
struct Sets {
    new_rs: Option<ReplicaSet>,
    old: Vec<ReplicaSet>,
}

impl Sets {
    fn all(&self) -> Vec<ReplicaSet> {
        let mut all = self.old.clone();
        all.extend(self.new_rs.clone());
        all
    }
}

fn active(rss: &[ReplicaSet]) -> Vec<ReplicaSet> {
    rss.iter()
        .filter(|rs| spec_replicas(rs) > 0)
        .cloned()
        .collect()
}

impl DeploymentController {
    /// `getReplicaSetsForDeployment`: adopt orphans the selector matches, release owned
    /// ReplicaSets it no longer matches; returns the owned ones.
    fn claim_replica_sets(cluster: &mut Cluster, d: &Deployment) -> Vec<ReplicaSet> {
        let Some(selector) = d.spec.selector.clone() else {
            return Vec::new();
        };
        let uid = d.metadata.uid.clone();
        let mut owned = Vec::new();
        let (mut adopt, mut release) = (Vec::new(), Vec::new());
        for rs in cluster
            .store
            .replica_sets()
            .in_namespace(&d.metadata.namespace)
        {
            let matches = selector.matches(&rs.metadata.labels);
            match rs.metadata.controller_ref() {
                Some(o) if o.uid == uid && matches => owned.push(rs.clone()),
                Some(o) if o.uid == uid => release.push(rs.metadata.key()),
                Some(_) => {}
                None if matches && d.metadata.deletion_timestamp.is_none() => {
                    adopt.push(rs.metadata.key())
                }
                None => {}
            }
        }
        for key in release {
            let _ = cluster.store.modify::<ReplicaSet>(&key, |rs| {
                rs.metadata.owner_references.retain(|o| o.uid != uid)
            });
        }
        for key in adopt {
            let owner = owner_ref(d);
            if let Ok(rs) = cluster
                .store
                .modify::<ReplicaSet>(&key, |rs| rs.metadata.owner_references.push(owner))
            {
                owned.push(rs);
            }
        }
        owned
    }

    /// `getAllReplicaSetsAndSyncRevision` / `getNewReplicaSet`.
    fn get_all(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        rs_list: &[ReplicaSet],
        create: bool,
    ) -> Result<Sets, String> {
        let new_found = find_new_replica_set(&ctx.d, rs_list).cloned();
        let mut old: Vec<ReplicaSet> = rs_list
            .iter()
            .filter(|rs| {
                new_found
                    .as_ref()
                    .is_none_or(|n| n.metadata.uid != rs.metadata.uid)
            })
            .cloned()
            .collect();
        by_creation(&mut old);
        let max_old = old
            .iter()
            .filter_map(ReplicaSet::revision)
            .max()
            .unwrap_or(0);
        let new_revision = max_old + 1;
        let new_rs = match new_found {
            Some(existing) => Some(Self::sync_existing_new_rs(
                ctx,
                cluster,
                existing,
                new_revision,
            )?),
            None if create => Some(Self::create_new_rs(ctx, cluster, &old, new_revision)?),
            None => None,
        };
        Ok(Sets { new_rs, old })
    }

    /// The existing-new-ReplicaSet branch of `getNewReplicaSet`: sync its annotations and
    /// minReadySeconds, then the Deployment's revision and a first `Progressing` condition.
    fn sync_existing_new_rs(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        existing: ReplicaSet,
        new_revision: i64,
    ) -> Result<ReplicaSet, String> {
        let mut copy = existing.clone();
        let annotations_changed = set_new_rs_annotations(&ctx.d, &mut copy, new_revision, true);
        let min_ready = ctx.d.spec.min_ready_seconds.filter(|s| *s != 0);
        if annotations_changed || copy.spec.min_ready_seconds.filter(|s| *s != 0) != min_ready {
            copy.spec.min_ready_seconds = ctx.d.spec.min_ready_seconds;
            return cluster.store.update(copy).map_err(|e| e.to_string());
        }
        let revision = copy
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        let mut needs_update =
            ctx.d.metadata.annotations.get(REVISION_ANNOTATION) != Some(&revision);
        ctx.d
            .metadata
            .annotations
            .insert(REVISION_ANNOTATION.to_string(), revision);
        if has_progress_deadline(&ctx.d) && ctx.d.status.condition("Progressing").is_none() {
            let message = format!("Found new replica set {:?}", copy.metadata.name);
            let cond = condition(
                "Progressing",
                ConditionStatus::True,
                FOUND_NEW_RS_REASON,
                message,
                cluster.now,
            );
            set_condition(&mut ctx.d.status, cond);
            needs_update = true;
        }
        if needs_update {
            ctx.write_deployment(cluster)?;
        }
        Ok(copy)
    }

    /// The ReplicaSet object `getNewReplicaSet` creates for the current template.
    fn new_rs_object(d: &Deployment, hash: &str) -> ReplicaSet {
        let mut template = d.spec.template.clone();
        template
            .metadata
            .labels
            .insert(POD_TEMPLATE_HASH.to_string(), hash.to_string());
        let mut selector = d.spec.selector.clone().unwrap_or_default();
        selector
            .match_labels
            .insert(POD_TEMPLATE_HASH.to_string(), hash.to_string());
        let mut metadata = ObjectMeta::named(
            &d.metadata.namespace,
            &format!("{}-{hash}", d.metadata.name),
        );
        metadata.owner_references.push(owner_ref(d));
        metadata.labels = template.metadata.labels.clone();
        let mut rs = ReplicaSet::new(&d.metadata.namespace, "", "", 0);
        rs.metadata = metadata;
        rs.spec = ReplicaSetSpec {
            replicas: Some(0),
            min_ready_seconds: d.spec.min_ready_seconds,
            selector: Some(selector),
            template,
        };
        rs
    }

    /// The create branch of `getNewReplicaSet`.
    fn create_new_rs(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        old: &[ReplicaSet],
        new_revision: i64,
    ) -> Result<ReplicaSet, String> {
        let hash = template_hash(&ctx.d.spec.template, ctx.d.status.collision_count);
        let mut rs = Self::new_rs_object(&ctx.d, &hash);
        let mut all = old.to_vec();
        all.push(rs.clone());
        let replicas = new_rs_new_replicas(&ctx.d, &all, &rs);
        rs.spec.replicas = Some(replicas);
        set_new_rs_annotations(&ctx.d, &mut rs, new_revision, false);
        let now = cluster.now;
        let created = match cluster.store.create(rs.clone(), now, &mut cluster.rng) {
            Ok(created) => created,
            Err(ApiError::AlreadyExists { .. }) => return Self::name_taken(ctx, cluster, &rs),
            Err(err) => return Self::create_failed(ctx, cluster, &rs, err),
        };
        if replicas > 0 {
            let message = format!(
                "Scaled up replica set {} from 0 to {replicas}",
                created.metadata.name
            );
            let why = create_why(
                &ctx.d,
                &created,
                replicas,
                old.iter().any(|r| spec_replicas(r) > 0),
            );
            let d = ctx.d.clone();
            event(
                cluster,
                &d,
                EventType::Normal,
                "ScalingReplicaSet",
                message,
                why,
                &mut ctx.report,
            );
        }
        ctx.d
            .metadata
            .annotations
            .insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        if has_progress_deadline(&ctx.d) {
            let message = format!("Created new replica set {:?}", created.metadata.name);
            let cond = condition(
                "Progressing",
                ConditionStatus::True,
                NEW_RS_REASON,
                message,
                now,
            );
            set_condition(&mut ctx.d.status, cond);
        }
        ctx.write_deployment(cluster)?;
        Ok(created)
    }

    /// The name is taken: ours (a sync raced its own create) or a hash collision, which bumps
    /// `collisionCount` so the next sync tries another name.
    fn name_taken(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
    ) -> Result<ReplicaSet, String> {
        let existing = cluster
            .store
            .replica_sets()
            .get(&rs.metadata.key())
            .cloned();
        if let Some(existing) = existing.filter(|e| {
            e.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == ctx.d.metadata.uid)
                && equal_ignore_hash(&e.spec.template, &ctx.d.spec.template)
        }) {
            return Ok(existing);
        }
        *ctx.d.status.collision_count.get_or_insert(0) += 1;
        ctx.write_deployment(cluster)?;
        Err(format!(
            "replicasets.apps {:?} already exists",
            rs.metadata.name
        ))
    }

    fn create_failed(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
        err: ApiError,
    ) -> Result<ReplicaSet, String> {
        let message = format!(
            "Failed to create new replica set {:?}: {err}",
            rs.metadata.name
        );
        if has_progress_deadline(&ctx.d) {
            let cond = condition(
                "Progressing",
                ConditionStatus::False,
                FAILED_RS_CREATE_REASON,
                message.clone(),
                cluster.now,
            );
            set_condition(&mut ctx.d.status, cond);
            let _ = ctx.write_deployment(cluster);
        }
        let why = format!(
            "the API server refused the new ReplicaSet of {}, so the rollout cannot start",
            ctx.d.metadata.name
        );
        let d = ctx.d.clone();
        event(
            cluster,
            &d,
            EventType::Warning,
            FAILED_RS_CREATE_REASON,
            message,
            why,
            &mut ctx.report,
        );
        Err(err.to_string())
    }
}

fn create_why(d: &Deployment, rs: &ReplicaSet, replicas: i32, rolling_from_old: bool) -> String {
    let name = &d.metadata.name;
    if !rolling_from_old {
        return format!(
            "{name} had no ReplicaSet for its pod template, so the Deployment controller \
             created {} \
             and sized it to {replicas}",
            rs.metadata.name
        );
    }
    match d.strategy_type() {
        DeploymentStrategyType::Recreate => format!(
            "every old pod of {name} is gone, so the Recreate strategy created {} with {replicas} \
             replicas",
            rs.metadata.name
        ),
        DeploymentStrategyType::RollingUpdate => format!(
            "the pod template of {name} changed, so the rolling update created {} and \
             started it at \
             {replicas}: replicas {} + maxSurge {} allows {} pods at once",
            rs.metadata.name,
            d.replicas(),
            max_surge(d),
            d.replicas() + max_surge(d)
        ),
    }
}

/// `NewRSNewReplicas`: how big the new ReplicaSet may be now.
pub fn new_rs_new_replicas(d: &Deployment, all: &[ReplicaSet], new_rs: &ReplicaSet) -> i32 {
    match d.strategy_type() {
        DeploymentStrategyType::RollingUpdate => {
            let current = sum(all, spec_replicas);
            let max_total = d.replicas() + max_surge(d);
            if current >= max_total {
                return spec_replicas(new_rs);
            }
            let up = (max_total - current).min(d.replicas() - spec_replicas(new_rs));
            spec_replicas(new_rs) + up
        }
        DeploymentStrategyType::Recreate => d.replicas(),
    }
}

/// `getReplicaSetFraction`: a ReplicaSet's share of a Deployment resize.
fn rs_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if d.replicas() == 0 {
        return -spec_replicas(rs);
    }
    let max_now = d.replicas() + max_surge(d);
    let before = match annotation_i32(rs, MAX_REPLICAS_ANNOTATION).filter(|v| *v != 0) {
        Some(v) => v,
        None if d.status.replicas == 0 => return 0,
        None => d.status.replicas,
    };
    let scaled = f64::from(spec_replicas(rs) * max_now) / f64::from(before);
    scaled.round() as i32 - spec_replicas(rs)
}

/// `GetProportion`: the fraction, bounded by what is left to add or remove.
fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if spec_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = rs_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

impl DeploymentController {
    /// `scale`: resize for a changed `spec.replicas` (or a paused Deployment).
    fn scale(ctx: &mut Ctx, cluster: &mut Cluster, sets: &Sets) -> SyncResult {
        let d = ctx.d.clone();
        if let Some(target) = find_active_or_latest(sets) {
            if spec_replicas(&target) == d.replicas() {
                return Ok(());
            }
            let why = format!(
                "{} wants {} replicas and {} is its only active ReplicaSet, so it takes \
                 the whole count",
                d.metadata.name,
                d.replicas(),
                target.metadata.name
            );
            return ctx.scale_to(cluster, &target, d.replicas(), &why).map(drop);
        }
        if let Some(new_rs) = sets.new_rs.as_ref().filter(|rs| is_saturated(&d, rs)) {
            for old in active(&sets.old) {
                let why = format!(
                    "the new ReplicaSet {} already runs all {} pods available, so old \
                     ReplicaSet {} goes to 0",
                    new_rs.metadata.name,
                    d.replicas(),
                    old.metadata.name
                );
                ctx.scale_to(cluster, &old, 0, &why)?;
            }
            return Ok(());
        }
        if d.strategy_type() == DeploymentStrategyType::RollingUpdate {
            Self::scale_proportionally(ctx, cluster, sets)?;
        }
        Ok(())
    }

    /// The proportional part of `scale`: spread a resize over the active ReplicaSets by size,
    /// leftovers to the largest.
    fn scale_proportionally(ctx: &mut Ctx, cluster: &mut Cluster, sets: &Sets) -> SyncResult {
        let d = ctx.d.clone();
        let mut all = active(&sets.all());
        let allowed = if d.replicas() > 0 {
            d.replicas() + max_surge(&d)
        } else {
            0
        };
        let to_add = allowed - sum(&all, spec_replicas);
        let up = to_add > 0;
        all.sort_by(|a, b| {
            let size = spec_replicas(b).cmp(&spec_replicas(a));
            let age = (a.metadata.creation_timestamp, &a.metadata.name)
                .cmp(&(b.metadata.creation_timestamp, &b.metadata.name));
            size.then(if up { age.reverse() } else { age })
        });
        let mut added = 0;
        let mut sizes: Vec<i32> = Vec::new();
        for rs in &all {
            let share = proportion(rs, &d, to_add, added);
            sizes.push(spec_replicas(rs) + share);
            added += share;
        }
        if let Some(first) = sizes.first_mut().filter(|_| to_add != 0) {
            *first = (*first + to_add - added).max(0);
        }
        for (rs, size) in all.iter().zip(sizes) {
            let why = format!(
                "{} was resized to {} replicas during a rollout, so the Deployment \
                 controller spreads \
                 the change over its ReplicaSets in proportion to their size",
                d.metadata.name,
                d.replicas()
            );
            ctx.scale_rs(cluster, rs, size, up, &why)?;
        }
        Ok(())
    }
}

/// `FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is active.
fn find_active_or_latest(sets: &Sets) -> Option<ReplicaSet> {
    if sets.new_rs.is_none() && sets.old.is_empty() {
        return None;
    }
    let all_active = active(&sets.all());
    match all_active.len() {
        0 => sets.new_rs.clone().or_else(|| sets.old.last().cloned()),
        1 => all_active.into_iter().next(),
        _ => None,
    }
}

/// `IsSaturated`: the new ReplicaSet has every desired pod, available.
fn is_saturated(d: &Deployment, rs: &ReplicaSet) -> bool {
    annotation_i32(rs, DESIRED_REPLICAS_ANNOTATION).is_some_and(|desired| {
        spec_replicas(rs) == d.replicas()
            && desired == d.replicas()
            && rs.status.available_replicas == d.replicas()
    })
}

impl DeploymentController {
    /// `rolloutRolling`: grow the new ReplicaSet within maxSurge, else shrink old ones within
    /// maxUnavailable, then clean up history once complete.
    fn rollout_rolling(ctx: &mut Ctx, cluster: &mut Cluster, rs_list: &[ReplicaSet]) -> SyncResult {
        let mut sets = Self::get_all(ctx, cluster, rs_list, true)?;
        let scaled_up = Self::reconcile_new(ctx, cluster, &mut sets)?;
        if !scaled_up {
            let scaled_down = Self::reconcile_old(ctx, cluster, &mut sets)?;
            if !scaled_down {
                let status =
                    calculate_status(&sets.all(), sets.new_rs.as_ref(), &ctx.d, cluster.now);
                if deployment_complete(&ctx.d, &ctx.d.status.clone())
                    || deployment_complete(&ctx.d, &status) && ctx.d.status == status
                {
                    Self::cleanup_history(ctx, cluster, &sets.old);
                }
            }
        }
        Self::sync_rollout_status(ctx, cluster, &sets)
    }

    /// `reconcileNewReplicaSet`.
    fn reconcile_new(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        sets: &mut Sets,
    ) -> Result<bool, String> {
        let Some(new_rs) = sets.new_rs.clone() else {
            return Ok(false);
        };
        let d = ctx.d.clone();
        let (current, wanted) = (spec_replicas(&new_rs), d.replicas());
        if current == wanted {
            return Ok(false);
        }
        let (target, why) = if current > wanted {
            let why = format!(
                "{} wants only {wanted} replicas, so its new ReplicaSet shrinks to match",
                d.metadata.name
            );
            (wanted, why)
        } else {
            let all = sets.all();
            let target = new_rs_new_replicas(&d, &all, &new_rs);
            let why = format!(
                "replicas {} + maxSurge {} allows {} pods and the ReplicaSets of {} had \
                 {}, so the new \
                 ReplicaSet {} grows to {target}",
                d.replicas(),
                max_surge(&d),
                d.replicas() + max_surge(&d),
                d.metadata.name,
                sum(&all, spec_replicas),
                new_rs.metadata.name
            );
            (target, why)
        };
        let (scaled, updated) = ctx.scale_to(cluster, &new_rs, target, &why)?;
        sets.new_rs = Some(updated);
        Ok(scaled)
    }

    /// `reconcileOldReplicaSets`: first drop unhealthy old pods, then healthy ones while enough
    /// pods stay available.
    fn reconcile_old(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        sets: &mut Sets,
    ) -> Result<bool, String> {
        let old_active = active(&sets.old);
        if sum(&old_active, spec_replicas) == 0 {
            return Ok(false);
        }
        let Some(new_rs) = sets.new_rs.clone() else {
            return Ok(false);
        };
        let d = ctx.d.clone();
        let all_pods = sum(&sets.all(), spec_replicas);
        let min_available = d.replicas() - max_unavailable(&d);
        let new_unavailable = spec_replicas(&new_rs) - new_rs.status.available_replicas;
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return Ok(false);
        }
        let (old_active, cleaned) =
            Self::cleanup_unhealthy(ctx, cluster, old_active, max_scaled_down)?;
        let mut all = old_active.clone();
        all.push(new_rs);
        let scaled = Self::scale_down_old(ctx, cluster, &all, old_active)?;
        Ok(cleaned + scaled > 0)
    }

    /// `cleanupUnhealthyReplicas`: old pods that are not available can go at no cost.
    fn cleanup_unhealthy(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        mut old: Vec<ReplicaSet>,
        max_cleanup: i32,
    ) -> Result<(Vec<ReplicaSet>, i32), String> {
        by_creation(&mut old);
        let mut total = 0;
        for rs in old.iter_mut() {
            if total >= max_cleanup {
                break;
            }
            let unhealthy = spec_replicas(rs) - rs.status.available_replicas;
            if spec_replicas(rs) == 0 || unhealthy <= 0 {
                continue;
            }
            let count = (max_cleanup - total).min(unhealthy);
            let why = format!(
                "{count} pods of old ReplicaSet {} are not available, so removing them costs no \
                 availability",
                rs.metadata.name
            );
            let (_, updated) = ctx.scale_to(cluster, rs, spec_replicas(rs) - count, &why)?;
            *rs = updated;
            total += count;
        }
        Ok((old, total))
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`: remove old pods down to the availability floor,
    /// oldest ReplicaSets first.
    fn scale_down_old(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        all: &[ReplicaSet],
        mut old: Vec<ReplicaSet>,
    ) -> Result<i32, String> {
        let d = ctx.d.clone();
        let min_available = d.replicas() - max_unavailable(&d);
        let available = sum(all, |rs| rs.status.available_replicas);
        if available <= min_available {
            return Ok(0);
        }
        by_creation(&mut old);
        let budget = available - min_available;
        let mut total = 0;
        for rs in &old {
            if total >= budget {
                break;
            }
            if spec_replicas(rs) == 0 {
                continue;
            }
            let count = spec_replicas(rs).min(budget - total);
            let why = format!(
                "{available} pods are available and {min_available} must stay (replicas {} - \
                 maxUnavailable {}), so old ReplicaSet {} shrinks by {count}",
                d.replicas(),
                max_unavailable(&d),
                rs.metadata.name
            );
            ctx.scale_to(cluster, rs, spec_replicas(rs) - count, &why)?;
            total += count;
        }
        Ok(total)
    }

    /// `rolloutRecreate`: scale every old ReplicaSet to 0, wait until no old pod runs, then
    /// create and scale up the new one.
    fn rollout_recreate(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        rs_list: &[ReplicaSet],
    ) -> SyncResult {
        let mut sets = Self::get_all(ctx, cluster, rs_list, false)?;
        let mut scaled_down = false;
        for rs in active(&sets.old) {
            let why = format!(
                "{} uses the Recreate strategy, so every old pod goes before any new pod starts",
                ctx.d.metadata.name
            );
            scaled_down |= ctx.scale_to(cluster, &rs, 0, &why)?.0;
        }
        if scaled_down || old_pods_running(cluster, &sets) {
            return Self::sync_rollout_status(ctx, cluster, &sets);
        }
        if sets.new_rs.is_none() {
            sets = Self::get_all(ctx, cluster, rs_list, true)?;
        }
        if let Some(new_rs) = sets.new_rs.clone() {
            let why = format!(
                "no old pod of {} runs any more, so the Recreate strategy scales {} up to {}",
                ctx.d.metadata.name,
                new_rs.metadata.name,
                ctx.d.replicas()
            );
            let replicas = ctx.d.replicas();
            sets.new_rs = Some(ctx.scale_to(cluster, &new_rs, replicas, &why)?.1);
        }
        if deployment_complete(&ctx.d, &ctx.d.status.clone()) {
            Self::cleanup_history(ctx, cluster, &sets.old);
        }
        Self::sync_rollout_status(ctx, cluster, &sets)
    }

    /// `cleanupDeployment`: delete the oldest empty ReplicaSets beyond `revisionHistoryLimit`.
    fn cleanup_history(ctx: &mut Ctx, cluster: &mut Cluster, old: &[ReplicaSet]) {
        let Some(limit) = ctx.d.spec.revision_history_limit else {
            return;
        };
        let mut cleanable: Vec<&ReplicaSet> = old
            .iter()
            .filter(|rs| rs.metadata.deletion_timestamp.is_none())
            .collect();
        let diff = cleanable.len() as i64 - i64::from(limit);
        if diff <= 0 {
            return;
        }
        cleanable.sort_by_key(|rs| (rs.revision().unwrap_or(0), rs.metadata.creation_timestamp));
        let now = cluster.now;
        for rs in cleanable.into_iter().take(diff as usize) {
            let busy = rs.status.replicas != 0
                || spec_replicas(rs) != 0
                || rs.metadata.generation > rs.status.observed_generation;
            if !busy {
                let _ = cluster
                    .store
                    .delete::<ReplicaSet>(&rs.metadata.key(), now, None);
            }
        }
    }
}

/// `oldPodsRunning`: an old ReplicaSet still counts pods, or some old pod is not terminal.
fn old_pods_running(cluster: &Cluster, sets: &Sets) -> bool {
    if sum(&sets.old, |rs| rs.status.replicas) > 0 {
        return true;
    }
    sets.old.iter().any(|rs| {
        cluster
            .store
            .dependents_of(&rs.metadata.uid)
            .filter(|(kind, _)| *kind == Kind::Pod)
            .filter_map(|(_, key)| cluster.store.pods().get(key))
            .any(|p| !matches!(p.phase(), PodPhase::Failed | PodPhase::Succeeded))
    })
}

impl DeploymentController {
    /// `syncRolloutStatus`: counts, the `Progressing` and `ReplicaFailure` conditions; when
    /// nothing changed, requeue for the progress deadline (`requeueStuckDeployment`).
    fn sync_rollout_status(ctx: &mut Ctx, cluster: &mut Cluster, sets: &Sets) -> SyncResult {
        let now = cluster.now;
        let all = Self::fresh(cluster, &sets.all());
        let new_rs = sets.new_rs.as_ref().and_then(|rs| {
            cluster
                .store
                .replica_sets()
                .get(&rs.metadata.key())
                .cloned()
        });
        let mut status = calculate_status(&all, new_rs.as_ref(), &ctx.d, now);
        if !has_progress_deadline(&ctx.d) {
            status.conditions.retain(|c| c.type_ != "Progressing");
        }
        if let Some(cond) = progressing_condition(&ctx.d, &status, new_rs.as_ref(), now) {
            if cond.reason.as_deref() == Some(RS_UPDATED_REASON) {
                status.conditions.retain(|c| c.type_ != "Progressing");
            }
            set_condition(&mut status, cond);
        }
        match replica_failure(&all, new_rs.as_ref()) {
            Some(failure) => set_condition(&mut status, failure),
            None => status.conditions.retain(|c| c.type_ != "ReplicaFailure"),
        }
        if status == ctx.d.status {
            Self::requeue_stuck(ctx, &status, now);
            return Ok(());
        }
        ctx.d.status = status;
        ctx.write_deployment(cluster)
    }

    /// `requeueStuckDeployment`: look again one second after the deadline would pass.
    fn requeue_stuck(ctx: &mut Ctx, status: &DeploymentStatus, now: SimTime) {
        let d = &ctx.d;
        let Some(current) = d
            .status
            .condition("Progressing")
            .filter(|_| has_progress_deadline(d))
        else {
            return;
        };
        // DIVERGENCE: upstream also requeues a finished rollout (reason NewReplicaSetAvailable)
        // that lost a pod, through the rate limiter, although `syncRolloutStatus` never
        // estimates progress for it; past the deadline that repeats at the limiter's pace
        // forever. Such a check can change nothing, so we do not requeue it.
        let finished = current.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON);
        if deployment_complete(d, status)
            || finished
            || current.reason.as_deref() == Some(TIMED_OUT_REASON)
        {
            return;
        }
        let deadline =
            SimDuration::from_secs(i64::from(d.spec.progress_deadline_seconds.unwrap_or(0)));
        let Some(updated) = current.last_update_time else {
            return;
        };
        let after = (updated + deadline) - now;
        if after < SimDuration::from_secs(1) {
            ctx.report.requeue(SimDuration::from_ms(5));
        } else {
            ctx.report.requeue(after + SimDuration::from_secs(1));
        }
    }

    /// `syncDeploymentStatus`: counts and `Available` only (scaling, paused, deleting).
    fn sync_status(ctx: &mut Ctx, cluster: &mut Cluster, sets: &Sets) -> SyncResult {
        let all = Self::fresh(cluster, &sets.all());
        let new_rs = sets.new_rs.as_ref().and_then(|rs| {
            cluster
                .store
                .replica_sets()
                .get(&rs.metadata.key())
                .cloned()
        });
        let status = calculate_status(&all, new_rs.as_ref(), &ctx.d, cluster.now);
        if status == ctx.d.status {
            return Ok(());
        }
        ctx.d.status = status;
        ctx.write_deployment(cluster)
    }

    /// The stored versions of `rss` (the informer cache upstream reads them from).
    fn fresh(cluster: &Cluster, rss: &[ReplicaSet]) -> Vec<ReplicaSet> {
        rss.iter()
            .filter_map(|rs| {
                cluster
                    .store
                    .replica_sets()
                    .get(&rs.metadata.key())
                    .cloned()
            })
            .collect()
    }

    /// `sync`: scale (paused or resized Deployments), clean history when paused, write status.
    fn sync_scaling(ctx: &mut Ctx, cluster: &mut Cluster, rs_list: &[ReplicaSet]) -> SyncResult {
        let sets = Self::get_all(ctx, cluster, rs_list, false)?;
        Self::scale(ctx, cluster, &sets)?;
        if ctx.d.is_paused() {
            Self::cleanup_history(ctx, cluster, &sets.old);
        }
        Self::sync_status(ctx, cluster, &sets)
    }

    /// `isScalingEvent`: some active ReplicaSet was sized for another `spec.replicas`.
    fn is_scaling_event(
        ctx: &mut Ctx,
        cluster: &mut Cluster,
        rs_list: &[ReplicaSet],
    ) -> Result<bool, String> {
        let sets = Self::get_all(ctx, cluster, rs_list, false)?;
        Ok(active(&sets.all()).iter().any(|rs| {
            annotation_i32(rs, DESIRED_REPLICAS_ANNOTATION)
                .is_some_and(|desired| desired != ctx.d.replicas())
        }))
    }

    /// `checkPausedConditions`: an `Unknown` Progressing condition on pause and resume.
    fn check_paused_conditions(ctx: &mut Ctx, cluster: &mut Cluster) -> SyncResult {
        if !has_progress_deadline(&ctx.d) {
            return Ok(());
        }
        let cond = ctx.d.status.condition("Progressing");
        let reason = cond.and_then(|c| c.reason.clone());
        if reason.as_deref() == Some(TIMED_OUT_REASON) {
            return Ok(());
        }
        let paused_recorded = reason.as_deref() == Some(PAUSED_REASON);
        let (reason, message) = match (ctx.d.is_paused(), paused_recorded) {
            (true, false) => (PAUSED_REASON, "Deployment is paused"),
            (false, true) => (RESUMED_REASON, "Deployment is resumed"),
            _ => return Ok(()),
        };
        let cond = condition(
            "Progressing",
            ConditionStatus::Unknown,
            reason,
            message.to_string(),
            cluster.now,
        );
        set_condition(&mut ctx.d.status, cond);
        ctx.write_deployment(cluster)
    }

    /// `syncDeployment` for one key.
    fn sync_deployment(key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let Some(d) = cluster.store.deployments().get(key).cloned() else {
            return SyncReport::default();
        };
        let mut ctx = Ctx {
            d,
            report: SyncReport::default(),
        };
        if let Err(err) = Self::sync_steps(&mut ctx, cluster) {
            ctx.report.error = Some(err);
        }
        ctx.report
    }

    fn sync_steps(ctx: &mut Ctx, cluster: &mut Cluster) -> SyncResult {
        if ctx.d.spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            return Self::selecting_all(ctx, cluster);
        }
        let rs_list = Self::claim_replica_sets(cluster, &ctx.d);
        if ctx.d.metadata.deletion_timestamp.is_some() {
            let sets = Self::get_all(ctx, cluster, &rs_list, false)?;
            return Self::sync_status(ctx, cluster, &sets);
        }
        Self::check_paused_conditions(ctx, cluster)?;
        if ctx.d.is_paused() || Self::is_scaling_event(ctx, cluster, &rs_list)? {
            let rs_list = Self::fresh(cluster, &rs_list);
            return Self::sync_scaling(ctx, cluster, &rs_list);
        }
        let rs_list = Self::fresh(cluster, &rs_list);
        match ctx.d.strategy_type() {
            DeploymentStrategyType::Recreate => Self::rollout_recreate(ctx, cluster, &rs_list),
            DeploymentStrategyType::RollingUpdate => Self::rollout_rolling(ctx, cluster, &rs_list),
        }
    }

    fn selecting_all(ctx: &mut Ctx, cluster: &mut Cluster) -> SyncResult {
        let why = format!(
            "{} has an empty selector, which would claim every pod, so the Deployment \
             controller does nothing",
            ctx.d.metadata.name
        );
        let message =
            "This deployment is selecting all pods. A non-empty selector is required.".to_string();
        let d = ctx.d.clone();
        event(
            cluster,
            &d,
            EventType::Warning,
            "SelectingAll",
            message,
            why,
            &mut ctx.report,
        );
        if ctx.d.status.observed_generation < ctx.d.metadata.generation {
            ctx.d.status.observed_generation = ctx.d.metadata.generation;
            ctx.write_deployment(cluster)?;
        }
        Ok(())
    }
}

/// The Deployment controlling a ReplicaSet (`resolveControllerRef`), if it exists.
fn deployment_of(cluster: &Cluster, meta: &ObjectMeta) -> Option<ObjectKey> {
    let owner = meta.controller_ref().filter(|o| o.kind == "Deployment")?;
    let key = ObjectKey::new(&meta.namespace, &owner.name);
    let d = cluster.store.deployments().get(&key)?;
    (d.metadata.uid == owner.uid).then_some(key)
}

/// Deployments whose selector matches an orphan ReplicaSet (`getDeploymentsForReplicaSet`).
fn selecting(cluster: &Cluster, rs: &ReplicaSet) -> Vec<ObjectKey> {
    cluster
        .store
        .deployments()
        .in_namespace(&rs.metadata.namespace)
        .filter(|d| {
            d.spec
                .selector
                .as_ref()
                .is_some_and(|s| !s.is_empty() && s.matches(&rs.metadata.labels))
        })
        .map(|d| d.metadata.key())
        .collect()
}

impl DeploymentController {
    /// `addReplicaSet`, `updateReplicaSet`, `deleteReplicaSet`.
    fn watch_rs(
        old: Option<&ReplicaSet>,
        new: Option<&ReplicaSet>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let zero = SimDuration::ZERO;
        if let Some(old) = old {
            let ref_changed =
                new.is_none_or(|n| n.metadata.controller_ref() != old.metadata.controller_ref());
            if ref_changed && let Some(key) = deployment_of(cluster, &old.metadata) {
                keys.push((key, zero));
            }
        }
        let Some(rs) = new else { return };
        if let Some(key) = deployment_of(cluster, &rs.metadata) {
            keys.push((key, zero));
            return;
        }
        let relabeled = old.is_none_or(|o| {
            o.metadata.labels != rs.metadata.labels
                || o.metadata.controller_ref() != rs.metadata.controller_ref()
        });
        if rs.metadata.controller_ref().is_none() && relabeled {
            keys.extend(selecting(cluster, rs).into_iter().map(|k| (k, zero)));
        }
    }

    /// `deletePod`: a Recreate Deployment whose last pod went away can scale up its new
    /// ReplicaSet.
    fn watch_pod_deleted(pod: &Pod, cluster: &Cluster, keys: &mut Vec<(ObjectKey, SimDuration)>) {
        let Some(owner) = pod
            .metadata
            .controller_ref()
            .filter(|o| o.kind == "ReplicaSet")
        else {
            return;
        };
        let Some(rs) = cluster
            .store
            .replica_sets()
            .get(&ObjectKey::new(&pod.metadata.namespace, &owner.name))
        else {
            return;
        };
        let Some(key) = deployment_of(cluster, &rs.metadata) else {
            return;
        };
        let Some(d) = cluster.store.deployments().get(&key) else {
            return;
        };
        if d.strategy_type() != DeploymentStrategyType::Recreate {
            return;
        }
        let uid = &d.metadata.uid;
        let pods_left = cluster
            .store
            .replica_sets()
            .in_namespace(&d.metadata.namespace)
            .filter(|rs| rs.metadata.controller_ref().is_some_and(|o| &o.uid == uid))
            .any(|rs| {
                cluster
                    .store
                    .dependents_of(&rs.metadata.uid)
                    .any(|(k, _)| *k == Kind::Pod)
            });
        if !pods_left {
            keys.push((key, SimDuration::ZERO));
        }
    }
}

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let as_rs = |o: &Option<Object>| match o {
            Some(Object::ReplicaSet(rs)) => Some(rs.as_ref().clone()),
            _ => None,
        };
        match (change.kind, &change.old, &change.new) {
            (Kind::Deployment, _, _) => keys.push((change.key.clone(), SimDuration::ZERO)),
            (Kind::ReplicaSet, old, new) => {
                Self::watch_rs(as_rs(old).as_ref(), as_rs(new).as_ref(), cluster, keys);
            }
            (Kind::Pod, Some(Object::Pod(pod)), None) => {
                Self::watch_pod_deleted(pod, cluster, keys)
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        Self::sync_deployment(key, cluster)
    }

    fn check_invariants(&self, cluster: &Cluster, violations: &mut Vec<String>) {
        check_invariants(cluster, violations);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The owned ReplicaSets of `d` from the store.
fn owned(cluster: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    crate::sim::rollout::owned_replica_sets(&cluster.store, d)
        .into_iter()
        .cloned()
        .collect()
}

/// Deployment invariants: counts are ordered (available ≤ ready ≤ replicas, updated ≤ replicas);
/// a settled Deployment (no sync of it or its ReplicaSets waiting, generation observed) reports
/// what its ReplicaSets say, and once its rollout is complete it runs exactly `spec.replicas`
/// pods, all of the current template.
fn check_invariants(cluster: &Cluster, violations: &mut Vec<String>) {
    for d in cluster.store.deployments().iter() {
        let key = d.metadata.key();
        let s = &d.status;
        if s.ready_replicas > s.replicas
            || s.available_replicas > s.ready_replicas
            || s.updated_replicas > s.replicas
        {
            violations.push(format!("deployment {key}: counts out of order: {s:?}"));
        }
        let rss = owned(cluster, d);
        let settled = !cluster.queue.any_sync_pending(&key)
            && rss
                .iter()
                .all(|rs| !cluster.queue.any_sync_pending(&rs.metadata.key()))
            && s.observed_generation == d.metadata.generation
            && d.metadata.deletion_timestamp.is_none()
            && d.spec.selector.as_ref().is_some_and(|sel| !sel.is_empty());
        if !settled {
            continue;
        }
        let replicas: i32 = rss.iter().map(|rs| rs.status.replicas).sum();
        if s.replicas != replicas {
            violations.push(format!(
                "deployment {key}: status.replicas {} but its ReplicaSets count {replicas}",
                s.replicas
            ));
        }
        let complete = s
            .condition("Progressing")
            .is_some_and(|c| c.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON));
        let new_rs = find_new_replica_set(d, &rss);
        let steady =
            complete && !d.is_paused() && new_rs.is_some_and(|rs| rs.replicas() == d.replicas());
        if steady && (s.replicas != d.replicas() || s.updated_replicas != d.replicas()) {
            violations.push(format!(
                "deployment {key}: settled after a complete rollout with replicas {} and \
                 updated {} \
                 but spec.replicas {}",
                s.replicas,
                s.updated_replicas,
                d.replicas()
            ));
        }
    }
}

/// The revision number of the Deployment (`deployment.kubernetes.io/revision`), if set.
pub fn revision(d: &Deployment) -> Option<i64> {
    d.metadata
        .annotations
        .get(REVISION_ANNOTATION)
        .and_then(|r| r.parse().ok())
}

/// The pods of every ReplicaSet `d` controls, keyed by ReplicaSet name (for views and tests).
pub fn pods_by_replica_set<'a>(
    cluster: &'a Cluster,
    d: &Deployment,
) -> BTreeMap<String, Vec<&'a Pod>> {
    let mut map = BTreeMap::new();
    for rs in crate::sim::rollout::owned_replica_sets(&cluster.store, d) {
        let pods =
            crate::sim::controllers::replicaset::owned_active_pods(cluster, &rs.metadata.uid);
        map.insert(rs.metadata.name.clone(), pods);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::IntOrString;

    fn rolling(replicas: i32, surge: &str, unavailable: &str) -> Deployment {
        let pct = |s: &str| IntOrString::String(s.to_string());
        Deployment::new("default", "web", "nginx:1.25", replicas)
            .with_rolling_update(pct(surge), pct(unavailable))
    }

    #[test]
    fn surge_rounds_up_and_unavailable_rounds_down() {
        assert_eq!(resolve_fenceposts(&rolling(3, "25%", "25%")), (1, 0));
        assert_eq!(resolve_fenceposts(&rolling(10, "25%", "25%")), (3, 2));
        assert_eq!(resolve_fenceposts(&rolling(4, "50%", "50%")), (2, 2));
    }

    #[test]
    fn both_fenceposts_resolving_to_zero_allow_one_unavailable() {
        assert_eq!(resolve_fenceposts(&rolling(1, "0%", "10%")), (0, 1));
        assert_eq!(
            max_unavailable(&rolling(0, "0%", "10%")),
            0,
            "nothing to lose at 0 replicas"
        );
        assert_eq!(max_surge(&rolling(3, "25%", "25%").with_recreate()), 0);
    }

    #[test]
    fn set_condition_keeps_the_transition_time_when_only_the_reason_changes() {
        let t = SimTime::from_unix_secs;
        let mut status = DeploymentStatus::default();
        let first = condition(
            "Progressing",
            ConditionStatus::True,
            NEW_RS_REASON,
            "a".into(),
            t(1),
        );
        set_condition(&mut status, first);
        let second = condition(
            "Progressing",
            ConditionStatus::True,
            RS_UPDATED_REASON,
            "b".into(),
            t(5),
        );
        set_condition(&mut status, second);
        let cond = status.condition("Progressing").expect("set");
        assert_eq!(
            (cond.last_transition_time, cond.last_update_time),
            (Some(t(1)), Some(t(5)))
        );
        let same = condition(
            "Progressing",
            ConditionStatus::True,
            RS_UPDATED_REASON,
            "c".into(),
            t(9),
        );
        set_condition(&mut status, same);
        assert_eq!(
            status
                .condition("Progressing")
                .and_then(|c| c.message.clone()),
            Some("b".into())
        );
    }
}
