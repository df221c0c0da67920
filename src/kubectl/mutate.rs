//! Commands that change the cluster: apply, create, delete, scale, label, annotate, taint,
//! cordon, uncordon, drain and patch. Each submits [`Command`]s to the simulation; nothing here
//! writes the store directly.

use super::get::{Item, items};
use super::resources::{self, ResourceType, Selector, Target};
use super::{Ctx, Output, command_error};
use crate::manifest::{self, Document, ManifestError};
use crate::sim::command::{Command, Propagation};
use crate::sim::model::{Kind, Object, Pod, Taint, TaintEffect};
use crate::sim::store::ApiError;
use serde_json::Value;

/// Where manifest text comes from, as kubectl names it in messages.
const STDIN_SOURCE: &str = "STDIN";

/// The manifest text of `-f`: only `-f -` (text the caller supplies) is readable here.
fn manifest_text<'a>(ctx: &Ctx<'a>) -> Result<&'a str, Output> {
    match ctx.args.get("filename") {
        None => Err(Output::error("must specify one of -f and -k")),
        Some("-") => ctx
            .stdin
            .ok_or_else(|| Output::error("no manifest text was given on standard input")),
        Some(path) => Err(Output::error(&format!("the path {path:?} does not exist"))),
    }
}

/// The error kubectl prints for a manifest it cannot read.
fn manifest_error(err: &ManifestError) -> Output {
    let message = err.kubectl_message(STDIN_SOURCE);
    if err.is_from_server() {
        Output::server("BadRequest", &message)
    } else {
        Output::error(&message)
    }
}

/// Decodes every document first, so a malformed file changes nothing.
fn documents(ctx: &Ctx) -> Result<Vec<Document>, Output> {
    let text = manifest_text(ctx)?;
    manifest::parse(text).map_err(|e| manifest_error(&e))
}

/// Puts a namespaced object without a namespace into `-n` (or `default`), and refuses a
/// manifest whose namespace contradicts an explicit `-n`, as kubectl does.
fn place(ctx: &Ctx, object: &mut Object) -> Result<(), Output> {
    if !object.kind().is_namespaced() {
        return Ok(());
    }
    let explicit = ctx.args.get("namespace");
    let meta = manifest::meta_mut(object);
    if meta.namespace.is_empty() {
        meta.namespace = ctx.namespace.clone();
    } else if let Some(wanted) = explicit
        && wanted != meta.namespace
    {
        return Err(Output::error(&format!(
            "the namespace from the provided object {:?} does not match the namespace {wanted:?}. \
             You must pass '--namespace={}' to perform this operation.",
            meta.namespace, meta.namespace
        )));
    }
    Ok(())
}

/// The warnings kubectl prints for one document: unknown fields, then the fields Kubarium
/// keeps without simulating them.
fn warnings(doc: &Document) -> String {
    let mut text = String::new();
    for path in &doc.unknown_fields {
        text.push_str(&format!("Warning: unknown field {path:?}\n"));
    }
    for path in &doc.not_simulated {
        text.push_str(&format!("Warning: not simulated: {path}\n"));
    }
    text
}

