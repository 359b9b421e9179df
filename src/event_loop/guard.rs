//! A bug in background work (a panic) must not leave the app waiting for an answer that never
//! comes: a filter "running" for good, a save never confirmed. The panic is caught and said on
//! the message line, and the work answers with a failure of its own kind, so whatever waited for
//! it settles. (Sends have their own guard: `HttpError::Internal`.)

use std::any::Any;
use std::panic::AssertUnwindSafe;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::Msg;
use crate::fault;

/// What the user reads about a panic while `doing` something ("filtering the body").
pub(super) fn bug(doing: &str, panic: &(dyn Any + Send)) -> String {
    format!(
        "scout failed while {doing}: {} (a bug in scout; the rest of the app keeps working)",
        fault::panic_message(panic)
    )
}

/// Runs `work` and sends the message it makes, if any. If it panics, sends the panic's message
/// as a problem, then what `failed` makes of that message: the failed answer to the work.
pub(super) fn answer(
    msgs: &UnboundedSender<Msg>,
    doing: &str,
    work: impl FnOnce() -> Option<Msg>,
    failed: impl FnOnce(&str) -> Option<Msg>,
) {
    match std::panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(msg) => {
            if let Some(msg) = msg {
                let _ = msgs.send(msg);
            }
        }
        Err(panic) => {
            let text = bug(doing, &*panic);
            let settled = failed(&text);
            let _ = msgs.send(Msg::Problem(text));
            if let Some(msg) = settled {
                let _ = msgs.send(msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::sync::mpsc;

    use super::*;

    fn sent(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Vec<String> {
        std::iter::from_fn(|| rx.try_recv().ok())
            .map(|m| match m {
                Msg::Problem(text) => format!("problem: {text}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn work_that_ends_sends_its_answer_only() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        answer(
            &tx,
            "testing",
            || Some(Msg::Tick),
            |_| Some(Msg::Resize(1, 1)),
        );
        assert_eq!(sent(&mut rx), ["Tick"]);
    }

    #[test]
    fn a_panic_is_said_then_answered_with_the_failure() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut seen = String::new();
        answer(
            &tx,
            "filtering the body",
            || panic!("boom"),
            |text| {
                seen = text.to_owned();
                Some(Msg::Tick)
            },
        );
        let expected = "scout failed while filtering the body: boom (a bug in scout; the rest of \
                        the app keeps working)";
        assert_eq!(seen, expected);
        assert_eq!(
            sent(&mut rx),
            [format!("problem: {expected}"), "Tick".into()]
        );
    }

    #[test]
    fn a_panic_with_no_failed_answer_is_still_said() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        answer(&tx, "watching", || panic!("{}", 7), |_| None);
        assert_eq!(sent(&mut rx).len(), 1);
    }
}
