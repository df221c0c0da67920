//! The headless command-line runner: runs scenarios and schedules natively, without a browser.
//!
//! `kubarium run FILE --until DURATION` runs a scenario and prints the end state;
//! `kubarium kubectl FILE --until DURATION -- get pods` runs one kubectl command against the
//! state at that time (both in `kubarium/scenario_cmd.rs`).
//! `kubarium schedule "EXPR"` checks a CronJob schedule as the API server would, describes it
//! and lists its next runs; `--jsonl` answers schedule vectors read from standard input.
//! The argument parser is native-only; on wasm32 this binary is an empty shell so that
//! `cargo clippy --all-targets --target wasm32-unknown-unknown` still builds it.

#[cfg(not(target_arch = "wasm32"))]
#[path = "kubarium/scenario_cmd.rs"]
mod scenario_cmd;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use crate::scenario_cmd;
    use clap::{Args, Parser, Subcommand};
    use kubarium::sim::schedule::{
        Schedule, Tz, describe, parse_time_zone, validate_schedule, validate_time_zone,
    };
    use kubarium::sim::time::SimTime;
    use serde::{Deserialize, Serialize};
    use std::io::{BufRead, Write};
    use std::process::ExitCode;

    /// Runs count in a vector line when `--count` is not given, as in the reference vectors.
    const VECTOR_RUNS: usize = 6;

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
        Run(scenario_cmd::RunArgs),
        /// Run a scenario file, then one kubectl command against the state at that time.
        Kubectl(scenario_cmd::KubectlArgs),
        /// Check a CronJob schedule, describe it and list its next runs.
        Schedule(ScheduleArgs),
    }

    #[derive(Args)]
    struct ScheduleArgs {
        /// The schedule as in `spec.schedule`, e.g. "*/15 9-17 * * 1-5" (quote it).
        #[arg(required_unless_present = "jsonl")]
        expr: Option<String>,
        /// An IANA time zone as in `spec.timeZone`, e.g. Europe/Berlin. Default: UTC.
        #[arg(long)]
        time_zone: Option<String>,
        /// List runs strictly after this RFC 3339 instant. Default: now.
        #[arg(long)]
        from: Option<String>,
        /// How many runs to list (5 by default, 6 with --jsonl; at most 1000).
        #[arg(long)]
        count: Option<usize>,
        /// Read vector lines (`{"schedule":..,"time_zone":..,"from":..}`) from standard input
        /// and write each back with our `valid`, `error` and `next`.
        #[arg(long, conflicts_with_all = ["expr", "time_zone"])]
        jsonl: bool,
    }

    /// Parses the command line and runs the subcommand.
    pub fn main() -> ExitCode {
        match Cli::parse().command {
            Command::Run(args) => scenario_cmd::run(&args),
            Command::Kubectl(args) => scenario_cmd::kubectl_at(&args),
            Command::Schedule(args) if args.jsonl => run_jsonl(&args),
            Command::Schedule(args) => run_schedule(&args),
        }
    }

    /// The instant to list runs after: `--from`, or the host's clock at the command line (the
    /// simulation core itself never reads a clock).
    fn start_instant(from: Option<&str>) -> Result<SimTime, String> {
        match from {
            Some(text) => SimTime::parse_rfc3339(text)
                .map_err(|error| format!("--from: invalid RFC 3339 instant {text:?}: {error}")),
            #[allow(clippy::disallowed_methods)]
            None => Ok(SimTime::from_utc(chrono::Utc::now())),
        }
    }

    /// `kubarium schedule EXPR`: validity as the API server judges it on create, then the
    /// description and the next runs.
    // TODO(#6): `println!` panics when stdout is a closed pipe (`| head -1`); write through a
    // locked handle and stop quietly on a broken pipe.
    fn run_schedule(args: &ScheduleArgs) -> ExitCode {
        let expr = args.expr.as_deref().unwrap_or_default();
        let zone_name = args.time_zone.as_deref();
        println!("schedule:    {expr}");
        println!("time zone:   {}", zone_name.unwrap_or("UTC (not set)"));

        let mut errors = validate_schedule(expr).err().unwrap_or_default();
        errors.extend(validate_time_zone(zone_name).err().unwrap_or_default());
        let parsed = Schedule::parse(expr);
        let (schedule, zone) = match (parsed, parse_time_zone(zone_name)) {
            (Ok(schedule), Ok(zone)) if errors.is_empty() => (schedule, zone),
            _ => {
                println!("valid:       no");
                for error in errors {
                    println!("  {error}");
                }
                return ExitCode::FAILURE;
            }
        };
        println!("valid:       yes");
        println!("description: {}", describe(&schedule));

        let from = match start_instant(args.from.as_deref()) {
            Ok(from) => from,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        };
        print_runs(&schedule, zone, from, args.count.unwrap_or(5));
        ExitCode::SUCCESS
    }

    fn print_runs(schedule: &Schedule, zone: Option<Tz>, from: SimTime, count: usize) {
        let runs = schedule.next_runs(from, zone, count);
        println!("next runs after {from}:");
        for run in &runs {
            let local = run.to_utc().with_timezone(&zone.unwrap_or(Tz::UTC));
            println!("  {run}  {}", local.format("%a %Y-%m-%d %H:%M %Z"));
        }
        if runs.len() < count {
            println!(
                "  (no further run within five years: the CronJob controller reports \
                 InvalidSchedule)"
            );
        }
    }

    /// One line of the vector format, as read.
    #[derive(Deserialize)]
    struct VectorIn {
        schedule: String,
        time_zone: Option<String>,
        from: Option<String>,
    }

    /// One line of the vector format, as written: our verdict in the reference's shape.
    #[derive(Serialize)]
    struct VectorOut {
        schedule: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        valid: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        next: Vec<String>,
    }

    /// `kubarium schedule --jsonl`: answers each vector line on standard input. Validity is
    /// robfig's (the reference's), not the API server's, so `TZ=` prefixes are accepted here.
    fn run_jsonl(args: &ScheduleArgs) -> ExitCode {
        let count = args.count.unwrap_or(VECTOR_RUNS);
        let default_from = args.from.as_deref().map(|text| start_instant(Some(text)));
        let mut status = ExitCode::SUCCESS;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for (index, line) in std::io::stdin().lock().lines().enumerate() {
            let line = match line {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => line,
                Err(error) => {
                    eprintln!("stdin: {error}");
                    return ExitCode::from(2);
                }
            };
            let answer = serde_json::from_str::<VectorIn>(&line)
                .map_err(|error| format!("line {}: {error}", index + 1))
                .and_then(|vector| answer_vector(vector, count, default_from.clone()));
            match answer
                .and_then(|out_line| serde_json::to_string(&out_line).map_err(|e| e.to_string()))
            {
                Ok(text) => {
                    if writeln!(out, "{text}").is_err() {
                        return ExitCode::from(2);
                    }
                }
                Err(message) => {
                    eprintln!("{message}");
                    status = ExitCode::from(2);
                }
            }
        }
        status
    }

    /// Our answer to one vector. The zone is handed over as the reference received it, so an
    /// unknown zone fails like robfig's `TZ=` prefix: `provided bad location ...`.
    fn answer_vector(
        vector: VectorIn,
        count: usize,
        default_from: Option<Result<SimTime, String>>,
    ) -> Result<VectorOut, String> {
        let mut out = VectorOut {
            schedule: vector.schedule.clone(),
            time_zone: vector.time_zone.clone(),
            valid: false,
            error: None,
            from: None,
            next: Vec::new(),
        };
        let zone = match vector.time_zone.as_deref().map(|name| name.parse::<Tz>()) {
            Some(Err(_)) => {
                let name = vector.time_zone.as_deref().unwrap_or_default();
                out.error = Some(format!(
                    "provided bad location {name}: unknown time zone {name}"
                ));
                return Ok(out);
            }
            Some(Ok(zone)) => Some(zone),
            None => None,
        };
        let schedule = match Schedule::parse(&vector.schedule) {
            Ok(schedule) => schedule,
            Err(error) => {
                out.error = Some(error.to_string());
                return Ok(out);
            }
        };
        out.valid = true;
        let from = match (vector.from.as_deref(), default_from) {
            (Some(text), _) => start_instant(Some(text))?,
            (None, Some(from)) => from?,
            (None, None) => return Ok(out),
        };
        out.from = Some(vector.from.unwrap_or_else(|| from.to_rfc3339()));
        out.next = schedule
            .next_runs(from, zone, count)
            .iter()
            .map(|t| t.to_rfc3339())
            .collect();
        Ok(out)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // The command-line runner is native-only; the playground is the wasm32 binary.
}
