//! `batch/v1` CronJob: a Job template run on a cron schedule, with the API's field names.
//!
//! Like [`super::Job`], the spec keeps what the user wrote (`Option`s stay `None` until the API
//! server's defaults fill them, see [`crate::sim::admission::cronjob`]); the accessors read a
//! field with its default so the controller never repeats the defaulting rules.

use super::batch::{JobSpec, default_batch_v1};
use super::core::ObjectReference;
use super::meta::{ObjectMeta, opt_time};
use super::pod::{Container, RestartPolicy};
use crate::sim::time::SimTime;
use serde::{Deserialize, Serialize};

/// The annotation holding a scheduled Job's nominal start time in the CronJob's zone (RFC 3339).
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/// The annotation `kubectl create job --from=cronjob/...` puts on a Job started by hand.
pub const INSTANTIATE_ANNOTATION: &str = "cronjob.kubernetes.io/instantiate";
/// The value of [`INSTANTIATE_ANNOTATION`] on Jobs started by hand.
pub const INSTANTIATE_MANUAL: &str = "manual";
/// Default `successfulJobsHistoryLimit`.
pub const DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT: i32 = 3;
/// Default `failedJobsHistoryLimit`.
pub const DEFAULT_FAILED_JOBS_HISTORY_LIMIT: i32 = 1;

/// What happens when a run is due while an earlier Job still runs (`spec.concurrencyPolicy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConcurrencyPolicy {
    /// Start the new Job beside the running ones (the default).
    #[default]
    Allow,
    /// Skip the new run while any Job of this CronJob is active.
    Forbid,
    /// Delete the running Jobs, then start the new one.
    Replace,
}

impl ConcurrencyPolicy {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

/// The Job a CronJob stamps out (`batch/v1 JobTemplateSpec`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTemplateSpec {
    /// Labels and annotations copied onto every created Job.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The created Jobs' spec.
    #[serde(default)]
    pub spec: JobSpec,
}

/// CronJob spec (`batch/v1`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSpec {
    /// The cron schedule, e.g. `*/5 * * * *` or `@hourly`.
    #[serde(default)]
    pub schedule: String,
    /// IANA zone the schedule is read in; UTC (the controller's zone) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// A run more than this many seconds late is skipped; no deadline when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<i64>,
    /// `Allow` (default), `Forbid` or `Replace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    /// True stops new runs (running Jobs are left alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// The Job to create at each run.
    #[serde(default)]
    pub job_template: JobTemplateSpec,
    /// Finished successful Jobs kept; default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    /// Finished failed Jobs kept; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
}

/// CronJob status, as the controller writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatus {
    /// References to the Jobs this CronJob started that have not finished.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub active: Vec<ObjectReference>,
    /// The scheduled (nominal) time of the last Job started.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_schedule_time: Option<SimTime>,
    /// When the latest successful Job completed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_time")]
    pub last_successful_time: Option<SimTime>,
}

/// A CronJob (`batch/v1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJob {
    /// Always `batch/v1`.
    #[serde(default = "default_batch_v1")]
    pub api_version: String,
    /// Always `CronJob`.
    #[serde(default = "default_cron_job_kind")]
    pub kind: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Spec.
    #[serde(default)]
    pub spec: CronJobSpec,
    /// Status.
    #[serde(default)]
    pub status: CronJobStatus,
}

fn default_cron_job_kind() -> String {
    "CronJob".to_string()
}

impl CronJob {
    /// A CronJob running one container `main` with `image` and `command` on `schedule`, with
    /// restartPolicy OnFailure (the shape of the kubernetes.io `hello` example).
    pub fn new(namespace: &str, name: &str, schedule: &str, image: &str, command: &[&str]) -> Self {
        let mut spec = JobSpec::default();
        spec.template
            .spec
            .containers
            .push(Container::new(name, image, command));
        spec.template.spec.restart_policy = Some(RestartPolicy::OnFailure);
        CronJob {
            api_version: default_batch_v1(),
            kind: default_cron_job_kind(),
            metadata: ObjectMeta::named(namespace, name),
            spec: CronJobSpec {
                schedule: schedule.to_string(),
                job_template: JobTemplateSpec {
                    metadata: ObjectMeta::default(),
                    spec,
                },
                ..Default::default()
            },
            status: CronJobStatus::default(),
        }
    }

    /// `concurrencyPolicy` with its default (Allow).
    pub fn concurrency_policy(&self) -> ConcurrencyPolicy {
        self.spec.concurrency_policy.unwrap_or_default()
    }

    /// True with `suspend: true`.
    pub fn is_suspended(&self) -> bool {
        self.spec.suspend == Some(true)
    }

    /// `successfulJobsHistoryLimit` as the controller reads it: `None` keeps every Job. The API
    /// server always fills it (default 3), so `None` only happens on objects written around it.
    pub fn successful_jobs_history_limit(&self) -> Option<i32> {
        self.spec.successful_jobs_history_limit
    }

    /// `failedJobsHistoryLimit` as the controller reads it; see
    /// [`CronJob::successful_jobs_history_limit`].
    pub fn failed_jobs_history_limit(&self) -> Option<i32> {
        self.spec.failed_jobs_history_limit
    }
}
