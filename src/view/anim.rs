//! Transition effects on the simulated clock: pods appear, start, fail, restart and complete;
//! nodes join. Effects are functions of simulated time, so a paused clock freezes them and
//! 100× plays them a hundred times faster.

use super::snapshot::{ClusterSnapshot, PodMark};
use crate::sim::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// How long each effect lasts, in simulated milliseconds.
const APPEAR_MS: i64 = 1_500;
const CHANGE_MS: i64 = 2_000;
const SHAKE_MS: i64 = 2_000;
const RESTART_MS: i64 = 3_000;
const NODE_JOIN_MS: i64 = 2_000;

/// How one tile is drawn at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileEffect {
    /// Size relative to a still tile (grows in as it appears).
    pub scale: f64,
    /// Sideways offset in CSS pixels (a failing pod shakes).
    pub dx: f64,
    /// A ring of this colour and opacity just after a change of state.
    pub ring: Option<(&'static str, f64)>,
    /// The restart count, shown for a while after it ticks up.
    pub restart_badge: Option<u32>,
}

impl TileEffect {
    /// A tile drawn as it is, without any effect.
    pub const STILL: TileEffect = TileEffect {
        scale: 1.0,
        dx: 0.0,
        ring: None,
        restart_badge: None,
    };
}

#[derive(Clone, Debug)]
struct PodTrack {
    first_seen: SimTime,
    mark: PodMark,
    mark_since: SimTime,
    restarts: u32,
    restarted_at: Option<SimTime>,
}

/// Remembers when each pod and node was first seen and when its state last changed.
#[derive(Clone, Debug, Default)]
pub struct Animator {
    pods: BTreeMap<(String, String), PodTrack>,
    nodes: BTreeMap<String, SimTime>,
}

impl Animator {
    /// Records the snapshot's states, noting what changed since the previous one; forgets
    /// objects that are gone.
    pub fn observe(&mut self, snapshot: &ClusterSnapshot) {
        let now = snapshot.now;
        let mut seen_pods = BTreeMap::new();
        let pods = snapshot
            .nodes
            .iter()
            .flat_map(|n| n.pods.iter())
            .chain(&snapshot.unscheduled);
        for pod in pods {
            let key = (pod.namespace.clone(), pod.name.clone());
            let track = match self.pods.remove(&key) {
                None => PodTrack {
                    first_seen: now,
                    mark: pod.mark,
                    mark_since: now,
                    restarts: pod.restarts,
                    restarted_at: None,
                },
                Some(mut track) => {
                    if track.mark != pod.mark {
                        track.mark = pod.mark;
                        track.mark_since = now;
                    }
                    if pod.restarts > track.restarts {
                        track.restarted_at = Some(now);
                    }
                    track.restarts = pod.restarts;
                    track
                }
            };
            seen_pods.insert(key, track);
        }
        self.pods = seen_pods;
        let previous = std::mem::take(&mut self.nodes);
        for node in &snapshot.nodes {
            let joined = previous.get(&node.name).copied().unwrap_or(now);
            self.nodes.insert(node.name.clone(), joined);
        }
    }

    /// The effect on a pod's tile at `now`; with `reduced_motion` nothing moves or grows, but
    /// rings and badges still mark what changed.
    pub fn pod_effect(
        &self,
        namespace: &str,
        name: &str,
        now: SimTime,
        reduced_motion: bool,
    ) -> TileEffect {
        let Some(track) = self.pods.get(&(namespace.to_string(), name.to_string())) else {
            return TileEffect::STILL;
        };
        let since_seen = progress(track.first_seen, now, APPEAR_MS);
        let since_change = progress(track.mark_since, now, CHANGE_MS);
        let failing = matches!(track.mark, PodMark::Failed | PodMark::CrashLoopBackOff);
        let shake = progress(track.mark_since, now, SHAKE_MS);
        let dx = if failing && shake < 1.0 && !reduced_motion {
            let elapsed_ms = (now - track.mark_since).as_ms() as f64;
            (elapsed_ms / 40.0).sin() * 3.0 * (1.0 - shake)
        } else {
            0.0
        };
        let ring_colour = match track.mark {
            PodMark::Ready | PodMark::Running => "#22c55e",
            PodMark::Succeeded => "#0ea5e9",
            PodMark::Failed | PodMark::CrashLoopBackOff => "#ef4444",
            PodMark::Terminating => "#64748b",
            PodMark::Pending | PodMark::ContainerCreating => "#f59e0b",
        };
        let changed = since_change < 1.0 && track.mark_since > track.first_seen;
        let restarted = track
            .restarted_at
            .filter(|at| progress(*at, now, RESTART_MS) < 1.0);
        TileEffect {
            scale: if reduced_motion {
                1.0
            } else {
                0.3 + 0.7 * since_seen
            },
            dx,
            ring: changed.then_some((ring_colour, 1.0 - since_change)),
            restart_badge: restarted.map(|_| track.restarts),
        }
    }

