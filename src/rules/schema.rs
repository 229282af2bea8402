//! The gathering schema: JSON Schema 2020-12, embedded, overridden by the repository's own.
//!
//! Versions: the schema carries its version in `$defs.esc_version.const` (a top-level `x-`
//! keyword would trip strict validators such as Ajv). When a team adds a required field, it
//! keeps the previous schema as `schemas/escalation.v{N}.schema.json` and bumps the version in
//! `schemas/escalation.schema.json`. A file may say `schema: N`; a *closed* escalation is
//! validated against the version it names, so new required fields never turn closed
//! escalations red. Open escalations are always validated against the current schema.

use crate::error::{Error, Result};
use crate::model::diag::{Issue, did_you_mean, dotted, show};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The embedded default schema (this repository's `schemas/escalation.schema.json`).
pub const EMBEDDED: &str = include_str!("../../schemas/escalation.schema.json");
/// Where a repository keeps its own schema.
pub const SCHEMA_PATH: &str = "schemas/escalation.schema.json";

pub struct Schema {
    pub version: u64,
    /// Where it came from: a repository path, or `(embedded)`.
    pub origin: String,
    pub json: Value,
    validator: jsonschema::Validator,
}

/// The current schema and the older versions a repository keeps.
pub struct Schemas {
    pub current: Schema,
    pub older: BTreeMap<u64, Schema>,
}

impl Schema {
    pub fn compile(origin: &str, text: &str) -> Result<Schema> {
        let err = |message: String| Error::Schema {
            path: origin.into(),
            message,
        };
        let json: Value = serde_json::from_str(text).map_err(|e| {
            err(format!(
                "not valid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        })?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&json)
            .map_err(|e| err(format!("not a valid JSON Schema 2020-12: {e}")))?;
        let version = json
            .pointer("/$defs/esc_version/const")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        Ok(Schema {
            version,
            origin: origin.to_string(),
            json,
            validator,
        })
    }

    pub fn is_valid(&self, instance: &Value) -> bool {
        self.validator.is_valid(instance)
    }

    /// The step ids the schema allows (`properties.step.enum`).
    pub fn steps(&self) -> Vec<String> {
        self.enum_values("/properties/step/enum")
    }

    /// The text values of the list at `pointer` in the schema (an `enum`), or none.
    pub fn enum_values(&self, pointer: &str) -> Vec<String> {
        self.json
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every violation in `instance`, phrased for the person who has to fix the file.
    pub fn issues(&self, instance: &Value) -> Vec<Issue> {
        let step = instance.get("step").and_then(Value::as_str);
        let mut out = Vec::new();
        for e in self.validator.iter_errors(instance) {
            let at = e.instance_path().as_str().to_string();
            // The evaluation path keeps the `$ref` hops (`/allOf/0/then/$ref/...`); the schema
            // path is canonical (`/$defs/guard_.../required`) and never contains `/then`.
            let from_guard = e.evaluation_path().as_str().contains("/then");
            self.describe(e.kind(), &at, e.instance(), step, from_guard, &mut out);
        }
        out
    }

    fn describe(
        &self,
        kind: &ValidationErrorKind,
        at: &str,
        instance: &Value,
        step: Option<&str>,
        from_guard: bool,
        out: &mut Vec<Issue>,
    ) {
        let field = dotted(at);
        let name = if field.is_empty() {
            "the front matter".to_string()
        } else {
            format!("`{field}`")
        };
        let found = show(instance);
        let issue = |rule: &str, message: String| Issue {
            pointer: at.to_string(),
            rule: rule.to_string(),
            message,
            expected: None,
            found: None,
        };
        match kind {
            ValidationErrorKind::Required { property } => {
                let prop = property.as_str().unwrap_or_default();
                let pointer = format!("{at}/{}", crate::model::yamlpos::escape(prop));
                let full = dotted(&pointer);
                let why = match (from_guard, step) {
                    (true, Some(step)) => format!("step `{step}` needs it"),
                    _ => "it is always required".to_string(),
                };
                let hint = self
                    .describe_field(&pointer)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                out.push(Issue {
                    pointer,
                    rule: "schema.required".into(),
                    message: format!("`{full}` is missing: {why}{hint}"),
                    expected: Some(format!("a value for `{full}`")),
                    found: Some("nothing".into()),
                });
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let known = self.known_keys(at);
                for key in unexpected {
                    let pointer = format!("{at}/{}", crate::model::yamlpos::escape(key));
                    let suggestion = did_you_mean(key, known.iter().map(String::as_str))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            "; put team fields under an `x-` key or in `extra`".to_string()
                        });
                    out.push(Issue {
                        pointer,
                        rule: "unknown-key".into(),
                        message: format!("unknown key `{key}` in {name}{suggestion}"),
                        expected: Some(format!("one of: {}", known.join(", "))),
                        found: Some(key.clone()),
                    });
                }
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(show).collect())
                    .unwrap_or_default();
                let suggestion = instance
                    .as_str()
                    .and_then(|s| {
                        did_you_mean(
                            s,
                            options
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(Value::as_str),
                        )
                    })
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                let mut i = issue(
                    "schema.enum",
                    format!(
                        "{name} must be one of {}; found `{found}`{suggestion}",
                        allowed.join(", ")
                    ),
                );
                i.expected = Some(format!("one of: {}", allowed.join(", ")));
                i.found = Some(found);
                out.push(i);
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => article(&t.to_string()),
                    TypeKind::Multiple(ts) => format!("{ts:?}"),
                };
                let hint =
                    if expected == "a string" && (instance.is_number() || instance.is_boolean()) {
                        "; put it in quotes to keep it as text"
                    } else {
                        ""
                    };
                // An empty value is `null` to YAML; "found nothing `null`" would puzzle.
                let what = if instance.is_null() {
                    "nothing (the value is empty)".to_string()
                } else {
                    format!("{} `{found}`{hint}", json_type(instance))
                };
                let mut i = issue(
                    "schema.type",
                    format!("{name} must be {expected}; found {what}"),
                );
                i.expected = Some(expected);
                i.found = Some(found);
                out.push(i);
            }
            ValidationErrorKind::Format { format } => {
                let (expected, detail) = match format.as_str() {
                    "date" => (
                        "a date as YYYY-MM-DD".to_string(),
                        if looks_like_date(&found) {
                            " (no such day)"
                        } else {
                            ""
                        },
                    ),
                    "uri" => ("a URL such as https://aka.ms/EXOCWL".to_string(), ""),
                    "email" => ("an e-mail address".to_string(), ""),
                    f => (format!("a valid {f}"), ""),
                };
                let mut i = issue(
                    "schema.format",
                    format!("{name} must be {expected}; found `{found}`{detail}"),
                );
                i.expected = Some(expected);
                i.found = Some(found);
                out.push(i);
            }
            ValidationErrorKind::Pattern { pattern } => {
                let example = self
                    .subschema(at)
                    .and_then(|s| s.get("examples"))
                    .and_then(|e| e.get(0))
                    .and_then(Value::as_str)
                    .map(|e| format!(", for example `{e}`"))
                    .unwrap_or_default();
                let what = self
                    .describe_field(at)
                    .unwrap_or_else(|| format!("text matching {pattern}"));
                let mut i = issue(
                    "schema.pattern",
                    format!("{name} is not in the expected form: {what}{example}; found `{found}`"),
                );
                i.expected = Some(pattern.clone());
                i.found = Some(found);
                out.push(i);
            }
            ValidationErrorKind::MinItems { limit } => {
                let n = instance.as_array().map_or(0, Vec::len);
                out.push(issue(
                    "schema.min-items",
                    format!("{name} needs at least {limit} item(s); found {n}"),
                ));
            }
            ValidationErrorKind::MinLength { .. } => {
                out.push(issue("schema.empty", format!("{name} must not be empty")));
            }
            ValidationErrorKind::MaxLength { limit } => out.push(issue(
                "schema.max-length",
                format!(
                    "{name} is too long: at most {limit} characters; found {}",
                    instance.as_str().map_or(0, |s| s.chars().count())
                ),
            )),
            ValidationErrorKind::UniqueItems => out.push(issue(
                "schema.unique",
                format!("{name} lists the same item twice: `{found}`"),
            )),
            ValidationErrorKind::Minimum { limit } => out.push(issue(
                "schema.minimum",
                format!("{name} must be at least {limit}; found {found}"),
            )),
            ValidationErrorKind::Constant { expected_value } => out.push(issue(
                "schema.const",
                format!("{name} must be `{}`; found `{found}`", show(expected_value)),
            )),
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                // Report the branch the user meant: one for the kind of value written (a
                // list of watch-list entries is about the list form, however many problems
                // its entries have), then the one with the fewest problems; of equals, one
                // whose problems are not about the kind of value (a number is about the
                // number branch's minimum, not the names' enum).
                let off_type = |e: &jsonschema::ValidationError<'_>| match e.kind() {
                    ValidationErrorKind::Type { .. } => true,
                    ValidationErrorKind::Enum { .. } => !e.instance().is_string(),
                    _ => false,
                };
                let other_kind = |c: &Vec<jsonschema::ValidationError<'_>>| {
                    c.iter().any(|e| {
                        matches!(e.kind(), ValidationErrorKind::Type { .. })
                            && e.instance_path().as_str() == at
                    })
                };
                if let Some(best) = context.iter().min_by_key(|c| {
                    (
                        other_kind(c),
                        c.len(),
                        c.iter().filter(|e| off_type(e)).count(),
                    )
                }) {
                    for e in best {
                        let at = e.instance_path().as_str().to_string();
                        self.describe(e.kind(), &at, e.instance(), step, from_guard, out);
                    }
                }
            }
            other => out.push(issue(
                &format!("schema.{}", other.keyword()),
                format!("{name}: {}", first_sentence(&format!("{other:?}"))),
            )),
        }
    }

    /// The subschema that describes the instance at `pointer`, following local `$ref`s.
    pub fn subschema<'a>(&'a self, pointer: &str) -> Option<&'a Value> {
        let mut s = self.resolve(&self.json)?;
        for part in pointer.split('/').skip(1) {
            let part = part.replace("~1", "/").replace("~0", "~");
            let step = |s: &'a Value| {
                s.get("properties")
                    .and_then(|p| p.get(&part))
                    .or_else(|| part.parse::<usize>().ok().and_then(|_| s.get("items")))
            };
            // A field of several forms (`anyOf`: one entry or a list of them) is looked up
            // in the first form that has it.
            let next = step(s).or_else(|| self.branches(s).find_map(step))?;
            s = self.resolve(next)?;
        }
        Some(s)
    }

    /// The forms of `s` (`anyOf` or `oneOf`), each with its `$ref` followed.
    fn branches<'a>(&'a self, s: &'a Value) -> impl Iterator<Item = &'a Value> + 'a {
        ["anyOf", "oneOf"]
            .into_iter()
            .filter_map(|k| s.get(k).and_then(Value::as_array))
            .flatten()
            .filter_map(|b| self.resolve(b))
    }

    fn resolve<'a>(&'a self, mut s: &'a Value) -> Option<&'a Value> {
        for _ in 0..16 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    // Keep the referring schema's own description if it has one.
                    if s.get("description").is_some() && s.get("properties").is_none() {
                        let target = self.json.pointer(r.strip_prefix('#')?)?;
                        if target.get("properties").is_none() {
                            return Some(s);
                        }
                    }
                    s = self.json.pointer(r.strip_prefix('#')?)?;
                }
                None => return Some(s),
            }
        }
        None
    }

    /// The description of the field at `pointer`, without its final full stop.
    pub fn describe_field(&self, pointer: &str) -> Option<String> {
        let s = self.subschema(pointer)?;
        let d = s.get("description").and_then(Value::as_str).or_else(|| {
            s.get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.json.pointer(r.strip_prefix('#')?))
                .and_then(|t| t.get("description"))
                .and_then(Value::as_str)
        })?;
        Some(d.trim_end_matches('.').to_string())
    }

    /// The JSON type (`string`, `array`, ...) the schema gives the field at `pointer`.
    pub fn field_type(&self, pointer: &str) -> Option<String> {
        let mut s = self.subschema(pointer)?;
        for _ in 0..8 {
            if let Some(t) = s.get("type").and_then(Value::as_str) {
                return Some(t.to_string());
            }
            let r = s.get("$ref").and_then(Value::as_str)?;
            s = self.json.pointer(r.strip_prefix('#')?)?;
        }
        None
    }

    /// The keys the schema defines for the object at `pointer`.
    pub fn known_keys(&self, pointer: &str) -> Vec<String> {
        let s = self.subschema(pointer);
        s.and_then(|s| s.get("properties"))
            .or_else(|| s.and_then(|s| self.branches(s).find_map(|b| b.get("properties"))))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }
}

