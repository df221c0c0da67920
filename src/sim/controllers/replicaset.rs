//! The ReplicaSet controller (`pkg/controller/replicaset`): keep a count of interchangeable pods.
//!
//! A sync mirrors `syncReplicaSet`: claim the active pods of the namespace (adopt matching
//! orphans, release owned pods whose labels stopped matching), and — once earlier creates and
//! deletes have been observed (expectations) — run `manageReplicas`: create the missing pods in
//! slow-start batches of 1, 2, 4, ... or delete the excess in upstream's ranking
//! ([`deletion_order`]). Then write the status (`calculateStatus`).
//!
//! Unlike a DaemonSet pod, a ReplicaSet pod names no node: the scheduler places it, so the
//! same count can land anywhere, several on one node or none on another, and a pod evicted from
//! a lost node comes back wherever there is room.
//!
//! Expectations are lowered when the watch sees the created pod or the deleted pod, as the
//! informer handlers `addPod`, `updatePod` and `deletePod` do upstream.
//!
//! DIVERGENCE: upstream deletes the excess with `sort.Sort`, which is not stable, over pods in
//! informer order; we sort stably over pods in name order, so equal pods go in name order.

use crate::sim::cluster::Cluster;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::events::{EventNote, reference};
use crate::sim::model::{
    ConditionStatus, EventType, Kind, Object, ObjectKey, OwnerReference, Pod, PodPhase, ReplicaSet,
    ReplicaSetCondition, ReplicaSetStatus,
};
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use std::any::Any;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The component name on Events.
pub const COMPONENT: &str = "replicaset-controller";
/// At most this many creates or deletes per sync (`BurstReplicas`).
pub const BURST_REPLICAS: usize = 500;
/// The first slow-start batch (`SlowStartInitialBatchSize`).
pub const SLOW_START_INITIAL_BATCH: usize = 1;
/// Expectations older than this are considered satisfied (`ExpectationsTimeout`).
const EXPECTATIONS_TIMEOUT_MS: i64 = 5 * 60 * 1000;
/// The annotation that lets users say which pods to delete first.
pub const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Creates and deletes issued but not yet seen (`UIDTrackingControllerExpectations`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Expectations {
    add: i64,
    del: BTreeSet<ObjectKey>,
    set_at: SimTime,
}

/// The controller's private state.
#[derive(Clone, Debug, Default)]
pub struct ReplicaSetController {
    expectations: BTreeMap<ObjectKey, Expectations>,
}

impl ReplicaSetController {
    /// Whether creates and deletes of the ReplicaSet at `key` have all been observed
    /// (`SatisfiedExpectations`).
    pub fn satisfied_expectations(&self, key: &ObjectKey, now: SimTime) -> bool {
        self.expectations.get(key).is_none_or(|e| {
            (e.add <= 0 && e.del.is_empty()) || (now - e.set_at).as_ms() > EXPECTATIONS_TIMEOUT_MS
        })
    }
}

/// The owner reference a ReplicaSet puts on its pods (`NewControllerRef`).
pub fn owner_ref(rs: &ReplicaSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "ReplicaSet".to_string(),
        name: rs.metadata.name.clone(),
        uid: rs.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// The pod the ReplicaSet creates: its template, named `<rs>-<random>`, owned by it
/// (`GetPodFromTemplate`).
pub fn new_pod(rs: &ReplicaSet) -> Pod {
    let mut pod = Pod::from_template(&rs.spec.template, &rs.metadata.namespace);
    pod.metadata.generate_name = Some(format!("{}-", rs.metadata.name));
    pod.metadata.owner_references.push(owner_ref(rs));
    pod
}

/// The active pods the ReplicaSet with `uid` controls, in name order.
pub fn owned_active_pods<'a>(cluster: &'a Cluster, uid: &str) -> Vec<&'a Pod> {
    cluster
        .store
        .dependents_of(uid)
        .filter(|(kind, _)| *kind == Kind::Pod)
        .filter_map(|(_, key)| cluster.store.pods().get(key))
        .filter(|p| p.is_active() && p.metadata.controller_ref().is_some_and(|o| o.uid == uid))
        .collect()
}

