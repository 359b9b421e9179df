//! Credentials: what a collection's `[auth.NAME]` profiles say, and how they reach the wire.
//!
//! - [`basic`]: `Authorization: Basic …` (RFC 7617), built and read back;
//! - [`digest`]: HTTP Digest (RFC 7616): read a server's `WWW-Authenticate` challenge, answer it,
//!   and (for the demo server) check an answer with the same math;
//! - [`profile`]: the profiles as written ([`AuthProfile`], templates) and resolved
//!   ([`ResolvedAuth`]: secrets for redaction, a redacted preview for the Auth tab);
//! - [`oauth`]: OAuth2 client credentials: the in-memory [`TokenCache`];
//! - [`flow`]: sending a request with a profile ([`send_authenticated`]): adding credentials,
//!   answering a Digest challenge, renewing a token after a 401.
//!
//! Only [`oauth`] and [`flow`] touch the network, and `flow` only through the caller's `attempt`.

pub mod basic;
pub mod digest;
pub mod flow;
pub mod oauth;
pub mod profile;

pub use basic::{basic_header, parse_basic_header};
pub use digest::{Algorithm, Authorization, Challenge, DigestError, Qop, cnonce};
pub use flow::{apply_static, send_authenticated, set_query_param};
pub use oauth::{AuthError, OAuth2Params, TokenCache, TokenKey, TokenState, refresh_margin};
pub use profile::{AuthProfile, KINDS, KeyLocation, ResolvedAuth, redacted};

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
