//! Command-line words and flags, parsed the way kubectl's flag library (pflag) reads them.
//!
//! A command declares its flags as [`FlagSpec`]s; [`parse`] accepts `--name=value`,
//! `--name value`, `-n value`, `-nvalue` and `-n=value`, stops at `--` (the rest is the command
//! to run, as in `kubectl create job x --image=busybox -- date`), and rejects anything
//! undeclared with pflag's wording (`unknown flag: --foo`, `unknown shorthand flag: 'x' in -x`).

use std::collections::BTreeMap;

/// One accepted flag.
#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    /// The long name without dashes, e.g. `namespace`.
    pub long: &'static str,
    /// The one-letter shorthand, if any.
    pub short: Option<char>,
    /// Whether the flag takes a value (booleans may still be written `--flag=false`).
    pub takes_value: bool,
}

/// Shorthand for a flag with a value.
pub const fn value(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
    }
}

/// Shorthand for a boolean flag.
pub const fn switch(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: false,
    }
}

/// The words of a command line after flags were taken out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Positional words in order.
    pub positional: Vec<String>,
    /// Flag values by long name; a repeated flag keeps every value in order.
    pub flags: BTreeMap<&'static str, Vec<String>>,
    /// Words after `--`.
    pub tail: Vec<String>,
}

impl Parsed {
    /// The last value of a flag.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.flags
            .get(long)
            .and_then(|values| values.last())
            .map(String::as_str)
    }

    /// Every value of a repeated flag.
    pub fn all(&self, long: &str) -> &[String] {
        self.flags.get(long).map_or(&[], Vec::as_slice)
    }

    /// Whether a boolean flag is on (`--flag`, `--flag=true`).
    pub fn on(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v == "true")
    }
}

/// Splits a command line into words with POSIX-shell quoting rules.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    shell_words::split(line).map_err(|_| "unterminated quote in command line".to_string())
}

/// Separates flags from positional words; see the module documentation.
pub fn parse(words: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut index = 0;
    while index < words.len() {
        let word = &words[index];
        index += 1;
        if word == "--" {
            parsed.tail = words[index..].to_vec();
            break;
        }
        if let Some(body) = word.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((name, v)) => (name, Some(v.to_string())),
                None => (body, None),
            };
            let spec = specs
                .iter()
                .find(|s| s.long == name)
                .ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = take_value(spec, inline, words, &mut index, &format!("--{name}"))?;
            parsed.flags.entry(spec.long).or_default().push(value);
        } else if word.len() > 1 && word.starts_with('-') && !is_number(word) {
            short_flags(word, specs, words, &mut index, &mut parsed)?;
        } else {
            parsed.positional.push(word.clone());
        }
    }
    Ok(parsed)
}

fn is_number(word: &str) -> bool {
    word[1..].chars().all(|c| c.is_ascii_digit())
}

/// Reads a cluster of shorthand flags such as `-A`, `-oyaml`, `-o=wide` or `-n kube-system`.
fn short_flags(
    word: &str,
    specs: &[FlagSpec],
    words: &[String],
    index: &mut usize,
    parsed: &mut Parsed,
) -> Result<(), String> {
    let letters: Vec<char> = word[1..].chars().collect();
    let mut at = 0;
    while at < letters.len() {
        let letter = letters[at];
        let spec = specs
            .iter()
            .find(|s| s.short == Some(letter))
            .ok_or_else(|| format!("unknown shorthand flag: '{letter}' in {word}"))?;
        at += 1;
        if spec.takes_value {
            let rest: String = letters[at..].iter().collect();
            let inline = if rest.is_empty() {
                None
            } else {
                Some(rest.strip_prefix('=').unwrap_or(&rest).to_string())
            };
            let value = take_value(spec, inline, words, index, &format!("-{letter}"))?;
            parsed.flags.entry(spec.long).or_default().push(value);
            return Ok(());
        }
        parsed
            .flags
            .entry(spec.long)
            .or_default()
            .push("true".to_string());
    }
    Ok(())
}

/// The flag's value: inline, the next word, or `true` for a boolean.
fn take_value(
    spec: &FlagSpec,
    inline: Option<String>,
    words: &[String],
    index: &mut usize,
    shown: &str,
) -> Result<String, String> {
    if let Some(value) = inline {
        return Ok(value);
    }
    if !spec.takes_value {
        return Ok("true".to_string());
    }
    match words.get(*index) {
        Some(next) => {
            *index += 1;
            Ok(next.clone())
        }
        None => Err(format!("flag needs an argument: {shown}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split_words(line).expect("balanced quotes")
    }

    const SPECS: &[FlagSpec] = &[
        value("namespace", Some('n')),
        value("output", Some('o')),
        switch("all-namespaces", Some('A')),
        value("selector", Some('l')),
    ];

    #[test]
    fn long_short_inline_and_joined_flags_are_read() {
        let parsed = parse(
            &words("pods -oyaml -n=kube-system -A --selector 'app in (a,b)' x"),
            SPECS,
        )
        .expect("valid");
        assert_eq!(parsed.positional, vec!["pods", "x"]);
        assert_eq!(parsed.get("output"), Some("yaml"));
        assert_eq!(parsed.get("namespace"), Some("kube-system"));
        assert!(parsed.on("all-namespaces"));
        assert_eq!(parsed.get("selector"), Some("app in (a,b)"));
    }

    #[test]
    fn unknown_flags_are_worded_like_pflag() {
        assert_eq!(
            parse(&words("--foo"), SPECS).unwrap_err(),
            "unknown flag: --foo"
        );
        assert_eq!(
            parse(&words("-x"), SPECS).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&words("-n"), SPECS).unwrap_err(),
            "flag needs an argument: -n"
        );
    }

    #[test]
    fn a_double_dash_ends_flags() {
        let parsed = parse(&words("job x -- date -n 1"), SPECS).expect("valid");
        assert_eq!(parsed.positional, vec!["job", "x"]);
        assert_eq!(parsed.tail, vec!["date", "-n", "1"]);
    }
}
