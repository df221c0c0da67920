//! What the user has selected on the canvas or in the lists, and the panel that acts on it.

use crate::sim::model::Kind;

/// The selected object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A node, by name.
    Node(String),
    /// A pod, by namespace and name.
    Pod {
        /// `metadata.namespace`.
        namespace: String,
        /// `metadata.name`.
        name: String,
    },
    /// A workload or other namespaced object that is not a pod (DaemonSet, Job, Deployment,
    /// ReplicaSet, ...), by kind, namespace and name.
    Workload {
        /// The object's kind.
        kind: Kind,
        /// `metadata.namespace`.
        namespace: String,
        /// `metadata.name`.
        name: String,
    },
}

impl Selection {
    /// The selection for an object named by kind (as in `kind:`), namespace and name; `None`
    /// for a kind the store does not hold.
    pub fn of(kind: &str, namespace: &str, name: &str) -> Option<Selection> {
        match Kind::from_name(kind)? {
            Kind::Node => Some(Selection::Node(name.to_string())),
            Kind::Pod => Some(Selection::Pod {
                namespace: namespace.to_string(),
                name: name.to_string(),
            }),
            kind => Some(Selection::Workload {
                kind,
                namespace: namespace.to_string(),
                name: name.to_string(),
            }),
        }
    }
}
