//! A write past the process's file-size limit (`ulimit -f`, a quota) is an error scout reports,
//! not a signal that kills it: by default SIGXFSZ ends the process on the spot, leaving a
//! download's partial file behind and the terminal in raw mode.

/// Makes such writes fail with `EFBIG` (handled where the write is); call it first in `main`.
pub fn report_not_die() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" before any thread starts; no handler
    // code runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
