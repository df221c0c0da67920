//! Each pod's states over simulated time, recorded from successive snapshots, for the
//! timeline view. The core keeps no history of pod phases, so the playground writes down what
//! every snapshot shows.
//!
//! Bounded on both axes: at most [`History::max_pods`] pods (the ones that went away longest
//! ago are forgotten first) and [`History::max_spans`] state changes per pod (the oldest go).

use super::snapshot::{ClusterSnapshot, OwnerView, PodMark};
use crate::sim::time::SimTime;
use std::collections::BTreeMap;

/// Pods remembered by default.
pub const DEFAULT_MAX_PODS: usize = 600;
/// State changes remembered per pod by default.
pub const DEFAULT_MAX_SPANS: usize = 24;

/// A pod's state from `start` until the next span's start (or the pod's end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// When the pod was first seen in this state.
    pub start: SimTime,
    /// The state.
    pub mark: PodMark,
}

/// One pod's recorded life.
#[derive(Clone, Debug, PartialEq)]
pub struct PodHistory {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// The controlling owner when last seen.
    pub owner: Option<OwnerView>,
    /// The node when last seen on one.
    pub node: Option<String>,
    /// State changes, oldest first; never empty.
    pub spans: Vec<Span>,
    /// The first snapshot the pod was missing from, once it is gone.
    pub gone_at: Option<SimTime>,
}

/// The recorded pods, by namespace and name.
#[derive(Clone, Debug)]
pub struct History {
    pods: BTreeMap<(String, String), PodHistory>,
    /// Pods remembered at most.
    pub max_pods: usize,
    /// Spans remembered per pod at most.
    pub max_spans: usize,
}

impl Default for History {
    fn default() -> Self {
        History {
            pods: BTreeMap::new(),
            max_pods: DEFAULT_MAX_PODS,
            max_spans: DEFAULT_MAX_SPANS,
        }
    }
}

impl History {
    /// Records what `snapshot` shows: new pods, changed states, pods that went away.
    pub fn observe(&mut self, snapshot: &ClusterSnapshot) {
        let now = snapshot.now;
        let seen: BTreeMap<(String, String), (&super::snapshot::PodView, Option<&str>)> = snapshot
            .nodes
            .iter()
            .flat_map(|node| {
                node.pods
                    .iter()
                    .map(move |pod| (pod, Some(node.name.as_str())))
            })
            .chain(snapshot.unscheduled.iter().map(|pod| (pod, None)))
            .map(|(pod, node)| ((pod.namespace.clone(), pod.name.clone()), (pod, node)))
            .collect();
        for (key, history) in &mut self.pods {
            if history.gone_at.is_none() && !seen.contains_key(key) {
                history.gone_at = Some(now);
            }
        }
        for (key, (pod, node)) in seen {
            let max_spans = self.max_spans;
            let history = self.pods.entry(key).or_insert_with(|| PodHistory {
                namespace: pod.namespace.clone(),
                name: pod.name.clone(),
                owner: None,
                node: None,
                spans: Vec::new(),
                gone_at: None,
            });
            history.owner = pod.owner.clone();
            history.node = node.map(str::to_string).or(history.node.take());
            history.gone_at = None;
            if history
                .spans
                .last()
                .is_none_or(|last| last.mark != pod.mark)
            {
                history.spans.push(Span {
                    start: now,
                    mark: pod.mark,
                });
                let excess = history.spans.len().saturating_sub(max_spans.max(1));
                history.spans.drain(..excess);
            }
        }
        self.forget_oldest();
    }

    /// Drops the pods that went away longest ago until at most `max_pods` remain; pods still
    /// present are kept even past the bound, as the snapshot itself bounds them.
    fn forget_oldest(&mut self) {
        let excess = self.pods.len().saturating_sub(self.max_pods);
        if excess == 0 {
            return;
        }
        let mut gone: Vec<(SimTime, (String, String))> = self
            .pods
            .iter()
            .filter_map(|(key, h)| h.gone_at.map(|at| (at, key.clone())))
            .collect();
        gone.sort();
        for (_, key) in gone.into_iter().take(excess) {
            self.pods.remove(&key);
        }
    }

    /// Every recorded pod, by namespace and name.
    pub fn pods(&self) -> impl Iterator<Item = &PodHistory> {
        self.pods.values()
    }

    /// Forgets everything (after the cluster was replaced).
    pub fn clear(&mut self) {
        self.pods.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::snapshot::{NodeStatus, NodeView, PodView, Usage};

    fn pod(name: &str, mark: PodMark) -> PodView {
        PodView {
            namespace: "default".into(),
            name: name.into(),
            owner: Some(OwnerView {
                kind: "Job".into(),
                name: "pi".into(),
            }),
            mark,
            restarts: 0,
            reason: None,
        }
    }

    fn at(secs: i64, pods: Vec<PodView>) -> ClusterSnapshot {
        ClusterSnapshot {
            now: SimTime::from_unix_secs(secs),
            nodes: vec![NodeView {
                name: "worker-1".into(),
                control_plane: false,
                status: NodeStatus::Ready,
                unschedulable: false,
                taints: Vec::new(),
                labels: Vec::new(),
                cpu_milli: Usage::default(),
                memory_bytes: Usage::default(),
                pod_count: Usage::default(),
                pods,
            }],
            unscheduled: Vec::new(),
        }
    }

    #[test]
    fn state_changes_become_spans_and_a_missing_pod_is_gone() {
        let mut history = History::default();
        history.observe(&at(0, vec![pod("pi-a", PodMark::ContainerCreating)]));
        history.observe(&at(2, vec![pod("pi-a", PodMark::ContainerCreating)]));
        history.observe(&at(3, vec![pod("pi-a", PodMark::Ready)]));
        history.observe(&at(40, vec![pod("pi-a", PodMark::Succeeded)]));
        history.observe(&at(50, vec![]));
        let recorded: Vec<&PodHistory> = history.pods().collect();
        assert_eq!(recorded.len(), 1);
        let marks: Vec<(i64, PodMark)> = recorded[0]
            .spans
            .iter()
            .map(|s| (s.start.unix_ms() / 1000, s.mark))
            .collect();
        assert_eq!(
            marks,
            vec![
                (0, PodMark::ContainerCreating),
                (3, PodMark::Ready),
                (40, PodMark::Succeeded)
            ]
        );
        assert_eq!(recorded[0].gone_at, Some(SimTime::from_unix_secs(50)));
        assert_eq!(recorded[0].node.as_deref(), Some("worker-1"));
    }

    #[test]
    fn bounds_forget_the_oldest_spans_and_the_longest_gone_pods() {
        let mut history = History {
            max_pods: 2,
            max_spans: 2,
            ..History::default()
        };
        history.observe(&at(0, vec![pod("a", PodMark::Pending)]));
        history.observe(&at(1, vec![pod("a", PodMark::Running)]));
        history.observe(&at(2, vec![pod("a", PodMark::Ready)]));
        let spans: Vec<PodMark> = history
            .pods()
            .flat_map(|p| p.spans.iter().map(|s| s.mark))
            .collect();
        assert_eq!(spans, vec![PodMark::Running, PodMark::Ready]);
        history.observe(&at(3, vec![pod("b", PodMark::Pending)]));
        history.observe(&at(4, vec![pod("c", PodMark::Pending)]));
        history.observe(&at(5, vec![pod("d", PodMark::Pending)]));
        let names: Vec<&str> = history.pods().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["c", "d"]);
    }
}
