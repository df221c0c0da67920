//! Scenarios: a cluster, its workloads and a timeline of actions, in one multi-document YAML
//! file. The playground saves, loads and shares the same format; the CLI runs it headless.
//!
//! # Format
//!
//! Ordinary manifests (any kind the simulated API server serves) plus exactly one document of
//! kind `Scenario`:
//!
//! ```yaml
//! apiVersion: kubarium.dev/v1alpha1
//! kind: Scenario
//! metadata:
//!   name: demo
//! spec:
//!   startTime: "2024-01-01T00:00:00Z"  # RFC 3339; the simulated clock starts here
//!   seed: 42                           # the one random source; same seed, same run
//!   timeZone: UTC                      # kube-controller-manager's zone (CronJobs without one)
//!   kubelet:                           # Go durations; zero gives exact timings
//!     imagePullMin: 1s
//!     imagePullMax: 3s
//!     containerStart: 0s
//!   nodes:                             # optional shorthand; Node manifests work too
//!     controlPlanes: 1                 # `control-plane`, or `control-plane-1`, ... when several
//!     workers: 3                       # `worker-1`, `worker-2`, ...
//!     namePrefix: ""                   # put before every generated node name
//!     labels: {disk: ssd}              # added to workers
//!     taints: []                       # added to workers, as in Node `spec.taints`
//!     capacity: {cpu: "4", memory: 16Gi, pods: 110}
//!   include: [fluentd.yaml]            # more manifest files, resolved by the loader
//!   timeline:                          # at simulated offsets from startTime (Go durations)
//!   - at: 90s
//!     kubectl: get pods -o wide        # any kubectl command line; `stdin:` feeds `-f -`
//!   - at: 5m
//!     stopNode: worker-2
//!   - at: 7m
//!     startNode: worker-2
//!   - at: 8m
//!     crashContainer: {pod: web-0, namespace: default, container: web, exitCode: 137}
//!   - at: 9m
//!     addNodes: {count: 2}
//! ```
//!
//! Control-plane nodes carry the `node-role.kubernetes.io/control-plane` label and the
//! `node-role.kubernetes.io/control-plane:NoSchedule` taint, as kubeadm sets them. Manifests
//! are applied in file order at `startTime`; a manifest of a kind the cluster does not serve is
//! skipped and reported in [`LoadReport::skipped`] with kubectl's message (a real `kubectl apply`
//! of a multi-document file applies the rest too).

pub mod duration;
mod export;
pub mod report;

pub use duration::{format_duration, parse_duration};

use crate::kubectl;
use crate::manifest::{self, ManifestError};
use crate::sim::Sim;
use crate::sim::cluster::Settings;
use crate::sim::command::Command;
use crate::sim::model::{Node, Taint, TaintEffect, node::LABEL_CONTROL_PLANE};
use crate::sim::time::{SimDuration, SimTime};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The API version of the Scenario document.
pub const API_VERSION: &str = "kubarium.dev/v1alpha1";

/// At most this many timeline actions, so a shared scenario cannot make a run unbounded.
pub const MAX_ACTIONS: usize = 10_000;

/// At most this many nodes from the shorthand and `addNodes`.
pub const MAX_NODES: u32 = 5_000;

/// The playground's default scenario (manifests by `include`, see [`embedded`]).
pub const DEFAULT: &str = include_str!("../scenarios/default.yaml");

/// The example manifests shipped in the binary, by file name, for `include` without a
/// filesystem (the browser).
pub fn embedded(name: &str) -> Result<String, String> {
    let text = match name {
        "fluentd-elasticsearch.yaml" => include_str!("../scenarios/fluentd-elasticsearch.yaml"),
        "pi-job.yaml" => include_str!("../scenarios/pi-job.yaml"),
        "hello-cronjob.yaml" => include_str!("../scenarios/hello-cronjob.yaml"),
        "nginx-deployment.yaml" => include_str!("../scenarios/nginx-deployment.yaml"),
        other => return Err(format!("include: no embedded file named {other:?}")),
    };
    Ok(text.to_string())
}

/// Why a scenario could not be read or run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScenarioError {}

fn err<T>(message: impl Into<String>) -> Result<T, ScenarioError> {
    Err(ScenarioError(message.into()))
}

