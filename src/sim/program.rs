//! A small interpreter for what real manifests run in containers.
//!
//! The kubelet does not execute anything; it asks this module what a container's command would
//! do: how long it runs, what it prints and how it exits. Understood:
//!
//! - `sleep N` (seconds; `s`, `m`, `h`, `d` suffixes and `infinity`), `true`, `false`, `exit N`,
//!   `echo ...`, `date`, and `sh -c` / `bash -c` scripts joining those with `;`, newlines, `&&`
//!   and `||`;
//! - `perl ... bpi(N)` (the Kubernetes docs' `pi` Job): runs `2 s + 3 ms × N` and prints N digits
//!   of π;
//! - no command for shell images (`busybox`, `alpine`, `ubuntu`, `debian`): the shell finds no
//!   terminal and exits 0 at once; `hello-world` prints its greeting and exits 0.
//!
//! Anything else (servers such as `nginx`, loops such as `while true`) runs until stopped.

use crate::sim::time::{SimDuration, SimTime};

/// How a run ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The process exits `after_ms` after starting with `exit_code`.
    Exits {
        /// Run time in milliseconds.
        after_ms: i64,
        /// The exit code.
        exit_code: i32,
    },
    /// The process runs until it is stopped.
    RunsForever,
}

/// What one run of a container does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Lines printed, each with its offset from the start in milliseconds.
    pub output: Vec<(i64, String)>,
    /// How the run ends.
    pub outcome: Outcome,
}

/// The most digits of π the `bpi(N)` interpretation computes (larger requests are clamped).
pub const MAX_PI_DIGITS: usize = 5_000;