/// `kubectl apply -f -` (and `create -f -` with `create_only`).
pub fn apply(ctx: &mut Ctx, create_only: bool) -> Output {
    let docs = match documents(ctx) {
        Ok(docs) => docs,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for mut doc in docs {
        out.stderr.push_str(&warnings(&doc));
        if let Err(err) = place(ctx, &mut doc.object) {
            out.append(err);
            continue;
        }
        out.append(apply_one(ctx, doc.object, create_only));
    }
    out
}

fn apply_one(ctx: &mut Ctx, object: Object, create_only: bool) -> Output {
    let kind = object.kind();
    let key = object.meta().key();
    let rtype = resources::of_kind(kind);
    let exists = ctx.sim.store().get_object(kind, &key).is_some();
    if create_only && exists {
        return Output::server(
            "AlreadyExists",
            &format!(
                "error when creating {STDIN_SOURCE:?}: {} {:?} already exists",
                rtype.plural_qualified(),
                key.name
            ),
        );
    }
    match ctx.sim.submit(Command::Apply(Box::new(object))) {
        Ok(outcome) => Output::ok(format!("{}\n", outcome.message)),
        Err(crate::sim::command::CommandError::Api(
            err @ (ApiError::NotFound { .. } | ApiError::AlreadyExists { .. }),
        )) => {
            let verb = if exists { "applying patch" } else { "creating" };
            let reason = match err {
                ApiError::NotFound { .. } => "NotFound",
                _ => "AlreadyExists",
            };
            Output::server(
                reason,
                &format!("error when {verb} {STDIN_SOURCE:?}: {err}"),
            )
        }
        Err(err) => command_error(&err),
    }
}

/// `kubectl create -f -`, `create namespace`, and the generators of kinds not served yet.
pub fn create(ctx: &mut Ctx) -> Output {
    if ctx.args.get("filename").is_some() {
        return apply(ctx, true);
    }
    let positional = ctx.args.positional.clone();
    match positional.first().map(String::as_str) {
        Some("namespace" | "ns") => {
            let Some(name) = positional.get(1) else {
                return Output::error("exactly one NAME is required, got 0");
            };
            let key = crate::sim::model::ObjectKey::cluster(name);
            if ctx.sim.store().namespaces().get(&key).is_some() {
                return Output::server(
                    "AlreadyExists",
                    &format!("namespaces {name:?} already exists"),
                );
            }
            let ns = crate::sim::model::Namespace::new(name);
            match ctx.sim.submit(Command::apply(ns)) {
                Ok(_) => Output::ok(format!("namespace/{name} created\n")),
                Err(err) => command_error(&err),
            }
        }
        Some("job") => create_job(ctx, positional.get(1).cloned()),
        Some("cronjob" | "cj") => create_cron_job(ctx, positional.get(1).cloned()),
        Some("deployment" | "deploy") => create_deployment(ctx, positional.get(1).cloned()),
        Some(other) => Output::error(&format!("unknown command {other:?} for \"kubectl create\"")),
        None => Output::error("must specify one of -f and -k"),
    }
}

/// `kubectl create job NAME --image=IMAGE -- COMMAND...`: one container named after the Job,
/// `restartPolicy: Never`, as kubectl's generator builds it. `--from=cronjob/NAME` needs
/// CronJobs, which this cluster does not serve yet.
fn create_job(ctx: &mut Ctx, name: Option<String>) -> Output {
    let Some(name) = name else {
        return Output::error("exactly one NAME is required, got 0");
    };
    if let Some(from) = ctx.args.get("from").map(str::to_string) {
        return create_job_from(ctx, &name, &from);
    }
    let Some(image) = ctx.args.get("image").map(str::to_string) else {
        return Output::error("either --image or --from must be specified");
    };
    let command: Vec<&str> = ctx.args.tail.iter().map(String::as_str).collect();
    let mut job = crate::sim::model::Job::new(&ctx.namespace, &name, &image, &command);
    if let Some(container) = job.spec.template.spec.containers.first_mut() {
        container.name = name.clone();
    }
    if ctx
        .sim
        .store()
        .get::<crate::sim::model::Job>(&job.metadata.key())
        .is_some()
    {
        return Output::server(
            "AlreadyExists",
            &format!("jobs.batch {name:?} already exists"),
        );
    }
    match ctx.sim.submit(Command::apply(job)) {
        Ok(_) => Output::ok(format!("job.batch/{name} created\n")),
        Err(err) => command_error(&err),
    }
}

/// `kubectl create job NAME --from=cronjob/CJ`: a Job from the CronJob's template, annotated
/// `cronjob.kubernetes.io/instantiate: manual` and owned by the CronJob, as kubectl makes it.
fn create_job_from(ctx: &mut Ctx, name: &str, from: &str) -> Output {
    let (kind, source) = from.split_once('/').unwrap_or((from, ""));
    match resources::resolve(kind) {
        Ok(t) if t.target == Target::Kind(Kind::CronJob) => {}
        Ok(_) => return Output::error(&format!("from must be an existing cronjob: {from}")),
        Err(message) => return Output::error(&message),
    }
    let key = crate::sim::model::ObjectKey::new(&ctx.namespace, source);
    let Some(cron_job) = ctx
        .sim
        .store()
        .get::<crate::sim::model::CronJob>(&key)
        .cloned()
    else {
        return Output::server("NotFound", &format!("cronjobs.batch {source:?} not found"));
    };
    let template = &cron_job.spec.job_template;
    let mut job = crate::sim::model::Job::new(&ctx.namespace, name, "", &[]);
    job.spec = template.spec.clone();
    job.metadata.labels = template.metadata.labels.clone();
    job.metadata.annotations = template.metadata.annotations.clone();
    job.metadata
        .annotations
        .insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
    job.metadata
        .owner_references
        .push(crate::sim::model::OwnerReference {
            api_version: "batch/v1".into(),
            kind: "CronJob".into(),
            name: cron_job.metadata.name.clone(),
            uid: cron_job.metadata.uid.clone(),
            controller: Some(true),
            block_owner_deletion: None,
        });
    submit_new(ctx, job, "job.batch")
}

/// `kubectl create cronjob NAME --image=IMAGE --schedule=SCHEDULE -- COMMAND...`: one container
/// named after the CronJob, `restartPolicy: OnFailure`, as kubectl's generator builds it.
fn create_cron_job(ctx: &mut Ctx, name: Option<String>) -> Output {
    let Some(name) = name else {
        return Output::error("exactly one NAME is required, got 0");
    };
    let Some(image) = ctx.args.get("image").map(str::to_string) else {
        return Output::error("required flag(s) \"image\" not set");
    };
    let Some(schedule) = ctx.args.get("schedule").map(str::to_string) else {
        return Output::error("required flag(s) \"schedule\" not set");
    };
    let command: Vec<&str> = ctx.args.tail.iter().map(String::as_str).collect();
    let cron_job =
        crate::sim::model::CronJob::new(&ctx.namespace, &name, &schedule, &image, &command);
    submit_new(ctx, cron_job, "cronjob.batch")
}

/// Creates an object that must not exist yet, printing `<qualified>/<name> created`.
fn submit_new<T: crate::sim::store::Resource>(ctx: &mut Ctx, object: T, qualified: &str) -> Output {
    let key = object.meta().key();
    if ctx.sim.store().get::<T>(&key).is_some() {
        return Output::server(
            "AlreadyExists",
            &format!("{} {:?} already exists", T::KIND.resource(), key.name),
        );
    }
    match ctx.sim.submit(Command::apply(object)) {
        Ok(_) => Output::ok(format!("{qualified}/{} created\n", key.name)),
        Err(err) => command_error(&err),
    }
}

/// `kubectl create deployment NAME --image=IMAGE [--replicas=N]`: labels `app=NAME`, one
/// container named after the image, as kubectl's generator builds it.
fn create_deployment(ctx: &mut Ctx, name: Option<String>) -> Output {
    let Some(name) = name else {
        return Output::error("exactly one NAME is required, got 0");
    };
    let Some(image) = ctx.args.get("image").map(str::to_string) else {
        return Output::error("required flag(s) \"image\" not set");
    };
    let replicas = match ctx.args.get("replicas").map(str::parse::<i32>) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            let text = ctx.args.get("replicas").unwrap_or_default();
            return Output::error(&format!(
                "invalid argument {text:?} for \"-r, --replicas\" flag: strconv.ParseInt: \
                 parsing {text:?}: invalid syntax"
            ));
        }
    };
    let mut deployment =
        crate::sim::model::Deployment::new(&ctx.namespace, &name, &image, replicas);
    if let Some(container) = deployment.spec.template.spec.containers.first_mut() {
        container.name = container_name_from_image(&image);
    }
    if !ctx.args.tail.is_empty()
        && let Some(container) = deployment.spec.template.spec.containers.first_mut()
    {
        container.command = ctx.args.tail.clone();
    }
    let key = deployment.metadata.key();
    if ctx
        .sim
        .store()
        .get::<crate::sim::model::Deployment>(&key)
        .is_some()
    {
        return Output::server(
            "AlreadyExists",
            &format!("deployments.apps {name:?} already exists"),
        );
    }
    match ctx.sim.submit(Command::apply(deployment)) {
        Ok(_) => Output::ok(format!("deployment.apps/{name} created\n")),
        Err(err) => command_error(&err),
    }
}

