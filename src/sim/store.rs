//! The API objects: one ordered table per kind, keyed by (namespace, name).
//!
//! The store plays the API server's storage role: it assigns uids, generated names, resource
//! versions and generations, applies graceful deletion, and records every change so controllers
//! can be notified (the simulation's stand-in for informers). It keeps indexes so the hot paths
//! never scan every pod: pods by node name, dependents by owner uid, and the summed requests of
//! the pods still holding each node's resources (what the scheduler's NodeResourcesFit reads).

use crate::sim::admission;
use crate::sim::model::{
    ControllerRevision, CronJob, DaemonSet, Deployment, Job, Kind, Namespace, Node, Object,
    ObjectKey, ObjectMeta, Pod, ReplicaSet, Resources,
};
use crate::sim::time::{SimDuration, SimTime};
use crate::sim::validation::FieldError;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The alphabet of generated name suffixes: no vowels and no easily confused characters,
/// mirroring `k8s.io/apimachinery/pkg/util/rand`.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// Length of the random suffix of generated names.
pub const GENERATED_SUFFIX_LEN: usize = 5;
/// Names are at most 63 characters; generateName prefixes are cut to leave room for the suffix.
const MAX_GENERATED_PREFIX_LEN: usize = 63 - GENERATED_SUFFIX_LEN;

/// An error from the simulated API server, worded like the real one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// `pods "x" not found`.
    NotFound {
        /// Plural resource name.
        resource: &'static str,
        /// The missing object's name.
        name: String,
    },
    /// `pods "x" already exists`.
    AlreadyExists {
        /// Plural resource name.
        resource: &'static str,
        /// The clashing name.
        name: String,
    },
    /// The object is invalid; the message lists field errors.
    Invalid(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { resource, name } => write!(f, "{resource} {name:?} not found"),
            ApiError::AlreadyExists { resource, name } => {
                write!(f, "{resource} {name:?} already exists")
            }
            ApiError::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ApiError {}

/// One recorded write: the object before and after (absent when created or removed).
#[derive(Clone, Debug)]
pub struct Change {
    /// The kind written.
    pub kind: Kind,
    /// Which object.
    pub key: ObjectKey,
    /// The stored object before the write.
    pub old: Option<Object>,
    /// The stored object after the write; `None` when it was removed.
    pub new: Option<Object>,
}

/// A table of one kind.
#[derive(Clone, Debug)]
pub struct Table<T> {
    items: BTreeMap<ObjectKey, T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            items: BTreeMap::new(),
        }
    }
}

impl<T> Table<T> {
    /// The object at `key`.
    pub fn get(&self, key: &ObjectKey) -> Option<&T> {
        self.items.get(key)
    }

    /// All objects in key order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.values()
    }

    /// All objects of one namespace in name order.
    pub fn in_namespace<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        let start = ObjectKey::new(namespace, "");
        self.items
            .range(start..)
            .take_while(move |(k, _)| k.namespace == namespace)
            .map(|(_, v)| v)
    }

    /// Objects with their keys in key order, starting at `start`.
    pub fn iter_from<'a>(
        &'a self,
        start: &ObjectKey,
    ) -> impl Iterator<Item = (&'a ObjectKey, &'a T)> + 'a {
        self.items.range(start.clone()..)
    }

    /// How many objects there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A kind the store can hold.
