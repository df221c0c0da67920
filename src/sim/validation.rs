//! Field errors worded like the Kubernetes API server's.
//!
//! Every object the playground accepts (CronJob, Job, DaemonSet, ...) is validated once at the
//! edge. A rejected field becomes a [`FieldError`] whose `Display` is the line `kubectl` prints,
//! for example `spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7`.
//! The shape mirrors apimachinery's `field.Error` (`ErrorBody` decides what is printed).

use std::fmt;

/// A dotted field path such as `spec.template.spec.containers[0].image`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldPath(String);

impl FieldPath {
    /// A path starting at the top-level field `root` (usually `spec` or `metadata`).
    pub fn new(root: &str) -> Self {
        FieldPath(root.to_string())
    }

    /// The path of the child field `name`.
    pub fn child(&self, name: &str) -> Self {
        FieldPath(format!("{}.{}", self.0, name))
    }

    /// The path of element `index` of this list field.
    pub fn index(&self, index: usize) -> Self {
        FieldPath(format!("{}[{}]", self.0, index))
    }

    /// The path as the API server prints it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What is wrong with a field; the words are apimachinery's `ErrorType` strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldErrorKind {
    /// `Not found`: a reference to something that does not exist.
    NotFound,
    /// `Required value`: the field must be set.
    Required,
    /// `Duplicate value`: the value repeats one that must be unique.
    Duplicate,
    /// `Invalid value`: the value is malformed or out of range.
    Invalid,
    /// `Unsupported value`: the value is not one of an enumerated set.
    NotSupported,
    /// `Forbidden`: the field may not be set in this context.
    Forbidden,
    /// `Too long`: the value is longer than allowed.
    TooLong,
    /// `Too many`: the list has more items than allowed.
    TooMany,
    /// `Internal error`: validation itself failed.
    Internal,
}

impl FieldErrorKind {
    /// The phrase the API server prints for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldErrorKind::NotFound => "Not found",
            FieldErrorKind::Required => "Required value",
            FieldErrorKind::Duplicate => "Duplicate value",
            FieldErrorKind::Invalid => "Invalid value",
            FieldErrorKind::NotSupported => "Unsupported value",
            FieldErrorKind::Forbidden => "Forbidden",
            FieldErrorKind::TooLong => "Too long",
            FieldErrorKind::TooMany => "Too many",
            FieldErrorKind::Internal => "Internal error",
        }
    }

    /// Whether the API server leaves the bad value out of the message for this kind.
    fn omits_value(self) -> bool {
        matches!(
            self,
            FieldErrorKind::Required
                | FieldErrorKind::Forbidden
                | FieldErrorKind::TooLong
                | FieldErrorKind::Internal
        )
    }
}

/// The offending value, kept typed so that it prints as the API server prints it: strings quoted,
/// numbers and booleans bare, a missing value as `null`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BadValue {
    /// No value (a nil pointer upstream).
    Null,
    /// A string, printed quoted.
    Str(String),
    /// An integer, printed bare.
    Int(i64),
    /// A boolean, printed bare.
    Bool(bool),
    /// A structured value printed as Go's `%#v` would (already rendered, printed bare), e.g.
    /// `[]int32{2, 1}`.
    Go(String),
    /// No value at all: the message leaves the value out (`field.OmitValueType`).
    Omitted,
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Null => f.write_str("null"),
            BadValue::Str(text) => f.write_str(&go_quote(text)),
            BadValue::Int(number) => write!(f, "{number}"),
            BadValue::Bool(flag) => write!(f, "{flag}"),
            BadValue::Go(text) => f.write_str(text),
            BadValue::Omitted => Ok(()),
        }
    }
}

/// One rejected field: where, what kind of problem, the value, and a lowercase detail.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldError {
    /// The field's path, e.g. `spec.schedule`.
    pub field: FieldPath,
    /// The kind of problem.
    pub kind: FieldErrorKind,
    /// The value that was rejected.
    pub bad_value: BadValue,
    /// What is wrong, in the API server's words; may be empty.
    pub detail: String,
}

