//! `kubectl rollout status|history|undo|restart` for DaemonSets.
//!
//! TODO(#6): Deployments once the Deployment controller lands.

use super::describe::padded_table;
use super::mutate::merge_patch;
use super::resources::{self, Target};
use super::{Ctx, Output, command_error};
use crate::manifest;
use crate::sim::command::Command;
use crate::sim::model::{ControllerRevision, DaemonSet, Kind, ObjectKey};
use serde_json::Value;

/// The annotation `rollout restart` stamps on the pod template.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// `kubectl rollout SUBCOMMAND TYPE/NAME`.
pub fn run(ctx: &mut Ctx) -> Output {
    let words = ctx.args.positional.clone();
    let Some(sub) = words.first().cloned() else {
        return Output::error("Manage the rollout of one or many resources: give a subcommand");
    };
    if !matches!(sub.as_str(), "status" | "history" | "undo" | "restart") {
        return Output::error(&format!("unknown command {sub:?} for \"kubectl rollout\""));
    }
    ctx.args.positional = words[1..].to_vec();
    let requests = match ctx.resource_requests() {
        Ok(r) => r,
        Err(out) => return out,
    };
    let Some((rtype, names)) = requests.first() else {
        return Output::error("required resource not specified");
    };
    if rtype.target != Target::Kind(Kind::DaemonSet) {
        return Output::error(&format!("no rollout for {}", rtype.plural));
    }
    let Some(name) = names.first() else {
        return Output::error("required resource not specified");
    };
    let key = ObjectKey::new(&ctx.namespace, name);
    let Some(ds) = ctx.sim.store().daemon_sets().get(&key).cloned() else {
        return Output::server("NotFound", &format!("daemonsets.apps {name:?} not found"));
    };
    match sub.as_str() {
        "status" => Output::ok(status(&ds)),
        "history" => history(ctx, &ds),
        "undo" => undo(ctx, &ds),
        _ => restart(ctx, &ds),
    }
}

/// Mirrors kubectl's `DaemonSetStatusViewer.Status`; prints the current state once.
///
/// DIVERGENCE: kubectl watches until the rollout finishes; here the state at this instant is
/// printed, as `--watch=false` does.
fn status(ds: &DaemonSet) -> String {
    let s = &ds.status;
    let name = &ds.metadata.name;
    if s.observed_generation.unwrap_or(0) < ds.metadata.generation.unwrap_or(0) {
        return "Waiting for daemon set spec update to be observed...\n".to_string();
    }
    if s.updated_number_scheduled < s.desired_number_scheduled {
        return format!(
            "Waiting for daemon set {name:?} rollout to finish: {} out of {} new pods have been \
             updated...\n",
            s.updated_number_scheduled, s.desired_number_scheduled
        );
    }
    if s.number_available < s.desired_number_scheduled {
        return format!(
            "Waiting for daemon set {name:?} rollout to finish: {} of {} updated pods are \
             available...\n",
            s.number_available, s.desired_number_scheduled
        );
    }
    format!("daemon set {name:?} successfully rolled out\n")
}

/// The DaemonSet's revisions, oldest first.
fn revisions(ctx: &Ctx, ds: &DaemonSet) -> Vec<ControllerRevision> {
    let mut revisions: Vec<ControllerRevision> = ctx
        .sim
        .store()
        .controller_revisions()
        .in_namespace(&ds.metadata.namespace)
        .filter(|r| {
            r.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == ds.metadata.uid)
        })
        .cloned()
        .collect();
    revisions.sort_by_key(|r| r.revision);
    revisions
}

fn history(ctx: &Ctx, ds: &DaemonSet) -> Output {
    let revisions = revisions(ctx, ds);
    let qualified = resources::of_kind(Kind::DaemonSet).qualified();
    if let Some(wanted) = ctx.args.get("revision") {
        let Some(revision) = revisions.iter().find(|r| r.revision.to_string() == wanted) else {
            return Output::error(&format!("unable to find the specified revision {wanted}"));
        };
        let template = revision
            .data
            .pointer("/spec/template")
            .cloned()
            .unwrap_or(Value::Null);
        return Output::ok(format!(
            "{qualified}/{} with revision #{wanted}\n{}",
            ds.metadata.name,
            manifest::to_yaml(&template)
        ));
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for revision in &revisions {
        let cause = revision
            .metadata
            .annotations
            .get("kubernetes.io/change-cause")
            .cloned()
            .unwrap_or_else(|| "<none>".to_string());
        rows.push(vec![revision.revision.to_string(), cause]);
    }
    Output::ok(format!(
        "{qualified}/{} \n{}\n",
        ds.metadata.name,
        padded_table(&rows, 2)
    ))
}

/// Rolls the template back to the previous revision (or `--to-revision`).
fn undo(ctx: &mut Ctx, ds: &DaemonSet) -> Output {
    let revisions = revisions(ctx, ds);
    let target = match ctx.args.get("to-revision").filter(|r| *r != "0") {
        Some(wanted) => revisions.iter().find(|r| r.revision.to_string() == wanted),
        None => revisions.iter().rev().nth(1),
    };
    let Some(target) = target else {
        return Output::error(match ctx.args.get("to-revision") {
            Some(_) => "unable to find specified revision in history",
            None => "no rollout history found for daemonset",
        });
    };
    let mut patch = target.data.clone();
    if let Some(template) = patch
        .pointer_mut("/spec/template")
        .and_then(Value::as_object_mut)
    {
        template.remove("$patch");
    }
    let mut value = serde_json::to_value(ds).unwrap_or(Value::Null);
    if let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("template");
    }
    merge_patch(&mut value, &patch);
    submit(ctx, &value, "rolled back")
}

/// Stamps the template with `kubectl.kubernetes.io/restartedAt`, which starts a rollout.
fn restart(ctx: &mut Ctx, ds: &DaemonSet) -> Output {
    let mut value = serde_json::to_value(ds).unwrap_or(Value::Null);
    let stamp = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        RESTARTED_AT: ctx.sim.now().to_rfc3339()
    }}}}});
    merge_patch(&mut value, &stamp);
    submit(ctx, &value, "restarted")
}

fn submit(ctx: &mut Ctx, value: &Value, verb: &str) -> Output {
    let doc = match manifest::decode(value) {
        Ok(doc) => doc,
        Err(err) => return Output::error(&err.to_string()),
    };
    let name = doc.object.meta().name.clone();
    match ctx.sim.submit(Command::Apply(Box::new(doc.object))) {
        Ok(_) => Output::ok(format!("daemonset.apps/{name} {verb}\n")),
        Err(err) => command_error(&err),
    }
}
