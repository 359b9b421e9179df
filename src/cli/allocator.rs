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
