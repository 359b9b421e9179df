//! The user's configuration: `config.toml` in scout's config folder (or the file `SCOUT_CONFIG`
//! names). Everything in it is optional; a bad file never stops scout: each problem is reported
//! (naming the file and what to fix) and the defaults are used for that part.
//!
//! ```toml
//! theme = "light"            # a theme from themes/, or a path to a theme file
//! keymap = "vim"             # the vim preset under [keys] (default: "default")
//! [timeouts]
//! connect = "5s"             # command-line flags win over these
//! total = "1m"
//! [body]
//! memory_cap = "64MB"        # beyond it a response body goes to a temporary file
//! [keys]                     # action = [keys]; replaces that action's keys
//! send = ["ctrl+r", "f5"]
//! quit = ["q", "ctrl+q"]
//! [keys.response]            # or only where it applies (scopes as in src/app/keymap.toml)
//! save_body = ["w"]
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::app::keymap::Keymap;
use crate::model::duration::parse_duration;
use crate::theme::Theme;

/// The themes shipped in `themes/`, embedded so they work from any install.
pub const BUILTIN_THEMES: [(&str, &str); 3] = [
    ("default", crate::theme::DEFAULT_THEME),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
];

/// What the configuration decided, with the problems found on the way.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub theme: Theme,
    pub keymap: Keymap,
    pub connect_timeout: Option<Duration>,
    pub total_timeout: Option<Duration>,
    /// `[body] memory_cap`: the most of a body kept in memory.
    pub memory_cap: Option<u64>,
    /// Each names the file and what is wrong; shown on the app's error line.
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    theme: Option<String>,
    /// `"vim"`: the vim preset's keys over the defaults (before `[keys]`).
    keymap: Option<String>,
    #[serde(default)]
    timeouts: TimeoutsFile,
    #[serde(default)]
    body: BodyFile,
    #[serde(default)]
    keys: toml::Table,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TimeoutsFile {
    connect: Option<String>,
    total: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BodyFile {
    memory_cap: Option<String>,
}

/// Where the config file is: `$SCOUT_CONFIG`, else `config.toml` in the platform's config folder.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCOUT_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "scout").map(|d| d.config_dir().join("config.toml"))
}

/// Reads the config file if there is one (no file: the defaults, no problems).
pub fn load(path: Option<&Path>) -> Config {
    let Some(path) = path else {
        return Config::default();
    };
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => Config {
            problems: vec![format!(
                "{}: cannot read it ({e}); using defaults",
                path.display()
            )],
            ..Config::default()
        },
    }
}

