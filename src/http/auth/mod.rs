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

pub use digest::{Algorithm, Challenge, cnonce};
pub use flow::{apply_static, send_authenticated};
pub use oauth::TokenCache;
