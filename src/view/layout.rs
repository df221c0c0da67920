//! Grid layout of node cards in canvas CSS pixels.
//!
//! Positions are in the canvas' CSS-pixel space (`pos_in_canvas`); the painter scales by the
//! device pixel ratio once, so layout never deals with physical pixels.

/// One rectangle in canvas CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Whether a point in canvas CSS pixels lies inside the rectangle.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x < self.x + self.w && y >= self.y && y < self.y + self.h
    }
}

/// Card size and spacing for the node grid, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridStyle {
    /// Width of one node card.
    pub card_w: f64,
    /// Height of one node card.
    pub card_h: f64,
    /// Space between cards and around the grid.
    pub gap: f64,
}

impl Default for GridStyle {
    fn default() -> Self {
        GridStyle {
            card_w: 220.0,
            card_h: 150.0,
            gap: 16.0,
        }
    }
}

/// Places `count` cards left to right, top to bottom, in as many columns as fit `width_css`
/// (at least one), so the grid reflows when the canvas is resized or nodes come and go.
pub fn grid(count: usize, width_css: f64, style: GridStyle) -> Vec<Rect> {
    let columns = columns_that_fit(width_css, style);
    (0..count)
        .map(|index| {
            let column = (index % columns) as f64;
            let row = (index / columns) as f64;
            Rect {
                x: style.gap + column * (style.card_w + style.gap),
                y: style.gap + row * (style.card_h + style.gap),
                w: style.card_w,
                h: style.card_h,
            }
        })
        .collect()
}

fn columns_that_fit(width_css: f64, style: GridStyle) -> usize {
    let usable = (width_css - style.gap).max(0.0);
    let columns = (usable / (style.card_w + style.gap)).floor();
    if columns.is_finite() && columns >= 1.0 {
        columns as usize
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_cards_fill_two_columns_then_wrap() {
        let style = GridStyle {
            card_w: 100.0,
            card_h: 50.0,
            gap: 10.0,
        };
        // 10 + 2 × (100 + 10) = 230 px holds exactly two columns.
        let cards = grid(4, 230.0, style);
        assert_eq!(
            cards[0],
            Rect {
                x: 10.0,
                y: 10.0,
                w: 100.0,
                h: 50.0
            }
        );
        assert_eq!(
            cards[1],
            Rect {
                x: 120.0,
                y: 10.0,
                w: 100.0,
                h: 50.0
            }
        );
        assert_eq!(
            cards[2],
            Rect {
                x: 10.0,
                y: 70.0,
                w: 100.0,
                h: 50.0
            }
        );
        assert_eq!(
            cards[3],
            Rect {
                x: 120.0,
                y: 70.0,
                w: 100.0,
                h: 50.0
            }
        );
    }

    #[test]
    fn a_narrow_canvas_still_gets_one_column() {
        let cards = grid(3, 0.0, GridStyle::default());
        assert_eq!(cards.len(), 3);
        assert!(cards.iter().all(|card| card.x == GridStyle::default().gap));
        assert!(cards[2].contains(20.0, cards[2].y + 1.0));
        assert!(!cards[2].contains(20.0, cards[1].y + 1.0));
    }
}

/// Size of one pod tile and the space between tiles, in CSS pixels.
pub const TILE_SIZE: f64 = 16.0;
const TILE_GAP: f64 = 4.0;
/// Height of the part of a node card above its pod tiles (header, status, bars).
pub const CARD_HEAD_H: f64 = 92.0;
const TRAY_HEAD_H: f64 = 24.0;

/// Everything the painter draws, positioned, plus what a pointer may hit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// One card a node, in the snapshot's node order.
    pub cards: Vec<NodeCard>,
    /// The tray of unscheduled pods, present only when there are any.
    pub tray: Option<Tray>,
    /// Width and height of everything drawn, for panning limits.
    pub content_w: f64,
    /// See `content_w`.
    pub content_h: f64,
}

