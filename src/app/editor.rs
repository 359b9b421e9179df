//! The request editor's state: method, URL, and the Query / Headers / Body tabs.
//! Query rows are a view of the URL's query string, so the two can never disagree.

use ratatui::crossterm::event::KeyEvent;

use crate::app::json_check::{self, JsonCheck};
use crate::app::list::ListState;
use crate::app::own_auth::OwnAuth;
use crate::app::text::TextInput;
use crate::collection::{SavedBody, SavedRequest};
use crate::highlight::{JsonIssue, json_issue};
use crate::model::settings::AuthChoice;
use crate::model::{
    BodyKind, KeyValue, Method, RequestSpec, ViewSettings, cycle, parse_query, with_query,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditorTab {
    #[default]
    Query,
    Headers,
    Auth,
    Body,
}

impl EditorTab {
    pub const ALL: [EditorTab; 4] = [
        EditorTab::Query,
        EditorTab::Headers,
        EditorTab::Auth,
        EditorTab::Body,
    ];

    pub fn title(self) -> &'static str {
        match self {
            EditorTab::Query => "Query",
            EditorTab::Headers => "Headers",
            EditorTab::Auth => "Auth",
            EditorTab::Body => "Body",
        }
    }

    pub fn step(self, forward: bool) -> EditorTab {
        cycle(&EditorTab::ALL, self, forward)
    }
}

/// Which part of the editor has the keys. `Url` is always a live text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    Method,
    #[default]
    Url,
    Content,
}

/// A key/value table (query params or headers) with a row cursor and an optional cell edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KvTable {
    pub rows: Vec<KeyValue>,
    /// The cursor over the rows.
    pub list: ListState,
    /// 0 = key column, 1 = value column.
    pub column: usize,
    /// The cell being edited, if any.
    pub editing: Option<TextInput>,
}

impl KvTable {
    pub fn with_rows(rows: Vec<KeyValue>) -> Self {
        KvTable {
            rows,
            ..Default::default()
        }
    }

    pub fn start_edit(&mut self) {
        if self.rows.is_empty() {
            self.rows.push(KeyValue::new("", ""));
            self.list.selected = 0;
            self.column = 0;
        }
        let row = &self.rows[self.list.selected];
        let text = if self.column == 0 {
            &row.key
        } else {
            &row.value
        };
        self.editing = Some(TextInput::single(text));
    }

    /// Writes the edited cell back. Returns whether anything changed.
    pub fn commit_edit(&mut self) -> bool {
        let Some(input) = self.editing.take() else {
            return false;
        };
        let Some(row) = self.rows.get_mut(self.list.selected) else {
            return false;
        };
        let cell = if self.column == 0 {
            &mut row.key
        } else {
            &mut row.value
        };
        let text = input.text();
        let changed = *cell != text;
        *cell = text;
        changed
    }

    pub fn add_row(&mut self) {
        self.rows.push(KeyValue::new("", ""));
        self.list.selected = self.rows.len() - 1;
        self.column = 0;
        self.start_edit();
    }

    pub fn delete_row(&mut self) -> bool {
        if self.list.selected < self.rows.len() {
            self.rows.remove(self.list.selected);
            self.list.clamp(self.rows.len());
            true
        } else {
            false
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    pub method: Method,
    pub url: TextInput,
    pub tab: EditorTab,
    pub section: Section,
    pub query: KvTable,
    pub headers: KvTable,
    pub body_kind: BodyKind,
    pub body: TextInput,
    pub body_editing: bool,
    pub json_issue: Option<JsonIssue>,
    /// Where the JSON check of a large body stands (a small one is checked as it changes).
    pub json_check: JsonCheck,
    /// The request's own auth choice (the Auth tab); `None` inherits the folder's or the
    /// collection's.
    pub auth: Option<AuthChoice>,
    /// How its responses are viewed: the filter (`|`) and the paths a comparison ignores.
    pub view: ViewSettings,
    /// Its own credentials while it is in no collection (the Auth tab then).
    pub own_auth: OwnAuth,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::from_spec(&RequestSpec::default())
    }
}

impl Editor {
    /// A saved request in the editor: its spec and its own auth choice.
    pub fn from_saved(saved: &SavedRequest) -> Editor {
        Editor {
            auth: saved.settings.auth.clone(),
            view: saved.view.clone(),
            ..Editor::from_spec(&saved.to_spec())
        }
    }