/// A pod with its `getPodsRankedByRelatedPodsOnSameNode` rank: how many active pods of the
/// same owner family share its node.
#[derive(Clone, Copy, Debug)]
pub struct RankedPod<'a> {
    /// The pod.
    pub pod: &'a Pod,
    /// Related active pods on its node (counting itself).
    pub rank: usize,
}

fn phase_ordinal(pod: &Pod) -> u8 {
    match pod.phase() {
        PodPhase::Pending => 0,
        PodPhase::Unknown => 1,
        PodPhase::Running => 2,
        PodPhase::Succeeded | PodPhase::Failed => 0,
    }
}

fn deletion_cost(pod: &Pod) -> i64 {
    pod.metadata
        .annotations
        .get(POD_DELETION_COST)
        .and_then(|v| v.parse::<i32>().ok())
        .map_or(0, i64::from)
}

/// When the pod became Ready, truncated to seconds as the API stores it.
fn ready_secs(pod: &Pod) -> Option<i64> {
    pod.condition(crate::sim::model::PodConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::True)
        .and_then(|c| c.last_transition_time)
        .map(SimTime::unix_secs)
}

fn max_restarts(pod: &Pod) -> i32 {
    pod.status
        .container_statuses
        .iter()
        .map(|s| s.restart_count)
        .max()
        .unwrap_or(0)
}

/// `logarithmicRankDiff`: how many powers of two (in nanoseconds) apart two ages are.
fn log_rank(at_secs: i64, now: SimTime) -> i64 {
    let age_ns = (now.unix_ms() - at_secs * 1000) as f64 * 1e6;
    if age_ns <= 0.0 {
        -1
    } else {
        age_ns.log2().floor() as i64
    }
}

/// Younger first on a logarithmic scale, ties by uid (`LogarithmicScaleDown`); a missing time
/// sorts first (`afterOrZero`). `None` when the times are equal.
fn younger_first(a: (Option<i64>, &Pod), b: (Option<i64>, &Pod), now: SimTime) -> Option<Ordering> {
    match (a.0, b.0) {
        (x, y) if x == y => None,
        (None, _) => Some(Ordering::Less),
        (_, None) => Some(Ordering::Greater),
        (Some(x), Some(y)) => Some(match log_rank(x, now).cmp(&log_rank(y, now)) {
            Ordering::Equal => a.1.metadata.uid.cmp(&b.1.metadata.uid),
            other => other,
        }),
    }
}

/// `ActivePodsWithRanks.Less`: which of two pods a scale-down removes first. Unscheduled before
/// scheduled, Pending before Unknown before Running, not ready before ready, lower deletion
/// cost first, more crowded nodes first, ready for less time first, more restarts first, newer
/// first.
pub fn deletion_order(a: &RankedPod<'_>, b: &RankedPod<'_>, now: SimTime) -> Ordering {
    let (pa, pb) = (a.pod, b.pod);
    let (na, nb) = (pa.node_name().unwrap_or(""), pb.node_name().unwrap_or(""));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let early = phase_ordinal(pa)
        .cmp(&phase_ordinal(pb))
        .then(pa.is_ready().cmp(&pb.is_ready()))
        .then(deletion_cost(pa).cmp(&deletion_cost(pb)))
        .then(b.rank.cmp(&a.rank));
    if early != Ordering::Equal {
        return early;
    }
    if pa.is_ready()
        && pb.is_ready()
        && let Some(order) = younger_first((ready_secs(pa), pa), (ready_secs(pb), pb), now)
    {
        return order;
    }
    let restarts = max_restarts(pb).cmp(&max_restarts(pa));
    if restarts != Ordering::Equal {
        return restarts;
    }
    let created = |p: &Pod| p.metadata.creation_timestamp.map(SimTime::unix_secs);
    younger_first((created(pa), pa), (created(pb), pb), now).unwrap_or(Ordering::Equal)
}

