//! The cluster canvas: lays out the current snapshot and paints it, crisp at any pixel ratio.

use super::clock::Clock;
use super::paint;
use crate::view::layout::{self, GridStyle};
use crate::view::snapshot::{ClusterSnapshot, NodeStatus, NodeView, Usage};
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The canvas element and the effect that repaints it whenever time moves or the window resizes.
#[component]
pub fn ClusterCanvas(clock: Clock) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let resized = RwSignal::new(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());

    Effect::new(move |_| {
        let now = clock.now.get();
        resized.track();
        if let Some(canvas) = canvas_ref.get() {
            let snapshot = demo_snapshot(now);
            draw(&canvas, &snapshot);
        }
    });
    view! {
        <canvas
            node_ref=canvas_ref
            class="cluster"
            data-testid="cluster-canvas"
            aria-label="Cluster nodes and pods"
        ></canvas>
    }
}

/// Sizes the backing store to CSS size × devicePixelRatio, then paints in CSS pixels.
fn draw(canvas: &HtmlCanvasElement, snapshot: &ClusterSnapshot) {
    let Some(ctx) = context_2d(canvas) else {
        return;
    };
    let dpr = web_sys::window().map_or(1.0, |window| window.device_pixel_ratio());
    let width_css = f64::from(canvas.client_width().max(1));
    let height_css = f64::from(canvas.client_height().max(1));
    let width_px = (width_css * dpr).round() as u32;
    let height_px = (height_css * dpr).round() as u32;
    if canvas.width() != width_px || canvas.height() != height_px {
        canvas.set_width(width_px);
        canvas.set_height(height_px);
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width_css, height_css);
    let scene = layout::scene(snapshot, width_css, GridStyle::default());
    paint::scene(&ctx, snapshot, &scene);
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

/// Four idle nodes, until the simulation core drives the canvas.
fn demo_snapshot(now: crate::sim::time::SimTime) -> ClusterSnapshot {
    let node = |name: &str, control_plane: bool| NodeView {
        name: name.to_string(),
        control_plane,
        status: NodeStatus::Ready,
        unschedulable: false,
        taints: if control_plane {
            vec!["node-role.kubernetes.io/control-plane:NoSchedule".to_string()]
        } else {
            vec![]
        },
        labels: vec![format!("kubernetes.io/hostname={name}")],
        cpu_milli: Usage {
            used: (now.unix_secs().rem_euclid(60) * 30) as u64,
            allocatable: 2000,
        },
        memory_bytes: Usage {
            used: 0,
            allocatable: 8 << 30,
        },
        pod_count: Usage {
            used: 0,
            allocatable: 110,
        },
        pods: vec![],
    };
    ClusterSnapshot {
        now,
        nodes: vec![
            node("control-plane", true),
            node("worker-1", false),
            node("worker-2", false),
            node("worker-3", false),
        ],
        unscheduled: vec![],
    }
}
