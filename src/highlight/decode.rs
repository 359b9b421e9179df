//! From raw body bytes to text: Content-Type parsing, charset decoding, binary detection and the
//! hex summary shown for binary bodies.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How many leading bytes the binary sniffer looks at.
const SNIFF_LEN: usize = 8192;

/// How many leading bytes of a binary body are shown as a hex dump.
pub(crate) const HEX_DUMP_LEN: usize = 512;

/// The parts of a Content-Type header value we use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct MediaType {
    /// `type/subtype`, lowercased, without parameters; empty when absent.
    pub(crate) essence: String,
    /// The `charset` parameter, unquoted, as sent.
    pub(crate) charset: Option<String>,
}

impl MediaType {
    pub(crate) fn parse(content_type: Option<&str>) -> MediaType {
        let Some(ct) = content_type else {
            return MediaType::default();
        };
        let mut parts = ct.split(';');
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let charset = parts.find_map(|param| {
            let (name, value) = param.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("charset") {
                return None;
            }
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value)
                .trim();
            (!value.is_empty()).then(|| value.to_owned())
        });
        MediaType { essence, charset }
    }

    /// Types whose bodies are not meant to be read as text.
    pub(crate) fn is_binary(&self) -> bool {
        let e = self.essence.as_str();
        ["image/", "audio/", "video/", "font/"]
            .iter()
            .any(|p| e.starts_with(p))
            || matches!(
                e,
                "application/octet-stream"
                    | "application/pdf"
                    | "application/zip"
                    | "application/gzip"
                    | "application/x-gzip"
                    | "application/x-tar"
                    | "application/x-bzip2"
                    | "application/x-7z-compressed"
                    | "application/x-rar-compressed"
                    | "application/zstd"
                    | "application/wasm"
                    | "application/protobuf"
                    | "application/x-protobuf"
                    | "application/vnd.google.protobuf"
                    | "application/msgpack"
                    | "application/x-msgpack"
                    | "application/cbor"
                    | "application/java-archive"
                    | "application/vnd.ms-fontobject"
            )
    }
}

/// A body turned into text, or recognised as binary.
#[derive(Debug)]
pub(crate) enum Decoded<'a> {
    Text {
        text: Cow<'a, str>,
        notices: Vec<String>,
    },
    Binary,
}

/// Decodes `body` following its BOM, then the declared charset, then UTF-8; or reports it as
/// binary. `binary_type`: the Content-Type says binary (text that is clean UTF-8 still wins).
pub(crate) fn decode<'a>(body: &'a [u8], media: &MediaType, binary_type: bool) -> Decoded<'a> {
    let mut notices = Vec::new();
    let declared = media
        .charset
        .as_deref()
        .map(|label| (label, Encoding::for_label(label.as_bytes())));
    let (encoding, bom_len, label) = match (Encoding::for_bom(body), declared) {
        (Some((enc, bom_len)), _) => (enc, bom_len, None),
        (None, Some((label, Some(enc)))) => (enc, 0, Some(label)),
        (None, Some((label, None))) => {
            notices.push(format!("Unknown charset \"{label}\"; decoded as UTF-8"));
            (UTF_8, 0, None)
        }
        (None, None) => (UTF_8, 0, None),
    };
    let payload = body.get(bom_len..).unwrap_or_default();
    let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
    // A JSON text sequence (RFC 7464) puts an RS control byte before every value.
    let separators = media.essence.ends_with("json-seq");
    if !utf16 && looks_binary(payload, encoding == UTF_8, binary_type, separators) {
        return Decoded::Binary;
    }
    let text = if encoding == UTF_8 {
        match std::str::from_utf8(payload) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) => {
                notices.push(format!(
                    "Body is not valid UTF-8 (first bad byte at offset {}); invalid bytes shown as \u{fffd}",
                    bom_len + e.valid_up_to()
                ));
                String::from_utf8_lossy(payload)
            }
        }
    } else {
        let name = label.unwrap_or(encoding.name());
        notices.push(format!("Decoded from {name}"));
        let (text, had_errors) = encoding.decode_without_bom_handling(payload);
        if had_errors {
            notices.push(format!(
                "Body is not valid {name}; invalid bytes shown as \u{fffd}"
            ));
        }
        text
    };
    Decoded::Text { text, notices }
}

/// NUL bytes, or more than 10% control characters / invalid UTF-8 in the first bytes, mean
/// binary. A binary Content-Type is believed unless the body is clean text. `separators`: RS
/// bytes are expected (and not counted).
fn looks_binary(payload: &[u8], utf8: bool, binary_type: bool, separators: bool) -> bool {
    let sample = &payload[..payload.len().min(SNIFF_LEN)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| is_binary_control(b) && !(separators && b == 0x1e))
        .count();
    let invalid: usize = if utf8 {
        sample.utf8_chunks().map(|c| c.invalid().len()).sum()
    } else {
        0
    };
    if (controls + invalid) * 10 > sample.len() {
        return true;
    }
    let clean = controls == 0 && (!utf8 || std::str::from_utf8(payload).is_ok());
    binary_type && !clean
}