pub trait Resource: Clone + PartialEq + Serialize + DeserializeOwned + 'static {
    /// The kind.
    const KIND: Kind;
    /// Metadata.
    fn meta(&self) -> &ObjectMeta;
    /// Mutable metadata.
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    /// True when the user-settable part (spec) differs, which raises `metadata.generation`.
    fn spec_differs(&self, other: &Self) -> bool;
    /// The store's table for this kind.
    fn table(store: &Store) -> &Table<Self>;
    /// The store's table for this kind, mutably.
    fn table_mut(store: &mut Store) -> &mut Table<Self>;
    /// Wraps into [`Object`].
    fn into_object(self) -> Object;
    /// Defaults applied on every write, as decoding does (`SetDefaults_*`).
    fn apply_defaults(&mut self) {}
    /// Admission plugins applied on create only.
    fn admit(&mut self) {}
    /// API validation; `old` is the stored object on update.
    fn validate(&self, _old: Option<&Self>) -> Vec<FieldError> {
        Vec::new()
    }
    /// The node a pod is bound to; `None` for other kinds.
    fn bound_node(&self) -> Option<&str> {
        None
    }
    /// The node whose resources the object holds and what it requests there: a bound pod that
    /// has not reached a terminal phase (a terminating pod still holds its share). `None` for
    /// other kinds.
    fn held_requests(&self) -> Option<(&str, NodeRequests)> {
        None
    }
    /// Create-time completion that needs the fresh uid (the Job's generated selector), run
    /// after the uid is assigned, as the API server runs it after `FillObjectMetaSystemFields`.
    fn prepare_with_uid(&mut self) {}
}

/// Implements [`Resource`] for a kind: the table it lives in, its `Object` variant, what counts as
/// a spec change, and any per-kind hooks (defaults, admission, validation) given after them.
macro_rules! resource {
    (
        $ty:ty, $kind:expr, $table:ident, $variant:ident, |$a:ident, $b:ident| $differs:expr
        $(, { $($hooks:item)* })?
    ) => {
        impl Resource for $ty {
            const KIND: Kind = $kind;
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
            fn spec_differs(&self, other: &Self) -> bool {
                let ($a, $b) = (self, other);
                $differs
            }
            fn table(store: &Store) -> &Table<Self> {
                &store.$table
            }
            fn table_mut(store: &mut Store) -> &mut Table<Self> {
                &mut store.$table
            }
            fn into_object(self) -> Object {
                Object::$variant(Box::new(self))
            }
            $($($hooks)*)?
        }
    };
}

resource!(
    Namespace,
    Kind::Namespace,
    namespaces,
    Namespace,
    |_a, _b| false
);
resource!(
    ControllerRevision,
    Kind::ControllerRevision,
    controller_revisions,
    ControllerRevision,
    |a, b| a.data != b.data
);
resource!(Node, Kind::Node, nodes, Node, |a, b| a.spec != b.spec);

resource!(Pod, Kind::Pod, pods, Pod, |a, b| a.spec != b.spec, {
    fn bound_node(&self) -> Option<&str> {
        self.node_name()
    }
    fn held_requests(&self) -> Option<(&str, NodeRequests)> {
        let node = self.node_name()?;
        if self.phase().is_terminal() {
            return None;
        }
        Some((node, NodeRequests::of_pod(self)))
    }
    fn apply_defaults(&mut self) {
        admission::default_pod_spec(&mut self.spec);
    }
    fn admit(&mut self) {
        admission::admit_pod(self);
    }
    fn validate(&self, _old: Option<&Self>) -> Vec<FieldError> {
        admission::validate_pod(self)
    }
});

resource!(
    DaemonSet,
    Kind::DaemonSet,
    daemon_sets,
    DaemonSet,
    |a, b| a.spec != b.spec,
    {
        fn apply_defaults(&mut self) {
            admission::default_daemon_set(self);
        }
        fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
            admission::validate_daemon_set(self, old)
        }
    }
);

resource!(Job, Kind::Job, jobs, Job, |a, b| a.spec != b.spec, {
    fn apply_defaults(&mut self) {
        admission::batch::default_job(self);
    }
    fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
        admission::batch::validate_job(self, old)
    }
    fn prepare_with_uid(&mut self) {
        admission::batch::generate_selector(self);
    }
});

resource!(
    ReplicaSet,
    Kind::ReplicaSet,
    replica_sets,
    ReplicaSet,
    |a, b| a.spec != b.spec,
    {
        fn apply_defaults(&mut self) {
            crate::sim::admission::apps::default_replica_set(self);
        }
        fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
            crate::sim::admission::apps::validate_replica_set(self, old)
        }
    }
);

resource!(
    Deployment,
    Kind::Deployment,
    deployments,
    Deployment,
    |a, b| a.spec != b.spec,
    {
        fn apply_defaults(&mut self) {
            crate::sim::admission::apps::default_deployment(self);
        }
        fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
            crate::sim::admission::apps::validate_deployment(self, old)
        }
    }
);

