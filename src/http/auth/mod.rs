//! Credentials on the wire. The profiles themselves (as written and resolved) are plain data in
//! [`crate::model::auth`]; here is what sends them:
//!
//! - [`digest`]: HTTP Digest (RFC 7616): read a server's `WWW-Authenticate` challenge and answer it;
//! - [`oauth`]: OAuth2 client credentials: the in-memory [`TokenCache`];
//! - [`flow`]: sending a request with a profile ([`send_authenticated`]): adding credentials,
//!   answering a Digest challenge, renewing a token after a 401.
//!
//! Only [`oauth`] and [`flow`] touch the network, and `flow` only through the caller's `attempt`.

pub mod digest;
pub mod flow;
pub mod oauth;

pub use digest::{Algorithm, Authorization, Challenge, DigestError, Qop, cnonce};
pub use flow::{apply_static, send_authenticated};
pub use oauth::{AuthError, TokenCache, refresh_margin};

/// 128 random bits as 32 lower-case hex digits: client nonces. Unpredictable enough for those (they must be unique, not secret keys); `fastrand` is
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
