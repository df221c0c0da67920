//! API-server handling of `batch/v1` CronJobs: defaults and validation.
//!
//! Defaults mirror `SetDefaults_CronJob` (`pkg/apis/batch/v1/defaults.go`) plus the generated
//! pod-spec defaults of the job template; validation mirrors `ValidateCronJobCreate` /
//! `ValidateCronJobUpdate` in `pkg/apis/batch/validation`, with the same field paths and
//! messages. Schedule and time-zone checks are the schedule module's
//! ([`crate::sim::schedule::validate_schedule_format`], [`validate_time_zone`]).

use crate::sim::model::cronjob::{
    DEFAULT_FAILED_JOBS_HISTORY_LIMIT, DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT,
};
use crate::sim::model::{ConcurrencyPolicy, CronJob, Job, JobTemplateSpec};
use crate::sim::schedule::{validate_schedule_format, validate_time_zone};
use crate::sim::validation::{BadValue, FieldError, FieldPath};

/// The longest CronJob name: a Job name is a DNS label (63 characters) and the controller
/// appends `-` and up to ten digits of minutes since the epoch (11 characters).
pub const MAX_CRON_JOB_NAME_LEN: usize = 63 - 11;

/// `SetDefaults_CronJob`: Allow, not suspended, keep 3 successful and 1 failed Job; the job
/// template's pod spec gets the usual pod defaults (the Job defaults come when a Job is made).
pub fn default_cron_job(cj: &mut CronJob) {
    let spec = &mut cj.spec;
    spec.concurrency_policy
        .get_or_insert(ConcurrencyPolicy::Allow);
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit
        .get_or_insert(DEFAULT_SUCCESSFUL_JOBS_HISTORY_LIMIT);
    spec.failed_jobs_history_limit
        .get_or_insert(DEFAULT_FAILED_JOBS_HISTORY_LIMIT);
    super::default_pod_spec(&mut spec.job_template.spec.template.spec);
}

