//! Deployment controller scenarios on the instant clock.

mod workload_support;

use kubarium::sim::command::Command;
use kubarium::sim::model::*;
use workload_support::*;

#[test]
fn explore() {
    let mut sim = instant_sim(1, &["node-a", "node-b", "node-c"]);
    ok(
        &mut sim,
        Command::apply(Deployment::new(
            "default",
            "nginx-deployment",
            "nginx:1.14.2",
            3,
        )),
    );
    sim.advance_by(secs(1)).expect("bounded");
    for e in sim.events().iter() {
        println!(
            "{} {} {} {}",
            e.event.involved_object.name, e.event.reason, e.event.message, e.why
        );
    }
    println!("{:#?}", deploy(&sim, "nginx-deployment").status);
    println!("{:?}", rs_sizes(&sim, "nginx-deployment"));
    let mut d = deploy(&sim, "nginx-deployment");
    d.set_image("nginx:1.16.1");
    ok(&mut sim, Command::apply(d));
    sim.advance_by(secs(1)).expect("bounded");
    for e in sim
        .events()
        .iter()
        .filter(|e| e.event.involved_object.kind == "Deployment")
    {
        println!(
            "{} {} {}",
            e.event.involved_object.name, e.event.reason, e.event.message
        );
    }
    println!("{:#?}", deploy(&sim, "nginx-deployment"));
    panic!();
}
