//! The kubelet of every node: runs bound pods' containers on the simulated clock.
//!
//! A bound pod on a running node goes Pending → (ContainerCreating: `Pulling`, `Pulled`,
//! `Created`, `Started`) → Running and Ready. What each container does comes from
//! [`crate::sim::program`]. Containers start one after another as in `SyncPod`; init containers
//! must exit 0 before the next one starts.
//!
//! Restarts: with `restartPolicy: Always` (or `OnFailure` and a non-zero exit) a container is
//! restarted in place. The first restart is immediate; later ones wait in `CrashLoopBackOff`
//! for 10 s, doubling to 300 s, measured from the last exit; the back-off resets once 10 minutes
//! pass without a restart. With `Never` the pod ends `Succeeded` (every container exited 0) or
//! `Failed`.
//!
//! Deletion: a deleted pod's running containers get SIGTERM (`Killing` event) and stop after
//! [`crate::sim::cluster::Settings::container_stop_ms`] (1 s by default) with exit code 143, or
//! are killed with exit code 137 when that exceeds the pod's grace period. The kubelet then sets
//! the terminal phase and removes the pod.
//!
//! # Annotations
//!
//! Pod annotations under `kubarium.dev/` steer the simulated programs:
//!
//! | annotation | effect |
//! |---|---|
//! | `kubarium.dev/run-seconds` | every container run exits after this many seconds |
//! | `kubarium.dev/exit-code` | runs that exit use this exit code |
//! | `kubarium.dev/failure-probability` | each run fails (exit 1) with this probability, 0–1; a run that would never end fails after a uniform 1–60 s |
//! | `kubarium.dev/image-pull-seconds` | image pulls of this pod take exactly this long |
//! | `kubarium.dev/stop-seconds` | containers take this long to exit after SIGTERM |
//!
//! DIVERGENCE: a real kubelet notices container changes through its PLEG relist every second at
//! its own phase; here every kubelet writes container changes at the next multiple of
//! [`crate::sim::cluster::Settings::kubelet_relist_ms`] of the simulated clock, which keeps runs
//! readable and lets controllers see many pods change in one instant. Restarts never pull again,
//! even with `imagePullPolicy: Always`.

use crate::sim::cluster::Cluster;
use crate::sim::events::{EventNote, reference};
use crate::sim::model::{
    ConditionStatus, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStatus, EventType, Object, ObjectKey, Pod, PodConditionType, PodPhase, RestartPolicy,
};
use crate::sim::program::{self, Outcome};
use crate::sim::queue::{KubeletAction, Work};
use crate::sim::store::Change;
use crate::sim::time::{SimDuration, SimTime};
use rand::RngExt;
use std::collections::{BTreeMap, BTreeSet};

/// Annotation: run time override in seconds.
pub const ANNOTATION_RUN_SECONDS: &str = "kubarium.dev/run-seconds";
/// Annotation: exit code override.
pub const ANNOTATION_EXIT_CODE: &str = "kubarium.dev/exit-code";
/// Annotation: probability in 0–1 that a run fails.
pub const ANNOTATION_FAILURE_PROBABILITY: &str = "kubarium.dev/failure-probability";
/// Annotation: image pull time in seconds.
pub const ANNOTATION_IMAGE_PULL_SECONDS: &str = "kubarium.dev/image-pull-seconds";
/// Annotation: time to exit after SIGTERM, in seconds.
pub const ANNOTATION_STOP_SECONDS: &str = "kubarium.dev/stop-seconds";

/// The first restart back-off.
const BACKOFF_INITIAL_MS: i64 = 10_000;
/// The largest restart back-off.
const BACKOFF_MAX_MS: i64 = 300_000;
/// A back-off untouched this long is forgotten (twice the maximum, as `flowcontrol.Backoff`).
const BACKOFF_RESET_MS: i64 = 600_000;
/// Log lines kept per container run.
pub const MAX_LOG_LINES: usize = 1_000;
/// Exit code of a process ended by SIGTERM.
const EXIT_SIGTERM: i32 = 143;
/// Exit code of a process ended by SIGKILL.
const EXIT_SIGKILL: i32 = 137;

/// One container as the runtime sees it.
#[derive(Clone, Debug, Default)]
struct ContainerRuntime {
    name: String,
    image: String,
    is_init: bool,
    /// When the current run started and when it will exit on its own.
    started_at: Option<SimTime>,
    exits_at: Option<(SimTime, i32)>,
    /// `(current back-off, last update)` of the crash-loop back-off.
    backoff: Option<(i64, SimTime)>,
    logs: Vec<(SimTime, String)>,
    previous_logs: Vec<String>,
    pull_started: Option<SimTime>,
    ever_started: bool,
}

/// One pod as its kubelet sees it.
#[derive(Clone, Debug)]
struct PodRuntime {
    key: ObjectKey,
    node: String,
    epoch: u64,
    containers: Vec<ContainerRuntime>,
    admitted: bool,
    terminating: bool,
}

