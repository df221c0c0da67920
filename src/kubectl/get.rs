//! `kubectl get`: tables with kubectl's columns, and `-o wide|yaml|json|name`.
//!
//! Each kind has a printer ([`columns`] and [`cells`]) mirroring the table handlers of
//! kubectl's `pkg/printers/internalversion/printers.go` (`printPod`, `printNode`,
//! `printDaemonSet`, ...).

use super::format::{human_duration, table};
use super::resources::{self, ResourceType, Selector, Target};
use super::{Ctx, Output};
use crate::manifest::list_objects;
use crate::sim::model::{
    ConditionStatus, ControllerRevision, CronJob, DaemonSet, Deployment, Event, Job, Kind,
    Namespace, Node, NodeConditionType, Object, ObjectMeta, Pod, ReplicaSet,
};
use crate::sim::time::SimTime;
use serde_json::Value;
use std::collections::BTreeMap;

/// The kubelet version nodes report (`status.nodeInfo.kubeletVersion`); the simulation follows
/// Kubernetes v1.34 semantics.
pub const KUBELET_VERSION: &str = "v1.34.0";

/// How `get` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The default table.
    Table,
    /// The table with extra columns.
    Wide,
    /// `type/name` per line.
    Name,
    /// JSON, a `List` when more than one object or a selector is involved.
    Json,
    /// YAML, same shape as JSON.
    Yaml,
}

impl Format {
    /// Reads `-o`; errors as kubectl does for an unknown format.
    pub fn parse(text: Option<&str>) -> Result<Format, String> {
        Ok(match text {
            None | Some("") => Format::Table,
            Some("wide") => Format::Wide,
            Some("name") => Format::Name,
            Some("json") => Format::Json,
            Some("yaml") => Format::Yaml,
            Some(other) => {
                return Err(format!(
                    "unable to match a printer suitable for the output format {other:?}, allowed \
                     formats are: json,name,wide,yaml"
                ));
            }
        })
    }
}

/// One thing to print: an object or an Event.
#[derive(Clone, Debug)]
pub enum Item {
    /// A stored object.
    Object(Object),
    /// An Event from the log.
    Event(Box<Event>),
}

impl Item {
    fn meta(&self) -> &ObjectMeta {
        match self {
            Item::Object(o) => o.meta(),
            Item::Event(e) => &e.metadata,
        }
    }

    /// The item as `kubectl get -o json` shows it.
    pub fn to_json(&self) -> Value {
        match self {
            Item::Object(o) => serde_json::to_value(o).unwrap_or(Value::Null),
            Item::Event(e) => serde_json::to_value(e).unwrap_or(Value::Null),
        }
    }
}