/// `ValidateCronJobCreate` (when `old` is `None`) or `ValidateCronJobUpdate`.
///
/// A write that leaves the spec as stored is not validated again: the controller's status
/// writes go through the status subresource upstream, which does not look at the spec, and a
/// legacy object (say one with `TZ=` in its schedule and a `timeZone`) must stay writable.
pub fn validate_cron_job(cj: &CronJob, old: Option<&CronJob>) -> Vec<FieldError> {
    if old.is_some_and(|old| unchanged_spec(old, cj)) {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let name = &cj.metadata.name;
    if old.is_none() && name.len() > MAX_CRON_JOB_NAME_LEN {
        errors.push(FieldError::invalid(
            FieldPath::new("metadata").child("name"),
            BadValue::Str(name.clone()),
            format!("must be no more than {MAX_CRON_JOB_NAME_LEN} characters"),
        ));
    }
    errors.extend(validate_spec(cj, old));
    errors
}

/// Whether `new` keeps the spec of `old`, comparing after defaults (a stored object written
/// around the API may lack them, and every write fills them in).
fn unchanged_spec(old: &CronJob, new: &CronJob) -> bool {
    if old.spec == new.spec {
        return true;
    }
    let mut old = old.clone();
    default_cron_job(&mut old);
    old.spec == new.spec
}

/// `ValidateCronJobSpec`: schedule, deadline, template, zone and history limits.
fn validate_spec(cj: &CronJob, old: Option<&CronJob>) -> Vec<FieldError> {
    let spec = &cj.spec;
    let path = FieldPath::new("spec");
    let mut errors = Vec::new();

    let schedule_path = path.child("schedule");
    if spec.schedule.is_empty() {
        errors.push(FieldError::required(schedule_path, ""));
    } else {
        // A schedule that already carried `TZ=` stays editable (objects from before 1.29).
        let allow_tz = old.is_some_and(|old| old.spec.schedule.contains("TZ"));
        errors.extend(validate_schedule_format(
            &spec.schedule,
            allow_tz,
            spec.time_zone.as_deref(),
            &schedule_path,
        ));
    }
    nonnegative(
        &mut errors,
        path.child("startingDeadlineSeconds"),
        spec.starting_deadline_seconds,
    );
    errors.extend(validate_job_template(
        &spec.job_template,
        &path.child("jobTemplate"),
    ));
    if let Err(zone_errors) = validate_time_zone(spec.time_zone.as_deref()) {
        errors.extend(zone_errors);
    }
    let limits = [
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ];
    for (field, value) in limits {
        nonnegative(&mut errors, path.child(field), value.map(i64::from));
    }
    errors
}

fn nonnegative(errors: &mut Vec<FieldError>, path: FieldPath, value: Option<i64>) {
    if let Some(value) = value.filter(|v| *v < 0) {
        errors.push(FieldError::invalid(
            path,
            BadValue::Int(value),
            "must be greater than or equal to 0",
        ));
    }
}

/// `ValidateJobTemplateSpec`: the Job spec rules, and no selector of its own, since every Job
/// gets one generated from its uid.
fn validate_job_template(template: &JobTemplateSpec, path: &FieldPath) -> Vec<FieldError> {
    let spec_path = path.child("spec");
    let mut errors = job_spec_errors(template, &spec_path);
    if template.spec.manual_selector == Some(true) {
        errors.push(FieldError::not_supported(
            spec_path.child("manualSelector"),
            BadValue::Bool(true),
            &["nil", "false"],
        ));
    }
    if let Some(selector) = &template.spec.selector {
        errors.push(FieldError::invalid(
            spec_path.child("selector"),
            BadValue::Go(format!("{selector:?}")),
            "`selector` will be auto-generated",
        ));
    }
    errors
}

/// The Job validator's `validateJobSpec` part, run on a Job built from the template with the
/// paths moved under `spec.jobTemplate.spec`. The selector fields are left out here (they are
/// checked above) and so are the checks about the Job's own name, which a template has not.
fn job_spec_errors(template: &JobTemplateSpec, spec_path: &FieldPath) -> Vec<FieldError> {
    let mut job = Job::new("", "", "", &[]);
    job.spec = template.spec.clone();
    job.spec.selector = None;
    job.spec.manual_selector = None;
    super::batch::validate_job(&job, None)
        .into_iter()
        .filter_map(|mut error| {
            let rest = error.field.as_str().strip_prefix("spec")?.to_string();
            error.field = FieldPath::new(&format!("{spec_path}{rest}"));
            Some(error)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> CronJob {
        let mut cj = CronJob::new("default", "hello", "* * * * *", "busybox", &["date"]);
        default_cron_job(&mut cj);
        cj
    }

    fn messages(cj: &CronJob) -> Vec<String> {
        validate_cron_job(cj, None)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn defaults_are_allow_unsuspended_and_three_and_one() {
        let cj = hello();
        assert_eq!(cj.spec.concurrency_policy, Some(ConcurrencyPolicy::Allow));
        assert_eq!(cj.spec.suspend, Some(false));
        assert_eq!(cj.spec.successful_jobs_history_limit, Some(3));
        assert_eq!(cj.spec.failed_jobs_history_limit, Some(1));
        assert!(messages(&cj).is_empty(), "{:?}", messages(&cj));
    }

    #[test]
    fn job_template_errors_carry_the_template_path() {
        let mut cj = hello();
        cj.spec.job_template.spec.template.spec.restart_policy = None;
        cj.spec.job_template.spec.backoff_limit = Some(-1);
        assert_eq!(
            messages(&cj),
            [
                "spec.jobTemplate.spec.backoffLimit: Invalid value: -1: must be greater than or \
                 equal to 0",
                "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \
                 \"OnFailure\", \"Never\"",
            ]
        );
    }

    #[test]
    fn negative_deadline_and_history_limits_are_rejected() {
        let mut cj = hello();
        cj.spec.starting_deadline_seconds = Some(-5);
        cj.spec.failed_jobs_history_limit = Some(-1);
        assert_eq!(
            messages(&cj),
            [
                "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal \
                 to 0",
                "spec.failedJobsHistoryLimit: Invalid value: -1: must be greater than or equal to \
                    0",
            ]
        );
    }
}
