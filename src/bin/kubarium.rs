//! The headless command-line runner: runs scenarios natively, without a browser.
//!
//! `kubarium run FILE --until DURATION` runs a scenario and prints the end state;
//! `kubarium kubectl FILE --until DURATION -- get pods` runs one kubectl command against the
//! state at that time. The argument parser is native-only; on wasm32 this binary is an empty
//! shell so that `cargo clippy --all-targets --target wasm32-unknown-unknown` still builds it.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Args, Parser, Subcommand, ValueEnum};
    use kubarium::kubectl;
    use kubarium::scenario::{Runner, Scenario, parse_duration, report};
    use kubarium::sim::time::SimDuration;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Kubarium: a Kubernetes controller playground on a simulated clock.
    #[derive(Parser)]
    #[command(name = "kubarium", version)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    /// The subcommands. Each is one variant and one function, so more slot in beside them.
    #[derive(Subcommand)]
    enum Command {
        /// Run a scenario file and print the state at the end.
        Run(RunArgs),
        /// Run a scenario file, then one kubectl command against the state at that time.
        Kubectl(KubectlArgs),
    }

    #[derive(Args)]
    struct ScenarioArgs {
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
    struct RunArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// What to print at the end.
        #[arg(short, long, value_enum, default_value_t = RunOutput::Table)]
        output: RunOutput,
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum RunOutput {
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
    struct KubectlArgs {
        #[command(flatten)]
        scenario: ScenarioArgs,
        /// The kubectl command after `--`, e.g. `-- get pods -o wide`.
        #[arg(last = true, required = true)]
        command: Vec<String>,
    }

    fn duration(text: &str) -> Result<SimDuration, String> {
        parse_duration(text)
    }

    /// Parses the command line and runs the subcommand.
    pub fn main() -> ExitCode {
        match Cli::parse().command {
            Command::Run(args) => run(&args),
            Command::Kubectl(args) => kubectl_at(&args),
        }
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

    fn run(args: &RunArgs) -> ExitCode {
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

    fn kubectl_at(args: &KubectlArgs) -> ExitCode {
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
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
