//! Paints a laid-out [`Scene`] onto a 2D canvas context, in canvas CSS pixels.
//!
//! The caller has already scaled the context for the device pixel ratio and the current pan and
//! zoom; everything here speaks in content coordinates (`pos_in_content`).

use super::selection::Selection;
use crate::sim::time::SimTime;
use crate::view::anim::{Animator, TileEffect};
use crate::view::layout::{CARD_HEAD_H, NodeCard, Rect, Scene, TILE_SIZE};
use crate::view::palette::{BARE_POD_COLOUR, node_header_colour, owner_colours};
use crate::view::snapshot::{ClusterSnapshot, NodeView, OwnerView, PodMark, PodView};
use std::collections::BTreeMap;
use web_sys::CanvasRenderingContext2d;

const INK: &str = "#0f172a";
const MUTED: &str = "#475569";
const CARD_FILL: &str = "#ffffff";
const CARD_EDGE: &str = "#94a3b8";

/// What one frame needs beyond the snapshot: the simulated instant and the user's choices.
pub struct Frame<'a> {
    /// The simulated instant, for transition effects.
    pub now: SimTime,
    /// Whether to skip movement.
    pub reduced_motion: bool,
    /// The selected object, outlined.
    pub selected: Option<&'a Selection>,
}

/// Draws every card, tile and the unscheduled tray, and outlines the selected object.
pub fn scene(
    ctx: &CanvasRenderingContext2d,
    snapshot: &ClusterSnapshot,
    scene: &Scene,
    animator: &Animator,
    frame: &Frame<'_>,
) {
    let colours = owner_colours(snapshot);
    let selected = frame.selected;
    for (node, card) in snapshot.nodes.iter().zip(&scene.cards) {
        ctx.set_global_alpha(animator.node_alpha(&node.name, frame.now, frame.reduced_motion));
        node_card(ctx, node, card);
        ctx.set_global_alpha(1.0);
        if selected == Some(&Selection::Node(node.name.clone())) {
            highlight(ctx, &card.rect);
        }
        for (pod, tile) in node.pods.iter().zip(&card.tiles) {
            let effect =
                animator.pod_effect(&pod.namespace, &pod.name, frame.now, frame.reduced_motion);
            animated_tile(
                ctx,
                pod,
                tile,
                colour_of(&colours, pod.owner.as_ref()),
                effect,
            );
            if is_selected(selected, pod) {
                highlight(ctx, tile);
            }
        }
        if card.hidden_pods > 0 {
            let after = card
                .tiles
                .last()
                .map_or(card.rect.x + 8.0, |t| t.x + TILE_SIZE + 4.0);
            let y = card.tiles.last().map_or(card.rect.y + CARD_HEAD_H, |t| t.y);
            text(
                ctx,
                &format!("+{}", card.hidden_pods),
                after,
                y + 12.0,
                "11px",
                MUTED,
            );
        }
    }
    if let Some(tray) = &scene.tray {
        ctx.set_fill_style_str("#fff7ed");
        ctx.fill_rect(tray.rect.x, tray.rect.y, tray.rect.w, tray.rect.h);
        ctx.set_stroke_style_str("#fdba74");
        ctx.stroke_rect(
            tray.rect.x + 0.5,
            tray.rect.y + 0.5,
            tray.rect.w - 1.0,
            tray.rect.h - 1.0,
        );
        let title = format!("Pending, not scheduled ({})", snapshot.unscheduled.len());
        text(
            ctx,
            &title,
            tray.rect.x + 8.0,
            tray.rect.y + 16.0,
            "600 12px",
            "#9a3412",
        );
        for (pod, tile) in snapshot.unscheduled.iter().zip(&tray.tiles) {
            let effect =
                animator.pod_effect(&pod.namespace, &pod.name, frame.now, frame.reduced_motion);
            animated_tile(
                ctx,
                pod,
                tile,
                colour_of(&colours, pod.owner.as_ref()),
                effect,
            );
            if is_selected(selected, pod) {
                highlight(ctx, tile);
            }
        }
    }
}

