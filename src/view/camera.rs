//! Pan and zoom: the map between canvas CSS pixels (`pos_in_canvas`) and layout content
//! coordinates (`pos_in_content`).

/// The visible part of the content: where its origin sits on the canvas and at what zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Canvas x of content x = 0.
    pub offset_x: f64,
    /// Canvas y of content y = 0.
    pub offset_y: f64,
    /// Canvas pixels per content pixel.
    pub zoom: f64,
}

/// The closest the camera zooms out (large clusters) and in.
pub const ZOOM_MIN: f64 = 0.1;
/// See [`ZOOM_MIN`].
pub const ZOOM_MAX: f64 = 4.0;

impl Default for Camera {
    fn default() -> Self {
        Camera {
            offset_x: 0.0,
            offset_y: 0.0,
            zoom: 1.0,
        }
    }
}

impl Camera {
    /// The content point under a canvas point.
    pub fn content_from_canvas(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.offset_x) / self.zoom,
            (y - self.offset_y) / self.zoom,
        )
    }

    /// Moves the view by a drag of `(dx, dy)` canvas pixels.
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.offset_x += dx;
        self.offset_y += dy;
    }

    /// Multiplies the zoom by `factor` (clamped), keeping the content under the canvas point
    /// `(x, y)` where it is, as maps do under the cursor or between two fingers.
    pub fn zoom_at(&mut self, x: f64, y: f64, factor: f64) {
        let (content_x, content_y) = self.content_from_canvas(x, y);
        self.zoom = (self.zoom * factor).clamp(ZOOM_MIN, ZOOM_MAX);
        self.offset_x = x - content_x * self.zoom;
        self.offset_y = y - content_y * self.zoom;
    }

    /// The zoom factor for one wheel event's vertical delta in pixels: smooth, and symmetric
    /// so that scrolling back returns to the same zoom.
    pub fn wheel_factor(delta_y: f64) -> f64 {
        (-delta_y.clamp(-200.0, 200.0) / 500.0).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_cursor_still() {
        let mut camera = Camera::default();
        camera.pan(30.0, -10.0);
        let before = camera.content_from_canvas(200.0, 150.0);
        camera.zoom_at(200.0, 150.0, 2.0);
        assert_eq!(camera.zoom, 2.0);
        assert_eq!(camera.content_from_canvas(200.0, 150.0), before);
    }

    #[test]
    fn zoom_is_clamped_and_wheel_steps_undo_each_other() {
        let mut camera = Camera::default();
        camera.zoom_at(0.0, 0.0, 1000.0);
        assert_eq!(camera.zoom, ZOOM_MAX);
        let there_and_back = Camera::wheel_factor(120.0) * Camera::wheel_factor(-120.0);
        assert!((there_and_back - 1.0).abs() < 1e-12);
        assert!(
            Camera::wheel_factor(120.0) < 1.0,
            "scrolling down zooms out"
        );
    }
}
