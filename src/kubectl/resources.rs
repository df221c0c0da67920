//! Resource type names as kubectl resolves them (`po`, `pods`, `daemonset.apps`, ...) and
//! label selectors as `-l` reads them.

use crate::sim::model::Kind;
use std::collections::BTreeMap;

/// What a resource word names: a stored kind, or the Event log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A kind of the store.
    Kind(Kind),
    /// `events`, served from the Event log.
    Events,
}

/// One served resource type and the words that name it.
pub struct ResourceType {
    /// The plural name, e.g. `daemonsets`.
    pub plural: &'static str,
    /// The singular, e.g. `daemonset`.
    pub singular: &'static str,
    /// Short names, e.g. `ds`.
    pub short: &'static [&'static str],
    /// The API group, empty for the core group.
    pub group: &'static str,
    /// What it names.
    pub target: Target,
}

impl ResourceType {
    /// The `resource.group` prefix kubectl prints before names (`daemonset.apps/x`, `pod/x`).
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }

    /// The plural with its group, as in API errors (`daemonsets.apps "x" not found`).
    pub fn plural_qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

/// The resource types the simulated API server serves. A kind the store gains gets one row here
/// (its kubectl short names) and is then reachable from every command.
pub const TYPES: &[ResourceType] = &[
    ResourceType {
        plural: "pods",
        singular: "pod",
        short: &["po"],
        group: "",
        target: Target::Kind(Kind::Pod),
    },
    ResourceType {
        plural: "nodes",
        singular: "node",
        short: &["no"],
        group: "",
        target: Target::Kind(Kind::Node),
    },
    ResourceType {
        plural: "namespaces",
        singular: "namespace",
        short: &["ns"],
        group: "",
        target: Target::Kind(Kind::Namespace),
    },
    ResourceType {
        plural: "events",
        singular: "event",
        short: &["ev"],
        group: "",
        target: Target::Events,
    },
    ResourceType {
        plural: "daemonsets",
        singular: "daemonset",
        short: &["ds"],
        group: "apps",
        target: Target::Kind(Kind::DaemonSet),
    },
    ResourceType {
        plural: "deployments",
        singular: "deployment",
        short: &["deploy"],
        group: "apps",
        target: Target::Kind(Kind::Deployment),
    },
    ResourceType {
        plural: "replicasets",
        singular: "replicaset",
        short: &["rs"],
        group: "apps",
        target: Target::Kind(Kind::ReplicaSet),
    },
    ResourceType {
        plural: "jobs",
        singular: "job",
        short: &[],
        group: "batch",
        target: Target::Kind(Kind::Job),
    },
    ResourceType {
        plural: "cronjobs",
        singular: "cronjob",
        short: &["cj"],
        group: "batch",
        target: Target::Kind(Kind::CronJob),
    },
    ResourceType {
        plural: "controllerrevisions",
        singular: "controllerrevision",
        short: &[],
        group: "apps",
        target: Target::Kind(Kind::ControllerRevision),
    },
];

/// Resolves a resource word (`po`, `pods`, `pod`, `daemonsets.apps`, `Pod`), or gives kubectl's
/// `the server doesn't have a resource type "jobs"`.
pub fn resolve(word: &str) -> Result<&'static ResourceType, String> {
    let lower = word.to_ascii_lowercase();
    let (name, group) = match lower.split_once('.') {
        Some((name, group)) => (name.to_string(), Some(group.to_string())),
        None => (lower.clone(), None),
    };
    TYPES
        .iter()
        .find(|t| {
            let named = t.plural == name || t.singular == name || t.short.contains(&name.as_str());
            named && group.as_deref().is_none_or(|g| g == t.group)
        })
        .ok_or_else(|| format!("the server doesn't have a resource type {word:?}"))
}

/// The row of a stored kind.
pub fn of_kind(kind: Kind) -> &'static ResourceType {
    TYPES
        .iter()
        .find(|t| t.target == Target::Kind(kind))
        .expect("every stored kind has a row in TYPES")
}

/// One requirement of a `-l` selector.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed `-l` selector: every requirement must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(Vec<Requirement>);

impl Selector {
    /// Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k` as `labels.Parse` does.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(requirement(part).ok_or_else(|| {
                format!("unable to parse requirement: found '{part}', expected: identifier")
            })?);
        }
        Ok(Selector(requirements))
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }
}

/// Splits on commas outside parentheses.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn requirement(part: &str) -> Option<Requirement> {
    let valid_key = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    };
    if let Some(key) = part.strip_prefix('!') {
        return valid_key(key.trim()).then(|| Requirement::DoesNotExist(key.trim().to_string()));
    }
    for (op, make) in [
        (
            "!=",
            Requirement::NotEquals as fn(String, String) -> Requirement,
        ),
        ("==", Requirement::Equals),
        ("=", Requirement::Equals),
    ] {
        if let Some((k, v)) = part.split_once(op) {
            let (k, v) = (k.trim(), v.trim());
            return valid_key(k).then(|| make(k.to_string(), v.to_string()));
        }
    }
    for (op, notin) in [(" notin ", true), (" in ", false)] {
        if let Some((k, rest)) = part.split_once(op) {
            let values = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
            let k = k.trim().to_string();
            return Some(if notin {
                Requirement::NotIn(k, values)
            } else {
                Requirement::In(k, values)
            });
        }
    }
    valid_key(part).then(|| Requirement::Exists(part.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selectors_support_equality_sets_and_existence() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let holds = |s: &str| Selector::parse(s).expect("valid").matches(&l);
        assert!(holds("app=web"));
        assert!(holds("app==web,tier!=db"));
        assert!(holds("app in (web,api),tier notin (db)"));
        assert!(holds("tier,!gone"));
        assert!(!holds("app!=web"));
        assert!(!holds("app notin (web)"));
        assert!(!holds("!app"));
    }

    #[test]
    fn resource_words_resolve_like_kubectl_and_unknown_ones_are_named() {
        assert_eq!(resolve("po").expect("pods").plural, "pods");
        assert_eq!(
            resolve("daemonsets.apps").expect("ds").singular,
            "daemonset"
        );
        assert_eq!(resolve("DS").expect("ds").plural, "daemonsets");
        assert_eq!(
            resolve("foos").err().as_deref(),
            Some("the server doesn't have a resource type \"foos\"")
        );
    }
}
