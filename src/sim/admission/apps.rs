//! What the API server does to ReplicaSets and Deployments before storing them: defaults and
//! validation.
//!
//! Defaults mirror `SetDefaults_ReplicaSet` and `SetDefaults_Deployment` in
//! `pkg/apis/apps/v1/defaults.go`; validation mirrors `ValidateReplicaSet`, `ValidateDeployment`
//! and their `...Update` variants in `pkg/apis/apps/validation`. Values the API server prints with
//! Go's `%#v` (label maps, `intstr.IntOrString`) are rendered the same way.

use crate::sim::admission::{default_pod_spec, raw_value, validate_pod_spec};
use crate::sim::model::{
    Deployment, DeploymentStrategy, DeploymentStrategyType, IntOrString, LabelSelector,
    PodTemplateSpec, ReplicaSet, RestartPolicy, RollingUpdateDeployment,
};
use crate::sim::validation::{BadValue, FieldError, FieldPath, go_quote};
use std::collections::BTreeMap;

/// `progressDeadlineSeconds` when the manifest leaves it out.
pub const DEFAULT_PROGRESS_DEADLINE_SECS: i32 = 600;
/// `revisionHistoryLimit` when the manifest leaves it out.
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;
/// `maxSurge` and `maxUnavailable` when the manifest leaves them out.
pub const DEFAULT_MAX_SURGE_AND_UNAVAILABLE: &str = "25%";

/// `SetDefaults_ReplicaSet`: one replica, and the pod spec defaults.
pub fn default_replica_set(rs: &mut ReplicaSet) {
    default_pod_spec(&mut rs.spec.template.spec);
    rs.spec.replicas.get_or_insert(1);
}

/// `SetDefaults_Deployment`: one replica, RollingUpdate with 25 % surge and unavailability,
/// ten old ReplicaSets kept, a 600 s progress deadline.
pub fn default_deployment(d: &mut Deployment) {
    default_pod_spec(&mut d.spec.template.spec);
    d.spec.replicas.get_or_insert(1);
    let strategy = d
        .spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    let type_ = *strategy
        .type_
        .get_or_insert(DeploymentStrategyType::RollingUpdate);
    if type_ == DeploymentStrategyType::RollingUpdate {
        let rolling = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        let quarter = || IntOrString::String(DEFAULT_MAX_SURGE_AND_UNAVAILABLE.to_string());
        rolling.max_unavailable.get_or_insert_with(quarter);
        rolling.max_surge.get_or_insert_with(quarter);
    }
    d.spec
        .revision_history_limit
        .get_or_insert(DEFAULT_REVISION_HISTORY_LIMIT);
    d.spec
        .progress_deadline_seconds
        .get_or_insert(DEFAULT_PROGRESS_DEADLINE_SECS);
}