/// `getPodsToDelete`: the `count` pods to delete, ranked against `related` (the active pods of
/// every ReplicaSet with the same controller).
pub fn pods_to_delete<'a>(
    pods: &[&'a Pod],
    related: &[&Pod],
    count: usize,
    now: SimTime,
) -> Vec<&'a Pod> {
    let mut on_node: BTreeMap<&str, usize> = BTreeMap::new();
    for pod in related.iter().filter(|p| p.is_active()) {
        *on_node.entry(pod.node_name().unwrap_or("")).or_default() += 1;
    }
    let mut ranked: Vec<RankedPod<'a>> = pods
        .iter()
        .map(|pod| RankedPod {
            pod,
            rank: on_node
                .get(pod.node_name().unwrap_or(""))
                .copied()
                .unwrap_or(0),
        })
        .collect();
    if count < ranked.len() {
        ranked.sort_by(|a, b| deletion_order(a, b, now));
    }
    ranked.into_iter().take(count).map(|r| r.pod).collect()
}

/// Why a pod was picked for deletion, in the ranking's words.
fn deletion_why(rs: &ReplicaSet, pod: &Pod, have: usize, rank: usize) -> String {
    let trait_ = if pod.node_name().is_none() {
        "it was not scheduled to any node yet".to_string()
    } else if pod.phase() != PodPhase::Running {
        format!("it was still {}", pod.phase().as_str())
    } else if !pod.is_ready() {
        "it was not ready".to_string()
    } else if rank > 1 {
        format!("its node ran {rank} pods of the same workload")
    } else {
        "it was the most recently started of equally healthy pods".to_string()
    };
    format!(
        "{} wants {} replicas but had {have}, so the ReplicaSet controller deleted {}: pods that \
         hurt least go first, and {trait_}",
        rs.metadata.name,
        rs.replicas(),
        pod.metadata.name
    )
}

/// What `manageReplicas` decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// How many pods to create.
    pub create: usize,
    /// Pods to delete, each with the explanation.
    pub delete: Vec<(ObjectKey, String)>,
    /// Active pods when deciding.
    pub have: usize,
}

/// The active pods of every ReplicaSet controlled by the same object as `rs`
/// (`getIndirectlyRelatedPods`); empty when `rs` has no controller.
fn related_pods<'a>(cluster: &'a Cluster, rs: &ReplicaSet) -> Vec<&'a Pod> {
    let Some(owner) = rs.metadata.controller_ref() else {
        return Vec::new();
    };
    cluster
        .store
        .replica_sets()
        .in_namespace(&rs.metadata.namespace)
        .filter(|other| {
            other
                .metadata
                .controller_ref()
                .is_some_and(|o| o.uid == owner.uid)
        })
        .flat_map(|other| owned_active_pods(cluster, &other.metadata.uid))
        .collect()
}

/// `manageReplicas` as a pure plan over the claimed active pods.
pub fn manage_plan(cluster: &Cluster, rs: &ReplicaSet, pods: &[&Pod]) -> Plan {
    let want = usize::try_from(rs.replicas().max(0)).unwrap_or(0);
    let have = pods.len();
    let mut plan = Plan {
        have,
        ..Plan::default()
    };
    if have < want {
        plan.create = (want - have).min(BURST_REPLICAS);
    } else if have > want {
        let count = (have - want).min(BURST_REPLICAS);
        let related = related_pods(cluster, rs);
        let mut on_node: BTreeMap<&str, usize> = BTreeMap::new();
        for pod in &related {
            *on_node.entry(pod.node_name().unwrap_or("")).or_default() += 1;
        }
        for pod in pods_to_delete(pods, &related, count, cluster.now) {
            let rank = on_node
                .get(pod.node_name().unwrap_or(""))
                .copied()
                .unwrap_or(0);
            let why = deletion_why(rs, pod, have, rank);
            plan.delete.push((pod.metadata.key(), why));
        }
    }
    plan
}