/// Interprets `command` + `args` of a container using `image`, started at `started_at`.
pub fn interpret(image: &str, command: &[String], args: &[String], started_at: SimTime) -> Run {
    let argv: Vec<String> = command.iter().chain(args.iter()).cloned().collect();
    if argv.is_empty() {
        return image_default(image);
    }
    let program = basename(&argv[0]);
    if matches!(program, "sh" | "bash" | "ash" | "dash") {
        let script = argv
            .iter()
            .position(|a| a == "-c")
            .and_then(|i| argv.get(i + 1));
        return match script {
            Some(script) => run_script(script, started_at),
            None => Run {
                output: Vec::new(),
                outcome: Outcome::Exits {
                    after_ms: 0,
                    exit_code: 0,
                },
            },
        };
    }
    let mut state = ScriptState {
        elapsed_ms: 0,
        output: Vec::new(),
        started_at,
    };
    match state.simple(&argv) {
        Step::Status(code) | Step::Exit(code) => state.finish(code),
        Step::Forever => state.forever(),
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What an image does when the pod gives no command.
fn image_default(image: &str) -> Run {
    let name = basename(image.split(['@', ':']).next().unwrap_or(image));
    let exits_at_once = |output: Vec<(i64, String)>| Run {
        output,
        outcome: Outcome::Exits {
            after_ms: 0,
            exit_code: 0,
        },
    };
    match name {
        "busybox" | "alpine" | "ubuntu" | "debian" => exits_at_once(Vec::new()),
        "hello-world" => exits_at_once(vec![(0, "Hello from Docker!".to_string())]),
        _ => Run {
            output: Vec::new(),
            outcome: Outcome::RunsForever,
        },
    }
}

enum Step {
    Status(i32),
    Exit(i32),
    Forever,
}

struct ScriptState {
    elapsed_ms: i64,
    output: Vec<(i64, String)>,
    started_at: SimTime,
}

impl ScriptState {
    fn finish(self, exit_code: i32) -> Run {
        Run {
            output: self.output,
            outcome: Outcome::Exits {
                after_ms: self.elapsed_ms,
                exit_code,
            },
        }
    }

    fn forever(self) -> Run {
        Run {
            output: self.output,
            outcome: Outcome::RunsForever,
        }
    }

    fn print(&mut self, line: String) {
        self.output.push((self.elapsed_ms, line));
    }

    /// Runs one simple command.
    fn simple(&mut self, argv: &[String]) -> Step {
        let Some(first) = argv.first() else {
            return Step::Status(0);
        };
        let rest = &argv[1..];
        match basename(first) {
            "sleep" => match rest.first().map(|arg| parse_sleep_ms(arg)) {
                Some(Some(ms)) => {
                    self.elapsed_ms += ms;
                    Step::Status(0)
                }
                Some(None) => Step::Forever,
                None => Step::Status(1),
            },
            "true" | ":" => Step::Status(0),
            "false" => Step::Status(1),
            "exit" => Step::Exit(
                rest.first()
                    .and_then(|c| c.parse::<i32>().ok())
                    .unwrap_or(0)
                    & 0xff,
            ),
            "echo" => {
                let words: Vec<&str> = rest
                    .iter()
                    .map(String::as_str)
                    .filter(|w| *w != "-n")
                    .collect();
                self.print(words.join(" "));
                Step::Status(0)
            }
            "date" => {
                let at = self.started_at + SimDuration::from_ms(self.elapsed_ms);
                self.print(at.to_utc().format("%a %b %e %H:%M:%S UTC %Y").to_string());
                Step::Status(0)
            }
            "perl" => self.perl(argv),
            _ => Step::Forever,
        }
    }

    /// `perl -Mbignum=bpi -wle 'print bpi(N)'`: prints N digits of π after a few seconds.
    fn perl(&mut self, argv: &[String]) -> Step {
        let joined = argv.join(" ");
        let Some(start) = joined.find("bpi(") else {
            return Step::Forever;
        };
        let digits: String = joined[start + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let Ok(count) = digits.parse::<usize>() else {
            return Step::Status(255);
        };
        let count = count.clamp(1, MAX_PI_DIGITS);
        self.elapsed_ms += 2_000 + 3 * count as i64;
        self.print(pi_digits(count));
        Step::Status(0)
    }
}

/// `sleep` argument in milliseconds; `None` for `infinity` or anything unreadable (which the
/// simulation treats as running until stopped).
fn parse_sleep_ms(arg: &str) -> Option<i64> {
    if arg == "infinity" || arg == "inf" {
        return None;
    }
    let (number, scale_ms) = match arg.chars().last()? {
        's' => (&arg[..arg.len() - 1], 1_000.0),
        'm' => (&arg[..arg.len() - 1], 60_000.0),
        'h' => (&arg[..arg.len() - 1], 3_600_000.0),
        'd' => (&arg[..arg.len() - 1], 86_400_000.0),
        _ => (arg, 1_000.0),
    };
    let value: f64 = number.parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| (value * scale_ms).round() as i64)
}

/// How a command in a script is joined to the one before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    Always,
    IfSucceeded,
    IfFailed,
}

/// Runs a `sh -c` script of simple commands.
fn run_script(script: &str, started_at: SimTime) -> Run {
    let mut state = ScriptState {
        elapsed_ms: 0,
        output: Vec::new(),
        started_at,
    };
    if script.contains("while ") || script.contains("until ") || script.contains("tail -f") {
        return state.forever();
    }
    let mut status = 0;
    for (join, words) in split_script(script) {
        let runs = match join {
            Join::Always => true,
            Join::IfSucceeded => status == 0,
            Join::IfFailed => status != 0,
        };
        if !runs {
            continue;
        }
        match state.simple(&words) {
            Step::Status(code) => status = code,
            Step::Exit(code) => return state.finish(code),
            Step::Forever => return state.forever(),
        }
    }
    state.finish(status)
}

/// Splits a script into simple commands with their joins, honouring single and double quotes.
fn split_script(script: &str) -> Vec<(Join, Vec<String>)> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut join = Join::Always;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None
            } else {
                word.push(c)
            }
            continue;
        }
        let next_join = match c {
            ';' | '\n' => Some(Join::Always),
            '&' if chars.peek() == Some(&'&') => Some(Join::IfSucceeded),
            '|' if chars.peek() == Some(&'|') => Some(Join::IfFailed),
            _ => None,
        };
        if (next_join.is_some() || c.is_whitespace()) && in_word {
            words.push(std::mem::take(&mut word));
            in_word = false;
        }
        if let Some(next) = next_join {
            if matches!(next, Join::IfSucceeded | Join::IfFailed) {
                chars.next();
            }
            if !words.is_empty() {
                commands.push((join, std::mem::take(&mut words)));
            }
            join = next;
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        in_word = true;
        if c == '\'' || c == '"' {
            quote = Some(c)
        } else {
            word.push(c)
        }
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        commands.push((join, words));
    }
    commands
}

