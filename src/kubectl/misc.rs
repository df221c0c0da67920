//! `kubectl logs` (from the kubelet's kept output) and `kubectl explain` (main fields of the
//! simulated kinds).

use super::resources::{self, Target};
use super::{Ctx, Output};
use crate::sim::model::{Kind, ObjectKey};

/// `kubectl logs POD [-c CONTAINER] [--previous] [--tail N]`.
pub fn logs(ctx: &mut Ctx) -> Output {
    let Some(word) = ctx.args.positional.first().cloned() else {
        return Output::error("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.");
    };
    let name = match word.split_once('/') {
        Some((kind, name)) => match resources::resolve(kind) {
            Ok(t) if t.target == Target::Kind(Kind::Pod) => name.to_string(),
            Ok(t) => {
                return Output::error(&format!(
                    "cannot get the logs from {}",
                    t.plural_qualified()
                ));
            }
            Err(m) => return Output::error(&m),
        },
        None => word,
    };
    let key = ObjectKey::new(&ctx.namespace, &name);
    let Some(pod) = ctx.sim.store().pods().get(&key).cloned() else {
        return Output::server("NotFound", &format!("pods {name:?} not found"));
    };
    let container = match pick_container(ctx, &pod) {
        Ok(container) => container,
        Err(out) => return out,
    };
    let previous = ctx.args.on("previous");
    let cluster = ctx.sim.cluster();
    let lines = cluster
        .kubelets
        .logs(&pod.metadata.uid, &container, ctx.sim.now(), previous);
    let Some(mut lines) = lines else {
        let reason = pod
            .status
            .container_statuses
            .iter()
            .find(|s| s.name == container)
            .and_then(|s| s.state.waiting.as_ref())
            .and_then(|w| w.reason.clone())
            .unwrap_or_else(|| "ContainerCreating".to_string());
        return Output::server(
            "BadRequest",
            &format!("container {container:?} in pod {name:?} is waiting to start: {reason}"),
        );
    };
    if let Some(tail) = ctx.args.get("tail").and_then(|t| t.parse::<usize>().ok()) {
        let skip = lines.len().saturating_sub(tail);
        lines.drain(..skip);
    }
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    Output::ok(text)
}

/// The container `-c` names, or the only one; kubectl's errors otherwise.
fn pick_container(ctx: &Ctx, pod: &crate::sim::model::Pod) -> Result<String, Output> {
    let name = &pod.metadata.name;
    let names: Vec<&str> = pod
        .spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let container = match ctx.args.get("container") {
        Some(c) => c.to_string(),
        None if names.len() == 1 => names[0].to_string(),
        None => {
            return Err(Output::error(&format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                names.join(" ")
            )));
        }
    };
    if !names.contains(&container.as_str()) {
        return Err(Output::server(
            "BadRequest",
            &format!("container {container} is not valid for pod {name}"),
        ));
    }
    Ok(container)
}

