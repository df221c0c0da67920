//! Every file of `shared/testdata/manifests/kubernetes-website/` and the kubernetes.io examples
//! of `src/scenarios/`, applied unmodified, behaving as the shared README says a real cluster
//! behaves with them.

mod common;

use common::*;
use kubarium::sim::cluster::Settings;
use kubarium::sim::model::{
    CompletionMode, DaemonSet, Job, JobConditionType, ObjectKey, PodFailurePolicyAction,
    RestartPolicy,
};
use kubarium::sim::{DEFAULT_START, Sim};

fn fluentd(sim: &Sim) -> DaemonSet {
    sim.store()
        .daemon_sets()
        .get(&ObjectKey::new("kube-system", "fluentd-elasticsearch"))
        .cloned()
        .expect("applied")
}

fn job(sim: &Sim, name: &str) -> Job {
    sim.store()
        .get::<Job>(&ObjectKey::new("default", name))
        .cloned()
        .expect("applied")
}

fn daemon_pod_nodes(sim: &Sim) -> Vec<String> {
    let mut nodes: Vec<String> = sim
        .store()
        .pods()
        .in_namespace("kube-system")
        .filter(|p| !p.metadata.is_terminating())
        .filter_map(|p| p.node_name().map(str::to_string))
        .collect();
    nodes.sort();
    nodes
}

/// daemonset.yaml tolerates only the old `node-role.kubernetes.io/master` taint, so the
/// kubeadm control-plane node (tainted `control-plane:NoSchedule`) gets no pod.
#[test]
fn daemonset_yaml_skips_the_control_plane_node_it_does_not_tolerate() {
    let sim = cluster_with_fluentd();
    let ds = fluentd(&sim);
    assert_eq!(ds.status.desired_number_scheduled, 2);
    assert_eq!(ds.status.number_ready, 2);
    assert_eq!(daemon_pod_nodes(&sim), vec!["worker-1", "worker-2"]);
}

/// The kubernetes.io fluentd example of `src/scenarios/` tolerates the control-plane taint.
#[test]
fn the_scenario_fluentd_example_runs_on_every_node() {
    let mut sim = cluster();
    let out = apply(&mut sim, &example("fluentd-elasticsearch.yaml"));
    assert_eq!(out.stdout, "daemonset.apps/fluentd-elasticsearch created\n");
    advance_secs(&mut sim, 30);
    assert_eq!(
        daemon_pod_nodes(&sim),
        vec!["control-plane", "worker-1", "worker-2"]
    );
}

/// fluentd-daemonset-update.yaml updates the same DaemonSet: a new image, replaced by a
/// RollingUpdate with maxUnavailable 1 (never more than one node without a ready pod).
#[test]
fn fluentd_update_rolls_out_one_node_at_a_time() {
    let mut sim = Sim::starting_at(SEED, Settings::default(), DEFAULT_START);
    for name in ["worker-1", "worker-2", "worker-3"] {
        sim.submit(kubarium::sim::command::Command::add_node(name))
            .expect("new node");
    }
    apply(&mut sim, &shared("kubernetes-website/daemonset.yaml"));
    advance_secs(&mut sim, 60);
    let out = apply(
        &mut sim,
        &shared("kubernetes-website/fluentd-daemonset-update.yaml"),
    );
    assert_eq!(
        out.stdout,
        "daemonset.apps/fluentd-elasticsearch configured\n"
    );
    let mut most_unavailable = 0;
    for _ in 0..120 {
        advance_secs(&mut sim, 1);
        let ds = fluentd(&sim);
        most_unavailable = most_unavailable.max(ds.status.number_unavailable);
    }
    let ds = fluentd(&sim);
    assert_eq!(most_unavailable, 1);
    assert_eq!(ds.status.updated_number_scheduled, 3);
    assert_eq!(ds.status.number_available, 3);
    let images: Vec<String> = sim
        .store()
        .pods()
        .in_namespace("kube-system")
        .map(|p| p.spec.containers[0].image.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        images,
        vec!["quay.io/fluentd_elasticsearch/fluentd:v2.5.2"; 3]
    );
    assert_eq!(sim.store().controller_revisions().len(), 2);
}

/// job.yaml is the pi Job: one pod, restartPolicy Never, backoffLimit 4.
#[test]
fn job_yaml_is_the_pi_job() {
    let mut sim = cluster();
    let out = apply(&mut sim, &shared("kubernetes-website/job.yaml"));
    assert_output(&out, "job.batch/pi created\n", "", 0);
    let pi = job(&sim, "pi");
    assert_eq!(pi.backoff_limit(), 4);
    assert_eq!(pi.completions(), Some(1));
    assert_eq!(pi.parallelism(), 1);
    assert_eq!(pi.restart_policy(), RestartPolicy::Never);
    advance_secs(&mut sim, 30);
    let pi = job(&sim, "pi");
    assert_eq!((pi.status.succeeded, pi.status.failed), (1, 0));
    let complete = pi.condition(JobConditionType::Complete).expect("complete");
    assert_eq!(complete.reason.as_deref(), Some("CompletionsReached"));
    // The pod runs 5 s (`bpi(1000)`); the Job controller's one-second batch period for pod
    // updates (`syncJobBatchPeriod`) makes the Job complete a second later.
    let out = kubectl(&mut sim, "get jobs");
    assert_eq!(
        out.stdout,
        "NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           6s         30s\n"
    );
}

