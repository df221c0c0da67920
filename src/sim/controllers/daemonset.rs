//! The DaemonSet controller (`pkg/controller/daemon`): one pod per eligible node.
//!
//! A sync mirrors `syncDaemonSet`: refuse an empty selector (`SelectingAll`), skip a DaemonSet
//! being deleted, make sure a ControllerRevision exists for the current template, and — once
//! earlier creates and deletes have been observed (expectations) — run `manage` (create missing
//! pods, delete failed, succeeded, extra and misplaced ones), then the rolling update, then
//! history cleanup, and finally write the status. Eligibility is [`node_should_run_daemon_pod`].
//!
//! Pods are created pinned to their node with `matchFields metadata.name In [node]` node
//! affinity and no `nodeName`: the scheduler binds them, so a DaemonSet pod can stay Pending.
//!
//! DIVERGENCE: the simulated informer cache is never stale (a sync reads the store its own
//! writes went to), so expectations are observed as each create or delete succeeds, as the
//! fake pod control of upstream's unit tests does; a real controller observes them later
//! through its informer. Upstream walks Go maps of nodes to pods, so which nodes a rolling update picks
//! first is random; we walk nodes by name. ControllerRevision hashes use FNV-1a over the
//! template's JSON, so their values differ from a real cluster's (the format is the same).
//!
//! TODO(#3): keep each DaemonSet's pods-by-node index up to date from the watch, so a sync costs
//! O(changes) rather than O(nodes) over the N/250 syncs of a large launch (the 500→5,000 node
//! benchmark grows about 21×, the issue asks for at most 12×).

use crate::sim::cluster::Cluster;
use crate::sim::controllers::{Controller, SyncReport};
use crate::sim::events::{EventNote, reference};
use crate::sim::model::{
    Affinity, ControllerRevision, DaemonSet, DaemonSetUpdateStrategyType, EventType, Node,
    NodeAffinity, NodeSelector, Object, ObjectKey, ObjectMeta, OwnerReference, Pod, Taint,
    TaintEffect, Toleration, node::*,
};
use crate::sim::store::{Change, NAME_ALPHABET};
use crate::sim::time::{SimDuration, SimTime};
use snapshot::{DaemonPods, Eligibility, Slot, walk};
use std::any::Any;
use std::collections::{BTreeMap, BTreeSet};

mod snapshot;

/// The label holding the hash of the template a pod was made from.
pub const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";
/// At most this many creates and this many deletes per sync (`BurstReplicas`).
pub const BURST_REPLICAS: usize = 250;
/// Expectations older than this are considered satisfied (`ExpectationsTimeout`).
const EXPECTATIONS_TIMEOUT_MS: i64 = 5 * 60 * 1000;
/// First delay of the failed-pod deletion back-off.
const FAILED_POD_BACKOFF_INITIAL_MS: i64 = 1_000;
/// Largest delay of the failed-pod deletion back-off.
const FAILED_POD_BACKOFF_MAX_MS: i64 = 15 * 60 * 1000;
/// The component name on Events.
const COMPONENT: &str = "daemonset-controller";

/// Creates and deletes issued but not yet seen (`ControlleeExpectations`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Expectations {
    add: i64,
    del: i64,
    set_at: SimTime,
}

/// The controller's private state.
#[derive(Clone, Debug, Default)]
pub struct DaemonSetController {
    expectations: BTreeMap<ObjectKey, Expectations>,
    /// `<ds-uid>/<observedGeneration>/<node>` → (delay ms, last update).
    failed_pods_backoff: BTreeMap<String, (i64, SimTime)>,
    orphans: BTreeSet<ObjectKey>,
    last_synced: BTreeMap<ObjectKey, SimTime>,
    last_node_removal: Option<SimTime>,
}

impl DaemonSetController {
    /// Whether creates and deletes of the DaemonSet at `key` have all been observed.
    pub fn satisfied_expectations(&self, key: &ObjectKey, now: SimTime) -> bool {
        match self.expectations.get(key) {
            None => true,
            Some(e) => {
                (e.add <= 0 && e.del <= 0) || (now - e.set_at).as_ms() > EXPECTATIONS_TIMEOUT_MS
            }
        }
    }

    /// The current failed-pod back-off delay for a DaemonSet uid, generation and node.
    pub fn failed_pod_backoff_ms(&self, ds_uid: &str, generation: i64, node: &str) -> Option<i64> {
        self.failed_pods_backoff
            .get(&format!("{ds_uid}/{generation}/{node}"))
            .map(|(ms, _)| *ms)
    }
}

/// The tolerations every DaemonSet pod gets (`AddOrUpdateDaemonPodTolerations`).
pub fn daemon_pod_tolerations(template: &crate::sim::model::PodSpec) -> Vec<Toleration> {
    let mut tolerations = template.tolerations.clone();
    let mut add = |key: &str, effect: TaintEffect| {
        let wanted = Toleration::exists(key, effect);
        if let Some(existing) = tolerations
            .iter_mut()
            .find(|t| t.key.as_deref() == Some(key) && t.effect == Some(effect))
        {
            *existing = wanted;
        } else {
            tolerations.push(wanted);
        }
    };
    add(TAINT_NOT_READY, TaintEffect::NoExecute);
    add(TAINT_UNREACHABLE, TaintEffect::NoExecute);
    add(TAINT_DISK_PRESSURE, TaintEffect::NoSchedule);
    add(TAINT_MEMORY_PRESSURE, TaintEffect::NoSchedule);
    add(TAINT_PID_PRESSURE, TaintEffect::NoSchedule);
    add(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule);
    if template.host_network() {
        add(TAINT_NETWORK_UNAVAILABLE, TaintEffect::NoSchedule);
    }
    tolerations
}

