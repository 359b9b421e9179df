//! HTTP Basic (RFC 7617): `Authorization: Basic base64(user ":" password)`, UTF-8.

use crate::base64;

/// The `Authorization` value for Basic credentials. RFC 7617 forbids a colon in the user name
/// (the server splits at the first one); that is the caller's to check.
pub fn basic_header(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::encode(format!("{user}:{password}").as_bytes())
    )
}

/// The other direction, for servers: `(user, password)` from an `Authorization` value, or `None`
/// when the scheme is not Basic, the base64 or UTF-8 is malformed, or there is no colon.
pub fn parse_basic_header(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(base64::decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn matches_the_rfc_7617_examples() {
        assert_eq!(
            basic_header("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        // §2.1: UTF-8 before base64.
        assert_eq!(basic_header("test", "123£"), "Basic dGVzdDoxMjPCow==");
    }

    #[test]
    fn parse_reads_back_and_rejects_the_rest() {
        assert_eq!(
            parse_basic_header("basic  QWxhZGRpbjpvcGVuIHNlc2FtZQ== "),
            Some(("Aladdin".into(), "open sesame".into()))
        );
        // The password keeps its colons; the user name ends at the first one.
        assert_eq!(
            parse_basic_header(&basic_header("u", "a:b")),
            Some(("u".into(), "a:b".into()))
        );
        for bad in [
            "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            "Basic",
            "Basic !!!!",
            "Basic bm9jb2xvbg==", // "nocolon"
            "Basic //79/A==",     // not UTF-8
        ] {
            assert_eq!(parse_basic_header(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(user in "[^:]{0,20}", password in ".{0,20}") {
            prop_assert_eq!(
                parse_basic_header(&basic_header(&user, &password)),
                Some((user, password))
            );
        }
    }
}
