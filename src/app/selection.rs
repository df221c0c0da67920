//! What the user has selected on the canvas or in the lists, and the panel that acts on it.

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
}
