//! Faults the test suite injects into the real binary, to check what a bug does to the app (the
//! terminal restored after a panic on the UI thread; a panic while sending reported as that
//! send's failure; one in background work answered as that work's failure). Debug builds only:
//! `SCOUT_TEST_PANIC=send` panics in the next send's task, `SCOUT_TEST_PANIC=filter` in the next
//! body filter's, `SCOUT_TEST_PANIC=collections` while reading the collections folder,
//! `SCOUT_TEST_PANIC=key` on the UI thread at the next key. Release builds never panic here.

use std::any::Any;

/// Panics when the test suite asked for a panic at `point` (`send`, `filter`, `key`, …); debug
/// builds only.
pub fn panic_if_asked(point: &str) {
    if cfg!(debug_assertions) && std::env::var("SCOUT_TEST_PANIC").is_ok_and(|p| p == point) {
        panic!("injected by SCOUT_TEST_PANIC={point}");
    }
}

/// The message a panic carried (`panic!("…")` gives a `&str` or a `String`).
pub fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_message_is_read_whatever_its_type() {
        let caught = std::panic::catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(panic_message(&*caught), "plain");
        let caught = std::panic::catch_unwind(|| panic!("formatted {}", 1)).unwrap_err();
        assert_eq!(panic_message(&*caught), "formatted 1");
        let caught = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
        assert_eq!(panic_message(&*caught), "a panic without a message");
    }
}