/// The `spec` of the Scenario document as written.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SpecDoc {
    start_time: Option<String>,
    seed: Option<u64>,
    time_zone: Option<String>,
    #[serde(default)]
    kubelet: KubeletDoc,
    nodes: Option<NodeShorthand>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    timeline: Vec<ActionDoc>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KubeletDoc {
    image_pull_min: Option<String>,
    image_pull_max: Option<String>,
    container_start: Option<String>,
}

/// The node shorthand of a scenario.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeShorthand {
    /// How many control-plane nodes (tainted NoSchedule).
    #[serde(default)]
    pub control_planes: u32,
    /// How many worker nodes.
    #[serde(default)]
    pub workers: u32,
    /// Put before every generated name.
    #[serde(default)]
    pub name_prefix: String,
    /// Labels added to workers.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Taints added to workers.
    #[serde(default)]
    pub taints: Vec<Taint>,
    /// Capacity of every node: `cpu`, `memory`, `pods`.
    #[serde(default)]
    pub capacity: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActionDoc {
    at: String,
    kubectl: Option<String>,
    stdin: Option<String>,
    stop_node: Option<String>,
    start_node: Option<String>,
    crash_container: Option<CrashDoc>,
    add_nodes: Option<AddNodesDoc>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CrashDoc {
    pod: String,
    #[serde(default = "default_namespace")]
    namespace: String,
    container: Option<String>,
    #[serde(default = "default_exit_code")]
    exit_code: i32,
}

fn default_namespace() -> String {
    "default".to_string()
}

fn default_exit_code() -> i32 {
    1
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddNodesDoc {
    count: u32,
}

/// What a timeline entry does.
#[derive(Clone, Debug, PartialEq)]
pub enum Verb {
    /// Run a kubectl command line, with optional text for `-f -`.
    Kubectl {
        /// The command line.
        line: String,
        /// Text for `-f -`.
        stdin: Option<String>,
    },
    /// Power a node off.
    StopNode(String),
    /// Power a node on.
    StartNode(String),
    /// Make a running container exit with a code.
    CrashContainer {
        /// Namespace of the pod.
        namespace: String,
        /// Pod name.
        pod: String,
        /// Container name; the first when absent.
        container: Option<String>,
        /// Exit code.
        exit_code: i32,
    },
    /// Add this many workers like the shorthand's.
    AddNodes(u32),
}

/// One timeline entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Offset from the start time.
    pub at: SimDuration,
    /// What happens.
    pub verb: Verb,
}

/// A parsed scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// `metadata.name`.
    pub name: String,
    /// Where the clock starts.
    pub start: SimTime,
    /// The seed.
    pub seed: u64,
    /// kube-controller-manager's time zone (an IANA name), for CronJobs without `timeZone`.
    /// TODO(#6): the CronJob controller always uses UTC as its own zone; hand it this one once
    /// `Settings` carries a controller-manager zone.
    pub time_zone: String,
    /// Kubelet delays and other settings.
    pub settings: Settings,
    /// The node shorthand.
    pub nodes: Option<NodeShorthand>,
    /// The manifests, in order (includes first, then the file's own).
    pub manifests: Vec<Value>,
    /// The timeline, sorted by time (stable for equal times).
    pub timeline: Vec<Action>,
}

/// What loading a scenario could not do or wants to point out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Manifests not applied, with kubectl's message for each (kinds not served).
    pub skipped: Vec<String>,
    /// Warnings about applied manifests (fields not simulated, unknown fields).
    pub warnings: Vec<String>,
}

/// What one timeline action printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionLog {
    /// Offset from the start time.
    pub at: SimDuration,
    /// The action as written (`kubectl get pods`, `stopNode worker-2`).
    pub what: String,
    /// What it printed.
    pub output: kubectl::Output,
}

