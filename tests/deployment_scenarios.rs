//! Deployment controller scenarios on the instant clock: rolling updates step by step for each
//! surge/unavailable setting, Recreate, undo, restart, pause, history, a stuck rollout reaching
//! ProgressDeadlineExceeded, and validation.
//!
//! New templates carry `kubarium.dev/image-pull-seconds: 5` and `imagePullPolicy: Always`, so
//! each new pod becomes Ready exactly 5 s after it is created and every rollout step is visible
//! at its own instant.

mod workload_support;

use kubarium::sim::Sim;
use kubarium::sim::command::Command;
use kubarium::sim::model::deployment::{REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION};
use kubarium::sim::model::*;
use workload_support::*;

const WEB: &str = "web";

fn int(n: i32) -> IntOrString {
    IntOrString::Int(n)
}

fn pct(text: &str) -> IntOrString {
    IntOrString::String(text.into())
}

/// Applies the Deployment and lets its first rollout finish.
fn start(sim: &mut Sim, d: Deployment) {
    ok(sim, Command::apply(d));
    sim.advance_by(secs(1)).expect("bounded");
}

/// `kubectl set image` to `image`, with pulls of the new pods taking exactly 5 s.
fn set_slow_image(sim: &mut Sim, image: &str) {
    let mut d = deploy(sim, WEB);
    d.set_image(image);
    let template = &mut d.spec.template;
    template
        .metadata
        .annotations
        .insert("kubarium.dev/image-pull-seconds".into(), "5".into());
    template.spec.containers[0].image_pull_policy = Some("Always".into());
    assert_eq!(ok(sim, Command::apply(d)), "deployment.apps/web configured");
}

/// The (old, new) ReplicaSet sizes at each instant `t0 + 5 s × i`.
fn steps(sim: &mut Sim, t0: i64, count: i64) -> Vec<Vec<i32>> {
    (0..count)
        .map(|i| {
            sim.advance_to(at(t0 + 5 * i)).expect("bounded");
            sizes(sim, WEB)
        })
        .collect()
}

fn scaling_messages(sim: &Sim) -> Vec<String> {
    messages(sim, "ScalingReplicaSet")
        .into_iter()
        .map(|m| {
            let parts: Vec<&str> = m.split(' ').collect();
            let rs = parts[4].rsplit('-').next().unwrap_or("");
            let role = if rs == old_hash(sim) { "old" } else { "new" };
            format!("{} {role} {} {}", parts[1], parts[6], parts[8])
        })
        .collect()
}

