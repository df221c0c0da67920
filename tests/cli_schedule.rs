//! The `kubarium schedule` command: the whole vector file through `--jsonl`, and the human
//! output for a valid and an invalid schedule.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const RELATIVE_PATH: &str = "shared/testdata/cron/robfig-v3.0.1-vectors.jsonl";

fn vector_file() -> PathBuf {
    if let Some(path) = std::env::var_os("KUBARIUM_CRON_VECTORS") {
        return PathBuf::from(path);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join(RELATIVE_PATH))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("no {RELATIVE_PATH} above {}", manifest.display()))
}

fn kubarium(args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubarium"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Feed standard input from another thread: the vector file is larger than a pipe's buffer
    // and the command answers line by line, so writing it all first would deadlock.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_string();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()).unwrap());
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn jsonl_mode_reproduces_every_vector() {
    let input = std::fs::read_to_string(vector_file()).unwrap();
    let (code, stdout, stderr) = kubarium(&["schedule", "--jsonl"], &input);
    assert_eq!(code, Some(0), "stderr: {stderr}");

    let expected: Vec<Value> = input
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actual: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(actual.len(), 600);
    assert_eq!(expected.len(), 600);
    for (line, (ours, reference)) in actual.iter().zip(&expected).enumerate() {
        assert_eq!(ours, reference, "line {}", line + 1);
    }
}

#[test]
fn describes_a_valid_schedule_and_lists_runs_in_its_zone() {
    let args = [
        "schedule",
        "30 1 * * *",
        "--time-zone",
        "America/New_York",
        "--from",
        "2024-11-02T12:00:00Z",
        "--count",
        "3",
    ];
    let (code, stdout, _) = kubarium(&args, "");
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "schedule:    30 1 * * *\n\
         time zone:   America/New_York\n\
         valid:       yes\n\
         description: At 01:30\n\
         next runs after 2024-11-02T12:00:00Z:\n\
         \x20 2024-11-03T05:30:00Z  Sun 2024-11-03 01:30 EDT\n\
         \x20 2024-11-03T06:30:00Z  Sun 2024-11-03 01:30 EST\n\
         \x20 2024-11-04T06:30:00Z  Mon 2024-11-04 01:30 EST\n"
    );
}

#[test]
fn rejects_an_invalid_schedule_with_the_api_message() {
    let args = ["schedule", "0 0 * * 7", "--time-zone", "Europe/Pariss"];
    let (code, stdout, _) = kubarium(&args, "");
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout,
        "schedule:    0 0 * * 7\n\
         time zone:   Europe/Pariss\n\
         valid:       no\n\
         \x20 spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7\n\
         \x20 spec.timeZone: Invalid value: \"Europe/Pariss\": unknown time zone Europe/Pariss\n"
    );
}

#[test]
fn an_impossible_schedule_says_it_never_fires() {
    let args = [
        "schedule",
        "0 0 30 2 *",
        "--from",
        "2024-01-01T00:00:00Z",
        "--count",
        "2",
    ];
    let (code, stdout, _) = kubarium(&args, "");
    assert_eq!(code, Some(0));
    assert!(
        stdout.ends_with(
            "next runs after 2024-01-01T00:00:00Z:\n  (no further run within five years: the \
             CronJob controller reports InvalidSchedule)\n"
        ),
        "{stdout}"
    );
}
