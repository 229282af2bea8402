//! The template engine: minijinja with the repository's `templates/` first and the embedded
//! defaults second, strict about undefined values, bounded by fuel, and with every filter
//! registered here.
//!
//! Escaping follows the output: `.html` templates escape HTML; `.md` templates escape what
//! Markdown would read as structure (`|`, brackets, emphasis, HTML) and fold line breaks, so
//! data cannot break a table or inject a link; `.txt` templates are plain. E-mail headers are
//! never rendered by templates: the code builds them and refuses line breaks in them.

use crate::error::{Error, Result};
use crate::model::dates;
use crate::out::labels::Labels;
use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use std::path::{Path, PathBuf};

/// The embedded default templates (this repository's `templates/`), by name.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("status.md.j2", include_str!("../../templates/status.md.j2")),
    (
        "notify-stakeholders.txt.j2",
        include_str!("../../templates/notify-stakeholders.txt.j2"),
    ),
    (
        "notify-update.txt.j2",
        include_str!("../../templates/notify-update.txt.j2"),
    ),
    (
        "notify-confirmation.txt.j2",
        include_str!("../../templates/notify-confirmation.txt.j2"),
    ),
    (
        "notify-resolved.txt.j2",
        include_str!("../../templates/notify-resolved.txt.j2"),
    ),
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
];

/// Fuel for one render: enough for any sane template over an organisation's escalations,
/// and a hard stop for a template that loops without end.
pub fn fuel_for(items: usize) -> u64 {
    2_000_000 + 20_000 * items as u64
}

/// Where templates come from: the repository's folder (or a revision's files), then the
/// embedded ones.
#[derive(Clone)]
pub enum Source {
    Dir(PathBuf),
    /// Files read from a git revision: (name, text).
    Files(Vec<(String, String)>),
}

/// Builds the environment. `working_days` are weekday numbers (0 = Monday).
pub fn environment(source: Source, working_days: Vec<u32>, fuel: u64) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(fuel));
    env.set_recursion_limit(64);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") || name.ends_with(".html") {
            AutoEscape::Html
        } else if name.ends_with(".md.j2") || name.ends_with(".md") {
            AutoEscape::Custom(std::borrow::Cow::Borrowed("markdown"))
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Custom(std::borrow::Cow::Borrowed("markdown"))
            && !value.is_safe()
        {
            if value.is_undefined() {
                return minijinja::escape_formatter(out, state, value);
            }
            let s = if value.is_none() {
                String::new()
            } else {
                value.to_string()
            };
            out.write_str(&md_escape(&s))?;
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.set_loader(move |name| load(&source, name));
    register(&mut env, working_days);
    env
}

fn load(source: &Source, name: &str) -> std::result::Result<Option<String>, minijinja::Error> {
    if name.contains("..")
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.split('/').any(|p| p.starts_with('.'))
    {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("template name `{name}` points outside the templates folder"),
        ));
    }
    match source {
        Source::Dir(dir) => {
            let path = dir.join(name);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(minijinja::Error::new(
                        ErrorKind::InvalidOperation,
                        format!("template `{name}` is a symbolic link; esc does not follow links"),
                    ));
                }
                Ok(m) if m.is_file() => {
                    // A folder on the way may be a link out of templates/: resolve the path
                    // and compare where it really is, whatever its name says.
                    let refused = match (std::fs::canonicalize(&path), std::fs::canonicalize(dir))
                    {
                        (Ok(real), Ok(dir)) => (!real.starts_with(dir)).then(|| {
                            format!(
                                "template `{name}` is at `{}`, outside the templates folder; esc does not follow links out of it",
                                real.display()
                            )
                        }),
                        (Err(e), _) | (_, Err(e)) => {
                            Some(format!("cannot resolve template `{name}`: {e}"))
                        }
                    };
                    if let Some(message) = refused {
                        return Err(minijinja::Error::new(ErrorKind::InvalidOperation, message));
                    }
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            ErrorKind::InvalidOperation,
                            format!("cannot read template `{name}`: {e}"),
                        )
                    });
                }
                _ => {}
            }
        }
        Source::Files(files) => {
            if let Some((_, text)) = files.iter().find(|(n, _)| n == name) {
                return Ok(Some(text.clone()));
            }
        }
    }
    Ok(EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string()))
}

