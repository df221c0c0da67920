//! `kubectl describe` for nodes, pods and DaemonSets, each ending with its Events section.
//!
//! The layout follows kubectl's describers (`pkg/describe/describe.go`): `Label:` and value
//! columns, nested blocks indented by two spaces, and the Events table with `Type`, `Reason`,
//! `Age`, `From` and `Message` (an aggregated event reads `3m (x4 over 5m)`).

use super::format::human_duration;
use super::get::{KUBELET_VERSION, labels_text, node_roles, pod_status, selector_text};
use super::resources::{TYPES, Target};
use super::{Ctx, Output};
use crate::manifest::list_objects;
use crate::sim::model::{
    CronJob, DaemonSet, Deployment, Job, Kind, Node, Object, ObjectMeta, Pod, ReplicaSet,
};
use crate::sim::time::SimTime;
use std::collections::BTreeMap;

/// `kubectl describe TYPE [NAME...]`.
pub fn run(ctx: &mut Ctx) -> Output {
    let requests = match ctx.resource_requests() {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            return Output::error(
                "You must specify the type of resource to describe. Use \"kubectl \
                 api-resources\" for a complete list of supported resources.",
            );
        }
        Err(out) => return out,
    };
    let selector = match ctx.selector() {
        Ok(s) => s,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut sections = Vec::new();
    for (rtype, names) in requests {
        let Target::Kind(kind) = rtype.target else {
            out.append(Output::error("describe is not available for events"));
            continue;
        };
        let objects: Vec<Object> = list_objects(ctx.sim.store(), kind)
            .into_iter()
            .filter(|o| {
                !kind.is_namespaced() || ctx.all_namespaces || o.meta().namespace == ctx.namespace
            })
            .filter(|o| selector.matches(&o.meta().labels))
            .collect();
        if names.is_empty() {
            sections.extend(objects.iter().map(|o| describe(ctx, o)));
            continue;
        }
        for name in names {
            match objects.iter().find(|o| o.meta().name == name) {
                Some(object) => sections.push(describe(ctx, object)),
                None => out.append(Output::server(
                    "NotFound",
                    &format!("{} {name:?} not found", rtype.plural_qualified()),
                )),
            }
        }
    }
    let mut text = sections.join("\n\n");
    if !text.is_empty() {
        text.push('\n');
    }
    let errors = out;
    let mut result = Output::ok(text);
    result.append(errors);
    result
}

fn describe(ctx: &Ctx, object: &Object) -> String {
    let now = ctx.sim.now();
    let body = match object {
        Object::Node(node) => node_fields(ctx, node),
        Object::Pod(pod) => pod_fields(pod),
        Object::DaemonSet(ds) => ds_fields(ctx, ds),
        Object::Job(job) => job_fields(job),
        Object::ReplicaSet(rs) => rs_fields(ctx, rs),
        Object::Deployment(d) => deployment_fields(ctx, d),
        Object::CronJob(cj) => cron_job_fields(cj),
        Object::Namespace(_) | Object::ControllerRevision(_) => {
            meta_fields(object.meta(), object.kind().is_namespaced())
        }
    };
    format!(
        "{body}{}",
        events_section(ctx, object.kind(), object.meta(), now)
    )
}

