//! The columns kubectl derives from an object's status, shared by `kubectl get` and the canvas.

use crate::sim::model::{ConditionStatus, ContainerStatus, Pod, PodConditionType, PodPhase};
use crate::sim::time::SimTime;

/// The READY, STATUS and RESTARTS columns of `kubectl get pods` for one pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodColumns {
    /// Ready containers over containers, e.g. `1/1`.
    pub ready: String,
    /// The STATUS word: a phase, a container reason, `Init:0/1`, `Terminating`, ...
    pub status: String,
    /// Restarts of the containers counted for STATUS.
    pub restarts: i32,
    /// When the most recent restart's container finished, for `3 (2m ago)`.
    pub last_restart: Option<SimTime>,
}

/// Derives the columns the way kubectl's pod printer does (`printPod`): the phase, overridden by
/// the pod's reason, then by the first unfinished init container, then by the last container
/// that is waiting or terminated; a deleted pod that has not finished reads `Terminating`.
pub fn pod_columns(pod: &Pod) -> PodColumns {
    let status = &pod.status;
    let mut reason = status
        .reason
        .clone()
        .unwrap_or_else(|| pod.phase().as_str().to_string());
    let (init_reason, mut restarts) = init_containers_reason(pod);
    let initializing = init_reason.is_some();
    if let Some(init) = init_reason {
        reason = init;
    }
    let mut ready_containers = 0;
    let initialized = pod
        .condition(PodConditionType::Initialized)
        .is_some_and(|condition| condition.status == ConditionStatus::True);
    if !initializing || initialized {
        restarts = 0;
        let mut has_running = false;
        for container in status.container_statuses.iter().rev() {
            restarts += container.restart_count;
            if let Some(waiting) = container
                .state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.clone())
            {
                reason = waiting;
            } else if let Some(terminated) = &container.state.terminated {
                reason = terminated
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("ExitCode:{}", terminated.exit_code));
            } else if container.ready && container.state.running.is_some() {
                has_running = true;
                ready_containers += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if pod.is_ready() {
                "Running"
            } else {
                "NotReady"
            }
            .to_string();
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".to_string();
        } else if !pod.phase().is_terminal() {
            reason = "Terminating".to_string();
        }
    }
    PodColumns {
        ready: format!("{ready_containers}/{}", pod.spec.containers.len()),
        status: reason,
        restarts,
        last_restart: last_restart(&status.container_statuses),
    }
}

/// The STATUS an init container imposes while initialisation is unfinished, and init restarts.
fn init_containers_reason(pod: &Pod) -> (Option<String>, i32) {
    let total = pod.spec.init_containers.len();
    let mut restarts = 0;
    for (index, container) in pod.status.init_container_statuses.iter().enumerate() {
        restarts += container.restart_count;
        if let Some(terminated) = &container.state.terminated {
            if terminated.exit_code == 0 {
                continue;
            }
            let reason = match &terminated.reason {
                Some(reason) => format!("Init:{reason}"),
                None => format!("Init:ExitCode:{}", terminated.exit_code),
            };
            return (Some(reason), restarts);
        }
        let waiting = container
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref());
        let reason = match waiting {
            Some(reason) if reason != "PodInitializing" => format!("Init:{reason}"),
            _ => format!("Init:{index}/{total}"),
        };
        return (Some(reason), restarts);
    }
    (None, restarts)
}

fn last_restart(containers: &[ContainerStatus]) -> Option<SimTime> {
    containers
        .iter()
        .filter(|container| container.restart_count > 0)
        .filter_map(|container| container.last_state.terminated.as_ref()?.finished_at)
        .max()
}

/// Whether a pod has reached a phase nothing will change any more.
pub fn is_finished(pod: &Pod) -> bool {
    matches!(pod.phase(), PodPhase::Succeeded | PodPhase::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::{ContainerState, ContainerStateTerminated, ContainerStateWaiting};

    fn pod_with(state: ContainerState, restart_count: i32, phase: PodPhase) -> Pod {
        let mut pod = Pod::new("default", "web", "nginx", &[]);
        pod.status.phase = Some(phase);
        pod.status.container_statuses = vec![ContainerStatus {
            name: "web".into(),
            state,
            restart_count,
            ..Default::default()
        }];
        pod
    }

    #[test]
    fn a_crash_looping_container_names_the_status() {
        let waiting = ContainerState::waiting("CrashLoopBackOff", None);
        let columns = pod_columns(&pod_with(waiting, 3, PodPhase::Running));
        assert_eq!(columns.status, "CrashLoopBackOff");
        assert_eq!(columns.ready, "0/1");
        assert_eq!(columns.restarts, 3);
    }

    #[test]
    fn a_terminated_container_without_reason_shows_its_exit_code() {
        let state = ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 42,
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            pod_columns(&pod_with(state, 0, PodPhase::Failed)).status,
            "ExitCode:42"
        );
    }

    #[test]
    fn a_deleted_running_pod_reads_terminating_and_a_pending_one_its_phase() {
        let creating = ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("ContainerCreating".into()),
                message: None,
            }),
            ..Default::default()
        };
        let mut pod = pod_with(creating, 0, PodPhase::Pending);
        assert_eq!(pod_columns(&pod).status, "ContainerCreating");
        pod.metadata.deletion_timestamp = Some(SimTime::from_unix_secs(10));
        assert_eq!(pod_columns(&pod).status, "Terminating");
        pod.status.container_statuses.clear();
        pod.metadata.deletion_timestamp = None;
        assert_eq!(pod_columns(&pod).status, "Pending");
    }
}