/// The first `count` significant digits of π as `3.14159...`, by the Rabinowitz–Wagon spigot.
pub fn pi_digits(count: usize) -> String {
    let len = count * 10 / 3 + 2;
    let mut remainders = vec![2u32; len];
    let mut digits: Vec<u8> = Vec::with_capacity(count + 1);
    let mut held_nines = 0usize;
    let mut predigit: Option<u8> = None;
    for _ in 0..=count {
        let mut carry: u64 = 0;
        for i in (1..len).rev() {
            let numerator = u64::from(remainders[i]) * 10 + carry * (i as u64 + 1);
            let denominator = 2 * i as u64 + 1;
            remainders[i] = (numerator % denominator) as u32;
            carry = numerator / denominator;
        }
        let head = u64::from(remainders[0]) * 10 + carry;
        remainders[0] = (head % 10) as u32;
        let digit = (head / 10) as u8;
        match digit {
            9 => held_nines += 1,
            10 => {
                if let Some(p) = predigit {
                    digits.push(p + 1);
                }
                digits.extend(std::iter::repeat_n(0, held_nines));
                predigit = Some(0);
                held_nines = 0;
            }
            _ => {
                if let Some(p) = predigit {
                    digits.push(p);
                }
                digits.extend(std::iter::repeat_n(9, held_nines));
                predigit = Some(digit);
                held_nines = 0;
            }
        }
    }
    let text: String = digits
        .iter()
        .take(count)
        .map(|d| char::from(b'0' + d))
        .collect();
    format!("{}.{}", &text[..1], &text[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &[&str]) -> Run {
        let command: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        interpret("busybox:1.36", &command, &[], SimTime::from_unix_secs(0))
    }

    #[test]
    fn sleep_then_exit_code() {
        assert_eq!(
            run(&["sleep", "30"]).outcome,
            Outcome::Exits {
                after_ms: 30_000,
                exit_code: 0
            }
        );
        let script = run(&["sh", "-c", "echo start; sleep 5; exit 3"]);
        assert_eq!(
            script.outcome,
            Outcome::Exits {
                after_ms: 5_000,
                exit_code: 3
            }
        );
        assert_eq!(script.output, vec![(0, "start".to_string())]);
    }

    #[test]
    fn and_or_chains_short_circuit() {
        let failed = run(&["sh", "-c", "false && echo never || echo rescued"]);
        assert_eq!(failed.output, vec![(0, "rescued".to_string())]);
        assert_eq!(
            failed.outcome,
            Outcome::Exits {
                after_ms: 0,
                exit_code: 0
            }
        );
        let status = run(&["sh", "-c", "sleep 2 && false"]);
        assert_eq!(
            status.outcome,
            Outcome::Exits {
                after_ms: 2_000,
                exit_code: 1
            }
        );
    }

    #[test]
    fn servers_and_loops_run_forever() {
        let server = interpret("nginx:1.25", &[], &[], SimTime::from_unix_secs(0));
        assert_eq!(server.outcome, Outcome::RunsForever);
        assert_eq!(
            run(&["sh", "-c", "while true; do sleep 1; done"]).outcome,
            Outcome::RunsForever
        );
        assert_eq!(run(&["sleep", "infinity"]).outcome, Outcome::RunsForever);
    }

    #[test]
    fn pi_job_prints_digits_after_a_few_seconds() {
        let pi = run(&["perl", "-Mbignum=bpi", "-wle", "print bpi(20)"]);
        assert_eq!(
            pi.outcome,
            Outcome::Exits {
                after_ms: 2_060,
                exit_code: 0
            }
        );
        assert_eq!(
            pi.output,
            vec![(2_060, "3.1415926535897932384".to_string())]
        );
        assert_eq!(
            pi_digits(51),
            "3.14159265358979323846264338327950288419716939937510"
        );
    }

    #[test]
    fn date_prints_the_simulated_time() {
        let command = vec![
            "sh".to_string(),
            "-c".to_string(),
            "sleep 1; date".to_string(),
        ];
        let at = SimTime::from_unix_secs(1_704_067_200);
        let run = interpret("busybox", &command, &[], at);
        assert_eq!(
            run.output,
            vec![(1_000, "Mon Jan  1 00:00:01 UTC 2024".to_string())]
        );
    }
}
