//! Where a cursor is in front matter being typed: the keys above it and whether it is on a
//! key, a value or a list item. Read from indentation line by line, so it works on YAML that
//! does not parse yet (half a key, a value still missing).

/// What the cursor's line is writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A key of the mapping at `parents`.
    Key,
    /// The value of `key` in the mapping at `parents`.
    Value(String),
    /// A list item (`- x`) of the list at `parents`; it may also start a mapping's key.
    Item,
}

/// The cursor's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// JSON pointer parts of the collection the line belongs to (list items as `0`).
    pub parents: Vec<String>,
    pub what: What,
    /// The character index where the word under the cursor starts, and the word up to it.
    pub start: usize,
    pub word: String,
}

impl Spot {
    /// The JSON pointer of the parents, with `extra` appended.
    pub fn pointer(&self, extra: &[&str]) -> String {
        self.parents
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
            .map(|p| format!("/{}", crate::model::yamlpos::escape(p)))
            .collect()
    }
}

/// The spot at character `col` of 0-based line `line_no` of `text`, if that is inside the
/// front matter.
pub fn spot(text: &str, line_no: usize, col: usize) -> Option<Spot> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") || line_no == 0 {
        return None;
    }
    let end = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map_or(lines.len(), |i| i + 1);
    if line_no >= end {
        return None;
    }
    let line = lines.get(line_no)?;
    let pre: String = line.chars().take(col).collect();
    let indent = indent_of(&pre);
    let mut rest = &pre[indent..];
    let mut start = indent;
    let dash = rest == "-" || rest.starts_with("- ");
    if dash {
        let after = rest[1..].trim_start();
        start += rest.len() - after.len();
        rest = after;
    }
    let parents = if dash {
        let mut p = list_path(&lines, line_no, indent);
        if rest.contains(':') {
            p.push("0".into());
        }
        p
    } else {
        parents(&lines, line_no, indent)
    };
    let (what, word_at) = match key_of(rest) {
        Some(key) => {
            let value = rest[key.len() + 1..].trim_start();
            let value_at = rest.len() - value.len();
            let quote = usize::from(value.starts_with(['"', '\'']));
            (What::Value(key.to_string()), value_at + quote)
        }
        None if dash => (What::Item, 0),
        None => (What::Key, 0),
    };
    let word = &rest[word_at..];
    Some(Spot {
        parents,
        what,
        start: pre[..start + word_at].chars().count(),
        word: word.to_string(),
    })
}

/// The path to the key on 0-based line `line_no` (any column), with the key itself last.
pub fn key_path_at(text: &str, line_no: usize) -> Option<(Vec<String>, String)> {
    let full = super::text::line(text, line_no);
    let s = spot(text, line_no, full.chars().count())?;
    match s.what {
        What::Value(key) => Some((s.parents, key)),
        What::Key | What::Item => None,
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// `key` of `key: value` or `key:` (a plain or quoted key without spaces around it).
fn key_of(rest: &str) -> Option<&str> {
    let (key, _) = rest.split_once(':')?;
    let after = &rest[key.len() + 1..];
    let ok = !key.is_empty()
        && !key.starts_with(['#', '"', '\'', '{', '['])
        && !key.contains(' ')
        && (after.is_empty() || after.starts_with([' ', '\t']));
    ok.then_some(key)
}

/// The keys above a line indented by `indent`: each nearest line above indented less (a
/// list item's keys are indented past its dash).
fn parents(lines: &[&str], below: usize, indent: usize) -> Vec<String> {
    for i in (1..below).rev() {
        let l = lines[i];
        if blank(l) {
            continue;
        }
        let li = indent_of(l);
        let rest = &l[li..];
        if rest == "-" || rest.starts_with("- ") {
            let content = li + 1 + (rest.len() - 1 - rest[1..].trim_start().len());
            if content <= indent && li < indent {
                let mut p = list_path(lines, i, li);
                p.push("0".into());
                return p;
            }
            continue;
        }
        if li < indent {
            let mut p = parents(lines, i, li);
            if let Some(k) = key_of(rest) {
                p.push(k.to_string());
            }
            return p;
        }
    }
    Vec::new()
}

/// The path of the list whose item starts on line `item` with its dash at `dash`.
fn list_path(lines: &[&str], item: usize, dash: usize) -> Vec<String> {
    for i in (1..item).rev() {
        let l = lines[i];
        if blank(l) {
            continue;
        }
        let li = indent_of(l);
        let rest = &l[li..];
        let is_item = rest == "-" || rest.starts_with("- ");
        if li < dash || (li == dash && !is_item) {
            let mut p = if is_item {
                list_path(lines, i, li)
            } else {
                parents(lines, i, li)
            };
            if let Some(k) = key_of(rest.trim_start_matches(['-', ' '])) {
                if is_item {
                    p.push("0".into());
                }
                p.push(k.to_string());
            }
            return p;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "---\nstep: ra\nraised:\n  date: 2026-11-02\n  sou\n  source: acc\ngathering:\n  services:\n    - tea\n  types:\n  - tech\nstatus:\n  actions:\n    - what: call\n      ow\n---\nbody: x\n";

    fn at(line: usize) -> Spot {
        let l = super::super::text::line(TEXT, line);
        spot(TEXT, line, l.chars().count()).expect("in front matter")
    }

    #[test]
    fn the_path_follows_indentation_and_list_items() {
        let s = at(1);
        assert_eq!(
            (s.parents.len(), s.what, s.word.as_str()),
            (0, What::Value("step".into()), "ra")
        );
        assert_eq!(s.start, 6);
        let s = at(4);
        assert_eq!(
            (s.parents, s.what, s.word),
            (vec!["raised".to_string()], What::Key, "sou".into())
        );
        let s = at(5);
        assert_eq!(s.pointer(&[]), "/raised");
        assert_eq!(s.what, What::Value("source".into()));
        let s = at(8);
        assert_eq!(
            (s.pointer(&[]), s.what, s.start),
            ("/gathering/services".into(), What::Item, 6)
        );
        assert_eq!(at(10).pointer(&[]), "/gathering/types");
        let s = at(14);
        assert_eq!(
            (s.pointer(&[]), s.what),
            ("/status/actions/0".into(), What::Key)
        );
        assert!(spot(TEXT, 16, 2).is_none());
        assert!(spot(TEXT, 0, 2).is_none());
        assert_eq!(
            key_path_at(TEXT, 5),
            Some((vec!["raised".to_string()], "source".to_string()))
        );
    }
}
