//! The bottom layer: plain data with no I/O, shared by every other module.
//!
//! - [`request`] and [`response`]: a request as written (method, URL, headers, body kind) and a
//!   response as received;
//! - [`settings`] and [`retry`]: how a request is sent (timeouts, redirects, retry policy, TLS and
//!   proxy, which auth profile), inherited collection → folder → request;
//! - [`auth`]: auth profiles as written (templates) and as resolved (values), and token states;
//! - [`pagination`]: how a saved request pages (`pagination = { style = … }`);
//! - [`codec`] and [`multipart`]: the one query/form codec and the multipart line syntax;
//! - [`secret`]: which headers carry secrets, and the [`Redactor`] that hides secret values;
//! - [`wire`]: how an exchange went on the wire (its timing phases and captured bytes);
//! - [`duration`] and [`format`](mod@format): durations as written in files, sizes and times as shown.

pub mod auth;
pub mod closest;
pub mod codec;
pub mod date;
pub mod duration;
pub mod format;
pub mod json_path;
pub mod multipart;
pub mod pagination;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod settings;
pub mod spilled;
pub mod wire;

pub use auth::{
    AuthProfile, KeyLocation, OAuth2Params, ResolvedAuth, TokenKey, TokenState, TokenStates,
    basic_header, redacted,
};
pub use closest::closest;
pub use codec::{
    encode_component, encode_form, normalize_url, parse_form_text, parse_query, quote,
    set_query_param, split_query, with_query,
};
pub use duration::{format_duration, parse_duration};
pub use format::{
    counted, cut_len, human_duration, human_size, json_type_name, parse_size, thousands,
    utc_date_time, utc_time, wall_ms,
};
pub use multipart::{
    MultipartError, MultipartLine, format_multipart_lines, guess_mime, parse_multipart_lines,
};
pub use pagination::{Limits, Pagination, Style, Total};
pub use request::{BodyKind, KeyValue, Method, RequestSpec, Token, ViewSettings, cycle};
pub use response::{CacheUse, RedirectHop, ResponseData};
pub use retry::{Backoff, MAX_RETRIES, RetryOn, RetryPolicy};
pub use secret::{
    NoRandom, REDACTED, Redactor, Secrets, is_secret_cookie, is_secret_header, random_token,
    secret_cookie_values, secret_header_values,
};
pub use settings::{
    AuthChoice, ClientOptions, Connection, FolderSettings, Redirects, Settings, Timeouts, effective,
};
pub use spilled::{DEFAULT_MEMORY_CAP, LineIndex, SPILL_KEPT_BYTES, Spilled};
pub use wire::{ConnectionUse, Side, Timing, WIRE_KEEP, WireHop, WireLine};