/// kubectl's container name for an image: the last path segment without tag or digest.
fn container_name_from_image(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last).to_string()
}

/// The objects a `delete`, `label`, `annotate` or `patch` command names: by name, `type/name`,
/// `-l` or `--all`.
/// One object a command acts on, with its resource type.
type Found = (&'static ResourceType, Item);

/// Objects not found are reported in the second value, as kubectl reports them after acting
/// on the ones it found.
fn targets(ctx: &Ctx, allow_all: bool) -> Result<(Vec<Found>, Output), Output> {
    let requests = ctx.resource_requests()?;
    if requests.is_empty() {
        return Err(Output::error(
            "You must provide one or more resources by argument or filename.",
        ));
    }
    let selector = ctx.selector()?;
    let select_all = (allow_all && ctx.args.on("all")) || ctx.args.get("selector").is_some();
    let mut found = Vec::new();
    let mut missing = Output::default();
    for (rtype, names) in requests {
        let candidates = items(
            ctx,
            rtype,
            &if names.is_empty() {
                selector.clone()
            } else {
                Selector::default()
            },
        );
        if names.is_empty() {
            if !select_all {
                return Err(Output::error(
                    "resource(s) were provided, but no name was specified",
                ));
            }
            found.extend(candidates.into_iter().map(|i| (rtype, i)));
            continue;
        }
        for name in names {
            match candidates.iter().find(|i| item_name(i) == name) {
                Some(item) => found.push((rtype, item.clone())),
                None => missing.append(Output::server(
                    "NotFound",
                    &format!("{} {name:?} not found", rtype.plural_qualified()),
                )),
            }
        }
    }
    if found.is_empty() && missing.exit_code != 0 {
        return Err(missing);
    }
    Ok((found, missing))
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::Object(o) => &o.meta().name,
        Item::Event(e) => &e.metadata.name,
    }
}

