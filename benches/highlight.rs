//! Response-body pipeline benchmarks: `Document::from_body` on a ~10 MB JSON body and a 1 MB
//! HTML body, and highlighting 100-line windows at the top and at the end of each.
//!
//! Run with `cargo bench --bench highlight`. Also prints one-off figures criterion cannot
//! express: the cold first jump to the end of the HTML body and the process's peak memory.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scout::highlight::{Document, highlighter};

/// A small deterministic generator (no dependency on `rand`).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const WORDS: [&str; 12] = [
    "account", "invoice", "customer", "order", "shipment", "product", "price", "tax", "refund",
    "webhook", "session", "token",
];

/// A compact OpenAPI-like document of at least `size` bytes.
fn openapi_json(size: usize) -> Vec<u8> {
    let mut rng = Lcg(42);
    let mut s = String::with_capacity(size + 4096);
    s.push_str(r#"{"openapi":"3.1.0","info":{"title":"Bench API","version":"1.0.0","description":"Generated \"for\" benchmarks\nwith escapes \u00e9"},"paths":{"#);
    let mut i = 0;
    while s.len() < size / 2 {
        let w = WORDS[(rng.next() % 12) as usize];
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r##""/{w}s/{i}/{{id}}":{{"get":{{"operationId":"get{w}{i}","summary":"Fetch a {w} by id","tags":["{w}","v1"],"parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"string","format":"uuid"}}}},{{"name":"expand","in":"query","required":false,"schema":{{"type":"array","items":{{"type":"string","enum":["lines","customer","tax"]}}}}}}],"responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/{w}{i}"}}}}}}}},"404":{{"description":"Not found","content":{{}}}}}},"deprecated":false}}}}"##
        ));
        i += 1;
    }
    s.push_str(r#"},"components":{"schemas":{"#);
    let mut i = 0;
    while s.len() < size {
        let w = WORDS[(rng.next() % 12) as usize];
        if i > 0 {
            s.push(',');
        }
        let amount = rng.next() % 100_000;
        s.push_str(&format!(
            r#""{w}{i}":{{"type":"object","required":["id","amount"],"properties":{{"id":{{"type":"string","example":"{w}_{i:08x}"}},"amount":{{"type":"integer","minimum":0,"example":{amount}}},"rate":{{"type":"number","example":{}.{:02}}},"active":{{"type":"boolean","default":true}},"metadata":{{"type":"object","additionalProperties":{{"type":"string"}},"example":{{}}}},"history":{{"type":"array","items":{{"type":"object","properties":{{"at":{{"type":"string","format":"date-time"}},"note":{{"type":["string","null"]}}}}}},"example":[[],[null,-1.5e3]]}}}}}}"#,
            rng.next() % 100,
            rng.next() % 100
        ));
        i += 1;
    }
    s.push_str("}}}");
    s.into_bytes()
}

/// An HTML page of at least `size` bytes with inline CSS and JavaScript.
fn html_page(size: usize) -> Vec<u8> {
    let mut rng = Lcg(7);
    let mut s = String::with_capacity(size + 4096);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Bench</title>\n  <style>\n    body { font-family: sans-serif; margin: 0 auto; }\n    .row:hover { background: #eee; }\n  </style>\n  <script>\n    function toggle(id) {\n      const el = document.getElementById(id);\n      el.hidden = !el.hidden; // flip\n    }\n  </script>\n</head>\n<body>\n<table class=\"data\">\n");
    let mut i = 0;
    while s.len() < size {
        let w = WORDS[(rng.next() % 12) as usize];
        s.push_str(&format!(
            "  <tr class=\"row\" id=\"r{i}\" onclick=\"toggle('d{i}')\">\n    <td><a href=\"/{w}s/{i}\">{w} #{i}</a></td>\n    <td>{} &euro;</td>\n    <!-- {w} row -->\n  </tr>\n",
            rng.next() % 10_000
        ));
        i += 1;
    }
    s.push_str("</table>\n</body>\n</html>\n");
    s.into_bytes()
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn one_off_figures() {
    // Before anything else allocates: peak memory for a 13 MB JSON body.
    highlighter();
    let body = openapi_json(13 << 20);
    let start = Instant::now();
    let doc = Document::from_body(&body, Some("application/json"));
    let built = start.elapsed();
    let first = highlighter().highlight(&doc, 0..100);
    let elapsed = start.elapsed();
    let last = highlighter().highlight(&doc, doc.line_count() - 100..doc.line_count());
    black_box((&first, &last));
    eprintln!(
        "13 MB JSON (cold process): {} lines; from_body {:.1} ms + first 100 lines {:.1} ms; peak RSS {:.1} MB",
        doc.line_count(),
        built.as_secs_f64() * 1e3,
        (elapsed - built).as_secs_f64() * 1e3,
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    drop((doc, body));

    let body = html_page(1 << 20);
    let doc = Document::from_body(&body, Some("text/html"));
    let n = doc.line_count();
    let start = Instant::now();
    black_box(highlighter().highlight(&doc, n - 100..n));
    let cold = start.elapsed();
    let start = Instant::now();
    black_box(highlighter().highlight(&doc, n - 100..n));
    eprintln!(
        "1 MB HTML: {n} lines, first jump to the end {:.1} ms (cold), then {:.2} ms",
        cold.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3
    );
}

fn bench(c: &mut Criterion) {
    one_off_figures();

    let json = openapi_json(10 << 20);
    let mut group = c.benchmark_group("json_10mb");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("from_body", |b| {
        b.iter(|| Document::from_body(black_box(&json), Some("application/json")))
    });
    group.bench_function("from_body_and_first_100_lines", |b| {
        b.iter(|| {
            let doc = Document::from_body(black_box(&json), Some("application/json"));
            highlighter().highlight(&doc, 0..100)
        })
    });
    group.finish();

    let doc = Document::from_body(&json, Some("application/json"));
    let n = doc.line_count();
    let mut group = c.benchmark_group("json_10mb_highlight");
    group.bench_function("first_100_lines", |b| {
        b.iter(|| highlighter().highlight(&doc, 0..100))
    });
    group.bench_function("last_100_lines", |b| {
        b.iter(|| highlighter().highlight(&doc, n - 100..n))
    });
    group.bench_function("middle_100_lines", |b| {
        b.iter(|| highlighter().highlight(&doc, n / 2..n / 2 + 100))
    });
    group.finish();

    let html = html_page(1 << 20);
    let mut group = c.benchmark_group("html_1mb");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.bench_function("from_body", |b| {
        b.iter(|| Document::from_body(black_box(&html), Some("text/html")))
    });
    group.finish();

    let doc = Document::from_body(&html, Some("text/html"));
    let n = doc.line_count();
    // Fill the parser checkpoints once (the cold jump is reported by `one_off_figures`).
    highlighter().highlight(&doc, n - 100..n);
    let mut group = c.benchmark_group("html_1mb_highlight");
    group.bench_function("first_100_lines", |b| {
        b.iter(|| highlighter().highlight(&doc, 0..100))
    });
    group.bench_function("last_100_lines_warm", |b| {
        b.iter(|| highlighter().highlight(&doc, n - 100..n))
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