/// `calculateStatus` over the claimed active pods; `error` is the manage error, if any.
pub fn calculate_status(
    rs: &ReplicaSet,
    pods: &[&Pod],
    error: Option<(&str, String)>,
    now: SimTime,
) -> ReplicaSetStatus {
    let mut status = rs.status.clone();
    let template_labels = &rs.spec.template.metadata.labels;
    let fully_labeled = pods
        .iter()
        .filter(|p| {
            template_labels
                .iter()
                .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        })
        .count();
    let ready = pods.iter().filter(|p| p.is_ready()).count();
    let available = pods
        .iter()
        .filter(|p| p.is_available(rs.min_ready_secs(), now))
        .count();
    let has_failure = status
        .conditions
        .iter()
        .any(|c| c.type_ == "ReplicaFailure");
    match error {
        Some((reason, message)) if !has_failure => status.conditions.push(ReplicaSetCondition {
            type_: "ReplicaFailure".to_string(),
            status: ConditionStatus::True,
            last_transition_time: Some(now),
            reason: Some(reason.to_string()),
            message: Some(message),
        }),
        None if has_failure => status.conditions.retain(|c| c.type_ != "ReplicaFailure"),
        _ => {}
    }
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    status.replicas = count(pods.len());
    status.fully_labeled_replicas = count(fully_labeled);
    status.ready_replicas = count(ready);
    status.available_replicas = count(available);
    status
}