/// `NodeShouldRunDaemonPod`: `(shouldRun, shouldContinueRunning)` for `node`, where
/// `tolerations` are [`daemon_pod_tolerations`] of the template.
pub fn node_should_run_daemon_pod(
    node: &Node,
    ds: &DaemonSet,
    tolerations: &[Toleration],
) -> (bool, bool) {
    let template = &ds.spec.template.spec;
    if template
        .node_name
        .as_deref()
        .is_some_and(|n| !n.is_empty() && n != node.name())
    {
        return (false, false);
    }
    if !template.node_affinity_matches(node) {
        return (false, false);
    }
    let untolerated = |taint: &&Taint| !crate::sim::model::pod::tolerates_taint(tolerations, taint);
    let mut blocking = node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect != TaintEffect::PreferNoSchedule)
        .filter(untolerated);
    if blocking.next().is_none() {
        return (true, true);
    }
    let evicting = node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect == TaintEffect::NoExecute)
        .any(|t| untolerated(&t));
    (false, !evicting)
}

/// Creation time truncated to seconds, as the API stores it.
fn created_secs(pod: &Pod) -> i64 {
    pod.metadata
        .creation_timestamp
        .map_or(0, SimTime::unix_secs)
}

/// `podByCreationTimestampAndPhase`: scheduled pods first, then oldest, then by name.
fn oldest_first(a: &&Pod, b: &&Pod) -> std::cmp::Ordering {
    let unscheduled = |p: &Pod| p.node_name().is_none();
    (unscheduled(a), created_secs(a), &a.metadata.name).cmp(&(
        unscheduled(b),
        created_secs(b),
        &b.metadata.name,
    ))
}

/// The node a daemon pod belongs to: its `nodeName`, or the node its affinity pins
/// (`GetTargetNodeName`).
pub fn target_node(pod: &Pod) -> Option<String> {
    target_node_name(pod).map(str::to_string)
}

/// [`target_node`] without the copy, for the per-sync walk over every daemon pod.
fn target_node_name(pod: &Pod) -> Option<&str> {
    if let Some(node) = pod.node_name() {
        return Some(node);
    }
    let selector = pod.spec.required_node_affinity()?;
    selector.node_selector_terms.iter().find_map(|term| {
        term.match_fields
            .iter()
            .find(|f| {
                f.key == "metadata.name"
                    && f.operator == crate::sim::model::NodeSelectorOperator::In
                    && f.values.len() == 1
            })
            .map(|f| f.values[0].as_str())
    })
}

/// Whether the pod was made from the current template (`IsPodUpdated`, hash only).
fn is_updated(pod: &Pod, hash: &str) -> bool {
    !hash.is_empty()
        && pod
            .metadata
            .labels
            .get(CONTROLLER_REVISION_HASH)
            .map(String::as_str)
            == Some(hash)
}

/// FNV-1a (32 bit) of `bytes`.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// The template hash, encoded like `ComputeHash`: the decimal digits mapped through the name
/// alphabet (`SafeEncodeString`).
pub fn template_hash(
    template: &crate::sim::model::PodTemplateSpec,
    collision_count: Option<i32>,
) -> String {
    let mut json = serde_json::to_vec(template).unwrap_or_default();
    if let Some(count) = collision_count {
        json.extend_from_slice(&count.to_le_bytes());
    }
    fnv1a(&json)
        .to_string()
        .bytes()
        .map(|b| char::from(NAME_ALPHABET[usize::from(b) % NAME_ALPHABET.len()]))
        .collect()
}

/// What one pass of `manage` or the rolling update decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Nodes to create a pod for, each with the explanation (`{pod}` is replaced by the name).
    pub create_on: Vec<(String, CreateWhy)>,
    /// Pods to delete, each with the explanation.
    pub delete: Vec<(ObjectKey, String)>,
    /// Events recorded on the DaemonSet while deciding: (type, reason, message, why).
    pub events: Vec<(EventType, &'static str, String, String)>,
    /// Sync again after this delay (failed-pod back-off).
    pub requeue_after: Option<SimDuration>,
}

/// Daemon pods of the DaemonSet with `uid`, by target node, without deleted terminal pods
/// (`getNodesToDaemonPods(ds, includeDeletedTerminal=false)`), oldest first on every node.
pub fn nodes_to_daemon_pods<'a>(cluster: &'a Cluster, uid: &str) -> BTreeMap<String, Vec<&'a Pod>> {
    DaemonPods::build(cluster, uid)
        .groups()
        .map(|(node, pods)| (node.to_string(), pods.to_vec()))
        .collect()
}

fn selects_nodes(ds: &DaemonSet) -> bool {
    !ds.spec.template.spec.node_selector.is_empty()
        || ds.spec.template.spec.required_node_affinity().is_some()
}

/// Why a pod is created. The common case stays data until the pod is really created: a first
/// sync plans a create for every node but issues only [`BURST_REPLICAS`], so writing the text
/// for every node would cost a string per node per sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreateWhy {
    /// The node should run a daemon pod and has none ([`create_why`]).
    Missing,
    /// Any other reason, already written out.
    Text(String),
}

impl CreateWhy {
    /// The explanation for a pod created on `node`, with `{pod}` still to be replaced.
    fn text(self, ds: &DaemonSet, node: &str) -> String {
        match self {
            CreateWhy::Missing => create_why(ds, node),
            CreateWhy::Text(text) => text,
        }
    }
}

fn create_why(ds: &DaemonSet, node: &str) -> String {
    let reason = if selects_nodes(ds) {
        "matches the DaemonSet's node selector and affinity"
    } else {
        "has no taint the DaemonSet does not tolerate"
    };
    format!(
        "node {node} {reason} and has no daemon pod, so the DaemonSet controller created {{pod}}"
    )
}

impl DaemonSetController {
    /// `Next` of the failed-pod back-off: start at 1 s, double up to 15 min, forget after 30
    /// idle minutes.
    fn backoff_next(&mut self, key: &str, now: SimTime) -> i64 {
        let entry = self
            .failed_pods_backoff
            .get(key)
            .filter(|(_, at)| (now - *at).as_ms() <= 2 * FAILED_POD_BACKOFF_MAX_MS);
        let delay = entry.map_or(FAILED_POD_BACKOFF_INITIAL_MS, |(ms, _)| {
            (ms * 2).min(FAILED_POD_BACKOFF_MAX_MS)
        });
        self.failed_pods_backoff
            .insert(key.to_string(), (delay, now));
        delay
    }