/// `kubectl delete`.
pub fn delete(ctx: &mut Ctx) -> Output {
    let propagation = match ctx.args.get("cascade") {
        None | Some("background" | "true") => Propagation::Background,
        Some("orphan" | "false") => Propagation::Orphan,
        Some("foreground") => Propagation::Foreground,
        Some(other) => {
            return Output::error(&format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \
                 \"orphan\""
            ));
        }
    };
    let mut grace = match ctx.args.get("grace-period").map(str::parse::<i64>) {
        None => None,
        Some(Ok(secs)) if secs >= 0 => Some(secs),
        Some(Ok(_)) => None,
        Some(Err(_)) => {
            return Output::error(&format!(
                "invalid argument {:?} for \"--grace-period\" flag: strconv.ParseInt: parsing \
                 {:?}: invalid syntax",
                ctx.args.get("grace-period").unwrap_or(""),
                ctx.args.get("grace-period").unwrap_or("")
            ));
        }
    };
    let mut out = Output::default();
    if ctx.args.on("force") && grace.is_none_or(|g| g == 0) {
        grace = Some(0);
        out.stderr.push_str(
            "Warning: Immediate deletion does not wait for confirmation that the running \
             resource has been terminated. The resource may continue to run on the cluster \
             indefinitely.\n",
        );
    } else if ctx.args.on("now") {
        grace = Some(1);
    }
    let (found, missing) = match targets(ctx, true) {
        Ok(found) => found,
        Err(err) => return err,
    };
    if found.is_empty() {
        out.stderr.push_str("No resources found\n");
        return out;
    }
    for (rtype, item) in found {
        let Target::Kind(kind) = rtype.target else {
            out.append(Output::error("events cannot be deleted here"));
            continue;
        };
        let Item::Object(object) = item else { continue };
        let meta = object.meta();
        let command = Command::Delete {
            kind,
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            propagation,
            grace_period_secs: grace,
        };
        out.append(match ctx.sim.submit(command) {
            Ok(_) => Output::ok(format!("{} {:?} deleted\n", rtype.qualified(), meta.name)),
            Err(err) => command_error(&err),
        });
    }
    out.append(missing);
    out
}

