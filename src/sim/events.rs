//! The cluster's Event log, aggregated like client-go's event recorder.
//!
//! A second occurrence of the same event (same involved object, type, reason, message and source)
//! raises `count` and `lastTimestamp` of the first instead of adding a line, as the recorder's
//! `EventAggregator`/`eventLogger` do. Beside every Event the log keeps a *why*: one plain sentence
//! for the playground explaining the decision. The log is bounded; the oldest entries go first.
//!
//! DIVERGENCE: client-go also folds ten different messages with the same reason into one
//! "(combined from similar events)" event and rate-limits each object to a 25-event burst. The
//! simulation keeps every distinct message so scenario tests can assert on each decision.

use crate::sim::model::{Event, EventSource, EventType, ObjectMeta, ObjectReference};
use crate::sim::time::SimTime;
use std::collections::{BTreeMap, VecDeque};

/// The default number of distinct events kept.
pub const DEFAULT_EVENT_CAPACITY: usize = 20_000;

/// An Event plus the simulation's plain-language explanation of it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedEvent {
    /// Position in the log, increasing from 0 and never reused.
    pub id: u64,
    /// The Kubernetes Event.
    pub event: Event,
    /// One sentence saying why this happened, for the playground (not a Kubernetes field).
    pub why: String,
}

/// What a component reports; [`EventLog::record`] turns it into an [`Event`].
#[derive(Clone, Debug)]
pub struct EventNote {
    /// The object the event is about.
    pub object: ObjectReference,
    /// `Normal` or `Warning`.
    pub type_: EventType,
    /// The reason, e.g. `SuccessfulCreate`.
    pub reason: String,
    /// The message, e.g. `Created pod: fluentd-7xk2p`.
    pub message: String,
    /// The reporting component, e.g. `daemonset-controller`.
    pub component: &'static str,
    /// The node, for kubelet events.
    pub host: String,
    /// The plain-language explanation.
    pub why: String,
}

type AggregationKey = (
    ObjectReference,
    EventType,
    String,
    String,
    &'static str,
    String,
);

/// The bounded, aggregated Event log.
#[derive(Clone, Debug)]
pub struct EventLog {
    capacity: usize,
    entries: VecDeque<RecordedEvent>,
    next_id: u64,
    by_key: BTreeMap<AggregationKey, u64>,
}

impl Default for EventLog {
    fn default() -> Self {
        EventLog::with_capacity(DEFAULT_EVENT_CAPACITY)
    }
}

