//! Browser tests of the wasm build: run by `make wasm-test` in headless Chromium.
#![cfg(target_arch = "wasm32")]

use kubarium::app::panic::{PANIC_ELEMENT_ID, show};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("tests run in a page with a document")
}

#[wasm_bindgen_test]
fn a_panic_message_is_shown_on_the_page_as_an_alert() {
    show("index out of bounds: the len is 3 but the index is 7");
    let banner = document()
        .get_element_by_id(PANIC_ELEMENT_ID)
        .expect("the banner exists");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(
        text.starts_with("Kubarium stopped because of an internal error."),
        "{text}"
    );
    assert!(text.ends_with("the len is 3 but the index is 7"), "{text}");

    // A second panic replaces the message rather than stacking banners.
    show("second");
    let banners = document()
        .query_selector_all(".panic")
        .expect("valid selector")
        .length();
    assert_eq!(banners, 1);
}

#[wasm_bindgen_test]
fn the_simulated_clock_formats_in_utc_to_the_second() {
    let at = kubarium::sim::time::SimTime::parse_rfc3339("2026-01-01T00:01:05Z").expect("valid");
    assert_eq!(kubarium::app::format_clock(at), "2026-01-01 00:01:05 UTC");
}

/// The default scenario runs to the same Event log in the browser as natively
/// (`tests/determinism.rs` asserts the same number).
#[wasm_bindgen_test]
fn the_default_scenario_gives_the_native_event_log() {
    let fingerprint = kubarium::scenario::report::default_scenario_fingerprint(
        kubarium::sim::time::SimDuration::from_secs(300),
    )
    .expect("runs");
    assert_eq!(fingerprint, 0x1de7_b8ad_d40c_cd1e, "{fingerprint:#x}");
}
