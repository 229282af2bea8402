//! The watch lists an escalation is on: `gathering.watch_list` as one entry or a list of
//! entries, read the same way, each with its link (the entry's own, else the list's link
//! from `watch_lists` in `esc.yaml`). Templates see them as `watch_lists`.

use crate::model::doc::At;
use crate::out::labels::Labels;
use crate::rules::config::Config;
use serde_json::{Value, json};

/// Only web links: templates put them in `href`, where `javascript:` would run.
fn web(link: &str) -> bool {
    link.starts_with("https://") || link.starts_with("http://")
}

/// The entries of `gathering.watch_list` as written: the one entry, or each of the list's
/// (an entry that is not a mapping is left out: `esc check` reports it).
pub fn written(data: &Value) -> Vec<&Value> {
    match data.at("/gathering/watch_list") {
        Some(Value::Array(entries)) => entries.iter().filter(|e| e.is_object()).collect(),
        Some(e @ Value::Object(_)) => vec![e],
        _ => Vec::new(),
    }
}

/// Each entry with a list, as `{list, date, link}`: `link` is the entry's, else the list's
/// from `esc.yaml`, else empty; only `http(s)` links are kept.
pub fn entries(data: &Value, config: &Config) -> Vec<Value> {
    written(data)
        .into_iter()
        .filter_map(|e| {
            let list = e.get("list")?.as_str()?;
            let link = e
                .get("link")
                .and_then(Value::as_str)
                .filter(|l| web(l))
                .or_else(|| {
                    config
                        .watch_lists
                        .get(list)
                        .map(String::as_str)
                        .filter(|l| web(l))
                })
                .unwrap_or_default();
            let date = e.get("date").and_then(Value::as_str).unwrap_or_default();
            Some(json!({"list": list, "date": date, "link": link}))
        })
        .collect()
}

/// [`entries`] with each list's label (`$defs.labels`), for outputs that are not templates.
pub fn labelled(data: &Value, config: &Config, labels: &Labels) -> Vec<Value> {
    let mut out = entries(data, config);
    for e in &mut out {
        let label = labels.label(
            "gathering.watch_list.list",
            e["list"].as_str().unwrap_or(""),
        );
        e["label"] = json!(label);
    }
    out
}

/// One line for people: `Label since DATE (LINK)`, entries joined by `; `.
pub fn line(entries: &[Value]) -> String {
    entries
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default();
            let mut t = s("label").to_string();
            if !s("date").is_empty() {
                t.push_str(&format!(" since {}", s("date")));
            }
            if !s("link").is_empty() {
                t.push_str(&format!(" ({})", s("link")));
            }
            t
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut c = Config::default();
        c.watch_lists
            .insert("exo-cwl".into(), "https://aka.ms/EXOCWL".into());
        c.watch_lists
            .insert("sfb-wl".into(), "javascript:alert(1)".into());
        c
    }

    #[test]
    fn one_entry_and_a_list_read_the_same() {
        let one = json!({"gathering": {"watch_list": {"list": "exo-cwl", "date": "2026-11-03"}}});
        let many = json!({"gathering": {"watch_list": [
            {"list": "exo-cwl", "date": "2026-11-03"},
            {"list": "m365-cwl", "date": "2026-11-04", "link": "https://example.com/e/1"},
            {"list": "sfb-wl", "date": "2026-11-05"},
            "not an entry",
        ]}});
        let c = config();
        assert_eq!(entries(&one, &c), entries(&many, &c)[..1]);
        let e = entries(&many, &c);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0]["link"], "https://aka.ms/EXOCWL");
        assert_eq!(e[1]["link"], "https://example.com/e/1");
        assert_eq!(e[2]["link"], "", "no javascript: link");
        assert!(entries(&json!({"gathering": {}}), &c).is_empty());
        let l = labelled(&many, &c, &Labels::builtin());
        assert_eq!(
            line(&l[..2]),
            "Exchange Online Critical Watch List since 2026-11-03 (https://aka.ms/EXOCWL); \
             Microsoft 365 Critical Watch List since 2026-11-04 (https://example.com/e/1)"
        );
    }
}
