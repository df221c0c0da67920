//! What the API server does to an object before storing it: defaults and validation.
//!
//! Defaults mirror `SetDefaults_*` in `pkg/apis/{core,apps}/v1/defaults.go` and the
//! DefaultTolerationSeconds admission plugin; validation mirrors `pkg/apis/apps/validation`, with
//! messages worded and field paths spelled like the API server's.

use crate::sim::model::LabelSelector;
use crate::sim::model::{
    DaemonSet, DaemonSetUpdateStrategy, DaemonSetUpdateStrategyType, IntOrString, Pod, PodSpec,
    RestartPolicy, RollingUpdateDaemonSet, TaintEffect, Toleration, TolerationOperator,
    node::{TAINT_NOT_READY, TAINT_UNREACHABLE},
};
use crate::sim::validation::{BadValue, FieldError, FieldPath, go_quote};

pub mod apps;
pub mod batch;
pub mod cronjob;

/// `tolerationSeconds` the DefaultTolerationSeconds plugin gives every pod.
pub const DEFAULT_NOT_READY_TOLERATION_SECS: i64 = 300;

/// Applies pod defaults and the DefaultTolerationSeconds admission plugin.
pub fn admit_pod(pod: &mut Pod) {
    default_pod_spec(&mut pod.spec);
    for key in [TAINT_NOT_READY, TAINT_UNREACHABLE] {
        // Mirrors the plugin: an empty key or the same key, with NoExecute or any effect,
        // already covers the taint.
        let covered = pod.spec.tolerations.iter().any(|t| {
            let key_matches = t.key.as_deref().is_none_or(|k| k.is_empty() || k == key);
            key_matches && t.effect.is_none_or(|e| e == TaintEffect::NoExecute)
        });
        if !covered {
            pod.spec.tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some(TolerationOperator::Exists),
                value: None,
                effect: Some(TaintEffect::NoExecute),
                toleration_seconds: Some(DEFAULT_NOT_READY_TOLERATION_SECS),
            });
        }
    }
}

/// Pod spec defaults: restart policy, grace period and image pull policy.
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert(RestartPolicy::Always);
    spec.termination_grace_period_seconds.get_or_insert(30);
    for container in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        if container.image_pull_policy.is_none() {
            let image = container.image.as_deref().unwrap_or("");
            let tag = image
                .rsplit('/')
                .next()
                .and_then(|last| last.split_once(':'))
                .map(|(_, t)| t);
            let policy = if tag.is_none_or(|t| t == "latest") {
                "Always"
            } else {
                "IfNotPresent"
            };
            container.image_pull_policy = Some(policy.to_string());
        }
    }
}

/// Minimal pod validation: at least one container, each named.
pub fn validate_pod(pod: &Pod) -> Vec<FieldError> {
    validate_pod_spec(&pod.spec, &FieldPath::new("spec"))
}

pub(crate) fn validate_pod_spec(spec: &PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if spec.containers.is_empty() {
        errors.push(FieldError::required(path.child("containers"), ""));
    }
    for (index, container) in spec.containers.iter().enumerate() {
        if container.name.is_empty() {
            errors.push(FieldError::required(
                path.child("containers").index(index).child("name"),
                "",
            ));
        }
    }
    errors
}

/// `SetDefaults_DaemonSet`: RollingUpdate with maxUnavailable 1 and maxSurge 0, history 10.
pub fn default_daemon_set(ds: &mut DaemonSet) {
    default_pod_spec(&mut ds.spec.template.spec);
    let strategy = ds
        .spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    let type_ = *strategy
        .type_
        .get_or_insert(DaemonSetUpdateStrategyType::RollingUpdate);
    if type_ == DaemonSetUpdateStrategyType::RollingUpdate {
        let rolling = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
        rolling.max_surge.get_or_insert(IntOrString::Int(0));
    }
    ds.spec.revision_history_limit.get_or_insert(10);
}