/// Applies a config file's text; `path` names it in messages and anchors relative theme paths.
pub fn parse(text: &str, path: &Path) -> Config {
    let mut config = Config::default();
    let file: ConfigFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            config.problems.push(format!(
                "{}: {}; using defaults",
                path.display(),
                one_line(&e.to_string())
            ));
            return config;
        }
    };
    let at = path.display();
    if let Some(name) = file.theme {
        match load_theme(&name, path.parent().unwrap_or(Path::new("."))) {
            Ok(theme) => config.theme = theme,
            Err(e) => config.problems.push(format!(
                "{at}: theme `{name}`: {e}; using the default theme"
            )),
        }
    }
    let mut timeout = |key: &str, value: Option<String>| {
        value.and_then(|v| match parse_duration(&v) {
            Ok(d) if !d.is_zero() => Some(d),
            Ok(_) => {
                config
                    .problems
                    .push(format!("{at}: timeouts.{key} must be greater than 0"));
                None
            }
            Err(e) => {
                config.problems.push(format!("{at}: timeouts.{key}: {e}"));
                None
            }
        })
    };
    let connect = timeout("connect", file.timeouts.connect);
    let total = timeout("total", file.timeouts.total);
    config.connect_timeout = connect;
    config.total_timeout = total;
    if let Some(cap) = file.body.memory_cap {
        match crate::model::parse_size(&cap) {
            Ok(0) => config
                .problems
                .push(format!("{at}: body.memory_cap must be greater than 0")),
            Ok(n) => config.memory_cap = Some(n),
            Err(e) => config.problems.push(format!("{at}: body.memory_cap: {e}")),
        }
    }
    match file.keymap.as_deref() {
        None | Some("default") => {}
        Some("vim") => {
            let preset: toml::Table = toml::from_str(crate::app::keymap::VIM_PRESET)
                .expect("the embedded vim preset parses (see tests)");
            let keys = preset.get("keys").and_then(toml::Value::as_table);
            let problems = config.keymap.patch(keys.unwrap_or(&toml::Table::new()));
            debug_assert!(problems.is_empty(), "{problems:?}");
        }
        Some(other) => config.problems.push(format!(
            "{at}: keymap: `{other}` is not a keymap (default, vim)"
        )),
    }
    let problems = config.keymap.patch(&file.keys);
    config
        .problems
        .extend(problems.into_iter().map(|p| format!("{at}: {p}")));
    // Each problem names its line, found from the setting it names (`timeouts.total`,
    // `keys.response.save_body`).
    let prefix = format!("{at}: ");
    for problem in &mut config.problems {
        let Some(rest) = problem.strip_prefix(&prefix) else {
            continue;
        };
        let setting = rest.split([':', ' ']).next().unwrap_or("");
        if let Some(line) = line_of(text, setting) {
            *problem = format!("{at}:{line}: {rest}");
        }
    }
    config
}

/// The line (1-based) that sets `setting` (`theme`, `timeouts.total`, `keys.quit`,
/// `keys.response.save_body`) in a config file's text, or that opens its table (`keys.respons`).
fn line_of(text: &str, setting: &str) -> Option<usize> {
    let (table, key) = match setting.rsplit_once('.') {
        Some((table, key)) => (table, key),
        None => ("", setting),
    };
    let mut current = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = header.trim().to_string();
            if current == setting {
                return Some(n + 1);
            }
            continue;
        }
        let name = line
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if current == table && name == key && line.contains('=') {
            return Some(n + 1);
        }
    }
    None
}

/// A theme by built-in name, by file path (relative to the config folder), or from
/// `themes/NAME.toml` in the config folder.
fn load_theme(name: &str, config_dir: &Path) -> Result<Theme, String> {
    if let Some((_, text)) = BUILTIN_THEMES.iter().find(|(n, _)| *n == name) {
        return Theme::parse(text);
    }
    let candidates = [
        config_dir.join(name),
        config_dir.join("themes").join(format!("{name}.toml")),
    ];
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        let builtin: Vec<&str> = BUILTIN_THEMES.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "no such theme (built in: {}; or a path to a theme file)",
            builtin.join(", ")
        ));
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut theme = Theme::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if theme.syntax.ends_with(".tmTheme") {
        // Beside the theme file, unless the path says otherwise; loaded once here to say now
        // (not at the first body) when it does not.
        let dir = path.parent().unwrap_or(config_dir);
        let file = dir.join(&theme.syntax);
        crate::highlight::load_tm_theme(&file)
            .map_err(|e| format!("{}: `syntax`: {}: {e}", path.display(), file.display()))?;
        theme.syntax = file.display().to_string();
    }
    Ok(theme)
}

