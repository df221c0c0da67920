//! Shared helpers of the Job scenario tests: a prepared store and pods in a given state.

#![allow(dead_code)]

use kubarium::sim::cluster::Settings;
use kubarium::sim::controllers::SyncReport;
use kubarium::sim::controllers::job::pods::new_job_pod;
use kubarium::sim::model::*;
use kubarium::sim::time::{SimDuration, SimTime};
use kubarium::sim::{DEFAULT_START, Sim};

pub const JOB: &str = "job-controller";

pub fn key() -> ObjectKey {
    ObjectKey::new("default", "foo")
}

pub fn secs(n: i64) -> SimDuration {
    SimDuration::from_secs(n)
}

pub fn at(n: i64) -> SimTime {
    DEFAULT_START + secs(n)
}

/// A cluster with no nodes (pods stay unbound) and instant kubelet timings.
pub fn bare_sim() -> Sim {
    Sim::with_settings(7, Settings::instant())
}

/// `foo` with parallelism and completions (`None` = unset), restartPolicy Never.
pub fn foo(parallelism: Option<i32>, completions: Option<i32>) -> Job {
    let mut job = Job::new("default", "foo", "busybox", &["sleep", "30"]);
    job.spec.parallelism = parallelism;
    job.spec.completions = completions;
    job
}

pub fn add_job(sim: &mut Sim, job: Job) -> Job {
    let now = sim.now();
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create(job, now, &mut cluster.rng)
        .expect("valid job")
}

pub fn job(sim: &Sim) -> Job {
    sim.store().jobs().get(&key()).cloned().expect("job exists")
}

pub fn sync(sim: &mut Sim) -> SyncReport {
    sim.sync_once(JOB, &key()).expect("registered controller")
}

/// State of a hand-made Job pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Running,
    Ready,
    Succeeded,
    Failed(i32),
}

/// Adds a pod of the Job like the controller makes it, in `state`, finished at `now`.
pub fn add_pod(sim: &mut Sim, index: Option<i32>, state: State) -> Pod {
    let job = job(sim);
    let mut pod = new_job_pod(&job, index, None);
    let now = sim.now();
    let terminated = |code: i32| ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: code,
            reason: Some(if code == 0 { "Completed" } else { "Error" }.to_string()),
            message: None,
            started_at: Some(now),
            finished_at: Some(now),
        }),
        ..Default::default()
    };
    let (phase, container) = match state {
        State::Pending => (PodPhase::Pending, ContainerState::default()),
        State::Running | State::Ready => (PodPhase::Running, ContainerState::default()),
        State::Succeeded => (PodPhase::Succeeded, terminated(0)),
        State::Failed(code) => (PodPhase::Failed, terminated(code)),
    };
    pod.status.phase = Some(phase);
    pod.status.container_statuses.push(ContainerStatus {
        name: "main".to_string(),
        state: container,
        ready: state == State::Ready,
        ..Default::default()
    });
    if state == State::Ready {
        pod.set_condition(
            PodConditionType::Ready,
            ConditionStatus::True,
            None,
            None,
            now,
        );
    }
    let cluster = sim.cluster_mut();
    cluster
        .store
        .create(pod, now, &mut cluster.rng)
        .expect("valid pod")
}

/// (type, status, reason, message) of every condition.
pub fn conditions(job: &Job) -> Vec<(JobConditionType, ConditionStatus, String, String)> {
    job.status
        .conditions
        .iter()
        .map(|c| {
            (
                c.type_,
                c.status,
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// Messages of the Events with `reason` about the Job `foo`.
pub fn messages(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .iter()
        .filter(|e| e.event.reason == reason && e.event.involved_object.name == "foo")
        .map(|e| e.event.message.clone())
        .collect()
}

/// The `why` texts of Events with `reason` about the Job `foo`.
pub fn whys(sim: &Sim, reason: &str) -> Vec<String> {
    sim.events()
        .iter()
        .filter(|e| e.event.reason == reason && e.event.involved_object.name == "foo")
        .map(|e| e.why.clone())
        .collect()
}

/// Live pods of the Job (not yet removed), by name.
pub fn pods(sim: &Sim) -> Vec<Pod> {
    sim.store()
        .pods()
        .iter()
        .filter(|p| p.metadata.name.starts_with("foo-"))
        .cloned()
        .collect()
}
