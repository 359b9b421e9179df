//! One frame of the response pane over a large body, and the path from "last byte arrived" to
//! "first screen drawn" for a 10 MB JSON response (prepare + highlight the viewport + draw).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use scout::app::editor::Editor;
use scout::app::exchange::{BodyView, CHUNK_LINES, Exchange, ExchangeState};
use scout::app::{App, Pane};
use scout::highlight::{Document, highlighter};
use scout::model::{RequestSpec, ResponseData};

/// About `mb` MB of single-line JSON shaped like a real API listing.
fn big_json(mb: usize) -> Vec<u8> {
    let mut out = String::from("[");
    let mut i = 0;
    while out.len() < mb * 1024 * 1024 {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"id":{i},"name":"item-{i:07}","price":{}.{:02},"active":{},"tags":["demo","t{}"],"owner":{{"login":"user{}","url":"https://api.example.com/users/{}"}},"description":"A \"quoted\" description with unicode: café ✓"}}"#,
            i % 1000,
            i % 100,
            i % 3 == 0,
            i % 7,
            i % 50,
            i % 50
        ));
        i += 1;
    }
    out.push(']');
    out.into_bytes()
}

fn app_with(body: Bytes) -> (App, Arc<Document>) {
    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    app.focus = Pane::Response;
    let doc = Arc::new(Document::from_body(&body, Some("application/json")));
    let response = ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body,
        elapsed: Duration::from_millis(40),
        redirects: vec![],
        url: "http://127.0.0.1:9/large".into(),
        timing: None,
        wire: Vec::new(),
        cache: None,
    };
    let done = ExchangeState::Done {
        response: Box::new(response),
        view: Box::new(BodyView {
            doc: Some(doc.clone()),
            ..Default::default()
        }),
    };
    app.history
        .entries
        .push(Exchange::new(1, RequestSpec::default(), done, app.now));
    app.shown = Some(1);
    (app, doc)
}

fn highlight_viewport(app: &mut App, doc: &Document) {
    let top = app.scroll.top;
    let view = app.history.entries[0].view_mut().unwrap();
    for chunk in top / CHUNK_LINES..=(top + 40) / CHUNK_LINES {
        let start = chunk * CHUNK_LINES;
        let end = (start + CHUNK_LINES).min(doc.line_count());
        view.store(chunk, highlighter().highlight(doc, start..end));
    }
}

fn benches(c: &mut Criterion) {
    let body = Bytes::from(big_json(10));
    highlighter(); // syntax set loaded once, as the app preloads it after the first frame

    let mut group = c.benchmark_group("response_pane");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));

    group.bench_function("10MB JSON: last byte to first screen", |b| {
        b.iter(|| {
            let (mut app, doc) = app_with(body.clone());
            highlight_viewport(&mut app, &doc);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            terminal
                .draw(|f| {
                    scout::ui::draw(f, &app);
                })
                .unwrap();
            black_box(terminal.backend().buffer().area);
        })
    });

    let (mut app, doc) = app_with(body.clone());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for (label, top) in [
        ("frame at top", 0usize),
        ("frame deep in the body", doc.line_count() - 40),
    ] {
        app.scroll.top = top;
        highlight_viewport(&mut app, &doc);
        group.bench_function(format!("10MB JSON: {label}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        scout::ui::draw(f, &app);
                    })
                    .unwrap();
            })
        });
    }
    group.bench_function(
        "10MB JSON: scroll one page (highlight new lines + frame)",
        |b| {
            let mut top = 1000usize;
            b.iter(|| {
                top += 37;
                app.scroll.top = top;
                let view = app.history.entries[0].view_mut().unwrap();
                let chunk = (top + 39) / CHUNK_LINES;
                if view.styled_line(top + 39).is_none() {
                    let start = chunk * CHUNK_LINES;
                    view.store(
                        chunk,
                        highlighter().highlight(&doc, start..start + CHUNK_LINES),
                    );
                }
                terminal
                    .draw(|f| {
                        scout::ui::draw(f, &app);
                    })
                    .unwrap();
            })
        },
    );
    // One line of 10 MB (minified JSON shown as received), scrolled sideways: what a frame costs
    // should not depend on the line's length.
    let mut line = big_json(10);
    line.retain(|b| b.is_ascii());
    let body = Bytes::from(line);
    let (mut app, _) = app_with(body.clone());
    let raw = Arc::new(Document::as_received(&body, Some("text/plain")));
    let view = app.history.entries[0].view_mut().unwrap();
    view.doc = Some(raw.clone());
    view.store(0, highlighter().highlight(&raw, 0..1));
    for (label, left) in [("at its start", 0usize), ("1 MB into it", 1 << 20)] {
        app.scroll.left = left;
        group.bench_function(format!("10MB one-line body: frame {label}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        scout::ui::draw(f, &app);
                    })
                    .unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(render, benches);
criterion_main!(render);
