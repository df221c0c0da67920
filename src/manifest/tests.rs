//! Reading and writing manifests: kinds, Lists, JSON, errors with positions and field paths.

use super::*;
use crate::sim::model::Object;

/// A file of the shared kubernetes.io manifests (`shared/` in an ancestor folder of the crate).
fn shared(name: &str) -> String {
    let relative = format!("shared/testdata/manifests/kubernetes-website/{name}");
    let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = crate_dir
        .ancestors()
        .map(|dir| dir.join(&relative))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("no {relative} above {}", crate_dir.display()));
    std::fs::read_to_string(path).expect("readable shared manifest")
}

#[test]
fn a_multi_document_file_gives_one_object_per_document_and_skips_empty_ones() {
    let text = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\n\
                apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n";
    let names: Vec<String> = parse(text)
        .expect("valid")
        .into_iter()
        .map(|d| d.object.meta().name.clone())
        .collect();
    assert_eq!(names, vec!["a", "b"]);
}

#[test]
fn a_list_is_flattened_into_its_items() {
    let text = r#"{"apiVersion":"v1","kind":"List","items":[
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}},
        {"apiVersion":"v1","kind":"List","items":[
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"y"}}]}]}"#;
    let docs = parse(text).expect("valid");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].object.meta().name, "y");
}

#[test]
fn malformed_yaml_names_the_line_and_column() {
    let err = parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n").unwrap_err();
    let ManifestError::Syntax(message) = &err else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert!(message.contains("line 4 column"), "{message}");
}

#[test]
fn batch_v1beta1_cronjob_has_no_match_as_since_kubernetes_1_25() {
    let text = shared("cronjob-batch-v1beta1.yaml");
    let err = parse(&text).unwrap_err();
    assert_eq!(
        err.kubectl_message("STDIN"),
        "resource mapping not found for name: \"hello\" namespace: \"\" from \"STDIN\": \
         no matches for kind \"CronJob\" in version \"batch/v1beta1\"\n\
         ensure CRDs are installed first"
    );
}

#[test]
fn a_wrong_type_names_the_field_path() {
    let text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  \
                minReadySeconds: ten\n";
    let err = parse(text).unwrap_err();
    assert_eq!(
        err.kubectl_message("STDIN"),
        "error when creating \"STDIN\": DaemonSet in version \"v1\" cannot be handled as a \
         DaemonSet: spec.minReadySeconds: invalid type: string \"ten\", expected i32"
    );
}

#[test]
fn missing_kind_and_api_version_are_reported_like_kubectl_validation() {
    let err = parse("metadata:\n  name: x\n").unwrap_err();
    assert_eq!(err, ManifestError::NotSet("kind"));
    let err = parse("kind: Pod\nmetadata:\n  name: x\n").unwrap_err();
    assert_eq!(err, ManifestError::NotSet("apiVersion"));
}

#[test]
fn unsimulated_fields_are_kept_and_listed_once() {
    let text = shared("daemonset.yaml");
    let docs = parse(&text).expect("valid");
    assert_eq!(
        docs[0].not_simulated,
        vec![
            "spec.template.spec.containers[0].volumeMounts",
            "spec.template.spec.volumes"
        ]
    );
    assert!(
        docs[0].unknown_fields.is_empty(),
        "{:?}",
        docs[0].unknown_fields
    );
    let Object::DaemonSet(ds) = &docs[0].object else {
        panic!("a DaemonSet");
    };
    assert!(ds.spec.template.spec.extra.contains_key("volumes"));
}

#[test]
fn json_flavoured_yaml_parses() {
    let text = shared("indexed-job.yaml");
    let values = parse_values(&text).expect("valid YAML");
    assert_eq!(values.len(), 1);
    assert_eq!(values[0]["spec"]["completions"], 5);
    let command = values[0]["spec"]["template"]["spec"]["initContainers"][0]["command"][2]
        .as_str()
        .expect("a string");
    assert!(
        command.contains("items=(foo bar baz qux xyz)"),
        "{command:?}"
    );
}

#[test]
fn export_drops_status_and_server_metadata_and_round_trips() {
    let text = shared("daemonset.yaml");
    let mut sim = crate::sim::Sim::new(1);
    sim.submit(crate::sim::command::Command::Apply(Box::new(
        parse(&text).expect("valid").remove(0).object,
    )))
    .expect("applies");
    let exported = export_cluster(sim.store(), false);
    assert_eq!(exported.len(), 1);
    let yaml = to_yaml(&exported[0]);
    for absent in [
        "status:",
        "uid:",
        "resourceVersion:",
        "creationTimestamp:",
        "generation:",
    ] {
        assert!(!yaml.contains(absent), "{absent} in\n{yaml}");
    }
    let again = parse(&yaml).expect("exported YAML parses");
    assert_eq!(export_object(&again[0].object), exported[0]);
}

#[test]
fn fields_the_model_has_no_place_for_are_listed_as_unknown() {
    let text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n  labels: {}\nspec:\n  \
                foo: 1\n  selector:\n    matchLabels: {app: d}\n    bar: [1]\n";
    let docs = parse(text).expect("valid");
    assert_eq!(
        docs[0].unknown_fields,
        vec!["spec.foo", "spec.selector.bar"]
    );
    assert!(docs[0].not_simulated.is_empty());
}