/// Annotations as describe prints them: `key: value`, one per line, or `<none>`.
fn annotations_text(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".to_string();
    }
    map.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Label:` lines padded to one column, as kubectl's tab writer aligns them.
fn block(rows: &[(String, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.len() + 1).max().unwrap_or(0) + 2;
    let mut text = String::new();
    for (key, value) in rows {
        if value.is_empty() && key.ends_with(':') {
            text.push_str(&format!("{key}\n"));
            continue;
        }
        let label = format!("{key}:");
        let value = value.replace('\n', &format!("\n{}", " ".repeat(width)));
        text.push_str(&format!("{label:<width$}{value}\n"));
    }
    text
}

fn row(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_string(), value.into())
}

/// `k=v`, one per line (the block indents continuation lines to the value column).
fn multiline(map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "<none>".to_string();
    }
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn meta_fields(meta: &ObjectMeta, namespaced: bool) -> String {
    let mut rows = vec![row("Name", meta.name.clone())];
    if namespaced {
        rows.push(row("Namespace", meta.namespace.clone()));
    }
    rows.push(row("Labels", labels_text(&meta.labels)));
    rows.push(row("Annotations", annotations_text(&meta.annotations)));
    block(&rows)
}

fn timestamp(at: Option<SimTime>) -> String {
    at.map_or_else(
        || "<unknown>".to_string(),
        |t| t.to_utc().format("%a, %d %b %Y %H:%M:%S %z").to_string(),
    )
}

fn node_fields(ctx: &Ctx, node: &Node) -> String {
    let taints: Vec<String> = node
        .spec
        .taints
        .iter()
        .map(|t| match &t.value {
            Some(v) => format!("{}={v}:{}", t.key, t.effect.as_str()),
            None => format!("{}:{}", t.key, t.effect.as_str()),
        })
        .collect();
    let taints = if taints.is_empty() {
        "<none>".to_string()
    } else {
        taints.join("\n")
    };
    let created = timestamp(node.metadata.creation_timestamp);
    let mut text = block(&[
        row("Name", node.metadata.name.clone()),
        row("Roles", node_roles(node)),
        row("Labels", multiline(&node.metadata.labels)),
        row("Annotations", annotations_text(&node.metadata.annotations)),
        row("CreationTimestamp", created),
        row("Taints", taints),
        row("Unschedulable", node.is_unschedulable().to_string()),
    ]);
    text.push_str(&node_conditions(node));
    for (title, map) in [
        ("Capacity", &node.status.capacity),
        ("Allocatable", &node.status.allocatable),
    ] {
        text.push_str(&format!("{title}:\n"));
        for (k, v) in map {
            text.push_str(&format!("  {:<8}{}\n", format!("{k}:"), v.0));
        }
    }
    text.push_str(&format!(
        "System Info:\n  Kubelet Version:  {KUBELET_VERSION}\n"
    ));
    text.push_str(&node_pods(ctx, node));
    text
}

/// The `Conditions:` table of a node.
fn node_conditions(node: &Node) -> String {
    let mut rows = vec![
        ["  Type", "Status", "Reason", "Message"]
            .map(String::from)
            .to_vec(),
        ["  ----", "------", "------", "-------"]
            .map(String::from)
            .to_vec(),
    ];
    for c in &node.status.conditions {
        rows.push(vec![
            format!("  {:?}", c.type_).replace("PidPressure", "PIDPressure"),
            format!("{:?}", c.status),
            c.reason.clone().unwrap_or_default(),
            c.message.clone().unwrap_or_default(),
        ]);
    }
    format!("Conditions:\n{}", padded_table(&rows, 2))
}

/// The `Non-terminated Pods:` section of a node.
fn node_pods(ctx: &Ctx, node: &Node) -> String {
    let store = ctx.sim.store();
    let pods: Vec<&Pod> = store
        .pods_on_node(&node.metadata.name)
        .filter_map(|k| store.pods().get(k))
        .filter(|p| !p.phase().is_terminal())
        .collect();
    let mut text = format!("Non-terminated Pods:  ({} in total)\n", pods.len());
    if pods.is_empty() {
        return text;
    }
    let mut rows = vec![
        ["  Namespace", "Name", "Age"].map(String::from).to_vec(),
        ["  ---------", "----", "---"].map(String::from).to_vec(),
    ];
    for pod in pods {
        rows.push(vec![
            format!("  {}", pod.metadata.namespace),
            pod.metadata.name.clone(),
            super::get::age(&pod.metadata, ctx.sim.now()),
        ]);
    }
    text.push_str(&padded_table(&rows, 2));
    text
}

fn pod_fields(pod: &Pod) -> String {
    let node = pod.node_name().map_or_else(
        || "<none>".to_string(),
        |n| match &pod.status.host_ip {
            Some(ip) => format!("{n}/{ip}"),
            None => n.to_string(),
        },
    );
    let controlled_by = pod.metadata.controller_ref().map(|o| {
        let kind = TYPES
            .iter()
            .find(|t| matches!(t.target, Target::Kind(k) if k.as_str() == o.kind))
            .map_or_else(|| o.kind.clone(), |_| o.kind.clone());
        format!("{kind}/{}", o.name)
    });
    let mut rows = vec![
        row("Name", pod.metadata.name.clone()),
        row("Namespace", pod.metadata.namespace.clone()),
        row("Node", node),
        row("Start Time", timestamp(pod.status.start_time)),
        row("Labels", multiline(&pod.metadata.labels)),
        row("Annotations", annotations_text(&pod.metadata.annotations)),
        row("Status", pod_status(pod)),
        row("IP", pod.status.pod_ip.clone().unwrap_or_default()),
    ];
    if let Some(owner) = controlled_by {
        rows.push(row("Controlled By", owner));
    }
    let mut text = block(&rows);
    text.push_str(&pod_containers(pod));
    text.push_str("Conditions:\n  Type              Status\n");
    for c in &pod.status.conditions {
        text.push_str(&format!(
            "  {:<18}{:?} \n",
            format!("{:?}", c.type_),
            c.status
        ));
    }
    text
}

/// The `Containers:` block of a pod: image, state, readiness and restarts of each.
fn pod_containers(pod: &Pod) -> String {
    let mut text = String::new();
    text.push_str("Containers:\n");
    for container in &pod.spec.containers {
        text.push_str(&format!("  {}:\n", container.name));
        text.push_str(&format!(
            "    Image:          {}\n",
            container.image.clone().unwrap_or_default()
        ));
        if let Some(status) = pod
            .status
            .container_statuses
            .iter()
            .find(|s| s.name == container.name)
        {
            let state = if status.state.running.is_some() {
                "Running".to_string()
            } else if let Some(t) = &status.state.terminated {
                format!(
                    "Terminated\n      Reason:       {}\n      Exit Code:    {}",
                    t.reason.clone().unwrap_or_default(),
                    t.exit_code
                )
            } else if let Some(w) = &status.state.waiting {
                format!(
                    "Waiting\n      Reason:       {}",
                    w.reason.clone().unwrap_or_default()
                )
            } else {
                "Waiting".to_string()
            };
            text.push_str(&format!("    State:          {state}\n"));
            text.push_str(&format!(
                "    Ready:          {}\n",
                if status.ready { "True" } else { "False" }
            ));
            text.push_str(&format!("    Restart Count:  {}\n", status.restart_count));
        }
    }
    text
}

/// Running, Waiting (Pending), Succeeded and Failed counts of `pods`, as describe words them.
fn pods_status(pods: &[&Pod]) -> String {
    use crate::sim::model::PodPhase as P;
    let count = |phase: P| pods.iter().filter(|p| p.phase() == phase).count();
    format!(
        "{} Running / {} Waiting / {} Succeeded / {} Failed",
        count(P::Running),
        count(P::Pending),
        count(P::Succeeded),
        count(P::Failed)
    )
}

fn ds_fields(ctx: &Ctx, ds: &DaemonSet) -> String {
    let s = &ds.status;
    let pods = owned_pods(ctx, &ds.metadata);
    let mut text = block(&[
        row("Name", ds.metadata.name.clone()),
        row("Namespace", ds.metadata.namespace.clone()),
        row("Selector", selector_text(ds.spec.selector.as_ref())),
        row(
            "Node-Selector",
            labels_text(&ds.spec.template.spec.node_selector),
        ),
        row("Labels", labels_text(&ds.metadata.labels)),
        row("Annotations", annotations_text(&ds.metadata.annotations)),
        row(
            "Desired Number of Nodes Scheduled",
            s.desired_number_scheduled.to_string(),
        ),
        row(
            "Current Number of Nodes Scheduled",
            s.current_number_scheduled.to_string(),
        ),
        row(
            "Number of Nodes Scheduled with Up-to-date Pods",
            s.updated_number_scheduled.to_string(),
        ),
        row(
            "Number of Nodes Scheduled with Available Pods",
            s.number_available.to_string(),
        ),
        row(
            "Number of Nodes Misscheduled",
            s.number_misscheduled.to_string(),
        ),
        row("Pods Status", pods_status(&pods)),
    ]);
    text.push_str(&template_block(&ds.spec.template));
    text
}

/// The `Pod Template:` block shared by the workload describers.
fn template_block(template: &crate::sim::model::PodTemplateSpec) -> String {
    let mut text = String::from("Pod Template:\n");
    text.push_str(&format!(
        "  Labels:  {}\n",
        labels_text(&template.metadata.labels)
    ));
    text.push_str("  Containers:\n");
    for c in &template.spec.containers {
        let image = c.image.clone().unwrap_or_default();
        text.push_str(&format!("   {}:\n    Image:  {image}\n", c.name));
    }
    text
}

/// Mirrors `describeReplicaSet`'s main lines.
fn rs_fields(ctx: &Ctx, rs: &ReplicaSet) -> String {
    let controlled_by = rs
        .metadata
        .controller_ref()
        .map_or_else(String::new, |o| format!("{}/{}", o.kind, o.name));
    let pods = owned_pods(ctx, &rs.metadata);
    let mut rows = vec![
        row("Name", rs.metadata.name.clone()),
        row("Namespace", rs.metadata.namespace.clone()),
        row("Selector", selector_text(rs.spec.selector.as_ref())),
        row("Labels", labels_text(&rs.metadata.labels)),
        row("Annotations", annotations_text(&rs.metadata.annotations)),
    ];
    if !controlled_by.is_empty() {
        rows.push(row("Controlled By", controlled_by));
    }
    rows.push(row(
        "Replicas",
        format!("{} current / {} desired", rs.status.replicas, rs.replicas()),
    ));
    rows.push(row("Pods Status", pods_status(&pods)));
    format!("{}{}", block(&rows), template_block(&rs.spec.template))
}

/// Mirrors `describeDeployment`'s main lines, with the old and new ReplicaSets.
fn deployment_fields(ctx: &Ctx, d: &Deployment) -> String {
    let s = &d.status;
    let strategy = format!("{:?}", d.strategy_type());
    let mut rows = vec![
        row("Name", d.metadata.name.clone()),
        row("Namespace", d.metadata.namespace.clone()),
        row(
            "CreationTimestamp",
            timestamp(d.metadata.creation_timestamp),
        ),
        row("Labels", labels_text(&d.metadata.labels)),
        row("Annotations", annotations_text(&d.metadata.annotations)),
        row("Selector", selector_text(d.spec.selector.as_ref())),
        row(
            "Replicas",
            format!(
                "{} desired | {} updated | {} total | {} available | {} unavailable",
                d.replicas(),
                s.updated_replicas,
                s.replicas,
                s.available_replicas,
                s.unavailable_replicas
            ),
        ),
        row("StrategyType", strategy),
        row("MinReadySeconds", d.min_ready_secs().to_string()),
    ];
    if let Some(rolling) = d.rolling_update() {
        let shown = |v: &Option<crate::sim::model::IntOrString>| {
            v.as_ref()
                .map_or_else(|| "25%".to_string(), ToString::to_string)
        };
        rows.push(row(
            "RollingUpdateStrategy",
            format!(
                "{} max unavailable, {} max surge",
                shown(&rolling.max_unavailable),
                shown(&rolling.max_surge)
            ),
        ));
    }
    let mut text = block(&rows);
    text.push_str(&template_block(&d.spec.template));
    text.push_str(&replica_set_lines(ctx, d));
    text
}

/// `OldReplicaSets:` (those still scaled up) and `NewReplicaSet:` (the newest revision).
fn replica_set_lines(ctx: &Ctx, d: &Deployment) -> String {
    let owned = owned_replica_sets(ctx, d);
    let newest = owned.iter().max_by_key(|rs| rs.revision().unwrap_or(0));
    let old: Vec<String> = owned
        .iter()
        .filter(|rs| Some(rs.metadata.uid.as_str()) != newest.map(|n| n.metadata.uid.as_str()))
        .filter(|rs| rs.replicas() > 0)
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name,
                rs.status.replicas,
                rs.replicas()
            )
        })
        .collect();
    let old = if old.is_empty() {
        "<none>".to_string()
    } else {
        old.join(", ")
    };
    let new = newest.map_or_else(
        || "<none>".to_string(),
        |rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name,
                rs.status.replicas,
                rs.replicas()
            )
        },
    );
    format!("OldReplicaSets:  {old}\nNewReplicaSet:   {new}\n")
}

/// The ReplicaSets a Deployment controls, oldest revision first.
fn owned_replica_sets<'a>(ctx: &'a Ctx, d: &Deployment) -> Vec<&'a ReplicaSet> {
    let mut sets: Vec<&ReplicaSet> = ctx
        .sim
        .store()
        .list::<ReplicaSet>()
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == d.metadata.uid)
        })
        .collect();
    sets.sort_by_key(|rs| rs.revision().unwrap_or(0));
    sets
}

/// The pods `owner` controls.
fn owned_pods<'a>(ctx: &'a Ctx, owner: &'a ObjectMeta) -> Vec<&'a Pod> {
    ctx.sim
        .store()
        .pods()
        .in_namespace(&owner.namespace)
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == owner.uid)
        })
        .collect()
}

/// Mirrors `describeCronJob`'s main lines.
fn cron_job_fields(cj: &CronJob) -> String {
    let or_unset = |v: Option<String>| v.unwrap_or_else(|| "<unset>".to_string());
    let active: Vec<String> = cj.status.active.iter().map(|r| r.name.clone()).collect();
    let job = &cj.spec.job_template.spec;
    let rows = vec![
        row("Name", cj.metadata.name.clone()),
        row("Namespace", cj.metadata.namespace.clone()),
        row("Labels", labels_text(&cj.metadata.labels)),
        row("Annotations", annotations_text(&cj.metadata.annotations)),
        row("Schedule", cj.spec.schedule.clone()),
        row(
            "Concurrency Policy",
            format!("{:?}", cj.concurrency_policy()),
        ),
        row("Suspend", if cj.is_suspended() { "True" } else { "False" }),
        row(
            "Successful Job History Limit",
            or_unset(cj.successful_jobs_history_limit().map(|n| n.to_string())),
        ),
        row(
            "Failed Job History Limit",
            or_unset(cj.failed_jobs_history_limit().map(|n| n.to_string())),
        ),
        row(
            "Starting Deadline Seconds",
            or_unset(cj.spec.starting_deadline_seconds.map(|n| format!("{n}s"))),
        ),
        row("Selector", selector_text(job.selector.as_ref())),
        row(
            "Parallelism",
            or_unset(job.parallelism.map(|n| n.to_string())),
        ),
        row(
            "Completions",
            or_unset(job.completions.map(|n| n.to_string())),
        ),
    ];
    let mut text = block(&rows);
    text.push_str(&template_block(&job.template));
    let last = cj
        .status
        .last_schedule_time
        .map_or_else(|| "<unset>".to_string(), |t| timestamp(Some(t)));
    let active = if active.is_empty() {
        "<none>".to_string()
    } else {
        active.join(", ")
    };
    text.push_str(&block(&[
        row("Last Schedule Time", last),
        row("Active Jobs", active),
    ]));
    text
}

/// Mirrors `describeJob`'s main lines.
fn job_fields(job: &Job) -> String {
    let s = &job.status;
    let completions = job
        .completions()
        .map_or_else(|| "<unset>".to_string(), |c| c.to_string());
    let mut rows = vec![
        row("Name", job.metadata.name.clone()),
        row("Namespace", job.metadata.namespace.clone()),
        row("Selector", selector_text(job.spec.selector.as_ref())),
        row("Labels", labels_text(&job.metadata.labels)),
        row("Annotations", annotations_text(&job.metadata.annotations)),
        row("Parallelism", job.parallelism().to_string()),
        row("Completions", completions),
        row("Completion Mode", job.completion_mode().as_str()),
        row("Suspend", job.is_suspended().to_string()),
        row("Backoff Limit", job.backoff_limit().to_string()),
    ];
    if let Some(start) = s.start_time {
        rows.push(row("Start Time", timestamp(Some(start))));
    }
    if let Some(done) = s.completion_time {
        rows.push(row("Completed At", timestamp(Some(done))));
    }
    rows.push(row(
        "Pods Statuses",
        format!(
            "{} Active ({} Ready) / {} Succeeded / {} Failed",
            s.active,
            s.ready.unwrap_or(0),
            s.succeeded,
            s.failed
        ),
    ));
    let mut text = block(&rows);
    let template = &job.spec.template;
    text.push_str("Pod Template:\n");
    text.push_str(&format!(
        "  Labels:  {}\n",
        labels_text(&template.metadata.labels)
    ));
    text.push_str("  Containers:\n");
    for c in &template.spec.containers {
        let image = c.image.clone().unwrap_or_default();
        text.push_str(&format!("   {}:\n    Image:  {image}\n", c.name));
    }
    text
}

/// The Events section: events about this object, oldest first.
fn events_section(ctx: &Ctx, kind: Kind, meta: &ObjectMeta, now: SimTime) -> String {
    let events: Vec<_> = ctx
        .sim
        .events()
        .iter()
        .map(|r| &r.event)
        .filter(|e| {
            e.involved_object.kind == kind.as_str()
                && e.involved_object.name == meta.name
                && e.involved_object.namespace == meta.namespace
        })
        .collect();
    if events.is_empty() {
        return "Events:  <none>".to_string();
    }
    let mut rows = vec![
        ["  Type", "Reason", "Age", "From", "Message"]
            .map(String::from)
            .to_vec(),
        ["  ----", "------", "----", "----", "-------"]
            .map(String::from)
            .to_vec(),
    ];
    for e in events {
        let last = e
            .last_timestamp
            .map_or_else(String::new, |t| human_duration(now - t));
        let age = match (e.count, e.first_timestamp) {
            (count, Some(first)) if count > 1 => {
                format!("{last} (x{count} over {})", human_duration(now - first))
            }
            _ => last,
        };
        let from = e.source.component.clone();
        rows.push(vec![
            format!("  {:?}", e.type_),
            e.reason.clone(),
            age,
            from,
            e.message.clone(),
        ]);
    }
    let table = padded_table(&rows, 2);
    format!("Events:\n{}", table.trim_end_matches('\n'))
}

/// A table whose columns are separated by at least `padding` spaces (kubectl describe's
/// tab writer), the last column unpadded.
pub fn padded_table(rows: &[Vec<String>], padding: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
                + padding
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < row.len() {
                out.push_str(&" ".repeat(widths[c] - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}
