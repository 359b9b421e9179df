//! Paging with 100,000 items of ~200 bytes loaded (1,000 pages × 100 items): the off-thread merge
//! into the Body tab's document, one frame of the response pane (Body and Pages tabs), and what
//! `update` does on the UI thread when one more page arrives.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use scout::app::editor::Editor;
use scout::app::exchange::{BodyView, CHUNK_LINES, Exchange, ExchangeState};
use scout::app::paging::{PageInfo, Paging};
use scout::app::{App, Msg, Pane, ResponseTab, update};
use scout::event_loop::io::merge_pages;
use scout::highlight::{Document, highlighter};
use scout::http::job::{HttpEvent, Job};
use scout::http::paginate::{Load, Page, Pager};
use scout::model::{RequestSpec, ResponseData, Timeouts};
use serde_json::{Value, json};
use url::Url;

const PAGES: usize = 1_000;
const PER_PAGE: usize = 100;

fn page_url(n: usize) -> String {
    format!("http://127.0.0.1:9/list?page={n}")
}

/// Page `n`'s items: about 200 bytes each as compact JSON.
fn items(n: usize) -> Vec<Value> {
    (0..PER_PAGE)
        .map(|j| {
            let i = (n - 1) * PER_PAGE + j;
            json!({
                "id": i,
                "name": format!("item-{i:07}"),
                "price": format!("{}.{:02}", i % 1000, i % 100),
                "description": format!("A description of item {i}, with unicode: café ✓"),
                "active": i.is_multiple_of(3),
                "tags": ["demo", format!("t{}", i % 7)],
                "owner": {"login": format!("user{}", i % 50), "url": format!("https://api.example.com/users/{}", i % 50)},
            })
        })
        .collect()
}

fn response(n: usize, items: &[Value]) -> ResponseData {
    ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            (
                "link".into(),
                format!("<{}>; rel=\"next\"", page_url(n + 1)),
            ),
        ],
        body: Bytes::from(serde_json::to_vec(items).unwrap()),
        elapsed: Duration::from_millis(4),
        redirects: vec![],
        url: page_url(n),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

fn job() -> Job {
    let spec = RequestSpec {
        url: page_url(1),
        ..Default::default()
    };
    Job::new(1, spec, Timeouts::default())
}

/// An app showing response 1 with `PAGES` pages loaded and more available.
fn paged_app() -> App {
    let first = response(1, &items(1));
    let (mut pager, first_items) =
        Pager::start(None, &Url::parse(&page_url(1)).unwrap(), &first, None).unwrap();
    let first = Arc::new(first);
    let mut paging = Paging::new(pager.clone(), job(), first.clone(), first_items);
    for n in 2..=PAGES {
        let items = items(n);
        let url = Url::parse(&page_url(n)).unwrap();
        pager.state.record(&url, items.len());
        paging.item_count += items.len();
        paging.pages.push(PageInfo {
            number: n,
            url: page_url(n),
            status: 200,
            items: Arc::new(items),
            elapsed: Duration::from_millis(4),
            response: first.clone(),
        });
    }
    pager.next = Some(Url::parse(&page_url(PAGES + 1)).unwrap());
    paging.pager = pager;

    let mut app = App::new(Editor::default(), Default::default());
    app.size = (120, 40);
    app.focus = Pane::Response;
    let done = ExchangeState::Done {
        response: Box::new((*first).clone()),
        view: Box::default(),
    };
    app.history.entries.push(Exchange {
        job: Some(Box::new(job())),
        paging: Some(paging),
        ..Exchange::new(1, RequestSpec::default(), done, app.now)
    });
    app.shown = Some(1);
    app
}

fn paging(app: &mut App) -> &mut Paging {
    app.history.entries[0].paging.as_mut().unwrap()
}

fn page_sources(app: &mut App) -> Vec<Arc<Vec<Value>>> {
    paging(app).pages.iter().map(|p| p.items.clone()).collect()
}

/// Shows `doc` as the Body tab's document, its visible lines highlighted.
fn show(app: &mut App, doc: Arc<Document>) {
    let top = app.scroll.top;
    let view = app.history.entries[0].view_mut().unwrap();
    *view = BodyView {
        doc: Some(doc.clone()),
        ..Default::default()
    };
    for chunk in top / CHUNK_LINES..=(top + 40) / CHUNK_LINES {
        let start = chunk * CHUNK_LINES;
        let end = (start + CHUNK_LINES).min(doc.line_count());
        view.store(chunk, highlighter().highlight(&doc, start..end));
    }
}