/// `kubectl scale TYPE NAME --replicas=N` for Deployments and ReplicaSets (the kinds with a
/// scale subresource here), as a merge patch of `spec.replicas`.
pub fn scale(ctx: &mut Ctx) -> Output {
    let Some(text) = ctx.args.get("replicas").map(str::to_string) else {
        return Output::error("required flag(s) \"replicas\" not set");
    };
    let replicas: i32 = match text.parse() {
        Ok(n) if n >= 0 => n,
        Ok(_) => {
            return Output::error(
                "The --replicas=COUNT flag is required, and COUNT must be greater than or equal \
                    to 0",
            );
        }
        Err(_) => {
            return Output::error(&format!(
                "invalid argument {text:?} for \"--replicas\" flag: strconv.ParseInt: parsing \
                 {text:?}: invalid syntax"
            ));
        }
    };
    let (found, missing) = match targets(ctx, true) {
        Ok(found) => found,
        Err(err) => return err,
    };
    let mut out = Output::default();
    for (rtype, item) in found {
        let Item::Object(object) = item else { continue };
        if !matches!(object.kind(), Kind::Deployment | Kind::ReplicaSet) {
            out.append(Output::server(
                "NotFound",
                "the server could not find the requested resource",
            ));
            continue;
        }
        let mut value = serde_json::to_value(&object).unwrap_or(Value::Null);
        merge_patch(
            &mut value,
            &serde_json::json!({"spec": {"replicas": replicas}}),
        );
        out.append(submit_value(ctx, rtype, &value, "scaled"));
    }
    out.append(missing);
    out
}

/// `kubectl label` (`field` = `labels`) and `kubectl annotate` (`field` = `annotations`).
pub fn label(ctx: &mut Ctx, field: &str, verb: &str) -> Output {
    let words = ctx.args.positional.clone();
    let (changes, resources): (Vec<String>, Vec<String>) = words
        .into_iter()
        .partition(|w| w.contains('=') || (w.ends_with('-') && !w.contains('/')));
    let Some(changes) = parse_label_changes(&changes) else {
        return Output::error("at least one label update is required");
    };
    ctx.args.positional = resources;
    let (found, missing) = match targets(ctx, true) {
        Ok(found) => found,
        Err(err) => return err,
    };
    let mut out = Output::default();
    for (rtype, item) in found {
        let Item::Object(object) = item else { continue };
        out.append(label_one(ctx, rtype, object, field, verb, &changes));
    }
    out.append(missing);
    out
}

/// `key=value` sets, `key-` removes.
fn parse_label_changes(words: &[String]) -> Option<Vec<(String, Option<String>)>> {
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w.trim_end_matches('-').to_string(), None),
            })
            .collect(),
    )
}

fn label_one(
    ctx: &mut Ctx,
    rtype: &ResourceType,
    object: Object,
    field: &str,
    verb: &str,
    changes: &[(String, Option<String>)],
) -> Output {
    let mut value = serde_json::to_value(&object).unwrap_or(Value::Null);
    let map = value
        .pointer_mut(&format!("/metadata/{field}"))
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let mut map = map;
    for (key, new) in changes {
        match new {
            Some(new) => {
                if let Some(old) = map.get(key).and_then(Value::as_str)
                    && old != new
                    && !ctx.args.on("overwrite")
                {
                    return Output::error(&format!(
                        "'{key}' already has a value ({old}), and --overwrite is false"
                    ));
                }
                map.insert(key.clone(), Value::String(new.clone()));
            }
            None => {
                map.remove(key);
            }
        }
    }
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert(field.to_string(), Value::Object(map));
    }
    let only_removals = changes.iter().all(|(_, v)| v.is_none());
    let shown = if only_removals {
        format!("un{verb}")
    } else {
        verb.to_string()
    };
    submit_value(ctx, rtype, &value, &shown)
}

/// Decodes a modified object and applies it as an update.
fn submit_value(ctx: &mut Ctx, rtype: &ResourceType, value: &Value, verb: &str) -> Output {
    let doc = match manifest::decode(value) {
        Ok(doc) => doc,
        Err(err) => return manifest_error(&err),
    };
    let name = doc.object.meta().name.clone();
    match ctx.sim.submit(Command::Apply(Box::new(doc.object))) {
        Ok(outcome) if outcome.message.ends_with("unchanged") && verb == "patched" => Output::ok(
            format!("{}/{name} patched (no change)\n", rtype.qualified()),
        ),
        Ok(_) => Output::ok(format!("{}/{name} {verb}\n", rtype.qualified())),
        Err(err) => command_error(&err),
    }
}

