//! `kubarium run` and `kubarium kubectl`: scenario files run headless.
//!
//! `run FILE --until DURATION` runs a scenario and prints the end state; `kubectl FILE --until
//! DURATION -- get pods` runs one kubectl command against the state at that time.

use clap::{Args, ValueEnum};
use kubarium::kubectl;
use kubarium::scenario::{Runner, Scenario, parse_duration, report};
use kubarium::sim::time::SimDuration;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ScenarioArgs {
    /// The scenario file (manifests plus one `kind: Scenario` document).
    file: PathBuf,
    /// How long to run, as a Go duration from the scenario's start time (`90s`, `1h30m`).
    #[arg(long, value_parser = duration)]
    until: SimDuration,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Args)]
pub struct RunArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// What to print at the end.
    #[arg(short, long, value_enum, default_value_t = RunOutput::Table)]
    output: RunOutput,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RunOutput {
    /// Every object (Events included) as a `v1 List`, like `kubectl get -o json`.
    Json,
    /// The same List as YAML.
    Yaml,
    /// The Event log, oldest first.
    Events,
    /// The timeline's outputs, then `kubectl get nodes` and `kubectl get all -A`.
    Table,
}

#[derive(Args)]
pub struct KubectlArgs {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The kubectl command after `--`, e.g. `-- get pods -o wide`.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

fn duration(text: &str) -> Result<SimDuration, String> {
    parse_duration(text)
}

/// Reads, loads and runs the scenario to `--until`.
fn run_scenario(args: &ScenarioArgs) -> Result<Runner, String> {
    let path = &args.file;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |name: &str| {
        std::fs::read_to_string(dir.join(name)).map_err(|e| format!("include {name:?}: {e}"))
    };
    let scenario = Scenario::parse_with(&text, &resolve)
        .map_err(|e| format!("error: {}: {e}", path.display()))?;
    let (mut runner, loaded) =
        Runner::new(scenario, args.seed).map_err(|e| format!("error: {e}"))?;
    for skipped in &loaded.skipped {
        eprintln!("warning: skipped: {skipped}");
    }
    runner
        .run_to(args.until)
        .map_err(|e| format!("error: {e}"))?;
    Ok(runner)
}

pub fn run(args: &RunArgs) -> ExitCode {
    let mut runner = match run_scenario(&args.scenario) {
        Ok(runner) => runner,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let start = runner.sim.now() - args.scenario.until;
    let text = match args.output {
        RunOutput::Json => kubectl::get::to_json_pretty(&report::all_objects(&runner.sim)),
        RunOutput::Yaml => kubarium::manifest::to_yaml(&report::all_objects(&runner.sim)),
        RunOutput::Events => report::events_text(&runner.sim, start),
        RunOutput::Table => format!(
            "{}{}",
            report::actions_text(&runner.log),
            report::tables_text(&mut runner.sim)
        ),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

pub fn kubectl_at(args: &KubectlArgs) -> ExitCode {
    let mut runner = match run_scenario(&args.scenario) {
        Ok(runner) => runner,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let line = shell_words::join(&args.command);
    let out = kubectl::run(&mut runner.sim, &line, None);
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::from(u8::try_from(out.exit_code).unwrap_or(1))
}
