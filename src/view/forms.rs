//! The text the playground's create forms accept, turned into API values, and the API server's
//! answers split back onto the form's fields. Plain data, so it is tested natively.
//!
//! The forms take the short notations kubectl users already type: `key=value` pairs as in
//! `kubectl label`, `key=value:Effect` taints as in `kubectl taint`. Whether the resulting object
//! is acceptable is not decided here: the core's admission does that and its messages are shown
//! next to the field they name.

use crate::sim::validation::go_quote;
use serde_json::{Map, Value, json};

/// The three taint effects, in the API's spelling.
const EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// One message of the API server's answer, with the field path it names (empty when it names
/// none, e.g. `jobs.batch "pi" already exists`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMessage {
    /// The field path the message opens with, e.g. `spec.schedule`.
    pub field: String,
    /// The whole message, e.g. `spec.schedule: Invalid value: "0 0 * * 7": ...`.
    pub text: String,
}

/// Splits an API error into one message per field.
///
/// An `Invalid` status reads `Kind "name" is invalid: <errors>`, where several errors are
/// bracketed and joined by `, `. Details may contain `, ` themselves (`supported values: "A",
/// "B"`), so a new error is only recognised where a field path followed by `: ` starts.
pub fn split_api_error(message: &str) -> Vec<FieldMessage> {
    let Some((_, body)) = message.split_once(" is invalid: ") else {
        return vec![FieldMessage {
            field: String::new(),
            text: message.to_string(),
        }];
    };
    let body = body
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(body);
    let mut parts: Vec<String> = Vec::new();
    for piece in body.split(", ") {
        match parts.last_mut() {
            Some(last) if field_of(piece).is_none() => {
                last.push_str(", ");
                last.push_str(piece);
            }
            _ => parts.push(piece.to_string()),
        }
    }
    parts
        .into_iter()
        .map(|text| FieldMessage {
            field: field_of(&text).unwrap_or_default().to_string(),
            text,
        })
        .collect()
}

/// The field path `text` opens with, if it opens with one (`spec.template.spec.containers[0]`).
fn field_of(text: &str) -> Option<&str> {
    let (path, _) = text.split_once(": ")?;
    let first = path.chars().next()?;
    let path_like = first.is_ascii_lowercase()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '-' | '_' | '/'));
    path_like.then_some(path)
}

/// The messages that belong to a form field: those naming `field` or anything under it.
pub fn messages_for<'a>(messages: &'a [FieldMessage], field: &str) -> Vec<&'a str> {
    messages
        .iter()
        .filter(|m| {
            m.field == field
                || m.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
        .map(|m| m.text.as_str())
        .collect()
}

/// A form-side rejection worded like the API server's, for text the form itself cannot read.
fn invalid(field: &str, value: &str, detail: &str) -> FieldMessage {
    FieldMessage {
        field: field.to_string(),
        text: format!("{field}: Invalid value: {}: {detail}", go_quote(value)),
    }
}

/// Reads `key=value` pairs separated by commas (`disktype=ssd, zone=a`) into a JSON map.
pub fn parse_pairs(text: &str, field: &str) -> Result<Map<String, Value>, FieldMessage> {
    let mut pairs = Map::new();
    for item in items(text) {
        let Some((key, value)) = item.split_once('=') else {
            return Err(invalid(field, item, "expected key=value"));
        };
        pairs.insert(key.trim().to_string(), Value::from(value.trim()));
    }
    Ok(pairs)
}

/// Reads taints as `kubectl taint` writes them: `key[=value]:Effect`, comma separated.
pub fn parse_taints(text: &str, field: &str) -> Result<Vec<Value>, FieldMessage> {
    items(text)
        .map(|item| {
            let (key_value, effect) = item
                .rsplit_once(':')
                .ok_or_else(|| invalid(field, item, "expected key[=value]:Effect"))?;
            let effect = known_effect(effect.trim())
                .ok_or_else(|| invalid(field, item, &effect_detail()))?;
            Ok(match key_value.split_once('=') {
                Some((key, value)) => json!({"key": key.trim(), "value": value.trim(),
                    "effect": effect}),
                None => json!({"key": key_value.trim(), "effect": effect}),
            })
        })
        .collect()
}

/// Reads tolerations: `key=value:Effect` (operator `Equal`), `key:Effect` or `key` (operator
/// `Exists`, every effect when none is written), comma separated.
pub fn parse_tolerations(text: &str, field: &str) -> Result<Vec<Value>, FieldMessage> {
    items(text)
        .map(|item| {
            let (key_value, effect) = match item.rsplit_once(':') {
                Some((kv, effect)) => {
                    let effect = known_effect(effect.trim())
                        .ok_or_else(|| invalid(field, item, &effect_detail()))?;
                    (kv, Some(effect))
                }
                None => (item, None),
            };
            let mut toleration = match key_value.split_once('=') {
                Some((key, value)) => {
                    json!({"key": key.trim(), "operator": "Equal", "value": value.trim()})
                }
                None => json!({"key": key_value.trim(), "operator": "Exists"}),
            };
            if let (Some(effect), Some(map)) = (effect, toleration.as_object_mut()) {
                map.insert("effect".into(), effect.into());
            }
            Ok(toleration)
        })
        .collect()
}

/// Reads an optional whole number; empty text means "not set".
pub fn parse_count(text: &str, field: &str) -> Result<Option<i64>, FieldMessage> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed
        .parse::<i64>()
        .map(Some)
        .map_err(|_| invalid(field, trimmed, "must be a whole number"))
}