/// `kubectl patch TYPE NAME -p '{...}'`: a JSON merge patch (RFC 7386). Strategic merge
/// patches are read as merge patches.
///
/// DIVERGENCE: a strategic merge patch merges lists of named items (containers) by name;
/// here every list in the patch replaces the stored list, as a JSON merge patch does.
pub fn patch(ctx: &mut Ctx) -> Output {
    let Some(text) = ctx.args.get("patch").map(str::to_string) else {
        return Output::error("must specify -p to patch");
    };
    if let Some(kind) = ctx.args.get("type")
        && !matches!(kind, "merge" | "strategic")
    {
        return Output::error(&format!(
            "--type must be one of [json merge strategic], and only merge and strategic are \
             simulated, not {kind:?}"
        ));
    }
    let patch: Value = match serde_json::from_str(&text)
        .or_else(|_| serde_saphyr::from_str::<Value>(&text).map_err(|e| e.to_string()))
    {
        Ok(patch) => patch,
        Err(_) => {
            return Output::error(&format!(
                "unable to parse {text:?}: yaml: did not find expected node content"
            ));
        }
    };
    let (found, missing) = match targets(ctx, false) {
        Ok(found) => found,
        Err(err) => return err,
    };
    let mut out = Output::default();
    for (rtype, item) in found {
        let Item::Object(object) = item else { continue };
        let mut value = serde_json::to_value(&object).unwrap_or(Value::Null);
        merge_patch(&mut value, &patch);
        out.append(submit_value(ctx, rtype, &value, "patched"));
    }
    out.append(missing);
    out
}