    /// `IsInBackOffSinceUpdate`: the remaining delay if a deletion happened too recently.
    fn backoff_active(&self, key: &str, now: SimTime) -> Option<i64> {
        let (delay, at) = self.failed_pods_backoff.get(key)?;
        ((now - *at).as_ms() < *delay).then_some(*delay)
    }

    /// `podsShouldBeOnNode` for one node, adding to `plan`; `slot` carries the node's
    /// precomputed `(shouldRun, shouldContinueRunning)` and its daemon pods.
    fn plan_node(
        &mut self,
        ds: &DaemonSet,
        node: &Node,
        slot: &Slot,
        view: &View,
        plan: &mut Plan,
    ) {
        let (should_run, should_continue) = slot.decision;
        let name = node.name();
        match slot.pods {
            [] if should_run => plan.create_on.push((name.to_string(), CreateWhy::Missing)),
            [] => {}
            pods if should_continue => {
                self.plan_kept_node(ds, name, pods, should_run, view.hash, view.now, plan)
            }
            pods => {
                let cause = if node_affinity_ok(ds, node) {
                    format!("node {name} has a NoExecute taint the DaemonSet does not tolerate")
                } else {
                    format!(
                        "node {name} no longer matches the DaemonSet's node selector or affinity"
                    )
                };
                for pod in pods
                    .iter()
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                {
                    let why = format!(
                        "{cause}, so the DaemonSet controller deleted {}",
                        pod.metadata.name
                    );
                    plan.delete.push((pod.metadata.key(), why));
                }
            }
        }
    }

    /// The `shouldContinueRunning` branch: failed and succeeded pods go, extras go.
    #[allow(clippy::too_many_arguments)]
    fn plan_kept_node(
        &mut self,
        ds: &DaemonSet,
        node: &str,
        pods: &[&Pod],
        should_run: bool,
        hash: &str,
        now: SimTime,
        plan: &mut Plan,
    ) {
        let mut running: Vec<&Pod> = Vec::with_capacity(pods.len());
        for pod in pods
            .iter()
            .copied()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
        {
            match pod.phase() {
                crate::sim::model::PodPhase::Failed => {
                    let pod_ref = pod.metadata.key();
                    let generation = ds.status.observed_generation.unwrap_or(0);
                    let key = format!("{}/{generation}/{node}", ds.metadata.uid);
                    if let Some(delay) = self.backoff_active(&key, now) {
                        let after = SimDuration::from_ms(delay);
                        plan.requeue_after =
                            Some(plan.requeue_after.map_or(after, |r| r.min(after)));
                        continue;
                    }
                    let delay = self.backoff_next(&key, now);
                    let message = format!(
                        "Found failed daemon pod {pod_ref} on node {node}, will try to kill it"
                    );
                    let why = format!(
                        "{} on node {node} failed, so the DaemonSet controller deletes it and creates a \
                         replacement in a later sync (the next failure there waits {}s)",
                        pod_ref.name,
                        delay / 1000
                    );
                    plan.events
                        .push((EventType::Warning, "FailedDaemonPod", message, why.clone()));
                    plan.delete.push((pod_ref, why));
                }
                crate::sim::model::PodPhase::Succeeded => {
                    let pod_ref = pod.metadata.key();
                    let message = format!(
                        "Found succeeded daemon pod {pod_ref} on node {node}, will try to delete it"
                    );
                    let why = format!(
                        "{} on node {node} exited successfully, but a daemon pod must keep running, so \
                         the DaemonSet controller deletes it and creates a fresh one",
                        pod_ref.name
                    );
                    plan.events.push((
                        EventType::Normal,
                        "SucceededDaemonPod",
                        message,
                        why.clone(),
                    ));
                    plan.delete.push((pod_ref, why));
                }
                _ => running.push(pod),
            }
        }
        if surge_allowed(ds) {
            plan_surge_node(ds, node, &running, should_run, hash, now, plan);
            return;
        }
        for extra in running.iter().skip(1) {
            let why = format!(
                "node {node} has more than one daemon pod, so the DaemonSet controller keeps the oldest \
                 and deleted {}",
                extra.metadata.name
            );
            plan.delete.push((extra.metadata.key(), why));
        }
    }
}

fn node_affinity_ok(ds: &DaemonSet, node: &Node) -> bool {
    let template = &ds.spec.template.spec;
    template
        .node_name
        .as_deref()
        .is_none_or(|n| n.is_empty() || n == node.name())
        && template.node_affinity_matches(node)
}

/// `util.AllowsSurge`: a rolling update whose maxSurge is not zero.
fn surge_allowed(ds: &DaemonSet) -> bool {
    ds.strategy_type() == DaemonSetUpdateStrategyType::RollingUpdate
        && ds
            .rolling_update()
            .and_then(|r| r.max_surge.as_ref())
            .is_some_and(|s| s.scaled_value(1, true).unwrap_or(0) > 0)
}

/// With surge: keep the oldest new and oldest old pod; the old one goes when it is not ready
/// or the new one is available.
fn plan_surge_node(
    ds: &DaemonSet,
    node: &str,
    running: &[&Pod],
    should_run: bool,
    hash: &str,
    now: SimTime,
    plan: &mut Plan,
) {
    if running.len() <= 1 {
        if running.is_empty() && should_run {
            plan.create_on.push((node.to_string(), CreateWhy::Missing));
        }
        return;
    }
    let (mut oldest_new, mut oldest_old): (Option<&Pod>, Option<&Pod>) = (None, None);
    for pod in running.iter().copied() {
        let slot = if is_updated(pod, hash) {
            &mut oldest_new
        } else {
            &mut oldest_old
        };
        if slot.is_none() {
            *slot = Some(pod);
            continue;
        }
        let why = format!(
            "node {node} already has a pod of this revision, so the DaemonSet controller deleted \
                the extra {}",
            pod.metadata.name
        );
        plan.delete.push((pod.metadata.key(), why));
    }
    let (Some(new), Some(old)) = (oldest_new, oldest_old) else {
        return;
    };
    let why = if !old.is_ready() {
        format!(
            "the old pod {} on node {node} is not ready and a new pod is there, so it was deleted",
            old.metadata.name
        )
    } else if new.is_available(ds.min_ready_secs(), now) {
        format!(
            "the new pod {} on node {node} is available, so the old pod {} was deleted",
            new.metadata.name, old.metadata.name
        )
    } else {
        return;
    };
    plan.delete.push((old.metadata.key(), why));
}

