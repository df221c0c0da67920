//! `kubectl rollout status|history|undo|restart` for DaemonSets and Deployments.
//!
//! A DaemonSet's history is its ControllerRevisions; a Deployment's is its ReplicaSets and their
//! `deployment.kubernetes.io/revision` annotations, as kubectl's history viewers read them.

use super::describe::padded_table;
use super::mutate::merge_patch;
use super::resources::{self, Target};
use super::{Ctx, Output, command_error};
use crate::manifest;
use crate::sim::command::Command;
use crate::sim::model::{
    ControllerRevision, DaemonSet, Deployment, Kind, ObjectKey, ReplicaSet,
    deployment::POD_TEMPLATE_HASH,
};
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
    let Some(name) = names.first().cloned() else {
        return Output::error("required resource not specified");
    };
    let key = ObjectKey::new(&ctx.namespace, &name);
    match rtype.target {
        Target::Kind(Kind::DaemonSet) => {
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
        Target::Kind(Kind::Deployment) => {
            let Some(d) = ctx.sim.store().get::<Deployment>(&key).cloned() else {
                return Output::server("NotFound", &format!("deployments.apps {name:?} not found"));
            };
            match sub.as_str() {
                "status" => Output::ok(deployment_status(&d)),
                "history" => deployment_history(ctx, &d),
                "undo" => deployment_undo(ctx, &d),
                _ => restart_value(
                    ctx,
                    serde_json::to_value(&d).unwrap_or(Value::Null),
                    "deployment.apps",
                ),
            }
        }
        _ => Output::error(&format!("no rollout for {}", rtype.plural_qualified())),
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
    submit(ctx, &value, "daemonset.apps", "rolled back")
}

/// Stamps the template with `kubectl.kubernetes.io/restartedAt`, which starts a rollout.
fn restart(ctx: &mut Ctx, ds: &DaemonSet) -> Output {
    restart_value(
        ctx,
        serde_json::to_value(ds).unwrap_or(Value::Null),
        "daemonset.apps",
    )
}

/// Stamps any workload's template with `kubectl.kubernetes.io/restartedAt`.
fn restart_value(ctx: &mut Ctx, mut value: Value, qualified: &str) -> Output {
    let stamp = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        RESTARTED_AT: ctx.sim.now().to_rfc3339()
    }}}}});
    merge_patch(&mut value, &stamp);
    submit(ctx, &value, qualified, "restarted")
}

fn submit(ctx: &mut Ctx, value: &Value, qualified: &str, verb: &str) -> Output {
    let doc = match manifest::decode(value) {
        Ok(doc) => doc,
        Err(err) => return Output::error(&err.to_string()),
    };
    let name = doc.object.meta().name.clone();
    match ctx.sim.submit(Command::Apply(Box::new(doc.object))) {
        Ok(_) => Output::ok(format!("{qualified}/{name} {verb}\n")),
        Err(err) => command_error(&err),
    }
}

/// Mirrors kubectl's `DeploymentStatusViewer.Status`; prints the current state once.
fn deployment_status(d: &Deployment) -> String {
    let s = &d.status;
    let name = &d.metadata.name;
    if s.observed_generation.unwrap_or(0) < d.metadata.generation.unwrap_or(0) {
        return "Waiting for deployment spec update to be observed...\n".to_string();
    }
    if s.updated_replicas < d.replicas() {
        return format!(
            "Waiting for deployment {name:?} rollout to finish: {} out of {} new replicas have \
             been updated...\n",
            s.updated_replicas,
            d.replicas()
        );
    }
    if s.replicas > s.updated_replicas {
        return format!(
            "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending \
             termination...\n",
            s.replicas - s.updated_replicas
        );
    }
    if s.available_replicas < s.updated_replicas {
        return format!(
            "Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are \
             available...\n",
            s.available_replicas, s.updated_replicas
        );
    }
    format!("deployment {name:?} successfully rolled out\n")
}

/// The Deployment's ReplicaSets with a revision, oldest first.
fn replica_sets(ctx: &Ctx, d: &Deployment) -> Vec<ReplicaSet> {
    let mut sets: Vec<ReplicaSet> = ctx
        .sim
        .store()
        .list::<ReplicaSet>()
        .filter(|rs| {
            rs.metadata
                .controller_ref()
                .is_some_and(|o| o.uid == d.metadata.uid)
        })
        .filter(|rs| rs.revision().is_some())
        .cloned()
        .collect();
    sets.sort_by_key(|rs| rs.revision());
    sets
}

fn deployment_history(ctx: &Ctx, d: &Deployment) -> Output {
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for rs in replica_sets(ctx, d) {
        let cause = rs
            .metadata
            .annotations
            .get("kubernetes.io/change-cause")
            .cloned()
            .unwrap_or_else(|| "<none>".to_string());
        rows.push(vec![rs.revision().unwrap_or(0).to_string(), cause]);
    }
    Output::ok(format!(
        "deployment.apps/{} \n{}\n",
        d.metadata.name,
        padded_table(&rows, 2)
    ))
}

/// Puts the template of the previous revision (or `--to-revision`) back, without its
/// `pod-template-hash` label, as kubectl's `DeploymentRollbacker` does.
fn deployment_undo(ctx: &mut Ctx, d: &Deployment) -> Output {
    let sets = replica_sets(ctx, d);
    let wanted = ctx.args.get("to-revision").filter(|r| *r != "0");
    let target = match wanted {
        Some(wanted) => sets
            .iter()
            .find(|rs| rs.revision().map(|r| r.to_string()).as_deref() == Some(wanted)),
        None => sets.iter().rev().nth(1),
    };
    let Some(target) = target else {
        return Output::error(match wanted {
            Some(_) => "unable to find specified revision in history",
            None => "no rollout history found for deployment",
        });
    };
    let mut template = target.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH);
    let name = &d.metadata.name;
    if template == d.spec.template {
        return Output::ok(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision \
                {})\n",
            target.revision().unwrap_or(0)
        ));
    }
    let mut rolled = d.clone();
    rolled.spec.template = template;
    let value = serde_json::to_value(&rolled).unwrap_or(Value::Null);
    submit(ctx, &value, "deployment.apps", "rolled back")
}