    /// `saved` with the editor's changes: what saving would write.
    pub fn apply_to(&self, saved: &SavedRequest) -> SavedRequest {
        self.apply_spec(saved, &self.spec())
    }

    /// `saved` updated from `spec` (the editor's, or the editor's but for its body) and the
    /// editor's auth choice and view settings.
    fn apply_spec(&self, saved: &SavedRequest, spec: &RequestSpec) -> SavedRequest {
        let mut updated = saved.with_spec(spec);
        updated.settings.auth = self.auth.clone();
        updated.view = self.view.clone();
        updated
    }

    /// Whether saving would change `saved` (`apply_to(saved) != saved`). Asked on each frame, so
    /// a JSON or text body, which may be megabytes, is compared where it is rather than copied
    /// into a new request.
    pub fn differs_from(&self, saved: &SavedRequest) -> bool {
        let saved_text = match (self.body_kind, &saved.body) {
            (BodyKind::Json, Some(SavedBody::Json(text)))
            | (BodyKind::Text, Some(SavedBody::Text(text))) => text,
            // Other kinds are small, or are not the saved kind: the whole way.
            _ => return self.apply_to(saved) != *saved,
        };
        if !self.body.holds(saved_text) {
            return true;
        }
        let bodiless = self.spec_with_body(String::new());
        !self.apply_spec(saved, &bodiless).same_but_body(saved)
    }

    pub fn from_spec(spec: &RequestSpec) -> Editor {
        let mut e = Editor {
            method: spec.method,
            url: TextInput::single(&spec.url),
            tab: if spec.body_kind != BodyKind::None {
                EditorTab::Body
            } else {
                EditorTab::Query
            },
            section: Section::Url,
            query: KvTable::default(),
            headers: KvTable::with_rows(spec.headers.clone()),
            body_kind: spec.body_kind,
            body: TextInput::multi(&spec.body),
            body_editing: false,
            json_issue: None,
            json_check: JsonCheck::Done,
            auth: None,
            view: ViewSettings::default(),
            own_auth: OwnAuth::default(),
        };
        e.url_changed();
        e.body_changed();
        e
    }

    /// The request as it stands.
    pub fn spec(&self) -> RequestSpec {
        self.spec_with_body(if self.body_kind == BodyKind::None {
            String::new()
        } else {
            self.body.text()
        })
    }

    /// The request with `body` in place of the editor's.
    fn spec_with_body(&self, body: String) -> RequestSpec {
        RequestSpec {
            method: self.method,
            url: self.url.text().trim().to_string(),
            headers: self.headers.rows.clone(),
            body_kind: self.body_kind,
            body,
        }
    }

    /// Whether a text field has the keys (so plain letters type rather than act).
    pub fn is_typing(&self) -> bool {
        match self.section {
            Section::Url => true,
            Section::Method => false,
            Section::Content => match self.tab {
                EditorTab::Query => self.query.editing.is_some(),
                EditorTab::Headers => self.headers.editing.is_some(),
                EditorTab::Body => self.body_editing,
                EditorTab::Auth => self.own_auth.editing.is_some(),
            },
        }
    }

    pub fn table_mut(&mut self) -> Option<&mut KvTable> {
        match self.tab {
            EditorTab::Query => Some(&mut self.query),
            EditorTab::Headers => Some(&mut self.headers),
            EditorTab::Auth | EditorTab::Body => None,
        }
    }

    pub fn table(&self) -> Option<&KvTable> {
        match self.tab {
            EditorTab::Query => Some(&self.query),
            EditorTab::Headers => Some(&self.headers),
            EditorTab::Auth | EditorTab::Body => None,
        }
    }