/// Everything a plan needs to read about one DaemonSet.
struct View<'a> {
    ds: &'a DaemonSet,
    hash: &'a str,
    /// `NodeShouldRunDaemonPod` of every node, computed once per sync.
    eligibility: &'a Eligibility,
    now: SimTime,
}

impl DaemonSetController {
    /// `manage`: walk every node, then remove unscheduled pods aimed at nodes that are gone.
    fn manage_plan(&mut self, cluster: &Cluster, view: &View<'_>) -> Plan {
        let daemon_pods = DaemonPods::build(cluster, &view.ds.metadata.uid);
        let mut plan = Plan::default();
        let mut gone: Vec<Slot> = Vec::new();
        for slot in walk(cluster, view.eligibility, &daemon_pods) {
            match slot.node {
                Some(node) => self.plan_node(view.ds, node, &slot, view, &mut plan),
                None => gone.push(slot),
            }
        }
        // Upstream handles nodes first and pods of vanished nodes after; the order decides
        // which deletes fit in one burst.
        for slot in gone {
            let node = slot.name;
            for pod in slot.pods.iter().filter(|p| p.node_name().is_none()) {
                let why = format!(
                    "{} was meant for node {node}, which no longer exists, so the DaemonSet \
                        controller deleted it",
                    pod.metadata.name
                );
                plan.delete.push((pod.metadata.key(), why));
            }
        }
        plan
    }
}

/// `findUpdatedPodsOnNode`: the one new and one old live pod, or `None` if there are more.
fn updated_pods_on_node<'a>(
    pods: &[&'a Pod],
    hash: &str,
) -> Option<(Option<&'a Pod>, Option<&'a Pod>)> {
    let (mut new, mut old) = (None, None);
    for pod in pods
        .iter()
        .copied()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
    {
        let slot = if is_updated(pod, hash) {
            &mut new
        } else {
            &mut old
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(pod);
    }
    Some((new, old))
}

/// `updatedDesiredNodeCounts`: (maxSurge, maxUnavailable) scaled against the desired count.
fn rolling_limits(ds: &DaemonSet, desired: i64) -> (i64, i64) {
    let rolling = ds.rolling_update();
    let scaled = |value: Option<&crate::sim::model::IntOrString>| {
        value.map_or(0, |v| v.scaled_value(desired, true).unwrap_or(0))
    };
    let surge = scaled(rolling.and_then(|r| r.max_surge.as_ref()));
    let mut unavailable = scaled(rolling.and_then(|r| r.max_unavailable.as_ref()));
    if desired > 0 && surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

/// `rollingUpdate`: which old pods to delete (no surge) or nodes to surge onto. It considers
/// every node that should run a pod and every node (existing or not) that has one.
fn rolling_update_plan(cluster: &Cluster, view: &View<'_>) -> Plan {
    let ds = view.ds;
    let daemon_pods = DaemonPods::build(cluster, &ds.metadata.uid);
    let slots: Vec<Slot> = walk(cluster, view.eligibility, &daemon_pods)
        .filter(|slot| !slot.pods.is_empty() || slot.decision.0)
        .collect();
    let (max_surge, max_unavailable) = rolling_limits(ds, view.eligibility.desired());
    if max_surge == 0 {
        plan_rolling_delete(ds, &slots, view, max_unavailable)
    } else {
        plan_rolling_surge(&slots, view, max_surge)
    }
}

fn plan_rolling_delete(
    ds: &DaemonSet,
    slots: &[Slot],
    view: &View<'_>,
    max_unavailable: i64,
) -> Plan {
    let min_ready = ds.min_ready_secs();
    let mut unavailable = 0;
    let mut plan = Plan::default();
    let mut candidates: Vec<(ObjectKey, String)> = Vec::new();
    for slot in slots {
        let node = slot.name;
        let Some((new, old)) = updated_pods_on_node(slot.pods, view.hash) else {
            unavailable += 1;
            continue;
        };
        match (new, old) {
            (None, None) | (Some(_), Some(_)) => unavailable += 1,
            (Some(new), None) => unavailable += i64::from(!new.is_available(min_ready, view.now)),
            (None, Some(old)) if !old.is_available(min_ready, view.now) => {
                let why = format!(
                    "{} on node {node} runs an old template and is not available, so the rolling update \
                     replaces it without waiting",
                    old.metadata.name
                );
                plan.delete.push((old.metadata.key(), why));
                unavailable += 1;
            }
            (None, Some(_)) if unavailable >= max_unavailable => {}
            (None, Some(old)) => candidates.push((old.metadata.key(), node.to_string())),
        }
    }
    let room = (max_unavailable - unavailable).clamp(0, candidates.len() as i64) as usize;
    for (pod, node) in candidates.into_iter().take(room) {
        let why = format!(
            "{} on node {node} runs an old template and maxUnavailable is {max_unavailable}, so the rolling \
             update deleted it to make room for the new one",
            pod.name
        );
        plan.delete.push((pod, why));
    }
    plan
}

fn plan_rolling_surge(slots: &[Slot], view: &View<'_>, max_surge: i64) -> Plan {
    let ds = view.ds;
    let min_ready = ds.min_ready_secs();
    let mut surging = 0;
    let mut plan = Plan::default();
    let mut candidates: Vec<String> = Vec::new();
    for slot in slots {
        let node = slot.name;
        let Some((new, old)) = updated_pods_on_node(slot.pods, view.hash) else {
            surging += 1;
            continue;
        };
        match (new, old) {
            (_, None) => {}
            (None, Some(old)) if !old.is_available(min_ready, view.now) => {
                if slot.node.is_some() && slot.decision.0 {
                    let why = format!(
                        "the old pod on node {node} is not available, so the rolling update \
                            created {{pod}} at once"
                    );
                    plan.create_on
                        .push((node.to_string(), CreateWhy::Text(why)));
                } else {
                    let why = format!(
                        "{} on node {node} is not available and the node no longer fits, so it \
                            was deleted",
                        old.metadata.name
                    );
                    plan.delete.push((old.metadata.key(), why));
                }
            }
            (None, Some(_)) if surging >= max_surge => {}
            // DIVERGENCE: upstream also picks a node that was deleted but still has its bound
            // pod (until PodGC removes it), creates a surge pod for it and deletes that pod in
            // the next sync, churning until PodGC runs; we skip nodes that no longer exist.
            (None, Some(_)) if slot.node.is_none() => {}
            (None, Some(_)) => candidates.push(node.to_string()),
            (Some(new), Some(old)) => {
                if new.is_available(min_ready, view.now) {
                    let why = format!(
                        "the new pod {} on node {node} is available, so the rolling update \
                            deleted the old pod {}",
                        new.metadata.name, old.metadata.name
                    );
                    plan.delete.push((old.metadata.key(), why));
                } else {
                    surging += 1;
                }
            }
        }
    }
    let room = (max_surge - surging).clamp(0, candidates.len() as i64) as usize;
    for node in candidates.into_iter().take(room) {
        let why = format!(
            "node {node} runs an old pod and maxSurge is {max_surge}, so the rolling update \
                created {{pod}} beside it"
        );
        plan.create_on.push((node, CreateWhy::Text(why)));
    }
    plan
}

/// The counters of `updateDaemonSetStatus`, computed over all nodes.
pub fn compute_status(
    cluster: &Cluster,
    ds: &DaemonSet,
    hash: &str,
    tolerations: &[Toleration],
    now: SimTime,
) -> crate::sim::model::DaemonSetStatus {
    let eligibility = Eligibility::compute(cluster, ds, tolerations);
    status_from(cluster, ds, hash, &eligibility, now)
}

/// [`compute_status`] with the sync's precomputed eligibility.
fn status_from(
    cluster: &Cluster,
    ds: &DaemonSet,
    hash: &str,
    eligibility: &Eligibility,
    now: SimTime,
) -> crate::sim::model::DaemonSetStatus {
    let daemon_pods = DaemonPods::build(cluster, &ds.metadata.uid);
    let mut status = ds.status.clone();
    let (mut desired, mut current, mut misscheduled, mut ready, mut updated, mut available) =
        (0, 0, 0, 0, 0, 0);
    for slot in walk(cluster, eligibility, &daemon_pods).filter(|slot| slot.node.is_some()) {
        match (slot.decision.0, slot.pods.first()) {
            (true, None) => desired += 1,
            (true, Some(pod)) => {
                desired += 1;
                current += 1;
                if pod.is_ready() {
                    ready += 1;
                    available += i32::from(pod.is_available(ds.min_ready_secs(), now));
                }
                updated += i32::from(is_updated(pod, hash));
            }
            (false, Some(_)) => misscheduled += 1,
            (false, None) => {}
        }
    }
    status.desired_number_scheduled = desired;
    status.current_number_scheduled = current;
    status.number_misscheduled = misscheduled;
    status.number_ready = ready;
    status.updated_number_scheduled = updated;
    status.number_available = available;
    status.number_unavailable = desired - available;
    status
}

/// The ControllerRevision `data` for a template: a patch replacing `spec.template`.
fn revision_data(template: &crate::sim::model::PodTemplateSpec) -> serde_json::Value {
    let mut value = serde_json::to_value(template).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "$patch".to_string(),
            serde_json::Value::String("replace".to_string()),
        );
    }
    serde_json::json!({ "spec": { "template": value } })
}