/// RFC 7386: objects merge key by key, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(target_map) = target {
        for (key, value) in patch_map {
            if value.is_null() {
                target_map.remove(key);
            } else {
                merge_patch(target_map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// `kubectl taint nodes NAME key=value:Effect | key:Effect- | key-`.
pub fn taint(ctx: &mut Ctx) -> Output {
    let words = ctx.args.positional.clone();
    if words.len() < 3 {
        return Output::error("at least one taint update is required");
    }
    match resources::resolve(&words[0]) {
        Ok(t) if t.target == Target::Kind(Kind::Node) => {}
        Ok(t) => return Output::error(&format!("taints are only for nodes, not {}", t.plural)),
        Err(m) => return Output::error(&m),
    }
    let node = words[1].clone();
    let mut out = Output::default();
    for spec in &words[2..] {
        let command = match taint_command(&node, spec) {
            Ok(command) => command,
            Err(message) => return Output::error(&message),
        };
        let removing = matches!(command, Command::RemoveTaint { .. });
        match ctx.sim.submit(command) {
            Ok(_) => {
                let verb = if removing { "untainted" } else { "tainted" };
                out.append(Output::ok(format!("node/{node} {verb}\n")));
            }
            Err(err) => return command_error(&err),
        }
    }
    out
}

fn taint_command(node: &str, spec: &str) -> Result<Command, String> {
    let effect = |text: &str| match text {
        "NoSchedule" => Ok(TaintEffect::NoSchedule),
        "PreferNoSchedule" => Ok(TaintEffect::PreferNoSchedule),
        "NoExecute" => Ok(TaintEffect::NoExecute),
        other => Err(format!(
            "invalid taint effect: {other}, unsupported taint effect"
        )),
    };
    if let Some(body) = spec.strip_suffix('-') {
        let (key, effect) = match body.split_once(':') {
            Some((k, e)) => (k, Some(effect(e)?)),
            None => (body, None),
        };
        return Ok(Command::RemoveTaint {
            node: node.to_string(),
            key: key.to_string(),
            effect,
        });
    }
    let Some((key_value, effect_text)) = spec.split_once(':') else {
        return Err(format!("invalid taint spec: {spec}"));
    };
    let (key, value) = match key_value.split_once('=') {
        Some((k, v)) => (k, Some(v.to_string())),
        None => (key_value, None),
    };
    if key.is_empty() {
        return Err(format!("invalid taint spec: {spec}"));
    }
    let mut taint = Taint::new(key, effect(effect_text)?);
    taint.value = value;
    Ok(Command::AddTaint {
        node: node.to_string(),
        taint,
    })
}

/// `kubectl cordon` / `uncordon`.
pub fn cordon(ctx: &mut Ctx, on: bool) -> Output {
    let Some(node) = ctx.args.positional.first().cloned() else {
        return Output::error("USAGE: cordon NODE [flags]");
    };
    let command = if on {
        Command::Cordon { name: node }
    } else {
        Command::Uncordon { name: node }
    };
    match ctx.sim.submit(command) {
        Ok(outcome) => Output::ok(format!("{}\n", outcome.message)),
        Err(err) => command_error(&err),
    }
}

/// `kubectl drain NODE`: cordon, then refuse DaemonSet pods without `--ignore-daemonsets` and
/// unmanaged pods without `--force` (kubectl's words), else evict the rest.
///
/// DIVERGENCE: evictions are plain graceful deletes (no PodDisruptionBudgets) and the command
/// returns at once; kubectl waits until the evicted pods are gone.
pub fn drain(ctx: &mut Ctx) -> Output {
    let Some(node) = ctx.args.positional.first().cloned() else {
        return Output::error("USAGE: drain NODE [flags]");
    };
    let mut out = cordon(ctx, true);
    if out.exit_code != 0 {
        return out;
    }
    let plan = drain_plan(ctx, &node);
    let mut problems = Vec::new();
    if !plan.daemon.is_empty() && !ctx.args.on("ignore-daemonsets") {
        problems.push(format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            plan.daemon.join(", ")
        ));
    }
    if !plan.unmanaged.is_empty() && !ctx.args.on("force") {
        problems.push(format!(
            "cannot delete Pods declare no controller (use --force to override): {}",
            plan.unmanaged.join(", ")
        ));
    }
    if !problems.is_empty() {
        out.stderr.push_str(&format!(
            "error: unable to drain node {node:?} due to error: {}, continuing command...\n\
             There are pending nodes to be drained:\n {node}\n",
            problems.join(", ")
        ));
        for problem in &problems {
            out.stderr.push_str(&format!("{problem}\n"));
        }
        out.exit_code = 1;
        return out;
    }
    if !plan.daemon.is_empty() {
        out.stderr.push_str(&format!(
            "Warning: ignoring DaemonSet-managed Pods: {}\n",
            plan.daemon.join(", ")
        ));
    }
    for pod in plan.evict {
        out.stdout.push_str(&format!(
            "evicting pod {}/{}\n",
            pod.metadata.namespace, pod.metadata.name
        ));
        let command = Command::delete(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
        match ctx.sim.submit(command) {
            Ok(_) => out
                .stdout
                .push_str(&format!("pod/{} evicted\n", pod.metadata.name)),
            Err(err) => out.append(command_error(&err)),
        }
    }
    out.stdout.push_str(&format!("node/{node} drained\n"));
    out
}

/// The pods on a node sorted into what drain does with them.
struct DrainPlan {
    daemon: Vec<String>,
    unmanaged: Vec<String>,
    evict: Vec<Pod>,
}

fn drain_plan(ctx: &Ctx, node: &str) -> DrainPlan {
    let store = ctx.sim.store();
    let mut plan = DrainPlan {
        daemon: Vec::new(),
        unmanaged: Vec::new(),
        evict: Vec::new(),
    };
    for key in store.pods_on_node(node) {
        let Some(pod) = store.pods().get(key) else {
            continue;
        };
        if pod.phase().is_terminal() || pod.metadata.is_terminating() {
            continue;
        }
        let shown = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
        match pod.metadata.controller_ref() {
            Some(owner) if owner.kind == "DaemonSet" => plan.daemon.push(shown),
            Some(_) => plan.evict.push(pod.clone()),
            None => {
                plan.unmanaged.push(shown);
                if ctx.args.on("force") {
                    plan.evict.push(pod.clone());
                }
            }
        }
    }
    plan
}