    /// A node card's opacity at `now`: it fades in as the node joins.
    pub fn node_alpha(&self, name: &str, now: SimTime, reduced_motion: bool) -> f64 {
        match self.nodes.get(name) {
            Some(joined) if !reduced_motion => 0.25 + 0.75 * progress(*joined, now, NODE_JOIN_MS),
            _ => 1.0,
        }
    }

    /// Whether any effect is still playing at `now`, so the canvas keeps repainting.
    pub fn busy(&self, now: SimTime) -> bool {
        let longest = SimDuration::from_ms(RESTART_MS.max(SHAKE_MS).max(APPEAR_MS));
        let recent = |at: SimTime| now - at < longest;
        self.pods
            .values()
            .any(|t| recent(t.mark_since) || t.restarted_at.is_some_and(recent))
            || self.nodes.values().any(|at| recent(*at))
    }
}

/// How far through an effect of `length_ms` started at `start` the clock is, from 0 to 1.
fn progress(start: SimTime, now: SimTime, length_ms: i64) -> f64 {
    ((now - start).as_ms() as f64 / length_ms as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::snapshot::PodView;

    fn snapshot_at(secs: i64, mark: PodMark, restarts: u32) -> ClusterSnapshot {
        ClusterSnapshot {
            now: SimTime::from_unix_secs(secs),
            nodes: vec![],
            unscheduled: vec![PodView {
                namespace: "default".into(),
                name: "web".into(),
                owner: None,
                mark,
                restarts,
                reason: None,
            }],
        }
    }

    #[test]
    fn a_new_pod_grows_in_over_its_first_one_and_a_half_simulated_seconds() {
        let mut animator = Animator::default();
        animator.observe(&snapshot_at(100, PodMark::Pending, 0));
        let at = |ms: i64| SimTime::from_unix_ms(100_000 + ms);
        assert_eq!(
            animator.pod_effect("default", "web", at(0), false).scale,
            0.3
        );
        assert!((animator.pod_effect("default", "web", at(750), false).scale - 0.65).abs() < 1e-9);
        assert_eq!(
            animator
                .pod_effect("default", "web", at(1_500), false)
                .scale,
            1.0
        );
        assert_eq!(
            animator.pod_effect("default", "web", at(0), true).scale,
            1.0
        );
    }

    #[test]
    fn a_crash_shakes_rings_red_and_shows_the_restart_count_then_settles() {
        let mut animator = Animator::default();
        animator.observe(&snapshot_at(100, PodMark::Ready, 0));
        animator.observe(&snapshot_at(200, PodMark::CrashLoopBackOff, 1));
        let effect = animator.pod_effect("default", "web", SimTime::from_unix_ms(200_100), false);
        assert_ne!(effect.dx, 0.0);
        assert_eq!(effect.ring.map(|(colour, _)| colour), Some("#ef4444"));
        assert_eq!(effect.restart_badge, Some(1));
        assert!(animator.busy(SimTime::from_unix_secs(201)));

        let later = animator.pod_effect("default", "web", SimTime::from_unix_secs(210), false);
        assert_eq!(later, TileEffect::STILL);
        assert!(!animator.busy(SimTime::from_unix_secs(210)));
        let still = animator.pod_effect("default", "web", SimTime::from_unix_ms(200_100), true);
        assert_eq!(still.dx, 0.0, "reduced motion never shakes");
    }

    #[test]
    fn vanished_pods_are_forgotten() {
        let mut animator = Animator::default();
        animator.observe(&snapshot_at(100, PodMark::Ready, 0));
        animator.observe(&ClusterSnapshot {
            now: SimTime::from_unix_secs(101),
            ..Default::default()
        });
        assert!(animator.pods.is_empty());
    }
}
