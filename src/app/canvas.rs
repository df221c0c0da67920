//! The cluster canvas: paints node cards from the layout, crisp at any device pixel ratio.

use super::clock::Clock;
use crate::view::layout::{self, GridStyle, Rect};
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The nodes of the first page, until the simulation core drives the canvas.
const DEMO_NODES: [(&str, &str); 4] = [
    ("control-plane", "control-plane"),
    ("worker-1", "worker"),
    ("worker-2", "worker"),
    ("worker-3", "worker"),
];

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
            paint(&canvas, now.unix_secs());
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

/// Sizes the backing store to CSS size × devicePixelRatio, then draws in CSS pixels.
fn paint(canvas: &HtmlCanvasElement, now_secs: i64) {
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

    let cards = layout::grid(DEMO_NODES.len(), width_css, GridStyle::default());
    for ((name, role), card) in DEMO_NODES.iter().zip(&cards) {
        paint_node(&ctx, card, name, role, now_secs);
    }
}

fn paint_node(ctx: &CanvasRenderingContext2d, card: &Rect, name: &str, role: &str, now_secs: i64) {
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(card.x, card.y, card.w, card.h);
    ctx.set_stroke_style_str("#94a3b8");
    ctx.set_line_width(1.0);
    ctx.stroke_rect(card.x + 0.5, card.y + 0.5, card.w - 1.0, card.h - 1.0);

    let header = if role == "control-plane" {
        "#7c3aed"
    } else {
        "#2563eb"
    };
    ctx.set_fill_style_str(header);
    ctx.fill_rect(card.x, card.y, card.w, 28.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.set_font("600 14px system-ui, sans-serif");
    let _ = ctx.fill_text(name, card.x + 10.0, card.y + 19.0);

    ctx.set_fill_style_str("#334155");
    ctx.set_font("12px system-ui, sans-serif");
    let _ = ctx.fill_text(role, card.x + 10.0, card.y + 48.0);
    let _ = ctx.fill_text("Ready", card.x + 10.0, card.y + 66.0);

    // A heartbeat bar that moves with simulated time, so a paused clock is visibly still.
    let phase = (now_secs.rem_euclid(10)) as f64 / 10.0;
    ctx.set_fill_style_str("#e2e8f0");
    ctx.fill_rect(card.x + 10.0, card.y + card.h - 18.0, card.w - 20.0, 6.0);
    ctx.set_fill_style_str("#22c55e");
    ctx.fill_rect(
        card.x + 10.0,
        card.y + card.h - 18.0,
        (card.w - 20.0) * phase,
        6.0,
    );
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}
