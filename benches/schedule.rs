//! Schedule benchmarks: parsing the 600 vector schedules, a simulated year of `@hourly` (8,760
//! next-run computations) and a simulated day of `* * * * *` (1,440).
//!
//! Run with `cargo bench --bench schedule`. The vector file is found as in
//! `tests/cron_vectors.rs`; without it the parsing benchmark uses a small built-in set.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::{Criterion, criterion_group};
    use kubarium::sim::schedule::Schedule;
    use kubarium::sim::time::{SimDuration, SimTime};
    use std::hint::black_box;
    use std::path::PathBuf;

    const RELATIVE_PATH: &str = "shared/testdata/cron/robfig-v3.0.1-vectors.jsonl";

    /// 2024-01-01T00:00:00Z, the start of every simulated span here.
    const START: SimTime = SimTime::from_unix_secs(1_704_067_200);

    /// The schedule strings of the vector file (valid and invalid alike).
    fn vector_schedules() -> Vec<String> {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let path = std::env::var_os("KUBARIUM_CRON_VECTORS")
            .map(PathBuf::from)
            .or_else(|| {
                manifest
                    .ancestors()
                    .map(|dir| dir.join(RELATIVE_PATH))
                    .find(|p| p.is_file())
            });
        let text = path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let schedules: Vec<String> = text
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|v| {
                v.get("schedule")
                    .and_then(|s| s.as_str())
                    .map(str::to_string)
            })
            .collect();
        if schedules.is_empty() {
            ["*/15 9-17 * * 1-5", "0 0 13 * 5", "@every 90m", "0 0 * * 7"]
                .map(String::from)
                .into()
        } else {
            schedules
        }
    }

    /// Follows `schedule` from START for `span`, counting the runs.
    fn runs_within(schedule: &Schedule, span: SimDuration) -> usize {
        let end = START + span;
        let mut at = START;
        let mut runs = 0;
        while let Some(next) = schedule.next_after(at, None) {
            if next > end {
                break;
            }
            runs += 1;
            at = next;
        }
        runs
    }

    fn parsing(c: &mut Criterion) {
        let schedules = vector_schedules();
        c.bench_function("parse 600 vector schedules", |b| {
            b.iter(|| {
                schedules
                    .iter()
                    .filter(|s| Schedule::parse(black_box(s)).is_ok())
                    .count()
            })
        });
    }

    fn simulated_spans(c: &mut Criterion) {
        let hourly = Schedule::parse("@hourly").expect("@hourly is a valid schedule");
        let year = SimDuration::from_mins(365 * 24 * 60);
        assert_eq!(runs_within(&hourly, year), 8_760);
        c.bench_function("@hourly for one simulated year (8,760 runs)", |b| {
            b.iter(|| runs_within(black_box(&hourly), year))
        });

        let every_minute = Schedule::parse("* * * * *").expect("* * * * * is a valid schedule");
        let day = SimDuration::from_mins(24 * 60);
        assert_eq!(runs_within(&every_minute, day), 1_440);
        c.bench_function("* * * * * for one simulated day (1,440 runs)", |b| {
            b.iter(|| runs_within(black_box(&every_minute), day))
        });
    }

    criterion_group!(benches, parsing, simulated_spans);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {
    // Benchmarks run natively only.
}
