//! A kubectl emulator over the simulated cluster: the browser console, the scenario runner and
//! the CLI all speak to the simulation through it, with kubectl's words and columns.
//!
//! [`run`] takes one command line (`kubectl get pods -o wide`; the leading `kubectl` is
//! optional), splits it into words with shell quoting, and answers with an [`Output`]: what
//! kubectl would print on standard output and standard error, and its exit code. Text that
//! kubectl would read from a file or standard input (`apply -f -`) is passed as `stdin`.
//!
//! Commands never panic on input: an unknown command, flag, resource type or object is an error
//! worded as kubectl words it, and leaves the cluster unchanged.

pub mod args;
pub mod describe;
pub mod format;
pub mod get;
mod misc;
mod mutate;
pub mod printers;
pub mod resources;
mod rollout;

use crate::sim::Sim;
use crate::sim::command::CommandError;
use crate::sim::store::ApiError;
use args::{FlagSpec, Parsed, switch, value};
use resources::{ResourceType, Selector};

/// What a command printed and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// 0 on success, 1 on error (kubectl's codes).
    pub exit_code: i32,
}

impl Output {
    /// Success with `stdout`.
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            ..Output::default()
        }
    }

    /// Success that only prints to standard error (e.g. `No resources found`).
    pub fn stderr_only(stderr: &str) -> Output {
        Output {
            stderr: stderr.to_string(),
            ..Output::default()
        }
    }

    /// kubectl's client-side failure: `error: <message>`.
    pub fn error(message: &str) -> Output {
        Output {
            stderr: format!("error: {message}\n"),
            exit_code: 1,
            ..Output::default()
        }
    }

    /// A failure reported by the API server: `Error from server (<Reason>): <message>`.
    pub fn server(reason: &str, message: &str) -> Output {
        Output {
            stderr: format!("Error from server ({reason}): {message}\n"),
            exit_code: 1,
            ..Output::default()
        }
    }

    /// Appends another command's output (for commands acting on several objects).
    pub fn append(&mut self, other: Output) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.exit_code = self.exit_code.max(other.exit_code);
    }
}

/// The error kubectl prints for a refused command.
pub fn command_error(err: &CommandError) -> Output {
    match err {
        CommandError::Api(api) => api_error(api),
        CommandError::Rejected(message) => Output::error(message),
    }
}

/// The error kubectl prints for an API error. Validation errors read
/// `The DaemonSet "x" is invalid: ...`, as kubectl rewrites the server's `Invalid` status.
pub fn api_error(err: &ApiError) -> Output {
    match err {
        ApiError::NotFound { .. } => Output::server("NotFound", &err.to_string()),
        ApiError::AlreadyExists { .. } => Output::server("AlreadyExists", &err.to_string()),
        ApiError::Invalid(message) => match invalid_with_kind(message) {
            Some(text) => Output {
                stderr: format!("{text}\n"),
                exit_code: 1,
                ..Output::default()
            },
            None => Output::server("Invalid", message),
        },
    }
}

/// `DaemonSet.apps "x" is invalid: rest` becomes `The DaemonSet "x" is invalid: rest`.
fn invalid_with_kind(message: &str) -> Option<String> {
    let (head, rest) = message.split_once(" is invalid: ")?;
    let (kind, name) = head.split_once(' ')?;
    let kind = kind.split('.').next()?;
    Some(format!("The {kind} {name} is invalid: {rest}"))
}

/// The commands this emulator knows, for `Did you mean this?` hints and the playground
/// console's tab completion.
pub const COMMANDS: &[&str] = &[
    "annotate", "apply", "cordon", "create", "delete", "describe", "drain", "explain", "get",
    "label", "logs", "patch", "rollout", "scale", "taint", "uncordon",
];

/// One command being run: the simulation, the parsed words and the resolved namespace.
pub struct Ctx<'a> {
    /// The cluster.
    pub sim: &'a mut Sim,
    /// Words and flags after the command name.
    pub args: Parsed,
    /// `-n`, or `default`.
    pub namespace: String,
    /// `-A`.
    pub all_namespaces: bool,
    /// Text for `-f -`.
    pub stdin: Option<&'a str>,
    /// The command name, for `See 'kubectl get --help'` lines.
    pub command: String,
}

