//! scout: a keyboard-first terminal UI for exploring HTTP APIs.
//!
//! The two flows (see `STYLE.md`): keys → `Action` → `app::update` → `ui::draw`, and
//! `update` → `Effect` → worker → `Msg` → `update`.

pub mod app;
pub mod auth;
pub(crate) mod base64;
pub mod collection;
pub mod config;
pub mod demo;
pub mod duration;
pub mod event_loop;
pub mod highlight;
pub mod history_store;
pub mod http;
pub mod items;
pub mod paginate;
pub mod send;
pub mod template;
pub mod ui;
