//! External commands: the one way the playground, the CLI and tests change a running cluster.
//!
//! [`Command`] is a closed enum applied between steps by [`crate::sim::Sim::submit`]. A bad
//! target is an error worded like the API server or kubectl, never a panic. Successful commands
//! return kubectl's one-line summary (`node/worker-1 cordoned`).

use crate::sim::cluster::Cluster;
use crate::sim::controllers::cronjob::{self, CronJobAction};
use crate::sim::gc::FOREGROUND_FINALIZER;
use crate::sim::kubelet;
use crate::sim::model::{
    ConditionStatus, ControllerRevision, CronJob, DaemonSet, Deployment, Job, Kind, Namespace,
    Node, NodeConditionType, Object, ObjectKey, Pod, ReplicaSet, Taint, TaintEffect,
};
use crate::sim::node_lifecycle;
use crate::sim::rollout;
use crate::sim::store::{ApiError, Resource};
use std::fmt;

/// How deleting an owner treats its dependents (`propagationPolicy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    /// Delete the owner now; the garbage collector deletes dependents afterwards.
    #[default]
    Background,
    /// Keep the dependents, removing their owner reference.
    Orphan,
    /// Delete dependents first; the owner waits with the `foregroundDeletion` finalizer.
    Foreground,
}

/// An external change to the cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Register a node (its kubelet reports Ready at once).
    AddNode {
        /// The node; conditions and condition taints are filled in on registration.
        node: Box<Node>,
    },
    /// Delete a node object; its pods are left to PodGC.
    DeleteNode {
        /// Node name.
        name: String,
    },
    /// Power a node off.
    StopNode {
        /// Node name.
        name: String,
    },
    /// Power a stopped node on.
    StartNode {
        /// Node name.
        name: String,
    },
    /// `kubectl cordon`.
    Cordon {
        /// Node name.
        name: String,
    },
    /// `kubectl uncordon`.
    Uncordon {
        /// Node name.
        name: String,
    },
    /// `kubectl taint nodes <node> key=value:Effect`.
    AddTaint {
        /// Node name.
        node: String,
        /// The taint.
        taint: Taint,
    },
    /// `kubectl taint nodes <node> key[:Effect]-`.
    RemoveTaint {
        /// Node name.
        node: String,
        /// Taint key.
        key: String,
        /// Only taints with this effect; all effects when `None`.
        effect: Option<TaintEffect>,
    },
    /// Set a node condition as its kubelet would report it (e.g. DiskPressure=True).
    SetNodeCondition {
        /// Node name.
        node: String,
        /// The condition.
        condition: NodeConditionType,
        /// Its new status.
        status: ConditionStatus,
    },
    /// `kubectl label <kind> <name> key=value --overwrite`.
    SetLabel {
        /// Kind of the object.
        kind: Kind,
        /// Namespace (empty for nodes).
        namespace: String,
        /// Name.
        name: String,
        /// Label key.
        key: String,
        /// Label value.
        value: String,
    },
    /// `kubectl label <kind> <name> key-`.
    RemoveLabel {
        /// Kind of the object.
        kind: Kind,
        /// Namespace (empty for nodes).
        namespace: String,
        /// Name.
        name: String,
        /// Label key.
        key: String,
    },
    /// `kubectl apply`: create the object, or update its spec, labels and annotations.
    Apply(Box<Object>),
    /// `kubectl delete`.
    Delete {
        /// Kind of the object.
        kind: Kind,
        /// Namespace (empty for cluster-scoped kinds).
        namespace: String,
        /// Name.
        name: String,
        /// What happens to dependents.
        propagation: Propagation,
        /// `--grace-period`; `Some(0)` with a pod is `--force`.
        grace_period_secs: Option<i64>,
    },
    /// Make a running container exit with `exit_code` now (like a crash or `kill` inside it).
    KillContainer {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
        /// Container name; the first container when `None`.
        container: Option<String>,
        /// The exit code.
        exit_code: i32,
    },
    /// Set a pod's phase to Failed as a kubelet does when it rejects or evicts a pod.
    MarkPodFailed {
        /// Namespace.
        namespace: String,
        /// Pod name.
        pod: String,
    },
    /// `kubectl scale deployment|replicaset/<name> --replicas=N`.
    Scale {
        /// `Deployment` or `ReplicaSet`.
        kind: Kind,
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// The new `spec.replicas`.
        replicas: i32,
    },
    /// `kubectl rollout undo deployment/<name> --to-revision=N` (0: the previous revision).
    RolloutUndo {
        /// Namespace.
        namespace: String,
        /// Deployment name.
        name: String,
        /// The revision to restore; 0 for the one before the current.
        to_revision: i64,
    },
    /// `kubectl rollout restart deployment/<name>`.
    RolloutRestart {
        /// Namespace.
        namespace: String,
        /// Deployment name.
        name: String,
    },
    /// `kubectl rollout pause deployment/<name>` (`paused: true`) or `rollout resume` (`false`).
    RolloutPause {
        /// Namespace.
        namespace: String,
        /// Deployment name.
        name: String,
        /// Pause or resume.
        paused: bool,
    },
    /// Suspend or resume a CronJob, or start a Job from it now (`kubectl patch` of
    /// `spec.suspend`, `kubectl create job --from=cronjob/NAME`).
    CronJob {
        /// Namespace.
        namespace: String,
        /// CronJob name.
        name: String,
        /// What to do.
        action: CronJobAction,
    },
}