/// toml's messages span several lines (a snippet with a caret); the error line has one.
fn one_line(message: &str) -> String {
    let mut lines = message.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or_default().trim().to_string();
    let last = message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.contains('|'));
    match last {
        Some(l) if l.trim() != first => format!("{first}: {}", l.trim()),
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::keymap::{Action, Scope};

    fn cfg(text: &str) -> Config {
        parse(text, Path::new("/home/u/.config/scout/config.toml"))
    }

    #[test]
    fn a_full_config_applies() {
        let c = cfg(r#"
            theme = "light"
            [timeouts]
            connect = "2s"
            total = "1m"
            [body]
            memory_cap = "1MB"
            [keys]
            send = ["ctrl+r", "f5"]
        "#);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.memory_cap, Some(1 << 20));
        assert_eq!(c.theme.name, "light");
        assert_eq!(c.connect_timeout, Some(Duration::from_secs(2)));
        assert_eq!(c.total_timeout, Some(Duration::from_secs(60)));
        let f5 = KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(c.keymap.lookup(&[Scope::Typing], &f5), Some(Action::Send));
    }

    #[test]
    fn an_empty_or_missing_file_means_defaults() {
        let c = cfg("");
        assert!(c.problems.is_empty());
        assert_eq!(c.theme, Theme::default());
        let c = load(Some(Path::new("/definitely/not/here/config.toml")));
        assert!(c.problems.is_empty());
    }

    #[test]
    fn each_problem_is_named_and_the_rest_still_applies() {
        let c = cfg(r#"
            theme = "neon"
            [timeouts]
            connect = "soon"
            total = "0"
            [body]
            memory_cap = "a lot"
            [keys]
            send = ["hyper+s"]
            quit = ["ctrl+q"]
        "#);
        let all = c.problems.join("\n");
        assert!(
            all.contains("body.memory_cap: `a lot` is not a size"),
            "{all}"
        );
        assert_eq!(c.memory_cap, None);
        assert_eq!(c.problems.len(), 5, "{all}");
        assert!(all.contains("theme `neon`: no such theme"), "{all}");
        assert!(all.contains("timeouts.connect"), "{all}");
        assert!(
            all.contains("timeouts.total must be greater than 0"),
            "{all}"
        );
        assert!(all.contains("`hyper+s` is not a key"), "{all}");
        assert!(all.contains("config.toml"), "{all}");
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(
            c.keymap.lookup(&[Scope::Global], &ctrl_q),
            Some(Action::Quit)
        );
    }

    #[test]
    fn every_problem_names_its_line_and_the_rest_applies() {
        let c = cfg(
            "theme = \"neon\"\n[timeouts]\ntotal = \"0\"\n[keys]\nsned = [\"x\"]\nquit = [\"ctrl+q\"]\n[keys.response]\nsave_body = [\"hyper+s\"]\n[keys.respons]\nexplain = [\"x\"]\n",
        );
        let at = "/home/u/.config/scout/config.toml";
        let lines: Vec<&str> = c
            .problems
            .iter()
            .map(|p| p.split(": ").next().unwrap())
            .collect();
        assert_eq!(
            lines,
            [
                format!("{at}:1"),
                format!("{at}:3"),
                format!("{at}:5"),
                format!("{at}:8"),
                format!("{at}:9"),
            ],
            "{:#?}",
            c.problems
        );
        // The good entry among the bad ones applies.
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(
            c.keymap.lookup(&[Scope::Global], &ctrl_q),
            Some(Action::Quit)
        );
    }

    #[test]
    fn syntax_errors_and_unknown_keys_name_the_line() {
        let c = cfg("theme = \"light\"\ncolour = 1\n");
        let all = c.problems.join("\n");
        assert!(all.contains("line 2"), "{all}");
        assert!(all.contains("unknown field `colour`"), "{all}");
        let c = cfg("[keys]\nsned = [\"x\"]\n");
        assert!(
            c.problems[0].contains("keys.sned: unknown variant `sned`"),
            "{:?}",
            c.problems
        );
        let c = cfg("theme = ");
        assert!(c.problems[0].contains("line 1"), "{:?}", c.problems);
    }

    #[test]
    fn themes_load_from_the_config_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        let custom = crate::theme::DEFAULT_THEME.replace("name = \"default\"", "name = \"mine\"");
        std::fs::write(dir.path().join("themes/mine.toml"), &custom).unwrap();
        std::fs::write(dir.path().join("broken.toml"), "name = 1").unwrap();
        let path = dir.path().join("config.toml");
        let c = parse("theme = \"mine\"", &path);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.theme.name, "mine");
        let c = parse("theme = \"broken.toml\"", &path);
        assert!(c.problems[0].contains("broken.toml"), "{:?}", c.problems);
        assert_eq!(c.theme, Theme::default());
    }

    #[test]
    fn the_vim_preset_patches_the_defaults_and_keys_patch_it() {
        let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let c = cfg("keymap = \"vim\"\n[keys.editor]\nselect = [\"enter\"]\n");
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let km = &c.keymap;
        assert_eq!(
            km.lookup(&[Scope::Global], &key(':')),
            Some(Action::Palette)
        );
        assert_eq!(
            km.lookup(&[Scope::Global], &ctrl('d')),
            Some(Action::PageDown)
        );
        assert_eq!(km.lookup(&[Scope::Table], &key('o')), Some(Action::AddRow));
        assert_eq!(
            km.lookup(&[Scope::Table], &key('x')),
            Some(Action::DeleteRow)
        );
        assert_eq!(
            km.lookup(&[Scope::Editor], &key('I')),
            Some(Action::IdempotencyKey)
        );
        // [keys] still wins: `i` no longer edits, as the user said.
        assert_eq!(km.lookup(&[Scope::Editor], &key('i')), None);
        // The defaults are untouched without the preset.
        let plain = cfg("");
        assert_eq!(plain.keymap.lookup(&[Scope::Global], &key(':')), None);
        assert_eq!(
            plain.keymap.lookup(&[Scope::Table], &key('x')),
            Some(Action::ToggleRow)
        );
        let c = cfg("keymap = \"emacs\"");
        assert!(
            c.problems[0].contains("keymap: `emacs` is not a keymap"),
            "{:?}",
            c.problems
        );
        assert!(
            c.problems[0].contains(":1:"),
            "names the line: {:?}",
            c.problems
        );
    }

    #[test]
    fn a_theme_may_name_a_tm_theme_file_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let tm = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>name</key><string>Mine</string>
<key>settings</key><array>
<dict><key>settings</key><dict><key>foreground</key><string>#EEEEEE</string></dict></dict>
<dict><key>scope</key><string>string</string><key>settings</key><dict><key>foreground</key><string>#FF0000</string></dict></dict>
</array></dict></plist>"#;
        std::fs::write(dir.path().join("mine.tmTheme"), tm).unwrap();
        let theme = crate::theme::DEFAULT_THEME.replace(
            "syntax = \"base16-ocean.dark\"",
            "syntax = \"mine.tmTheme\"",
        );
        assert!(
            theme.contains("mine.tmTheme"),
            "the default theme names its syntax"
        );
        std::fs::write(dir.path().join("tm.toml"), &theme).unwrap();
        let path = dir.path().join("config.toml");
        let c = parse("theme = \"tm.toml\"", &path);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            std::path::Path::new(&c.theme.syntax),
            dir.path().join("mine.tmTheme")
        );
        let loaded = crate::highlight::load_tm_theme(std::path::Path::new(&c.theme.syntax));
        assert_eq!(loaded.unwrap().name.as_deref(), Some("Mine"));
        // A file that is not there, or not a theme: said at start, the default used.
        std::fs::write(dir.path().join("mine.tmTheme"), "not a plist").unwrap();
        let c = parse("theme = \"tm.toml\"", &path);
        assert!(c.problems[0].contains("mine.tmTheme"), "{:?}", c.problems);
        assert_eq!(c.theme, Theme::default());
    }

    #[test]
    fn the_light_themes_bring_their_own_background() {
        for (name, text) in BUILTIN_THEMES {
            let theme = Theme::parse(text).unwrap();
            assert_eq!(theme.name, name);
            let own = theme.background != ratatui::style::Color::Reset;
            // A dark theme may use the terminal's; a light or high-contrast one may not.
            assert_eq!(own, name != "default", "{name}");
        }
        let shipped =
            std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"))
                .unwrap()
                .count();
        assert_eq!(
            shipped,
            BUILTIN_THEMES.len(),
            "every shipped theme is built in"
        );
    }
}