impl Scenario {
    /// Parses a scenario whose `include`s are the embedded example files.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::parse_with(text, &embedded)
    }

    /// Parses a scenario, reading `include`d files through `resolve` (a file name to text).
    pub fn parse_with(
        text: &str,
        resolve: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<Scenario, ScenarioError> {
        let values = manifest::parse_values(text).map_err(|e| ScenarioError(e.to_string()))?;
        let (scenarios, mut own): (Vec<Value>, Vec<Value>) = values
            .into_iter()
            .partition(|v| v.get("kind").and_then(Value::as_str) == Some("Scenario"));
        let doc = match scenarios.as_slice() {
            [one] => one,
            [] => return err("no document of kind Scenario (apiVersion kubarium.dev/v1alpha1)"),
            _ => return err("more than one document of kind Scenario"),
        };
        let version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        if version != API_VERSION {
            return err(format!(
                "no matches for kind \"Scenario\" in version {version:?} (want {API_VERSION:?})"
            ));
        }
        let spec_value = doc
            .get("spec")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let spec: SpecDoc = serde_path_to_error::deserialize(&spec_value)
            .map_err(|e| ScenarioError(format!("Scenario spec.{}: {}", e.path(), e.inner())))?;
        let mut manifests = Vec::new();
        for name in &spec.include {
            let included = resolve(name).map_err(ScenarioError)?;
            let values = manifest::parse_values(&included)
                .map_err(|e| ScenarioError(format!("{name}: {e}")))?;
            manifests.extend(values);
        }
        manifests.append(&mut own);
        Ok(Scenario {
            name: doc
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("scenario")
                .to_string(),
            start: start_time(spec.start_time.as_deref())?,
            seed: spec.seed.unwrap_or(0),
            time_zone: time_zone(spec.time_zone.as_deref())?,
            settings: settings(&spec.kubelet)?,
            nodes: spec.nodes.clone(),
            manifests,
            timeline: timeline(&spec.timeline)?,
        })
    }

    /// Builds the cluster at the start time: nodes, then manifests in order. `seed` overrides
    /// the scenario's seed.
    pub fn load(&self, seed: Option<u64>) -> Result<(Sim, LoadReport), ScenarioError> {
        let seed = seed.unwrap_or(self.seed);
        let mut sim = Sim::starting_at(seed, self.settings.clone(), self.start);
        if let Some(nodes) = &self.nodes {
            for node in shorthand_nodes(nodes, true, 0, nodes.workers)? {
                sim.submit(Command::AddNode {
                    node: Box::new(node),
                })
                .map_err(|e| ScenarioError(e.to_string()))?;
            }
        }
        let mut report = LoadReport::default();
        for value in &self.manifests {
            apply_manifest(&mut sim, &mut report, value)?;
        }
        Ok((sim, report))
    }
}

/// Applies one manifest; kinds the cluster does not serve are skipped and reported.
fn apply_manifest(
    sim: &mut Sim,
    report: &mut LoadReport,
    value: &Value,
) -> Result<(), ScenarioError> {
    let doc = match manifest::decode(value) {
        Ok(doc) => doc,
        Err(e @ ManifestError::NoMatch { .. }) => {
            report.skipped.push(e.kubectl_message("scenario"));
            return Ok(());
        }
        Err(e) => return err(e.kubectl_message("scenario")),
    };
    for path in &doc.not_simulated {
        report.warnings.push(format!(
            "{}/{}: not simulated: {path}",
            doc.object.kind(),
            doc.object.meta().name
        ));
    }
    let mut object = doc.object;
    if object.kind().is_namespaced() && object.meta().namespace.is_empty() {
        manifest::meta_mut(&mut object).namespace = "default".to_string();
    }
    sim.submit(Command::Apply(Box::new(object)))
        .map_err(|e| ScenarioError(kubectl::command_error(&e).stderr.trim_end().to_string()))?;
    Ok(())
}

fn start_time(text: Option<&str>) -> Result<SimTime, ScenarioError> {
    match text {
        None => Ok(crate::sim::DEFAULT_START),
        Some(text) => SimTime::parse_rfc3339(text).map_err(|_| {
            ScenarioError(format!(
                "Scenario spec.startTime: Invalid value: {text:?}: not an RFC 3339 time (such \
                 as \"2024-01-01T00:00:00Z\")"
            ))
        }),
    }
}

/// The zone name, checked as the API server checks a CronJob's `spec.timeZone`.
fn time_zone(name: Option<&str>) -> Result<String, ScenarioError> {
    crate::sim::schedule::validate_time_zone(name).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        ScenarioError(format!("Scenario {}", lines.join(", ")))
    })?;
    Ok(name.unwrap_or("UTC").to_string())
}