impl Command {
    /// Adds a default node (4 CPUs, 16 GiB, 110 pods) called `name`.
    pub fn add_node(name: &str) -> Command {
        Command::AddNode {
            node: Box::new(Node::new(name)),
        }
    }

    /// Applies any stored kind.
    pub fn apply<T: Resource>(object: T) -> Command {
        Command::Apply(Box::new(object.into_object()))
    }

    /// Deletes with background propagation and the default grace period.
    pub fn delete(kind: Kind, namespace: &str, name: &str) -> Command {
        Command::Delete {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
            propagation: Propagation::Background,
            grace_period_secs: None,
        }
    }
}

/// What a successful command did, in kubectl's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// kubectl's summary line, e.g. `daemonset.apps/fluentd created`.
    pub message: String,
}

/// Why a command was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    /// The API server refused the write.
    Api(ApiError),
    /// The command does not make sense for its target (kubectl-side error).
    Rejected(String),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Api(err) => write!(f, "{err}"),
            CommandError::Rejected(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CommandError {}

impl From<ApiError> for CommandError {
    fn from(err: ApiError) -> Self {
        CommandError::Api(err)
    }
}

fn done(message: String) -> Result<Outcome, CommandError> {
    Ok(Outcome { message })
}

/// The `resource/name` prefix kubectl prints.
fn resource_name(kind: Kind, name: &str) -> String {
    let resource = match kind {
        Kind::Namespace => "namespace",
        Kind::Node => "node",
        Kind::Pod => "pod",
        Kind::DaemonSet => "daemonset.apps",
        Kind::ControllerRevision => "controllerrevision.apps",
        Kind::Job => "job.batch",
        Kind::ReplicaSet => "replicaset.apps",
        Kind::Deployment => "deployment.apps",
        Kind::CronJob => "cronjob.batch",
    };
    format!("{resource}/{name}")
}

/// Applies one command to the cluster at the current instant.
pub fn apply(cluster: &mut Cluster, command: Command) -> Result<Outcome, CommandError> {
    match command {
        Command::AddNode { node } => add_node(cluster, *node),
        Command::DeleteNode { name } => delete_node(cluster, &name),
        Command::StopNode { name } => power(cluster, &name, false),
        Command::StartNode { name } => power(cluster, &name, true),
        Command::Cordon { name } => cordon(cluster, &name, true),
        Command::Uncordon { name } => cordon(cluster, &name, false),
        Command::AddTaint { node, taint } => add_taint(cluster, &node, taint),
        Command::RemoveTaint { node, key, effect } => remove_taint(cluster, &node, &key, effect),
        Command::SetNodeCondition {
            node,
            condition,
            status,
        } => {
            existing_node(cluster, &node)?;
            node_lifecycle::set_condition(cluster, &node, condition, status)?;
            done(format!(
                "node/{node} condition {condition:?} set to {status:?}"
            ))
        }
        Command::SetLabel {
            kind,
            namespace,
            name,
            key,
            value,
        } => {
            let key_ref = ObjectKey::new(&namespace, &name);
            cluster.store.modify_meta_any(kind, &key_ref, |m| {
                m.labels.insert(key, value);
            })?;
            done(format!("{} labeled", resource_name(kind, &name)))
        }
        Command::RemoveLabel {
            kind,
            namespace,
            name,
            key,
        } => {
            let key_ref = ObjectKey::new(&namespace, &name);
            cluster.store.modify_meta_any(kind, &key_ref, |m| {
                m.labels.remove(&key);
            })?;
            done(format!("{} unlabeled", resource_name(kind, &name)))
        }
        Command::Apply(object) => apply_object(cluster, *object),
        Command::Delete {
            kind,
            namespace,
            name,
            propagation,
            grace_period_secs,
        } => delete(
            cluster,
            kind,
            &ObjectKey::new(&namespace, &name),
            propagation,
            grace_period_secs,
        ),
        Command::KillContainer {
            namespace,
            pod,
            container,
            exit_code,
        } => {
            let key = ObjectKey::new(&namespace, &pod);
            kubelet::kill_container(cluster, &key, container.as_deref(), exit_code)
                .map_err(CommandError::Rejected)?;
            done(format!(
                "pod/{pod} container killed with exit code {exit_code}"
            ))
        }
        Command::MarkPodFailed { namespace, pod } => {
            let key = ObjectKey::new(&namespace, &pod);
            kubelet::mark_failed(cluster, &key)?;
            done(format!("pod/{pod} marked Failed"))
        }
        Command::Scale {
            kind,
            namespace,
            name,
            replicas,
        } => rollout::scale(cluster, kind, &namespace, &name, replicas),
        Command::RolloutUndo {
            namespace,
            name,
            to_revision,
        } => rollout::undo(cluster, &namespace, &name, to_revision),
        Command::RolloutRestart { namespace, name } => rollout::restart(cluster, &namespace, &name),
        Command::RolloutPause {
            namespace,
            name,
            paused,
        } => rollout::set_paused(cluster, &namespace, &name, paused),
        Command::CronJob {
            namespace,
            name,
            action,
        } => cronjob::actions::apply(cluster, &namespace, &name, action),
    }
}

fn existing_node(cluster: &Cluster, name: &str) -> Result<Node, CommandError> {
    cluster
        .store
        .nodes()
        .get(&ObjectKey::cluster(name))
        .cloned()
        .ok_or_else(|| {
            CommandError::Api(ApiError::NotFound {
                resource: "nodes",
                name: name.to_string(),
            })
        })
}

fn add_node(cluster: &mut Cluster, mut node: Node) -> Result<Outcome, CommandError> {
    let now = cluster.now;
    node.metadata
        .labels
        .entry(crate::sim::model::node::LABEL_HOSTNAME.to_string())
        .or_insert_with(|| node.metadata.name.clone());
    node_lifecycle::register(&mut node, now);
    let created = cluster.store.create(node, now, &mut cluster.rng)?;
    // A node re-registered under the name of a deleted one starts powered on.
    node_lifecycle::forget_power_state(cluster, &created.metadata.name);
    done(format!("node/{} created", created.metadata.name))
}

fn delete_node(cluster: &mut Cluster, name: &str) -> Result<Outcome, CommandError> {
    existing_node(cluster, name)?;
    kubelet::power_off(cluster, name);
    cluster
        .store
        .delete::<Node>(&ObjectKey::cluster(name), cluster.now, None)?;
    done(format!("node \"{name}\" deleted"))
}

fn power(cluster: &mut Cluster, name: &str, on: bool) -> Result<Outcome, CommandError> {
    existing_node(cluster, name)?;
    let stopped = cluster.node_lifecycle.is_stopped(name);
    match (on, stopped) {
        (true, true) => node_lifecycle::start(cluster, name),
        (false, false) => node_lifecycle::stop(cluster, name),
        (true, false) => {
            return Err(CommandError::Rejected(format!(
                "node {name:?} is already running"
            )));
        }
        (false, true) => {
            return Err(CommandError::Rejected(format!(
                "node {name:?} is already stopped"
            )));
        }
    }
    done(format!(
        "node/{name} {}",
        if on { "started" } else { "stopped" }
    ))
}

fn cordon(cluster: &mut Cluster, name: &str, unschedulable: bool) -> Result<Outcome, CommandError> {
    let node = existing_node(cluster, name)?;
    let verb = if unschedulable {
        "cordoned"
    } else {
        "uncordoned"
    };
    if node.is_unschedulable() == unschedulable {
        return done(format!("node/{name} already {verb}"));
    }
    let now = cluster.now;
    cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(name), |n| {
            n.spec.unschedulable = if unschedulable { Some(true) } else { None };
            node_lifecycle::sync_condition_taints(n, now);
        })?;
    done(format!("node/{name} {verb}"))
}

