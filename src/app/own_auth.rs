//! An ad-hoc request's own credentials: what the Auth tab offers for a request that is in no
//! collection (whose profiles do not apply to it). Basic, Bearer or an API key header, typed in
//! place; sent as secrets (redacted wherever the exchange is shown or stored), never saved.

use crate::app::list::ListState;
use crate::app::text::TextInput;
use crate::model::{AuthProfile, KeyLocation};

/// The kinds offered, in the order Enter steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OwnKind {
    #[default]
    None,
    Basic,
    Bearer,
    ApiKey,
}

impl OwnKind {
    pub fn label(self) -> &'static str {
        match self {
            OwnKind::None => "none",
            OwnKind::Basic => "Basic",
            OwnKind::Bearer => "Bearer",
            OwnKind::ApiKey => "API key",
        }
    }

    fn next(self) -> OwnKind {
        match self {
            OwnKind::None => OwnKind::Basic,
            OwnKind::Basic => OwnKind::Bearer,
            OwnKind::Bearer => OwnKind::ApiKey,
            OwnKind::ApiKey => OwnKind::None,
        }
    }

    /// Its fields: a name, whether the value is a secret (shown masked), and the value it
    /// starts with.
    pub fn fields(self) -> &'static [(&'static str, bool, &'static str)] {
        match self {
            OwnKind::None => &[],
            OwnKind::Basic => &[("username", false, ""), ("password", true, "")],
            OwnKind::Bearer => &[("token", true, "")],
            OwnKind::ApiKey => &[("header", false, "X-API-Key"), ("value", true, "")],
        }
    }
}

/// The Auth tab of an ad-hoc request: row 0 is the kind, the rows after it its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnAuth {
    pub kind: OwnKind,
    /// The fields' values, in [`OwnKind::fields`] order.
    pub values: Vec<String>,
    pub list: ListState,
    /// The field being typed, when one is.
    pub editing: Option<TextInput>,
}

impl OwnAuth {
    /// Rows: the kind, then each field.
    pub fn rows(&self) -> usize {
        1 + self.kind.fields().len()
    }

    /// Enter on the kind row: the next kind, its fields as [`OwnKind::fields`] starts them.
    pub fn next_kind(&mut self) {
        self.kind = self.kind.next();
        self.values = self
            .kind
            .fields()
            .iter()
            .map(|(_, _, start)| start.to_string())
            .collect();
    }

    /// Enter: on the kind row the next kind, on a field its edit (or, editing, keep it).
    pub fn select(&mut self) {
        if let Some(input) = self.editing.take() {
            if let Some(v) = self.values.get_mut(self.list.selected.wrapping_sub(1)) {
                *v = input.text();
            }
            return;
        }
        match self.list.selected {
            0 => self.next_kind(),
            n => {
                let value = self.values.get(n - 1).cloned().unwrap_or_default();
                self.editing = Some(TextInput::single(&value));
            }
        }
    }

    /// Esc while typing a field: the value as it was. Whether there was an edit.
    pub fn cancel_edit(&mut self) -> bool {
        self.editing.take().is_some()
    }

    /// The credentials as a profile (its fields may hold `{{variables}}`), when a kind is
    /// chosen.
    pub fn profile(&self) -> Option<AuthProfile> {
        let v = |i: usize| self.values.get(i).cloned().unwrap_or_default();
        Some(match self.kind {
            OwnKind::None => return None,
            OwnKind::Basic => AuthProfile::Basic {
                username: v(0),
                password: v(1),
            },
            OwnKind::Bearer => AuthProfile::Bearer { token: v(0) },
            OwnKind::ApiKey => AuthProfile::ApiKey {
                name: v(0),
                value: v(1),
                location: KeyLocation::Header,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Action;

    #[test]
    fn enter_steps_the_kinds_and_edits_the_fields() {
        let mut auth = OwnAuth::default();
        assert_eq!(auth.profile(), None);
        auth.select();
        assert_eq!(auth.kind, OwnKind::Basic);
        auth.list.step(Action::Down, auth.rows(), 1);
        auth.select();
        auth.editing.as_mut().unwrap().insert_str("alice");
        auth.select();
        auth.list.step(Action::Down, auth.rows(), 1);
        auth.select();
        auth.editing.as_mut().unwrap().insert_str("s3cret");
        assert!(auth.cancel_edit(), "Esc drops the edit");
        assert_eq!(
            auth.profile(),
            Some(AuthProfile::Basic {
                username: "alice".into(),
                password: String::new()
            })
        );
        auth.list.step(Action::Up, auth.rows(), 1);
        auth.list.step(Action::Up, auth.rows(), 1);
        auth.select();
        auth.select();
        assert_eq!(auth.kind, OwnKind::ApiKey);
        assert_eq!(auth.values, ["X-API-Key", ""]);
        auth.select();
        assert_eq!(auth.kind, OwnKind::None);
        assert_eq!(auth.rows(), 1);
    }
}
