//! The cluster canvas: lays out the current snapshot and paints it, crisp at any pixel ratio,
//! with pan (drag), zoom (wheel, pinch, + and - keys), hover tooltips and click to select.

use super::clock::Clock;
use super::driver::Playground;
use super::paint::{self, Frame};
use super::selection::Selection;
use crate::view::anim::Animator;
use crate::view::camera::Camera;
use crate::view::layout::{self, GridStyle, Hit, Scene};
use crate::view::snapshot::{ClusterSnapshot, PodView};
use leptos::html::Canvas;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent, WheelEvent};

/// Pointer travel, in CSS pixels, below which a press and release counts as a click.
const CLICK_SLOP_PX: f64 = 4.0;

/// What the pointer handlers remember between events.
#[derive(Default)]
struct Gesture {
    /// Pointers currently pressed, by pointer id, at their last canvas position.
    down: BTreeMap<i32, (f64, f64)>,
    /// Distance travelled since the first press.
    travelled_px: f64,
}

/// The canvas, its tooltip, and the effect that repaints on every change it shows.
#[component]
pub fn ClusterCanvas(
    playground: Playground,
    clock: Clock,
    selection: RwSignal<Option<Selection>>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let camera = RwSignal::new(Camera::default());
    let scene = StoredValue::new(Scene::default());
    let gesture = StoredValue::new_local(Gesture::default());
    let tooltip = RwSignal::new(None::<(f64, f64, String)>);
    let resized = RwSignal::new(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());

    let animator = StoredValue::new(Animator::default());
    let generation = RwSignal::new(0u64);
    let reduced_motion = prefers_reduced_motion();
    Effect::new(move |_| {
        playground
            .snapshot
            .with(|snapshot| animator.update_value(|a| a.observe(snapshot)));
        generation.update(|g| *g += 1);
    });
    // Repaint when what is shown changes, and on every clock tick while an effect plays.
    Effect::new(move |last: Option<(u64, Camera, Option<Selection>, u32)>| {
        let now = clock.now.get();
        let shown = (
            generation.get(),
            camera.get(),
            selection.get(),
            resized.get(),
        );
        let busy = animator.with_value(|a| a.busy(now));
        if last.as_ref() == Some(&shown) && !busy {
            return shown;
        }
        if let Some(canvas) = canvas_ref.get() {
            let frame = Frame {
                now,
                reduced_motion,
                selected: shown.2.as_ref(),
            };
            let started_ms = wall_ms();
            let laid_out = animator.with_value(|a| {
                playground
                    .snapshot
                    .with(|snapshot| draw(&canvas, snapshot, shown.1, a, &frame))
            });
            scene.set_value(laid_out);
            report_draw(&canvas, wall_ms() - started_ms);
        }
        shown
    });

    let hit_at = move |x: f64, y: f64| {
        let (cx, cy) = camera.get_untracked().content_from_canvas(x, y);
        scene.with_value(|scene| scene.hit(cx, cy))
    };
    let on_down = move |ev: PointerEvent| {
        if let Some(canvas) = canvas_ref.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
        }
        gesture.update_value(|g| {
            if g.down.is_empty() {
                g.travelled_px = 0.0;
            }
            g.down.insert(
                ev.pointer_id(),
                (f64::from(ev.offset_x()), f64::from(ev.offset_y())),
            );
        });
    };
    let on_move = move |ev: PointerEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let pressed = gesture.with_value(|g| g.down.len());
        if pressed == 0 {
            let text = hit_at(x, y).and_then(|hit| playground.snapshot.with(|s| describe(s, &hit)));
            tooltip.set(text.map(|text| (x, y, text)));
            return;
        }
        tooltip.set(None);
        gesture.update_value(|g| drag(g, ev.pointer_id(), x, y, camera));
    };
    let on_up = move |ev: PointerEvent| {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let click = gesture.try_update_value(|g| {
            g.down.remove(&ev.pointer_id());
            g.down.is_empty() && g.travelled_px < CLICK_SLOP_PX
        });
        if click == Some(true) {
            let picked = hit_at(x, y).and_then(|hit| playground.snapshot.with(|s| select(s, &hit)));
            selection.set(picked);
        }
    };
    let on_wheel = move |ev: WheelEvent| {
        ev.prevent_default();
        tooltip.set(None);
        let factor = Camera::wheel_factor(ev.delta_y());
        camera.update(|c| c.zoom_at(f64::from(ev.offset_x()), f64::from(ev.offset_y()), factor));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = 40.0;
        match ev.key().as_str() {
            "ArrowLeft" => camera.update(|c| c.pan(step, 0.0)),
            "ArrowRight" => camera.update(|c| c.pan(-step, 0.0)),
            "ArrowUp" => camera.update(|c| c.pan(0.0, step)),
            "ArrowDown" => camera.update(|c| c.pan(0.0, -step)),
            "+" | "=" => camera.update(|c| c.zoom_at(0.0, 0.0, 1.25)),
            "-" => camera.update(|c| c.zoom_at(0.0, 0.0, 0.8)),
            "0" => camera.set(Camera::default()),
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <div class="canvas-wrap">
            <canvas
                node_ref=canvas_ref
                class="cluster"
                tabindex="0"
                data-testid="cluster-canvas"
                aria-label="Cluster view. Drag to pan, wheel or plus and minus keys to zoom, \
                            arrow keys to move. The node list below the canvas offers the same \
                            objects as buttons."
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:pointerleave=move |_| tooltip.set(None)
                on:wheel=on_wheel
                on:keydown=on_key
            ></canvas>
            {move || {
                tooltip
                    .get()
                    .map(|(x, y, text)| {
                        view! {
                            <div
                                class="tooltip"
                                role="tooltip"
                                data-testid="canvas-tooltip"
                                style=format!("left: {}px; top: {}px", x + 14.0, y + 14.0)
                            >
                                {text}
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// One pointer moved while pressed: a drag pans, two pointers pinch-zoom about their middle.
fn drag(g: &mut Gesture, id: i32, x: f64, y: f64, camera: RwSignal<Camera>) {
    let Some(&(last_x, last_y)) = g.down.get(&id) else {
        return;
    };
    let other = g
        .down
        .iter()
        .find(|(other, _)| **other != id)
        .map(|(_, pos)| *pos);
    match other {
        None => camera.update(|c| c.pan(x - last_x, y - last_y)),
        Some((ox, oy)) => {
            let before = ((last_x - ox).powi(2) + (last_y - oy).powi(2))
                .sqrt()
                .max(1.0);
            let after = ((x - ox).powi(2) + (y - oy).powi(2)).sqrt().max(1.0);
            camera.update(|c| c.zoom_at((x + ox) / 2.0, (y + oy) / 2.0, after / before));
        }
    }
    g.travelled_px += ((x - last_x).powi(2) + (y - last_y).powi(2)).sqrt();
    g.down.insert(id, (x, y));
}

fn pod_at<'a>(snapshot: &'a ClusterSnapshot, hit: &Hit) -> Option<&'a PodView> {
    match *hit {
        Hit::Pod { node, pod } => snapshot.nodes.get(node)?.pods.get(pod),
        Hit::Unscheduled(index) => snapshot.unscheduled.get(index),
        Hit::Node(_) => None,
    }
}

fn select(snapshot: &ClusterSnapshot, hit: &Hit) -> Option<Selection> {
    if let Hit::Node(node) = *hit {
        return snapshot
            .nodes
            .get(node)
            .map(|node| Selection::Node(node.name.clone()));
    }
    pod_at(snapshot, hit).map(|pod| Selection::Pod {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
    })
}

/// The tooltip text: a node's status, labels and taints, or a pod's state and why.
fn describe(snapshot: &ClusterSnapshot, hit: &Hit) -> Option<String> {
    if let Hit::Node(index) = *hit {
        let node = snapshot.nodes.get(index)?;
        let mut lines = vec![format!(
            "{} — {}",
            node.name,
            node.status.column(node.unschedulable)
        )];
        lines.push(format!("labels: {}", node.labels.join(", ")));
        if !node.taints.is_empty() {
            lines.push(format!("taints: {}", node.taints.join(", ")));
        }
        return Some(lines.join("\n"));
    }
    let pod = pod_at(snapshot, hit)?;
    let owner = pod
        .owner
        .as_ref()
        .map_or("no owner".to_string(), |o| format!("{}/{}", o.kind, o.name));
    let mut text = format!(
        "{}/{}\n{} · {}",
        pod.namespace,
        pod.name,
        pod.mark.label(),
        owner
    );
    if pod.restarts > 0 {
        text.push_str(&format!("\nrestarts: {}", pod.restarts));
    }
    if let Some(reason) = &pod.reason {
        text.push('\n');
        text.push_str(reason);
    }
    Some(text)
}

/// Publishes the last frame's draw time on the canvas (`data-draw-ms`) for measurement, and
/// marks the first paint in the page's User Timing entries (`kubarium:first-paint`).
fn report_draw(canvas: &HtmlCanvasElement, draw_ms: f64) {
    if canvas.get_attribute("data-draw-ms").is_none()
        && let Some(performance) = web_sys::window().and_then(|window| window.performance())
    {
        let _ = performance.mark("kubarium:first-paint");
    }
    let _ = canvas.set_attribute("data-draw-ms", &format!("{draw_ms:.3}"));
}

fn wall_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |perf| perf.now())
}

/// Whether the user asked the system for less motion.
fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|window| {
            window
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}

/// Sizes the backing store to CSS size × devicePixelRatio, then paints in CSS pixels through
/// the camera. Returns the layout, for hit testing.
fn draw(
    canvas: &HtmlCanvasElement,
    snapshot: &ClusterSnapshot,
    camera: Camera,
    animator: &Animator,
    frame: &Frame<'_>,
) -> Scene {
    let width_css = f64::from(canvas.client_width().max(1));
    let scene = layout::scene(snapshot, width_css, GridStyle::default());
    let Some(ctx) = context_2d(canvas) else {
        return scene;
    };
    let dpr = web_sys::window().map_or(1.0, |window| window.device_pixel_ratio());
    let height_css = f64::from(canvas.client_height().max(1));
    let width_px = (width_css * dpr).round() as u32;
    let height_px = (height_css * dpr).round() as u32;
    if canvas.width() != width_px || canvas.height() != height_px {
        canvas.set_width(width_px);
        canvas.set_height(height_px);
    }
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width_css, height_css);
    let _ = ctx.translate(camera.offset_x, camera.offset_y);
    let _ = ctx.scale(camera.zoom, camera.zoom);
    paint::scene(&ctx, snapshot, &scene, animator, frame);
    scene
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()?
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}