fn add_taint(cluster: &mut Cluster, name: &str, mut taint: Taint) -> Result<Outcome, CommandError> {
    let node = existing_node(cluster, name)?;
    if node.has_taint(&taint.key, taint.effect) {
        return Err(CommandError::Rejected(format!(
            "node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
            taint.key
        )));
    }
    if taint.effect == TaintEffect::NoExecute {
        taint.time_added = Some(cluster.now);
    }
    cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(name), |n| n.spec.taints.push(taint))?;
    done(format!("node/{name} tainted"))
}

fn remove_taint(
    cluster: &mut Cluster,
    name: &str,
    key: &str,
    effect: Option<TaintEffect>,
) -> Result<Outcome, CommandError> {
    let node = existing_node(cluster, name)?;
    let matches = |t: &Taint| t.key == key && effect.is_none_or(|e| e == t.effect);
    if !node.spec.taints.iter().any(matches) {
        let shown = match effect {
            Some(e) => format!("{key}:{}", e.as_str()),
            None => key.to_string(),
        };
        return Err(CommandError::Rejected(format!("taint {shown:?} not found")));
    }
    cluster
        .store
        .modify::<Node>(&ObjectKey::cluster(name), |n| {
            n.spec.taints.retain(|t| !matches(t))
        })?;
    done(format!("node/{name} untainted"))
}

