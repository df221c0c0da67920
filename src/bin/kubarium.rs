//! The headless command-line runner: runs scenarios and schedules natively, without a browser.

fn main() {
    // TODO(#6): scenario runner, kubectl and schedule subcommands.
    println!("kubarium {}", env!("CARGO_PKG_VERSION"));
}