fn settings(kubelet: &KubeletDoc) -> Result<Settings, ScenarioError> {
    let mut settings = Settings::default();
    let read = |field: &str, text: &Option<String>, default: i64| -> Result<i64, ScenarioError> {
        match text {
            None => Ok(default),
            Some(text) => parse_duration(text).map(|d| d.as_ms()).map_err(|e| {
                ScenarioError(format!(
                    "Scenario spec.kubelet.{field}: Invalid value: {text:?}: {e}"
                ))
            }),
        }
    };
    settings.image_pull_min_ms = read(
        "imagePullMin",
        &kubelet.image_pull_min,
        settings.image_pull_min_ms,
    )?;
    settings.image_pull_max_ms = read(
        "imagePullMax",
        &kubelet.image_pull_max,
        settings.image_pull_max_ms,
    )?;
    settings.container_start_ms = read(
        "containerStart",
        &kubelet.container_start,
        settings.container_start_ms,
    )?;
    if settings.image_pull_max_ms < settings.image_pull_min_ms {
        return err(format!(
            "Scenario spec.kubelet.imagePullMax: Invalid value: {:?}: must not be below \
             imagePullMin",
            kubelet.image_pull_max.clone().unwrap_or_default()
        ));
    }
    Ok(settings)
}

fn timeline(actions: &[ActionDoc]) -> Result<Vec<Action>, ScenarioError> {
    if actions.len() > MAX_ACTIONS {
        return err(format!(
            "Scenario spec.timeline: Too many: {} items, at most {MAX_ACTIONS}",
            actions.len()
        ));
    }
    let mut out = Vec::new();
    for (index, doc) in actions.iter().enumerate() {
        let path = format!("Scenario spec.timeline[{index}]");
        let at = parse_duration(&doc.at)
            .map_err(|e| ScenarioError(format!("{path}.at: Invalid value: {:?}: {e}", doc.at)))?;
        let mut verbs = Vec::new();
        if let Some(line) = &doc.kubectl {
            verbs.push(Verb::Kubectl {
                line: line.clone(),
                stdin: doc.stdin.clone(),
            });
        }
        if let Some(node) = &doc.stop_node {
            verbs.push(Verb::StopNode(node.clone()));
        }
        if let Some(node) = &doc.start_node {
            verbs.push(Verb::StartNode(node.clone()));
        }
        if let Some(crash) = &doc.crash_container {
            verbs.push(Verb::CrashContainer {
                namespace: crash.namespace.clone(),
                pod: crash.pod.clone(),
                container: crash.container.clone(),
                exit_code: crash.exit_code,
            });
        }
        if let Some(add) = &doc.add_nodes {
            verbs.push(Verb::AddNodes(add.count));
        }
        match verbs.len() {
            1 => out.push(Action {
                at,
                verb: verbs.remove(0),
            }),
            0 => {
                return err(format!(
                    "{path}: Required value: one of kubectl, stopNode, startNode, crashContainer, \
                 addNodes"
                ));
            }
            _ => {
                return err(format!(
                    "{path}: Invalid value: more than one action in one entry"
                ));
            }
        }
    }
    out.sort_by_key(|a| a.at);
    Ok(out)
}

/// The nodes of the shorthand; `first_worker` numbers workers added later (`addNodes`).
fn shorthand_nodes(
    shorthand: &NodeShorthand,
    with_control_planes: bool,
    first_worker: u32,
    workers: u32,
) -> Result<Vec<Node>, ScenarioError> {
    if shorthand.control_planes.saturating_add(workers) > MAX_NODES {
        return err(format!(
            "Scenario spec.nodes: Too many: at most {MAX_NODES} nodes"
        ));
    }
    let capacity = |field: &str, default: &str| -> String {
        match shorthand.capacity.get(field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => default.to_string(),
        }
    };
    let pods: i64 = capacity("pods", "110").parse().map_err(|_| {
        ScenarioError(format!(
            "Scenario spec.nodes.capacity.pods: Invalid value: {:?}: must be an integer",
            capacity("pods", "110")
        ))
    })?;
    let make = |name: String| {
        Node::with_resources(
            &name,
            &capacity("cpu", "4"),
            &capacity("memory", "16Gi"),
            pods,
        )
    };
    let prefix = &shorthand.name_prefix;
    let mut nodes = Vec::new();
    if with_control_planes {
        for index in 0..shorthand.control_planes {
            let name = if shorthand.control_planes == 1 {
                format!("{prefix}control-plane")
            } else {
                format!("{prefix}control-plane-{}", index + 1)
            };
            let mut node = make(name);
            node.metadata
                .labels
                .insert(LABEL_CONTROL_PLANE.to_string(), String::new());
            node.spec
                .taints
                .push(Taint::new(LABEL_CONTROL_PLANE, TaintEffect::NoSchedule));
            nodes.push(node);
        }
    }
    for index in first_worker..first_worker + workers {
        let mut node = make(format!("{prefix}worker-{}", index + 1));
        node.metadata.labels.extend(shorthand.labels.clone());
        node.spec.taints.extend(shorthand.taints.iter().cloned());
        nodes.push(node);
    }
    Ok(nodes)
}

