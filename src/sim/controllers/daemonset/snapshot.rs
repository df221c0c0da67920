//! What one DaemonSet sync reads about nodes and daemon pods, computed once and walked in order.
//!
//! A sync visits every node several times (`manage`, `rollingUpdate`, `updateDaemonSetStatus`)
//! and upstream issues at most `BurstReplicas` creates per sync, so rolling a DaemonSet out to N
//! nodes takes N/250 syncs. Any per-node cost inside a sync is therefore paid about N²/250 times
//! in all. This module keeps that per-node cost to a few comparisons: eligibility
//! (`NodeShouldRunDaemonPod`) is evaluated once per sync, and the daemon pods are held as one
//! vector sorted by target node, which is walked beside the node table (also in name order)
//! instead of looking each node up in a map of strings.

use super::{node_should_run_daemon_pod, oldest_first, target_node_name};
use crate::sim::cluster::Cluster;
use crate::sim::model::{DaemonSet, Kind, Node, ObjectKey, Pod, Toleration};
use std::iter::Peekable;
use std::ops::Range;

/// `(shouldRun, shouldContinueRunning)` of every node, in node-name order.
///
/// The DaemonSet controller never writes nodes, so the answers computed at the start of a sync
/// hold until it ends, however many pods the sync creates or deletes in between.
pub(super) struct Eligibility {
    decisions: Vec<(bool, bool)>,
}

impl Eligibility {
    /// Evaluates `NodeShouldRunDaemonPod` for every node, once.
    pub(super) fn compute(cluster: &Cluster, ds: &DaemonSet, tolerations: &[Toleration]) -> Self {
        let decisions = cluster
            .store
            .nodes()
            .iter()
            .map(|node| node_should_run_daemon_pod(node, ds, tolerations))
            .collect();
        Eligibility { decisions }
    }

    /// How many nodes should run a daemon pod (`desiredNumberScheduled`).
    pub(super) fn desired(&self) -> i64 {
        self.decisions.iter().filter(|(run, _)| *run).count() as i64
    }
}

/// Daemon pods of one DaemonSet by target node (`getNodesToDaemonPods` without deleted terminal
/// pods): one vector sorted by node name, oldest first within a node, plus the node ranges.
pub(super) struct DaemonPods<'a> {
    pods: Vec<&'a Pod>,
    groups: Vec<(&'a str, Range<usize>)>,
}

impl<'a> DaemonPods<'a> {
    /// Collects the pods the DaemonSet with `uid` controls. One sort replaces a map insert and
    /// a map lookup per node, which is what made a sync cost more than its node count.
    pub(super) fn build(cluster: &'a Cluster, uid: &str) -> Self {
        let mut owned: Vec<(&'a str, &'a Pod)> = dependent_pods(cluster, uid)
            .into_iter()
            .filter(|pod| pod.metadata.controller_ref().is_some_and(|o| o.uid == uid))
            .filter(|pod| !(pod.metadata.deletion_timestamp.is_some() && pod.phase().is_terminal()))
            .filter_map(|pod| target_node_name(pod).map(|node| (node, pod)))
            .collect();
        owned.sort_by(|(node_a, a), (node_b, b)| node_a.cmp(node_b).then(oldest_first(a, b)));
        let mut groups: Vec<(&'a str, Range<usize>)> = Vec::new();
        for (index, (node, _)) in owned.iter().enumerate() {
            match groups.last_mut() {
                Some((last, range)) if last == node => range.end = index + 1,
                _ => groups.push((node, index..index + 1)),
            }
        }
        let pods = owned.into_iter().map(|(_, pod)| pod).collect();
        DaemonPods { pods, groups }
    }

    /// `(node name, its pods oldest first)` in node-name order; every group has a pod.
    pub(super) fn groups(&self) -> impl Iterator<Item = (&'a str, &[&'a Pod])> + '_ {
        self.groups
            .iter()
            .map(|(node, range)| (*node, &self.pods[range.clone()]))
    }

    /// Every pod, grouped by node.
    pub(super) fn all(&self) -> &[&'a Pod] {
        &self.pods
    }
}

