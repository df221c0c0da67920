//! Unit tests of the dispatcher: error rewording and command suggestions.

use super::*;

#[test]
fn invalid_messages_name_the_kind_without_its_group() {
    assert_eq!(
        invalid_with_kind("DaemonSet.apps \"x\" is invalid: spec.selector: Required value"),
        Some("The DaemonSet \"x\" is invalid: spec.selector: Required value".to_string())
    );
    assert_eq!(invalid_with_kind("metadata.name: Required value"), None);
}

#[test]
fn suggestions_are_within_two_edits_or_share_the_prefix() {
    assert_eq!(
        unknown_command("desc").stderr,
        "error: unknown command \"desc\" for \"kubectl\"\n\nDid you mean this?\n\tdescribe\n"
    );
    assert_eq!(
        unknown_command("lable").stderr,
        "error: unknown command \"lable\" for \"kubectl\"\n\nDid you mean this?\n\tlabel\n"
    );
}