fn old_hash(sim: &Sim) -> String {
    rs_sizes(sim, WEB)[0]
        .0
        .rsplit('-')
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn deploy_first_rollout_names_the_replica_set_after_the_template_hash() {
    let mut sim = instant_sim(1, &["node-a", "node-b", "node-c"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    let sets = rs_sizes(&sim, WEB);
    assert_eq!(sets.len(), 1);
    let (name, size) = &sets[0];
    let hash = name.strip_prefix("web-").expect("<deployment>-<hash>");
    assert_eq!(size, &3);
    let rs = rs(&sim, name);
    assert_eq!(
        rs.metadata
            .labels
            .get("pod-template-hash")
            .map(String::as_str),
        Some(hash)
    );
    assert_eq!(
        rs.spec
            .selector
            .as_ref()
            .and_then(|s| s.match_labels.get("pod-template-hash"))
            .map(String::as_str),
        Some(hash)
    );
    assert_eq!(
        rs.metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(
        rs.metadata
            .annotations
            .get("deployment.kubernetes.io/desired-replicas")
            .map(String::as_str),
        Some("3")
    );
    assert_eq!(
        rs.metadata
            .annotations
            .get("deployment.kubernetes.io/max-replicas")
            .map(String::as_str),
        Some("4")
    );
    assert_eq!(
        messages(&sim, "ScalingReplicaSet"),
        vec![format!("Scaled up replica set {name} from 0 to 3")]
    );
    let d = deploy(&sim, WEB);
    assert_eq!(
        d.metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("1")
    );
    let s = &d.status;
    assert_eq!(
        (
            s.replicas,
            s.updated_replicas,
            s.ready_replicas,
            s.available_replicas,
            s.unavailable_replicas
        ),
        (3, 3, 3, 3, 0)
    );
    assert_eq!(s.observed_generation, Some(1));
    assert_eq!(
        cond(&sim, WEB, "Available"),
        Some((ConditionStatus::True, "MinimumReplicasAvailable".into()))
    );
    assert_eq!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::True, "NewReplicaSetAvailable".into()))
    );
    assert_eq!(
        d.status
            .condition("Progressing")
            .and_then(|c| c.message.clone()),
        Some(format!(
            "ReplicaSet \"{name}\" has successfully progressed."
        ))
    );
    assert!(active_pods(&sim, &format!("{name}-")).len() == 3);
}

/// Defaults 25 %/25 % of 3: surge rounds up to 1, unavailable rounds down to 0.
#[test]
fn deploy_rolling_update_default_25_percent_of_3() {
    let mut sim = instant_sim(2, &["node-a", "node-b", "node-c"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    let seen = steps(&mut sim, 10, 4);
    assert_eq!(seen, vec![vec![3, 1], vec![2, 2], vec![1, 3], vec![0, 3]]);
    assert_eq!(
        scaling_messages(&sim),
        vec![
            "up old 0 3",
            "up new 0 1",
            "down old 3 2",
            "up new 1 2",
            "down old 2 1",
            "up new 2 3",
            "down old 1 0"
        ]
    );
    assert_eq!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::True, "NewReplicaSetAvailable".into()))
    );
    assert_eq!(
        deploy(&sim, WEB)
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("2")
    );
}

/// maxSurge 0, maxUnavailable 1 of 4: an old pod goes first, then a new one comes.
#[test]
fn deploy_rolling_update_max_surge_0_max_unavailable_1() {
    let mut sim = instant_sim(3, &["node-a", "node-b"]);
    start(
        &mut sim,
        Deployment::new("default", WEB, "nginx:1.14.2", 4).with_rolling_update(int(0), int(1)),
    );
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    let seen = steps(&mut sim, 10, 5);
    assert_eq!(
        seen,
        vec![vec![3, 1], vec![2, 2], vec![1, 3], vec![0, 4], vec![0, 4]]
    );
    let d = deploy(&sim, WEB);
    assert_eq!(
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.available_replicas
        ),
        (4, 4, 4)
    );
}

/// maxSurge 2, maxUnavailable 0 of 4: two extra pods first; old ones leave only when new ones
/// are available.
#[test]
fn deploy_rolling_update_max_surge_2_max_unavailable_0() {
    let mut sim = instant_sim(4, &["node-a", "node-b"]);
    start(
        &mut sim,
        Deployment::new("default", WEB, "nginx:1.14.2", 4).with_rolling_update(int(2), int(0)),
    );
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    sim.advance_to(at(10)).expect("bounded");
    assert_eq!(
        deploy(&sim, WEB).status.available_replicas,
        4,
        "never below 4 available"
    );
    let seen = steps(&mut sim, 10, 3);
    assert_eq!(seen, vec![vec![4, 2], vec![2, 4], vec![0, 4]]);
}

/// 50 % / 50 % of 4: surge 2 and unavailable 2 move half the pods at once.
#[test]
fn deploy_rolling_update_50_percent_surge_and_unavailable() {
    let mut sim = instant_sim(5, &["node-a", "node-b"]);
    start(
        &mut sim,
        Deployment::new("default", WEB, "nginx:1.14.2", 4)
            .with_rolling_update(pct("50%"), pct("50%")),
    );
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    let seen = steps(&mut sim, 10, 2);
    assert_eq!(seen, vec![vec![2, 4], vec![0, 4]]);
    assert_eq!(
        scaling_messages(&sim),
        vec![
            "up old 0 4",
            "up new 0 2",
            "down old 4 2",
            "up new 2 4",
            "down old 2 0"
        ]
    );
}

