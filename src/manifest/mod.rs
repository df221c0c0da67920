//! Kubernetes manifests in and out: YAML or JSON text to typed objects, and objects back to YAML
//! that a real cluster accepts.
//!
//! Reading has three stages, each with its own error so messages can say what kubectl says:
//!
//! 1. [`parse_values`] splits a multi-document YAML (or JSON, which is YAML) text into JSON values
//!    with `serde-saphyr` and flattens `kind: List` documents into their items. Malformed text is
//!    [`ManifestError::Syntax`], whose message carries the line and column.
//! 2. [`decode`] maps one value's `apiVersion` and `kind` to a kind the simulated API server
//!    serves; anything else is [`ManifestError::NoMatch`] (`no matches for kind "CronJob" in
//!    version "batch/v1beta1"`), as kubectl reports a kind its discovery does not know.
//! 3. The value is decoded into the typed object. A field of the wrong type is
//!    [`ManifestError::Decode`] naming the field path (`spec.replicas: invalid type: ...`).
//!
//! Fields Kubarium keeps but does not simulate (volumes, probes, env, ...) are never a reason to
//! reject a manifest: [`Document::not_simulated`] lists them once, for a warning. Fields the
//! typed model has no place for at all are listed in [`Document::unknown_fields`], which kubectl
//! prints as `Warning: unknown field "spec.foo"`.
//!
//! Writing is [`export`]: objects without status and without the server-owned metadata (uid,
//! resourceVersion, creationTimestamp, generation, managedFields), so the text applies cleanly
//! to a real cluster and round-trips through [`parse_values`] and [`decode`].

mod export;
mod fields;

pub use export::{
    export_cluster, export_object, export_value, list_objects, to_yaml, to_yaml_documents,
};

use crate::sim::model::{
    ControllerRevision, CronJob, DaemonSet, Deployment, Job, Kind, Namespace, Node, Object, Pod,
    ReplicaSet,
};
use crate::sim::store::Resource;
use serde_json::Value;
use std::fmt;

/// Why a manifest could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestError {
    /// The text is not YAML or JSON; the message names the line and column.
    Syntax(String),
    /// A document has no `kind` or no `apiVersion`; the payload names which.
    NotSet(&'static str),
    /// The API server serves no such kind in that version.
    NoMatch {
        /// `kind:` as written.
        kind: String,
        /// `apiVersion:` as written.
        api_version: String,
        /// `metadata.name`, for kubectl's "resource mapping not found for name" line.
        name: String,
        /// `metadata.namespace` as written (often empty).
        namespace: String,
    },
    /// A field has the wrong type or shape.
    Decode {
        /// The kind being decoded.
        kind: String,
        /// The API version as written.
        api_version: String,
        /// What is wrong, starting with the field path.
        message: String,
    },
}

impl ManifestError {
    /// The message kubectl prints for this error when reading from `source` (`"STDIN"` for
    /// `-f -`, otherwise the file name), without the leading `error: `.
    pub fn kubectl_message(&self, source: &str) -> String {
        match self {
            ManifestError::Syntax(message) => format!("error parsing {source}: {message}"),
            ManifestError::NotSet(field) => format!(
                "error validating {source:?}: error validating data: {field} not set; if you \
                 choose to ignore these errors, turn validation off with --validate=false"
            ),
            ManifestError::NoMatch {
                kind,
                api_version,
                name,
                namespace,
            } => format!(
                "resource mapping not found for name: {name:?} namespace: {namespace:?} from \
                 {source:?}: no matches for kind {kind:?} in version {api_version:?}\n\
                 ensure CRDs are installed first"
            ),
            ManifestError::Decode {
                kind,
                api_version,
                message,
            } => {
                let version = api_version.rsplit('/').next().unwrap_or(api_version);
                format!(
                    "error when creating {source:?}: {kind} in version {version:?} cannot be \
                     handled as a {kind}: {message}"
                )
            }
        }
    }

    /// True when kubectl prints this as `Error from server (BadRequest): ...` rather than as a
    /// client-side `error: ...`.
    pub fn is_from_server(&self) -> bool {
        matches!(self, ManifestError::Decode { .. })
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kubectl_message("STDIN"))
    }
}

impl std::error::Error for ManifestError {}

/// One decoded object with what the simulation will not act on.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The typed object, exactly as written (no defaults applied yet).
    pub object: Object,
    /// Paths of fields kept but not simulated, e.g. `spec.template.spec.volumes`.
    pub not_simulated: Vec<String>,
    /// Paths of fields the model has no place for; they are dropped.
    pub unknown_fields: Vec<String>,
}

/// Splits `text` into documents and flattens `kind: List` into its items. Empty documents are
/// skipped, as kubectl skips them.
pub fn parse_values(text: &str) -> Result<Vec<Value>, ManifestError> {
    let documents: Vec<Value> = serde_saphyr::from_multiple(text)
        .map_err(|err| ManifestError::Syntax(syntax_message(&err.to_string())))?;
    let mut values = Vec::new();
    for document in documents {
        flatten_list(document, &mut values)?;
    }
    Ok(values)
}

