//! A ready app for tests: the built-in demo collection loaded against a fake demo address.

use crate::app::editor::Editor;
use crate::app::{App, Msg, update};
use crate::collection::DEMO_URL_VAR;

/// Where the fake demo server "listens" in tests (nothing is sent there by `update` tests).
pub const BASE: &str = "http://127.0.0.1:9";

/// An app with the demo collection loaded and request `id` of it open in the editor.
pub fn app_with(id: &str) -> App {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    app.work_dir = "/work".into();
    app.injected = vec![(DEMO_URL_VAR.to_string(), BASE.to_string())];
    let files = crate::event_loop::load_collections(None, &app.injected);
    update(&mut app, Msg::CollectionsLoaded(files));
    open(&mut app, id);
    app
}

/// Opens request `id` of the first collection in the editor.
pub fn open(app: &mut App, id: &str) {
    let index = app.tree.files[0]
        .collection()
        .and_then(|c| c.requests.iter().position(|r| r.id == id))
        .expect("a request of the demo collection");
    app.origin = None;
    crate::app::collections::open_request(app, 0, index);
}
