//! Paging in `update`: detection stores a `Paging`, `m`/`M` ask the worker for pages, pages
//! grow the list and merge off the UI thread, `Esc` stops keeping what arrived.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use crate::app::testing::app_with;
use crate::app::{App, Effect, Msg, Pane, ResponseTab, update};
use crate::http::job::{HttpEvent, RequestId};
use crate::http::paginate::{Load, Page, Pager, StopReason};
use crate::model::ResponseData;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn esc() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

/// Page `n` of a 3-page Link-paged list of 2 items each.
fn page_response(n: usize) -> ResponseData {
    let items: Vec<Value> = (0..2).map(|i| json!({"id": (n - 1) * 2 + i + 1})).collect();
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    if n < 3 {
        headers.push((
            "link".into(),
            format!("<http://127.0.0.1:9/list?page={}>; rel=\"next\"", n + 1),
        ));
    }
    ResponseData {
        stopped: false,
        spilled: None,
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers,
        body: Bytes::from(serde_json::to_vec(&items).unwrap()),
        elapsed: Duration::from_millis(3),
        redirects: vec![],
        url: format!("http://127.0.0.1:9/list?page={n}"),
        timing: None,
        wire: Vec::new(),
        cache: None,
    }
}

/// Sends the editor's request, answers it with page 1 and runs detection as the event loop
/// would (off the UI thread there). Returns the request id and the effects of the answer.
fn paged_app() -> (App, RequestId, Vec<Effect>) {
    let mut app = app_with("json");
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("expected a send, got {effects:?}");
    };
    let id = job.id;
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(page_response(1))),
        }),
    );
    let detect = effects
        .iter()
        .find_map(|e| match e {
            Effect::DetectPaging {
                configured,
                url,
                response,
                ..
            } => Some((configured.clone(), url.clone(), response.clone())),
            _ => None,
        })
        .expect("a JSON 2xx response is checked for paging");
    let url = url::Url::parse(&detect.1).unwrap();
    let found = Pager::start(detect.0.as_ref(), &url, &detect.2, None).map(Box::new);
    update(&mut app, Msg::PagingDetected { id, found });
    app.focus = Pane::Response;
    (app, id, effects)
}

/// What the worker would send for page `n`, with the pager after it.
fn page_event(app: &App, id: RequestId, n: usize) -> Msg {
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    let mut pager = p.pager.clone();
    let response = page_response(n);
    // As the worker does before each page: a past failure is cleared.
    pager.finished = None;
    pager.failed = false;
    pager.state.pages += 1;
    pager.next = (n < 3)
        .then(|| url::Url::parse(&format!("http://127.0.0.1:9/list?page={}", n + 1)).unwrap());
    if n == 3 {
        pager.finished = Some("no next link".into());
    }
    let items: Vec<Value> = serde_json::from_slice(&response.body).unwrap();
    Msg::Http(HttpEvent::Page {
        id,
        page: Box::new(Page {
            number: n,
            url: response.url.clone(),
            status: 200,
            elapsed: Duration::from_millis(4),
            items,
            response: Arc::new(response),
        }),
        pager: Box::new(pager),
    })
}

fn ids(app: &App, id: RequestId) -> Vec<u64> {
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    p.items().map(|v| v["id"].as_u64().unwrap()).collect()
}

#[test]
fn a_paged_response_is_detected_and_kept() {
    let (app, id, _) = paged_app();
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert_eq!(p.pages.len(), 1);
    assert_eq!(p.item_count, 2);
    assert!(p.pager.has_more());
    assert_eq!(p.job.id, id);
    assert_eq!(p.summary(), "page 1 · 2 items · more available (link)");
    assert!(app.shown_pages());
}

#[test]
fn a_post_is_not_asked_whether_it_pages() {
    // The demo's create-item: a POST answered 201 with JSON and a Link header would look paged.
    let mut app = app_with("create-item");
    let id = crate::app::testing::send(&mut app);
    let mut created = page_response(1);
    created.status = 201;
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id,
            result: Ok(Box::new(created)),
        }),
    );
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::DetectPaging { .. })),
        "{effects:?}"
    );
}

#[test]
fn a_response_that_does_not_page_gets_no_paging() {
    let mut app = app_with("json");
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    update(&mut app, Msg::PagingDetected { id: 1, found: None });
    app.focus = Pane::Response;
    assert!(app.history.get(1).unwrap().paging.is_none());
    assert!(update(&mut app, key('m')).is_empty());
    assert!(!app.shown_pages());
}