/// Recreate: all old pods go, and the new ReplicaSet is only created once none is left.
#[test]
fn deploy_recreate_waits_for_every_old_pod_to_terminate() {
    let mut sim = instant_sim(6, &["node-a", "node-b"]);
    let mut d = Deployment::new("default", WEB, "nginx:1.14.2", 3).with_recreate();
    d.spec
        .template
        .metadata
        .annotations
        .insert("kubarium.dev/stop-seconds".into(), "4".into());
    start(&mut sim, d);
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    sim.advance_to(at(10)).expect("bounded");
    assert_eq!(
        sizes(&sim, WEB),
        vec![0],
        "old scaled to 0, no new ReplicaSet yet"
    );
    sim.advance_to(at(13)).expect("bounded");
    assert_eq!(sizes(&sim, WEB), vec![0]);
    sim.advance_to(at(14)).expect("bounded");
    assert_eq!(
        sizes(&sim, WEB),
        vec![0, 3],
        "created when the last old pod was gone"
    );
    assert_eq!(
        cond(&sim, WEB, "Available"),
        Some((ConditionStatus::False, "MinimumReplicasUnavailable".into()))
    );
    sim.advance_to(at(19)).expect("bounded");
    assert_eq!(
        cond(&sim, WEB, "Available"),
        Some((ConditionStatus::True, "MinimumReplicasAvailable".into()))
    );
}

/// Undo restores revision 1's template into the Deployment; its old ReplicaSet becomes
/// revision 3 and remembers it was revision 1.
#[test]
fn deploy_rollout_undo_returns_to_the_previous_revision() {
    let mut sim = instant_sim(7, &["node-a", "node-b", "node-c"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    let first = rs_sizes(&sim, WEB)[0].0.clone();
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    sim.advance_to(at(30)).expect("bounded");
    let undo = |to_revision| Command::RolloutUndo {
        namespace: "default".into(),
        name: WEB.into(),
        to_revision,
    };
    assert_eq!(
        sim.submit(undo(9)).expect_err("no revision 9").to_string(),
        "unable to find specified revision 9 in history"
    );
    assert_eq!(
        ok(&mut sim, undo(2)),
        "deployment.apps/web skipped rollback (current template already matches revision 2)"
    );
    assert_eq!(ok(&mut sim, undo(0)), "deployment.apps/web rolled back");
    sim.advance_to(at(31)).expect("bounded");
    let restored = rs(&sim, &first);
    assert_eq!(restored.replicas(), 3);
    assert_eq!(
        restored
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("3")
    );
    assert_eq!(
        restored
            .metadata
            .annotations
            .get(REVISION_HISTORY_ANNOTATION)
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(sizes(&sim, WEB), vec![3, 0]);
    let d = deploy(&sim, WEB);
    assert_eq!(
        d.spec.template.spec.containers[0].image.as_deref(),
        Some("nginx:1.14.2")
    );
    assert_eq!(
        d.metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("3")
    );
    let history = kubarium::sim::rollout::history(sim.store(), "default", WEB).expect("exists");
    let revisions: Vec<i64> = history.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, vec![2, 3]);
}

/// `rollout restart` stamps the template, which rolls out a new ReplicaSet with the same image.
#[test]
fn deploy_rollout_restart_rolls_out_fresh_pods() {
    let mut sim = instant_sim(8, &["node-a", "node-b", "node-c"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    sim.advance_to(at(60)).expect("bounded");
    let restart = Command::RolloutRestart {
        namespace: "default".into(),
        name: WEB.into(),
    };
    assert_eq!(ok(&mut sim, restart), "deployment.apps/web restarted");
    sim.advance_to(at(61)).expect("bounded");
    let d = deploy(&sim, WEB);
    assert_eq!(
        d.spec
            .template
            .metadata
            .annotations
            .get("kubectl.kubernetes.io/restartedAt")
            .map(String::as_str),
        Some("2024-01-01T00:01:00Z")
    );
    assert_eq!(sizes(&sim, WEB), vec![0, 3]);
    assert_eq!(
        d.metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(String::as_str),
        Some("2")
    );
}

/// A paused Deployment records `DeploymentPaused` and does not roll out a template change, but
/// still scales; resuming rolls out.
#[test]
fn deploy_paused_scales_but_does_not_roll_out() {
    let mut sim = instant_sim(9, &["node-a", "node-b"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 2));
    let pause = |paused| Command::RolloutPause {
        namespace: "default".into(),
        name: WEB.into(),
        paused,
    };
    assert_eq!(ok(&mut sim, pause(true)), "deployment.apps/web paused");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::Unknown, "DeploymentPaused".into()))
    );
    set_slow_image(&mut sim, "nginx:1.16.1");
    ok(
        &mut sim,
        Command::Scale {
            kind: Kind::Deployment,
            namespace: "default".into(),
            name: WEB.into(),
            replicas: 4,
        },
    );
    sim.advance_by(secs(10)).expect("bounded");
    assert_eq!(sizes(&sim, WEB), vec![4], "scaled, not rolled out");
    assert_eq!(ok(&mut sim, pause(false)), "deployment.apps/web resumed");
    sim.advance_by(secs(1)).expect("bounded");
    assert_eq!(
        sizes(&sim, WEB),
        vec![3, 2],
        "surge 1 and unavailable 1 of 4 move two pods at once"
    );
    assert!(matches!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::True, _))
    ));
}