/// The pods naming `uid` as an owner, in key order. When they make up a good share of the pod
/// table, the table is walked beside the owner index (both in key order), which costs one key
/// comparison per pod instead of a search; a few pods in a large table are looked up instead.
fn dependent_pods<'a>(cluster: &'a Cluster, uid: &str) -> Vec<&'a Pod> {
    let store = &cluster.store;
    let keys: Vec<&ObjectKey> = store
        .dependents_of(uid)
        .filter(|(kind, _)| *kind == Kind::Pod)
        .map(|(_, key)| key)
        .collect();
    let count = keys.len();
    if count * 16 < store.pods().len() {
        return keys
            .iter()
            .filter_map(|key| store.pods().get(key))
            .collect();
    }
    let mut keys = keys.into_iter().peekable();
    let Some(first) = keys.peek() else {
        return Vec::new();
    };
    let mut pods = Vec::with_capacity(count);
    for (key, pod) in store.pods().iter_from(first) {
        while keys.next_if(|wanted| *wanted < key).is_some() {}
        match keys.peek() {
            None => break,
            Some(wanted) if *wanted == key => {
                pods.push(pod);
                keys.next();
            }
            Some(_) => {}
        }
    }
    pods
}

/// One step of [`walk`]: a node with its decision and pods, or pods aimed at a missing node.
pub(super) struct Slot<'a, 'p> {
    /// The node, or `None` when the pods target a node that no longer exists.
    pub(super) node: Option<&'a Node>,
    /// The node's name (the pods' target when the node is gone).
    pub(super) name: &'a str,
    /// `(shouldRun, shouldContinueRunning)`; `(false, false)` for a missing node.
    pub(super) decision: (bool, bool),
    /// The node's daemon pods, oldest first; empty when it has none.
    pub(super) pods: &'p [&'a Pod],
}

/// Walks the node table and the daemon pods together, both in name order, yielding every node
/// and every group of pods whose node is gone, in name order.
pub(super) fn walk<'a, 'p>(
    cluster: &'a Cluster,
    eligibility: &'p Eligibility,
    pods: &'p DaemonPods<'a>,
) -> impl Iterator<Item = Slot<'a, 'p>> + 'p
where
    'a: 'p,
{
    debug_assert_eq!(
        eligibility.decisions.len(),
        cluster.store.nodes().len(),
        "the DaemonSet controller never adds or removes nodes during a sync"
    );
    Walk {
        nodes: cluster
            .store
            .nodes()
            .iter()
            .zip(eligibility.decisions.iter().copied())
            .peekable(),
        groups: pods.groups().peekable(),
    }
}

/// The merge behind [`walk`].
struct Walk<N: Iterator, G: Iterator> {
    nodes: Peekable<N>,
    groups: Peekable<G>,
}

impl<'a, 'p, N, G> Iterator for Walk<N, G>
where
    N: Iterator<Item = (&'a Node, (bool, bool))>,
    G: Iterator<Item = (&'a str, &'p [&'a Pod])>,
    'a: 'p,
{
    type Item = Slot<'a, 'p>;

    fn next(&mut self) -> Option<Slot<'a, 'p>> {
        let node_name = self.nodes.peek().map(|(node, _)| node.name());
        let group_name = self.groups.peek().map(|(name, _)| *name);
        match (node_name, group_name) {
            (None, None) => None,
            (Some(node), Some(group)) if group < node => self.orphans(),
            (None, Some(_)) => self.orphans(),
            (Some(node), group) => {
                let (node_ref, decision) = self.nodes.next()?;
                let pods = if group == Some(node) {
                    self.groups.next().map_or(&[][..], |(_, pods)| pods)
                } else {
                    &[]
                };
                Some(Slot {
                    node: Some(node_ref),
                    name: node_ref.name(),
                    decision,
                    pods,
                })
            }
        }
    }
}

impl<'a, 'p, N, G> Walk<N, G>
where
    N: Iterator<Item = (&'a Node, (bool, bool))>,
    G: Iterator<Item = (&'a str, &'p [&'a Pod])>,
    'a: 'p,
{
    /// The next group of pods aimed at a node that does not exist.
    fn orphans(&mut self) -> Option<Slot<'a, 'p>> {
        let (name, pods) = self.groups.next()?;
        Some(Slot {
            node: None,
            name,
            decision: (false, false),
            pods,
        })
    }
}