/// A reference to an object for `involvedObject`.
pub fn reference(kind: &str, api_version: &str, meta: &ObjectMeta) -> ObjectReference {
    ObjectReference {
        kind: kind.to_string(),
        namespace: meta.namespace.clone(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        api_version: api_version.to_string(),
    }
}

impl EventLog {
    /// A log keeping at most `capacity` distinct events (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        EventLog {
            capacity: capacity.max(1),
            entries: VecDeque::new(),
            next_id: 0,
            by_key: BTreeMap::new(),
        }
    }

    /// Records an occurrence at `now`, aggregating repeats. Returns the entry's id.
    pub fn record(&mut self, note: EventNote, now: SimTime) -> u64 {
        let key: AggregationKey = (
            note.object.clone(),
            note.type_,
            note.reason.clone(),
            note.message.clone(),
            note.component,
            note.host.clone(),
        );
        if let Some(&id) = self.by_key.get(&key)
            && let Some(entry) = self.get_mut(id)
        {
            entry.event.count += 1;
            entry.event.last_timestamp = Some(now);
            entry.why = note.why;
            return id;
        }
        let id = self.next_id;
        self.next_id += 1;
        let event = Event {
            api_version: "v1".to_string(),
            kind: "Event".to_string(),
            metadata: ObjectMeta {
                // Upstream names events `<object>.<unix nanos in hex>`; the id keeps names unique
                // although the simulated clock only has millisecond resolution.
                name: format!(
                    "{}.{:x}",
                    note.object.name,
                    now.unix_ms() * 1_000_000 + id as i64
                ),
                namespace: if note.object.namespace.is_empty() {
                    "default".to_string()
                } else {
                    note.object.namespace.clone()
                },
                ..Default::default()
            },
            involved_object: note.object,
            reason: note.reason,
            message: note.message,
            source: EventSource {
                component: note.component.to_string(),
                host: note.host,
            },
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
            type_: note.type_,
        };
        self.entries.push_back(RecordedEvent {
            id,
            event,
            why: note.why,
        });
        self.by_key.insert(key, id);
        self.evict_oldest();
        id
    }

    fn evict_oldest(&mut self) {
        while self.entries.len() > self.capacity {
            if let Some(old) = self.entries.pop_front() {
                let e = &old.event;
                let key: AggregationKey = (
                    e.involved_object.clone(),
                    e.type_,
                    e.reason.clone(),
                    e.message.clone(),
                    component_static(&e.source.component),
                    e.source.host.clone(),
                );
                if self.by_key.get(&key) == Some(&old.id) {
                    self.by_key.remove(&key);
                }
            }
        }
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut RecordedEvent> {
        let first = self.entries.front()?.id;
        let index = usize::try_from(id.checked_sub(first)?).ok()?;
        self.entries.get_mut(index)
    }

    /// Every kept event, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &RecordedEvent> {
        self.entries.iter()
    }

    /// Kept events about the object named `name` (any kind), oldest first.
    pub fn about<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a RecordedEvent> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.event.involved_object.name == name)
    }

    /// Kept events with `reason`, oldest first.
    pub fn with_reason<'a>(
        &'a self,
        reason: &'a str,
    ) -> impl Iterator<Item = &'a RecordedEvent> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.event.reason == reason)
    }

    /// How many distinct events are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing was recorded (or everything was dropped).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id the next new event will get; ids below it were recorded before.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }
}

/// Maps a stored component name back to the static names components report under.
fn component_static(name: &str) -> &'static str {
    COMPONENTS
        .iter()
        .copied()
        .find(|c| *c == name)
        .unwrap_or("")
}

/// Every component that records events.
pub const COMPONENTS: &[&str] = &[
    "daemonset-controller",
    "default-scheduler",
    "kubelet",
    "node-controller",
    "taint-eviction-controller",
    "pod-garbage-collector",
    "garbage-collector",
    "job-controller",
    "cronjob-controller",
    "replicaset-controller",
    "deployment-controller",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn note(message: &str) -> EventNote {
        EventNote {
            object: ObjectReference {
                kind: "Pod".into(),
                namespace: "default".into(),
                name: "web".into(),
                uid: "u1".into(),
                api_version: "v1".into(),
            },
            type_: EventType::Warning,
            reason: "FailedScheduling".into(),
            message: message.into(),
            component: "default-scheduler",
            host: String::new(),
            why: "no node fits".into(),
        }
    }

    #[test]
    fn repeats_raise_count_and_last_timestamp() {
        let mut log = EventLog::default();
        log.record(note("0/1 nodes are available"), SimTime::from_unix_secs(10));
        log.record(note("0/1 nodes are available"), SimTime::from_unix_secs(25));
        log.record(note("0/2 nodes are available"), SimTime::from_unix_secs(30));
        let events: Vec<_> = log.iter().collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event.count, 2);
        assert_eq!(
            events[0].event.first_timestamp,
            Some(SimTime::from_unix_secs(10))
        );
        assert_eq!(
            events[0].event.last_timestamp,
            Some(SimTime::from_unix_secs(25))
        );
    }

    #[test]
    fn oldest_events_are_dropped_past_capacity() {
        let mut log = EventLog::with_capacity(2);
        for i in 0..5 {
            log.record(note(&format!("message {i}")), SimTime::from_unix_secs(i));
        }
        let messages: Vec<_> = log.iter().map(|e| e.event.message.clone()).collect();
        assert_eq!(messages, vec!["message 3", "message 4"]);
        log.record(note("message 0"), SimTime::from_unix_secs(9));
        assert_eq!(log.iter().last().map(|e| e.event.count), Some(1));
    }
}