/// Flags every command accepts.
const COMMON: &[FlagSpec] = &[value("namespace", Some('n'))];

/// Runs one kubectl command line against `sim`.
pub fn run(sim: &mut Sim, line: &str, stdin: Option<&str>) -> Output {
    let words = match args::split_words(line) {
        Ok(words) => words,
        Err(message) => return Output::error(&message),
    };
    let words: Vec<String> = match words.first().map(String::as_str) {
        Some("kubectl") => words[1..].to_vec(),
        _ => words,
    };
    let Some(command) = words.first().cloned() else {
        return Output::error("no command given; try \"kubectl get pods\"");
    };
    let Some(specs) = flag_specs(&command) else {
        return unknown_command(&command);
    };
    let mut all_specs: Vec<FlagSpec> = COMMON.to_vec();
    all_specs.extend_from_slice(specs);
    let parsed = match args::parse(&words[1..], &all_specs) {
        Ok(parsed) => parsed,
        Err(message) => {
            let mut out = Output::error(&message);
            out.stderr
                .push_str(&format!("See 'kubectl {command} --help' for usage.\n"));
            return out;
        }
    };
    let namespace = parsed.get("namespace").unwrap_or("default").to_string();
    let all_namespaces = parsed.on("all-namespaces");
    let mut ctx = Ctx {
        sim,
        args: parsed,
        namespace,
        all_namespaces,
        stdin,
        command: command.clone(),
    };
    dispatch(&mut ctx)
}

fn dispatch(ctx: &mut Ctx) -> Output {
    match ctx.command.as_str() {
        "get" => get::run(ctx),
        "describe" => describe::run(ctx),
        "apply" => mutate::apply(ctx, false),
        "create" => mutate::create(ctx),
        "delete" => mutate::delete(ctx),
        "scale" => mutate::scale(ctx),
        "label" => mutate::label(ctx, "labels", "labeled"),
        "annotate" => mutate::label(ctx, "annotations", "annotated"),
        "taint" => mutate::taint(ctx),
        "cordon" => mutate::cordon(ctx, true),
        "uncordon" => mutate::cordon(ctx, false),
        "drain" => mutate::drain(ctx),
        "patch" => mutate::patch(ctx),
        "rollout" => rollout::run(ctx),
        "logs" => misc::logs(ctx),
        "explain" => misc::explain(ctx),
        other => unknown_command(other),
    }
}

/// Flags of `get`.
const GET: &[FlagSpec] = &[
    value("output", Some('o')),
    value("selector", Some('l')),
    switch("all-namespaces", Some('A')),
    switch("show-labels", None),
    switch("watch", Some('w')),
];
/// Flags of `describe`.
const DESCRIBE: &[FlagSpec] = &[
    value("selector", Some('l')),
    switch("all-namespaces", Some('A')),
];
/// Flags of `apply`.
const APPLY: &[FlagSpec] = &[value("filename", Some('f')), value("output", Some('o'))];
/// Flags of `create`.
const CREATE: &[FlagSpec] = &[
    value("filename", Some('f')),
    value("image", None),
    value("schedule", None),
    value("from", None),
    value("replicas", Some('r')),
    value("output", Some('o')),
];
/// Flags of `delete`.
const DELETE: &[FlagSpec] = &[
    value("selector", Some('l')),
    switch("all", None),
    value("cascade", None),
    value("grace-period", None),
    switch("force", None),
    switch("now", None),
    value("filename", Some('f')),
    switch("all-namespaces", Some('A')),
    switch("wait", None),
];
/// Flags of `scale`.
const SCALE: &[FlagSpec] = &[value("replicas", None)];
/// Flags of `label` and `annotate`.
const LABEL: &[FlagSpec] = &[
    switch("overwrite", None),
    value("selector", Some('l')),
    switch("all", None),
];
/// Flags of `taint`.
const TAINT: &[FlagSpec] = &[switch("overwrite", None)];
/// Flags of commands without flags of their own.
const NONE: &[FlagSpec] = &[];
/// Flags of `drain`.
const DRAIN: &[FlagSpec] = &[
    switch("ignore-daemonsets", None),
    switch("delete-emptydir-data", None),
    switch("force", None),
    value("grace-period", None),
    value("timeout", None),
];
/// Flags of `patch`.
const PATCH: &[FlagSpec] = &[value("patch", Some('p')), value("type", None)];
/// Flags of `rollout`.
const ROLLOUT: &[FlagSpec] = &[
    value("to-revision", None),
    value("revision", None),
    switch("watch", Some('w')),
    value("timeout", None),
];
/// Flags of `logs`.
const LOGS: &[FlagSpec] = &[
    value("container", Some('c')),
    switch("previous", Some('p')),
    value("tail", None),
    switch("follow", Some('f')),
];
/// Flags of `explain`.
const EXPLAIN: &[FlagSpec] = &[switch("recursive", None)];