/// A tile under its transition effect: scaled about its centre, shifted, ringed, badged.
fn animated_tile(
    ctx: &CanvasRenderingContext2d,
    pod: &PodView,
    tile: &Rect,
    colour: &str,
    effect: TileEffect,
) {
    let w = tile.w * effect.scale;
    let h = tile.h * effect.scale;
    let drawn = Rect {
        x: tile.x + (tile.w - w) / 2.0 + effect.dx,
        y: tile.y + (tile.h - h) / 2.0,
        w,
        h,
    };
    pod_tile(ctx, pod, &drawn, colour);
    if let Some((ring, alpha)) = effect.ring {
        ctx.set_global_alpha(alpha);
        ctx.set_stroke_style_str(ring);
        ctx.set_line_width(2.0);
        ctx.stroke_rect(drawn.x - 2.0, drawn.y - 2.0, drawn.w + 4.0, drawn.h + 4.0);
        ctx.set_global_alpha(1.0);
        ctx.set_line_width(1.0);
    }
    if let Some(restarts) = effect.restart_badge {
        ctx.set_fill_style_str("#dc2626");
        ctx.fill_rect(drawn.x + drawn.w - 4.0, drawn.y - 8.0, 14.0, 11.0);
        text(
            ctx,
            &restarts.to_string(),
            drawn.x + drawn.w - 2.0,
            drawn.y + 1.0,
            "bold 9px",
            "#fff",
        );
    }
}

fn is_selected(selected: Option<&Selection>, pod: &PodView) -> bool {
    matches!(selected, Some(Selection::Pod { namespace, name })
        if *namespace == pod.namespace && *name == pod.name)
}

/// A thick focus-coloured ring around the selected card or tile.
fn highlight(ctx: &CanvasRenderingContext2d, rect: &Rect) {
    ctx.set_stroke_style_str("#f59e0b");
    ctx.set_line_width(3.0);
    ctx.stroke_rect(rect.x - 2.5, rect.y - 2.5, rect.w + 5.0, rect.h + 5.0);
    ctx.set_line_width(1.0);
}

fn colour_of(
    colours: &BTreeMap<OwnerView, &'static str>,
    owner: Option<&OwnerView>,
) -> &'static str {
    owner
        .and_then(|owner| colours.get(owner).copied())
        .unwrap_or(BARE_POD_COLOUR)
}

fn node_card(ctx: &CanvasRenderingContext2d, node: &NodeView, card: &NodeCard) {
    let r = card.rect;
    ctx.set_fill_style_str(CARD_FILL);
    ctx.fill_rect(r.x, r.y, r.w, r.h);
    ctx.set_stroke_style_str(CARD_EDGE);
    ctx.set_line_width(1.0);
    ctx.stroke_rect(r.x + 0.5, r.y + 0.5, r.w - 1.0, r.h - 1.0);

    ctx.set_fill_style_str(node_header_colour(node.status, node.control_plane));
    ctx.fill_rect(r.x, r.y, r.w, 26.0);
    text(
        ctx,
        &node.name,
        r.x + 8.0,
        r.y + 18.0,
        "600 13px",
        "#ffffff",
    );

    let role = if node.control_plane {
        "control-plane"
    } else {
        "worker"
    };
    let status = node.status.column(node.unschedulable);
    text(
        ctx,
        &format!("{status} · {role}"),
        r.x + 8.0,
        r.y + 42.0,
        "12px",
        INK,
    );
    taint_badges(ctx, node, r);

    let bar_w = (r.w - 16.0) / 3.0 - 4.0;
    let bars = [
        ("cpu", node.cpu_milli),
        ("mem", node.memory_bytes),
        ("pods", node.pod_count),
    ];
    for (index, (label, usage)) in bars.iter().enumerate() {
        let x = r.x + 8.0 + index as f64 * (bar_w + 6.0);
        text(ctx, label, x, r.y + 72.0, "10px", MUTED);
        ctx.set_fill_style_str("#e2e8f0");
        ctx.fill_rect(x, r.y + 76.0, bar_w, 5.0);
        ctx.set_fill_style_str(if usage.fraction() > 0.9 {
            "#dc2626"
        } else {
            "#16a34a"
        });
        ctx.fill_rect(x, r.y + 76.0, bar_w * usage.fraction(), 5.0);
    }
}

