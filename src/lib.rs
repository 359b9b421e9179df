//! scout: a keyboard-first terminal UI for exploring HTTP APIs.
//!
//! The two flows (see `STYLE.md`): keys → `Action` → `app::update` → `ui::draw`, and
//! `update` → `Effect` → worker → `Msg` → `update`.
//!
//! Layers, bottom to top; a module uses only those below it (`tests/layers.rs` holds the table):
//! [`model`] (plain data), [`fault`] (faults the tests inject) and [`memory`] (the allocator) →
//! [`template`], [`highlight`], [`history`] → [`collection`], [`theme`] → [`http`] (plan,
//! executor, worker), [`import`] (other tools' requests) → [`app`] (state, `update`) → [`ui`]
//! (drawing) → [`config`] → [`event_loop`] → [`cli`] (headless commands). The [`demo`] API uses nothing but [`model`].

pub mod app;
pub mod check;
pub mod cli;
pub mod collection;
pub mod config;
pub mod demo;
pub mod event_loop;
pub mod export;
pub mod fault;
pub mod highlight;
pub mod history;
pub mod http;
pub mod import;
pub mod inspect;
pub mod memory;
pub mod model;
pub mod replay;
pub mod teach;
pub mod template;
pub mod theme;
pub mod ui;