    /// Tab in the body editor: two spaces.
    pub fn indent_body(&mut self) {
        if self.body_editing {
            self.body.insert_str("  ");
            self.body_changed();
        }
    }

    /// The text field that has the keys, if one has.
    pub fn active_input(&self) -> Option<&TextInput> {
        match self.section {
            Section::Url => Some(&self.url),
            Section::Method => None,
            Section::Content if self.tab == EditorTab::Body => {
                self.body_editing.then_some(&self.body)
            }
            Section::Content if self.tab == EditorTab::Auth => self.own_auth.editing.as_ref(),
            Section::Content => self.table().and_then(|t| t.editing.as_ref()),
        }
    }

    /// The text field that has the keys; call [`Editor::input_changed`] after changing it.
    pub fn active_input_mut(&mut self) -> Option<&mut TextInput> {
        match self.section {
            Section::Url => Some(&mut self.url),
            Section::Method => None,
            Section::Content if self.tab == EditorTab::Body => {
                self.body_editing.then_some(&mut self.body)
            }
            Section::Content if self.tab == EditorTab::Auth => self.own_auth.editing.as_mut(),
            Section::Content => self.table_mut().and_then(|t| t.editing.as_mut()),
        }
    }

    /// Keeps what follows the active field in step after it changed (the query rows follow
    /// the URL, the URL a query cell, the JSON check the body).
    pub fn input_changed(&mut self) {
        match self.section {
            Section::Url => self.url_changed(),
            Section::Method => {}
            Section::Content if self.tab == EditorTab::Body => self.body_changed(),
            Section::Content if self.tab == EditorTab::Auth => {}
            Section::Content => self.cell_changed(),
        }
    }

    /// Feeds a key to whichever text field is active. Returns whether it was used.
    pub fn type_key(&mut self, key: KeyEvent) -> bool {
        let used = self
            .active_input_mut()
            .is_some_and(|input| input.handle_key(key));
        if used {
            self.input_changed();
        }
        used
    }

    /// Inserts pasted text into the active field (a URL without the blanks around it).
    pub fn paste(&mut self, text: &str) {
        let text = if self.section == Section::Url {
            text.trim()
        } else {
            text
        };
        if let Some(input) = self.active_input_mut() {
            input.insert_str(text);
            self.input_changed();
        }
    }

    /// Live preview while a query cell is edited keeps the URL in step.
    fn cell_changed(&mut self) {
        if self.tab == EditorTab::Query {
            self.sync_url_from_query(true);
        }
    }

    /// Re-derives the query rows after the URL text changed.
    pub fn url_changed(&mut self) {
        let rows = parse_query(&self.url.text());
        self.query.list.clamp(rows.len());
        self.query.rows = rows;
    }

    /// Rewrites the URL's query string from the rows (including a cell being edited).
    pub fn sync_url_from_query(&mut self, include_editing: bool) {
        let mut rows = self.query.rows.clone();
        if include_editing
            && let Some(input) = &self.query.editing
            && let Some(row) = rows.get_mut(self.query.list.selected)
        {
            if self.query.column == 0 {
                row.key = input.text();
            } else {
                row.value = input.text();
            }
        }
        let url = self.url.text();
        let new = with_query(&url, &rows);
        if new != url {
            self.url.set_text(&new);
        }
    }

    /// Keeps the JSON check in step with the body: done at once for a small body, asked of
    /// the background for a large one (`json_check`).
    pub fn body_changed(&mut self) {
        self.body.set_pairs(self.body_kind == BodyKind::Json);
        if self.body_kind == BodyKind::Json && self.body.longer_than(json_check::AS_YOU_TYPE) {
            self.json_issue = None;
            self.json_check = self.json_check.changed();
        } else {
            self.check_json_now();
        }
    }