/// The kubelets of all nodes.
#[derive(Clone, Debug, Default)]
pub struct Kubelets {
    pods: BTreeMap<String, PodRuntime>,
    images: BTreeMap<String, BTreeSet<String>>,
    powered_off: BTreeSet<String>,
    next_epoch: u64,
}

impl Kubelets {
    fn new_epoch(&mut self) -> u64 {
        self.next_epoch += 1;
        self.next_epoch
    }

    /// True when `node` is powered off.
    pub fn is_powered_off(&self, node: &str) -> bool {
        self.powered_off.contains(node)
    }

    /// The log lines of `container` in pod `uid` written up to `now`; `previous` gives the last
    /// run before a restart, like `kubectl logs --previous`.
    pub fn logs(
        &self,
        uid: &str,
        container: &str,
        now: SimTime,
        previous: bool,
    ) -> Option<Vec<String>> {
        let runtime = self.pods.get(uid)?;
        let container = runtime.containers.iter().find(|c| c.name == container)?;
        if previous {
            return Some(container.previous_logs.clone());
        }
        let lines = container.logs.iter().filter(|(at, _)| *at <= now);
        Some(lines.map(|(_, line)| line.clone()).collect())
    }

    /// Whether `image` has been pulled on `node`.
    pub fn has_image(&self, node: &str, image: &str) -> bool {
        self.images
            .get(node)
            .is_some_and(|images| images.contains(image))
    }
}

/// Rounds `at` up to the kubelet's relist grid.
fn observed(cluster: &Cluster, at: SimTime) -> SimTime {
    let period = cluster.settings.kubelet_relist_ms;
    if period <= 0 {
        return at;
    }
    let ms = at.unix_ms();
    let up = if ms.rem_euclid(period) == 0 {
        0
    } else {
        period
    };
    SimTime::from_unix_ms(ms.div_euclid(period) * period + up)
}

fn push(cluster: &mut Cluster, due: SimTime, uid: &str, epoch: u64, action: KubeletAction) {
    let due = due.max(cluster.now);
    cluster.queue.push(
        due,
        Work::Kubelet {
            pod_uid: uid.to_string(),
            epoch,
            action,
        },
    );
}

/// Reacts to pod writes: a newly bound pod is admitted, a deleted one is stopped, a removed
/// one is forgotten.
pub fn on_change(cluster: &mut Cluster, change: &Change) {
    let old = match &change.old {
        Some(Object::Pod(pod)) => Some(pod.as_ref()),
        _ => None,
    };
    let new = match &change.new {
        Some(Object::Pod(pod)) => Some(pod.as_ref()),
        None if old.is_some() => None,
        _ => return,
    };
    match (old, new) {
        (_, None) => {
            if let Some(old) = old {
                cluster.kubelets.pods.remove(&old.metadata.uid);
            }
        }
        (old, Some(pod)) => {
            let newly_bound =
                pod.node_name().is_some() && old.is_none_or(|o| o.node_name().is_none());
            if newly_bound && !cluster.kubelets.pods.contains_key(&pod.metadata.uid) {
                register(cluster, pod);
            }
            let newly_deleted = pod.metadata.deletion_timestamp.is_some()
                && old.is_none_or(|o| o.metadata.deletion_timestamp.is_none());
            if newly_deleted {
                begin_termination(cluster, &pod.metadata.uid);
            }
        }
    }
}

/// Creates the runtime of a newly bound pod and admits it if its node runs.
fn register(cluster: &mut Cluster, pod: &Pod) {
    let Some(node) = pod.node_name() else { return };
    let containers = pod
        .spec
        .init_containers
        .iter()
        .map(|c| (c, true))
        .chain(pod.spec.containers.iter().map(|c| (c, false)))
        .map(|(c, is_init)| ContainerRuntime {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            is_init,
            ..Default::default()
        })
        .collect();
    let epoch = cluster.kubelets.new_epoch();
    let runtime = PodRuntime {
        key: pod.metadata.key(),
        node: node.to_string(),
        epoch,
        containers,
        admitted: false,
        terminating: false,
    };
    let uid = pod.metadata.uid.clone();
    let powered = !cluster.kubelets.is_powered_off(node);
    cluster.kubelets.pods.insert(uid.clone(), runtime);
    if powered && pod.metadata.deletion_timestamp.is_none() {
        push(cluster, cluster.now, &uid, epoch, KubeletAction::Admit);
    }
}

/// Queues SIGTERM for a deleted pod, invalidating its other pending steps.
fn begin_termination(cluster: &mut Cluster, uid: &str) {
    let epoch = cluster.kubelets.new_epoch();
    let Some(runtime) = cluster.kubelets.pods.get_mut(uid) else {
        return;
    };
    runtime.epoch = epoch;
    let node = runtime.node.clone();
    if !cluster.kubelets.is_powered_off(&node) {
        push(cluster, cluster.now, uid, epoch, KubeletAction::Terminate);
    }
}

