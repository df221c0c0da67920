//! The timeline: a lane per workload with a bar per pod over simulated time, coloured by the
//! pod's state, and for every CronJob a lane of its Job runs, past ones as bars and the next
//! scheduled ones as marks to the right of "now".
//!
//! The core keeps no pod history, so this panel records one from the snapshots it sees
//! (`view::history`, bounded); it starts empty when the page loads or the cluster is replaced.
//! States a pod passed through between two snapshots are not seen: after a jump of the paused
//! clock a pod shows the state it had before the jump until the jump's end.

use super::driver::Playground;
use crate::sim::Sim;
use crate::sim::controllers::cronjob::next_runs;
use crate::sim::model::{JobConditionType, Kind, ObjectKey};
use crate::sim::time::{SimDuration, SimTime};
use crate::view::history::{History, PodHistory};
use crate::view::snapshot::PodMark;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Simulated time shown before now.
const PAST_SECS: i64 = 600;
/// Simulated time shown after now (where the next CronJob runs appear).
const FUTURE_SECS: i64 = 300;
/// Next runs shown per CronJob.
const NEXT_RUNS: usize = 5;
/// Pod rows per lane at most: the most recently started.
const ROWS_PER_LANE: usize = 8;
/// Above this many pods in the cluster the timeline stops recording: copying every pod's
/// state each frame would cost more than the canvas itself, and the history keeps only
/// [`crate::view::history::DEFAULT_MAX_PODS`] pods anyway.
const MAX_RECORDED_PODS: usize = 2_000;
/// Drawing units of the SVG: label column, bar area, one row.
const LABEL_W: f64 = 190.0;
const BARS_W: f64 = 620.0;
const ROW_H: f64 = 14.0;

/// One bar or mark on a row, in seconds relative to the window's start.
#[derive(Clone, Debug, PartialEq)]
struct Bar {
    from_secs: f64,
    to_secs: f64,
    colour: &'static str,
    title: String,
    testid: &'static str,
}

/// One row of a lane: a pod, or a CronJob's runs.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    label: String,
    bars: Vec<Bar>,
}

/// A workload and its rows.
#[derive(Clone, Debug, PartialEq)]
struct Lane {
    title: String,
    rows: Vec<Row>,
}

/// The colour of a pod state on the timeline; the legend under the canvas names the states.
fn mark_colour(mark: PodMark) -> &'static str {
    match mark {
        PodMark::Pending => "#cbd5e1",
        PodMark::ContainerCreating => "#93c5fd",
        PodMark::Running => "#60a5fa",
        PodMark::Ready => "#2563eb",
        PodMark::Succeeded => "#16a34a",
        PodMark::Failed => "#dc2626",
        PodMark::CrashLoopBackOff => "#f97316",
        PodMark::Terminating => "#a855f7",
    }
}

/// The lane a pod belongs to: its owner, with a ReplicaSet shown under its Deployment and a Job
/// under its CronJob.
fn lane_of(sim: &Sim, pod: &PodHistory) -> String {
    let Some(owner) = &pod.owner else {
        return "Pods without an owner".to_string();
    };
    let parent = Kind::from_name(&owner.kind).and_then(|kind| {
        let key = ObjectKey::new(&pod.namespace, &owner.name);
        let object = sim.store().get_object(kind, &key)?;
        let controller = object.meta().controller_ref()?;
        Some(format!("{}/{}", controller.kind, controller.name))
    });
    parent.unwrap_or_else(|| format!("{}/{}", owner.kind, owner.name))
}

fn pod_row(pod: &PodHistory, start: SimTime, now: SimTime) -> Row {
    let secs = |t: SimTime| (t - start).as_ms() as f64 / 1000.0;
    let end = pod.gone_at.unwrap_or(now);
    let bars = pod
        .spans
        .iter()
        .enumerate()
        .map(|(index, span)| {
            let until = pod.spans.get(index + 1).map_or(end, |next| next.start);
            Bar {
                from_secs: secs(span.start),
                to_secs: secs(until),
                colour: mark_colour(span.mark),
                title: format!(
                    "{}: {} from {}",
                    pod.name,
                    span.mark.label(),
                    span.start.to_utc().format("%H:%M:%S")
                ),
                testid: "pod-bar",
            }
        })
        .collect();
    Row {
        label: pod.name.clone(),
        bars,
    }
}

/// The CronJob lanes' run rows: past Jobs as bars, the next runs as marks.
fn cronjob_rows(sim: &Sim, start: SimTime) -> BTreeMap<String, Row> {
    let now = sim.now();
    let secs = |t: SimTime| (t - start).as_ms() as f64 / 1000.0;
    let clock = |t: SimTime| t.to_utc().format("%H:%M:%S").to_string();
    let mut rows = BTreeMap::new();
    for cj in sim.store().cron_jobs().iter() {
        let mut bars: Vec<Bar> = sim
            .store()
            .jobs()
            .in_namespace(&cj.metadata.namespace)
            .filter(|job| {
                job.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == cj.metadata.uid)
            })
            .filter_map(|job| {
                let began = job.status.start_time.or(job.metadata.creation_timestamp)?;
                let (colour, state) = if job.has_condition(JobConditionType::Complete) {
                    ("#16a34a", "Complete")
                } else if job.has_condition(JobConditionType::Failed) {
                    ("#dc2626", "Failed")
                } else {
                    ("#2563eb", "running")
                };
                let ended = job.status.completion_time.unwrap_or(now);
                Some(Bar {
                    from_secs: secs(began),
                    to_secs: secs(ended).max(secs(began) + 2.0),
                    colour,
                    title: format!("{}: {state}, started {}", job.metadata.name, clock(began)),
                    testid: "past-run",
                })
            })
            .collect();
        let upcoming = next_runs(cj, now, NEXT_RUNS).unwrap_or_default();
        bars.extend(upcoming.into_iter().map(|run| Bar {
            from_secs: secs(run),
            to_secs: secs(run),
            colour: "#0f172a",
            title: format!("next run at {}", clock(run)),
            testid: "next-run",
        }));
        let title = format!("CronJob/{}", cj.metadata.name);
        let label = format!("runs ({})", cj.spec.schedule);
        rows.insert(title, Row { label, bars });
    }
    rows
}