    /// Checks the body as JSON at once, whatever its size (a one-off change the user waits on,
    /// such as an external editor's text coming back).
    pub fn check_json_now(&mut self) {
        self.json_issue = if self.body_kind == BodyKind::Json {
            json_issue(&self.body.text())
        } else {
            None
        };
        self.json_check = JsonCheck::Done;
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn saved_with(kind: BodyKind, body: &str) -> SavedRequest {
        SavedRequest::new(
            "r",
            Some("f".into()),
            &RequestSpec {
                method: Method::Post,
                url: "http://h/x?a=1".into(),
                body_kind: kind,
                body: body.into(),
                ..Default::default()
            },
        )
    }

    /// Whether `e` holds unsaved edits of `saved`, asserting that telling it in place
    /// (`differs_from`) answers as building the request does.
    fn dirty_both_ways(e: &Editor, saved: &SavedRequest) -> bool {
        let built = e.apply_to(saved) != *saved;
        assert_eq!(e.differs_from(saved), built, "{e:?}");
        built
    }

    #[test]
    fn unsaved_edits_are_told_in_place_as_by_building_the_request() {
        for kind in [BodyKind::Json, BodyKind::Text, BodyKind::Form] {
            let saved = saved_with(kind, "{\n  \"a\": 1\n}");
            let mut e = Editor::from_saved(&saved);
            assert!(!dirty_both_ways(&e, &saved), "{kind:?}");
            e.body.set_text("{\n  \"a\": 2\n}");
            assert!(dirty_both_ways(&e, &saved));
            e.body.set_text("{\n  \"a\": 1\n}");
            assert!(!dirty_both_ways(&e, &saved), "edited back");
            e.url.set_text("http://h/y");
            e.url_changed();
            assert!(dirty_both_ways(&e, &saved), "the URL");
            let mut e = Editor::from_saved(&saved);
            e.auth = Some(AuthChoice::parse("none"));
            assert!(dirty_both_ways(&e, &saved), "the auth choice");
            let mut e = Editor::from_saved(&saved);
            e.body_kind = e.body_kind.next();
            dirty_both_ways(&e, &saved);
        }
    }

    proptest::proptest! {
        #[test]
        fn in_place_and_built_agree_on_any_body(
            saved_body in "[a\n{}]{0,8}",
            typed in "[a\n{}]{0,8}",
            json: bool,
        ) {
            let kind = if json { BodyKind::Json } else { BodyKind::Text };
            let saved = saved_with(kind, &saved_body);
            let mut e = Editor::from_saved(&saved);
            e.body.set_text(&typed);
            dirty_both_ways(&e, &saved);
        }
    }

    #[test]
    fn query_rows_follow_the_url() {
        let mut e = Editor::from_spec(&RequestSpec {
            url: "http://h/x?a=1&b=two%20words#frag".into(),
            ..Default::default()
        });
        assert_eq!(
            e.query.rows,
            vec![KeyValue::new("a", "1"), KeyValue::new("b", "two words")]
        );
        e.url.set_text("http://h/x?a=1&c=3");
        e.url_changed();
        assert_eq!(e.query.rows.len(), 2);
        assert_eq!(e.query.rows[1], KeyValue::new("c", "3"));
    }

    #[test]
    fn editing_a_query_cell_rewrites_the_url() {
        let mut e = Editor::from_spec(&RequestSpec {
            url: "http://h/x?a=1#top".into(),
            ..Default::default()
        });
        e.section = Section::Content;
        e.tab = EditorTab::Query;
        e.query.column = 1;
        e.query.start_edit();
        e.type_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        e.type_key(key('x'));
        e.type_key(key(' '));
        assert_eq!(e.url.text(), "http://h/x?a=x%20#top");
        e.query.commit_edit();
        e.query.add_row();
        for c in "q".chars() {
            e.type_key(key(c));
        }
        e.query.commit_edit();
        e.sync_url_from_query(false);
        assert_eq!(e.url.text(), "http://h/x?a=x%20&q=#top");
    }

    #[test]
    fn spec_round_trips_through_the_editor() {
        let spec = RequestSpec {
            method: Method::Patch,
            url: "http://h/items/1?x=1".into(),
            headers: vec![KeyValue::new("Accept", "application/json")],
            body_kind: BodyKind::Json,
            body: "{\n  \"name\": \"w\"\n}".into(),
        };
        assert_eq!(Editor::from_spec(&spec).spec(), spec);
    }
}