/// Keeps the first line of the parser's report (the rest is a source snippet with markers,
/// useful on a terminal but noise in kubectl's one-line error).
fn syntax_message(report: &str) -> String {
    let first = report
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(report)
        .trim();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

/// Appends `document`, or its items if it is a `List` (items may be Lists again).
fn flatten_list(document: Value, out: &mut Vec<Value>) -> Result<(), ManifestError> {
    match document {
        Value::Null => Ok(()),
        Value::Object(ref map) if map.get("kind").and_then(Value::as_str) == Some("List") => {
            let items = match map.get("items") {
                Some(Value::Array(items)) => items.clone(),
                Some(Value::Null) | None => Vec::new(),
                Some(_) => {
                    return Err(ManifestError::Decode {
                        kind: "List".to_string(),
                        api_version: "v1".to_string(),
                        message: "items: invalid type: expected a sequence".to_string(),
                    });
                }
            };
            for item in items {
                flatten_list(item, out)?;
            }
            Ok(())
        }
        Value::Object(_) => {
            out.push(document);
            Ok(())
        }
        other => Err(ManifestError::Syntax(format!(
            "error unmarshaling JSON: json: cannot unmarshal {} into Go value of type \
             map[string]interface {{}}",
            json_type_name(&other)
        ))),
    }
}

/// Go's name for a JSON value's type, as `encoding/json` words unmarshal errors.
fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The served kind for `apiVersion` + `kind`, or `None` when the API server has no such kind in
/// that version. Generic over [`Kind`]: a kind the store gains is served here at once.
pub fn served_kind(api_version: &str, kind: &str) -> Option<Kind> {
    Kind::from_name(kind).filter(|k| k.api_version() == api_version)
}

/// Decodes one document into a typed object. See the module documentation for the stages.
pub fn decode(value: &Value) -> Result<Document, ManifestError> {
    let text = |field: &str| value.get(field).and_then(Value::as_str).unwrap_or("");
    let (kind_name, api_version) = (text("kind"), text("apiVersion"));
    if kind_name.is_empty() {
        return Err(ManifestError::NotSet("kind"));
    }
    if api_version.is_empty() {
        return Err(ManifestError::NotSet("apiVersion"));
    }
    let meta = |field: &str| {
        value
            .pointer(&format!("/metadata/{field}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let kind = served_kind(api_version, kind_name).ok_or_else(|| ManifestError::NoMatch {
        kind: kind_name.to_string(),
        api_version: api_version.to_string(),
        name: meta("name"),
        namespace: meta("namespace"),
    })?;
    let object = decode_kind(kind, value).map_err(|message| ManifestError::Decode {
        kind: kind_name.to_string(),
        api_version: api_version.to_string(),
        message,
    })?;
    let not_simulated = fields::not_simulated(&object);
    let unknown_fields = fields::unknown_fields(value, &object);
    Ok(Document {
        object,
        not_simulated,
        unknown_fields,
    })
}

/// Parses and decodes every document of `text`; stops at the first error.
pub fn parse(text: &str) -> Result<Vec<Document>, ManifestError> {
    parse_values(text)?.iter().map(decode).collect()
}

/// Decodes `value` as kind `kind`. One line per kind; the match has no wildcard so a new kind
/// cannot be forgotten.
fn decode_kind(kind: Kind, value: &Value) -> Result<Object, String> {
    match kind {
        Kind::Namespace => typed::<Namespace>(value),
        Kind::Node => typed::<Node>(value),
        Kind::Pod => typed::<Pod>(value),
        Kind::DaemonSet => typed::<DaemonSet>(value),
        Kind::ControllerRevision => typed::<ControllerRevision>(value),
        Kind::Job => typed::<Job>(value),
        Kind::ReplicaSet => typed::<ReplicaSet>(value),
        Kind::Deployment => typed::<Deployment>(value),
        Kind::CronJob => typed::<CronJob>(value),
    }
}

/// Decodes with the failing field's path in the message, e.g.
/// `spec.minReadySeconds: invalid type: string "ten", expected i32`.
fn typed<T: Resource>(value: &Value) -> Result<Object, String> {
    let decoded: Result<T, _> = serde_path_to_error::deserialize(value);
    match decoded {
        Ok(object) => Ok(object.into_object()),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner().to_string();
            if path == "." || path.is_empty() {
                Err(inner)
            } else {
                Err(format!("{path}: {inner}"))
            }
        }
    }
}

/// Mutable metadata of any object. The match has no wildcard so new kinds are not forgotten.
pub fn meta_mut(object: &mut Object) -> &mut crate::sim::model::ObjectMeta {
    match object {
        Object::Namespace(o) => &mut o.metadata,
        Object::Node(o) => &mut o.metadata,
        Object::Pod(o) => &mut o.metadata,
        Object::DaemonSet(o) => &mut o.metadata,
        Object::ControllerRevision(o) => &mut o.metadata,
        Object::Job(o) => &mut o.metadata,
        Object::ReplicaSet(o) => &mut o.metadata,
        Object::Deployment(o) => &mut o.metadata,
        Object::CronJob(o) => &mut o.metadata,
    }
}

#[cfg(test)]
mod tests;
