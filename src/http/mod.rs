//! Network behaviour, the only code that sends requests: [`plan`] turns a request and where it
//! comes from into a [`job::Job`]; the [`executor`] sends it with retries, auth, cookies and
//! redirects into a body sink (memory, a file, or page by page through [`paginate`]); the
//! [`worker`] runs jobs in the background for the app. [`connect`] times connections and
//! [`tap`] captures their bytes, for the Timing and Wire tabs.

pub mod attempts;
pub mod auth;
pub mod build;
pub mod cache;
pub mod client;
pub mod connect;
pub mod cookies;
pub mod error;
pub mod execute;
pub mod executor;
pub mod explain;
pub mod filename;
pub mod in_memory;
pub mod job;
pub mod paginate;
pub mod plan;
pub mod ratelimit;
pub mod retry;
pub mod spill;
pub mod tap;
pub mod tls;
pub mod worker;

pub use error::HttpError;
