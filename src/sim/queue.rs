//! The event queue: work items ordered by (due time, sequence number).
//!
//! Controller syncs are deduplicated per (controller, key) like client-go's delaying work queue:
//! while a sync is waiting, adding it again only moves it earlier, never adds a second copy.
//! Scheduling attempts are deduplicated per pod the same way.

use crate::sim::model::ObjectKey;
use crate::sim::time::SimTime;
use std::collections::BTreeMap;

/// A kubelet action for one pod; see [`crate::sim::kubelet`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeletAction {
    /// Accept a newly bound pod and start its first container.
    Admit,
    /// Begin pulling the image of container `index` (in start order).
    Pull(usize),
    /// The image of container `index` is on the node; create and start it.
    Pulled(usize),
    /// Container `index` is running.
    Started(usize),
    /// Container `index` exited on its own.
    Exited(usize),
    /// Restart container `index` after a crash (back-off elapsed).
    Restart(usize),
    /// The pod was deleted: send SIGTERM to its containers.
    Terminate,
    /// The containers of a deleted pod have stopped; finish the deletion.
    Terminated,
}

/// One queued piece of work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Work {
    /// Run controller number `controller`'s sync for `key`.
    Sync {
        /// Index into the controller registry.
        controller: usize,
        /// The object to reconcile.
        key: ObjectKey,
    },
    /// Try to schedule a pending pod.
    Schedule {
        /// The pod.
        pod: ObjectKey,
    },
    /// A kubelet step for one pod; stale steps (older `epoch`) are ignored.
    Kubelet {
        /// The pod's uid.
        pod_uid: String,
        /// The pod runtime's epoch when this was queued.
        epoch: u64,
        /// What to do.
        action: KubeletAction,
    },
    /// The node-monitor grace period of a stopped node has passed.
    NodeGraceExpired {
        /// The node.
        node: String,
        /// The node's power epoch when it stopped; stale when it has restarted since.
        epoch: u64,
    },
    /// A NoExecute toleration of a pod has run out.
    TaintEviction {
        /// The pod.
        pod: ObjectKey,
        /// Its uid, so a new pod with the same name is not evicted.
        uid: String,
    },
    /// The PodGC loop (every 20 s).
    PodGc,
    /// The garbage collector processes owners that went away.
    GarbageCollect,
}

/// The ordered queue of pending work.
#[derive(Clone, Debug, Default)]
pub struct WorkQueue {
    items: BTreeMap<(SimTime, u64), Work>,
    next_seq: u64,
    pending_syncs: BTreeMap<(usize, ObjectKey), SimTime>,
    pending_schedules: BTreeMap<ObjectKey, SimTime>,
}

impl WorkQueue {
    /// Queues `work` at `due`. Syncs and scheduling attempts already waiting at or before `due`
    /// absorb the new request.
    pub fn push(&mut self, due: SimTime, work: Work) {
        let dedup = match &work {
            Work::Sync { controller, key } => {
                Self::dedup(&mut self.pending_syncs, (*controller, key.clone()), due)
            }
            Work::Schedule { pod } => Self::dedup(&mut self.pending_schedules, pod.clone(), due),
            _ => true,
        };
        if dedup {
            self.items.insert((due, self.next_seq), work);
            self.next_seq += 1;
        }
    }

    /// Records `due` for `key` unless an earlier or equal entry waits; returns whether to queue.
    fn dedup<K: Ord>(pending: &mut BTreeMap<K, SimTime>, key: K, due: SimTime) -> bool {
        match pending.get(&key) {
            Some(&waiting) if waiting <= due => false,
            _ => {
                pending.insert(key, due);
                true
            }
        }
    }

    /// The due time of the earliest item.
    pub fn next_due(&self) -> Option<SimTime> {
        self.items.keys().next().map(|(due, _)| *due)
    }

    /// Removes and returns the earliest item if it is due at or before `limit`. Superseded
    /// duplicates (a sync that was moved earlier) are skipped.
    pub fn pop_due(&mut self, limit: SimTime) -> Option<(SimTime, Work)> {
        loop {
            let (&(due, seq), _) = self.items.iter().next()?;
            if due > limit {
                return None;
            }
            let work = self.items.remove(&(due, seq))?;
            let current = match &work {
                Work::Sync { controller, key } => {
                    Self::claim(&mut self.pending_syncs, &(*controller, key.clone()), due)
                }
                Work::Schedule { pod } => Self::claim(&mut self.pending_schedules, pod, due),
                _ => true,
            };
            if current {
                return Some((due, work));
            }
        }
    }

    /// True if `due` is the live entry for `key` (and forgets it, as processing starts).
    fn claim<K: Ord>(pending: &mut BTreeMap<K, SimTime>, key: &K, due: SimTime) -> bool {
        if pending.get(key) == Some(&due) {
            pending.remove(key);
            true
        } else {
            false
        }
    }

    /// Whether a sync of `key` by `controller` is waiting.
    pub fn sync_pending(&self, controller: usize, key: &ObjectKey) -> bool {
        self.pending_syncs.contains_key(&(controller, key.clone()))
    }

    /// Whether any controller's sync of `key` is waiting.
    pub fn any_sync_pending(&self, key: &ObjectKey) -> bool {
        self.pending_syncs.keys().any(|(_, k)| k == key)
    }

    /// How many items are queued (including superseded duplicates).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_due_time_then_insertion() {
        let mut queue = WorkQueue::default();
        let t = SimTime::from_unix_secs;
        queue.push(t(5), Work::PodGc);
        queue.push(t(1), Work::GarbageCollect);
        queue.push(t(5), Work::GarbageCollect);
        assert_eq!(queue.pop_due(t(10)), Some((t(1), Work::GarbageCollect)));
        assert_eq!(queue.pop_due(t(10)), Some((t(5), Work::PodGc)));
        assert_eq!(queue.pop_due(t(4)), None);
        assert_eq!(queue.pop_due(t(5)), Some((t(5), Work::GarbageCollect)));
    }

    #[test]
    fn a_waiting_sync_absorbs_later_requests_and_moves_earlier() {
        let mut queue = WorkQueue::default();
        let t = SimTime::from_unix_secs;
        let sync = Work::Sync {
            controller: 0,
            key: ObjectKey::new("default", "ds"),
        };
        queue.push(t(10), sync.clone());
        queue.push(t(20), sync.clone());
        queue.push(t(3), sync.clone());
        assert_eq!(queue.pop_due(t(100)), Some((t(3), sync.clone())));
        assert_eq!(queue.pop_due(t(100)), None, "the 10 s copy was superseded");
    }
}