/// Control bytes that do not occur in ordinary text (tab, newlines, form feed and ESC do).
fn is_binary_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f
}

/// `hexdump -C` style lines for the first [`HEX_DUMP_LEN`] bytes, e.g.
/// `00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|`.
pub(crate) fn hex_dump(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = &bytes[..bytes.len().min(HEX_DUMP_LEN)];
    let mut out = String::with_capacity(bytes.len().div_ceil(16) * 80);
    for (row, chunk) in bytes.chunks(16).enumerate() {
        out.push_str(&format!("{:08x}  ", row * 16));
        for j in 0..16 {
            match chunk.get(j) {
                Some(&b) => {
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xf)]));
                }
                None => out.push_str("  "),
            }
            out.push_str(match j {
                7 => "  ",
                15 => "  |",
                _ => " ",
            });
        }
        out.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '.'
            }
        }));
        out.push_str("|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(d: Decoded<'_>) -> (String, Vec<String>) {
        match d {
            Decoded::Text { text, notices } => (text.into_owned(), notices),
            Decoded::Binary => panic!("expected text"),
        }
    }

    #[test]
    fn parses_content_type() {
        let m = MediaType::parse(Some("Text/HTML; Charset=\"ISO-8859-1\"; q=1"));
        assert_eq!(m.essence, "text/html");
        assert_eq!(m.charset.as_deref(), Some("ISO-8859-1"));
        let m = MediaType::parse(Some("application/json;charset=utf-8"));
        assert_eq!(m.charset.as_deref(), Some("utf-8"));
        assert_eq!(MediaType::parse(None), MediaType::default());
        assert_eq!(MediaType::parse(Some("text/plain; charset=")).charset, None);
    }

    #[test]
    fn decodes_declared_charsets() {
        let latin1 = MediaType::parse(Some("text/plain; charset=ISO-8859-1"));
        let (text, notices) = text_of(decode(b"caf\xe9", &latin1, false));
        assert_eq!(text, "café");
        assert_eq!(notices, ["Decoded from ISO-8859-1"]);

        let (text, notices) = text_of(decode(b"\xff\xfeh\0i\0", &MediaType::default(), false));
        assert_eq!(text, "hi");
        assert_eq!(notices, ["Decoded from UTF-16LE"]);

        let (text, notices) = text_of(decode(b"\xef\xbb\xbfok", &latin1, false));
        assert_eq!((text.as_str(), notices.len()), ("ok", 0));

        let bogus = MediaType::parse(Some("text/plain; charset=klingon"));
        let (text, notices) = text_of(decode(b"ok", &bogus, false));
        assert_eq!(text, "ok");
        assert_eq!(notices, ["Unknown charset \"klingon\"; decoded as UTF-8"]);
    }

    #[test]
    fn a_few_bad_utf8_bytes_stay_text() {
        let mut body = b"hello world, this is mostly text ".repeat(10);
        body.insert(40, 0xff);
        let (text, notices) = text_of(decode(&body, &MediaType::default(), false));
        assert!(text.contains('\u{fffd}'));
        assert_eq!(
            notices,
            [
                "Body is not valid UTF-8 (first bad byte at offset 40); invalid bytes shown as \u{fffd}"
            ]
        );
    }

    #[test]
    fn detects_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(
            decode(png, &MediaType::default(), false),
            Decoded::Binary
        ));
        let noise: Vec<u8> = (0..=255u8)
            .cycle()
            .skip(1)
            .take(600)
            .filter(|&b| b != 0)
            .collect();
        assert!(matches!(
            decode(&noise, &MediaType::default(), false),
            Decoded::Binary
        ));
        let octet = MediaType::parse(Some("application/octet-stream"));
        assert!(octet.is_binary());
        assert!(matches!(decode(b"caf\xe9", &octet, true), Decoded::Binary));
        // Clean text under a binary type is still shown as text.
        assert!(matches!(
            decode(b"plain words\n", &octet, true),
            Decoded::Text { .. }
        ));
        assert!(!MediaType::parse(Some("text/csv")).is_binary());
    }

    #[test]
    fn hex_dump_format() {
        let dump = hex_dump(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRxyz");
        let lines: Vec<&str> = dump.lines().collect();
        assert_eq!(
            lines,
            [
                "00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|",
                "00000010  78 79 7a                                          |xyz|",
            ]
        );
        assert_eq!(hex_dump(&[0u8; 2000]).lines().count(), HEX_DUMP_LEN / 16);
    }
}