fn bad(value: &IntOrString) -> BadValue {
    match value {
        IntOrString::Int(n) => BadValue::Int(i64::from(*n)),
        IntOrString::String(s) => BadValue::Str(s.clone()),
    }
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` for one field.
fn validate_int_or_percent(value: &IntOrString, path: &FieldPath) -> Vec<FieldError> {
    match value {
        IntOrString::Int(n) if *n < 0 => {
            vec![FieldError::invalid(
                path.clone(),
                bad(value),
                "must be greater than or equal to 0",
            )]
        }
        IntOrString::Int(_) => Vec::new(),
        IntOrString::String(text) => match text.strip_suffix('%').map(str::parse::<i64>) {
            Some(Ok(percent)) if percent > 100 => {
                vec![FieldError::invalid(
                    path.clone(),
                    bad(value),
                    "must not be greater than 100%",
                )]
            }
            Some(Ok(_)) => Vec::new(),
            _ => vec![FieldError::invalid(
                path.clone(),
                bad(value),
                "a valid percent string must be a numeric string followed by an ending '%' \
                 (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            )],
        },
    }
}

/// The number an int-or-percent stands for before scaling, for the "non-zero" checks.
pub(crate) fn raw_value(value: Option<&IntOrString>) -> i64 {
    match value {
        None => 0,
        Some(IntOrString::Int(n)) => i64::from(*n),
        Some(IntOrString::String(s)) => s.trim_end_matches('%').parse().unwrap_or(0),
    }
}

/// `ValidateRollingUpdateDaemonSet`: each knob an int or percent ≤ 100 %, exactly one non-zero.
pub fn validate_rolling_update(
    rolling: &RollingUpdateDaemonSet,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let unavailable_path = path.child("maxUnavailable");
    let surge_path = path.child("maxSurge");
    if let Some(value) = &rolling.max_unavailable {
        errors.extend(validate_int_or_percent(value, &unavailable_path));
    }
    if let Some(value) = &rolling.max_surge {
        errors.extend(validate_int_or_percent(value, &surge_path));
    }
    let has_unavailable = raw_value(rolling.max_unavailable.as_ref()) != 0;
    let has_surge = raw_value(rolling.max_surge.as_ref()) != 0;
    if has_unavailable && has_surge {
        let value = rolling.max_surge.as_ref().map_or(BadValue::Null, bad);
        errors.push(FieldError::invalid(
            surge_path,
            value,
            "may not be set when maxUnavailable is non-zero",
        ));
    } else if !has_unavailable && !has_surge {
        errors.push(FieldError::required(
            unavailable_path,
            "cannot be 0 when maxSurge is 0",
        ));
    }
    errors
}

/// Renders labels like Go's `%#v` of a `map[string]string`, as the API server quotes a label
/// set in messages: `map[string]string{"app":"x"}`.
fn go_map(labels: &std::collections::BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

/// Renders a label selector like Go's `%#v` of `*metav1.LabelSelector`, as the immutable
/// selector message quotes it.
fn go_selector(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else {
        return "(*v1.LabelSelector)(nil)".to_string();
    };
    let labels = if selector.match_labels.is_empty() {
        "map[string]string(nil)".to_string()
    } else {
        go_map(&selector.match_labels)
    };
    let expressions: Vec<String> = selector
        .match_expressions
        .iter()
        .map(|r| {
            let values: Vec<String> = r.values.iter().map(|v| go_quote(v)).collect();
            format!(
                "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:[]string{{{}}}}}",
                go_quote(&r.key),
                go_quote(&format!("{:?}", r.operator)),
                values.join(", ")
            )
        })
        .collect();
    let expressions = if expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            expressions.join(", ")
        )
    };
    format!("&v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

/// `ValidateDaemonSet` (and `ValidateDaemonSetUpdate` when `old` is given).
pub fn validate_daemon_set(ds: &DaemonSet, old: Option<&DaemonSet>) -> Vec<FieldError> {
    let spec_path = FieldPath::new("spec");
    let mut errors = Vec::new();
    // `ValidateDaemonSetUpdate` checks the immutable fields before the spec itself.
    if let Some(old) = old
        && old.spec.selector != ds.spec.selector
    {
        errors.push(FieldError::invalid(
            spec_path.child("selector"),
            BadValue::Go(go_selector(ds.spec.selector.as_ref())),
            "field is immutable",
        ));
    }
    match &ds.spec.selector {
        None => errors.push(FieldError::required(spec_path.child("selector"), "")),
        Some(selector) if selector.is_empty() => errors.push(FieldError::invalid(
            spec_path.child("selector"),
            BadValue::Str("{}".to_string()),
            "empty selector is invalid for daemonset",
        )),
        Some(selector) if !selector.matches(&ds.spec.template.metadata.labels) => {
            errors.push(FieldError::invalid(
                spec_path
                    .child("template")
                    .child("metadata")
                    .child("labels"),
                BadValue::Go(go_map(&ds.spec.template.metadata.labels)),
                "`selector` does not match template `labels`",
            ))
        }
        Some(_) => {}
    }
    let template_spec = spec_path.child("template").child("spec");
    errors.extend(validate_pod_spec(&ds.spec.template.spec, &template_spec));
    let policy = ds.spec.template.spec.restart_policy();
    if policy != RestartPolicy::Always {
        errors.push(FieldError::not_supported(
            template_spec.child("restartPolicy"),
            BadValue::Str(policy.as_str().to_string()),
            &["Always"],
        ));
    }
    errors.extend(validate_counts(ds, &spec_path));
    if ds.strategy_type() == DaemonSetUpdateStrategyType::RollingUpdate {
        let path = spec_path.child("updateStrategy").child("rollingUpdate");
        match ds.rolling_update() {
            Some(rolling) => errors.extend(validate_rolling_update(rolling, &path)),
            None => errors.push(FieldError::required(path, "")),
        }
    }
    errors
}

fn validate_counts(ds: &DaemonSet, spec_path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let fields = [
        ("minReadySeconds", ds.spec.min_ready_seconds),
        ("revisionHistoryLimit", ds.spec.revision_history_limit),
    ];
    for (name, value) in fields {
        if let Some(value) = value.filter(|v| *v < 0) {
            errors.push(FieldError::invalid(
                spec_path.child(name),
                BadValue::Int(i64::from(value)),
                "must be greater than or equal to 0",
            ));
        }
    }
    errors
}

/// Formats field errors as the API server's `Invalid` status message.
pub fn invalid_message(kind: &str, name: &str, errors: &[FieldError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let body = if lines.len() == 1 {
        lines[0].clone()
    } else {
        format!("[{}]", lines.join(", "))
    };
    format!("{kind} {name:?} is invalid: {body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rolling(
        unavailable: Option<IntOrString>,
        surge: Option<IntOrString>,
    ) -> RollingUpdateDaemonSet {
        RollingUpdateDaemonSet {
            max_unavailable: unavailable,
            max_surge: surge,
        }
    }

    fn messages(errors: Vec<FieldError>) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn exactly_one_of_max_surge_and_max_unavailable_must_be_non_zero() {
        let path = FieldPath::new("spec")
            .child("updateStrategy")
            .child("rollingUpdate");
        let both = rolling(Some(IntOrString::Int(1)), Some(IntOrString::Int(1)));
        assert_eq!(
            messages(validate_rolling_update(&both, &path)),
            vec![
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set \
                    when maxUnavailable is non-zero"
            ]
        );
        let neither = rolling(
            Some(IntOrString::Int(0)),
            Some(IntOrString::String("0%".into())),
        );
        assert_eq!(
            messages(validate_rolling_update(&neither, &path)),
            vec![
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 \
                    when maxSurge is 0"
            ]
        );
        let surge_only = rolling(
            Some(IntOrString::Int(0)),
            Some(IntOrString::String("20%".into())),
        );
        assert!(validate_rolling_update(&surge_only, &path).is_empty());
    }

    #[test]
    fn percentages_above_100_are_rejected() {
        let path = FieldPath::new("spec")
            .child("updateStrategy")
            .child("rollingUpdate");
        let too_much = rolling(Some(IntOrString::String("150%".into())), None);
        assert_eq!(
            messages(validate_rolling_update(&too_much, &path)),
            vec![
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must \
                    not be greater than 100%"
            ]
        );
    }

    #[test]
    fn daemon_set_defaults_match_apps_v1() {
        let mut ds = DaemonSet::new("default", "agent", "agent:1");
        default_daemon_set(&mut ds);
        assert_eq!(
            ds.strategy_type(),
            DaemonSetUpdateStrategyType::RollingUpdate
        );
        let rolling = ds.rolling_update().expect("defaulted");
        assert_eq!(rolling.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(rolling.max_surge, Some(IntOrString::Int(0)));
        assert_eq!(ds.spec.revision_history_limit, Some(10));
        assert!(validate_daemon_set(&ds, None).is_empty());
    }

    #[test]
    fn daemon_set_template_must_restart_always_and_match_the_selector() {
        let mut ds = DaemonSet::new("default", "agent", "agent:1");
        ds.spec.template.spec.restart_policy = Some(RestartPolicy::OnFailure);
        ds.spec
            .template
            .metadata
            .labels
            .insert("app".into(), "other".into());
        default_daemon_set(&mut ds);
        assert_eq!(
            messages(validate_daemon_set(&ds, None)),
            vec![
                "spec.template.metadata.labels: Invalid value: \
                    map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported \
                    values: \"Always\"",
            ]
        );
    }

    #[test]
    fn pods_get_default_not_ready_and_unreachable_tolerations() {
        let mut pod = Pod::new("default", "web", "nginx:1.25", &[]);
        admit_pod(&mut pod);
        let keys: Vec<_> = pod
            .spec
            .tolerations
            .iter()
            .map(|t| (t.key.clone(), t.toleration_seconds))
            .collect();
        assert_eq!(
            keys,
            vec![
                (Some(TAINT_NOT_READY.to_string()), Some(300)),
                (Some(TAINT_UNREACHABLE.to_string()), Some(300))
            ]
        );
        assert_eq!(
            pod.spec.containers[0].image_pull_policy.as_deref(),
            Some("IfNotPresent")
        );
    }
}