/// Splits a container command on whitespace, keeping single- or double-quoted words whole
/// (`sh -c "echo hi; sleep 5"` gives three words).
pub fn parse_command(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

fn known_effect(effect: &str) -> Option<&'static str> {
    EFFECTS.into_iter().find(|known| *known == effect)
}

fn effect_detail() -> String {
    let quoted: Vec<String> = EFFECTS.iter().map(|e| go_quote(e)).collect();
    format!("effect must be one of {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_invalid_field_is_named() {
        let split = split_api_error(
            r#"CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7"#,
        );
        assert_eq!(split.len(), 1);
        assert_eq!(split[0].field, "spec.schedule");
        assert_eq!(
            split[0].text,
            r#"spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7"#
        );
    }

    #[test]
    fn several_errors_split_at_field_paths_only() {
        let split = split_api_error(
            r#"Job.batch "pi" is invalid: [spec.parallelism: Invalid value: -1: must be greater than or equal to 0, spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"]"#,
        );
        let fields: Vec<&str> = split.iter().map(|m| m.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["spec.parallelism", "spec.template.spec.restartPolicy"]
        );
        assert_eq!(
            split[1].text,
            r#"spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#
        );
        assert_eq!(
            messages_for(&split, "spec.template.spec"),
            vec![split[1].text.as_str()]
        );
        assert!(messages_for(&split, "spec.parallel").is_empty());
    }

    #[test]
    fn a_message_without_fields_stays_whole() {
        let split = split_api_error(r#"jobs.batch "pi" already exists"#);
        assert_eq!(
            split,
            vec![FieldMessage {
                field: String::new(),
                text: r#"jobs.batch "pi" already exists"#.into()
            }]
        );
    }

    #[test]
    fn pairs_taints_and_tolerations_read_kubectl_notation() {
        let pairs = parse_pairs("disktype=ssd, zone = a", "labels").expect("valid pairs");
        assert_eq!(
            Value::Object(pairs),
            json!({"disktype": "ssd", "zone": "a"})
        );
        assert_eq!(
            parse_taints("dedicated=gpu:NoSchedule, spot:NoExecute", "taints"),
            Ok(vec![
                json!({"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}),
                json!({"key": "spot", "effect": "NoExecute"}),
            ])
        );
        assert_eq!(
            parse_tolerations(
                "node-role.kubernetes.io/control-plane:NoSchedule, a=b, c",
                "t"
            ),
            Ok(vec![
                json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                    "effect": "NoSchedule"}),
                json!({"key": "a", "operator": "Equal", "value": "b"}),
                json!({"key": "c", "operator": "Exists"}),
            ])
        );
    }

    #[test]
    fn unreadable_form_text_is_quoted_with_its_field() {
        assert_eq!(
            parse_pairs("disktype", "spec.template.spec.nodeSelector")
                .err()
                .map(|m| m.text),
            Some(
                r#"spec.template.spec.nodeSelector: Invalid value: "disktype": expected key=value"#
                    .into()
            )
        );
        assert_eq!(
            parse_taints("a=b:Never", "spec.taints").err().map(|m| m.text),
            Some(
                r#"spec.taints: Invalid value: "a=b:Never": effect must be one of "NoSchedule", "PreferNoSchedule", "NoExecute""#
                    .into()
            )
        );
        assert_eq!(
            parse_count("three", "spec.completions")
                .err()
                .map(|m| m.text),
            Some(r#"spec.completions: Invalid value: "three": must be a whole number"#.into())
        );
        assert_eq!(parse_count(" ", "spec.completions"), Ok(None));
        assert_eq!(parse_count("-1", "spec.completions"), Ok(Some(-1)));
    }

    #[test]
    fn commands_split_on_spaces_and_keep_quoted_words() {
        assert_eq!(
            parse_command(r#"sh -c "echo hi; sleep 5" ''"#),
            vec!["sh", "-c", "echo hi; sleep 5", ""]
        );
        assert!(parse_command("   ").is_empty());
    }
}