/// `kubectl get`.
pub fn run(ctx: &mut Ctx) -> Output {
    let format = match Format::parse(ctx.args.get("output")) {
        Ok(format) => format,
        Err(message) => return Output::error(&message),
    };
    let requests = match ctx.resource_requests() {
        Ok(requests) => requests,
        Err(out) => return out,
    };
    if requests.is_empty() {
        return Output::error(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a \
             complete list of supported resources.",
        );
    }
    let selector = match ctx.selector() {
        Ok(selector) => selector,
        Err(out) => return out,
    };
    let mut groups: Vec<(&'static ResourceType, Vec<Item>)> = Vec::new();
    let mut errors = String::new();
    let by_name = requests.iter().any(|(_, names)| !names.is_empty());
    for (rtype, names) in &requests {
        let found = items(ctx, rtype, &selector);
        if names.is_empty() {
            groups.push((rtype, found));
            continue;
        }
        let mut picked = Vec::new();
        for name in names {
            match found.iter().find(|i| &i.meta().name == name) {
                Some(item) => picked.push(item.clone()),
                None => errors.push_str(&format!(
                    "Error from server (NotFound): {} {name:?} not found\n",
                    rtype.plural_qualified()
                )),
            }
        }
        groups.push((rtype, picked));
    }
    let mut out = print(ctx, format, &groups, by_name && requests.len() == 1);
    if !errors.is_empty() {
        out.stderr.push_str(&errors);
        out.exit_code = 1;
    }
    out
}

/// Everything of one type in scope, selector applied, in kubectl's order.
pub fn items(ctx: &Ctx, rtype: &ResourceType, selector: &Selector) -> Vec<Item> {
    let in_scope = |meta: &ObjectMeta, namespaced: bool| {
        !namespaced || ctx.all_namespaces || meta.namespace == ctx.namespace
    };
    match rtype.target {
        Target::Kind(kind) => list_objects(ctx.sim.store(), kind)
            .into_iter()
            .filter(|o| in_scope(o.meta(), kind.is_namespaced()))
            .filter(|o| selector.matches(&o.meta().labels))
            .map(Item::Object)
            .collect(),
        Target::Events => {
            // DIVERGENCE: a real API server lists events by name (object name, then a hex
            // timestamp); here they are listed in the order they happened, which reads better.
            let mut events: Vec<&Event> = ctx
                .sim
                .events()
                .iter()
                .map(|r| &r.event)
                .filter(|e| in_scope(&e.metadata, true))
                .collect();
            events.sort_by_key(|e| e.last_timestamp);
            events
                .into_iter()
                .map(|e| Item::Event(Box::new(e.clone())))
                .collect()
        }
    }
}

/// Prints the groups in `format`; `single` prints one named object without a List around it.
fn print(
    ctx: &Ctx,
    format: Format,
    groups: &[(&'static ResourceType, Vec<Item>)],
    single: bool,
) -> Output {
    let all: Vec<&Item> = groups.iter().flat_map(|(_, items)| items.iter()).collect();
    match format {
        Format::Json | Format::Yaml => {
            let value = if single && all.len() == 1 {
                all[0].to_json()
            } else {
                list_value(all.iter().map(|i| i.to_json()).collect())
            };
            let text = if format == Format::Json {
                to_json_pretty(&value)
            } else {
                crate::manifest::to_yaml(&value)
            };
            Output::ok(text)
        }
        Format::Name => {
            let mut text = String::new();
            for (rtype, items) in groups {
                for item in items {
                    text.push_str(&format!("{}/{}\n", rtype.qualified(), item.meta().name));
                }
            }
            Output::ok(text)
        }
        Format::Table | Format::Wide => print_tables(ctx, format == Format::Wide, groups),
    }
}

/// A `v1 List` as kubectl wraps several objects.
pub fn list_value(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": { "resourceVersion": "" }
    })
}

/// JSON with kubectl's four-space indentation and a final newline.
pub fn to_json_pretty(value: &Value) -> String {
    use serde::Serialize;
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8(buffer).unwrap_or_default();
    text.push('\n');
    text
}

fn print_tables(ctx: &Ctx, wide: bool, groups: &[(&'static ResourceType, Vec<Item>)]) -> Output {
    let several = groups.len() > 1;
    let mut sections = Vec::new();
    for (rtype, items) in groups {
        if items.is_empty() {
            continue;
        }
        let namespaced = match rtype.target {
            Target::Kind(kind) => kind.is_namespaced(),
            Target::Events => true,
        };
        let with_namespace = ctx.all_namespaces && namespaced;
        let mut header: Vec<String> = columns(rtype.target, wide)
            .iter()
            .map(|c| c.to_string())
            .collect();
        if with_namespace {
            header.insert(0, "NAMESPACE".to_string());
        }
        if ctx.args.on("show-labels") {
            header.push("LABELS".to_string());
        }
        let mut rows = vec![header];
        for item in items {
            let mut row = cells(item, ctx.sim.now(), wide, ctx);
            if several && let Some(first) = row.first_mut() {
                *first = format!("{}/{}", rtype.qualified(), first);
            }
            if with_namespace {
                row.insert(0, item.meta().namespace.clone());
            }
            if ctx.args.on("show-labels") {
                row.push(labels_text(&item.meta().labels));
            }
            rows.push(row);
        }
        sections.push(table(&rows));
    }
    let by_name = !ctx.args.positional.is_empty()
        && (ctx.args.positional.len() > 1 || ctx.args.positional[0].contains('/'));
    if sections.is_empty() && by_name {
        return Output::default();
    }
    if sections.is_empty() {
        return Output::stderr_only(&no_resources(ctx, groups));
    }
    Output::ok(sections.join("\n"))
}

/// `No resources found in default namespace.` or, across namespaces, `No resources found`.
fn no_resources(ctx: &Ctx, groups: &[(&'static ResourceType, Vec<Item>)]) -> String {
    let namespaced = groups.iter().any(|(t, _)| match t.target {
        Target::Kind(kind) => kind.is_namespaced(),
        Target::Events => true,
    });
    if namespaced && !ctx.all_namespaces {
        format!("No resources found in {} namespace.\n", ctx.namespace)
    } else {
        "No resources found\n".to_string()
    }
}

/// `k=v,k2=v2`, or `<none>`.
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The column headers of a type.
pub fn columns(target: Target, wide: bool) -> Vec<&'static str> {
    let (mut base, extra): (Vec<&str>, Vec<&str>) = match target {
        Target::Kind(Kind::Pod) => (
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Target::Kind(Kind::Node) => (
            vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            vec![
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Target::Kind(Kind::DaemonSet) => (
            vec![
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Target::Kind(Kind::ControllerRevision) => {
            (vec!["NAME", "CONTROLLER", "REVISION", "AGE"], vec![])
        }
        Target::Kind(Kind::Namespace) => (vec!["NAME", "STATUS", "AGE"], vec![]),
        Target::Kind(Kind::ReplicaSet) => (
            vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Target::Kind(Kind::Deployment) => (
            vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Target::Kind(Kind::CronJob) => (
            vec![
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE",
            ],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Target::Kind(Kind::Job) => (
            vec!["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Target::Events => (
            vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            vec![],
        ),
    };
    if wide {
        base.extend(extra);
    }
    base
}

/// The cells of one row.
fn cells(item: &Item, now: SimTime, wide: bool, ctx: &Ctx) -> Vec<String> {
    match item {
        Item::Event(event) => event_cells(event, now),
        Item::Object(object) => match object {
            Object::Pod(pod) => pod_cells(pod, now, wide),
            Object::Node(node) => node_cells(node, now, wide),
            Object::DaemonSet(ds) => ds_cells(ds, now, wide),
            Object::ControllerRevision(cr) => cr_cells(cr, now),
            Object::Namespace(ns) => namespace_cells(ns, now, ctx),
            Object::Job(job) => job_cells(job, now, wide),
            Object::ReplicaSet(rs) => rs_cells(rs, now, wide),
            Object::Deployment(d) => deployment_cells(d, now, wide),
            Object::CronJob(cj) => cron_job_cells(cj, now, wide),
        },
    }
}

/// The AGE of an object.
pub fn age(meta: &ObjectMeta, now: SimTime) -> String {
    match meta.creation_timestamp {
        Some(created) => human_duration(now - created),
        None => "<unknown>".to_string(),
    }
}

fn or_none(text: Option<&str>) -> String {
    text.filter(|t| !t.is_empty())
        .unwrap_or("<none>")
        .to_string()
}

/// Mirrors `printPod`: READY, STATUS (with init progress, waiting and terminated reasons,
/// Terminating), RESTARTS with the last restart's age.
fn pod_cells(pod: &Pod, now: SimTime, wide: bool) -> Vec<String> {
    let total = pod.spec.containers.len();
    let ready = pod
        .status
        .container_statuses
        .iter()
        .filter(|c| c.ready)
        .count();
    let restarts: i32 = pod
        .status
        .container_statuses
        .iter()
        .map(|c| c.restart_count)
        .sum();
    let last_restart = pod
        .status
        .container_statuses
        .iter()
        .filter_map(|c| c.last_state.terminated.as_ref()?.finished_at)
        .max();
    let restarts_text = match last_restart {
        Some(at) if restarts > 0 => format!("{restarts} ({} ago)", human_duration(now - at)),
        _ => restarts.to_string(),
    };
    let mut row = vec![
        pod.metadata.name.clone(),
        format!("{ready}/{total}"),
        pod_status(pod),
        restarts_text,
        age(&pod.metadata, now),
    ];
    if wide {
        row.push(or_none(pod.status.pod_ip.as_deref()));
        row.push(or_none(pod.node_name()));
        row.push("<none>".to_string());
        row.push("<none>".to_string());
    }
    row
}

/// The STATUS column of a pod, mirroring `printPod`.
pub fn pod_status(pod: &Pod) -> String {
    let mut reason = pod
        .status
        .reason
        .clone()
        .unwrap_or_else(|| format!("{:?}", pod.phase()));
    let (initializing, init_reason) = init_status(pod);
    if let Some(text) = init_reason {
        reason = text;
    }
    if !initializing {
        let mut has_running = false;
        for status in pod.status.container_statuses.iter().rev() {
            if let Some(waiting) = &status.state.waiting
                && let Some(r) = waiting.reason.as_deref().filter(|r| !r.is_empty())
            {
                reason = r.to_string();
            } else if let Some(term) = &status.state.terminated {
                reason = match term.reason.as_deref().filter(|r| !r.is_empty()) {
                    Some(r) => r.to_string(),
                    None => format!("ExitCode:{}", term.exit_code),
                };
            } else if status.state.running.is_some() && status.ready {
                has_running = true;
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
        reason = if pod.status.reason.as_deref() == Some("NodeLost") {
            "Unknown".to_string()
        } else {
            "Terminating".to_string()
        };
    }
    reason
}

/// Whether init containers are still running, and the `Init:` status they give.
fn init_status(pod: &Pod) -> (bool, Option<String>) {
    let count = pod.spec.init_containers.len();
    for (index, status) in pod.status.init_container_statuses.iter().enumerate() {
        if let Some(term) = &status.state.terminated {
            if term.exit_code == 0 {
                continue;
            }
            let text = match term.reason.as_deref().filter(|r| !r.is_empty()) {
                Some(r) => format!("Init:{r}"),
                None => format!("Init:ExitCode:{}", term.exit_code),
            };
            return (true, Some(text));
        }
        if let Some(waiting) = &status.state.waiting
            && let Some(r) = waiting
                .reason
                .as_deref()
                .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            return (true, Some(format!("Init:{r}")));
        }
        return (true, Some(format!("Init:{index}/{count}")));
    }
    (false, None)
}

fn node_cells(node: &Node, now: SimTime, wide: bool) -> Vec<String> {
    let mut status = match node.condition_status(NodeConditionType::Ready) {
        Some(ConditionStatus::True) => "Ready".to_string(),
        Some(_) => "NotReady".to_string(),
        None => "Unknown".to_string(),
    };
    if node.is_unschedulable() {
        status.push_str(",SchedulingDisabled");
    }
    let mut row = vec![
        node.metadata.name.clone(),
        status,
        node_roles(node),
        age(&node.metadata, now),
        KUBELET_VERSION.to_string(),
    ];
    if wide {
        row.extend(["<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"].map(String::from));
    }
    row
}

/// The ROLES column: `node-role.kubernetes.io/<role>` label keys, sorted and comma-joined.
pub fn node_roles(node: &Node) -> String {
    let roles: Vec<&str> = node
        .metadata
        .labels
        .keys()
        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
        .filter(|r| !r.is_empty())
        .collect();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn ds_cells(ds: &DaemonSet, now: SimTime, wide: bool) -> Vec<String> {
    let s = &ds.status;
    let node_selector = &ds.spec.template.spec.node_selector;
    let mut row = vec![
        ds.metadata.name.clone(),
        s.desired_number_scheduled.to_string(),
        s.current_number_scheduled.to_string(),
        s.number_ready.to_string(),
        s.updated_number_scheduled.to_string(),
        s.number_available.to_string(),
        labels_text(node_selector),
        age(&ds.metadata, now),
    ];
    if wide {
        let containers = &ds.spec.template.spec.containers;
        row.push(join(containers.iter().map(|c| c.name.clone())));
        row.push(join(
            containers
                .iter()
                .map(|c| c.image.clone().unwrap_or_default()),
        ));
        row.push(selector_text(ds.spec.selector.as_ref()));
    }
    row
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(",")
}

/// A label selector as `metav1.FormatLabelSelector` prints it.
pub fn selector_text(selector: Option<&crate::sim::model::LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "<none>".to_string();
    };
    let mut parts: Vec<String> = selector
        .match_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for req in &selector.match_expressions {
        use crate::sim::model::LabelSelectorOperator as Op;
        parts.push(match req.operator {
            Op::In => format!("{} in ({})", req.key, req.values.join(",")),
            Op::NotIn => format!("{} notin ({})", req.key, req.values.join(",")),
            Op::Exists => req.key.clone(),
            Op::DoesNotExist => format!("!{}", req.key),
        });
    }
    if parts.is_empty() {
        "<none>".to_string()
    } else {
        parts.join(",")
    }
}

fn cr_cells(cr: &ControllerRevision, now: SimTime) -> Vec<String> {
    let controller = cr
        .metadata
        .controller_ref()
        .map(|o| {
            let qualified = resources::TYPES
                .iter()
                .find(|t| matches!(t.target, Target::Kind(k) if k.as_str() == o.kind))
                .map_or_else(|| o.kind.to_lowercase(), |t| t.qualified());
            format!("{qualified}/{}", o.name)
        })
        .unwrap_or_else(|| "<none>".to_string());
    vec![
        cr.metadata.name.clone(),
        controller,
        cr.revision.to_string(),
        age(&cr.metadata, now),
    ]
}

/// CONTAINERS, IMAGES and SELECTOR of a workload's `-o wide` row.
fn template_wide(
    template: &crate::sim::model::PodTemplateSpec,
    selector: Option<&crate::sim::model::LabelSelector>,
) -> [String; 3] {
    let containers = &template.spec.containers;
    [
        join(containers.iter().map(|c| c.name.clone())),
        join(
            containers
                .iter()
                .map(|c| c.image.clone().unwrap_or_default()),
        ),
        selector_text(selector),
    ]
}

/// Mirrors `printReplicaSet`: DESIRED is `spec.replicas`, CURRENT and READY from the status.
fn rs_cells(rs: &ReplicaSet, now: SimTime, wide: bool) -> Vec<String> {
    let mut row = vec![
        rs.metadata.name.clone(),
        rs.replicas().to_string(),
        rs.status.replicas.to_string(),
        rs.status.ready_replicas.to_string(),
        age(&rs.metadata, now),
    ];
    if wide {
        row.extend(template_wide(&rs.spec.template, rs.spec.selector.as_ref()));
    }
    row
}

/// Mirrors `printDeployment`: READY is `readyReplicas/replicas`.
fn deployment_cells(d: &Deployment, now: SimTime, wide: bool) -> Vec<String> {
    let mut row = vec![
        d.metadata.name.clone(),
        format!("{}/{}", d.status.ready_replicas, d.replicas()),
        d.status.updated_replicas.to_string(),
        d.status.available_replicas.to_string(),
        age(&d.metadata, now),
    ];
    if wide {
        row.extend(template_wide(&d.spec.template, d.spec.selector.as_ref()));
    }
    row
}

/// Mirrors `printCronJob`: the schedule, its zone, suspension, active Jobs and the age of the
/// last scheduled run.
fn cron_job_cells(cj: &CronJob, now: SimTime, wide: bool) -> Vec<String> {
    let last = cj
        .status
        .last_schedule_time
        .map_or_else(|| "<none>".to_string(), |at| human_duration(now - at));
    let mut row = vec![
        cj.metadata.name.clone(),
        cj.spec.schedule.clone(),
        or_none(cj.spec.time_zone.as_deref()),
        if cj.is_suspended() { "True" } else { "False" }.to_string(),
        cj.status.active.len().to_string(),
        last,
        age(&cj.metadata, now),
    ];
    if wide {
        let job = &cj.spec.job_template.spec;
        row.extend(template_wide(&job.template, job.selector.as_ref()));
    }
    row
}

/// Mirrors `printJob`: STATUS from the conditions, COMPLETIONS as `succeeded/completions`
/// (`succeeded/1 of parallelism` for a work queue), DURATION from the start time.
fn job_cells(job: &Job, now: SimTime, wide: bool) -> Vec<String> {
    let s = &job.status;
    let completions = match job.completions() {
        Some(c) => format!("{}/{c}", s.succeeded),
        None if job.parallelism() > 1 => format!("{}/1 of {}", s.succeeded, job.parallelism()),
        None => format!("{}/1", s.succeeded),
    };
    let duration = match (s.start_time, s.completion_time) {
        (Some(start), Some(done)) => human_duration(done - start),
        (Some(start), None) => human_duration(now - start),
        _ => String::new(),
    };
    let mut row = vec![
        job.metadata.name.clone(),
        job_status(job),
        completions,
        duration,
        age(&job.metadata, now),
    ];
    if wide {
        let containers = &job.spec.template.spec.containers;
        row.push(join(containers.iter().map(|c| c.name.clone())));
        row.push(join(
            containers
                .iter()
                .map(|c| c.image.clone().unwrap_or_default()),
        ));
        row.push(selector_text(job.spec.selector.as_ref()));
    }
    row
}

/// The STATUS of a Job as kubectl prints it: the first true condition of Failed, Complete,
/// Suspended, FailureTarget and SuccessCriteriaMet, else Running.
pub fn job_status(job: &Job) -> String {
    use crate::sim::model::JobConditionType as T;
    let status = [
        (T::Failed, "Failed"),
        (T::Complete, "Complete"),
        (T::Suspended, "Suspended"),
        (T::FailureTarget, "FailureTarget"),
        (T::SuccessCriteriaMet, "SuccessCriteriaMet"),
    ]
    .into_iter()
    .find(|(t, _)| job.has_condition(*t))
    .map_or("Running", |(_, word)| word);
    status.to_string()
}

fn namespace_cells(ns: &Namespace, now: SimTime, _ctx: &Ctx) -> Vec<String> {
    let phase = if ns.metadata.is_terminating() {
        "Terminating"
    } else {
        "Active"
    };
    vec![
        ns.metadata.name.clone(),
        phase.to_string(),
        age(&ns.metadata, now),
    ]
}

fn event_cells(event: &Event, now: SimTime) -> Vec<String> {
    let last = event
        .last_timestamp
        .map_or_else(|| "<unknown>".to_string(), |at| human_duration(now - at));
    let object = format!(
        "{}/{}",
        event.involved_object.kind.to_lowercase(),
        event.involved_object.name
    );
    vec![
        last,
        format!("{:?}", event.type_),
        event.reason.clone(),
        object,
        event.message.clone(),
    ]
}
