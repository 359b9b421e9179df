//! Credentials on the wire: pure, network-free building blocks for the auth profiles.
//!
//! - [`basic`]: `Authorization: Basic …` (RFC 7617), built and read back;
//! - [`digest`]: HTTP Digest (RFC 7616): read a server's `WWW-Authenticate` challenge, answer it,
//!   and (for the demo server) check an answer with the same math.
//!
//! Sending requests, caching tokens and retrying on 401 belong to `http/`; this module only turns
//! credentials and challenges into header values.

pub mod basic;
pub mod digest;

pub use basic::{basic_header, parse_basic_header};
pub use digest::{Algorithm, Authorization, Challenge, DigestError, Qop, cnonce};

/// 128 random bits as 32 lower-case hex digits: client nonces, and the demo server's nonces and
/// tokens. Unpredictable enough for those (they must be unique, not secret keys); `fastrand` is
/// not a cryptographic generator.
pub fn random_token() -> String {
    format!("{:032x}", fastrand::u128(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_are_hex_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }
}
