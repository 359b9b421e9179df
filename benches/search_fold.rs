//! Reading a large response: searching 100 MB of text for a word with ~10,000 matches (time to
//! the first match, time to count them all), and folding a 13 MB JSON document (building its
//! outline, fold-all / unfold-all / one toggle and the visible rows after each, the path and the
//! value at the last line).
//!
//! `cargo bench --bench search_fold` prints one-off figures (first match, memory) before
//! criterion's; under `cargo test` each benchmark runs once on smaller inputs.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use scout::highlight::{Document, Folds, Outline};
use scout::inspect::search::{Query, search};
use serde_json::{Value, json};

/// Whether this is a real benchmark run (`cargo bench`), not `cargo test`.
fn full() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// About `mb` MB of JSON-like text, one member per line, with `matches` lines holding "needle"
/// spread evenly (the first one about 1/`matches` of the way in).
fn text_with_matches(mb: usize, matches: usize) -> String {
    let line = "    \"description\": \"An account holds the balance of a customer\",\n";
    let lines = (mb << 20) / line.len();
    let every = (lines / matches).max(1);
    let mut text = String::with_capacity(lines * line.len() + 64);
    for i in 0..lines {
        if i % every == every / 2 {
            text.push_str("    \"status\": \"overdrawn: needle in the ledger\",\n");
        } else {
            text.push_str(line);
        }
    }
    text
}

/// A GitHub-like OpenAPI description of at least `size` bytes (compact), with deep nesting.
fn openapi(size: usize) -> Vec<u8> {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    let mut bytes = 0;
    let mut i = 0;
    while bytes < size {
        let operation = json!({
            "summary": format!("List issues of repository {i}"),
            "operationId": format!("issues/list-{i}"),
            "tags": ["issues"],
            "parameters": [
                {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}},
                {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["open", "closed", "all"]}}
            ],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": format!("#/components/schemas/issue-{i}")}
                }}}},
                "404": {"$ref": "#/components/responses/not_found"}
            },
            "x-github": {"githubCloudOnly": false, "enabledForGitHubApps": true, "category": "issues"}
        });
        let schema = json!({
            "title": "Issue",
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64", "example": 1},
                "title": {"type": "string", "example": "Widget creation fails"},
                "user": {"type": "object", "properties": {
                    "login": {"type": "string"}, "site_admin": {"type": "boolean"}
                }},
                "labels": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}}
            },
            "required": ["id", "title", "user"]
        });
        bytes += operation.to_string().len() + schema.to_string().len() + 64;
        paths.insert(
            format!("/repos/{{owner}}/{{repo}}/issues/{i}"),
            json!({"get": operation}),
        );
        schemas.insert(format!("issue-{i}"), schema);
        i += 1;
    }
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "GitHub v3 REST API", "version": "1.1.4"},
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(schemas)}
    });
    doc.to_string().into_bytes()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn search_figures(text: &str) {
    for (query, what) in [
        (Query::new("needle", false), "literal, ignoring case"),
        (
            Query::new("Needle", false),
            "literal, exact case (no match)",
        ),
        (Query::new(r"over\w+: needle", true), "regex"),
        (
            Query::new(r"[^x]*needle", true),
            "regex crossing lines, so searched line by line",
        ),
    ] {
        let Ok(query) = query else { continue };
        let mut first = Duration::MAX;
        let mut found = None;
        let all = median(5, || {
            let start = Instant::now();
            let mut seen = false;
            found = Some(search(text, &query, &AtomicBool::new(false), |p| {
                if !seen && p.count > 0 {
                    seen = true;
                    first = first.min(start.elapsed());
                }
            }));
        });
        eprintln!(
            "search {} MB for {:?} ({what}): {} matches; first reported after {:.2} ms, all counted in {:.0} ms (median of 5)",
            text.len() >> 20,
            query.text(),
            found.map_or(0, |f| f.count),
            if first == Duration::MAX {
                f64::NAN
            } else {
                ms(first)
            },
            ms(all),
        );
    }
}