/// A node card and the tiles of its pods.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeCard {
    /// The card's rectangle.
    pub rect: Rect,
    /// One tile a pod, in the node's pod order, as many as fit.
    pub tiles: Vec<Rect>,
    /// Pods that did not fit on the card ("+N more").
    pub hidden_pods: usize,
}

/// The strip below the grid that holds pods no node accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Tray {
    /// The strip's rectangle.
    pub rect: Rect,
    /// One tile a pod, as many as fit.
    pub tiles: Vec<Rect>,
    /// Pods that did not fit.
    pub hidden_pods: usize,
}

/// What lies under a point of the canvas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A node card (outside its pod tiles).
    Node(usize),
    /// The `pod`-th pod of the `node`-th node.
    Pod {
        /// Index into the snapshot's nodes.
        node: usize,
        /// Index into that node's pods.
        pod: usize,
    },
    /// The `0`-th unscheduled pod.
    Unscheduled(usize),
}

/// Lays out the snapshot's nodes in a grid `width_css` wide, and the tray beneath.
pub fn scene(
    snapshot: &super::snapshot::ClusterSnapshot,
    width_css: f64,
    style: GridStyle,
) -> Scene {
    let rects = grid(snapshot.nodes.len(), width_css, style);
    let cards: Vec<NodeCard> = snapshot
        .nodes
        .iter()
        .zip(rects)
        .map(|(node, rect)| {
            let area = Rect {
                x: rect.x + 8.0,
                y: rect.y + CARD_HEAD_H,
                w: rect.w - 16.0,
                h: rect.h - CARD_HEAD_H - 8.0,
            };
            let (tiles, hidden_pods) = tiles_in(area, node.pods.len());
            NodeCard {
                rect,
                tiles,
                hidden_pods,
            }
        })
        .collect();

    let grid_bottom = cards
        .iter()
        .map(|card| card.rect.y + card.rect.h)
        .fold(0.0, f64::max);
    let grid_right = cards
        .iter()
        .map(|card| card.rect.x + card.rect.w)
        .fold(0.0, f64::max);
    let tray = (!snapshot.unscheduled.is_empty()).then(|| {
        let columns = columns_that_fit(width_css, style) as f64;
        let rect = Rect {
            x: style.gap,
            y: grid_bottom + style.gap,
            w: (columns * (style.card_w + style.gap) - style.gap).max(style.card_w),
            h: TRAY_HEAD_H + 2.0 * (TILE_SIZE + TILE_GAP) + 8.0,
        };
        let area = Rect {
            x: rect.x + 8.0,
            y: rect.y + TRAY_HEAD_H,
            w: rect.w - 16.0,
            h: rect.h,
        };
        let (tiles, hidden_pods) = tiles_in(area, snapshot.unscheduled.len());
        Tray {
            rect,
            tiles,
            hidden_pods,
        }
    });
    let content_h = tray
        .as_ref()
        .map_or(grid_bottom, |tray| tray.rect.y + tray.rect.h)
        + style.gap;
    let content_w = tray
        .as_ref()
        .map_or(grid_right, |tray| tray.rect.x + tray.rect.w)
        + style.gap;
    Scene {
        cards,
        tray,
        content_w,
        content_h,
    }
}

/// Fills `area` with up to `count` tiles row by row; returns the tiles and how many did not fit.
/// When some do not fit, the last slot is left for the "+N" label.
fn tiles_in(area: Rect, count: usize) -> (Vec<Rect>, usize) {
    let per_row = ((area.w + TILE_GAP) / (TILE_SIZE + TILE_GAP))
        .floor()
        .max(1.0) as usize;
    let rows = ((area.h + TILE_GAP) / (TILE_SIZE + TILE_GAP))
        .floor()
        .max(0.0) as usize;
    let capacity = per_row * rows;
    let shown = if count <= capacity {
        count
    } else {
        capacity.saturating_sub(1)
    };
    let tiles = (0..shown)
        .map(|index| Rect {
            x: area.x + (index % per_row) as f64 * (TILE_SIZE + TILE_GAP),
            y: area.y + (index / per_row) as f64 * (TILE_SIZE + TILE_GAP),
            w: TILE_SIZE,
            h: TILE_SIZE,
        })
        .collect();
    (tiles, count - shown)
}

