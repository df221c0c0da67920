//! The current state of a cluster as a scenario file the playground can save and load again.

use super::{API_VERSION, Scenario, format_duration};
use crate::manifest::{export_cluster, to_yaml};
use crate::sim::Sim;
use crate::sim::time::SimDuration;
use serde_json::json;

impl Scenario {
    /// The cluster as a scenario starting now: the Scenario document (start time = the current
    /// simulated instant, the seed, the kubelet delays) followed by every node and every object
    /// no controller owns, as manifests. Controllers recreate what they own when it is loaded.
    ///
    /// DIVERGENCE: pods, their phases and the Event log are not carried over; loading the
    /// result replays the workloads from their manifests.
    pub fn to_yaml(sim: &Sim, name: &str) -> String {
        let settings = &sim.cluster().settings;
        let ms = |v: i64| format_duration(SimDuration::from_ms(v));
        let doc = json!({
            "apiVersion": API_VERSION,
            "kind": "Scenario",
            "metadata": { "name": name },
            "spec": {
                "startTime": sim.now().to_rfc3339(),
                "seed": sim.seed(),
                "kubelet": {
                    "imagePullMin": ms(settings.image_pull_min_ms),
                    "imagePullMax": ms(settings.image_pull_max_ms),
                    "containerStart": ms(settings.container_start_ms),
                },
            }
        });
        let mut documents = vec![to_yaml(&doc)];
        documents.extend(export_cluster(sim.store(), true).iter().map(to_yaml));
        documents.join("---\n")
    }
}
