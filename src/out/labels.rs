//! What people read for coded values: the schema's `$defs.labels` (per field, `oneOf` of
//! `const` with a `title` and a `description`), the repository's schema over the built-in
//! one, and a title-cased slug for a value without a label (`windows-autopilot` as Windows
//! Autopilot). Templates use them through the `label` and `meaning` filters.

use serde_json::Value;
use std::collections::BTreeMap;

/// Field (dotted path) -> value -> (label, meaning).
#[derive(Clone, Debug, Default)]
pub struct Labels(BTreeMap<String, BTreeMap<String, (String, String)>>);

/// Small words kept lower-case inside a title-cased slug.
const SMALL: &[&str] = &["a", "an", "and", "for", "in", "of", "on", "or", "the", "to"];

impl Labels {
    /// The labels the built-in schema gives.
    pub fn builtin() -> Labels {
        serde_json::from_str(crate::rules::schema::EMBEDDED)
            .map(|s: Value| Labels::from_schema(&s))
            .unwrap_or_default()
    }

    /// The labels in a schema's `$defs.labels.properties`; entries without `const` and
    /// `title` are skipped.
    pub fn from_schema(schema: &Value) -> Labels {
        let mut out = BTreeMap::new();
        let fields = schema
            .pointer("/$defs/labels/properties")
            .and_then(Value::as_object);
        for (field, v) in fields.into_iter().flatten() {
            let mut m = BTreeMap::new();
            for item in v
                .get("oneOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
                if let (Some(code), Some(title)) = (text("const"), text("title")) {
                    m.insert(code, (title, text("description").unwrap_or_default()));
                }
            }
            out.insert(field.clone(), m);
        }
        Labels(out)
    }

    /// `other`'s labels over these, value by value.
    pub fn merged(mut self, other: Labels) -> Labels {
        for (field, values) in other.0 {
            self.0.entry(field).or_default().extend(values);
        }
        self
    }

    /// The label of `code` in `field`, else the slug title-cased; empty for empty.
    pub fn label(&self, field: &str, code: &str) -> String {
        match self.0.get(field).and_then(|m| m.get(code)) {
            Some((title, _)) => title.clone(),
            None => title_case(code),
        }
    }

    /// What `code` in `field` means (empty when the schema does not say).
    pub fn meaning(&self, field: &str, code: &str) -> String {
        self.0
            .get(field)
            .and_then(|m| m.get(code))
            .map(|(_, d)| d.clone())
            .unwrap_or_default()
    }

    /// Every (field, value) that has a label.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .flat_map(|(f, m)| m.keys().map(move |k| (f.as_str(), k.as_str())))
    }
}

/// `steady-state` -> `Steady State`, `skype-for-business` -> `Skype for Business`.
pub fn title_case(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && SMALL.contains(&w) {
                return w.to_string();
            }
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enums(root: &Value, s: &Value, path: &str, out: &mut Vec<(String, String)>) {
        let mut s = s;
        while let Some(t) = s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| root.pointer(r.strip_prefix('#')?))
        {
            s = t;
        }
        for v in s
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push((path.to_string(), v.as_str().unwrap_or_default().to_string()));
        }
        if let Some(items) = s.get("items") {
            enums(root, items, path, out);
        }
        // A value that may take one of several forms (`cadence`: a name or a number).
        for alt in ["anyOf", "oneOf"] {
            for v in s.get(alt).and_then(Value::as_array).into_iter().flatten() {
                enums(root, v, path, out);
            }
        }
        for (k, v) in s
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            enums(root, v, &p, out);
        }
    }

    /// Every value of every `enum` in the built-in schema has a label, and every label is
    /// for a field and value the schema has (services excepted: they are free text).
    #[test]
    fn every_enum_value_has_a_label_and_no_label_is_stale() {
        let schema: Value = serde_json::from_str(crate::rules::schema::EMBEDDED).expect("json");
        let mut all = Vec::new();
        enums(&schema, &schema, "", &mut all);
        assert!(all.len() > 40, "{all:?}");
        let labels = Labels::builtin();
        for (field, code) in &all {
            assert!(
                labels.0.get(field).is_some_and(|m| m.contains_key(code)),
                "no label for `{code}` in `{field}` ($defs.labels)"
            );
        }
        for (field, code) in labels.entries() {
            assert!(
                field == "gathering.services" || all.iter().any(|(f, c)| f == field && c == code),
                "label for `{code}` in `{field}`, which the schema does not have"
            );
        }
        for sev in ["critical", "high", "medium", "low"] {
            assert!(!labels.meaning("severity", sev).is_empty(), "{sev}");
        }
    }

    #[test]
    fn labels_and_the_fallback() {
        let l = Labels::builtin();
        assert_eq!(
            l.label("gathering.services", "entra-id"),
            "Microsoft Entra ID"
        );
        assert_eq!(
            l.label("gathering.deployment_phase", "deployment"),
            "Deployment"
        );
        assert_eq!(
            l.label("gathering.services", "cloud-pc-pilot"),
            "Cloud Pc Pilot"
        );
        assert_eq!(title_case("skype-for-business"), "Skype for Business");
        assert_eq!(title_case(""), "");
        let own = Labels::from_schema(&serde_json::json!({"$defs": {"labels": {"properties": {
            "gathering.services": {"oneOf": [{"const": "entra-id", "title": "Entra"}]}}}}}));
        let l = l.merged(own);
        assert_eq!(l.label("gathering.services", "entra-id"), "Entra");
        assert_eq!(l.label("gathering.services", "teams"), "Microsoft Teams");
    }
}