/// What the worker sends for the page after the last one loaded.
fn next_page_event(app: &mut App, page: &Page) -> Msg {
    let p = paging(app);
    let mut pager = p.pager.clone();
    let url = Url::parse(&page.url).unwrap();
    pager.state.record(&url, page.items.len());
    pager.next = Some(Url::parse(&page_url(page.number + 1)).unwrap());
    Msg::Http(HttpEvent::Page {
        id: 1,
        page: Box::new(page.clone()),
        pager: Box::new(pager),
    })
}

fn benches(c: &mut Criterion) {
    highlighter();
    let mut app = paged_app();
    let sources = page_sources(&mut app);
    let count: usize = sources.iter().map(|p| p.len()).sum();
    let bytes: usize = sources
        .iter()
        .flat_map(|p| p.iter())
        .map(|v| serde_json::to_vec(v).unwrap().len())
        .sum();
    eprintln!(
        "{count} items in {} pages, {} bytes per item on average",
        sources.len(),
        bytes / count
    );

    let mut group = c.benchmark_group("paging_ui");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));

    // (a) The merge behind Effect::MergePages (on the blocking pool).
    group.bench_function(
        "merge 100k items into the Body document (off-thread)",
        |b| b.iter(|| black_box(merge_pages(&sources, Vec::new()))),
    );

    // (b) One frame with 100k items loaded.
    let doc = Arc::new(merge_pages(&sources, Vec::new()));
    eprintln!("merged document: {} lines", doc.line_count());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.response_tab = ResponseTab::Body;
    for (label, top) in [("top", 0usize), ("deep", doc.line_count() - 40)] {
        app.scroll.top = top;
        show(&mut app, doc.clone());
        group.bench_function(
            format!("frame: Body tab, merged 100k items, {label}"),
            |b| {
                b.iter(|| {
                    terminal
                        .draw(|f| {
                            scout::ui::draw(f, &app);
                        })
                        .unwrap();
                })
            },
        );
    }
    app.scroll.top = 0;
    app.response_tab = ResponseTab::Pages;
    for (label, selected) in [
        ("first page selected", 0usize),
        ("last page selected", PAGES - 1),
    ] {
        paging(&mut app).list.selected = selected;
        group.bench_function(format!("frame: Pages tab, 1,000 pages, {label}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| {
                        scout::ui::draw(f, &app);
                    })
                    .unwrap();
            })
        });
    }
    paging(&mut app).list.selected = 0;
    app.response_tab = ResponseTab::Body;
    app.scroll.top = 0;
    show(&mut app, doc.clone());

    // (c) `update` on one more page (UI thread), timed alone; the page is taken off again
    // afterwards so every iteration sees 100k items.
    let next = items(PAGES + 1);
    let page = Page {
        number: PAGES + 1,
        url: page_url(PAGES + 1),
        status: 200,
        elapsed: Duration::from_millis(4),
        response: Arc::new(response(PAGES + 1, &next)),
        items: next,
    };
    for (label, load) in [
        ("load all, merge not due", Load::All),
        ("load one, merge asked for", Load::One),
    ] {
        group.bench_function(
            format!("update: one more page at 100k items ({label})"),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let msg = next_page_event(&mut app, &page);
                        {
                            let p = paging(&mut app);
                            p.loading = Some((load, Instant::now()));
                            // Merged just now: a load-all does not merge again within 250 ms.
                            p.merged_at = Some(Instant::now() + Duration::from_secs(3600));
                        }
                        let started = Instant::now();
                        let effects = update(&mut app, msg);
                        total += started.elapsed();
                        black_box(effects);
                        let p = paging(&mut app);
                        let last = p.pages.pop().unwrap();
                        p.item_count -= last.items.len();
                        let url = Url::parse(&last.url).unwrap();
                        p.pager.state.fetched.remove(url.as_str());
                        p.pager.state.pages -= 1;
                        p.pager.state.items -= last.items.len();
                        p.pager.next = Some(url);
                    }
                    total
                })
            },
        );
    }
    group.finish();
}

criterion_group!(paging_ui, benches);
criterion_main!(paging_ui);