/// Renders a label map as Go's `%#v` does: `map[string]string{"app":"x", "tier":"y"}`.
pub fn go_map_syntax(labels: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

/// Renders an int-or-string as Go's `%#v` of `intstr.IntOrString` does.
pub fn go_int_or_string(value: &IntOrString) -> BadValue {
    BadValue::Go(match value {
        IntOrString::Int(n) => format!("intstr.IntOrString{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
        IntOrString::String(s) => {
            format!(
                "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
                go_quote(s)
            )
        }
    })
}

/// Renders a selector as Go's `%#v` of the dereferenced `metav1.LabelSelector` does, for the
/// empty-selector message (the only place it is printed, so its maps are always nil).
fn go_selector_syntax(_selector: &LabelSelector) -> BadValue {
    BadValue::Go(
        "v1.LabelSelector{MatchLabels:map[string]string(nil), \
         MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
            .to_string(),
    )
}

fn nonnegative(path: FieldPath, value: Option<i32>, errors: &mut Vec<FieldError>) {
    if let Some(value) = value.filter(|v| *v < 0) {
        errors.push(FieldError::invalid(
            path,
            BadValue::Int(i64::from(value)),
            "must be greater than or equal to 0",
        ));
    }
}

/// The selector checks shared by both kinds (`ValidateReplicaSetSpec`/`ValidateDeploymentSpec`).
/// Upstream words the empty-selector error "for deployment" for ReplicaSets too.
fn validate_selector(
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    spec_path: &FieldPath,
    errors: &mut Vec<FieldError>,
) {
    let Some(selector) = selector else {
        errors.push(FieldError::required(spec_path.child("selector"), ""));
        return;
    };
    if selector.is_empty() {
        errors.push(FieldError::invalid(
            spec_path.child("selector"),
            go_selector_syntax(selector),
            "empty selector is invalid for deployment",
        ));
        return;
    }
    validate_template(selector, template, &spec_path.child("template"), errors);
}

/// `ValidatePodTemplateSpecForReplicaSet`: the selector matches the template labels and the
/// template restarts Always.
fn validate_template(
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    path: &FieldPath,
    errors: &mut Vec<FieldError>,
) {
    if !selector.matches(&template.metadata.labels) {
        errors.push(FieldError::invalid(
            path.child("metadata").child("labels"),
            BadValue::Go(go_map_syntax(&template.metadata.labels)),
            "`selector` does not match template `labels`",
        ));
    }
    let spec_path = path.child("spec");
    errors.extend(validate_pod_spec(&template.spec, &spec_path));
    let policy = template.spec.restart_policy();
    if policy != RestartPolicy::Always {
        errors.push(FieldError::not_supported(
            spec_path.child("restartPolicy"),
            BadValue::Str(policy.as_str().to_string()),
            &["Always"],
        ));
    }
}

fn immutable_selector(
    new: Option<&LabelSelector>,
    old: Option<&LabelSelector>,
    errors: &mut Vec<FieldError>,
) {
    if new != old {
        let shown = serde_json::to_string(&new).unwrap_or_default();
        errors.push(FieldError::invalid(
            FieldPath::new("spec").child("selector"),
            BadValue::Str(shown),
            "field is immutable",
        ));
    }
}

/// `ValidateReplicaSet` (and `ValidateReplicaSetUpdate` when `old` is given).
pub fn validate_replica_set(rs: &ReplicaSet, old: Option<&ReplicaSet>) -> Vec<FieldError> {
    let spec_path = FieldPath::new("spec");
    let mut errors = Vec::new();
    nonnegative(spec_path.child("replicas"), rs.spec.replicas, &mut errors);
    nonnegative(
        spec_path.child("minReadySeconds"),
        rs.spec.min_ready_seconds,
        &mut errors,
    );
    validate_selector(
        rs.spec.selector.as_ref(),
        &rs.spec.template,
        &spec_path,
        &mut errors,
    );
    if let Some(old) = old {
        immutable_selector(
            rs.spec.selector.as_ref(),
            old.spec.selector.as_ref(),
            &mut errors,
        );
    }
    errors
}

/// `ValidatePositiveIntOrPercent` with the value printed as `intstr.IntOrString`.
fn positive_int_or_percent(value: &IntOrString, path: &FieldPath, errors: &mut Vec<FieldError>) {
    match value {
        IntOrString::Int(n) if *n < 0 => errors.push(FieldError::invalid(
            path.clone(),
            BadValue::Int(i64::from(*n)),
            "must be greater than or equal to 0",
        )),
        IntOrString::Int(_) => {}
        IntOrString::String(text) => {
            let digits = text.strip_suffix('%').unwrap_or("");
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(FieldError::invalid(
                    path.clone(),
                    go_int_or_string(value),
                    "a valid percent string must be a numeric string followed by an ending '%' \
                     (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                ));
            }
        }
    }
}

/// `ValidateRollingUpdateDeployment`: each knob an int or percent, not both zero, and
/// maxUnavailable at most 100 %.
fn validate_rolling_update(rolling: &RollingUpdateDeployment, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let unavailable_path = path.child("maxUnavailable");
    let zero = IntOrString::Int(0);
    let unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
    let surge = rolling.max_surge.as_ref().unwrap_or(&zero);
    positive_int_or_percent(unavailable, &unavailable_path, &mut errors);
    positive_int_or_percent(surge, &path.child("maxSurge"), &mut errors);
    if raw_value(Some(unavailable)) == 0 && raw_value(Some(surge)) == 0 {
        errors.push(FieldError::invalid(
            unavailable_path.clone(),
            go_int_or_string(unavailable),
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    if let IntOrString::String(text) = unavailable
        && text
            .strip_suffix('%')
            .and_then(|d| d.parse::<i64>().ok())
            .is_some_and(|p| p > 100)
    {
        errors.push(FieldError::invalid(
            unavailable_path,
            go_int_or_string(unavailable),
            "must not be greater than 100%",
        ));
    }
    errors
}

/// `ValidateDeploymentStrategy`.
fn validate_strategy(d: &Deployment, path: &FieldPath, errors: &mut Vec<FieldError>) {
    let rolling = d.rolling_update();
    match d.strategy_type() {
        DeploymentStrategyType::Recreate if rolling.is_some() => {
            errors.push(FieldError::forbidden(
                path.child("rollingUpdate"),
                "may not be specified when strategy `type` is 'Recreate'",
            ));
        }
        DeploymentStrategyType::Recreate => {}
        DeploymentStrategyType::RollingUpdate => match rolling {
            None => errors.push(FieldError::required(
                path.child("rollingUpdate"),
                "this should be defaulted and never be nil",
            )),
            Some(rolling) => errors.extend(validate_rolling_update(
                rolling,
                &path.child("rollingUpdate"),
            )),
        },
    }
}

/// `ValidateDeployment` (and `ValidateDeploymentUpdate` when `old` is given).
pub fn validate_deployment(d: &Deployment, old: Option<&Deployment>) -> Vec<FieldError> {
    let spec_path = FieldPath::new("spec");
    let mut errors = Vec::new();
    nonnegative(spec_path.child("replicas"), d.spec.replicas, &mut errors);
    validate_selector(
        d.spec.selector.as_ref(),
        &d.spec.template,
        &spec_path,
        &mut errors,
    );
    validate_strategy(d, &spec_path.child("strategy"), &mut errors);
    nonnegative(
        spec_path.child("minReadySeconds"),
        d.spec.min_ready_seconds,
        &mut errors,
    );
    nonnegative(
        spec_path.child("revisionHistoryLimit"),
        d.spec.revision_history_limit,
        &mut errors,
    );
    if let Some(deadline) = d.spec.progress_deadline_seconds {
        let path = spec_path.child("progressDeadlineSeconds");
        nonnegative(path.clone(), Some(deadline), &mut errors);
        if deadline <= d.spec.min_ready_seconds.unwrap_or(0) {
            errors.push(FieldError::invalid(
                path,
                BadValue::Int(i64::from(deadline)),
                "must be greater than minReadySeconds",
            ));
        }
    }
    if let Some(old) = old {
        immutable_selector(
            d.spec.selector.as_ref(),
            old.spec.selector.as_ref(),
            &mut errors,
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(errors: Vec<FieldError>) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn deployment_defaults_match_apps_v1() {
        let mut d = Deployment::new("default", "web", "nginx:1.25", 3);
        d.spec.replicas = None;
        default_deployment(&mut d);
        assert_eq!(d.replicas(), 1);
        let rolling = d.rolling_update().expect("defaulted");
        assert_eq!(rolling.max_surge, Some(IntOrString::String("25%".into())));
        assert_eq!(
            rolling.max_unavailable,
            Some(IntOrString::String("25%".into()))
        );
        assert_eq!(d.spec.revision_history_limit, Some(10));
        assert_eq!(d.spec.progress_deadline_seconds, Some(600));
        assert!(validate_deployment(&d, None).is_empty());
    }

    #[test]
    fn selector_must_match_template_labels_printed_as_a_go_map() {
        let mut rs = ReplicaSet::new("default", "web", "nginx:1.25", 2);
        rs.spec.selector = Some(LabelSelector::from_labels(&[("app", "other")]));
        default_replica_set(&mut rs);
        assert_eq!(
            messages(validate_replica_set(&rs, None)),
            vec![
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: \
                 `selector` does not match template `labels`"
            ]
        );
    }

    #[test]
    fn both_zero_rolling_update_knobs_are_rejected_with_the_intstr_value() {
        let mut d = Deployment::new("default", "web", "nginx:1.25", 3)
            .with_rolling_update(IntOrString::Int(0), IntOrString::String("0%".into()));
        default_deployment(&mut d);
        assert_eq!(
            messages(validate_deployment(&d, None)),
            vec![
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \
                 intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when \
                  `maxSurge` is 0"
            ]
        );
    }

    #[test]
    fn recreate_forbids_rolling_update_and_negative_replicas_are_invalid() {
        let mut d = Deployment::new("default", "web", "nginx:1.25", -1).with_recreate();
        if let Some(strategy) = d.spec.strategy.as_mut() {
            strategy.rolling_update = Some(RollingUpdateDeployment::default());
        }
        default_deployment(&mut d);
        assert_eq!(
            messages(validate_deployment(&d, None)),
            vec![
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy \
                 `type` is 'Recreate'",
            ]
        );
    }

    #[test]
    fn progress_deadline_must_exceed_min_ready_seconds() {
        let mut d = Deployment::new("default", "web", "nginx:1.25", 1);
        d.spec.min_ready_seconds = Some(30);
        d.spec.progress_deadline_seconds = Some(30);
        default_deployment(&mut d);
        assert_eq!(
            messages(validate_deployment(&d, None)),
            vec![
                "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than \
                 minReadySeconds"
            ]
        );
    }
}
