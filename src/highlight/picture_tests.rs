use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use super::*;

/// A `width` × `height` gradient encoded as `format`.
fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    if format == ImageFormat::Png {
        let picture = RgbaImage::from_fn(width, height, |x, y| Rgba([x as u8, y as u8, 90, 255]));
        picture.write_to(&mut out, format).unwrap();
    } else {
        let picture = RgbImage::from_fn(width, height, |x, y| Rgb([x as u8, y as u8, 90]));
        picture.write_to(&mut out, format).unwrap();
    }
    out.into_inner()
}

fn picture(sniffed: Sniffed) -> Picture {
    match sniffed {
        Sniffed::Picture(p) => p,
        other => panic!("not a picture: {other:?}"),
    }
}

#[test]
fn png_jpeg_and_gif_headers_give_type_dimensions_and_colour() {
    let png = encoded(640, 480, ImageFormat::Png);
    let p = picture(sniff(&png, "image/png"));
    assert_eq!(
        (p.kind, p.width, p.height, p.colour),
        (Kind::Png, 640, 480, "RGBA")
    );
    assert_eq!(
        p.summary(),
        format!(
            "PNG image · 640 × 480 · RGBA · {}",
            human_size(png.len() as u64)
        )
    );
    assert_eq!(p.too_large(), None);

    let jpeg = encoded(33, 17, ImageFormat::Jpeg);
    let p = picture(sniff(&jpeg, "image/jpeg"));
    assert_eq!(
        (p.kind, p.width, p.height, p.colour),
        (Kind::Jpeg, 33, 17, "RGB")
    );

    let gif = encoded(12, 34, ImageFormat::Gif);
    let p = picture(sniff(&gif, "image/gif"));
    assert_eq!((p.kind, p.width, p.height), (Kind::Gif, 12, 34));
    assert!(
        p.summary().starts_with("GIF image · 12 × 34 · "),
        "{}",
        p.summary()
    );

    let bmp = encoded(5, 6, ImageFormat::Bmp);
    assert_eq!(picture(sniff(&bmp, "")).kind, Kind::Bmp);
}

#[test]
fn the_bytes_win_over_a_lying_content_type_and_the_summary_says_so() {
    let png = encoded(8, 8, ImageFormat::Png);
    let p = picture(sniff(&png, "image/jpeg"));
    assert_eq!(p.kind, Kind::Png);
    assert!(
        p.summary()
            .starts_with("PNG image (labelled image/jpeg) · 8 × 8"),
        "{}",
        p.summary()
    );
    // Unlabelled, or labelled as bytes: still a picture.
    assert_eq!(picture(sniff(&png, "")).kind, Kind::Png);
    assert!(
        picture(sniff(&png, "application/octet-stream"))
            .summary()
            .contains("(labelled application/octet-stream)")
    );
    // Decodes by what it is, not by what it says.
    assert_eq!(decode(&png, p.kind).unwrap().width(), 8);
}

#[test]
fn a_body_labelled_png_that_is_not_one_is_shown_as_bytes_with_the_reason() {
    let Sniffed::Broken(warning) = sniff(b"not a png at all", "image/png") else {
        panic!("not broken");
    };
    assert_eq!(
        warning,
        "The body is labelled image/png but does not decode as one (it does not start with the \
         PNG signature): shown as bytes"
    );
    // An unlabelled body that is no picture is some other binary body.
    assert_eq!(
        sniff(b"\0\x01\x02", "application/octet-stream"),
        Sniffed::Other
    );
    assert_eq!(
        sniff(b"BM\0\0junk", ""),
        Sniffed::Other,
        "two bytes say little"
    );
}

#[test]
fn a_truncated_png_is_broken_in_its_header_or_fails_to_decode() {
    let png = encoded(64, 48, ImageFormat::Png);
    // Cut inside the header: the facts cannot be read.
    let Sniffed::Broken(warning) = sniff(&png[..20], "image/png") else {
        panic!("a header cut short is broken");
    };
    assert!(
        warning.starts_with("The body is labelled image/png but does not decode as one ("),
        "{warning}"
    );
    assert!(warning.ends_with("): shown as bytes"), "{warning}");
    let Sniffed::Broken(warning) = sniff(&png[..20], "") else {
        panic!("broken");
    };
    assert!(
        warning.starts_with("The body starts like a PNG image"),
        "{warning}"
    );
    // Cut after the header: the facts read, the pixels do not.
    let cut = &png[..png.len() - 40];
    let p = picture(sniff(cut, "image/png"));
    assert_eq!((p.width, p.height), (64, 48));
    let why = decode(cut, p.kind).unwrap_err();
    assert!(!why.is_empty());
    assert!(
        p.undecodable(&why)
            .starts_with("The body is labelled image/png but does not decode as one"),
    );
}

#[test]
fn pictures_too_large_to_draw_are_described() {
    let p = Picture {
        kind: Kind::Png,
        width: 9000,
        height: 10,
        colour: "RGB",
        decoded_bytes: 9000 * 10 * 4,
        bytes: 100,
        label: "image/png".into(),
    };
    assert!(p.too_large().unwrap().starts_with("Too large to draw"));
    let p = Picture {
        width: 4000,
        height: 4000,
        decoded_bytes: 4000 * 4000 * 4,
        ..p
    };
    assert!(p.too_large().is_some(), "64 MB decoded");
    let p = Picture {
        width: 1000,
        height: 1000,
        decoded_bytes: 1000 * 1000 * 4,
        ..p
    };
    assert_eq!(p.too_large(), None);
}

#[test]
fn other_binary_bodies_say_their_type_size_and_what_is_shown() {
    assert_eq!(
        Sniffed::Other.notice("application/octet-stream", 1_300_000),
        (
            "application/octet-stream · 1.2 MB · first 512 bytes shown".to_string(),
            true
        )
    );
    assert_eq!(
        Sniffed::Other.notice("", 300).0,
        "Binary body, no Content-Type · 300 B · all 300 bytes shown"
    );
}

#[test]
fn svg_is_not_a_picture_label() {
    assert!(!is_picture_label("image/svg+xml"));
    assert!(is_picture_label("image/png"));
    assert!(is_picture_label("image/x-icon"));
}

#[test]
fn magic_bytes() {
    assert_eq!(Kind::of_magic(b"GIF89a...."), Some(Kind::Gif));
    assert_eq!(Kind::of_magic(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::WebP));
    assert_eq!(Kind::of_magic(b"RIFF\0\0\0\0WAVE"), None);
    assert_eq!(Kind::of_magic(b"\xff\xd8\xff\xe0"), Some(Kind::Jpeg));
    assert_eq!(Kind::of_magic(b"\0\0\x01\0\x01\0"), Some(Kind::Ico));
    assert_eq!(Kind::of_magic(b""), None);
}