/// Markdown-safe inline text: structure characters escaped, line breaks folded to spaces.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut last_space = false;
    for c in s.chars() {
        match c {
            '\r' | '\n' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '\\' | '|' | '[' | ']' | '*' | '_' | '`' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
        last_space = c == ' ';
    }
    out
}

fn parse_date(v: &str) -> Option<NaiveDate> {
    dates::parse_leading(v)
}

/// Every filter and function, in one place.
fn register(env: &mut Environment<'static>, working_days: Vec<u32>) {
    // `"2026-11-05" | date` -> "5 Nov 2026"; `| date("%Y-%m-%d")` for other formats.
    env.add_filter("date", |v: String, fmt: Option<String>| -> String {
        match parse_date(&v) {
            Some(d) => d.format(fmt.as_deref().unwrap_or("%-d %b %Y")).to_string(),
            None => v,
        }
    });
    // `"2026-11-05" | isoweek` -> "2026-W45".
    env.add_filter("isoweek", |v: String| -> String {
        parse_date(&v).map_or(v, |d| {
            let (y, w) = dates::week_of(d);
            dates::format_week(y, w)
        })
    });
    let wd = working_days.clone();
    // `a | workdays(b)`: working days from a to b.
    env.add_filter("workdays", move |a: String, b: String| -> Value {
        match (parse_date(&a), parse_date(&b)) {
            (Some(a), Some(b)) => Value::from(dates::working_days_between(a, b, &wd)),
            _ => Value::from(()),
        }
    });
    // `n | duration` -> "1 day", "3 days".
    env.add_filter("duration", |n: i64| -> String {
        if n == 1 {
            "1 day".into()
        } else {
            format!("{n} days")
        }
    });
    // Text safe inside a Markdown table cell, even in a template that is not `.md`.
    env.add_filter("cell", |v: String| -> Value {
        Value::from_safe_string(md_escape(&v))
    });
    // One line: line breaks and runs of blanks folded (for subjects and table cells).
    env.add_filter("oneline", |v: String| -> String {
        v.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    // `"Dana <dana@example.com>" | email` -> "dana@example.com"; `| name` -> "Dana".
    env.add_filter("email", |v: String| -> String {
        crate::model::person::address(&v).unwrap_or_default()
    });
    env.add_filter("name", |v: String| -> String {
        crate::model::person::display_name(&v)
    });
    add_label_filters(env, Labels::builtin());
    let _ = working_days;
}

/// Labels from `schema` (a repository's own) over the built-in ones, for the `label` and
/// `meaning` filters.
pub fn use_schema_labels(env: &mut Environment<'static>, schema: &serde_json::Value) {
    add_label_filters(env, Labels::builtin().merged(Labels::from_schema(schema)));
}

/// `severity | label("severity")` -> "Critical"; `gathering.services |
/// label("gathering.services")` -> a list of labels; `severity | meaning("severity")` -> what
/// it means. The argument is the field's dotted path (`$defs.labels` in the schema).
fn add_label_filters(env: &mut Environment<'static>, labels: Labels) {
    let labels = std::sync::Arc::new(labels);
    let l = labels.clone();
    env.add_filter("label", move |v: Value, field: String| -> Value {
        if v.is_none() || v.is_undefined() {
            Value::from("")
        } else if let Some(s) = v.as_str() {
            Value::from(l.label(&field, s))
        } else if let Ok(items) = v.try_iter() {
            Value::from(
                items
                    .map(|x| l.label(&field, x.as_str().unwrap_or(&x.to_string())))
                    .collect::<Vec<String>>(),
            )
        } else {
            Value::from(l.label(&field, &v.to_string()))
        }
    });
    env.add_filter("meaning", move |v: Value, field: String| -> String {
        v.as_str()
            .map(|s| labels.meaning(&field, s))
            .unwrap_or_default()
    });
}

/// Renders template `name` with `ctx`. Errors name the template and the line.
pub fn render(env: &Environment<'static>, name: &str, ctx: &serde_json::Value) -> Result<String> {
    let tmpl = env.get_template(name).map_err(|e| {
        // A name that names no template is a bad argument; a template that fails to
        // compile is a problem in the repository's data.
        if e.kind() == ErrorKind::TemplateNotFound {
            let builtin: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
            Error::Usage(format!(
                "no template named `{name}` in templates/ or built in ({})",
                builtin.join(", ")
            ))
        } else {
            template_error(name, &e)
        }
    })?;
    let mut text = tmpl
        .render(Value::from(minijinja::value::Serde(ctx)))
        .map_err(|e| template_error(name, &e))?;
    // The engine drops the template's last newline; a file (and the shell prompt after it)
    // wants one.
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// A template error as one line per cause, with the template name and line.
pub fn template_error(name: &str, e: &minijinja::Error) -> Error {
    let mut msg = format!("template {}", e.name().unwrap_or(name));
    if let Some(line) = e.line() {
        msg.push_str(&format!(":{line}"));
    }
    msg.push_str(&format!(
        ": {}",
        e.detail().unwrap_or(&e.kind().to_string())
    ));
    if e.kind() == ErrorKind::OutOfFuel {
        msg.push_str(" (the template does too much work: an endless loop?)");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    Error::Template(msg)
}

/// The templates folder of a repository root.
pub fn templates_dir(root: &Path) -> PathBuf {
    root.join("templates")
}

/// The context skeleton: every field the schema knows, empty ("" / [] / {}), so a template
/// may print an optional field that a file leaves out.
pub fn skeleton(schema: &serde_json::Value) -> serde_json::Value {
    fn walk(root: &serde_json::Value, s: &serde_json::Value, depth: usize) -> serde_json::Value {
        let mut s = s;
        for _ in 0..8 {
            match s
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| root.pointer(r.strip_prefix('#')?))
            {
                Some(t) => s = t,
                None => break,
            }
        }
        if depth > 8 {
            return serde_json::Value::Null;
        }
        // A mapping that may also be written as a list of mappings (`gathering.watch_list`)
        // is laid out as the mapping: templates can ask for its fields when the file leaves
        // it out.
        if s.get("type").is_none()
            && let Some(first) = s.get("anyOf").and_then(|a| a.get(0))
            && let Some(t) = first
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| root.pointer(r.strip_prefix('#')?))
            && t.get("type").and_then(|t| t.as_str()) == Some("object")
        {
            return walk(root, t, depth + 1);
        }
        match s.get("type").and_then(|t| t.as_str()) {
            Some("object") => {
                let mut m = serde_json::Map::new();
                if let Some(props) = s.get("properties").and_then(|p| p.as_object()) {
                    for (k, v) in props {
                        m.insert(k.clone(), walk(root, v, depth + 1));
                    }
                }
                serde_json::Value::Object(m)
            }
            Some("array") => serde_json::Value::Array(Vec::new()),
            Some("integer" | "number") => serde_json::Value::Null,
            _ => serde_json::Value::String(String::new()),
        }
    }
    walk(schema, schema, 0)
}

/// `data` laid over `base`: objects merge key by key, anything else replaces.
pub fn overlay(base: &mut serde_json::Value, data: &serde_json::Value) {
    match (base, data) {
        (serde_json::Value::Object(b), serde_json::Value::Object(d)) => {
            for (k, v) in d {
                match b.get_mut(k) {
                    Some(slot) => overlay(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, d) => *b = d.clone(),
    }
}

/// Markdown to HTML for an e-mail's HTML part, with raw HTML in the source shown as text,
/// never passed through: data cannot inject markup or script into an HTML e-mail. Links and
/// images are shown as their source text too, as in the plain-text part: data cannot hide a
/// link (or a `javascript:` one) behind other words, nor load an image. Every line break is
/// kept (`<br />`), as the plain-text part shows it: `Impact: ...` and `Services: ...` stay
/// two lines, where Markdown would run them into one.
pub fn markdown_to_html(md: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};
    let mut events = Vec::new();
    let mut inside = 0usize;
    for (e, range) in Parser::new(md).into_offset_iter() {
        match e {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                if inside == 0 {
                    events.push(Event::Text(CowStr::Borrowed(&md[range])));
                }
                inside += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => inside = inside.saturating_sub(1),
            _ if inside > 0 => {}
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            Event::SoftBreak => events.push(Event::HardBreak),
            e => events.push(e),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_keeps_tables_whole() {
        assert_eq!(
            md_escape("a | b\nc [x](y) <script>"),
            "a \\| b c \\[x\\](y) &lt;script&gt;"
        );
    }

    #[test]
    fn names_outside_the_folder_are_refused() {
        let src = Source::Files(Vec::new());
        for bad in ["../x", "/etc/passwd", "a/../../b", ".git/config", "C:x"] {
            assert!(load(&src, bad).is_err(), "{bad}");
        }
        assert!(load(&src, "status.md.j2").expect("ok").is_some());
    }
}