/// A new template whose container crashes at once never becomes ready: the rollout stops at one
/// new pod and is reported failed exactly 600 s (+ the 1 s requeue) after its last progress.
#[test]
fn deploy_stuck_rollout_reaches_progress_deadline_exceeded() {
    let mut sim = instant_sim(10, &["node-a", "node-b", "node-c"]);
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    sim.advance_to(at(100)).expect("bounded");
    let mut d = deploy(&sim, WEB);
    d.set_image("nginx:broken");
    let annotations = &mut d.spec.template.metadata.annotations;
    annotations.insert("kubarium.dev/run-seconds".into(), "0".into());
    annotations.insert("kubarium.dev/exit-code".into(), "1".into());
    ok(&mut sim, Command::apply(d));
    sim.advance_to(at(101)).expect("bounded");
    assert_eq!(sizes(&sim, WEB), vec![3, 1]);
    assert_eq!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::True, "ReplicaSetUpdated".into()))
    );
    sim.advance_to(at(700)).expect("bounded");
    assert_eq!(
        cond(&sim, WEB, "Progressing"),
        Some((ConditionStatus::True, "ReplicaSetUpdated".into()))
    );
    let failed_at = sim
        .run_until(
            |s| cond(s, WEB, "Progressing").is_some_and(|c| c.1 == "ProgressDeadlineExceeded"),
            secs(60),
        )
        .expect("times out");
    assert_eq!(
        failed_at,
        at(701),
        "last progress at 100 s + 600 s deadline, checked 1 s later"
    );
    let d = deploy(&sim, WEB);
    let progressing = d.status.condition("Progressing").expect("set");
    assert_eq!(progressing.status, ConditionStatus::False);
    let new_rs = &rs_sizes(&sim, WEB)[1].0;
    assert_eq!(
        progressing.message.clone(),
        Some(format!(
            "ReplicaSet \"{new_rs}\" has timed out progressing."
        ))
    );
    assert_eq!(
        cond(&sim, WEB, "Available"),
        Some((ConditionStatus::True, "MinimumReplicasAvailable".into()))
    );
    assert_eq!(
        sizes(&sim, WEB),
        vec![3, 1],
        "a failed rollout is not undone automatically"
    );
    assert_eq!(
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.unavailable_replicas
        ),
        (4, 1, 1)
    );
}