/// Processes one kubelet step; steps of an older epoch, of a powered-off node or of a pod that
/// was replaced are ignored.
pub fn handle(cluster: &mut Cluster, uid: &str, epoch: u64, action: KubeletAction) {
    let Some(runtime) = cluster.kubelets.pods.get(uid) else {
        return;
    };
    if runtime.epoch != epoch || cluster.kubelets.is_powered_off(&runtime.node) {
        return;
    }
    let key = runtime.key.clone();
    let stored = cluster
        .store
        .pods()
        .get(&key)
        .filter(|p| p.metadata.uid == uid);
    let Some(pod) = stored.cloned() else { return };
    match action {
        KubeletAction::Admit => admit(cluster, &pod),
        KubeletAction::Pull(index) => pull(cluster, &pod, index),
        KubeletAction::Pulled(index) => pulled(cluster, &pod, index),
        KubeletAction::Started(index) => started(cluster, &pod, index),
        KubeletAction::Exited(index) => exited(cluster, &pod, index),
        KubeletAction::Restart(index) => restart(cluster, &pod, index),
        KubeletAction::Terminate => terminate(cluster, &pod),
        KubeletAction::Terminated => terminated(cluster, &pod),
    }
}

fn runtime<'a>(cluster: &'a Cluster, pod: &Pod) -> Option<&'a PodRuntime> {
    cluster.kubelets.pods.get(&pod.metadata.uid)
}

fn runtime_mut<'a>(cluster: &'a mut Cluster, pod: &Pod) -> Option<&'a mut PodRuntime> {
    cluster.kubelets.pods.get_mut(&pod.metadata.uid)
}

/// Records a kubelet event about `pod`.
fn event(
    cluster: &mut Cluster,
    pod: &Pod,
    type_: EventType,
    reason: &str,
    message: String,
    why: String,
) {
    let host = pod.node_name().unwrap_or_default().to_string();
    let note = EventNote {
        object: reference("Pod", "v1", &pod.metadata),
        type_,
        reason: reason.to_string(),
        message,
        component: "kubelet",
        host,
        why,
    };
    cluster.record(note);
}

/// The status entry of runtime container `index` (init containers come first).
fn status_mut(pod: &mut Pod, index: usize) -> Option<&mut ContainerStatus> {
    let init_count = pod.spec.init_containers.len();
    if index < init_count {
        pod.status.init_container_statuses.get_mut(index)
    } else {
        pod.status.container_statuses.get_mut(index - init_count)
    }
}

fn status_of(pod: &Pod, index: usize) -> Option<&ContainerStatus> {
    let all = pod
        .status
        .init_container_statuses
        .iter()
        .chain(&pod.status.container_statuses);
    all.clone().nth(index)
}

/// Accepts the pod: start time, initial conditions, waiting container statuses.
fn admit(cluster: &mut Cluster, pod: &Pod) {
    let now = cluster.now;
    let has_init = !pod.spec.init_containers.is_empty();
    let waiting = |reason: &str, c: &crate::sim::model::Container| ContainerStatus {
        name: c.name.clone(),
        state: ContainerState::waiting(reason, None),
        image: c.image.clone().unwrap_or_default(),
        started: Some(false),
        ..Default::default()
    };
    let app_reason = if has_init {
        "PodInitializing"
    } else {
        "ContainerCreating"
    };
    let init_statuses: Vec<ContainerStatus> = pod
        .spec
        .init_containers
        .iter()
        .map(|c| waiting("PodInitializing", c))
        .collect();
    let app_statuses: Vec<ContainerStatus> = pod
        .spec
        .containers
        .iter()
        .map(|c| waiting(app_reason, c))
        .collect();
    let _ = cluster.store.modify::<Pod>(&pod.metadata.key(), |p| {
        p.status.phase = Some(PodPhase::Pending);
        p.status.start_time.get_or_insert(now);
        p.status.init_container_statuses = init_statuses;
        p.status.container_statuses = app_statuses;
        refresh_conditions(p, now);
    });
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    runtime.admitted = true;
    let epoch = runtime.epoch;
    if !runtime.containers.is_empty() {
        push(
            cluster,
            now,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Pull(0),
        );
    }
}

fn annotation<T: std::str::FromStr>(pod: &Pod, key: &str) -> Option<T> {
    pod.metadata
        .annotations
        .get(key)
        .and_then(|v| v.trim().parse().ok())
}