#[test]
fn m_asks_the_worker_for_one_page_and_capital_m_for_all() {
    let (mut app, id, _) = paged_app();
    let effects = update(&mut app, key('m'));
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Paginate { id: i, load: Load::One, job, .. }] if *i == id && job.id == id
        ),
        "{effects:?}"
    );
    // While loading, another `m` does not start a second load.
    assert!(update(&mut app, key('M')).is_empty());
    assert!(app.is_busy());

    let (mut app, _, _) = paged_app();
    let effects = update(&mut app, key('M'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Paginate {
            load: Load::All,
            ..
        }]
    ));
}

#[test]
fn pages_grow_the_list_and_merge_off_the_ui_thread() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('M'));
    let effects = {
        let m = page_event(&app, id, 2);
        update(&mut app, m)
    };
    // The first page of a load merges at once; the next within 250 ms waits.
    let merged = effects
        .iter()
        .filter(|e| matches!(e, Effect::MergePages { .. }))
        .count();
    assert_eq!(merged, 1, "{effects:?}");
    let effects = {
        let m = page_event(&app, id, 3);
        update(&mut app, m)
    };
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::MergePages { .. }))
    );
    assert_eq!(ids(&app, id), vec![1, 2, 3, 4, 5, 6]);
    let pager = {
        let mut p = app
            .history
            .get(id)
            .unwrap()
            .paging
            .as_ref()
            .unwrap()
            .pager
            .clone();
        p.next = None;
        p
    };
    // The end of the load merges what is still pending.
    let effects = update(
        &mut app,
        Msg::Http(HttpEvent::PagingDone {
            id,
            pager: Box::new(pager),
        }),
    );
    let Some(Effect::MergePages {
        generation, pages, ..
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::MergePages { .. }))
    else {
        panic!("a final merge: {effects:?}");
    };
    assert_eq!(pages.iter().map(|p| p.len()).sum::<usize>(), 6);
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert!(p.loading.is_none());
    assert_eq!(
        p.summary(),
        "6 items in 3 pages · all 6 items loaded (no next link)"
    );
    // The merged document replaces the body; highlighting starts over.
    let doc = Arc::new(crate::highlight::Document::from_body(
        b"[1,2,3,4,5,6]",
        Some("application/json"),
    ));
    let generation = *generation;
    update(
        &mut app,
        Msg::PagesMerged {
            id,
            generation,
            doc: doc.clone(),
            revealed: false,
        },
    );
    let view = app.history.get(id).unwrap().view().unwrap();
    assert!(Arc::ptr_eq(view.doc.as_ref().unwrap(), &doc));
    // A stale merge is dropped.
    let old = Arc::new(crate::highlight::Document::from_body(b"[1]", None));
    update(
        &mut app,
        Msg::PagesMerged {
            id,
            generation: generation - 1,
            doc: old,
            revealed: false,
        },
    );
    let view = app.history.get(id).unwrap().view().unwrap();
    assert!(Arc::ptr_eq(view.doc.as_ref().unwrap(), &doc));
}

#[test]
fn esc_stops_loading_and_keeps_the_pages() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('M'));
    {
        let m = page_event(&app, id, 2);
        update(&mut app, m)
    };
    let effects = update(&mut app, esc());
    assert!(
        matches!(effects.first(), Some(Effect::Cancel(i)) if *i == id),
        "{effects:?}"
    );
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert!(p.loading.is_none());
    assert_eq!(p.pages.len(), 2);
    assert!(p.pager.has_more(), "m can go on from the next page");
    assert!(p.summary().contains("stopped by you after 2 pages"));
    // A page still in flight when Esc was pressed is stale.
    {
        let m = page_event(&app, id, 3);
        update(&mut app, m)
    };
    assert_eq!(ids(&app, id), vec![1, 2, 3, 4]);
    // `m` goes on from where it stopped.
    assert!(matches!(
        update(&mut app, key('m')).as_slice(),
        [Effect::Paginate { .. }]
    ));
}