/// Runs a loaded scenario's timeline along the simulated clock.
pub struct Runner {
    /// The cluster.
    pub sim: Sim,
    scenario: Scenario,
    next_action: usize,
    workers_added: u32,
    /// What each action printed, in order.
    pub log: Vec<ActionLog>,
}

impl Runner {
    /// Loads `scenario` (see [`Scenario::load`]) and readies its timeline.
    pub fn new(
        scenario: Scenario,
        seed: Option<u64>,
    ) -> Result<(Runner, LoadReport), ScenarioError> {
        let (sim, report) = scenario.load(seed)?;
        let workers_added = scenario.nodes.as_ref().map_or(0, |n| n.workers);
        let runner = Runner {
            sim,
            scenario,
            next_action: 0,
            workers_added,
            log: Vec::new(),
        };
        Ok((runner, report))
    }

    /// Runs the simulation to `offset` after the start time, carrying out every action due on
    /// the way at its instant.
    pub fn run_to(&mut self, offset: SimDuration) -> Result<(), ScenarioError> {
        let until = self.scenario.start + offset;
        while let Some(action) = self.scenario.timeline.get(self.next_action).cloned() {
            if action.at > offset {
                break;
            }
            self.advance(self.scenario.start + action.at)?;
            self.next_action += 1;
            self.perform(&action)?;
        }
        self.advance(until)
    }

    fn advance(&mut self, to: SimTime) -> Result<(), ScenarioError> {
        if to <= self.sim.now() {
            return Ok(());
        }
        self.sim
            .advance_to(to)
            .map_err(|e| ScenarioError(e.to_string()))
    }

    fn perform(&mut self, action: &Action) -> Result<(), ScenarioError> {
        let (what, output) = match &action.verb {
            Verb::Kubectl { line, stdin } => (
                format!("kubectl {line}"),
                kubectl::run(&mut self.sim, line, stdin.as_deref()),
            ),
            Verb::StopNode(node) => (
                format!("stopNode {node}"),
                self.submit(Command::StopNode { name: node.clone() }),
            ),
            Verb::StartNode(node) => (
                format!("startNode {node}"),
                self.submit(Command::StartNode { name: node.clone() }),
            ),
            Verb::CrashContainer {
                namespace,
                pod,
                container,
                exit_code,
            } => (
                format!("crashContainer {namespace}/{pod} exitCode {exit_code}"),
                self.submit(Command::KillContainer {
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                    container: container.clone(),
                    exit_code: *exit_code,
                }),
            ),
            Verb::AddNodes(count) => {
                let shorthand = self.scenario.nodes.clone().unwrap_or_default();
                let nodes = shorthand_nodes(&shorthand, false, self.workers_added, *count)?;
                self.workers_added += count;
                let mut output = kubectl::Output::default();
                for node in nodes {
                    output.append(self.submit(Command::AddNode {
                        node: Box::new(node),
                    }));
                }
                (format!("addNodes {count}"), output)
            }
        };
        self.log.push(ActionLog {
            at: action.at,
            what,
            output,
        });
        Ok(())
    }

    fn submit(&mut self, command: Command) -> kubectl::Output {
        match self.sim.submit(command) {
            Ok(outcome) => kubectl::Output::ok(format!("{}\n", outcome.message)),
            Err(e) => kubectl::command_error(&e),
        }
    }
}

#[cfg(test)]
mod tests;
