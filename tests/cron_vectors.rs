//! All 600 robfig/cron v3.0.1 vectors: same validity, same error text, same next six instants.
//!
//! The vector file lives in the shared test data beside the repository
//! (`shared/testdata/cron/robfig-v3.0.1-vectors.jsonl` in an ancestor folder), or wherever
//! `KUBARIUM_CRON_VECTORS` points. A missing file fails the test rather than skipping it.

use kubarium::sim::schedule::{Schedule, Tz};
use kubarium::sim::time::SimTime;
use serde::Deserialize;
use std::path::PathBuf;

/// One line of the vector file.
#[derive(Debug, Deserialize)]
struct Vector {
    schedule: String,
    time_zone: Option<String>,
    valid: bool,
    error: Option<String>,
    from: Option<String>,
    next: Option<Vec<String>>,
}

const VECTOR_COUNT: usize = 600;
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

fn load_vectors() -> Vec<Vector> {
    let path = vector_file();
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
        .collect()
}

/// Checks one vector; returns whether the error text (if any) matched exactly.
fn check(vector: &Vector) -> Result<bool, String> {
    // The reference received the zone as a `TZ=` prefix; we take it as `spec.timeZone`.
    let zone = vector
        .time_zone
        .as_deref()
        .map(|name| name.parse::<Tz>().unwrap());
    match (Schedule::parse(&vector.schedule), vector.valid) {
        (Err(error), false) => Ok(vector.error.as_deref() == Some(error.message())),
        (Ok(_), false) => Err(format!("accepted, reference said {:?}", vector.error)),
        (Err(error), true) => Err(format!("rejected with {error:?}, reference accepted it")),
        (Ok(schedule), true) => {
            let from = SimTime::parse_rfc3339(vector.from.as_deref().unwrap()).unwrap();
            let ours: Vec<String> = schedule
                .next_runs(from, zone, 6)
                .iter()
                .map(|t| t.to_rfc3339())
                .collect();
            let reference = vector.next.clone().unwrap_or_default();
            if ours == reference {
                Ok(true)
            } else {
                Err(format!("next runs {ours:?}, reference {reference:?}"))
            }
        }
    }
}

#[test]
fn all_robfig_vectors_match() {
    let vectors = load_vectors();
    let mut checked = 0;
    let mut exact_errors = 0;
    let mut invalid = 0;
    let mut failures = Vec::new();
    for (line, vector) in vectors.iter().enumerate() {
        checked += 1;
        invalid += usize::from(!vector.valid);
        match check(vector) {
            Ok(exact) => exact_errors += usize::from(!vector.valid && exact),
            Err(why) => failures.push(format!(
                "line {}: {:?} zone {:?} from {:?}: {why}",
                line + 1,
                vector.schedule,
                vector.time_zone,
                vector.from
            )),
        }
    }
    println!("vectors checked: {checked}; invalid: {invalid}; error texts equal: {exact_errors}");
    assert!(
        failures.is_empty(),
        "{} of {checked} vectors differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, VECTOR_COUNT);
    assert_eq!(
        exact_errors, invalid,
        "every invalid vector's error text must match"
    );
}
