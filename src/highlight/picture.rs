//! What a binary body is, in one line: a picture's type (by its magic bytes, and what the
//! Content-Type says), dimensions and colour, read from its header only; any other binary body's
//! type and size. Also the full decode the picture is drawn from (CPU work: off the UI thread),
//! bounded so that a huge or hostile picture cannot take the memory.
//!
//! SVG is text, not a picture here: it stays XML.

use std::io::Cursor;

use image::{ColorType, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::decode::HEX_DUMP_LEN;
use crate::model::human_size;

/// Pictures wider or taller than this are described, not drawn.
pub const MAX_SIDE: u32 = 8000;

/// Pictures that take more than this decoded (4 bytes a pixel at least) are described, not drawn.
pub const MAX_DECODED: u64 = 50 * 1024 * 1024;

/// The picture types scout draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    Gif,
    WebP,
    Bmp,
    Ico,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Png => "PNG",
            Kind::Jpeg => "JPEG",
            Kind::Gif => "GIF",
            Kind::WebP => "WebP",
            Kind::Bmp => "BMP",
            Kind::Ico => "ICO",
        }
    }

    /// The type a body's first bytes say it is.
    pub fn of_magic(body: &[u8]) -> Option<Kind> {
        let starts = |magic: &[u8]| body.starts_with(magic);
        if starts(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if starts(b"\xff\xd8\xff") {
            Some(Kind::Jpeg)
        } else if starts(b"GIF87a") || starts(b"GIF89a") {
            Some(Kind::Gif)
        } else if starts(b"RIFF") && body.get(8..12) == Some(b"WEBP") {
            Some(Kind::WebP)
        } else if starts(b"BM") {
            Some(Kind::Bmp)
        } else if starts(b"\0\0\x01\0") {
            Some(Kind::Ico)
        } else {
            None
        }
    }

    /// The type a Content-Type essence (`image/png`, lowercased, no parameters) names.
    pub fn of_label(essence: &str) -> Option<Kind> {
        match essence {
            "image/png" | "image/apng" | "image/x-png" => Some(Kind::Png),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(Kind::Jpeg),
            "image/gif" => Some(Kind::Gif),
            "image/webp" => Some(Kind::WebP),
            "image/bmp" | "image/x-bmp" | "image/x-ms-bmp" => Some(Kind::Bmp),
            "image/x-icon" | "image/vnd.microsoft.icon" | "image/ico" => Some(Kind::Ico),
            _ => None,
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Png => ImageFormat::Png,
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Gif => ImageFormat::Gif,
            Kind::WebP => ImageFormat::WebP,
            Kind::Bmp => ImageFormat::Bmp,
            Kind::Ico => ImageFormat::Ico,
        }
    }
}

/// A picture's facts, from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// What its bytes are (which wins over the Content-Type).
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    /// `RGBA`, `greyscale 16-bit`, …
    pub colour: &'static str,
    /// Decoded, at least 4 bytes a pixel (what drawing it holds at once).
    pub decoded_bytes: u64,
    /// The body's size.
    pub bytes: u64,
    /// The Content-Type essence it came with (empty: none).
    pub label: String,
}

impl Picture {
    /// `PNG image · 640 × 480 · RGBA · 12 KB`, naming the Content-Type when it says otherwise.
    pub fn summary(&self) -> String {
        let labelled = if self.label.is_empty() || Kind::of_label(&self.label) == Some(self.kind) {
            String::new()
        } else {
            format!(" (labelled {})", self.label)
        };
        format!(
            "{} image{labelled} · {} × {} · {} · {}",
            self.kind.name(),
            self.width,
            self.height,
            self.colour,
            human_size(self.bytes)
        )
    }

    /// Why it is not drawn, when it is too large to.
    pub fn too_large(&self) -> Option<String> {
        let side = self.width.max(self.height) > MAX_SIDE;
        (side || self.decoded_bytes > MAX_DECODED).then(|| {
            format!(
                "Too large to draw ({} decoded; scout draws up to {MAX_SIDE} pixels a side and {}): shown as bytes",
                human_size(self.decoded_bytes),
                human_size(MAX_DECODED)
            )
        })
    }

    /// The warning when its data does not decode (`reason`), though its header did.
    pub fn undecodable(&self, reason: &str) -> String {
        undecodable(&self.label, self.kind, reason)
    }
}

/// What a binary body turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Picture(Picture),
    /// Labelled as a picture, or starting like one, but its header does not read: the warning.
    Broken(String),
    /// Some other binary body.
    Other,
}