#[test]
fn the_pages_tab_opens_a_pages_raw_response() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('m'));
    {
        let m = page_event(&app, id, 2);
        update(&mut app, m)
    };
    // `[` from Body wraps round to the Pages tab, offered because the response pages.
    update(&mut app, key('['));
    assert_eq!(app.response_tab, ResponseTab::Pages);
    update(&mut app, key('j'));
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(app.response_tab, ResponseTab::Raw);
    let Some(Effect::PreparePageRaw { page, body, .. }) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(*page, 1);
    assert!(String::from_utf8_lossy(body).contains("\"id\":3"));
    let x = app.history.get(id).unwrap();
    assert_eq!(
        x.raw_response().unwrap().url,
        "http://127.0.0.1:9/list?page=2"
    );
}

/// What the worker sends when page `n` answers 500: the page (no items) and a pager that
/// stopped but still points at it.
fn failed_page_events(app: &App, id: RequestId, n: usize) -> (Msg, Pager) {
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    let url = format!("http://127.0.0.1:9/list?page={n}");
    let mut pager = p.pager.clone();
    pager.next = Some(url::Url::parse(&url).unwrap());
    pager.finished = Some(StopReason::Failed { status: 500 }.to_string());
    pager.failed = true;
    let response = ResponseData {
        stopped: false,
        spilled: None,
        status: 500,
        reason: "Internal Server Error".into(),
        body: Bytes::from_static(b"{\"error\":\"boom\"}"),
        url: url.clone(),
        ..page_response(n)
    };
    let msg = Msg::Http(HttpEvent::Page {
        id,
        page: Box::new(Page {
            number: n,
            url,
            status: 500,
            elapsed: Duration::from_millis(4),
            items: Vec::new(),
            response: Arc::new(response),
        }),
        pager: Box::new(pager.clone()),
    });
    (msg, pager)
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|f| {
            crate::ui::draw(f, app);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content()
        .chunks(buffer.area.width as usize)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn a_failed_page_shows_why_and_m_asks_for_it_again() {
    let (mut app, id, _) = paged_app();
    app.size = (120, 30);
    update(&mut app, key('M'));
    let (failed, pager) = failed_page_events(&app, id, 2);
    update(&mut app, failed);
    update(
        &mut app,
        Msg::Http(HttpEvent::PagingDone {
            id,
            pager: Box::new(pager),
        }),
    );
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert!(p.loading.is_none());
    assert_eq!(
        p.problem().as_deref(),
        Some("the page failed with status 500")
    );
    assert_eq!(
        p.summary(),
        "2 items in 2 pages · the page failed with status 500"
    );
    assert_eq!(ids(&app, id), vec![1, 2]);
    assert!(
        screen(&app).contains("the page failed with status 500"),
        "{}",
        screen(&app)
    );

    // `m` asks for the failed page again.
    let effects = update(&mut app, key('m'));
    let [
        Effect::Paginate {
            pager,
            load: Load::One,
            ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(
        pager.next.as_ref().map(url::Url::as_str),
        Some("http://127.0.0.1:9/list?page=2")
    );

    // It succeeds this time: it takes the failed attempt's place and paging goes on.
    let m = page_event(&app, id, 2);
    update(&mut app, m);
    let pager = app
        .history
        .get(id)
        .unwrap()
        .paging
        .as_ref()
        .unwrap()
        .pager
        .clone();
    update(
        &mut app,
        Msg::Http(HttpEvent::PagingDone {
            id,
            pager: Box::new(pager),
        }),
    );
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert_eq!(p.problem(), None);
    assert_eq!(
        p.pages
            .iter()
            .map(|pg| (pg.number, pg.status))
            .collect::<Vec<_>>(),
        vec![(1, 200), (2, 200)]
    );
    assert_eq!(p.summary(), "4 items in 2 pages · more available (link)");
    assert!(matches!(
        update(&mut app, key('m')).as_slice(),
        [Effect::Paginate { .. }]
    ));
    let m = page_event(&app, id, 3);
    update(&mut app, m);
    assert_eq!(ids(&app, id), vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_configured_page_size_goes_on_the_first_request() {
    let mut app = app_with("paged-next-url");
    let pagination: crate::model::Pagination =
        toml::from_str::<toml::Table>("p = { style = \"page\", size = 7 }").unwrap()["p"]
            .clone()
            .try_into()
            .unwrap();
    app.origin.as_mut().unwrap().saved.pagination = Some(pagination);
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("expected a send, got {effects:?}");
    };
    let url = url::Url::parse(&job.spec.url).unwrap();
    assert!(
        url.query_pairs().any(|(k, v)| k == "per_page" && v == "7"),
        "{}",
        job.spec.url
    );
    // What went on the wire is what the Request tab shows.
    assert_eq!(app.history.get(job.id).unwrap().sent.url, job.spec.url);
}

#[test]
fn s_after_loading_all_pages_saves_every_item_the_body_tab_shows() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('M'));
    for n in 2..=3 {
        let m = page_event(&app, id, n);
        update(&mut app, m);
    }
    update(&mut app, key('s'));
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let Some(Effect::SaveBody {
        body: crate::app::SaveBody::Pages { pages, items },
        path,
        ..
    }) = effects.first()
    else {
        panic!("expected the merged pages to be saved, got {effects:?}");
    };
    assert_eq!(*items, 6);
    // What the runner writes: all six items as one JSON array, in order.
    let written = crate::event_loop::io::pages_json(pages, Vec::new());
    let all: Vec<Value> = serde_json::from_slice(&written).unwrap();
    let ids: Vec<u64> = all.iter().map(|v| v["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    // And the message says how many items went to the file.
    update(
        &mut app,
        Msg::Saved {
            id,
            path: path.clone(),
            outcome: crate::app::SaveOutcome::Written {
                bytes: written.len() as u64,
                items: Some(6),
            },
        },
    );
    let notice = format!("{:?}", app.notice);
    assert!(notice.contains("Saved 6 items ("), "{notice}");
}

#[test]
fn a_response_without_pages_never_shows_the_pages_tab() {
    let (mut app, _, _) = paged_app();
    update(&mut app, key('['));
    assert_eq!(app.response_tab, ResponseTab::Pages);
    // A new request goes out from the editor; its response does not page.
    app.focus = Pane::Editor;
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    let Some(Effect::Send(job)) = effects.first() else {
        panic!("{effects:?}");
    };
    let mut plain = page_response(3);
    plain.body = Bytes::from_static(b"{\"ok\":true}");
    update(
        &mut app,
        Msg::Http(HttpEvent::Finished {
            id: job.id,
            result: Ok(Box::new(plain)),
        }),
    );
    assert!(!app.shown_pages());
    assert_eq!(app.response_tab, ResponseTab::Body);
}

#[test]
fn an_exchange_loading_pages_is_never_cut_for_memory() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('M'));
    app.memory_budget = 0;
    // Another request is sent and shown while the pages load.
    app.focus = Pane::Editor;
    let sent = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
    );
    assert!(sent.iter().any(|e| matches!(e, Effect::Send(_))));
    assert_ne!(app.shown, Some(id));
    let x = app.history.get(id).unwrap();
    assert!(
        x.paging.as_ref().is_some_and(|p| p.loading.is_some()),
        "still loading, so still paged"
    );
}

#[test]
fn alt_m_loads_the_next_page_from_the_url_bar_where_m_is_typed() {
    let (mut app, _, _) = paged_app();
    app.focus = Pane::Editor;
    assert!(app.editor.is_typing());
    let effects = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::ALT)),
    );
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Paginate { .. })),
        "{effects:?}"
    );
    assert!(!app.editor.url.text().ends_with('m'), "nothing typed");
}

