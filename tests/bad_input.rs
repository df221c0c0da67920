//! Bad input at every entry point: a clear message naming the place (line and column, field
//! path, flag, value), no panic, and the cluster exactly as it was.

mod common;

use common::*;

/// Applies `text` and checks the exact error and that nothing changed.
#[track_caller]
fn refused(text: &str, stderr: &str) {
    let mut sim = cluster_with_fluentd();
    let before = fingerprint(&sim);
    let out = apply(&mut sim, text);
    assert_output(&out, "", stderr, 1);
    assert_eq!(fingerprint(&sim), before, "the cluster changed");
}

#[test]
fn malformed_yaml_names_line_and_column() {
    refused(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n   labels: {}\n",
        "error: error parsing STDIN: line 5 column 10: mapping values are not allowed in this \
         context\n",
    );
}

#[test]
fn a_bad_later_document_applies_nothing() {
    let text = format!(
        "{}---\napiVersion: v1\nkind: Namespace\nmetadata: [unclosed\n",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n"
    );
    refused(
        &text,
        "error: error parsing STDIN: line 8 column 11: unclosed bracket '['\n",
    );
}

#[test]
fn wrong_types_name_the_field() {
    refused(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  parallelism: three\n",
        "Error from server (BadRequest): error when creating \"STDIN\": Job in version \"v1\" \
         cannot be handled as a Job: spec.parallelism: invalid type: string \"three\", expected \
         i32\n",
    );
    refused(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: web\n",
        "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" \
         cannot be handled as a Pod: spec.containers: invalid type: string \"web\", expected a \
         sequence\n",
    );
}

#[test]
fn missing_required_fields_are_reported_like_the_api_server() {
    refused(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec: {}\n",
        "The Pod \"web\" is invalid: spec.containers: Required value\n",
    );
    refused(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
        "Error from server (Invalid): metadata.name: Required value: name or generateName is \
         required\n",
    );
    refused(
        "kind: Pod\nmetadata:\n  name: web\n",
        "error: error validating \"STDIN\": error validating data: apiVersion not set; if you \
         choose to ignore these errors, turn validation off with --validate=false\n",
    );
}

#[test]
fn unknown_kinds_and_versions_are_named() {
    refused(
        "apiVersion: apps/v1beta2\nkind: DaemonSet\nmetadata:\n  name: old\n",
        "error: resource mapping not found for name: \"old\" namespace: \"\" from \"STDIN\": no \
         matches for kind \"DaemonSet\" in version \"apps/v1beta2\"\nensure CRDs are installed \
         first\n",
    );
    refused(
        "- just\n- a list\n",
        "error: error parsing STDIN: error unmarshaling JSON: json: cannot unmarshal array into \
         Go value of type map[string]interface {}\n",
    );
}

#[test]
fn namespaces_must_exist() {
    refused(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: nope\nspec:\n  \
         containers:\n  - name: web\n    image: nginx\n",
        "Error from server (NotFound): error when creating \"STDIN\": namespaces \"nope\" not \
         found\n",
    );
}

#[test]
fn immutable_fields_are_refused_on_update() {
    let mut sim = cluster_with_fluentd();
    let changed = shared("kubernetes-website/daemonset.yaml")
        .replace(
            "name: fluentd-elasticsearch\n  template",
            "name: other\n  template",
        )
        .replace(
            "      labels:\n        name: fluentd-elasticsearch",
            "      labels:\n        name: other",
        );
    let before = fingerprint(&sim);
    let out = apply(&mut sim, &changed);
    assert_eq!(
        out.stderr.lines().last(),
        Some(
            "The DaemonSet \"fluentd-elasticsearch\" is invalid: spec.selector: Invalid value: \
             &v1.LabelSelector{MatchLabels:map[string]string{\"name\":\"other\"}, \
             MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
        )
    );
    assert_eq!(fingerprint(&sim), before);
}

#[test]
fn bad_kubectl_lines_change_nothing() {
    let cases: &[(&str, &str)] = &[
        (
            "get pods --foo",
            "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n",
        ),
        (
            "delete pods --grace-period=soon --all",
            "error: invalid argument \"soon\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax\n",
        ),
        (
            "scale ds fluentd-elasticsearch",
            "error: required flag(s) \"replicas\" not set\n",
        ),
        (
            "taint nodes worker-1 =x:NoSchedule",
            "error: invalid taint spec: =x:NoSchedule\n",
        ),
        (
            "label node worker-1",
            "error: at least one label update is required\n",
        ),
        (
            "patch ds fluentd-elasticsearch -n kube-system -p '{not json'",
            "error: unable to parse \"{not json\": yaml: did not find expected node content\n",
        ),
        (
            "cordon nope",
            "Error from server (NotFound): nodes \"nope\" not found\n",
        ),
        (
            "rollout pause ds/x",
            "error: unknown command \"pause\" for \"kubectl rollout\"\n",
        ),
        ("", "error: no command given; try \"kubectl get pods\"\n"),
    ];
    for (line, stderr) in cases {
        let mut sim = cluster_with_fluentd();
        let before = fingerprint(&sim);
        let out = kubectl(&mut sim, line);
        assert_output(&out, "", stderr, 1);
        assert_eq!(
            fingerprint(&sim),
            before,
            "`kubectl {line}` changed the cluster"
        );
    }
}

#[test]
fn bad_durations_are_worded_like_go() {
    use kubarium::scenario::parse_duration;
    assert_eq!(
        parse_duration("90").unwrap_err(),
        "time: missing unit in duration \"90\""
    );
    assert_eq!(
        parse_duration("1d").unwrap_err(),
        "time: unknown unit \"d\" in duration \"1d\""
    );
    assert_eq!(
        parse_duration("-1s").unwrap_err(),
        "time: invalid duration \"-1s\""
    );
}
