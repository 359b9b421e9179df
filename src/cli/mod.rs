//! The headless commands, above everything else: the command line's grammar ([`args`]), request
//! items typed on the command line ([`items`]), `scout send` ([`send`], its flags in
//! [`send_options`]) with its printing ([`print`](mod@print)), downloads ([`download`]), `--all`
//! paging ([`all`]), streams printed as they arrive ([`stream`]) and prompts asked on the
//! terminal ([`prompt`]); `scout run` ([`run`]) with its reports ([`report`]); `scout explain`
//! ([`explain`]); `scout import` ([`import`](mod@import)) and `scout export`
//! ([`export`](mod@export)).

pub mod all;
pub mod args;
pub mod download;
pub mod explain;
pub mod export;
pub mod file_limit;
pub mod import;
pub mod items;
pub mod print;
pub mod prompt;
pub mod report;
pub mod run;
pub mod send;
pub mod send_options;
pub mod stream;
pub mod verbose;