impl Sniffed {
    /// The notice shown above the body (a picture's summary, the warning, or what the other
    /// binary body is and how much of it the hex view shows), and whether it is news rather than
    /// a warning.
    pub fn notice(&self, essence: &str, len: usize) -> (String, bool) {
        match self {
            Sniffed::Picture(p) => (p.summary(), true),
            Sniffed::Broken(warning) => (warning.clone(), false),
            Sniffed::Other => (binary_summary(essence, len), true),
        }
    }
}

/// Whether a Content-Type names a picture type scout draws: such a body is shown as a picture,
/// or as bytes, never as text.
pub fn is_picture_label(essence: &str) -> bool {
    Kind::of_label(essence).is_some()
}

/// What the binary `body` labelled `essence` is: its header is read, not its pixels.
pub fn sniff(body: &[u8], essence: &str) -> Sniffed {
    let Some(kind) = Kind::of_magic(body) else {
        return match Kind::of_label(essence) {
            Some(labelled) => Sniffed::Broken(undecodable(
                essence,
                labelled,
                &format!("it does not start with the {} signature", labelled.name()),
            )),
            None => Sniffed::Other,
        };
    };
    match header(body, kind) {
        Ok((width, height, colour)) => Sniffed::Picture(Picture {
            kind,
            width,
            height,
            colour: colour_name(colour),
            decoded_bytes: u64::from(width)
                * u64::from(height)
                * u64::from(colour.bytes_per_pixel().max(4)),
            bytes: body.len() as u64,
            label: essence.to_string(),
        }),
        // Two bytes of `BM` or four of an icon's header say little: without a picture label,
        // a body that only starts like one is some other binary body.
        Err(_) if matches!(kind, Kind::Bmp | Kind::Ico) && Kind::of_label(essence).is_none() => {
            Sniffed::Other
        }
        Err(reason) => Sniffed::Broken(undecodable(essence, kind, &reason)),
    }
}

/// Decodes the picture for drawing: bounded by [`MAX_SIDE`] and [`MAX_DECODED`] (a picture
/// whose header lies about its size fails here rather than taking the memory). CPU work.
pub fn decode(body: &[u8], kind: Kind) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::with_format(Cursor::new(body), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // The decoded picture, and the decoder's own buffers beside it.
    limits.max_alloc = Some(2 * MAX_DECODED);
    reader.limits(limits);
    reader.decode().map_err(|e| reason(&e))
}

/// `The body is labelled image/png but does not decode as one (…): shown as bytes`.
fn undecodable(label: &str, kind: Kind, reason: &str) -> String {
    if label.starts_with("image/") {
        format!(
            "The body is labelled {label} but does not decode as one ({reason}): shown as bytes"
        )
    } else {
        format!(
            "The body starts like a {} image but does not decode as one ({reason}): shown as bytes",
            kind.name()
        )
    }
}

/// `application/octet-stream · 1.2 MB · first 512 bytes shown`.
fn binary_summary(essence: &str, len: usize) -> String {
    let what = if essence.is_empty() {
        "Binary body, no Content-Type"
    } else {
        essence
    };
    let shown = if len <= HEX_DUMP_LEN {
        format!("all {len} bytes shown")
    } else {
        format!("first {HEX_DUMP_LEN} bytes shown")
    };
    format!("{what} · {} · {shown}", human_size(len as u64))
}

/// Dimensions and colour type from the header (the decoder reads no pixels to answer).
fn header(body: &[u8], kind: Kind) -> Result<(u32, u32, ColorType), String> {
    let decoder = ImageReader::with_format(Cursor::new(body), kind.format())
        .into_decoder()
        .map_err(|e| reason(&e))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(format!("it says it is {width} × {height} pixels"));
    }
    Ok((width, height, decoder.color_type()))
}

/// The decoder's complaint, without the repetition of what it was decoding.
fn reason(e: &image::ImageError) -> String {
    let text = e.to_string();
    let text = text
        .strip_prefix("Format error decoding ")
        .and_then(|rest| rest.split_once(": ").map(|(_, r)| r))
        .unwrap_or(&text);
    text.trim_end_matches('.').to_string()
}

fn colour_name(c: ColorType) -> &'static str {
    match c {
        ColorType::L8 => "greyscale",
        ColorType::La8 => "greyscale + alpha",
        ColorType::Rgb8 => "RGB",
        ColorType::Rgba8 => "RGBA",
        ColorType::L16 => "greyscale 16-bit",
        ColorType::La16 => "greyscale + alpha 16-bit",
        ColorType::Rgb16 => "RGB 16-bit",
        ColorType::Rgba16 => "RGBA 16-bit",
        ColorType::Rgb32F => "RGB float",
        ColorType::Rgba32F => "RGBA float",
        _ => "colour",
    }
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