/// One small badge a taint (effect initial and key, e.g. `NS control-plane`), as many as fit.
fn taint_badges(ctx: &CanvasRenderingContext2d, node: &NodeView, r: Rect) {
    if node.taints.is_empty() {
        text(ctx, "no taints", r.x + 8.0, r.y + 57.0, "11px", MUTED);
        return;
    }
    let mut x = r.x + 8.0;
    for (index, taint) in node.taints.iter().enumerate() {
        let (key, effect) = taint.rsplit_once(':').unwrap_or((taint.as_str(), ""));
        let key = key.split('=').next().unwrap_or(key);
        let short = key.rsplit('/').next().unwrap_or(key);
        let initials: String = effect.chars().filter(char::is_ascii_uppercase).collect();
        let label = format!("{initials} {short}");
        let width = 6.0 * label.chars().count() as f64 + 8.0;
        if x + width > r.x + r.w - 8.0 {
            let rest = node.taints.len() - index;
            text(ctx, &format!("+{rest}"), x, r.y + 58.0, "10px", MUTED);
            break;
        }
        ctx.set_fill_style_str(if effect == "NoExecute" {
            "#fee2e2"
        } else {
            "#fef3c7"
        });
        ctx.fill_rect(x, r.y + 48.0, width, 13.0);
        text(ctx, &label, x + 4.0, r.y + 58.0, "10px", INK);
        x += width + 4.0;
    }
}

/// A tile's shape tells its state without colour: outline = not started, dot = creating,
/// half = running, solid = ready, check = succeeded, cross = failed, bang = crash loop,
/// faded stripe = terminating.
fn pod_tile(ctx: &CanvasRenderingContext2d, pod: &PodView, tile: &Rect, colour: &str) {
    let Rect { x, y, w, h } = *tile;
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(colour);
    ctx.set_fill_style_str(colour);
    match pod.mark {
        PodMark::Pending => {
            let _ = ctx.set_line_dash(&dash(&[3.0, 2.0]));
            ctx.stroke_rect(x + 1.0, y + 1.0, w - 2.0, h - 2.0);
            let _ = ctx.set_line_dash(&dash(&[]));
        }
        PodMark::ContainerCreating => {
            ctx.stroke_rect(x + 1.0, y + 1.0, w - 2.0, h - 2.0);
            ctx.fill_rect(x + w / 2.0 - 2.0, y + h / 2.0 - 2.0, 4.0, 4.0);
        }
        PodMark::Running => {
            ctx.stroke_rect(x + 1.0, y + 1.0, w - 2.0, h - 2.0);
            ctx.fill_rect(x + 1.0, y + h / 2.0, w - 2.0, h / 2.0 - 1.0);
        }
        PodMark::Ready => ctx.fill_rect(x, y, w, h),
        PodMark::Succeeded => {
            ctx.fill_rect(x, y, w, h);
            glyph(ctx, "✓", x, y);
        }
        PodMark::Failed => {
            ctx.fill_rect(x, y, w, h);
            glyph(ctx, "✕", x, y);
        }
        PodMark::CrashLoopBackOff => {
            ctx.fill_rect(x, y, w, h);
            glyph(ctx, "!", x, y);
        }
        PodMark::Terminating => {
            ctx.set_global_alpha(0.45);
            ctx.fill_rect(x, y, w, h);
            ctx.set_global_alpha(1.0);
            ctx.begin_path();
            ctx.move_to(x, y + h);
            ctx.line_to(x + w, y);
            ctx.set_stroke_style_str("#ffffff");
            ctx.stroke();
        }
    }
}

fn glyph(ctx: &CanvasRenderingContext2d, mark: &str, x: f64, y: f64) {
    ctx.set_text_align("center");
    text(
        ctx,
        mark,
        x + TILE_SIZE / 2.0,
        y + 12.5,
        "bold 11px",
        "#ffffff",
    );
    ctx.set_text_align("start");
}

fn text(ctx: &CanvasRenderingContext2d, content: &str, x: f64, y: f64, font: &str, colour: &str) {
    ctx.set_font(&format!("{font} system-ui, sans-serif"));
    ctx.set_fill_style_str(colour);
    let _ = ctx.fill_text(content, x, y);
}

fn dash(segments: &[f64]) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    for segment in segments {
        array.push(&wasm_bindgen::JsValue::from_f64(*segment));
    }
    array.into()
}
