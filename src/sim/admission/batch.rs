//! API-server handling of `batch/v1` Jobs: defaults, the generated selector and validation.
//!
//! Defaults mirror `SetDefaults_Job` (`pkg/apis/batch/v1/defaults.go`), the selector mirrors the
//! Job strategy's `generateSelector`, and validation mirrors `ValidateJob` / `ValidateJobUpdate`
//! in `pkg/apis/batch/validation`, with the same field paths and messages.

use crate::sim::model::{
    CompletionMode, Job, LabelSelector, PodFailurePolicy, PodFailurePolicyAction,
    PodFailurePolicyOnExitCodesOperator, PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyRule, PodReplacementPolicy, RestartPolicy, SuccessPolicy,
};
use crate::sim::validation::{BadValue, FieldError, FieldErrorKind, FieldPath};
use std::collections::BTreeSet;

/// Label naming the Job's uid on its pods (and its generated selector).
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";
/// Label naming the Job on its pods.
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
/// The pre-1.27 spelling of [`CONTROLLER_UID_LABEL`], still written.
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
/// The pre-1.27 spelling of [`JOB_NAME_LABEL`], still written.
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";

/// Most parallel pods an Indexed Job may ask for (`maxParallelismForIndexedJob`).
const MAX_PARALLELISM_INDEXED: i32 = 100_000;
/// Most failed indexes that may be tolerated (`maxFailedIndexesForIndexedJob`).
const MAX_FAILED_INDEXES: i32 = 100_000;
/// Most rules in a pod failure policy.
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
/// Most exit codes in one `onExitCodes`.
const MAX_EXIT_CODE_VALUES: usize = 255;
/// Most patterns in one `onPodConditions`.
const MAX_POD_CONDITION_PATTERNS: usize = 20;
/// Most rules in a success policy.
const MAX_SUCCESS_POLICY_RULES: usize = 20;
/// Longest label value (and DNS label).
const MAX_LABEL_LEN: usize = 63;

/// `SetDefaults_Job`: parallelism/completions, backoffLimit, completion mode, suspend,
/// replacement policy, manualSelector, plus the pod template's own defaults.
pub fn default_job(job: &mut Job) {
    let spec = &mut job.spec;
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
    }
    // Only parallelism is defaulted when completions is given; a missing completions with a
    // given parallelism stays nil, which makes a work-queue Job.
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    spec.completion_mode
        .get_or_insert(CompletionMode::NonIndexed);
    spec.suspend.get_or_insert(false);
    spec.manual_selector.get_or_insert(false);
    if spec.pod_replacement_policy.is_none() {
        spec.pod_replacement_policy = Some(if spec.pod_failure_policy.is_some() {
            PodReplacementPolicy::Failed
        } else {
            PodReplacementPolicy::TerminatingOrFailed
        });
    }
    super::default_pod_spec(&mut spec.template.spec);
}

/// The Job strategy's `generateSelector`: unless `manualSelector`, label the template with the
/// uid and name (keeping labels the user already set) and select on the uid.
pub fn generate_selector(job: &mut Job) {
    if job.spec.manual_selector == Some(true) {
        return;
    }
    let uid = job.metadata.uid.clone();
    let name = job.metadata.name.clone();
    let labels = &mut job.spec.template.metadata.labels;
    for (key, value) in [
        (LEGACY_CONTROLLER_UID_LABEL, &uid),
        (LEGACY_JOB_NAME_LABEL, &name),
        (CONTROLLER_UID_LABEL, &uid),
        (JOB_NAME_LABEL, &name),
    ] {
        labels
            .entry(key.to_string())
            .or_insert_with(|| value.clone());
    }
    if job.spec.selector.is_none() {
        job.spec.selector = Some(LabelSelector::from_labels(&[(CONTROLLER_UID_LABEL, &uid)]));
    }
}