resource!(
    CronJob,
    Kind::CronJob,
    cron_jobs,
    CronJob,
    |a, b| a.spec != b.spec,
    {
        fn apply_defaults(&mut self) {
            admission::cronjob::default_cron_job(self);
        }
        fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
            admission::cronjob::validate_cron_job(self, old)
        }
    }
);

/// What a delete request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The object is gone.
    Removed,
    /// The object got a deletionTimestamp and waits (grace period or finalizers).
    Terminating,
}

/// What the pods holding one node's resources request, summed.
///
/// The scheduler needs this for every candidate node of every pod it places; summing it from the
/// pods bound to the node would also walk every finished pod still bound there (a Job keeps its
/// Succeeded pods), so the store keeps the sums up to date as pods are bound, finish or go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeRequests {
    /// Summed cpu and memory requests; `pods` counts the pods.
    pub requested: Resources,
    /// How many of those pods request no cpu (scoring assumes a default for them).
    pub pods_without_cpu: i64,
    /// How many of those pods request no memory (scoring assumes a default for them).
    pub pods_without_memory: i64,
}

impl NodeRequests {
    /// One pod's share: its effective requests and whether it leaves cpu or memory unset.
    pub fn of_pod(pod: &Pod) -> Self {
        let requested = pod.spec.requests();
        Self {
            requested,
            pods_without_cpu: i64::from(requested.cpu_millis == 0),
            pods_without_memory: i64::from(requested.memory_bytes == 0),
        }
    }

    /// Adds `other` to the sums.
    pub fn add(&mut self, other: &Self) {
        self.requested.cpu_millis += other.requested.cpu_millis;
        self.requested.memory_bytes += other.requested.memory_bytes;
        self.requested.pods += other.requested.pods;
        self.pods_without_cpu += other.pods_without_cpu;
        self.pods_without_memory += other.pods_without_memory;
    }

    /// Takes `other` back out of the sums.
    fn subtract(&mut self, other: &Self) {
        self.requested.cpu_millis -= other.requested.cpu_millis;
        self.requested.memory_bytes -= other.requested.memory_bytes;
        self.requested.pods -= other.requested.pods;
        self.pods_without_cpu -= other.pods_without_cpu;
        self.pods_without_memory -= other.pods_without_memory;
    }
}

/// The API objects of one simulated cluster.
#[derive(Clone, Debug, Default)]
pub struct Store {
    namespaces: Table<Namespace>,
    nodes: Table<Node>,
    pods: Table<Pod>,
    daemon_sets: Table<DaemonSet>,
    controller_revisions: Table<ControllerRevision>,
    jobs: Table<Job>,
    cron_jobs: Table<CronJob>,
    replica_sets: Table<ReplicaSet>,
    deployments: Table<Deployment>,
    resource_version: u64,
    pods_by_node: BTreeMap<String, BTreeSet<ObjectKey>>,
    requests_by_node: BTreeMap<String, NodeRequests>,
    dependents: BTreeMap<String, BTreeSet<(Kind, ObjectKey)>>,
    uids: BTreeMap<String, (Kind, ObjectKey)>,
    changes: Vec<Change>,
}

