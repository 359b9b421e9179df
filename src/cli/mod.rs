//! The headless commands: request items on the command line ([`items`]), `scout send` and its
//! printing ([`send`]), and `--all` paging ([`all`]).

pub mod all;
pub mod items;
pub mod send;