/// Starts the image pull of container `index`, or skips it when the image is present.
fn pull(cluster: &mut Cluster, pod: &Pod, index: usize) {
    let Some(runtime) = runtime(cluster, pod) else {
        return;
    };
    let Some(container) = runtime.containers.get(index) else {
        return;
    };
    let (image, node, epoch) = (container.image.clone(), runtime.node.clone(), runtime.epoch);
    let name = container.name.clone();
    let spec = pod
        .spec
        .init_containers
        .iter()
        .chain(pod.spec.containers.iter())
        .nth(index);
    let always = spec.and_then(|c| c.image_pull_policy.as_deref()) == Some("Always");
    let start_ms = cluster.settings.container_start_ms;
    if cluster.kubelets.has_image(&node, &image) && !always {
        let why = format!("{node} already has {image} from an earlier pod, so no pull was needed");
        let message = format!("Container image {image:?} already present on machine");
        event(cluster, pod, EventType::Normal, "Pulled", message, why);
        let due = observed(cluster, cluster.now + SimDuration::from_ms(start_ms));
        push(
            cluster,
            due,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Started(index),
        );
        return;
    }
    let pull_ms = match annotation::<f64>(pod, ANNOTATION_IMAGE_PULL_SECONDS) {
        Some(secs) if secs >= 0.0 => (secs * 1000.0).round() as i64,
        _ => {
            let (min, max) = (
                cluster.settings.image_pull_min_ms,
                cluster.settings.image_pull_max_ms,
            );
            cluster.jitter_ms(min, max)
        }
    };
    let why = format!("the kubelet on {node} needs {image} before it can start container {name}");
    event(
        cluster,
        pod,
        EventType::Normal,
        "Pulling",
        format!("Pulling image {image:?}"),
        why,
    );
    let now = cluster.now;
    if let Some(c) = runtime_mut(cluster, pod).and_then(|r| r.containers.get_mut(index)) {
        c.pull_started = Some(now);
    }
    let due = now + SimDuration::from_ms(pull_ms);
    push(
        cluster,
        due,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Pulled(index),
    );
}