/// The flags each command accepts; `None` for an unknown command.
fn flag_specs(command: &str) -> Option<&'static [FlagSpec]> {
    Some(match command {
        "get" => GET,
        "describe" => DESCRIBE,
        "apply" => APPLY,
        "create" => CREATE,
        "delete" => DELETE,
        "scale" => SCALE,
        "label" | "annotate" => LABEL,
        "taint" => TAINT,
        "cordon" | "uncordon" => NONE,
        "drain" => DRAIN,
        "patch" => PATCH,
        "rollout" => ROLLOUT,
        "logs" => LOGS,
        "explain" => EXPLAIN,
        _ => return None,
    })
}

/// cobra's `unknown command` error with its suggestions (edit distance at most 2, or a prefix).
fn unknown_command(command: &str) -> Output {
    let suggestions: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| strsim::levenshtein(c, command) <= 2 || c.starts_with(command))
        .collect();
    let mut message = format!("unknown command {command:?} for \"kubectl\"");
    if !suggestions.is_empty() {
        message.push_str("\n\nDid you mean this?");
        for suggestion in suggestions {
            message.push_str(&format!("\n\t{suggestion}"));
        }
    }
    Output::error(&message)
}

impl Ctx<'_> {
    /// The `-l` selector (empty when absent).
    pub fn selector(&self) -> Result<Selector, Output> {
        Selector::parse(self.args.get("selector").unwrap_or("")).map_err(|m| Output::error(&m))
    }

    /// The positional words as (type, names) requests: `pods a b`, `pods,ds`, `ds/x pod/y`.
    pub fn resource_requests(&self) -> Result<Vec<(&'static ResourceType, Vec<String>)>, Output> {
        let words = &self.args.positional;
        let Some(first) = words.first() else {
            return Ok(Vec::new());
        };
        let mut requests: Vec<(&'static ResourceType, Vec<String>)> = Vec::new();
        if first.contains('/') {
            for word in words {
                let Some((kind, name)) = word.split_once('/') else {
                    return Err(Output::error(
                        "there is no need to specify a resource type as a separate argument \
                         when passing arguments in resource/name form (e.g. 'kubectl get \
                         resource/<resource_name>' instead of 'kubectl get resource \
                         resource/<resource_name>'",
                    ));
                };
                let rtype = resources::resolve(kind).map_err(|m| Output::error(&m))?;
                match requests.iter_mut().find(|(t, _)| std::ptr::eq(*t, rtype)) {
                    Some((_, names)) => names.push(name.to_string()),
                    None => requests.push((rtype, vec![name.to_string()])),
                }
            }
            return Ok(requests);
        }
        for kind in first.split(',') {
            if kind == "all" {
                for plural in ALL_TYPES {
                    let rtype = resources::resolve(plural).map_err(|m| Output::error(&m))?;
                    requests.push((rtype, Vec::new()));
                }
                continue;
            }
            let rtype = resources::resolve(kind).map_err(|m| Output::error(&m))?;
            requests.push((rtype, words[1..].to_vec()));
        }
        Ok(requests)
    }
}

/// What `get all` lists, in kubectl's order, among the types this cluster serves.
const ALL_TYPES: &[&str] = &[
    "pods",
    "daemonsets",
    "deployments",
    "replicasets",
    "jobs",
    "cronjobs",
];

#[cfg(test)]
mod tests;