/// Every lane, CronJobs' run rows first in their lane.
fn lanes(sim: &Sim, history: &History) -> Vec<Lane> {
    let now = sim.now();
    let start = now - SimDuration::from_secs(PAST_SECS);
    let mut by_lane: BTreeMap<String, Vec<&PodHistory>> = BTreeMap::new();
    for pod in history.pods() {
        if pod.gone_at.is_none_or(|gone| gone >= start) {
            by_lane.entry(lane_of(sim, pod)).or_default().push(pod);
        }
    }
    let mut runs = cronjob_rows(sim, start);
    let mut titles: Vec<String> = by_lane.keys().cloned().collect();
    titles.extend(runs.keys().filter(|t| !by_lane.contains_key(*t)).cloned());
    titles.sort();
    titles
        .into_iter()
        .map(|title| {
            let mut pods = by_lane.remove(&title).unwrap_or_default();
            pods.sort_by_key(|p| std::cmp::Reverse(p.spans.first().map(|s| s.start)));
            let mut rows: Vec<Row> = runs.remove(&title).into_iter().collect();
            rows.extend(
                pods.into_iter()
                    .take(ROWS_PER_LANE)
                    .map(|p| pod_row(p, start, now)),
            );
            Lane { title, rows }
        })
        .collect()
}

/// The timeline panel.
#[component]
pub fn Timeline(playground: Playground) -> impl IntoView {
    let history = StoredValue::new(History::default());
    // Record every published snapshot; a clock that went back means a new cluster.
    Effect::new(move |last: Option<SimTime>| {
        let snapshot = playground.snapshot.get();
        let pods =
            snapshot.unscheduled.len() + snapshot.nodes.iter().map(|n| n.pods.len()).sum::<usize>();
        history.update_value(|h| {
            if last.is_some_and(|last| snapshot.now < last) {
                h.clear();
            }
            if pods <= MAX_RECORDED_PODS {
                h.observe(&snapshot);
            }
        });
        snapshot.now
    });
    let drawn = move || {
        playground.snapshot.track();
        let lanes = playground.with_sim(|sim| history.with_value(|h| lanes(sim, h)));
        draw(lanes)
    };
    view! {
        <details class="timeline" data-testid="timeline">
            <summary>"Timeline (last 10 min, next 5 min)"</summary>
            <ul class="timeline-key" aria-label="Bar colours">
                {PodMark::ALL
                    .into_iter()
                    .map(|mark| {
                        let style = format!("background:{}", mark_colour(mark));
                        view! { <li><span class="swatch" style=style></span>{mark.label()}</li> }
                    })
                    .collect_view()}
                <li><span class="swatch next-mark"></span>"next CronJob run"</li>
            </ul>
            <div class="timeline-body">{drawn}</div>
        </details>
    }
}

fn draw(lanes: Vec<Lane>) -> impl IntoView {
    let window_secs = (PAST_SECS + FUTURE_SECS) as f64;
    let x = move |secs: f64| LABEL_W + secs.clamp(0.0, window_secs) / window_secs * BARS_W;
    let rows: usize = lanes.iter().map(|lane| lane.rows.len() + 1).sum();
    let height = (rows as f64 + 1.0) * ROW_H;
    let now_x = x(PAST_SECS as f64);
    let mut y = 0.0;
    let mut lane_views = Vec::new();
    for lane in lanes {
        let top = y;
        y += ROW_H;
        let row_views = lane
            .rows
            .into_iter()
            .map(|row| {
                let row_y = y;
                y += ROW_H;
                let bars = row.bars.into_iter().map(|bar| {
                    let width = (x(bar.to_secs) - x(bar.from_secs)).max(2.0);
                    view! {
                        <rect data-testid=bar.testid x=x(bar.from_secs) y=row_y + 2.0
                            width=width height=ROW_H - 4.0 fill=bar.colour>
                            <title>{bar.title}</title>
                        </rect>
                    }
                });
                view! {
                    <text x="8" y=row_y + ROW_H - 3.0 class="row-label">{row.label}</text>
                    {bars.collect_view()}
                }
            })
            .collect_view();
        let data_lane = lane.title.clone();
        lane_views.push(view! {
            <g data-testid="timeline-lane" data-lane=data_lane>
                <text x="2" y=top + ROW_H - 3.0 class="lane-title">{lane.title}</text>
                {row_views}
            </g>
        });
    }
    view! {
        <svg class="timeline-svg" viewBox=format!("0 0 {} {height}", LABEL_W + BARS_W + 10.0)
            role="img" aria-label="Pods and CronJob runs over simulated time">
            {lane_views}
            <line x1=now_x x2=now_x y1="0" y2=height class="now-line"/>
            <text x=now_x + 3.0 y=height - 2.0 class="row-label">"now"</text>
        </svg>
    }
}