/// What `kubectl apply` keeps from the stored Job: the generated selector and template labels,
/// which a manifest never spells out (a real apply is a merge patch that leaves them alone).
pub fn carry_generated_fields(old: &Job, new: &mut Job) {
    if new.spec.manual_selector.is_none() {
        new.spec.manual_selector = old.spec.manual_selector;
    }
    if new.spec.selector.is_none() {
        new.spec.selector = old.spec.selector.clone();
    }
    for key in [
        LEGACY_CONTROLLER_UID_LABEL,
        LEGACY_JOB_NAME_LABEL,
        CONTROLLER_UID_LABEL,
        JOB_NAME_LABEL,
    ] {
        if let Some(value) = old.spec.template.metadata.labels.get(key) {
            new.spec
                .template
                .metadata
                .labels
                .entry(key.to_string())
                .or_insert_with(|| value.clone());
        }
    }
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

fn field_error(
    field: FieldPath,
    kind: FieldErrorKind,
    bad_value: BadValue,
    detail: &str,
) -> FieldError {
    FieldError {
        field,
        kind,
        bad_value,
        detail: detail.to_string(),
    }
}

/// `ValidateJob` (create) or `ValidateJobUpdate` (when `old` is given).
pub fn validate_job(job: &Job, old: Option<&Job>) -> Vec<FieldError> {
    let spec_path = FieldPath::new("spec");
    let mut errors = validate_name(job);
    errors.extend(validate_generated_selector(job, old));
    errors.extend(validate_spec(job, &spec_path));
    errors.extend(validate_selector(job, &spec_path));
    if let Some(old) = old {
        errors.extend(validate_update(job, old, &spec_path));
    }
    errors.sort();
    errors.dedup();
    errors
}

/// The name becomes a label value on every pod and, for Indexed Jobs, a hostname prefix.
fn validate_name(job: &Job) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let name = &job.metadata.name;
    let generated = job.spec.manual_selector != Some(true);
    if generated && name.len() > MAX_LABEL_LEN {
        errors.push(FieldError::invalid(
            FieldPath::new("spec")
                .child("template")
                .child("metadata")
                .child("labels"),
            BadValue::Str(name.clone()),
            format!("must be no more than {MAX_LABEL_LEN} characters"),
        ));
    }
    if let (CompletionMode::Indexed, Some(completions)) = (job.completion_mode(), job.completions())
        && completions > 0
    {
        let hostname = format!("{name}-{}", completions - 1);
        if !is_dns1123_label(&hostname) {
            errors.push(FieldError::invalid(
                FieldPath::new("metadata").child("name"),
                BadValue::Str(name.clone()),
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errors
}

/// `IsDNS1123Label`: lowercase alphanumerics and '-', starting and ending alphanumeric, ≤ 63.
fn is_dns1123_label(text: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !text.is_empty()
        && text.len() <= MAX_LABEL_LEN
        && text.chars().all(|c| alnum(c) || c == '-')
        && text.starts_with(alnum)
        && text.ends_with(alnum)
}

/// `validateGeneratedSelector`: a generated selector must select the uid and name labels.
fn validate_generated_selector(job: &Job, old: Option<&Job>) -> Vec<FieldError> {
    // On update the incoming object has not had its uid restored yet; the stored one has it.
    let uid = old.map_or(&job.metadata.uid, |o| &o.metadata.uid);
    let Some(selector) = job.spec.selector.as_ref() else {
        return Vec::new();
    };
    if job.spec.manual_selector == Some(true) {
        return Vec::new();
    }
    let expected = [
        (CONTROLLER_UID_LABEL, uid.clone()),
        (JOB_NAME_LABEL, job.metadata.name.clone()),
        (LEGACY_CONTROLLER_UID_LABEL, uid.clone()),
        (LEGACY_JOB_NAME_LABEL, job.metadata.name.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if selector.matches(&expected) {
        return Vec::new();
    }
    vec![FieldError::invalid(
        FieldPath::new("spec").child("selector"),
        BadValue::Go(format!("{selector:?}")),
        "`selector` not auto-generated",
    )]
}

/// `ValidateJobSpec`'s selector part. On create without a manual selector the selector does
/// not exist yet: it is generated from the uid right after validation (see
/// [`generate_selector`]) and always matches, so there is nothing to check.
fn validate_selector(job: &Job, spec_path: &FieldPath) -> Vec<FieldError> {
    let Some(selector) = job.spec.selector.as_ref() else {
        if job.spec.manual_selector == Some(true) || !job.metadata.uid.is_empty() {
            return vec![FieldError::required(spec_path.child("selector"), "")];
        }
        return Vec::new();
    };
    if selector.matches(job.template_labels()) {
        return Vec::new();
    }
    vec![FieldError::invalid(
        spec_path
            .child("template")
            .child("metadata")
            .child("labels"),
        BadValue::Go(go_map(job.template_labels())),
        "`selector` does not match template `labels`",
    )]
}

fn go_map(labels: &std::collections::BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[{}]", pairs.join(" "))
}

/// `validateJobSpec`: counts, completion mode, per-index options, policies, template.
fn validate_spec(job: &Job, path: &FieldPath) -> Vec<FieldError> {
    let spec = &job.spec;
    let mut errors = Vec::new();
    let counts = [
        ("parallelism", spec.parallelism.map(i64::from)),
        ("completions", spec.completions.map(i64::from)),
        ("activeDeadlineSeconds", spec.active_deadline_seconds),
        ("backoffLimit", spec.backoff_limit.map(i64::from)),
        (
            "ttlSecondsAfterFinished",
            spec.ttl_seconds_after_finished.map(i64::from),
        ),
        (
            "backoffLimitPerIndex",
            spec.backoff_limit_per_index.map(i64::from),
        ),
        ("maxFailedIndexes", spec.max_failed_indexes.map(i64::from)),
    ];
    for (name, value) in counts {
        nonnegative(&mut errors, path.child(name), value);
    }
    if spec.max_failed_indexes.is_some() && spec.backoff_limit_per_index.is_none() {
        errors.push(FieldError::required(
            path.child("backoffLimitPerIndex"),
            "when maxFailedIndexes is specified",
        ));
    }
    errors.extend(validate_completion_mode(job, path));
    if let Some(policy) = &spec.pod_failure_policy {
        errors.extend(validate_pod_failure_policy(
            job,
            policy,
            &path.child("podFailurePolicy"),
        ));
    }
    if let Some(policy) = &spec.success_policy {
        errors.extend(validate_success_policy(
            job,
            policy,
            &path.child("successPolicy"),
        ));
    }
    if let (Some(_), Some(replacement)) = (&spec.pod_failure_policy, spec.pod_replacement_policy)
        && replacement != PodReplacementPolicy::Failed
    {
        errors.push(FieldError::not_supported(
            path.child("podReplacementPolicy"),
            BadValue::Str(replacement.as_str().to_string()),
            &["Failed"],
        ));
    }
    if let Some(managed_by) = &spec.managed_by {
        errors.extend(validate_managed_by(managed_by, &path.child("managedBy")));
    }
    errors.extend(validate_template(job, &path.child("template")));
    errors
}

/// Indexed needs completions and bounded parallelism; per-index options need Indexed.
fn validate_completion_mode(job: &Job, path: &FieldPath) -> Vec<FieldError> {
    let spec = &job.spec;
    let mut errors = Vec::new();
    if job.is_indexed() {
        if spec.completions.is_none() {
            errors.push(FieldError::required(
                path.child("completions"),
                "when completion mode is Indexed",
            ));
        }
        if let Some(parallelism) = spec.parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
            errors.push(FieldError::invalid(
                path.child("parallelism"),
                BadValue::Int(i64::from(parallelism)),
                format!(
                    "must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode \
                     is Indexed"
                ),
            ));
        }
        if let (Some(completions), Some(max)) = (spec.completions, spec.max_failed_indexes)
            && max > completions
        {
            errors.push(FieldError::invalid(
                path.child("maxFailedIndexes"),
                BadValue::Int(i64::from(max)),
                "must be less than or equal to completions",
            ));
        }
        if let Some(max) = spec.max_failed_indexes.filter(|m| *m > MAX_FAILED_INDEXES) {
            errors.push(FieldError::invalid(
                path.child("maxFailedIndexes"),
                BadValue::Int(i64::from(max)),
                format!("must be less than or equal to {MAX_FAILED_INDEXES}"),
            ));
        }
        return errors;
    }
    for (name, value) in [
        ("backoffLimitPerIndex", spec.backoff_limit_per_index),
        ("maxFailedIndexes", spec.max_failed_indexes),
    ] {
        if let Some(value) = value {
            errors.push(FieldError::invalid(
                path.child(name),
                BadValue::Int(i64::from(value)),
                "requires indexed completion mode",
            ));
        }
    }
    errors
}

/// The template: a valid pod spec whose restart policy is OnFailure or Never (only Never with a
/// pod failure policy).
fn validate_template(job: &Job, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = super::validate_pod_spec(&job.spec.template.spec, &path.child("spec"));
    let policy_path = path.child("spec").child("restartPolicy");
    match job.spec.template.spec.restart_policy {
        None | Some(RestartPolicy::Always) => errors.push(FieldError::required(
            policy_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        Some(RestartPolicy::OnFailure) if job.spec.pod_failure_policy.is_some() => {
            errors.push(FieldError::invalid(
                policy_path,
                BadValue::Str("OnFailure".to_string()),
                "only \"Never\" is supported when podFailurePolicy is specified",
            ))
        }
        Some(_) => {}
    }
    errors
}

/// `validatePodFailurePolicy` and its rules.
fn validate_pod_failure_policy(
    job: &Job,
    policy: &PodFailurePolicy,
    path: &FieldPath,
) -> Vec<FieldError> {
    let rules_path = path.child("rules");
    let mut errors = Vec::new();
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errors.push(field_error(
            rules_path.clone(),
            FieldErrorKind::TooMany,
            BadValue::Int(policy.rules.len() as i64),
            &format!("must have at most {MAX_POD_FAILURE_POLICY_RULES} items"),
        ));
    }
    let template = &job.spec.template.spec;
    let names: BTreeSet<&str> = template
        .containers
        .iter()
        .chain(template.init_containers.iter())
        .map(|c| c.name.as_str())
        .collect();
    for (index, rule) in policy.rules.iter().enumerate() {
        errors.extend(validate_rule(job, rule, &rules_path.index(index), &names));
    }
    errors
}

fn validate_rule(
    job: &Job,
    rule: &PodFailurePolicyRule,
    path: &FieldPath,
    names: &BTreeSet<&str>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if rule.action == PodFailurePolicyAction::FailIndex
        && job.spec.backoff_limit_per_index.is_none()
    {
        errors.push(FieldError::invalid(
            path.child("action"),
            BadValue::Str("FailIndex".to_string()),
            "requires the backoffLimitPerIndex to be set",
        ));
    }
    if let Some(codes) = &rule.on_exit_codes {
        errors.extend(validate_exit_codes(
            codes,
            &path.child("onExitCodes"),
            names,
        ));
    }
    let patterns_path = path.child("onPodConditions");
    if rule.on_pod_conditions.len() > MAX_POD_CONDITION_PATTERNS {
        errors.push(field_error(
            patterns_path.clone(),
            FieldErrorKind::TooMany,
            BadValue::Int(rule.on_pod_conditions.len() as i64),
            &format!("must have at most {MAX_POD_CONDITION_PATTERNS} items"),
        ));
    }
    for (index, pattern) in rule.on_pod_conditions.iter().enumerate() {
        if pattern.type_.is_empty() {
            errors.push(FieldError::required(
                patterns_path.index(index).child("type"),
                "",
            ));
        }
    }
    match (
        rule.on_exit_codes.is_some(),
        rule.on_pod_conditions.is_empty(),
    ) {
        (true, false) => errors.push(FieldError::invalid(
            path.clone(),
            BadValue::Omitted,
            "specifying both OnExitCodes and OnPodConditions is not supported",
        )),
        (false, true) => errors.push(FieldError::invalid(
            path.clone(),
            BadValue::Omitted,
            "specifying one of OnExitCodes and OnPodConditions is required",
        )),
        _ => {}
    }
    errors
}

/// Renders exit codes like Go's `%#v` of a `[]int32`.
fn go_int32s(values: &[i32]) -> BadValue {
    let items: Vec<String> = values.iter().map(ToString::to_string).collect();
    BadValue::Go(format!("[]int32{{{}}}", items.join(", ")))
}

/// `validatePodFailurePolicyRuleOnExitCodes`.
fn validate_exit_codes(
    codes: &PodFailurePolicyOnExitCodesRequirement,
    path: &FieldPath,
    names: &BTreeSet<&str>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(name) = codes
        .container_name
        .as_deref()
        .filter(|n| !names.contains(n))
    {
        errors.push(FieldError::invalid(
            path.child("containerName"),
            BadValue::Str(name.to_string()),
            "must be one of the container or initContainer names in the pod template",
        ));
    }
    let values_path = path.child("values");
    if codes.values.is_empty() {
        errors.push(FieldError::invalid(
            values_path.clone(),
            go_int32s(&codes.values),
            "at least one value is required",
        ));
    } else if codes.values.len() > MAX_EXIT_CODE_VALUES {
        errors.push(field_error(
            values_path.clone(),
            FieldErrorKind::TooMany,
            BadValue::Int(codes.values.len() as i64),
            &format!("must have at most {MAX_EXIT_CODE_VALUES} items"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (index, value) in codes.values.iter().enumerate() {
        let value_path = values_path.index(index);
        if codes.operator == PodFailurePolicyOnExitCodesOperator::In && *value == 0 {
            errors.push(FieldError::invalid(
                value_path.clone(),
                BadValue::Int(0),
                "must not be 0 for the In operator",
            ));
        }
        if !seen.insert(*value) {
            errors.push(field_error(
                value_path,
                FieldErrorKind::Duplicate,
                BadValue::Int(i64::from(*value)),
                "",
            ));
        }
    }
    if codes.values.windows(2).any(|pair| pair[0] > pair[1]) {
        errors.push(FieldError::invalid(
            values_path,
            go_int32s(&codes.values),
            "must be ordered",
        ));
    }
    errors
}

/// `validateSuccessPolicy`: Indexed only, 1–20 rules, each with indexes and/or a count that fit.
fn validate_success_policy(job: &Job, policy: &SuccessPolicy, path: &FieldPath) -> Vec<FieldError> {
    if !job.is_indexed() {
        return vec![FieldError::invalid(
            path.clone(),
            BadValue::Go(format!("{policy:?}")),
            "requires indexed completion mode",
        )];
    }
    let rules_path = path.child("rules");
    let mut errors = Vec::new();
    if policy.rules.is_empty() {
        errors.push(FieldError::required(
            rules_path.clone(),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if policy.rules.len() > MAX_SUCCESS_POLICY_RULES {
        errors.push(field_error(
            rules_path.clone(),
            FieldErrorKind::TooMany,
            BadValue::Int(policy.rules.len() as i64),
            &format!("must have at most {MAX_SUCCESS_POLICY_RULES} items"),
        ));
    }
    let completions = job.completions().unwrap_or(0);
    for (index, rule) in policy.rules.iter().enumerate() {
        let rule_path = rules_path.index(index);
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errors.push(FieldError::required(
                rule_path.clone(),
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut listed = None;
        if let Some(text) = &rule.succeeded_indexes {
            match crate::sim::model::batch::parse_intervals(text, completions) {
                Ok(set) => listed = Some(set.len() as i32),
                Err(err) => errors.push(FieldError::invalid(
                    rule_path.child("succeededIndexes"),
                    BadValue::Str(text.clone()),
                    format!("error parsing succeededIndexes: {err}"),
                )),
            }
        }
        if let Some(count) = rule.succeeded_count {
            let count_path = rule_path.child("succeededCount");
            nonnegative(&mut errors, count_path.clone(), Some(i64::from(count)));
            if count > completions {
                errors.push(FieldError::invalid(
                    count_path.clone(),
                    BadValue::Int(i64::from(count)),
                    format!(
                        "must indicate a value less than or equal to .spec.completions \
                            ({completions})"
                    ),
                ));
            }
            if let (Some(listed), Some(text)) = (listed, &rule.succeeded_indexes)
                && count > listed
            {
                errors.push(FieldError::invalid(
                    count_path,
                    BadValue::Int(i64::from(count)),
                    format!(
                        "must indicate a value less than or equal to the number of indexes \
                         ({listed}) specified in the succeededIndexes ({text})"
                    ),
                ));
            }
        }
    }
    errors
}

/// `managedBy` must be a domain-prefixed path of at most 63 characters.
fn validate_managed_by(value: &str, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let prefixed = value
        .split_once('/')
        .is_some_and(|(domain, rest)| domain.contains('.') && !rest.is_empty());
    if !prefixed {
        errors.push(FieldError::invalid(
            path.clone(),
            BadValue::Str(value.to_string()),
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        ));
    }
    if value.len() > MAX_LABEL_LEN {
        errors.push(field_error(
            path.clone(),
            FieldErrorKind::TooLong,
            BadValue::Str(value.to_string()),
            &format!("may not be more than {MAX_LABEL_LEN} bytes"),
        ));
    }
    errors
}

/// `ValidateJobSpecUpdate`: fields fixed at creation.
fn validate_update(job: &Job, old: &Job, path: &FieldPath) -> Vec<FieldError> {
    let (new_spec, old_spec) = (&job.spec, &old.spec);
    let mut errors = Vec::new();
    let mut immutable = |name: &str, changed: bool, value: BadValue| {
        if changed {
            errors.push(FieldError::invalid(
                path.child(name),
                value,
                "field is immutable",
            ));
        }
    };
    // Elastic Indexed Jobs may change completions together with parallelism.
    let elastic = job.is_indexed()
        && new_spec.completions == new_spec.parallelism
        && old_spec.completions == old_spec.parallelism;
    immutable(
        "completions",
        new_spec.completions != old_spec.completions && !elastic,
        new_spec
            .completions
            .map_or(BadValue::Null, |c| BadValue::Int(i64::from(c))),
    );
    immutable(
        "selector",
        new_spec.selector != old_spec.selector,
        BadValue::Go(format!("{:?}", new_spec.selector)),
    );
    immutable(
        "completionMode",
        new_spec.completion_mode != old_spec.completion_mode,
        BadValue::Str(job.completion_mode().as_str().to_string()),
    );
    immutable(
        "podFailurePolicy",
        new_spec.pod_failure_policy != old_spec.pod_failure_policy,
        BadValue::Go(format!("{:?}", new_spec.pod_failure_policy)),
    );
    immutable(
        "backoffLimitPerIndex",
        new_spec.backoff_limit_per_index != old_spec.backoff_limit_per_index,
        new_spec
            .backoff_limit_per_index
            .map_or(BadValue::Null, |c| BadValue::Int(i64::from(c))),
    );
    immutable(
        "successPolicy",
        new_spec.success_policy != old_spec.success_policy,
        BadValue::Go(format!("{:?}", new_spec.success_policy)),
    );
    immutable(
        "managedBy",
        new_spec.managed_by != old_spec.managed_by,
        new_spec
            .managed_by
            .clone()
            .map_or(BadValue::Null, BadValue::Str),
    );
    // DIVERGENCE: upstream lets a suspended Job that never started change its template's
    // scheduling directives (node selector, affinity, tolerations, labels, annotations); the
    // simulation keeps the whole template immutable.
    immutable(
        "template",
        new_spec.template != old_spec.template,
        BadValue::Go("core.PodTemplateSpec{...}".to_string()),
    );
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::model::Namespace;
    use crate::sim::store::Store;
    use crate::sim::time::SimTime;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn work_queue_job_keeps_completions_nil_and_both_unset_become_one() {
        let mut queue = Job::new("default", "q", "busybox", &["sleep", "1"]);
        queue.spec.parallelism = Some(3);
        default_job(&mut queue);
        assert_eq!(
            (queue.spec.parallelism, queue.spec.completions),
            (Some(3), None)
        );
        let mut plain = Job::new("default", "p", "busybox", &["sleep", "1"]);
        default_job(&mut plain);
        assert_eq!(
            (plain.spec.parallelism, plain.spec.completions),
            (Some(1), Some(1))
        );
        assert_eq!(plain.spec.backoff_limit, Some(6));
        assert_eq!(plain.spec.completion_mode, Some(CompletionMode::NonIndexed));
        assert_eq!(
            plain.spec.pod_replacement_policy,
            Some(PodReplacementPolicy::TerminatingOrFailed)
        );
    }

    #[test]
    fn created_job_gets_a_selector_on_its_uid_and_labelled_template() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut store = Store::default();
        store
            .create(Namespace::new("default"), SimTime::default(), &mut rng)
            .expect("fresh store");
        let job = Job::new("default", "pi", "perl", &["perl"]);
        let created = store
            .create(job, SimTime::default(), &mut rng)
            .expect("valid job");
        let uid = created.metadata.uid.clone();
        let selector = created.spec.selector.expect("generated");
        assert_eq!(selector.match_labels.get(CONTROLLER_UID_LABEL), Some(&uid));
        let labels = &created.spec.template.metadata.labels;
        assert_eq!(labels.get(JOB_NAME_LABEL).map(String::as_str), Some("pi"));
        assert_eq!(
            labels.get(LEGACY_JOB_NAME_LABEL).map(String::as_str),
            Some("pi")
        );
        assert_eq!(labels.get(LEGACY_CONTROLLER_UID_LABEL), Some(&uid));
        assert_eq!(created.spec.manual_selector, Some(false));
    }
}
