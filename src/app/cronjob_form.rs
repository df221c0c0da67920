//! The CronJob form. While the schedule is typed it says in plain words when the CronJob runs
//! and lists the next five runs after the simulated now, or shows the API server's message
//! for a schedule or time zone it would refuse.

use super::create::{
    Choice, FormMessages, FormState, TextField, apply_value, metadata, pod_template, put_count,
};
use super::driver::Playground;
use crate::sim::schedule::{Schedule, Tz, describe, parse_time_zone, validate_schedule};
use crate::sim::time::SimTime;
use crate::view::forms::FieldMessage;
use leptos::prelude::*;
use serde_json::{Map, Value, json};

/// Runs listed under the schedule.
const RUNS_SHOWN: usize = 5;

const CRONJOB_PATHS: &[&str] = &[
    "metadata.name",
    "spec.schedule",
    "spec.timeZone",
    "spec.startingDeadlineSeconds",
    "spec.successfulJobsHistoryLimit",
    "spec.failedJobsHistoryLimit",
    "spec.jobTemplate",
];

/// What the schedule field says while it is typed.
#[derive(Clone, Debug, PartialEq)]
enum Preview {
    /// The description and the next runs, formatted in the CronJob's zone.
    Runs {
        description: String,
        runs: Vec<String>,
    },
    /// The API server's messages for the schedule and the time zone.
    Refused(Vec<FieldMessage>),
}

/// The core's validation of `spec.schedule` and `spec.timeZone`, as the API server words it.
fn validate(schedule: &str, time_zone: Option<&str>) -> Result<Option<Tz>, Vec<FieldMessage>> {
    let mut errors = validate_schedule(schedule).err().unwrap_or_default();
    let zone = parse_time_zone(time_zone)
        .map_err(|e| errors.extend(e))
        .ok()
        .flatten();
    if errors.is_empty() {
        Ok(zone)
    } else {
        Err(errors
            .iter()
            .map(|e| FieldMessage {
                field: e.field.as_str().to_string(),
                text: e.to_string(),
            })
            .collect())
    }
}

fn preview(schedule: &str, time_zone: Option<&str>, now: SimTime) -> Preview {
    let zone = match validate(schedule, time_zone) {
        Ok(zone) => zone,
        Err(errors) => return Preview::Refused(errors),
    };
    let Ok(parsed) = Schedule::parse(schedule) else {
        return Preview::Refused(Vec::new());
    };
    let shown_zone = zone.unwrap_or(Tz::UTC);
    let runs = parsed
        .next_runs(now, zone, RUNS_SHOWN)
        .into_iter()
        .map(|run| {
            run.to_utc()
                .with_timezone(&shown_zone)
                .format("%a %Y-%m-%d %H:%M %Z")
                .to_string()
        })
        .collect();
    Preview::Runs {
        description: describe(&parsed),
        runs,
    }
}

/// The optional time zone: empty text means "not set".
fn zone_text(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The CronJob form.
#[component]
pub fn CronJobForm(playground: Playground) -> impl IntoView {
    let state = FormState::new();
    let name = RwSignal::new(String::from("report"));
    let schedule = RwSignal::new(String::from("*/5 * * * *"));
    let time_zone = RwSignal::new(String::new());
    let concurrency = RwSignal::new(String::from("Allow"));
    let deadline = RwSignal::new(String::new());
    let successful = RwSignal::new(String::from("3"));
    let failed = RwSignal::new(String::from("1"));
    let suspend = RwSignal::new(false);
    let image = RwSignal::new(String::from("busybox:1.36"));
    let command = RwSignal::new(String::from("sh -c \"date; echo report\""));
    let live = Memo::new(move |_| {
        let now = playground.with_sim(|sim| sim.now());
        preview(&schedule.get(), zone_text(&time_zone.get()).as_deref(), now)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let zone = zone_text(&time_zone.get_untracked());
        if let Err(errors) = validate(&schedule.get_untracked(), zone.as_deref()) {
            state.show(Err(errors));
            return;
        }
        let built = (|| -> Result<Value, FieldMessage> {
            let name = name.get_untracked();
            let mut spec = Map::new();
            spec.insert("schedule".into(), schedule.get_untracked().into());
            if let Some(zone) = zone {
                spec.insert("timeZone".into(), zone.into());
            }
            spec.insert(
                "concurrencyPolicy".into(),
                concurrency.get_untracked().into(),
            );
            spec.insert("suspend".into(), suspend.get_untracked().into());
            let counts = [
                ("startingDeadlineSeconds", deadline, CRONJOB_PATHS[3]),
                ("successfulJobsHistoryLimit", successful, CRONJOB_PATHS[4]),
                ("failedJobsHistoryLimit", failed, CRONJOB_PATHS[5]),
            ];
            for (key, value, path) in counts {
                put_count(&mut spec, key, &value.get_untracked(), path)?;
            }
            let mut pod = Map::new();
            pod.insert("restartPolicy".into(), "OnFailure".into());
            let template = pod_template(
                name.trim(),
                &image.get_untracked(),
                &command.get_untracked(),
                pod,
            );
            spec.insert(
                "jobTemplate".into(),
                json!({"spec": {"template": template}}),
            );
            Ok(
                json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata(&name),
                "spec": spec}),
            )
        })();
        state.show(
            built
                .map_err(|m| vec![m])
                .and_then(|value| apply_value(playground, value)),
        );
    };
    view! {
        <form class="create-form" data-testid="cronjob-form" on:submit=submit>
            <TextField label="Name" path="metadata.name" value=name state=state/>
            <TextField label="Schedule" path="spec.schedule" value=schedule state=state/>
            <SchedulePreview live=live/>
            <TextField label="timeZone" path="spec.timeZone" value=time_zone state=state
                placeholder="UTC when empty, e.g. Europe/Berlin"/>
            <Choice label="concurrencyPolicy" value=concurrency
                choices=&["Allow", "Forbid", "Replace"]/>
            <TextField label="startingDeadlineSeconds" path="spec.startingDeadlineSeconds"
                value=deadline state=state/>
            <TextField label="successfulJobsHistoryLimit" path="spec.successfulJobsHistoryLimit"
                value=successful state=state/>
            <TextField label="failedJobsHistoryLimit" path="spec.failedJobsHistoryLimit"
                value=failed state=state/>
            <label class="check">
                <input type="checkbox" prop:checked=suspend
                    on:change=move |ev| suspend.set(event_target_checked(&ev))/>
                " suspend"
            </label>
            <TextField label="Image" path="spec.jobTemplate" value=image state=state/>
            <TextField label="Command" path="spec.jobTemplate.spec.template.spec.containers"
                value=command state=state/>
            <FormMessages state=state paths=CRONJOB_PATHS/>
            <button type="submit" data-testid="create-submit">"Create CronJob"</button>
        </form>
    }
}

#[component]
fn SchedulePreview(live: Memo<Preview>) -> impl IntoView {
    let body = move || match live.get() {
        Preview::Runs { description, runs } => view! {
            <p data-testid="schedule-description">{description}</p>
            <p class="muted">"Next runs:"</p>
            <ol data-testid="schedule-runs">
                {runs.into_iter().map(|run| view! { <li>{run}</li> }).collect_view()}
            </ol>
        }
        .into_any(),
        Preview::Refused(errors) => view! {
            <div class="field-error" data-testid="schedule-error">
                {errors.into_iter().map(|e| view! { <p>{e.text}</p> }).collect_view()}
            </div>
        }
        .into_any(),
    };
    view! { <div class="schedule-preview" aria-live="polite">{body}</div> }
}
