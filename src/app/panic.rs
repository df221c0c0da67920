//! A panic shows a readable message on the page instead of leaving a dead canvas.

use std::panic::PanicHookInfo;
use wasm_bindgen::JsCast;

/// The id of the element that carries the panic message.
pub const PANIC_ELEMENT_ID: &str = "kubarium-panic";

/// Logs panics to the browser console and shows them on the page.
pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

/// Puts `message` in a banner at the top of the page, replacing any earlier one.
pub fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    let banner = match document.get_element_by_id(PANIC_ELEMENT_ID) {
        Some(existing) => existing,
        None => match document.create_element("div") {
            Ok(created) => created,
            Err(_) => return,
        },
    };
    banner.set_id(PANIC_ELEMENT_ID);
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("class", "panic");
    banner.set_text_content(Some(&format!(
        "Kubarium stopped because of an internal error. Reload the page to start again.\n\n\
         {message}"
    )));
    if let Ok(banner) = banner.dyn_into::<web_sys::HtmlElement>() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
