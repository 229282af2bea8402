//! What an id must look like in this repository: `ESC-YYMM-XXXX`, or with the repository's
//! prefix (`id_prefix` in `esc.yaml`: `ESC-EMEA-2611-K7QD`), so that the ids of an
//! organisation's repositories never collide; and a repository schema that accepts them.

use crate::model::diag::{Diagnostic, Issue};
use crate::rules::config::Config;
use crate::rules::schema::Schemas;

/// An id without the prefix `id_prefix` asks for (unless raised before `id_prefix_from`), or
/// with a prefix the repository does not have. A malformed id is the schema's to report.
pub fn prefix_issue(config: &Config, id: &str) -> Option<Issue> {
    let parts = crate::model::id::parts(id)?;
    let want = config.id_prefix.as_deref();
    if parts.prefix == want {
        return None;
    }
    let month = format!("20{}-{}", &parts.yymm[..2], &parts.yymm[2..]);
    if parts.prefix.is_none()
        && config
            .id_prefix_from
            .as_deref()
            .is_some_and(|from| month.as_str() < from)
    {
        return None;
    }
    let (expected, message) = match (want, parts.prefix) {
        (Some(p), found) => (
            format!("ESC-{p}-YYMM-XXXX"),
            format!(
                "id `{id}` {}; this repository's ids are ESC-{p}-YYMM-XXXX (`id_prefix` in esc.yaml), unique across the organisation's repositories{}",
                found.map_or_else(
                    || "has no prefix".to_string(),
                    |q| format!("has the prefix {q}")
                ),
                if found.is_none() && config.id_prefix_from.is_none() {
                    "; if it was raised before the prefix was set, set `id_prefix_from` to the first month with it (ids never change)"
                } else {
                    ""
                }
            ),
        ),
        (None, found) => (
            "ESC-YYMM-XXXX".to_string(),
            format!(
                "id `{id}` has the prefix {}, and esc.yaml sets no `id_prefix`; set `id_prefix: {}` or give it an id without one",
                found.unwrap_or_default(),
                found.unwrap_or_default()
            ),
        ),
    };
    Some(Issue {
        pointer: "/id".into(),
        rule: "id-prefix".into(),
        message,
        expected: Some(expected),
        found: Some(id.to_string()),
    })
}

/// With `id_prefix` set, the repository's own schema must accept ids with it: a schema copied
/// before prefixes existed refuses them, and every new escalation would fail its check.
pub fn schema_agreement(config: &Config, schemas: &Schemas) -> Vec<Diagnostic> {
    let Some(prefix) = config.id_prefix.as_deref() else {
        return Vec::new();
    };
    let sample = format!("ESC-{prefix}-2611-K7QD");
    let refused = schemas
        .current
        .issues(&serde_json::json!({ "id": sample }))
        .iter()
        .any(|i| i.pointer == "/id");
    if !refused {
        return Vec::new();
    }
    let mut d = Diagnostic::new(
        &schemas.current.origin,
        1,
        1,
        "id-prefix-schema",
        format!(
            "esc.yaml sets `id_prefix: {prefix}`, and this schema refuses ids such as {sample} (`$defs.id`); \
             take the pattern of the built-in schema (`esc schema --builtin`): \
             ^ESC-([A-Z][A-Z0-9]{{0,7}}-)?[0-9]{{4}}-[0-9A-HJKMNP-TV-Z]{{4}}$"
        ),
    );
    d.expected = Some(format!("a `$defs.id` that accepts {sample}"));
    d.found = Some("a pattern without the prefix".into());
    vec![d]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Config {
        Config::parse(yaml, "esc.yaml").expect("valid config")
    }

    #[test]
    fn the_prefix_is_asked_unless_raised_before_it() {
        let emea = config("id_prefix: EMEA\n");
        assert!(prefix_issue(&emea, "ESC-EMEA-2611-K7QD").is_none());
        let no = prefix_issue(&emea, "ESC-2611-K7QD").expect("no prefix");
        assert_eq!(no.rule, "id-prefix");
        assert_eq!(no.expected.as_deref(), Some("ESC-EMEA-YYMM-XXXX"));
        assert!(no.message.contains("id_prefix_from"), "{}", no.message);
        assert!(prefix_issue(&emea, "ESC-APAC-2611-K7QD").is_some());
        let from = config("id_prefix: EMEA\nid_prefix_from: 2026-11\n");
        assert!(prefix_issue(&from, "ESC-2610-K7QD").is_none());
        assert!(prefix_issue(&from, "ESC-2611-K7QD").is_some());
        let plain = Config::default();
        assert!(prefix_issue(&plain, "ESC-2611-K7QD").is_none());
        assert!(prefix_issue(&plain, "ESC-EMEA-2611-K7QD").is_some());
        // A malformed id is the schema's to report.
        assert!(prefix_issue(&emea, "ESC-26-K7QD").is_none());
    }

    #[test]
    fn an_old_schema_refusing_prefixes_is_reported() {
        let old = crate::rules::schema::EMBEDDED
            .replace("^ESC-([A-Z][A-Z0-9]{0,7}-)?[0-9]{4}-", "^ESC-[0-9]{4}-");
        assert_ne!(old, crate::rules::schema::EMBEDDED);
        let schemas =
            Schemas::from_files(vec![("escalation.schema.json".into(), old)]).expect("schema");
        assert_eq!(
            schema_agreement(&config("id_prefix: EMEA\n"), &schemas).len(),
            1
        );
        assert!(schema_agreement(&Config::default(), &schemas).is_empty());
        let new = Schemas::from_files(vec![(
            "escalation.schema.json".into(),
            crate::rules::schema::EMBEDDED.to_string(),
        )])
        .expect("schema");
        assert!(schema_agreement(&config("id_prefix: EMEA\n"), &new).is_empty());
    }
}