fn owner_ref(ds: &DaemonSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "DaemonSet".to_string(),
        name: ds.metadata.name.clone(),
        uid: ds.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `constructHistory`: the current revision's hash (creating the revision if needed) and the
/// old revisions.
fn construct_history(
    cluster: &mut Cluster,
    ds: &DaemonSet,
) -> Result<(String, Vec<ControllerRevision>), String> {
    let data = revision_data(&ds.spec.template);
    let mut current: Option<ControllerRevision> = None;
    let mut old: Vec<ControllerRevision> = Vec::new();
    for (kind, key) in cluster.store.dependents_of(&ds.metadata.uid) {
        if *kind != crate::sim::model::Kind::ControllerRevision {
            continue;
        }
        let Some(revision) = cluster.store.controller_revisions().get(key) else {
            continue;
        };
        if revision.data == data
            && current
                .as_ref()
                .is_none_or(|c| c.revision < revision.revision)
        {
            if let Some(previous) = current.replace(revision.clone()) {
                old.push(previous);
            }
        } else {
            old.push(revision.clone());
        }
    }
    let next_revision = old.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
    if let Some(current) = current {
        let hash = current
            .metadata
            .labels
            .get(CONTROLLER_REVISION_HASH)
            .cloned()
            .unwrap_or_default();
        if current.revision < next_revision {
            let key = current.metadata.key();
            cluster
                .store
                .modify::<ControllerRevision>(&key, |r| r.revision = next_revision)
                .map_err(|e| e.to_string())?;
        }
        return Ok((hash, old));
    }
    let hash = template_hash(&ds.spec.template, ds.status.collision_count);
    let mut meta = ObjectMeta::named(
        &ds.metadata.namespace,
        &format!("{}-{hash}", ds.metadata.name),
    );
    meta.labels = ds.spec.template.metadata.labels.clone();
    meta.labels
        .insert(CONTROLLER_REVISION_HASH.to_string(), hash.clone());
    meta.owner_references.push(owner_ref(ds));
    let revision = ControllerRevision::new(meta, data, next_revision);
    let now = cluster.now;
    cluster
        .store
        .create(revision, now, &mut cluster.rng)
        .map_err(|e| e.to_string())?;
    Ok((hash, old))
}

/// `cleanupHistory`: delete the oldest revisions beyond the limit that no live pod uses.
fn cleanup_history(cluster: &mut Cluster, ds: &DaemonSet, mut old: Vec<ControllerRevision>) {
    let limit = ds.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let mut to_kill = old.len().saturating_sub(limit);
    if to_kill == 0 {
        return;
    }
    let live: BTreeSet<String> = DaemonPods::build(cluster, &ds.metadata.uid)
        .all()
        .iter()
        .filter_map(|p| p.metadata.labels.get(CONTROLLER_REVISION_HASH).cloned())
        .collect();
    old.sort_by_key(|r| r.revision);
    let now = cluster.now;
    for revision in old {
        if to_kill == 0 {
            break;
        }
        if revision
            .metadata
            .labels
            .get(CONTROLLER_REVISION_HASH)
            .is_some_and(|h| live.contains(h))
        {
            continue;
        }
        let _ = cluster
            .store
            .delete::<ControllerRevision>(&revision.metadata.key(), now, None);
        to_kill -= 1;
    }
}

/// The pod `CreatePodTemplate` + `ReplaceDaemonSetPodNodeNameNodeAffinity` produce for `node`.
pub fn new_daemon_pod(ds: &DaemonSet, hash: &str, node: &str) -> Pod {
    let mut pod = Pod::from_template(&ds.spec.template, &ds.metadata.namespace);
    pod.metadata.generate_name = Some(format!("{}-", ds.metadata.name));
    pod.metadata
        .labels
        .insert(CONTROLLER_REVISION_HASH.to_string(), hash.to_string());
    pod.metadata.owner_references.push(owner_ref(ds));
    pod.spec.tolerations = daemon_pod_tolerations(&ds.spec.template.spec);
    let affinity = pod.spec.affinity.get_or_insert_with(Affinity::default);
    let node_affinity = affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default);
    node_affinity.required_during_scheduling_ignored_during_execution =
        Some(NodeSelector::for_node_name(node));
    pod
}

