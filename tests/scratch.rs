use kubarium::kubectl;
use kubarium::scenario::{Runner, Scenario};
use kubarium::sim::time::SimDuration;

#[test]
fn scratch() {
    let scenario = Scenario::parse(kubarium::scenario::DEFAULT).unwrap();
    let (mut runner, loaded) = Runner::new(scenario, None).unwrap();
    println!(
        "skipped {:#?}\nwarnings {:#?}",
        loaded.skipped, loaded.warnings
    );
    runner.run_to(SimDuration::from_secs(90)).unwrap();
    for line in [
        "get nodes",
        "get nodes -o wide",
        "get pods -A -o wide",
        "get ds -A",
        "get ds -n kube-system -o wide --show-labels",
        "get all -A",
        "get events -A",
        "get controllerrevisions -A",
        "get ns",
        "describe node worker-1",
        "describe ds -n kube-system",
        "gte pods",
        "get pods --foo",
        "get jobs",
        "get pods",
        "get pod nope",
        "drain worker-1",
        "rollout history ds/fluentd-elasticsearch -n kube-system",
        "explain ds.spec",
    ] {
        let out = kubectl::run(&mut runner.sim, line, None);
        println!(
            "$ kubectl {line}\n{}{}[exit {}]",
            out.stdout, out.stderr, out.exit_code
        );
    }
}