impl FieldError {
    /// `Invalid value`: the value is malformed; mirrors `field.Invalid`.
    pub fn invalid(field: FieldPath, bad_value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::Invalid,
            bad_value,
            detail: detail.into(),
        }
    }

    /// `Required value`: the field is missing or empty; mirrors `field.Required`.
    pub fn required(field: FieldPath, detail: impl Into<String>) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::Required,
            bad_value: BadValue::Str(String::new()),
            detail: detail.into(),
        }
    }

    /// `Forbidden`: the field may not be set here; mirrors `field.Forbidden`.
    pub fn forbidden(field: FieldPath, detail: impl Into<String>) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::Forbidden,
            bad_value: BadValue::Null,
            detail: detail.into(),
        }
    }

    /// `Unsupported value`: not one of `supported`; mirrors `field.NotSupported`, which lists the
    /// supported values quoted in the detail.
    pub fn not_supported(field: FieldPath, bad_value: BadValue, supported: &[&str]) -> Self {
        let quoted: Vec<String> = supported.iter().map(|value| go_quote(value)).collect();
        let detail = if quoted.is_empty() {
            String::new()
        } else {
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError {
            field,
            kind: FieldErrorKind::NotSupported,
            bad_value,
            detail,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.kind.as_str())?;
        if !self.kind.omits_value() && self.bad_value != BadValue::Omitted {
            write!(f, ": {}", self.bad_value)?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldError {}

/// Quotes `text` the way Go's `%q` verb does, so messages match the API server byte for byte for
/// ordinary input: `"` and `\` are escaped, control characters become `\n`, `\t`, `\x1b`, ...
///
/// DIVERGENCE: Go also escapes every rune that `unicode.IsPrint` rejects (format characters,
/// non-ASCII spaces); Rust's standard library has no such table, so only control characters,
/// non-ASCII whitespace and the common invisible format characters are escaped here.
pub fn go_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\u{7}' => quoted.push_str("\\a"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{b}' => quoted.push_str("\\v"),
            c if is_unprintable(c) => push_go_escape(&mut quoted, c),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether Go's `strconv.Quote` would escape `c` (approximated; see [`go_quote`]).
fn is_unprintable(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Appends Go's numeric escape for `c`: `\xNN` below 0x80, `\uNNNN` in the basic plane, else
/// `\UNNNNNNNN`.
fn push_go_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x80 {
        out.push_str(&format!("\\x{code:02x}"));
    } else if code < 0x1_0000 {
        out.push_str(&format!("\\u{code:04x}"));
    } else {
        out.push_str(&format!("\\U{code:08x}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_value_quotes_the_string_like_the_api_server() {
        let error = FieldError::invalid(
            FieldPath::new("spec").child("schedule"),
            BadValue::Str("0 0 * * 7".into()),
            "end of range (7) above maximum (6): 7",
        );
        assert_eq!(
            error.to_string(),
            "spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"
        );
    }

    #[test]
    fn required_value_prints_no_value_and_an_optional_detail() {
        let path = FieldPath::new("spec").child("schedule");
        assert_eq!(
            FieldError::required(path.clone(), "").to_string(),
            "spec.schedule: Required value"
        );
        assert_eq!(
            FieldError::required(path, "must be set").to_string(),
            "spec.schedule: Required value: must be set"
        );
    }

    #[test]
    fn numbers_print_bare_and_lists_index_paths() {
        let path = FieldPath::new("spec")
            .child("template")
            .child("spec")
            .child("containers");
        let error = FieldError::invalid(path.index(0).child("ports"), BadValue::Int(-1), "bad");
        assert_eq!(
            error.to_string(),
            "spec.template.spec.containers[0].ports: Invalid value: -1: bad"
        );
    }

    #[test]
    fn unsupported_value_lists_the_choices_quoted() {
        let error = FieldError::not_supported(
            FieldPath::new("spec").child("concurrencyPolicy"),
            BadValue::Str("Sometimes".into()),
            &["Allow", "Forbid", "Replace"],
        );
        assert_eq!(
            error.to_string(),
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \
             \"Allow\", \"Forbid\", \"Replace\""
        );
    }

    #[test]
    fn go_quote_escapes_quotes_backslashes_and_control_characters() {
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("tab\there\n"), "\"tab\\there\\n\"");
        assert_eq!(go_quote("\u{1b}[0m"), "\"\\x1b[0m\"");
        assert_eq!(go_quote("caf\u{e9}\u{a0}"), "\"caf\u{e9}\\u00a0\"");
    }
}