/// One documented field: name, type, one line of description.
type Field = (&'static str, &'static str, &'static str);

/// The fields shared by every kind's top level.
const META: Field = ("metadata", "<ObjectMeta>", "Standard object's metadata.");
/// `apiVersion`.
const API: Field = (
    "apiVersion",
    "<string>",
    "The versioned schema of this object.",
);
/// `kind`.
const KIND: Field = (
    "kind",
    "<string>",
    "The REST resource this object represents.",
);

/// What `explain` knows: a path (plural resource name, then fields), its description and its
/// fields.
const EXPLAIN: &[(&str, &str, &[Field])] = &[
    (
        "pods",
        "A Pod is a group of containers that run together on one node.",
        &[
            API,
            KIND,
            META,
            (
                "spec",
                "<PodSpec>",
                "What the pod should run and where it may run.",
            ),
            (
                "status",
                "<PodStatus>",
                "What the kubelet last reported about the pod.",
            ),
        ],
    ),
    (
        "pods.spec",
        "What the pod should run and where it may run.",
        &[
            (
                "affinity",
                "<Affinity>",
                "Rules for the nodes the pod may be scheduled on.",
            ),
            (
                "containers",
                "<[]Container> -required-",
                "The app containers of the pod.",
            ),
            (
                "initContainers",
                "<[]Container>",
                "Containers run one by one before the app containers.",
            ),
            (
                "nodeName",
                "<string>",
                "The node the pod is bound to; set by the scheduler.",
            ),
            (
                "nodeSelector",
                "<map[string]string>",
                "Labels a node must carry to run the pod.",
            ),
            (
                "restartPolicy",
                "<string>",
                "Always, OnFailure or Never; Always when unset.",
            ),
            (
                "terminationGracePeriodSeconds",
                "<integer>",
                "Seconds between SIGTERM and SIGKILL; 30 when unset.",
            ),
            ("tolerations", "<[]Toleration>", "Taints the pod tolerates."),
        ],
    ),
    (
        "nodes",
        "A Node is a machine whose kubelet runs pods.",
        &[
            API,
            KIND,
            META,
            (
                "spec",
                "<NodeSpec>",
                "Taints and whether new pods may be scheduled.",
            ),
            (
                "status",
                "<NodeStatus>",
                "Capacity, allocatable resources and conditions.",
            ),
        ],
    ),
    (
        "nodes.spec",
        "Taints and whether new pods may be scheduled.",
        &[
            (
                "taints",
                "<[]Taint>",
                "Taints that repel pods which do not tolerate them.",
            ),
            (
                "unschedulable",
                "<boolean>",
                "True when cordoned: no new pods are placed.",
            ),
        ],
    ),
    (
        "daemonsets",
        "A DaemonSet runs one copy of a pod on every eligible node.",
        &[
            API,
            KIND,
            META,
            (
                "spec",
                "<DaemonSetSpec>",
                "The desired behavior of this daemon set.",
            ),
            (
                "status",
                "<DaemonSetStatus>",
                "What the controller last observed.",
            ),
        ],
    ),
    (
        "daemonsets.spec",
        "The desired behavior of this daemon set.",
        &[
            (
                "minReadySeconds",
                "<integer>",
                "Seconds a new pod must be ready before it counts as available.",
            ),
            (
                "revisionHistoryLimit",
                "<integer>",
                "How many old revisions to keep for rollback; 10 when unset.",
            ),
            (
                "selector",
                "<LabelSelector> -required-",
                "Which pods belong to the daemon set; must match the template labels.",
            ),
            (
                "template",
                "<PodTemplateSpec> -required-",
                "The pod created on each eligible node.",
            ),
            (
                "updateStrategy",
                "<DaemonSetUpdateStrategy>",
                "How pods are replaced after a template change.",
            ),
        ],
    ),
    (
        "jobs",
        "A Job runs pods until a number of them finish successfully.",
        &[
            API,
            KIND,
            META,
            (
                "spec",
                "<JobSpec>",
                "How many pods to run, how often to retry, the pod template.",
            ),
            (
                "status",
                "<JobStatus>",
                "Active, succeeded and failed pods, and the conditions.",
            ),
        ],
    ),
    (
        "jobs.spec",
        "How many pods to run, how often to retry, the pod template.",
        &[
            (
                "activeDeadlineSeconds",
                "<integer>",
                "Seconds the Job may run before it is failed.",
            ),
            (
                "backoffLimit",
                "<integer>",
                "Failed pods tolerated before the Job fails; 6 when unset.",
            ),
            (
                "completionMode",
                "<string>",
                "NonIndexed or Indexed (each pod gets an index).",
            ),
            (
                "completions",
                "<integer>",
                "Successful pods needed; unset means any one success.",
            ),
            (
                "parallelism",
                "<integer>",
                "Pods running at once at most; 1 when unset.",
            ),
            (
                "podFailurePolicy",
                "<PodFailurePolicy>",
                "Rules that fail, ignore or count a pod failure by exit code or condition.",
            ),
            (
                "suspend",
                "<boolean>",
                "True stops creating pods and deletes active ones.",
            ),
            (
                "template",
                "<PodTemplateSpec> -required-",
                "The pod each attempt runs; immutable.",
            ),
            (
                "ttlSecondsAfterFinished",
                "<integer>",
                "Seconds after finishing before the Job is deleted.",
            ),
        ],
    ),
    (
        "cronjobs",
        "A CronJob creates Jobs on a repeating schedule.",
        &[
            API,
            KIND,
            META,
            (
                "spec",
                "<CronJobSpec>",
                "The schedule and the Job template.",
            ),
            (
                "status",
                "<CronJobStatus>",
                "Active Jobs and the last scheduled and successful times.",
            ),
        ],
    ),
    (
        "cronjobs.spec",
        "The schedule and the Job template.",
        &[
            (
                "concurrencyPolicy",
                "<string>",
                "Allow, Forbid or Replace: what to do when a run is due while one is active.",
            ),
            (
                "failedJobsHistoryLimit",
                "<integer>",
                "Failed Jobs kept; 1 when unset.",
            ),
            (
                "jobTemplate",
                "<JobTemplateSpec> -required-",
                "The Job each run creates.",
            ),
            (
                "schedule",
                "<string> -required-",
                "A cron schedule such as \"*/5 * * * *\" or \"@hourly\".",
            ),
            (
                "startingDeadlineSeconds",
                "<integer>",
                "A run later than this is skipped.",
            ),
            (
                "successfulJobsHistoryLimit",
                "<integer>",
                "Successful Jobs kept; 3 when unset.",
            ),
            (
                "suspend",
                "<boolean>",
                "True stops new runs; running Jobs continue.",
            ),
            (
                "timeZone",
                "<string>",
                "The IANA zone the schedule is read in.",
            ),
        ],
    ),
];

/// The documented fields of a path, with the path's own description.
fn fields(path: &str) -> Option<(&'static str, &'static [Field])> {
    EXPLAIN
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, description, fields)| (*description, *fields))
}

/// `kubectl explain TYPE[.field...]`.
pub fn explain(ctx: &mut Ctx) -> Output {
    let Some(word) = ctx.args.positional.first().cloned() else {
        return Output::error(
            "You must specify the type of resource to explain. Use \"kubectl api-resources\" \
             for a complete list of supported resources.",
        );
    };
    let (head, rest) = match word.split_once('.') {
        Some((h, r)) => (h.to_string(), Some(r.to_string())),
        None => (word.clone(), None),
    };
    let rtype = match resources::resolve(&head) {
        Ok(t) => t,
        Err(m) => return Output::error(&m),
    };
    let Target::Kind(kind) = rtype.target else {
        return Output::error("explain is not available for events");
    };
    let path = match &rest {
        Some(r) => format!("{}.{r}", rtype.plural),
        None => rtype.plural.to_string(),
    };
    let Some((description, fields)) = fields(&path) else {
        return Output::error(&format!(
            "field {:?} does not exist",
            rest.unwrap_or_else(|| rtype.plural.to_string())
        ));
    };
    let mut text = format!(
        "KIND:       {}\nVERSION:    {}\n\n",
        kind.as_str(),
        kind.api_version()
    );
    if let Some(rest) = &rest {
        text.push_str(&format!("FIELD: {rest}\n\n"));
    }
    text.push_str(&format!("DESCRIPTION:\n    {description}\n\nFIELDS:\n"));
    for (name, type_, doc) in fields {
        text.push_str(&format!("  {name}\t{type_}\n    {doc}\n\n"));
    }
    Output::ok(text)
}
