//! `scout send` on a response that streams (server-sent events): its head, then its bytes as they
//! arrive, as xh prints them — so `scout send :8080/events | grep price` works on a stream that
//! never ends. Piped, only the bytes; on a terminal, the status line and headers first.

use std::io::Write;

use bytes::Bytes;

use crate::cli::print::{head, write_io};
use crate::http::HttpError;
use crate::http::job::HttpEvent;
use crate::model::ResponseData;

/// What a streaming response prints, in order.
#[derive(Debug)]
pub enum Piece {
    /// The status line and header fields.
    Head(Box<ResponseData>),
    /// More of the body.
    Bytes(Bytes),
}

/// The piece an event of the executor carries, if it is one of a stream.
pub fn piece(event: &HttpEvent) -> Option<Piece> {
    match event {
        HttpEvent::Streaming {
            status,
            reason,
            version,
            headers,
            ..
        } => Some(Piece::Head(Box::new(ResponseData {
            stopped: false,
            spilled: None,
            status: *status,
            reason: reason.clone(),
            version: version.clone(),
            headers: headers.clone(),
            body: Bytes::new(),
            elapsed: Default::default(),
            redirects: Vec::new(),
            url: String::new(),
            timing: None,
            wire: Vec::new(),
            cache: None,
        }))),
        HttpEvent::Chunk { data, .. } => Some(Piece::Bytes(data.clone())),
        _ => None,
    }
}

/// Prints `piece` at once.
pub fn write(out: &mut dyn Write, piece: &Piece, tty: bool) -> Result<(), HttpError> {
    match piece {
        Piece::Head(response) if tty => write_io(out.write_all(head(response).as_bytes()))?,
        Piece::Head(_) => {}
        Piece::Bytes(bytes) => write_io(out.write_all(bytes))?,
    }
    write_io(out.flush())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_prints_its_bytes_as_they_come_and_its_head_only_on_a_terminal() {
        let head = piece(&HttpEvent::Streaming {
            id: 1,
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "text/event-stream".into())],
        })
        .unwrap();
        let data = piece(&HttpEvent::Chunk {
            id: 1,
            data: Bytes::from_static(b"data: 1\n\n"),
        })
        .unwrap();
        let mut piped = Vec::new();
        write(&mut piped, &head, false).unwrap();
        write(&mut piped, &data, false).unwrap();
        assert_eq!(piped, b"data: 1\n\n");
        let mut tty = Vec::new();
        write(&mut tty, &head, true).unwrap();
        let text = String::from_utf8(tty).unwrap();
        assert!(
            text.contains("200") && text.contains("text/event-stream"),
            "{text}"
        );
        assert!(
            piece(&HttpEvent::Progress {
                id: 1,
                received: 0,
                total: None
            })
            .is_none()
        );
    }
}
