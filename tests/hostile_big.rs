//! A 50 MB JSON array (one line) from the hostile server, formatted by `scout send`: streamed
//! out in bounded time and memory. A test binary of its own, so that the peak memory of its
//! children is this one child's.

mod support;
use std::time::Duration;

use support::cli::scout;
use support::hostile::{BIG_ARRAY_BYTES, Hostile};

/// The peak resident memory of the largest child this process has waited for, in bytes.
#[cfg(target_os = "linux")]
fn children_peak_rss() -> usize {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usize::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

#[test]
fn a_50_mb_json_array_streams_out_in_bounded_memory_and_time() {
    let h = Hostile::start();
    let ran = scout(&["send", "--pretty", "format", &h.url("/big-array")]);
    ran.code(0);
    // All of it pretty-printed: an object per few lines, the last one closing the array.
    assert!(ran.stdout.len() > BIG_ARRAY_BYTES, "{}", ran.stdout.len());
    assert!(
        ran.stdout.ends_with(b"]\n"),
        "{:?}",
        &ran.stdout[ran.stdout.len() - 20..]
    );
    assert!(ran.took < Duration::from_secs(60), "took {:?}", ran.took);
    // Headless output streams: memory stays under twice the body.
    #[cfg(target_os = "linux")]
    {
        let peak = children_peak_rss();
        assert!(peak < 2 * BIG_ARRAY_BYTES, "peak {} MiB", peak >> 20);
        eprintln!("/big-array: {:?}, peak {} MiB", ran.took, peak >> 20);
    }
}