/// `kubectl apply`: create, or update the user-owned parts and keep the status.
fn apply_object(cluster: &mut Cluster, object: Object) -> Result<Outcome, CommandError> {
    let kind = object.kind();
    let key = object.meta().key();
    let exists = !key.name.is_empty() && cluster.store.get_object(kind, &key).is_some();
    let now = cluster.now;
    let name = if exists {
        let changed = match object {
            Object::Namespace(ns) => update_with::<Namespace>(cluster, *ns, |_, _| Ok(()))?,
            Object::Node(node) => update_with::<Node>(cluster, *node, |old, new| {
                new.status = old.status.clone();
                new.spec
                    .taints
                    .retain(|t| !t.key.starts_with("node.kubernetes.io/"));
                new.spec.taints.extend(
                    old.spec
                        .taints
                        .iter()
                        .filter(|t| t.key.starts_with("node.kubernetes.io/"))
                        .cloned(),
                );
                Ok(())
            })?,
            Object::Pod(pod) => update_with::<Pod>(cluster, *pod, merge_pod_update)?,
            Object::DaemonSet(ds) => update_with::<DaemonSet>(cluster, *ds, |old, new| {
                new.status = old.status.clone();
                Ok(())
            })?,
            Object::ControllerRevision(cr) => {
                update_with::<ControllerRevision>(cluster, *cr, |_, _| Ok(()))?
            }
            Object::Job(job) => update_with::<Job>(cluster, *job, |old, new| {
                new.status = old.status.clone();
                crate::sim::admission::batch::carry_generated_fields(old, new);
                Ok(())
            })?,
            Object::ReplicaSet(rs) => update_with::<ReplicaSet>(cluster, *rs, |old, new| {
                new.status = old.status.clone();
                Ok(())
            })?,
            Object::Deployment(d) => {
                update_with::<Deployment>(cluster, *d, rollout::merge_deployment_apply)?
            }
            Object::CronJob(cj) => update_with::<CronJob>(cluster, *cj, |old, new| {
                new.status = old.status.clone();
                Ok(())
            })?,
        };
        let verb = if changed { "configured" } else { "unchanged" };
        return done(format!("{} {verb}", resource_name(kind, &key.name)));
    } else {
        let rng = &mut cluster.rng;
        match object {
            Object::Namespace(ns) => cluster.store.create(*ns, now, rng)?.metadata.name,
            Object::Node(node) => {
                let mut node = *node;
                node_lifecycle::register(&mut node, now);
                let name = cluster.store.create(node, now, rng)?.metadata.name;
                node_lifecycle::forget_power_state(cluster, &name);
                name
            }
            Object::Pod(pod) => {
                cluster
                    .store
                    .create(strip_status(*pod), now, rng)?
                    .metadata
                    .name
            }
            Object::DaemonSet(ds) => {
                let mut ds = *ds;
                ds.status = Default::default();
                cluster.store.create(ds, now, rng)?.metadata.name
            }
            Object::ControllerRevision(cr) => cluster.store.create(*cr, now, rng)?.metadata.name,
            Object::Job(job) => {
                let mut job = *job;
                job.status = Default::default();
                cluster.store.create(job, now, rng)?.metadata.name
            }
            Object::ReplicaSet(rs) => {
                let mut rs = *rs;
                rs.status = Default::default();
                cluster.store.create(rs, now, rng)?.metadata.name
            }
            Object::Deployment(d) => {
                let mut d = *d;
                d.status = Default::default();
                cluster.store.create(d, now, rng)?.metadata.name
            }
            Object::CronJob(cj) => {
                let mut cj = *cj;
                cj.status = Default::default();
                cluster.store.create(cj, now, rng)?.metadata.name
            }
        }
    };
    done(format!("{} created", resource_name(kind, &name)))
}