#[test]
fn a_load_stopped_after_one_page_says_page() {
    let (mut app, id, _) = paged_app();
    update(&mut app, key('M'));
    update(&mut app, esc());
    let p = app.history.get(id).unwrap().paging.as_ref().unwrap();
    assert!(
        p.summary().ends_with("stopped by you after 1 page"),
        "{}",
        p.summary()
    );
}

#[test]
fn at_the_page_cap_capital_m_again_loads_50_more_pages() {
    let (mut app, id, _) = paged_app();
    // The pager as the worker leaves it when `max_pages` stopped it with pages left.
    let x = app.history.get_mut(id).unwrap();
    let pager = &mut x.paging.as_mut().unwrap().pager;
    let next = pager.next.take().unwrap();
    pager.resume = Some(next.clone());
    pager.finished = Some(StopReason::Cap(crate::http::paginate::CapHit::Pages(50)).to_string());
    let rows = crate::app::testing::draw(&mut app);
    assert!(
        rows.iter().any(|r| r.contains("(M: load 50 more pages)")),
        "{}",
        rows.join("\n")
    );
    let effects = update(&mut app, key('M'));
    let [Effect::Paginate { pager, load, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*load, Load::All);
    assert_eq!(pager.next.as_ref(), Some(&next), "on from where it stopped");
    assert_eq!(pager.pagination.limits.max_pages, pager.state.pages + 50);
    assert!(pager.finished.is_none() && !pager.at_cap());
}