fn fold_figures(doc: &Document) {
    let start = Instant::now();
    let outline = Outline::of(doc).expect("pretty JSON");
    let built = start.elapsed();
    let n = doc.line_count();
    eprintln!(
        "JSON of 13 MB ({} MB pretty-printed), {n} lines, {} containers; outline built in {:.1} ms, {:.1} MB",
        doc.display_text().len() >> 20,
        outline.container_count(),
        ms(built),
        outline.memory_bytes() as f64 / (1 << 20) as f64
    );
    let mut folds = Folds::new();
    let fold_all = median(11, || {
        folds.fold_all();
        black_box(folds.rows(&outline));
    });
    let rows = folds.rows(&outline);
    eprintln!(
        "  fold all + rows: {:.3} ms ({} rows, {} folds)",
        ms(fold_all),
        rows.len(),
        rows.folds()
    );
    // Unfold `paths` (a few thousand folded operations show).
    let paths = (0..n)
        .find(|&i| doc.line(i).starts_with("  \"paths\""))
        .unwrap_or(0);
    let toggle = median(11, || {
        folds.fold_all();
        folds.toggle(&outline, paths);
        black_box(folds.rows(&outline));
    });
    let rows = folds.rows(&outline);
    eprintln!(
        "  fold all, unfold `paths` + rows: {:.3} ms ({} rows, {} folds)",
        ms(toggle),
        rows.len(),
        rows.folds()
    );
    let lookups = median(11, || {
        for r in (0..rows.len()).step_by(97) {
            black_box(rows.row_of_line(rows.line_of_row(r)));
        }
    });
    eprintln!(
        "  row → line → row for {} rows: {:.3} µs each",
        rows.len() / 97,
        ms(lookups) * 1e3 / (rows.len() / 97).max(1) as f64
    );
    let unfold = median(11, || {
        folds.unfold_all();
        black_box(folds.rows(&outline));
    });
    // Every second container of `components` folded by hand: many folds at once.
    let mut many = Folds::new();
    for i in (n / 2..n).step_by(40) {
        many.toggle(&outline, i);
    }
    let many_rows = median(11, || {
        black_box(many.rows(&outline));
    });
    eprintln!(
        "  unfold all + rows: {:.3} ms; rows with {} folds: {:.3} ms",
        ms(unfold),
        many.rows(&outline).folds(),
        ms(many_rows)
    );
    let line = |i| doc.content(i);
    let last = n - 2; // the closing line of the last schema's parent
    let path = median(101, || {
        black_box(outline.path_at(last, line));
    });
    let deep = (0..n)
        .rev()
        .find(|&i| doc.line(i).contains("\"login\""))
        .unwrap_or(0);
    let deep_path = median(101, || {
        black_box(outline.path_at(deep + 1, line));
    });
    eprintln!(
        "  path_at line {last} ({}): {:.1} µs; at line {} ({}): {:.1} µs",
        outline.path_at(last, line),
        ms(path) * 1e3,
        deep + 1,
        outline.path_at(deep + 1, line),
        ms(deep_path) * 1e3
    );
    let value = median(5, || {
        black_box(outline.value_at(0, |i| (doc.indent(i), doc.content(i))));
    });
    eprintln!(
        "  value_at line 0 (the whole document): {:.1} ms",
        ms(value)
    );
}

fn bench(c: &mut Criterion) {
    let (search_mb, json_mb) = if full() { (100, 13) } else { (1, 1) };
    let text = text_with_matches(search_mb, 10_000);
    let json = openapi(json_mb << 20);
    let doc = Document::from_body(&json, Some("application/json"));
    if full() {
        search_figures(&text);
        fold_figures(&doc);
    }

    let needle = Query::new("needle", false).expect("a query");
    let mut group = c.benchmark_group("search");
    group.bench_function(format!("count_needle_{search_mb}mb"), |b| {
        b.iter(|| search(&text, &needle, &AtomicBool::new(false), |_| {}).count)
    });
    group.finish();

    let outline = Outline::of(&doc).expect("pretty JSON");
    let n = doc.line_count();
    let mut group = c.benchmark_group(format!("fold_{json_mb}mb"));
    group.bench_function("outline", |b| b.iter(|| Outline::of(&doc)));
    group.bench_function("fold_all_rows", |b| {
        let mut folds = Folds::new();
        b.iter(|| {
            folds.fold_all();
            folds.rows(&outline)
        })
    });
    group.bench_function("toggle_rows", |b| {
        let mut folds = Folds::new();
        b.iter(|| {
            folds.toggle(&outline, n / 2);
            folds.rows(&outline)
        })
    });
    group.bench_function("path_at_last_line", |b| {
        b.iter(|| outline.path_at(n - 2, |i| doc.content(i)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