/// cronjob-batch-v1beta1.yaml is refused since Kubernetes 1.25, with kubectl's message.
#[test]
fn cronjob_batch_v1beta1_is_rejected_with_kubectls_message() {
    let mut sim = cluster();
    let before = fingerprint(&sim);
    let out = apply(
        &mut sim,
        &shared("kubernetes-website/cronjob-batch-v1beta1.yaml"),
    );
    assert_output(
        &out,
        "",
        "error: resource mapping not found for name: \"hello\" namespace: \"\" from \"STDIN\": \
         no matches for kind \"CronJob\" in version \"batch/v1beta1\"\n\
         ensure CRDs are installed first\n",
        1,
    );
    assert_eq!(fingerprint(&sim), before);
}

/// The same CronJob under batch/v1 is the hello example: it applies and creates a Job each
/// minute.
#[test]
fn hello_cronjob_under_batch_v1_runs_every_minute() {
    let v1beta1 =
        kubarium::manifest::parse_values(&shared("kubernetes-website/cronjob-batch-v1beta1.yaml"))
            .expect("YAML");
    let v1 = kubarium::manifest::parse_values(&example("hello-cronjob.yaml")).expect("YAML");
    assert_eq!(v1[0]["apiVersion"], "batch/v1");
    assert_eq!(v1[0]["spec"]["schedule"], v1beta1[0]["spec"]["schedule"]);
    let mut sim = cluster();
    let out = apply(&mut sim, &example("hello-cronjob.yaml"));
    assert_output(&out, "cronjob.batch/hello created\n", "", 0);
    advance_secs(&mut sim, 150);
    let jobs: Vec<String> = sim
        .store()
        .list::<Job>()
        .map(|j| j.metadata.name.clone())
        .collect();
    assert_eq!(jobs, vec!["hello-28401121", "hello-28401122"]);
}

/// indexed-job.yaml is JSON-flavoured YAML: an Indexed Job, 5 completions, 3 in parallel, an
/// init container.
#[test]
fn indexed_job_yaml_parses_as_an_indexed_job() {
    let mut sim = cluster();
    let out = apply(&mut sim, &shared("kubernetes-website/indexed-job.yaml"));
    assert_eq!(out.stdout, "job.batch/indexed-job created\n");
    let indexed = job(&sim, "indexed-job");
    assert_eq!(indexed.completion_mode(), CompletionMode::Indexed);
    assert_eq!(indexed.completions(), Some(5));
    assert_eq!(indexed.parallelism(), 3);
    assert_eq!(indexed.spec.template.spec.init_containers.len(), 1);
    assert_eq!(indexed.spec.template.spec.init_containers[0].name, "input");
}

/// job-pod-failure-policy-example.yaml: the FailJob rule on exit code 42 of `main`.
#[test]
fn pod_failure_policy_example_keeps_its_rules() {
    let mut sim = cluster();
    let out = apply(
        &mut sim,
        &shared("kubernetes-website/job-pod-failure-policy-example.yaml"),
    );
    assert_output(
        &out,
        "job.batch/job-pod-failure-policy-example created\n",
        "",
        0,
    );
    let example = job(&sim, "job-pod-failure-policy-example");
    let policy = example.spec.pod_failure_policy.clone().expect("kept");
    assert_eq!(policy.rules.len(), 2);
    assert_eq!(policy.rules[0].action, PodFailurePolicyAction::FailJob);
    let on_exit = policy.rules[0].on_exit_codes.as_ref().expect("onExitCodes");
    assert_eq!(on_exit.values, vec![42]);
    assert_eq!(on_exit.container_name.as_deref(), Some("main"));
    assert_eq!(example.backoff_limit(), 6);
    assert_eq!(example.completions(), Some(12));
    advance_secs(&mut sim, 10);
    let example = job(&sim, "job-pod-failure-policy-example");
    let failed = example.condition(JobConditionType::Failed).expect("failed");
    assert_eq!(failed.reason.as_deref(), Some("PodFailurePolicy"));
    assert_eq!(example.status.succeeded, 0);
}

/// The pi and nginx examples of `src/scenarios/` apply; nginx runs its three replicas.
#[test]
fn scenario_examples_apply() {
    let mut sim = cluster();
    assert_eq!(
        apply(&mut sim, &example("pi-job.yaml")).stdout,
        "job.batch/pi created\n"
    );
    assert_output(
        &apply(&mut sim, &example("nginx-deployment.yaml")),
        "deployment.apps/nginx-deployment created\n",
        "Warning: not simulated: spec.template.spec.containers[0].ports\n",
        0,
    );
    advance_secs(&mut sim, 30);
    let ready = sim
        .store()
        .pods()
        .in_namespace("default")
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("nginx"))
        .filter(|p| p.is_ready())
        .count();
    assert_eq!(ready, 3);
}