impl Schemas {
    /// The repository's schemas if it has them, else the embedded one.
    pub fn load(root: &Path) -> Result<Schemas> {
        let dir = root.join("schemas");
        let mut files = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let Ok(name) = e.file_name().into_string() else {
                    continue;
                };
                if name == "escalation.schema.json"
                    || (name.starts_with("escalation.v") && name.ends_with(".schema.json"))
                {
                    let path = dir.join(&name);
                    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                    files.push((name, text));
                }
            }
        }
        Schemas::from_files(files)
    }

    /// The schemas from the files of a `schemas/` folder: (file name, text). Other files
    /// there (`esc.schema.json`, the config's schema) are not escalation schemas.
    pub fn from_files(mut files: Vec<(String, String)>) -> Result<Schemas> {
        files.retain(|(n, _)| {
            n == "escalation.schema.json"
                || (n.starts_with("escalation.v") && n.ends_with(".schema.json"))
        });
        files.sort();
        let current = match files.iter().find(|(n, _)| n == "escalation.schema.json") {
            Some((_, text)) => Schema::compile(SCHEMA_PATH, text)?,
            None => Schema::compile("(embedded)", EMBEDDED)?,
        };
        let mut older = BTreeMap::new();
        for (name, text) in files.iter().filter(|(n, _)| n != "escalation.schema.json") {
            let origin = format!("schemas/{name}");
            let schema = Schema::compile(&origin, text)?;
            if schema.version >= current.version {
                return Err(Error::Schema {
                    path: origin.into(),
                    message: format!(
                        "an older schema must have an esc_version below the current one ({}); found {}",
                        current.version, schema.version
                    ),
                });
            }
            if let Some(prev) = older.insert(schema.version, schema) {
                return Err(Error::Schema {
                    path: origin.into(),
                    message: format!(
                        "esc_version {} is also claimed by {}",
                        prev.version, prev.origin
                    ),
                });
            }
        }
        Ok(Schemas { current, older })
    }

    /// The schema a document is validated against: the version a closed escalation names,
    /// otherwise the current one.
    pub fn for_document(&self, doc: &Value, closed_step: &str) -> &Schema {
        let closed = doc.get("step").and_then(Value::as_str) == Some(closed_step);
        match doc.get("schema").and_then(Value::as_u64) {
            Some(v) if closed && v < self.current.version => {
                self.older.get(&v).unwrap_or(&self.current)
            }
            _ => &self.current,
        }
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "a mapping (key: value lines)".into(),
        "array" => "a list".into(),
        "integer" => "a whole number".into(),
        t if t.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {t}"),
        t => format!("a {t}"),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}

fn first_sentence(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}
