//! Tab completion for the playground's kubectl console: the command, then the resource type,
//! then an object's name, as a shell with kubectl's completion script would offer them.
//! Plain data, tested natively; the console supplies the object names it sees in the store.

use crate::kubectl::COMMANDS;
use crate::kubectl::resources::TYPES;

/// Commands whose first argument is a resource type.
const TAKES_RESOURCE: [&str; 6] = ["get", "describe", "delete", "label", "annotate", "scale"];

/// What pressing Tab does to a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The line with the last word completed as far as every candidate agrees.
    pub line: String,
    /// The candidates for the last word, shown when more than one remains.
    pub candidates: Vec<String>,
}

/// Which word is being completed and what it could be; `names_of(resource)` lists object
/// names of a resource type word (`pods`, `ds`, `node`).
pub fn complete(line: &str, names_of: &dyn Fn(&str) -> Vec<String>) -> Completion {
    let ends_in_space = line.is_empty() || line.ends_with(' ');
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if words.first() == Some(&"kubectl") {
        words.remove(0);
    }
    let (done, partial) = if ends_in_space {
        (words.as_slice(), "")
    } else {
        let (last, done) = words.split_last().unwrap_or((&"", &[]));
        (done, *last)
    };
    let pool: Vec<String> = match done {
        [] => COMMANDS.iter().map(|c| c.to_string()).collect(),
        [command] if TAKES_RESOURCE.contains(command) => resource_words(),
        [command, resource] if TAKES_RESOURCE.contains(command) => names_of(resource),
        ["cordon" | "uncordon" | "drain" | "taint", ..] if done.len() == 1 => names_of("nodes"),
        _ => Vec::new(),
    };
    let mut candidates: Vec<String> = pool
        .into_iter()
        .filter(|c| c.starts_with(partial))
        .collect();
    candidates.sort();
    candidates.dedup();
    let common = common_prefix(&candidates);
    let completed = match candidates.as_slice() {
        [only] => format!("{only} "),
        _ if common.len() > partial.len() => common,
        _ => partial.to_string(),
    };
    let line = format!("{}{completed}", &line[..line.len() - partial.len()]);
    Completion { line, candidates }
}

/// Every word naming a resource type: plurals, singulars and short names.
fn resource_words() -> Vec<String> {
    TYPES
        .iter()
        .flat_map(|t| {
            [t.plural, t.singular]
                .into_iter()
                .chain(t.short.iter().copied())
        })
        .map(str::to_string)
        .collect()
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut length = first.len();
    for word in &words[1..] {
        length = first
            .char_indices()
            .zip(word.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(length);
    }
    first[..length].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(resource: &str) -> Vec<String> {
        match resource {
            "pods" | "po" | "pod" => vec!["pi-x7k2p".into(), "pi-z9q4r".into(), "web-1".into()],
            "nodes" | "node" | "no" => vec!["worker-1".into(), "worker-2".into()],
            _ => Vec::new(),
        }
    }

    #[test]
    fn commands_then_resources_then_names() {
        assert_eq!(complete("ge", &names).line, "get ");
        assert_eq!(complete("kubectl ge", &names).line, "kubectl get ");
        let resource = complete("get daemons", &names);
        assert_eq!(resource.line, "get daemonset");
        assert_eq!(resource.candidates, vec!["daemonset", "daemonsets"]);
        let pod = complete("describe pods pi", &names);
        assert_eq!(pod.line, "describe pods pi-");
        assert_eq!(pod.candidates, vec!["pi-x7k2p", "pi-z9q4r"]);
        assert_eq!(complete("cordon worker-2", &names).line, "cordon worker-2 ");
    }

    #[test]
    fn nothing_to_offer_leaves_the_line_alone() {
        let nothing = complete("get pods web-1 -o", &names);
        assert_eq!(nothing.line, "get pods web-1 -o");
        assert!(nothing.candidates.is_empty());
        assert_eq!(complete("", &names).candidates.len(), COMMANDS.len());
    }
}