fn strip_status(mut pod: Pod) -> Pod {
    pod.status = Default::default();
    pod
}

/// Updates the stored object with `new`, after `merge` copies what apply must keep. Returns
/// whether anything changed.
fn update_with<T: Resource>(
    cluster: &mut Cluster,
    mut new: T,
    merge: impl FnOnce(&T, &mut T) -> Result<(), ApiError>,
) -> Result<bool, CommandError> {
    let key = new.meta().key();
    let old = cluster.store.get::<T>(&key).cloned().ok_or_else(|| {
        CommandError::Api(ApiError::NotFound {
            resource: T::KIND.resource(),
            name: key.name.clone(),
        })
    })?;
    merge(&old, &mut new)?;
    let meta = new.meta_mut();
    meta.owner_references = if meta.owner_references.is_empty() {
        old.meta().owner_references.clone()
    } else {
        meta.owner_references.clone()
    };
    meta.finalizers = old.meta().finalizers.clone();
    meta.resource_version = old.meta().resource_version.clone();
    let updated = cluster.store.update(new)?;
    Ok(updated.meta().resource_version != old.meta().resource_version)
}

/// Pod specs are immutable except container images, as the API server enforces.
fn merge_pod_update(old: &Pod, new: &mut Pod) -> Result<(), ApiError> {
    let mut candidate = old.spec.clone();
    for (target, source) in candidate
        .containers
        .iter_mut()
        .zip(new.spec.containers.iter())
    {
        target.image = source.image.clone();
    }
    for (target, source) in candidate
        .init_containers
        .iter_mut()
        .zip(new.spec.init_containers.iter())
    {
        target.image = source.image.clone();
    }
    let mut proposed = new.spec.clone();
    crate::sim::admission::default_pod_spec(&mut proposed);
    proposed.tolerations = old.spec.tolerations.clone();
    proposed.node_name = old.spec.node_name.clone();
    if proposed != candidate {
        return Err(ApiError::Invalid(format!(
            "Pod {:?} is invalid: spec: Forbidden: pod updates may not change fields other than \
             `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,\
             `spec.tolerations` (only additions to existing tolerations),\
             `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            old.metadata.name
        )));
    }
    new.spec = candidate;
    new.status = old.status.clone();
    Ok(())
}

/// `kubectl delete` with a propagation policy.
fn delete(
    cluster: &mut Cluster,
    kind: Kind,
    key: &ObjectKey,
    propagation: Propagation,
    grace_secs: Option<i64>,
) -> Result<Outcome, CommandError> {
    let object = cluster.store.get_object(kind, key).ok_or_else(|| {
        CommandError::Api(ApiError::NotFound {
            resource: kind.resource(),
            name: key.name.clone(),
        })
    })?;
    let uid = object.meta().uid.clone();
    let now = cluster.now;
    match propagation {
        Propagation::Background => {}
        Propagation::Orphan => {
            let dependents: Vec<(Kind, ObjectKey)> =
                cluster.store.dependents_of(&uid).cloned().collect();
            for (dependent_kind, dependent_key) in dependents {
                cluster
                    .store
                    .modify_meta_any(dependent_kind, &dependent_key, |m| {
                        m.owner_references.retain(|o| o.uid != uid)
                    })?;
            }
        }
        Propagation::Foreground => {
            if cluster.store.dependents_of(&uid).next().is_some() {
                cluster.store.modify_meta_any(kind, key, |m| {
                    if !m.finalizers.iter().any(|f| f == FOREGROUND_FINALIZER) {
                        m.finalizers.push(FOREGROUND_FINALIZER.to_string());
                    }
                })?;
            }
        }
    }
    if kind == Kind::Node {
        kubelet::power_off(cluster, &key.name);
    }
    cluster.store.delete_any(kind, key, now, grace_secs)?;
    done(format!(
        "{} \"{}\" deleted",
        kind.resource()
            .split('.')
            .next()
            .unwrap_or("")
            .trim_end_matches('s'),
        key.name
    ))
}