/// A fresh random uid in the RFC 4122 version 4 layout.
pub fn new_uid(rng: &mut ChaCha8Rng) -> String {
    let mut bytes = [0u8; 16];
    for byte in &mut bytes {
        *byte = rng.random();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Five random characters from [`NAME_ALPHABET`], as `names.SimpleNameGenerator` appends.
pub fn random_suffix(rng: &mut ChaCha8Rng) -> String {
    (0..GENERATED_SUFFIX_LEN)
        .map(|_| char::from(NAME_ALPHABET[rng.random_range(0..NAME_ALPHABET.len())]))
        .collect()
}

impl Store {
    /// The object of kind `T` at `key`.
    pub fn get<T: Resource>(&self, key: &ObjectKey) -> Option<&T> {
        T::table(self).get(key)
    }

    /// All objects of kind `T` in key order.
    pub fn list<T: Resource>(&self) -> impl Iterator<Item = &T> {
        T::table(self).iter()
    }

    /// The table of kind `T`.
    pub fn table<T: Resource>(&self) -> &Table<T> {
        T::table(self)
    }

    /// Nodes in name order.
    pub fn nodes(&self) -> &Table<Node> {
        &self.nodes
    }

    /// Pods in key order.
    pub fn pods(&self) -> &Table<Pod> {
        &self.pods
    }

    /// DaemonSets in key order.
    pub fn daemon_sets(&self) -> &Table<DaemonSet> {
        &self.daemon_sets
    }

    /// ControllerRevisions in key order.
    pub fn controller_revisions(&self) -> &Table<ControllerRevision> {
        &self.controller_revisions
    }

    /// Jobs in key order.
    pub fn jobs(&self) -> &Table<Job> {
        &self.jobs
    }

    /// ReplicaSets in key order.
    pub fn replica_sets(&self) -> &Table<ReplicaSet> {
        &self.replica_sets
    }

    /// Deployments in key order.
    pub fn deployments(&self) -> &Table<Deployment> {
        &self.deployments
    }

    /// CronJobs in key order.
    pub fn cron_jobs(&self) -> &Table<CronJob> {
        &self.cron_jobs
    }

    /// Namespaces in name order.
    pub fn namespaces(&self) -> &Table<Namespace> {
        &self.namespaces
    }

    /// Keys of the pods bound to `node` (including pods of deleted nodes).
    pub fn pods_on_node(&self, node: &str) -> impl Iterator<Item = &ObjectKey> {
        self.pods_by_node.get(node).into_iter().flatten()
    }

    /// What the bound, non-terminal pods on `node` request (zero when it has none).
    pub fn requests_on_node(&self, node: &str) -> NodeRequests {
        self.requests_by_node.get(node).copied().unwrap_or_default()
    }

    /// The summed requests of every node that has bound, non-terminal pods, by node name.
    pub fn requests_by_node(&self) -> &BTreeMap<String, NodeRequests> {
        &self.requests_by_node
    }

    /// Node names that have bound pods, including names of nodes that no longer exist.
    pub fn nodes_with_pods(&self) -> impl Iterator<Item = &String> {
        self.pods_by_node.keys()
    }

    /// The objects whose ownerReferences name `owner_uid`.
    pub fn dependents_of(&self, owner_uid: &str) -> impl Iterator<Item = &(Kind, ObjectKey)> {
        self.dependents.get(owner_uid).into_iter().flatten()
    }

    /// Uids that some object names as an owner (whether or not the owner still exists).
    pub fn owner_uids(&self) -> impl Iterator<Item = &String> {
        self.dependents.keys()
    }

    /// The kind and key of the object with `uid`, if it exists.
    pub fn find_uid(&self, uid: &str) -> Option<&(Kind, ObjectKey)> {
        self.uids.get(uid)
    }

    /// The current resource version counter.
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Takes the changes recorded since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// True when changes wait to be dispatched.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    fn bump_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    fn invalid(kind: Kind, name: &str, errors: &[FieldError]) -> ApiError {
        let group = kind
            .api_version()
            .split_once('/')
            .map(|(g, _)| format!(".{g}"))
            .unwrap_or_default();
        ApiError::Invalid(admission::invalid_message(
            &format!("{kind}{group}"),
            name,
            errors,
        ))
    }

    fn not_found(kind: Kind, key: &ObjectKey) -> ApiError {
        ApiError::NotFound {
            resource: kind.resource(),
            name: key.name.clone(),
        }
    }
}

impl Store {
    /// Creates `object` the way the API server does: completes `generateName`, assigns a uid,
    /// creation timestamp, resource version and generation 1, and records the change.
    pub fn create<T: Resource>(
        &mut self,
        mut object: T,
        now: SimTime,
        rng: &mut ChaCha8Rng,
    ) -> Result<T, ApiError> {
        object.apply_defaults();
        object.admit();
        let errors = object.validate(None);
        if !errors.is_empty() {
            let name = object.meta().name.clone();
            return Err(Self::invalid(T::KIND, &name, &errors));
        }
        self.create_unvalidated(object, now, rng)
    }

    /// Creates `object` without defaults, admission or validation: for tests that reproduce
    /// states the API server would refuse (upstream unit tests write such objects straight into
    /// a fake store, e.g. a DaemonSet with an empty selector).
    pub fn create_unvalidated<T: Resource>(
        &mut self,
        mut object: T,
        now: SimTime,
        rng: &mut ChaCha8Rng,
    ) -> Result<T, ApiError> {
        self.check_namespace(T::KIND, object.meta())?;
        self.complete_name::<T>(object.meta_mut(), rng)?;
        let meta = object.meta_mut();
        if !T::KIND.is_namespaced() {
            meta.namespace.clear();
        }
        meta.uid = new_uid(rng);
        object.prepare_with_uid();
        let meta = object.meta_mut();
        meta.creation_timestamp = Some(now);
        meta.deletion_timestamp = None;
        meta.deletion_grace_period_seconds = None;
        meta.generation = Some(1);
        meta.resource_version = self.bump_version();
        let key = object.meta().key();
        if T::table(self).get(&key).is_some() {
            return Err(ApiError::AlreadyExists {
                resource: T::KIND.resource(),
                name: key.name,
            });
        }
        self.index(None, Some(&object));
        T::table_mut(self).items.insert(key.clone(), object.clone());
        self.changes.push(Change {
            kind: T::KIND,
            key,
            old: None,
            new: Some(object.clone().into_object()),
        });
        Ok(object)
    }

    /// Namespaced objects need an existing namespace, as the NamespaceLifecycle admission does.
    fn check_namespace(&self, kind: Kind, meta: &ObjectMeta) -> Result<(), ApiError> {
        if !kind.is_namespaced() {
            return Ok(());
        }
        if meta.namespace.is_empty() {
            return Err(ApiError::Invalid(
                "metadata.namespace: Required value".to_string(),
            ));
        }
        if self
            .namespaces
            .get(&ObjectKey::cluster(&meta.namespace))
            .is_none()
        {
            return Err(ApiError::NotFound {
                resource: "namespaces",
                name: meta.namespace.clone(),
            });
        }
        Ok(())
    }

    /// Fills `name` from `generateName`, retrying on the rare clash.
    fn complete_name<T: Resource>(
        &self,
        meta: &mut ObjectMeta,
        rng: &mut ChaCha8Rng,
    ) -> Result<(), ApiError> {
        if !meta.name.is_empty() {
            return Ok(());
        }
        let Some(prefix) = meta.generate_name.clone().filter(|p| !p.is_empty()) else {
            return Err(ApiError::Invalid(
                "metadata.name: Required value: name or generateName is required".to_string(),
            ));
        };
        let prefix: String = prefix.chars().take(MAX_GENERATED_PREFIX_LEN).collect();
        // Bounded: a clash needs the same five random characters, so a few tries always do.
        for _ in 0..16 {
            let name = format!("{prefix}{}", random_suffix(rng));
            if T::table(self)
                .get(&ObjectKey::new(&meta.namespace, &name))
                .is_none()
            {
                meta.name = name;
                return Ok(());
            }
        }
        Err(ApiError::AlreadyExists {
            resource: T::KIND.resource(),
            name: prefix,
        })
    }

    /// Replaces a stored object, keeping identity fields, raising the resource version and,
    /// when the spec changed, the generation. An object that is terminating and has lost its
    /// last finalizer is removed, as the API server does.
    pub fn update<T: Resource>(&mut self, mut object: T) -> Result<T, ApiError> {
        let key = object.meta().key();
        let Some(old) = T::table(self).get(&key).cloned() else {
            return Err(Self::not_found(T::KIND, &key));
        };
        object.apply_defaults();
        // Identity fields come from storage before validation, as the API server fills them in
        // before `ValidateUpdate` runs (a Job's generated selector is checked against its uid).
        {
            let meta = object.meta_mut();
            meta.uid = old.meta().uid.clone();
            meta.creation_timestamp = old.meta().creation_timestamp;
            meta.deletion_timestamp = old.meta().deletion_timestamp;
            meta.deletion_grace_period_seconds = old.meta().deletion_grace_period_seconds;
        }
        let errors = object.validate(Some(&old));
        if !errors.is_empty() {
            return Err(Self::invalid(T::KIND, &key.name, &errors));
        }
        let generation = old.meta().generation.unwrap_or(1);
        let spec_changed = object.spec_differs(&old);
        {
            let meta = object.meta_mut();
            meta.generation = Some(if spec_changed {
                generation + 1
            } else {
                generation
            });
        }
        if object == old {
            return Ok(object);
        }
        object.meta_mut().resource_version = self.bump_version();
        if Self::finalized(&object) {
            self.remove::<T>(&key);
            return Ok(object);
        }
        self.index(Some(&old), Some(&object));
        T::table_mut(self).items.insert(key.clone(), object.clone());
        self.changes.push(Change {
            kind: T::KIND,
            key,
            old: Some(old.into_object()),
            new: Some(object.clone().into_object()),
        });
        Ok(object)
    }

    /// Applies `mutate` to the stored object and writes it back; a no-op mutation writes nothing.
    pub fn modify<T: Resource>(
        &mut self,
        key: &ObjectKey,
        mutate: impl FnOnce(&mut T),
    ) -> Result<T, ApiError> {
        let mut object = T::table(self)
            .get(key)
            .cloned()
            .ok_or_else(|| Self::not_found(T::KIND, key))?;
        mutate(&mut object);
        self.update(object)
    }

    /// Requests deletion. Pods bound to a node get `deletionTimestamp = now + grace` and wait for
    /// the kubelet; objects with finalizers wait for them; everything else is removed at once.
    /// `grace_secs` overrides the pod's `terminationGracePeriodSeconds` (0 = force).
    pub fn delete<T: Resource>(
        &mut self,
        key: &ObjectKey,
        now: SimTime,
        grace_secs: Option<i64>,
    ) -> Result<DeleteOutcome, ApiError> {
        let Some(old) = T::table(self).get(key).cloned() else {
            return Err(Self::not_found(T::KIND, key));
        };
        let grace = self.grace_for(&old, grace_secs);
        if grace == 0 && old.meta().finalizers.is_empty() {
            self.remove::<T>(key);
            return Ok(DeleteOutcome::Removed);
        }
        let shortens = old
            .meta()
            .deletion_grace_period_seconds
            .is_some_and(|g| grace < g);
        if old.meta().deletion_timestamp.is_some() && !shortens {
            return Ok(DeleteOutcome::Terminating);
        }
        let mut object = old.clone();
        let meta = object.meta_mut();
        meta.deletion_timestamp = Some(now + SimDuration::from_secs(grace));
        meta.deletion_grace_period_seconds = Some(grace);
        meta.resource_version = self.bump_version();
        T::table_mut(self).items.insert(key.clone(), object.clone());
        self.changes.push(Change {
            kind: T::KIND,
            key: key.clone(),
            old: Some(old.into_object()),
            new: Some(object.into_object()),
        });
        Ok(DeleteOutcome::Terminating)
    }

    /// A terminating object with no finalizers left is gone; a pod additionally needs its
    /// kubelet's final zero-grace delete.
    fn finalized<T: Resource>(object: &T) -> bool {
        let meta = object.meta();
        meta.deletion_timestamp.is_some()
            && meta.finalizers.is_empty()
            && (T::KIND != Kind::Pod || meta.deletion_grace_period_seconds == Some(0))
    }

    /// The grace period a delete gets: only bound, non-terminal pods wait for a kubelet.
    fn grace_for<T: Resource>(&self, object: &T, requested: Option<i64>) -> i64 {
        if T::KIND != Kind::Pod || object.bound_node().is_none() {
            return 0;
        }
        let Some(pod) = self.pods.get(&object.meta().key()) else {
            return 0;
        };
        if pod.phase().is_terminal() {
            return 0;
        }
        requested
            .unwrap_or_else(|| pod.spec.termination_grace_secs())
            .max(0)
    }

    /// Removes an object for good (the last step of any deletion) and records the change.
    pub fn remove<T: Resource>(&mut self, key: &ObjectKey) -> Option<T> {
        let old = T::table_mut(self).items.remove(key)?;
        self.bump_version();
        self.index(Some(&old), None);
        self.changes.push(Change {
            kind: T::KIND,
            key: key.clone(),
            old: Some(old.clone().into_object()),
            new: None,
        });
        Some(old)
    }

    /// Keeps the uid, owner and node indexes in step with one write.
    fn index<T: Resource>(&mut self, old: Option<&T>, new: Option<&T>) {
        if let Some(old) = old {
            let entry = (T::KIND, old.meta().key());
            self.uids.remove(&old.meta().uid);
            for owner in &old.meta().owner_references {
                if let Some(set) = self.dependents.get_mut(&owner.uid) {
                    set.remove(&entry);
                    if set.is_empty() {
                        self.dependents.remove(&owner.uid);
                    }
                }
            }
            if let Some(node) = old.bound_node()
                && let Some(set) = self.pods_by_node.get_mut(node)
            {
                set.remove(&entry.1);
                if set.is_empty() {
                    self.pods_by_node.remove(node);
                }
            }
            if let Some((node, share)) = old.held_requests() {
                self.release_requests(node, &share);
            }
        }
        if let Some(new) = new {
            let entry = (T::KIND, new.meta().key());
            self.uids.insert(new.meta().uid.clone(), entry.clone());
            for owner in &new.meta().owner_references {
                self.dependents
                    .entry(owner.uid.clone())
                    .or_default()
                    .insert(entry.clone());
            }
            if let Some(node) = new.bound_node() {
                self.pods_by_node
                    .entry(node.to_string())
                    .or_default()
                    .insert(entry.1);
            }
            if let Some((node, share)) = new.held_requests() {
                self.requests_by_node
                    .entry(node.to_string())
                    .or_default()
                    .add(&share);
            }
        }
    }

    /// Takes a pod's share out of its node's sums, dropping the entry once no pod holds any.
    fn release_requests(&mut self, node: &str, share: &NodeRequests) {
        if let Some(sums) = self.requests_by_node.get_mut(node) {
            sums.subtract(share);
            if sums.requested.pods == 0 {
                self.requests_by_node.remove(node);
            }
        }
    }
}

/// Kind-generic reads and deletes, for commands and the garbage collector.
impl Store {
    /// The object of `kind` at `key`, cloned into an [`Object`].
    pub fn get_object(&self, kind: Kind, key: &ObjectKey) -> Option<Object> {
        match kind {
            Kind::Namespace => self.namespaces.get(key).cloned().map(Resource::into_object),
            Kind::Node => self.nodes.get(key).cloned().map(Resource::into_object),
            Kind::Pod => self.pods.get(key).cloned().map(Resource::into_object),
            Kind::DaemonSet => self
                .daemon_sets
                .get(key)
                .cloned()
                .map(Resource::into_object),
            Kind::ControllerRevision => self
                .controller_revisions
                .get(key)
                .cloned()
                .map(Resource::into_object),
            Kind::Job => self.jobs.get(key).cloned().map(Resource::into_object),
            Kind::CronJob => self.cron_jobs.get(key).cloned().map(Resource::into_object),
            Kind::ReplicaSet => self
                .replica_sets
                .get(key)
                .cloned()
                .map(Resource::into_object),
            Kind::Deployment => self
                .deployments
                .get(key)
                .cloned()
                .map(Resource::into_object),
        }
    }

    /// Deletes an object of any kind; see [`Store::delete`].
    pub fn delete_any(
        &mut self,
        kind: Kind,
        key: &ObjectKey,
        now: SimTime,
        grace_secs: Option<i64>,
    ) -> Result<DeleteOutcome, ApiError> {
        match kind {
            Kind::Namespace => self.delete::<Namespace>(key, now, grace_secs),
            Kind::Node => self.delete::<Node>(key, now, grace_secs),
            Kind::Pod => self.delete::<Pod>(key, now, grace_secs),
            Kind::DaemonSet => self.delete::<DaemonSet>(key, now, grace_secs),
            Kind::ControllerRevision => self.delete::<ControllerRevision>(key, now, grace_secs),
            Kind::Job => self.delete::<Job>(key, now, grace_secs),
            Kind::CronJob => self.delete::<CronJob>(key, now, grace_secs),
            Kind::ReplicaSet => self.delete::<ReplicaSet>(key, now, grace_secs),
            Kind::Deployment => self.delete::<Deployment>(key, now, grace_secs),
        }
    }

    /// Rewrites the metadata of an object of any kind (used to drop owner references and
    /// finalizers).
    pub fn modify_meta_any(
        &mut self,
        kind: Kind,
        key: &ObjectKey,
        mutate: impl FnOnce(&mut ObjectMeta),
    ) -> Result<(), ApiError> {
        match kind {
            Kind::Namespace => self
                .modify::<Namespace>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::Node => self
                .modify::<Node>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::Pod => self
                .modify::<Pod>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::DaemonSet => self
                .modify::<DaemonSet>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::ControllerRevision => self
                .modify::<ControllerRevision>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::Job => self
                .modify::<Job>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::CronJob => self
                .modify::<CronJob>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::ReplicaSet => self
                .modify::<ReplicaSet>(key, |o| mutate(&mut o.metadata))
                .map(drop),
            Kind::Deployment => self
                .modify::<Deployment>(key, |o| mutate(&mut o.metadata))
                .map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn store_with_default_namespace(rng: &mut ChaCha8Rng) -> Store {
        let mut store = Store::default();
        store
            .create(Namespace::new("default"), SimTime::default(), rng)
            .expect("fresh store");
        store
    }

    #[test]
    fn generated_names_use_the_kubernetes_alphabet() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut store = store_with_default_namespace(&mut rng);
        let mut pod = Pod::new("default", "", "busybox", &[]);
        pod.metadata.generate_name = Some("fluentd-".to_string());
        let created = store
            .create(pod, SimTime::default(), &mut rng)
            .expect("valid pod");
        let suffix = created
            .metadata
            .name
            .strip_prefix("fluentd-")
            .expect("prefix kept");
        assert_eq!(suffix.len(), 5);
        assert!(
            suffix.bytes().all(|b| NAME_ALPHABET.contains(&b)),
            "{suffix}"
        );
        assert_eq!(created.metadata.uid.len(), 36);
        assert_eq!(created.metadata.generation, Some(1));
    }

    #[test]
    fn generation_rises_only_on_spec_change() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut store = store_with_default_namespace(&mut rng);
        let ds = DaemonSet::new("default", "agent", "agent:1");
        store
            .create(ds, SimTime::default(), &mut rng)
            .expect("valid ds");
        let key = ObjectKey::new("default", "agent");
        let after_status = store
            .modify::<DaemonSet>(&key, |ds| ds.status.number_ready = 3)
            .expect("exists");
        assert_eq!(after_status.metadata.generation, Some(1));
        let after_spec = store
            .modify::<DaemonSet>(&key, |ds| ds.spec.min_ready_seconds = Some(5))
            .expect("exists");
        assert_eq!(after_spec.metadata.generation, Some(2));
    }

    #[test]
    fn errors_are_worded_like_the_api_server() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut store = store_with_default_namespace(&mut rng);
        let pod = Pod::new("default", "web", "nginx", &[]);
        store
            .create(pod.clone(), SimTime::default(), &mut rng)
            .expect("first create");
        let clash = store
            .create(pod, SimTime::default(), &mut rng)
            .expect_err("duplicate");
        assert_eq!(clash.to_string(), "pods \"web\" already exists");
        let missing =
            store.delete::<Pod>(&ObjectKey::new("default", "nope"), SimTime::default(), None);
        assert_eq!(
            missing.expect_err("absent").to_string(),
            "pods \"nope\" not found"
        );
        let elsewhere = store.create(
            Pod::new("prod", "web", "nginx", &[]),
            SimTime::default(),
            &mut rng,
        );
        assert_eq!(
            elsewhere.expect_err("no ns").to_string(),
            "namespaces \"prod\" not found"
        );
    }
}
