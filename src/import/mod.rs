//! Bringing requests in from other tools (part 8, `scout import`): command lines split as a
//! shell would ([`shell`]), and curl commands read as curl reads them ([`curl`]).

pub mod curl;
pub mod shell;