fn rs_event(
    cluster: &mut Cluster,
    rs: &ReplicaSet,
    type_: EventType,
    reason: &str,
    message: String,
    why: String,
    report: &mut SyncReport,
) {
    report.events.push(reason.to_string());
    cluster.record(EventNote {
        object: reference("ReplicaSet", "apps/v1", &rs.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component: COMPONENT,
        host: String::new(),
        why,
    });
}

impl ReplicaSetController {
    /// `ClaimPods`: adopt active orphans the selector matches, release owned pods it no longer
    /// matches. Returns the claimed active pods' keys in name order.
    fn claim_pods(&mut self, cluster: &mut Cluster, rs: &ReplicaSet) -> Vec<ObjectKey> {
        let Some(selector) = rs.spec.selector.clone() else {
            return Vec::new();
        };
        let uid = rs.metadata.uid.clone();
        let can_adopt = rs.metadata.deletion_timestamp.is_none();
        let mut claimed = Vec::new();
        let (mut adopt, mut release) = (Vec::new(), Vec::new());
        for pod in cluster.store.pods().in_namespace(&rs.metadata.namespace) {
            if !pod.is_active() {
                continue;
            }
            let matches = selector.matches(&pod.metadata.labels);
            match pod.metadata.controller_ref() {
                Some(owner) if owner.uid == uid && matches => claimed.push(pod.metadata.key()),
                Some(owner) if owner.uid == uid => release.push(pod.metadata.key()),
                Some(_) => {}
                None if matches && can_adopt => adopt.push(pod.metadata.key()),
                None => {}
            }
        }
        for key in release {
            let _ = cluster.store.modify::<Pod>(&key, |p| {
                p.metadata.owner_references.retain(|o| o.uid != uid)
            });
        }
        for key in adopt {
            let owner = owner_ref(rs);
            if cluster
                .store
                .modify::<Pod>(&key, |p| p.metadata.owner_references.push(owner))
                .is_ok()
            {
                claimed.push(key);
            }
        }
        claimed.sort();
        claimed
    }

    /// `slowStartBatch` over `count` creates: batches of 1, 2, 4, ...; a batch with a failure
    /// ends the run. Returns the API error, if any.
    fn create_pods(
        &mut self,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
        count: usize,
        have: usize,
        report: &mut SyncReport,
    ) -> Option<String> {
        let key = rs.metadata.key();
        let now = cluster.now;
        self.expectations.insert(
            key.clone(),
            Expectations {
                add: count as i64,
                del: BTreeSet::new(),
                set_at: now,
            },
        );
        let (mut done, mut created) = (0, 0);
        let mut batch = SLOW_START_INITIAL_BATCH.min(count);
        while batch > 0 {
            let mut error = None;
            for _ in 0..batch {
                match cluster.store.create(new_pod(rs), now, &mut cluster.rng) {
                    Ok(pod) => {
                        created += 1;
                        let name = pod.metadata.name;
                        report.creates.push(name.clone());
                        let why = format!(
                            "{} wants {} replicas but had {have}, so the ReplicaSet controller \
                             created {name}; the scheduler will pick its node",
                            rs.metadata.name,
                            rs.replicas()
                        );
                        let message = format!("Created pod: {name}");
                        rs_event(
                            cluster,
                            rs,
                            EventType::Normal,
                            "SuccessfulCreate",
                            message,
                            why,
                            report,
                        );
                    }
                    Err(err) => error = Some(err.to_string()),
                }
            }
            done += batch;
            if let Some(err) = error {
                self.lower_adds(&key, (count - created) as i64);
                let why = format!(
                    "the API server refused a pod of {}, so the ReplicaSet controller skipped \
                     the remaining creates and will retry",
                    rs.metadata.name
                );
                let message = format!("Error creating: {err}");
                rs_event(
                    cluster,
                    rs,
                    EventType::Warning,
                    "FailedCreate",
                    message,
                    why,
                    report,
                );
                return Some(err);
            }
            batch = (2 * batch).min(count - done);
        }
        None
    }

    fn lower_adds(&mut self, key: &ObjectKey, by: i64) {
        if let Some(e) = self.expectations.get_mut(key) {
            e.add -= by;
        }
    }

    /// Deletes the planned pods, expecting each deletion first. Returns the API error, if any.
    fn delete_pods(
        &mut self,
        cluster: &mut Cluster,
        rs: &ReplicaSet,
        delete: Vec<(ObjectKey, String)>,
        report: &mut SyncReport,
    ) -> Option<String> {
        let key = rs.metadata.key();
        let now = cluster.now;
        self.expectations.insert(
            key.clone(),
            Expectations {
                add: 0,
                del: delete.iter().map(|(k, _)| k.clone()).collect(),
                set_at: now,
            },
        );
        let mut failure = None;
        for (pod, why) in delete {
            match cluster.store.delete::<Pod>(&pod, now, None) {
                Ok(_) => {
                    report.deletes.push(pod.name.clone());
                    let message = format!("Deleted pod: {}", pod.name);
                    rs_event(
                        cluster,
                        rs,
                        EventType::Normal,
                        "SuccessfulDelete",
                        message,
                        why,
                        report,
                    );
                }
                Err(err) => {
                    if let Some(e) = self.expectations.get_mut(&key) {
                        e.del.remove(&pod);
                    }
                    let why = format!(
                        "deleting {} failed, so the ReplicaSet controller will retry",
                        pod.name
                    );
                    let message = format!("Error deleting: {err}");
                    rs_event(
                        cluster,
                        rs,
                        EventType::Warning,
                        "FailedDelete",
                        message,
                        why,
                        report,
                    );
                    failure = Some(err.to_string());
                }
            }
        }
        failure
    }

    /// `syncReplicaSet` for one key.
    fn sync_replica_set(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let mut report = SyncReport::default();
        let Some(rs) = cluster.store.replica_sets().get(key).cloned() else {
            self.expectations.remove(key);
            return report;
        };
        let needs_sync = self.satisfied_expectations(key, cluster.now);
        let claimed = self.claim_pods(cluster, &rs);
        let mut error: Option<(&str, String)> = None;
        if needs_sync && rs.metadata.deletion_timestamp.is_none() {
            let pods: Vec<&Pod> = claimed
                .iter()
                .filter_map(|k| cluster.store.pods().get(k))
                .collect();
            let plan = manage_plan(cluster, &rs, &pods);
            if plan.create > 0 {
                error = self
                    .create_pods(cluster, &rs, plan.create, plan.have, &mut report)
                    .map(|e| ("FailedCreate", e));
            } else if !plan.delete.is_empty() {
                error = self
                    .delete_pods(cluster, &rs, plan.delete, &mut report)
                    .map(|e| ("FailedDelete", e));
            }
        }
        // Status counts the pods claimed before this sync's own creates and deletes, as
        // upstream's does; the watch of those writes brings the next sync at once.
        let now = cluster.now;
        let pods: Vec<&Pod> = claimed
            .iter()
            .filter_map(|k| cluster.store.pods().get(k))
            .collect();
        let failed = error.is_some();
        if let Some((_, e)) = &error {
            report.error = Some(e.clone());
        }
        let mut status = calculate_status(&rs, &pods, error, now);
        status.observed_generation = rs.metadata.generation;
        if status != rs.status {
            let written = cluster
                .store
                .modify::<ReplicaSet>(key, |r| r.status = status.clone());
            if let Err(err) = written {
                report.error = Some(err.to_string());
                return report;
            }
        }
        // DIVERGENCE: upstream requeues after exactly minReadySeconds and relies on the
        // processing delay to make `now` pass the strict availability bound; on an exact clock
        // that sync would find nothing available, so we add the one second `updatePod` adds.
        let replicas = rs.replicas();
        if !failed
            && rs.min_ready_secs() > 0
            && status.ready_replicas == replicas
            && status.available_replicas != replicas
        {
            report.requeue(SimDuration::from_secs(rs.min_ready_secs() + 1));
        }
        report
    }
}

/// The ReplicaSet controlling `pod` (`resolveControllerRef`), if it exists.
fn controller_of(cluster: &Cluster, pod: &Pod) -> Option<ObjectKey> {
    let owner = pod.metadata.controller_ref()?;
    if owner.kind != "ReplicaSet" {
        return None;
    }
    let key = ObjectKey::new(&pod.metadata.namespace, &owner.name);
    let rs = cluster.store.replica_sets().get(&key)?;
    (rs.metadata.uid == owner.uid).then_some(key)
}

/// ReplicaSets whose selector matches an orphan pod (`getPodReplicaSets`).
fn selecting(cluster: &Cluster, pod: &Pod) -> Vec<ObjectKey> {
    cluster
        .store
        .replica_sets()
        .in_namespace(&pod.metadata.namespace)
        .filter(|rs| {
            rs.spec
                .selector
                .as_ref()
                .is_some_and(|s| !s.is_empty() && s.matches(&pod.metadata.labels))
        })
        .map(|rs| rs.metadata.key())
        .collect()
}

impl ReplicaSetController {
    fn observe_deletion(&mut self, rs: &ObjectKey, pod: &ObjectKey) {
        if let Some(e) = self.expectations.get_mut(rs) {
            e.del.remove(pod);
        }
    }

    /// `addPod`, `updatePod` and `deletePod`.
    fn watch_pod(
        &mut self,
        old: Option<&Pod>,
        new: Option<&Pod>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let now_zero = SimDuration::ZERO;
        let Some(pod) = new else {
            if let Some(old) = old
                && let Some(rs) = controller_of(cluster, old)
            {
                self.observe_deletion(&rs, &old.metadata.key());
                keys.push((rs, now_zero));
            }
            return;
        };
        let pod_key = pod.metadata.key();
        if let Some(old) = old
            && old.metadata.controller_ref() != pod.metadata.controller_ref()
            && let Some(rs) = controller_of(cluster, old)
        {
            keys.push((rs, now_zero));
        }
        let Some(rs_key) = controller_of(cluster, pod) else {
            let relabeled = old.is_none_or(|o| {
                o.metadata.labels != pod.metadata.labels
                    || o.metadata.controller_ref() != pod.metadata.controller_ref()
            });
            if pod.metadata.controller_ref().is_none() && relabeled {
                keys.extend(selecting(cluster, pod).into_iter().map(|k| (k, now_zero)));
            }
            return;
        };
        if old.is_none() {
            self.lower_adds(&rs_key, 1);
        }
        if pod.metadata.deletion_timestamp.is_some() {
            self.observe_deletion(&rs_key, &pod_key);
        }
        keys.push((rs_key.clone(), now_zero));
        let became_ready = old.is_some_and(|o| !o.is_ready()) && pod.is_ready();
        let min_ready = cluster
            .store
            .replica_sets()
            .get(&rs_key)
            .map_or(0, ReplicaSet::min_ready_secs);
        if became_ready && min_ready > 0 {
            keys.push((rs_key, SimDuration::from_secs(min_ready + 1)));
        }
    }
}

impl Controller for ReplicaSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let as_pod = |o: &Option<Object>| match o {
            Some(Object::Pod(p)) => Some(p.as_ref().clone()),
            _ => None,
        };
        match change.kind {
            Kind::ReplicaSet => keys.push((change.key.clone(), SimDuration::ZERO)),
            Kind::Pod => {
                let (old, new) = (as_pod(&change.old), as_pod(&change.new));
                self.watch_pod(old.as_ref(), new.as_ref(), cluster, keys);
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        self.sync_replica_set(key, cluster)
    }

    fn check_invariants(&self, cluster: &Cluster, violations: &mut Vec<String>) {
        check_invariants(self, cluster, violations);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// ReplicaSet invariants: ready never exceeds replicas and available never exceeds ready; once
/// a ReplicaSet is settled (no sync waiting, expectations met, generation observed) its status
/// counts equal what its pods say and, without a `ReplicaFailure`, it has exactly
/// `spec.replicas` active pods.
fn check_invariants(
    controller: &ReplicaSetController,
    cluster: &Cluster,
    violations: &mut Vec<String>,
) {
    for rs in cluster.store.replica_sets().iter() {
        let key = rs.metadata.key();
        let s = &rs.status;
        if s.ready_replicas > s.replicas || s.available_replicas > s.ready_replicas {
            violations.push(format!(
                "replicaset {key}: ready/available above replicas: {s:?}"
            ));
        }
        let settled = controller.satisfied_expectations(&key, cluster.now)
            && !cluster.queue.any_sync_pending(&key)
            && s.observed_generation == rs.metadata.generation
            && rs.metadata.deletion_timestamp.is_none();
        if !settled {
            continue;
        }
        let pods = owned_active_pods(cluster, &rs.metadata.uid);
        let mut expected = calculate_status(rs, &pods, None, cluster.now);
        expected.conditions = s.conditions.clone();
        expected.observed_generation = s.observed_generation;
        let counts =
            |x: &ReplicaSetStatus| (x.replicas, x.fully_labeled_replicas, x.ready_replicas);
        if counts(&expected) != counts(s) {
            violations.push(format!(
                "replicaset {key}: status (replicas, fullyLabeled, ready) {:?} but pods say {:?}",
                counts(s),
                counts(&expected)
            ));
        }
        let failing = s.conditions.iter().any(|c| c.type_ == "ReplicaFailure");
        if !failing && s.replicas != rs.replicas() {
            violations.push(format!(
                "replicaset {key}: settled with {} active pods but spec.replicas is {}",
                s.replicas,
                rs.replicas()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::PodConditionType;

    fn pod(name: &str, node: Option<&str>, ready_at: Option<i64>, created: i64) -> Pod {
        let mut pod = Pod::new("default", name, "nginx", &[]);
        pod.metadata.uid = format!("uid-{name}");
        pod.metadata.creation_timestamp = Some(SimTime::from_unix_secs(created));
        pod.spec.node_name = node.map(str::to_string);
        pod.status.phase = Some(if node.is_some() {
            PodPhase::Running
        } else {
            PodPhase::Pending
        });
        if let Some(at) = ready_at {
            let at = SimTime::from_unix_secs(at);
            pod.set_condition(
                PodConditionType::Ready,
                ConditionStatus::True,
                None,
                None,
                at,
            );
        }
        pod
    }

    fn order(pods: &[Pod], count: usize, now_secs: i64) -> Vec<String> {
        let refs: Vec<&Pod> = pods.iter().collect();
        pods_to_delete(&refs, &refs, count, SimTime::from_unix_secs(now_secs))
            .into_iter()
            .map(|p| p.metadata.name.clone())
            .collect()
    }

    #[test]
    fn unscheduled_then_not_ready_then_crowded_nodes_go_first() {
        let pods = vec![
            pod("ready-alone", Some("a"), Some(0), 0),
            pod("unscheduled", None, None, 0),
            pod("not-ready", Some("b"), None, 0),
            pod("crowded-1", Some("c"), Some(0), 0),
            pod("crowded-2", Some("c"), Some(0), 0),
        ];
        assert_eq!(
            order(&pods, 4, 1000),
            vec!["unscheduled", "not-ready", "crowded-1", "crowded-2"],
            "ready-alone is kept"
        );
    }

    #[test]
    fn newer_ready_time_goes_first_only_across_powers_of_two() {
        let pods = vec![
            pod("old", Some("a"), Some(0), 0),
            pod("new", Some("b"), Some(600), 0),
        ];
        assert_eq!(
            order(&pods, 1, 1000),
            vec!["new"],
            "ages 1000 s and 400 s differ in log2"
        );
        let close = vec![
            pod("x", Some("a"), Some(700), 0),
            pod("y", Some("b"), Some(600), 0),
        ];
        assert_eq!(
            order(&close, 1, 1000),
            vec!["x"],
            "300 s vs 400 s share a bucket: uid decides"
        );
    }
}