impl DaemonSetController {
    /// `syncNodes`: at most [`BURST_REPLICAS`] creates and deletes, expectations set first.
    fn apply_plan(
        &mut self,
        cluster: &mut Cluster,
        ds: &DaemonSet,
        hash: &str,
        plan: Plan,
        report: &mut SyncReport,
    ) {
        let key = ds.metadata.key();
        let now = cluster.now;
        for (type_, reason, message, why) in plan.events {
            ds_event(cluster, ds, type_, reason, message, why, report);
        }
        if let Some(after) = plan.requeue_after {
            report.requeue(after);
        }
        let creates = plan.create_on.len().min(BURST_REPLICAS);
        let deletes = plan.delete.len().min(BURST_REPLICAS);
        self.expectations.insert(
            key.clone(),
            Expectations {
                add: creates as i64,
                del: deletes as i64,
                set_at: now,
            },
        );
        for (index, (node, why)) in plan.create_on.into_iter().take(creates).enumerate() {
            let pod = new_daemon_pod(ds, hash, &node);
            match cluster.store.create(pod, now, &mut cluster.rng) {
                Ok(created) => {
                    self.observe(&key, true);
                    let name = created.metadata.name;
                    report.creates.push(name.clone());
                    ds_event(
                        cluster,
                        ds,
                        EventType::Normal,
                        "SuccessfulCreate",
                        format!("Created pod: {name}"),
                        why.text(ds, &node).replace("{pod}", &name),
                        report,
                    );
                }
                Err(err) => {
                    let skipped = (creates - index) as i64;
                    if let Some(e) = self.expectations.get_mut(&key) {
                        e.add -= skipped;
                    }
                    let why = format!(
                        "the API server refused the pod for node {node}, so the DaemonSet \
                            controller will retry"
                    );
                    ds_event(
                        cluster,
                        ds,
                        EventType::Warning,
                        "FailedCreate",
                        format!("Error creating: {err}"),
                        why,
                        report,
                    );
                    report.error = Some(err.to_string());
                    break;
                }
            }
        }
        for (pod, why) in plan.delete.into_iter().take(deletes) {
            match cluster.store.delete::<Pod>(&pod, now, None) {
                Ok(_) => {
                    self.observe(&key, false);
                    report.deletes.push(pod.name.clone());
                    ds_event(
                        cluster,
                        ds,
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("Deleted pod: {}", pod.name),
                        why,
                        report,
                    );
                }
                Err(err) => {
                    if let Some(e) = self.expectations.get_mut(&key) {
                        e.del -= 1;
                    }
                    let why = format!(
                        "deleting {} failed, so the DaemonSet controller will retry",
                        pod.name
                    );
                    ds_event(
                        cluster,
                        ds,
                        EventType::Warning,
                        "FailedDelete",
                        format!("Error deleting: {err}"),
                        why,
                        report,
                    );
                    report.error = Some(err.to_string());
                }
            }
        }
    }

