//! Where things are on the lines of a YAML text: columns, where a key node starts, where a
//! collection's content ends, and the comment lines a new block would swallow. For the
//! editor, which writes by these.

use crate::model::yamlpos::{Node, Positions};

/// `at` (a line start), moved past the blank lines and the comment lines indented deeper
/// than `indent` that follow it: text inserted before them could end in a `|` block,
/// which would take them for its content.
pub fn past_deeper_comments(yaml: &str, start: usize, indent: usize) -> usize {
    let mut at = start;
    while at < yaml.len() {
        let end = yaml[at..].find('\n').map_or(yaml.len(), |i| at + i + 1);
        let line = &yaml[at..end];
        let body = line.trim_start_matches(' ');
        let deeper = line.len() - body.len() > indent;
        if body.trim().is_empty() || (deeper && body.starts_with('#')) {
            at = end;
        } else {
            break;
        }
    }
    // Blank lines stay after the new text, where they were: back up over them.
    while at > start {
        let prev = yaml[..at - 1].rfind('\n').map_or(0, |i| i + 1);
        if yaml[prev..at].trim().is_empty() && prev < at {
            at = prev;
        } else {
            break;
        }
    }
    at
}

/// Whether comment lines indented deeper than `indent` follow the line of byte `at`.
pub fn comments_follow(yaml: &str, at: usize, indent: usize) -> bool {
    let next = yaml[at..].find('\n').map_or(yaml.len(), |i| at + i + 1);
    past_deeper_comments(yaml, next, indent) > next
}

/// Where the key node at `key_start` begins: before its properties (`&anchor`, `!tag`),
/// which belong to it, so a new sibling lines up with them, not with the key text.
pub fn node_start(yaml: &str, key_start: usize) -> usize {
    let line = yaml[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let mut at = key_start;
    loop {
        let before = yaml[line..at].trim_end_matches([' ', '\t']);
        let token = before.rfind([' ', '\t']).map_or(0, |i| i + 1);
        if before.len() > token && before[token..].starts_with(['&', '!']) {
            at = line + token;
        } else {
            return at;
        }
    }
}

/// The column of byte `at` of the YAML text, and the text from its line's start to it
/// (a byte order mark there takes no column, and is left out).
pub fn column(yaml: &str, at: usize) -> (usize, &str) {
    let line = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let lead = yaml[line..at].trim_start_matches('\u{feff}');
    (lead.chars().count(), lead)
}

/// Byte offset just after the last content of the collection at `pointer` (end of line
/// for block collections, so a trailing comment stays with its line).
pub fn content_end(yaml: &str, pos: &Positions, node: &Node) -> usize {
    let prefix = format!("{}/", node.pointer);
    let last = pos
        .nodes()
        .iter()
        .filter(|n| {
            n.pointer.starts_with(&prefix)
                && (n.scalar_style.is_some() || n.flow || n.alias_of != 0)
        })
        .map(|n| n.value.end)
        .max()
        .unwrap_or(node.value.start);
    if last > 0 && yaml.as_bytes().get(last - 1) == Some(&b'\n') {
        return last;
    }
    yaml[last..].find('\n').map_or(yaml.len(), |i| last + i + 1)
}

/// Where a new entry goes in a flow collection: right after its last entry (so spacing
/// and a trailing comma before the closing bracket stay), or just inside the brackets
/// when it is empty.
pub fn flow_insert_point(pos: &Positions, node: &Node) -> usize {
    let prefix = format!("{}/", node.pointer);
    pos.nodes()
        .iter()
        .filter(|n| n.pointer.starts_with(&prefix))
        .map(|n| n.value.end)
        .max()
        .unwrap_or(node.value.start + 1)
}