/// Formats a duration like Go's `time.Duration.String` (`500ms`, `2.345s`, `5m0s`).
fn go_duration(ms: i64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (hours, minutes) = (ms / 3_600_000, (ms / 60_000) % 60);
    let secs = format!("{:.3}", (ms % 60_000) as f64 / 1000.0);
    let secs = secs.trim_end_matches('0').trim_end_matches('.');
    match (hours, minutes) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// The image is on the node: record the pull and start the container after the start delay.
fn pulled(cluster: &mut Cluster, pod: &Pod, index: usize) {
    let Some(runtime) = runtime(cluster, pod) else {
        return;
    };
    let Some(container) = runtime.containers.get(index) else {
        return;
    };
    let (image, node, epoch) = (container.image.clone(), runtime.node.clone(), runtime.epoch);
    let waited_ms = container
        .pull_started
        .map_or(0, |at| (cluster.now - at).as_ms());
    cluster
        .kubelets
        .images
        .entry(node.clone())
        .or_default()
        .insert(image.clone());
    let took = go_duration(waited_ms);
    let why = format!("{node} finished downloading {image}");
    let message =
        format!("Successfully pulled image {image:?} in {took} ({took} including waiting)");
    event(cluster, pod, EventType::Normal, "Pulled", message, why);
    let start_ms = cluster.settings.container_start_ms;
    let due = observed(cluster, cluster.now + SimDuration::from_ms(start_ms));
    push(
        cluster,
        due,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Started(index),
    );
}

/// Decides how the run of container `index` that starts now behaves, from its command and the
/// pod's `kubarium.dev/` annotations.
fn plan_run(cluster: &mut Cluster, pod: &Pod, index: usize) -> program::Run {
    let spec = pod
        .spec
        .init_containers
        .iter()
        .chain(pod.spec.containers.iter())
        .nth(index);
    let Some(spec) = spec else {
        return program::Run {
            output: Vec::new(),
            outcome: Outcome::RunsForever,
        };
    };
    let image = spec.image.clone().unwrap_or_default();
    let mut run = program::interpret(&image, &spec.command, &spec.args, cluster.now);
    let own_code = match run.outcome {
        Outcome::Exits { exit_code, .. } => exit_code,
        Outcome::RunsForever => 0,
    };
    if let Some(secs) = annotation::<f64>(pod, ANNOTATION_RUN_SECONDS).filter(|s| *s >= 0.0) {
        let after_ms = (secs * 1000.0).round() as i64;
        run.outcome = Outcome::Exits {
            after_ms,
            exit_code: own_code,
        };
    }
    if let (Some(code), Outcome::Exits { after_ms, .. }) =
        (annotation::<i32>(pod, ANNOTATION_EXIT_CODE), &run.outcome)
    {
        run.outcome = Outcome::Exits {
            after_ms: *after_ms,
            exit_code: code,
        };
    }
    let failure = annotation::<f64>(pod, ANNOTATION_FAILURE_PROBABILITY).filter(|p| *p > 0.0);
    if let Some(p) = failure
        && cluster.rng.random_bool(p.min(1.0))
    {
        let after_ms = match run.outcome {
            Outcome::Exits { after_ms, .. } => after_ms,
            Outcome::RunsForever => cluster.jitter_ms(1_000, 60_000),
        };
        run.outcome = Outcome::Exits {
            after_ms,
            exit_code: 1,
        };
    }
    run
}

/// Container `index` is running: record it, plan its exit and start the next container.
fn started(cluster: &mut Cluster, pod: &Pod, index: usize) {
    let now = cluster.now;
    let run = plan_run(cluster, pod, index);
    let exits_at = match run.outcome {
        Outcome::Exits {
            after_ms,
            exit_code,
        } => Some((
            observed(cluster, now + SimDuration::from_ms(after_ms)),
            exit_code,
        )),
        Outcome::RunsForever => None,
    };
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    let (epoch, node) = (runtime.epoch, runtime.node.clone());
    let next_first_start = runtime
        .containers
        .get(index + 1)
        .is_some_and(|c| !c.ever_started && !c.is_init);
    let Some(container) = runtime.containers.get_mut(index) else {
        return;
    };
    let is_init = container.is_init;
    let first_start = !container.ever_started;
    container.ever_started = true;
    container.started_at = Some(now);
    container.exits_at = exits_at;
    let end = exits_at.map(|(at, _)| at);
    container.logs = run
        .output
        .iter()
        .map(|(offset, line)| (now + SimDuration::from_ms(*offset), line.clone()))
        .filter(|(at, _)| end.is_none_or(|end| *at <= end))
        .collect();
    trim_logs(&mut container.logs);
    let name = container.name.clone();
    let _ = cluster.store.modify::<Pod>(&pod.metadata.key(), |p| {
        if let Some(status) = status_mut(p, index) {
            let running = ContainerStateRunning {
                started_at: Some(now),
            };
            status.state = ContainerState {
                running: Some(running),
                ..Default::default()
            };
            status.ready = !is_init;
            status.started = Some(true);
        }
        refresh_phase(p, now);
    });
    let why = format!("the image is on {node}, so the kubelet created and started {name}");
    let created = format!("Created container {name}");
    event(
        cluster,
        pod,
        EventType::Normal,
        "Created",
        created,
        why.clone(),
    );
    event(
        cluster,
        pod,
        EventType::Normal,
        "Started",
        format!("Started container {name}"),
        why,
    );
    if let Some((at, _)) = exits_at {
        push(
            cluster,
            at,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Exited(index),
        );
    }
    if first_start && next_first_start {
        push(
            cluster,
            now,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Pull(index + 1),
        );
    }
}

fn trim_logs(logs: &mut Vec<(SimTime, String)>) {
    if logs.len() > MAX_LOG_LINES {
        logs.drain(..logs.len() - MAX_LOG_LINES);
    }
}

/// Whether a container that exited with `code` is restarted under `policy`.
fn restarts(policy: RestartPolicy, code: i32) -> bool {
    match policy {
        RestartPolicy::Always => true,
        RestartPolicy::OnFailure => code != 0,
        RestartPolicy::Never => false,
    }
}

/// Container `index` exited on its own (or was lost with its node).
fn exited(cluster: &mut Cluster, pod: &Pod, index: usize) {
    let now = cluster.now;
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    let epoch = runtime.epoch;
    let next_unstarted = runtime
        .containers
        .get(index + 1)
        .is_some_and(|c| !c.ever_started);
    let Some(container) = runtime.containers.get_mut(index) else {
        return;
    };
    let Some((_, code)) = container.exits_at.take() else {
        return;
    };
    let (is_init, started_at) = (container.is_init, container.started_at);
    let name = container.name.clone();
    let reason = match code {
        0 => "Completed",
        255 => "Unknown",
        _ => "Error",
    };
    let terminated = ContainerStateTerminated {
        exit_code: code,
        reason: Some(reason.to_string()),
        message: None,
        started_at,
        finished_at: Some(now),
    };
    let _ = cluster.store.modify::<Pod>(&pod.metadata.key(), |p| {
        if let Some(status) = status_mut(p, index) {
            status.state = ContainerState {
                terminated: Some(terminated),
                ..Default::default()
            };
            status.ready = false;
        }
        refresh_phase(p, now);
    });
    let policy = pod.spec.restart_policy();
    if is_init && code == 0 {
        if next_unstarted {
            push(
                cluster,
                now,
                &pod.metadata.uid,
                epoch,
                KubeletAction::Pull(index + 1),
            );
        }
        return;
    }
    // Init containers restart on failure under both Always and OnFailure.
    let restart = if is_init {
        code != 0 && policy != RestartPolicy::Never
    } else {
        restarts(policy, code)
    };
    if restart {
        schedule_restart(cluster, pod, index, &name);
    }
}

/// Queues the restart of container `index`, in CrashLoopBackOff unless the back-off is fresh.
fn schedule_restart(cluster: &mut Cluster, pod: &Pod, index: usize, name: &str) {
    let now = cluster.now;
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    let epoch = runtime.epoch;
    let Some(container) = runtime.containers.get_mut(index) else {
        return;
    };
    let current = container
        .backoff
        .filter(|(_, updated)| (now - *updated).as_ms() <= BACKOFF_RESET_MS);
    let Some((backoff_ms, _)) = current else {
        container.backoff = None;
        push(
            cluster,
            now,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Restart(index),
        );
        return;
    };
    let pod_ref = format!(
        "{}_{}({})",
        pod.metadata.name, pod.metadata.namespace, pod.metadata.uid
    );
    let wait = go_duration(backoff_ms);
    let message = format!("back-off {wait} restarting failed container={name} pod={pod_ref}");
    let _ = cluster.store.modify::<Pod>(&pod.metadata.key(), |p| {
        if let Some(status) = status_mut(p, index) {
            status.last_state = std::mem::take(&mut status.state);
            status.state = ContainerState::waiting("CrashLoopBackOff", Some(message));
        }
        refresh_phase(p, now);
    });
    let why = format!(
        "{name} keeps exiting, so the kubelet waits {wait} before restarting it (the wait doubles \
         up to 5m0s)"
    );
    let text = format!("Back-off restarting failed container {name} in pod {pod_ref}");
    event(cluster, pod, EventType::Warning, "BackOff", text, why);
    let due = now + SimDuration::from_ms(backoff_ms);
    push(
        cluster,
        due,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Restart(index),
    );
}

/// Restarts container `index` in place: restart count up, previous run kept as `lastState`.
fn restart(cluster: &mut Cluster, pod: &Pod, index: usize) {
    let now = cluster.now;
    let start_ms = cluster.settings.container_start_ms;
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    let epoch = runtime.epoch;
    let Some(container) = runtime.containers.get_mut(index) else {
        return;
    };
    container.backoff = Some(match container.backoff {
        Some((ms, _)) => ((ms * 2).min(BACKOFF_MAX_MS), now),
        None => (BACKOFF_INITIAL_MS, now),
    });
    container.previous_logs = container.logs.drain(..).map(|(_, line)| line).collect();
    let image = container.image.clone();
    let _ = cluster.store.modify::<Pod>(&pod.metadata.key(), |p| {
        if let Some(status) = status_mut(p, index) {
            if status.state.terminated.is_some() {
                status.last_state = std::mem::take(&mut status.state);
            }
            status.restart_count += 1;
            status.state = ContainerState::waiting("ContainerCreating", None);
        }
    });
    let why = format!("the image {image} is already on the node, so the restart needs no pull");
    let message = format!("Container image {image:?} already present on machine");
    event(cluster, pod, EventType::Normal, "Pulled", message, why);
    let due = observed(cluster, now + SimDuration::from_ms(start_ms));
    push(
        cluster,
        due,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Started(index),
    );
}

/// SIGTERM to every running container of a deleted pod; they stop after the stop delay, or are
/// killed when the grace period runs out first.
fn terminate(cluster: &mut Cluster, pod: &Pod) {
    let now = cluster.now;
    let grace_ms = pod
        .metadata
        .deletion_grace_period_seconds
        .unwrap_or(0)
        .max(0)
        * 1000;
    let stop_ms = match annotation::<f64>(pod, ANNOTATION_STOP_SECONDS) {
        Some(secs) if secs >= 0.0 => (secs * 1000.0).round() as i64,
        _ => cluster.settings.container_stop_ms,
    };
    let (stop_after_ms, code) = if stop_ms > grace_ms {
        (grace_ms, EXIT_SIGKILL)
    } else {
        (stop_ms, EXIT_SIGTERM)
    };
    let running: Vec<usize> = running_indexes(pod);
    let due = observed(cluster, now + SimDuration::from_ms(stop_after_ms));
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    runtime.terminating = true;
    let epoch = runtime.epoch;
    let mut names = Vec::new();
    for &index in &running {
        if let Some(container) = runtime.containers.get_mut(index) {
            container.exits_at = Some((due, code));
            container.logs.retain(|(at, _)| *at <= due);
            names.push(container.name.clone());
        }
    }
    for name in names {
        let why = format!(
            "{} was deleted, so the kubelet asked container {name} to stop",
            pod.metadata.name
        );
        let message = format!("Stopping container {name}");
        event(cluster, pod, EventType::Normal, "Killing", message, why);
    }
    let due = if running.is_empty() { now } else { due };
    push(
        cluster,
        due,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Terminated,
    );
}

fn running_indexes(pod: &Pod) -> Vec<usize> {
    let all = pod
        .status
        .init_container_statuses
        .iter()
        .chain(&pod.status.container_statuses);
    all.enumerate()
        .filter(|(_, s)| s.state.running.is_some())
        .map(|(i, _)| i)
        .collect()
}

/// The containers of a deleted pod have stopped: write the terminal phase, then remove the pod.
fn terminated(cluster: &mut Cluster, pod: &Pod) {
    let now = cluster.now;
    let (exits, starts): (Vec<_>, Vec<_>) = runtime(cluster, pod)
        .map(|r| {
            r.containers
                .iter()
                .map(|c| (c.exits_at, c.started_at))
                .unzip()
        })
        .unwrap_or_default();
    let key = pod.metadata.key();
    let _ = cluster.store.modify::<Pod>(&key, |p| {
        for (index, exit) in exits.iter().enumerate() {
            let Some((_, code)) = exit else { continue };
            let Some(status) = status_mut(p, index).filter(|s| s.state.running.is_some()) else {
                continue;
            };
            let terminated = ContainerStateTerminated {
                exit_code: *code,
                reason: Some(if *code == 0 { "Completed" } else { "Error" }.to_string()),
                message: None,
                started_at: starts.get(index).copied().flatten(),
                finished_at: Some(now),
            };
            status.state = ContainerState {
                terminated: Some(terminated),
                ..Default::default()
            };
            status.ready = false;
        }
        if !p.phase().is_terminal() {
            let statuses = &p.status.container_statuses;
            let failed = statuses
                .iter()
                .any(|s| s.state.terminated.as_ref().is_none_or(|t| t.exit_code != 0));
            p.status.phase = Some(if failed {
                PodPhase::Failed
            } else {
                PodPhase::Succeeded
            });
        }
        refresh_conditions(p, now);
    });
    let _ = cluster.store.delete::<Pod>(&key, now, Some(0));
}

/// Recomputes the phase like the kubelet's `getPhase`, then the conditions.
fn refresh_phase(pod: &mut Pod, now: SimTime) {
    if !pod.phase().is_terminal() {
        pod.status.phase = Some(phase_of(pod));
    }
    refresh_conditions(pod, now);
}

fn phase_of(pod: &Pod) -> PodPhase {
    let exit_code = |s: &ContainerStatus| s.state.terminated.as_ref().map(|t| t.exit_code);
    let inits = &pod.status.init_container_statuses;
    let init_done = inits.iter().all(|s| exit_code(s) == Some(0));
    let statuses = &pod.status.container_statuses;
    let running = statuses
        .iter()
        .filter(|s| s.state.running.is_some())
        .count();
    let initial_waiting = statuses
        .iter()
        .filter(|s| s.state.waiting.is_some() && s.restart_count == 0 && s.last_state.is_empty())
        .count();
    let stopped = statuses
        .iter()
        .filter(|s| s.state.terminated.is_some())
        .count();
    let succeeded = statuses.iter().filter(|s| exit_code(s) == Some(0)).count();
    let policy = pod.spec.restart_policy();
    let init_failed = policy == RestartPolicy::Never
        && inits.iter().any(|s| exit_code(s).is_some_and(|c| c != 0));
    if init_failed {
        PodPhase::Failed
    } else if !init_done || initial_waiting > 0 {
        PodPhase::Pending
    } else if running > 0 || stopped < statuses.len() {
        PodPhase::Running
    } else {
        match policy {
            RestartPolicy::Always => PodPhase::Running,
            RestartPolicy::OnFailure if stopped == succeeded => PodPhase::Succeeded,
            RestartPolicy::OnFailure => PodPhase::Running,
            RestartPolicy::Never if stopped == succeeded => PodPhase::Succeeded,
            RestartPolicy::Never => PodPhase::Failed,
        }
    }
}

/// Initialized, ContainersReady and Ready from the container statuses.
fn refresh_conditions(pod: &mut Pod, now: SimTime) {
    let pending_init: Vec<String> = pod
        .status
        .init_container_statuses
        .iter()
        .filter(|s| s.state.terminated.as_ref().is_none_or(|t| t.exit_code != 0))
        .map(|s| s.name.clone())
        .collect();
    let statuses = &pod.status.container_statuses;
    let unready: Vec<String> = statuses
        .iter()
        .filter(|s| !s.ready)
        .map(|s| s.name.clone())
        .collect();
    let terminal = pod.phase().is_terminal();
    let status_of = |ok: bool| {
        if ok {
            ConditionStatus::True
        } else {
            ConditionStatus::False
        }
    };
    let initialized = pending_init.is_empty();
    let init_message = (!initialized).then(|| {
        format!(
            "containers with incomplete status: [{}]",
            pending_init.join(" ")
        )
    });
    let init_reason = (!initialized).then_some("ContainersNotInitialized");
    pod.set_condition(
        PodConditionType::Initialized,
        status_of(initialized),
        init_reason,
        init_message,
        now,
    );
    let ready = unready.is_empty() && !terminal;
    let (reason, message) = if ready {
        (None, None)
    } else if terminal {
        (Some("PodCompleted"), None)
    } else {
        let message = format!("containers with unready status: [{}]", unready.join(" "));
        (Some("ContainersNotReady"), Some(message))
    };
    let (cr, r) = (PodConditionType::ContainersReady, PodConditionType::Ready);
    pod.set_condition(cr, status_of(ready), reason, message.clone(), now);
    pod.set_condition(r, status_of(ready), reason, message, now);
}

/// Powers `node` off: its kubelet stops acting and queued steps of its pods become stale. The
/// API keeps showing the pods as they were until the node controller notices.
pub fn power_off(cluster: &mut Cluster, node: &str) {
    cluster.kubelets.powered_off.insert(node.to_string());
    let uids: Vec<String> = cluster
        .kubelets
        .pods
        .iter()
        .filter(|(_, r)| r.node == node)
        .map(|(u, _)| u.clone())
        .collect();
    for uid in uids {
        let epoch = cluster.kubelets.new_epoch();
        if let Some(runtime) = cluster.kubelets.pods.get_mut(&uid) {
            runtime.epoch = epoch;
        }
    }
}

/// Powers `node` back on: deleted pods finish terminating, containers that were running when
/// the power went are treated as exited with code 255 (`Unknown`) and restarted per policy, and
/// pods never started are admitted.
pub fn power_on(cluster: &mut Cluster, node: &str) {
    cluster.kubelets.powered_off.remove(node);
    let keys: Vec<ObjectKey> = cluster.store.pods_on_node(node).cloned().collect();
    for key in keys {
        let Some(pod) = cluster.store.pods().get(&key).cloned() else {
            continue;
        };
        if !cluster.kubelets.pods.contains_key(&pod.metadata.uid) {
            register(cluster, &pod);
            continue;
        }
        let epoch = cluster.kubelets.new_epoch();
        let now = cluster.now;
        let uid = pod.metadata.uid.clone();
        let Some(runtime) = cluster.kubelets.pods.get_mut(&uid) else {
            continue;
        };
        runtime.epoch = epoch;
        let never_started = !runtime.admitted || !runtime.containers.iter().any(|c| c.ever_started);
        if pod.metadata.deletion_timestamp.is_some() {
            push(cluster, now, &uid, epoch, KubeletAction::Terminate);
        } else if never_started {
            push(cluster, now, &uid, epoch, KubeletAction::Admit);
        } else if !pod.phase().is_terminal() {
            lose_running_containers(cluster, &pod, epoch);
        }
    }
}

/// Marks the containers that were running when the power went as exited with code 255.
fn lose_running_containers(cluster: &mut Cluster, pod: &Pod, epoch: u64) {
    let now = cluster.now;
    let running = running_indexes(pod);
    let Some(runtime) = runtime_mut(cluster, pod) else {
        return;
    };
    for &index in &running {
        if let Some(container) = runtime.containers.get_mut(index) {
            container.exits_at = Some((now, 255));
        }
    }
    for index in running {
        push(
            cluster,
            now,
            &pod.metadata.uid,
            epoch,
            KubeletAction::Exited(index),
        );
    }
}

/// Makes a running container of `key` exit with `code` now (the `KillContainer` command).
pub fn kill_container(
    cluster: &mut Cluster,
    key: &ObjectKey,
    container: Option<&str>,
    code: i32,
) -> Result<(), String> {
    let pod = cluster.store.pods().get(key).cloned();
    let pod = pod.ok_or_else(|| format!("pods {:?} not found", key.name))?;
    let now = cluster.now;
    let Some(runtime) = runtime_mut(cluster, &pod) else {
        return Err(format!("pod {:?} is not running on any node", key.name));
    };
    let index = match container {
        Some(name) => runtime.containers.iter().position(|c| c.name == name),
        None => runtime.containers.iter().position(|c| !c.is_init),
    };
    let Some(index) = index else {
        let name = container.unwrap_or("");
        return Err(format!(
            "container {name:?} is not valid for pod {:?}",
            key.name
        ));
    };
    let is_running = status_of(&pod, index).is_some_and(|s| s.state.running.is_some());
    if !is_running || runtime.terminating {
        let name = &runtime.containers[index].name;
        return Err(format!(
            "container {name:?} of pod {:?} is not running",
            key.name
        ));
    }
    let epoch = runtime.epoch;
    runtime.containers[index].exits_at = Some((now, code));
    runtime.containers[index].logs.retain(|(at, _)| *at <= now);
    push(
        cluster,
        now,
        &pod.metadata.uid,
        epoch,
        KubeletAction::Exited(index),
    );
    Ok(())
}

/// Sets the pod's phase to Failed and stops its kubelet from acting on it (the
/// `MarkPodFailed` command; upstream tests do the same to a fake pod).
pub fn mark_failed(
    cluster: &mut Cluster,
    key: &ObjectKey,
) -> Result<(), crate::sim::store::ApiError> {
    let now = cluster.now;
    let pod = cluster.store.modify::<Pod>(key, |p| {
        p.status.phase = Some(PodPhase::Failed);
        for status in &mut p.status.container_statuses {
            if let Some(running) = status.state.running.take() {
                status.state.terminated = Some(ContainerStateTerminated {
                    exit_code: 1,
                    reason: Some("Error".to_string()),
                    message: None,
                    started_at: running.started_at,
                    finished_at: Some(now),
                });
            }
            status.ready = false;
        }
        refresh_conditions(p, now);
    })?;
    let epoch = cluster.kubelets.new_epoch();
    if let Some(runtime) = cluster.kubelets.pods.get_mut(&pod.metadata.uid) {
        runtime.epoch = epoch;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(500), "500ms");
        assert_eq!(go_duration(2_345), "2.345s");
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(160_000), "2m40s");
        assert_eq!(go_duration(300_000), "5m0s");
    }

    #[test]
    fn restart_policy_decides_restarts() {
        assert!(restarts(RestartPolicy::Always, 0));
        assert!(restarts(RestartPolicy::OnFailure, 1));
        assert!(!restarts(RestartPolicy::OnFailure, 0));
        assert!(!restarts(RestartPolicy::Never, 1));
    }
}