    /// `ClaimPods`: adopt matching orphans, release owned pods whose labels stopped matching.
    fn claim_pods(&mut self, cluster: &mut Cluster, ds: &DaemonSet) {
        let Some(selector) = ds.spec.selector.clone() else {
            return;
        };
        let orphans: Vec<ObjectKey> = self
            .orphans
            .iter()
            .filter(|k| k.namespace == ds.metadata.namespace)
            .cloned()
            .collect();
        for key in orphans {
            let Some(pod) = cluster.store.pods().get(&key) else {
                self.orphans.remove(&key);
                continue;
            };
            let adoptable = pod.metadata.controller_ref().is_none()
                && pod.metadata.deletion_timestamp.is_none()
                && selector.matches(&pod.metadata.labels);
            if adoptable {
                let owner = owner_ref(ds);
                let _ = cluster
                    .store
                    .modify::<Pod>(&key, |p| p.metadata.owner_references.push(owner));
                self.orphans.remove(&key);
            }
        }
        let owned: Vec<ObjectKey> = cluster
            .store
            .dependents_of(&ds.metadata.uid)
            .filter(|(kind, _)| *kind == crate::sim::model::Kind::Pod)
            .map(|(_, key)| key.clone())
            .collect();
        for key in owned {
            let release = cluster
                .store
                .pods()
                .get(&key)
                .is_some_and(|p| !selector.matches(&p.metadata.labels));
            if release {
                let uid = ds.metadata.uid.clone();
                let _ = cluster.store.modify::<Pod>(&key, |p| {
                    p.metadata.owner_references.retain(|o| o.uid != uid)
                });
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn ds_event(
    cluster: &mut Cluster,
    ds: &DaemonSet,
    type_: EventType,
    reason: &str,
    message: String,
    why: String,
    report: &mut SyncReport,
) {
    report.events.push(reason.to_string());
    let note = EventNote {
        object: reference("DaemonSet", "apps/v1", &ds.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component: COMPONENT,
        host: String::new(),
        why,
    };
    cluster.record(note);
}

impl DaemonSetController {
    /// `updateDaemonSetStatus`: write the counters (and observedGeneration when this sync
    /// processed the generation); requeue after minReadySeconds while availability lags.
    fn update_status(
        &self,
        cluster: &mut Cluster,
        ds: &DaemonSet,
        hash: &str,
        eligibility: &Eligibility,
        bump_generation: bool,
        report: &mut SyncReport,
    ) {
        let now = cluster.now;
        let mut status = status_from(cluster, ds, hash, eligibility, now);
        if bump_generation {
            status.observed_generation = ds.metadata.generation;
        }
        if status != ds.status {
            let key = ds.metadata.key();
            if let Err(err) = cluster
                .store
                .modify::<DaemonSet>(&key, |d| d.status = status.clone())
            {
                report.error = Some(err.to_string());
                return;
            }
        }
        if ds.min_ready_secs() > 0 && status.number_ready != status.number_available {
            report.requeue(SimDuration::from_secs(ds.min_ready_secs()));
        }
    }

    /// `syncDaemonSet` for one key.
    fn sync_daemon_set(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        let mut report = SyncReport::default();
        let now = cluster.now;
        let Some(ds) = cluster.store.daemon_sets().get(key).cloned() else {
            self.expectations.remove(key);
            self.last_synced.remove(key);
            return report;
        };
        self.last_synced.insert(key.clone(), now);
        if ds.spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            let why = format!(
                "{} has an empty selector, which would claim every pod, so the DaemonSet \
                    controller does nothing",
                key.name
            );
            let message =
                "This daemon set is selecting all pods. A non-empty selector is required."
                    .to_string();
            ds_event(
                cluster,
                &ds,
                EventType::Warning,
                "SelectingAll",
                message,
                why,
                &mut report,
            );
            return report;
        }
        if ds.metadata.deletion_timestamp.is_some() {
            return report;
        }
        let (hash, old_revisions) = match construct_history(cluster, &ds) {
            Ok(history) => history,
            Err(err) => {
                report.error = Some(err);
                return report;
            }
        };
        let tolerations = daemon_pod_tolerations(&ds.spec.template.spec);
        // Nodes are not written during a sync, so one evaluation serves every pass below.
        let eligibility = Eligibility::compute(cluster, &ds, &tolerations);
        if !self.satisfied_expectations(key, now) {
            self.update_status(cluster, &ds, &hash, &eligibility, false, &mut report);
            return report;
        }
        self.claim_pods(cluster, &ds);
        let view = View {
            ds: &ds,
            hash: &hash,
            eligibility: &eligibility,
            now,
        };
        let plan = self.manage_plan(cluster, &view);
        self.apply_plan(cluster, &ds, &hash, plan, &mut report);
        if self.satisfied_expectations(key, now)
            && ds.strategy_type() == DaemonSetUpdateStrategyType::RollingUpdate
        {
            let plan = rolling_update_plan(cluster, &view);
            self.apply_plan(cluster, &ds, &hash, plan, &mut report);
        }
        cleanup_history(cluster, &ds, old_revisions);
        let current = cluster.store.daemon_sets().get(key).cloned().unwrap_or(ds);
        self.update_status(cluster, &current, &hash, &eligibility, true, &mut report);
        report
    }

    /// The DaemonSets in `namespace` owning or selecting `pod`.
    fn daemon_sets_for_pod(cluster: &Cluster, pod: &Pod) -> Vec<ObjectKey> {
        if let Some(owner) = pod.metadata.controller_ref() {
            if owner.kind != "DaemonSet" {
                return Vec::new();
            }
            let key = ObjectKey::new(&pod.metadata.namespace, &owner.name);
            let matches = cluster
                .store
                .daemon_sets()
                .get(&key)
                .is_some_and(|ds| ds.metadata.uid == owner.uid);
            return if matches { vec![key] } else { Vec::new() };
        }
        cluster
            .store
            .daemon_sets()
            .in_namespace(&pod.metadata.namespace)
            .filter(|ds| {
                ds.spec
                    .selector
                    .as_ref()
                    .is_some_and(|s| !s.is_empty() && s.matches(&pod.metadata.labels))
            })
            .map(|ds| ds.metadata.key())
            .collect()
    }

    fn observe(&mut self, key: &ObjectKey, created: bool) {
        if let Some(e) = self.expectations.get_mut(key) {
            if created { e.add -= 1 } else { e.del -= 1 }
        }
    }

    /// Pod handlers: `addPod`, `updatePod`, `deletePod`.
    fn watch_pod(
        &mut self,
        old: Option<&Pod>,
        new: Option<&Pod>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let pod = new.or(old).expect("a change has an old or a new object");
        let pod_key = pod.metadata.key();
        match new {
            Some(p) if p.metadata.controller_ref().is_none() => {
                self.orphans.insert(pod_key);
            }
            _ => {
                self.orphans.remove(&pod_key);
            }
        }
        let targets = Self::daemon_sets_for_pod(cluster, pod);
        for ds_key in &targets {
            keys.push((ds_key.clone(), SimDuration::ZERO));
            let became_ready =
                new.is_some_and(|p| p.is_ready()) && !old.is_some_and(|p| p.is_ready());
            let min_ready = cluster
                .store
                .daemon_sets()
                .get(ds_key)
                .map_or(0, |d| d.min_ready_secs());
            if old.is_some() && became_ready && min_ready > 0 {
                keys.push((ds_key.clone(), SimDuration::from_secs(min_ready + 1)));
            }
        }
        if let (Some(old), Some(new)) = (old, new)
            && old.metadata.controller_ref() != new.metadata.controller_ref()
        {
            for ds_key in Self::daemon_sets_for_pod(cluster, old) {
                keys.push((ds_key, SimDuration::ZERO));
            }
        }
    }

    /// Node handlers: add enqueues DaemonSets that should run there; update enqueues those whose
    /// `(shouldRun, shouldContinueRunning)` changed; delete enqueues nothing.
    fn watch_node(
        &mut self,
        old: Option<&Node>,
        new: Option<&Node>,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        let Some(new) = new else {
            self.last_node_removal = Some(cluster.now);
            return;
        };
        for ds in cluster.store.daemon_sets().iter() {
            let tolerations = daemon_pod_tolerations(&ds.spec.template.spec);
            let now_decision = node_should_run_daemon_pod(new, ds, &tolerations);
            let enqueue = match old {
                None => now_decision.0,
                Some(old) => node_should_run_daemon_pod(old, ds, &tolerations) != now_decision,
            };
            if enqueue {
                keys.push((ds.metadata.key(), SimDuration::ZERO));
            }
        }
    }
}

fn as_pod(object: &Option<Object>) -> Option<&Pod> {
    match object {
        Some(Object::Pod(pod)) => Some(pod.as_ref()),
        _ => None,
    }
}

fn as_node(object: &Option<Object>) -> Option<&Node> {
    match object {
        Some(Object::Node(node)) => Some(node.as_ref()),
        _ => None,
    }
}

impl Controller for DaemonSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn watch(
        &mut self,
        change: &Change,
        cluster: &Cluster,
        keys: &mut Vec<(ObjectKey, SimDuration)>,
    ) {
        match (&change.old, &change.new) {
            (_, Some(Object::DaemonSet(_))) | (Some(Object::DaemonSet(_)), None) => {
                keys.push((change.key.clone(), SimDuration::ZERO));
            }
            (old, new) if change.kind == crate::sim::model::Kind::Pod => {
                // Borrowed, not cloned: every pod write of the cluster passes through here.
                self.watch_pod(as_pod(old), as_pod(new), cluster, keys);
            }
            (old, new) if change.kind == crate::sim::model::Kind::Node => {
                self.watch_node(as_node(old), as_node(new), cluster, keys);
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &ObjectKey, cluster: &mut Cluster) -> SyncReport {
        self.sync_daemon_set(key, cluster)
    }

    fn check_invariants(&self, cluster: &Cluster, violations: &mut Vec<String>) {
        check_invariants(self, cluster, violations);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// DaemonSet invariants: status counters are consistent; once a DaemonSet is settled (no sync
/// waiting, expectations met, no node removed since its last sync) its counters equal a
/// recomputation and no eligible node runs two live daemon pods (three with surge).
fn check_invariants(
    controller: &DaemonSetController,
    cluster: &Cluster,
    violations: &mut Vec<String>,
) {
    for ds in cluster.store.daemon_sets().iter() {
        let key = ds.metadata.key();
        let s = &ds.status;
        if s.number_ready > s.current_number_scheduled || s.number_available > s.number_ready {
            violations.push(format!(
                "daemonset {key}: ready/available above current: {s:?}"
            ));
        }
        if s.number_unavailable != s.desired_number_scheduled - s.number_available {
            violations.push(format!(
                "daemonset {key}: numberUnavailable != desired - available: {s:?}"
            ));
        }
        let settled = controller
            .last_synced
            .get(&key)
            .is_some_and(|at| controller.last_node_removal.is_none_or(|r| r <= *at))
            && controller.satisfied_expectations(&key, cluster.now)
            && !cluster.queue.any_sync_pending(&key)
            && ds.metadata.deletion_timestamp.is_none()
            && ds.spec.selector.as_ref().is_some_and(|sel| !sel.is_empty());
        if !settled {
            continue;
        }
        let hash = ds.metadata.labels.get(CONTROLLER_REVISION_HASH).cloned();
        let live_hash = cluster
            .store
            .controller_revisions()
            .in_namespace(&ds.metadata.namespace)
            .filter(|r| {
                r.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == ds.metadata.uid)
            })
            .max_by_key(|r| r.revision)
            .and_then(|r| r.metadata.labels.get(CONTROLLER_REVISION_HASH).cloned());
        let hash = hash.or(live_hash).unwrap_or_default();
        let tolerations = daemon_pod_tolerations(&ds.spec.template.spec);
        let expected = compute_status(cluster, ds, &hash, &tolerations, cluster.now);
        let counters = |x: &crate::sim::model::DaemonSetStatus| {
            (
                x.desired_number_scheduled,
                x.current_number_scheduled,
                x.number_misscheduled,
                x.number_ready,
                x.updated_number_scheduled,
            )
        };
        if counters(&expected) != counters(s) {
            violations.push(format!(
                "daemonset {key}: status {:?} but pods say {:?}",
                counters(s),
                counters(&expected)
            ));
        }
        let limit = if surge_allowed(ds) { 2 } else { 1 };
        for (node, pods) in nodes_to_daemon_pods(cluster, &ds.metadata.uid) {
            let live = pods.iter().filter(|p| p.is_active()).count();
            let eligible = cluster
                .store
                .nodes()
                .get(&ObjectKey::cluster(&node))
                .is_some_and(|n| node_should_run_daemon_pod(n, ds, &tolerations).1);
            if eligible && live > limit {
                violations.push(format!(
                    "daemonset {key}: node {node} runs {live} live daemon pods"
                ));
            }
        }
    }
}
