//! How the process asks its allocator to give memory back. Bodies of tens of megabytes, and the
//! documents prepared from them, are allocated and freed on several threads; glibc serves such
//! large blocks from its heaps once its adaptive threshold has risen, and what they leave behind
//! stays resident: 20 responses of 10 MB took the process to 500 MB while the exchanges held
//! 180 MB between them (`cargo bench --bench memory`). A fixed threshold keeps every block of a
//! megabyte or more in its own mapping, returned to the system the moment it is freed (220 MB
//! at the end, 280 MB at the peak).

/// Applies the settings; call it first thing in `main`, before any thread starts.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before any other thread
    // exists, and a refused setting (return value 0) leaves the defaults in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives back to the system what the allocator holds freed in its heaps. A structure of millions
/// of small blocks (a body parsed for a filter: 1.4 GB for 50 MB of JSON) stays resident once
/// freed, small blocks being served from the heaps; this returns it. It walks the heaps: a few
/// milliseconds, so call it off the UI thread, after freeing something large.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory at the allocator's own discretion; it is
    // thread-safe and touches no block in use.
    unsafe {
        libc::malloc_trim(0);
    }
}