impl Scene {
    /// The pod or node under a point in content coordinates, pods before the cards they sit on.
    pub fn hit(&self, x: f64, y: f64) -> Option<Hit> {
        for (node, card) in self.cards.iter().enumerate() {
            if !card.rect.contains(x, y) {
                continue;
            }
            let pod = card.tiles.iter().position(|tile| tile.contains(x, y));
            return Some(pod.map_or(Hit::Node(node), |pod| Hit::Pod { node, pod }));
        }
        let tray = self.tray.as_ref()?;
        tray.tiles
            .iter()
            .position(|tile| tile.contains(x, y))
            .map(Hit::Unscheduled)
    }
}

#[cfg(test)]
mod scene_tests {
    use super::*;
    use crate::view::snapshot::{ClusterSnapshot, NodeStatus, NodeView, PodMark, PodView, Usage};

    fn pod(name: &str) -> PodView {
        PodView {
            namespace: "default".into(),
            name: name.into(),
            owner: None,
            mark: PodMark::Running,
            restarts: 0,
            reason: None,
        }
    }

    fn node(name: &str, pods: usize) -> NodeView {
        NodeView {
            name: name.into(),
            control_plane: false,
            status: NodeStatus::Ready,
            unschedulable: false,
            taints: vec![],
            labels: vec![],
            cpu_milli: Usage::default(),
            memory_bytes: Usage::default(),
            pod_count: Usage {
                used: pods as u64,
                allocatable: 110,
            },
            pods: (0..pods).map(|i| pod(&format!("{name}-p{i}"))).collect(),
        }
    }

    #[test]
    fn a_card_shows_the_pods_that_fit_and_counts_the_rest() {
        let style = GridStyle {
            card_w: 220.0,
            card_h: 160.0,
            gap: 16.0,
        };
        // Tile area: 204 px wide holds 10 tiles a row; 60 px high holds 3 rows: 30 slots.
        let snapshot = ClusterSnapshot {
            nodes: vec![node("a", 4), node("b", 45)],
            ..Default::default()
        };
        let scene = scene(&snapshot, 1000.0, style);
        assert_eq!(scene.cards[0].tiles.len(), 4);
        assert_eq!(scene.cards[0].hidden_pods, 0);
        assert_eq!(scene.cards[1].tiles.len(), 29);
        assert_eq!(scene.cards[1].hidden_pods, 16);
        assert!(scene.tray.is_none());
    }

    #[test]
    fn pointer_hits_pod_tiles_before_their_node_and_finds_unscheduled_pods() {
        let style = GridStyle::default();
        let mut snapshot = ClusterSnapshot {
            nodes: vec![node("a", 2)],
            ..Default::default()
        };
        snapshot.unscheduled = vec![pod("stuck")];
        let scene = scene(&snapshot, 600.0, style);
        let tile = scene.cards[0].tiles[1];
        assert_eq!(
            scene.hit(tile.x + 1.0, tile.y + 1.0),
            Some(Hit::Pod { node: 0, pod: 1 })
        );
        let card = scene.cards[0].rect;
        assert_eq!(scene.hit(card.x + 2.0, card.y + 2.0), Some(Hit::Node(0)));
        let tray = scene
            .tray
            .as_ref()
            .expect("an unscheduled pod opens the tray");
        assert!(tray.rect.y > card.y + card.h);
        let stuck = tray.tiles[0];
        assert_eq!(
            scene.hit(stuck.x + 1.0, stuck.y + 1.0),
            Some(Hit::Unscheduled(0))
        );
        assert_eq!(scene.hit(-5.0, -5.0), None);
    }
}
