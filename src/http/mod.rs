//! Network behaviour: the request model, building requests, executing them, and the background worker.

pub mod attempts;
pub mod build;
pub mod client;
pub mod cookies;
pub mod error;
pub mod execute;
pub mod explain;
pub mod filename;
pub mod model;
pub mod ratelimit;
pub mod retry;
pub mod worker;

pub use error::HttpError;
pub use execute::Timeouts;
pub use model::{BodyKind, KeyValue, Method, RequestSpec, ResponseData};
