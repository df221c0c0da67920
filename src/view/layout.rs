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