/// revisionHistoryLimit 2 keeps only the two newest empty ReplicaSets.
#[test]
fn deploy_history_is_cleaned_beyond_the_revision_history_limit() {
    let mut sim = instant_sim(11, &["node-a"]);
    let mut d = Deployment::new("default", WEB, "nginx:1.0", 1);
    d.spec.revision_history_limit = Some(2);
    start(&mut sim, d);
    for (i, tag) in ["1.1", "1.2", "1.3", "1.4"].iter().enumerate() {
        sim.advance_to(at(10 * (i as i64 + 1))).expect("bounded");
        let mut d = deploy(&sim, WEB);
        d.set_image(&format!("nginx:{tag}"));
        ok(&mut sim, Command::apply(d));
    }
    sim.advance_to(at(60)).expect("bounded");
    let history = kubarium::sim::rollout::history(sim.store(), "default", WEB).expect("exists");
    let revisions: Vec<i64> = history.iter().map(|e| e.revision).collect();
    assert_eq!(revisions, vec![3, 4, 5]);
}

/// A scale during a rolling update is spread over both ReplicaSets in proportion.
#[test]
fn deploy_scaling_mid_rollout_is_proportional() {
    let mut sim = instant_sim(12, &["node-a", "node-b"]);
    start(
        &mut sim,
        Deployment::new("default", WEB, "nginx:1.14.2", 10).with_rolling_update(int(3), int(2)),
    );
    sim.advance_to(at(10)).expect("bounded");
    set_slow_image(&mut sim, "nginx:1.16.1");
    sim.advance_to(at(10)).expect("bounded");
    assert_eq!(sizes(&sim, WEB), vec![8, 5]);
    ok(
        &mut sim,
        Command::Scale {
            kind: Kind::Deployment,
            namespace: "default".into(),
            name: WEB.into(),
            replicas: 20,
        },
    );
    sim.advance_to(at(11)).expect("bounded");
    assert_eq!(
        sizes(&sim, WEB),
        vec![14, 9],
        "13 → 23 pods allowed, split 8:5 and rounded"
    );
}

#[test]
fn deploy_validation_rejects_both_zero_and_mismatched_selectors() {
    let mut sim = instant_sim(1, &[]);
    let both_zero =
        Deployment::new("default", WEB, "nginx:1.14.2", 3).with_rolling_update(int(0), pct("0%"));
    assert_eq!(
        sim.submit(Command::apply(both_zero))
            .expect_err("invalid")
            .to_string(),
        "Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid \
         value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when \
          `maxSurge` is 0"
    );
    let mut mismatch = Deployment::new("default", WEB, "nginx:1.14.2", 3);
    mismatch
        .spec
        .template
        .metadata
        .labels
        .insert("app".into(), "x".into());
    assert_eq!(
        sim.submit(Command::apply(mismatch))
            .expect_err("invalid")
            .to_string(),
        "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: \
         map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"
    );
    start(&mut sim, Deployment::new("default", WEB, "nginx:1.14.2", 3));
    let mut moved = deploy(&sim, WEB);
    moved.spec.selector = Some(LabelSelector::from_labels(&[("app", "web"), ("tier", "x")]));
    moved
        .spec
        .template
        .metadata
        .labels
        .insert("tier".into(), "x".into());
    assert_eq!(
        sim.submit(Command::apply(moved))
            .expect_err("immutable")
            .to_string(),
        "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: \
         \"{\\\"matchLabels\\\":{\\\"app\\\":\\\"web\\\",\\\"tier\\\":\\\"x\\\"}}\": \
          field is immutable"
    );
}
