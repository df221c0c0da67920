//! The pod-failure back-off of the Job controller (`backoff_utils.go`).
//!
//! The controller remembers per Job how many pods failed since the last success and when the
//! last of them finished. Replacement pods wait `10 s × 2^(n−1)`, capped at 10 minutes, from
//! that finish time. The record lives in controller memory only, as upstream's does.

use crate::sim::model::{ConditionStatus, Pod, PodConditionType};
use crate::sim::time::{SimDuration, SimTime};

/// `DefaultJobPodFailureBackOff`: the delay after the first failure.
pub const POD_FAILURE_BACKOFF_BASE_MS: i64 = 10_000;
/// `MaxJobPodFailureBackOff`: the longest delay.
pub const POD_FAILURE_BACKOFF_MAX_MS: i64 = 600_000;

/// `backoffRecord`: failures since the last success and when the last one finished.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackoffRecord {
    /// Failed pods counted since the last successful one.
    pub failures_after_last_success: i32,
    /// The finish time of the newest of those failures.
    pub last_failure_time: Option<SimTime>,
}

/// `getFinishedTime`: the newest container `finishedAt`, else when the pod stopped being
/// Ready, else when its deletion was requested, else its creation.
pub fn finish_time(pod: &Pod) -> SimTime {
    let containers = pod
        .status
        .container_statuses
        .iter()
        .chain(&pod.status.init_container_statuses);
    let finished = containers
        .filter_map(|s| s.state.terminated.as_ref().and_then(|t| t.finished_at))
        .max();
    if let Some(at) = finished {
        return at;
    }
    let unready = pod
        .condition(PodConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::False)
        .and_then(|c| c.last_transition_time);
    if let Some(at) = unready {
        return at;
    }
    if let Some(deleted) = pod.metadata.deletion_timestamp {
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0);
        return deleted - SimDuration::from_secs(grace);
    }
    pod.metadata.creation_timestamp.unwrap_or_default()
}

/// `newBackoffRecord`: folds newly counted pods into the record. A success resets the count
/// to the failures that finished after it.
pub fn next_record(old: BackoffRecord, succeeded: &[&Pod], failed: &[&Pod]) -> BackoffRecord {
    let last_failure = failed.iter().map(|p| finish_time(p)).max();
    let Some(last_success) = succeeded.iter().map(|p| finish_time(p)).max() else {
        if failed.is_empty() {
            return old;
        }
        return BackoffRecord {
            failures_after_last_success: old.failures_after_last_success + failed.len() as i32,
            last_failure_time: old.last_failure_time.max(last_failure),
        };
    };
    let later: Vec<SimTime> = failed
        .iter()
        .map(|p| finish_time(p))
        .filter(|at| *at > last_success)
        .collect();
    BackoffRecord {
        failures_after_last_success: later.len() as i32,
        last_failure_time: later.iter().copied().max(),
    }
}

/// `getBackoff`: the delay owed after `failures` consecutive failures.
pub fn delay_ms(failures: i32) -> i64 {
    if failures <= 0 {
        return 0;
    }
    let mut delay = POD_FAILURE_BACKOFF_BASE_MS;
    for _ in 1..failures {
        delay *= 2;
        if delay >= POD_FAILURE_BACKOFF_MAX_MS {
            return POD_FAILURE_BACKOFF_MAX_MS;
        }
    }
    delay.min(POD_FAILURE_BACKOFF_MAX_MS)
}

/// `getRemainingTimePerRecord`: how long creation must still wait at `now`.
pub fn remaining(record: &BackoffRecord, now: SimTime) -> SimDuration {
    let Some(last) = record.last_failure_time else {
        return SimDuration::ZERO;
    };
    let owed_ms = delay_ms(record.failures_after_last_success);
    let elapsed_ms = (now - last).as_ms();
    SimDuration::from_ms((owed_ms - elapsed_ms).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_ten_seconds_and_stop_at_ten_minutes() {
        let secs: Vec<i64> = (1..=8).map(|n| delay_ms(n) / 1000).collect();
        assert_eq!(secs, vec![10, 20, 40, 80, 160, 320, 600, 600]);
        assert_eq!(delay_ms(0), 0);
    }

    #[test]
    fn remaining_time_counts_from_the_last_failure() {
        let t = SimTime::from_unix_secs(1_000);
        let record = BackoffRecord {
            failures_after_last_success: 1,
            last_failure_time: Some(t),
        };
        assert_eq!(remaining(&record, t).as_ms(), 10_000);
        assert_eq!(
            remaining(&record, t + SimDuration::from_secs(1)).as_ms(),
            9_000
        );
        assert_eq!(
            remaining(&record, t + SimDuration::from_secs(10)).as_ms(),
            0
        );
        let three = BackoffRecord {
            failures_after_last_success: 3,
            ..record
        };
        assert_eq!(remaining(&three, t).as_ms(), 40_000);
    }
}
