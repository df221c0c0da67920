//! Colours: one per owning workload, fixed for the life of a run, and the node status colours.
//!
//! Colour is never the only cue: pod states also differ in shape (see `PodMark`), and node
//! status is written out in words on the card.

use super::snapshot::{ClusterSnapshot, NodeStatus, OwnerView};
use std::collections::BTreeMap;

/// Workload colours, chosen to stay distinct for common colour-vision deficiencies.
const WORKLOAD_COLOURS: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c6d31", "#6a3d9a",
];

/// The colour of pods with no controlling owner (bare pods).
pub const BARE_POD_COLOUR: &str = "#64748b";

/// Assigns each owner seen in the snapshot a colour, in owner order, cycling the palette.
pub fn owner_colours(snapshot: &ClusterSnapshot) -> BTreeMap<OwnerView, &'static str> {
    let owners: std::collections::BTreeSet<&OwnerView> = snapshot
        .nodes
        .iter()
        .flat_map(|node| node.pods.iter())
        .chain(snapshot.unscheduled.iter())
        .filter_map(|pod| pod.owner.as_ref())
        .collect();
    owners
        .into_iter()
        .enumerate()
        .map(|(index, owner)| {
            (
                owner.clone(),
                WORKLOAD_COLOURS[index % WORKLOAD_COLOURS.len()],
            )
        })
        .collect()
}

/// The header colour of a node card.
pub fn node_header_colour(status: NodeStatus, control_plane: bool) -> &'static str {
    match (status, control_plane) {
        (NodeStatus::Ready, true) => "#5b21b6",
        (NodeStatus::Ready, false) => "#1e40af",
        (NodeStatus::NotReady, _) => "#b91c1c",
        (NodeStatus::Unknown, _) => "#6b7280",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::snapshot::{PodMark, PodView};

    fn owned(kind: &str, name: &str) -> PodView {
        PodView {
            namespace: "default".into(),
            name: format!("{name}-x"),
            owner: Some(OwnerView {
                kind: kind.into(),
                name: name.into(),
            }),
            mark: PodMark::Pending,
            restarts: 0,
            reason: None,
        }
    }

    #[test]
    fn owners_get_colours_in_kind_then_name_order() {
        let snapshot = ClusterSnapshot {
            unscheduled: vec![
                owned("Job", "pi"),
                owned("DaemonSet", "fluentd"),
                owned("Job", "pi"),
            ],
            ..Default::default()
        };
        let colours = owner_colours(&snapshot);
        assert_eq!(colours.len(), 2);
        let fluentd = OwnerView {
            kind: "DaemonSet".into(),
            name: "fluentd".into(),
        };
        let pi = OwnerView {
            kind: "Job".into(),
            name: "pi".into(),
        };
        assert_eq!(colours[&fluentd], WORKLOAD_COLOURS[0]);
        assert_eq!(colours[&pi], WORKLOAD_COLOURS[1]);
    }
}
