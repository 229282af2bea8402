//! The `step` and `id` of an escalation file, for the history walk: a line scan of the front
//! matter that is exact for the shapes it accepts and declines everything else to the full
//! parse. Reading one value from each of 100,000 blobs must not pay for a YAML parser.
//!
//! Exact means more than reading two lines: the full parse gives nothing for a front matter
//! that is not valid YAML (a duplicate key anywhere, `key: a: b`, a line indented wrongly),
//! so the scan checks the whole front matter against a small subset of YAML (block
//! mappings and lists of `key: value` lines, one-line scalars and flow collections, block
//! scalars, comments) and declines everything outside it.
//!
//! Besides `step` and `id` it reads the other fields of a `Digest` (owner, meetings,
//! actions, notices, ...): each must be a string it is sure of, or it declines.

use super::digest::{Child, Digest, Slot, Watch, child, item_of};

/// Front matter larger than this is left to the parser (its node budget, which the scan
/// does not count, could be reached only by something this large).
const MAX_SCAN_BYTES: usize = 64 * 1024;
/// Deepest block nesting and flow nesting the scan follows (the parser allows 32 in all).
const MAX_BLOCK_DEPTH: usize = 16;
const MAX_FLOW_DEPTH: usize = 8;

/// The digest of a file's front matter when the scan is sure of it (the front matter is in
/// the subset it checks, and every value the digest keeps is a one-line plain or
/// simply-quoted string, a simple block scalar, or absent), else `None`.
pub fn scan_fast(text: &str) -> Option<Digest> {
    let split = super::document::split(text).ok()?;
    let yaml = split.yaml;
    if yaml.len() > MAX_SCAN_BYTES || !plain_characters(yaml) {
        return None;
    }
    let mut digest = Digest::default();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut state = After::Node;
    // The block scalar being read for the digest: its slot, key, header and lines.
    let mut capture: Option<Capture<'_>> = None;
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let After::Block {
            parent,
            content: ref mut at,
            ref mut blank,
        } = state
        {
            if content.is_empty() {
                *blank = (*blank).max(indent);
                if let Some(c) = capture.as_mut() {
                    // Spaces beyond the text's indentation are text: not this scan's shape.
                    if at.is_none_or(|m| indent > m) && indent > 0 {
                        return None;
                    }
                    c.lines.push("");
                }
                continue;
            }
            match *at {
                None if indent > parent => {
                    if indent < *blank {
                        return None; // a leading blank line indented more than the text
                    }
                    *at = Some(indent);
                    if let Some(c) = capture.as_mut() {
                        c.lines.push(content);
                    }
                    continue;
                }
                Some(m) if indent >= m => {
                    if let Some(c) = capture.as_mut() {
                        c.deeper |= indent > m;
                        c.lines.push(content);
                    }
                    continue;
                }
                None if *blank > parent => return None,
                _ => {}
            }
            // The block scalar ended; this line must be back at its key's level or left of it.
            if indent > parent {
                return None;
            }
            state = After::Scalar(parent);
            if let Some(c) = capture.take() {
                c.finish(&mut digest)?;
            }
        }
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if stack.is_empty() {
            if indent != 0 {
                return None; // an indented root mapping: valid, but not this scan's shape
            }
            stack.push(Frame {
                indent: 0,
                keys: Some(Vec::new()),
                watch: Watch::Root,
            });
        }
        match state {
            After::Pending(k, watch) => {
                let top_is_map = stack.last().is_some_and(|f| f.keys.is_some());
                if indent > k {
                    stack.push(Frame::at(indent, is_dash(content), watch)?);
                } else if indent == k && is_dash(content) && top_is_map {
                    // `key:` then `- item` at its column
                    stack.push(Frame::at(indent, true, watch)?);
                }
            }
            // A more indented line after a one-line value continues it (a plain scalar over
            // several lines) or is an error.
            After::Scalar(k) if indent > k => return None,
            _ => {}
        }
        while let Some(top) = stack.last() {
            let compact_seq_ends = top.indent == indent
                && top.keys.is_none()
                && !is_dash(content)
                && stack.len() >= 2
                && stack[stack.len() - 2].indent == indent;
            if top.indent > indent || compact_seq_ends {
                stack.pop();
            } else {
                break;
            }
        }
        if stack.last()?.indent != indent {
            return None; // indented to no level that is open
        }
        state = node_line(content, indent, &mut stack, &mut digest, &mut capture)?;
        if stack.len() > MAX_BLOCK_DEPTH {
            return None;
        }
    }
    if let After::Block {
        content: None,
        blank,
        parent,
    } = state
        && blank > parent
    {
        return None;
    }
    if let Some(c) = capture.take() {
        c.finish(&mut digest)?;
    }
    Some(digest)
}

/// A block scalar the digest keeps, read line by line.
struct Capture<'a> {
    slot: Slot,
    key: &'a str,
    header: &'a str,
    lines: Vec<&'a str>,
    /// A line indented more than the first: declined.
    deeper: bool,
}

impl Capture<'_> {
    fn finish(self, digest: &mut Digest) -> Option<()> {
        let text = super::digest::block_text(self.header, &self.lines, self.deeper)?;
        digest.set(self.slot, self.key, text);
        Some(())
    }
}

/// An open block collection: its indentation, for a mapping the keys seen so far, and
/// what the digest reads from it.
struct Frame<'a> {
    indent: usize,
    keys: Option<Vec<&'a str>>,
    watch: Watch,
}

impl Frame<'_> {
    /// A collection at `indent`; `None` when a watched one is not of the kind the digest
    /// reads (a mapping where it reads a list, or the other way round).
    fn at(indent: usize, seq: bool, watch: Watch) -> Option<Self> {
        if watch != Watch::Other && seq != watch.is_list() {
            return None;
        }
        Some(Frame {
            indent,
            keys: (!seq).then(Vec::new),
            watch,
        })
    }
}

/// What the previous content line leaves open.
#[derive(Clone, Copy)]
enum After {
    /// Nothing: the next line is a sibling or closes collections.
    Node,
    /// `key:` or `-` with nothing after it: a nested collection (of the kind the digest
    /// watches there) may follow, indented more than column `.0` (or a list at the key's
    /// own column).
    Pending(usize, Watch),
    /// A one-line value of the key or dash at column `.0`: no line may be indented more.
    Scalar(usize),
    /// A block scalar (`|`, `>-`) of a node at column `parent`: lines indented more are its
    /// text. `content` is the text's indentation once seen, `blank` the widest blank line.
    Block {
        parent: usize,
        content: Option<usize>,
        blank: usize,
    },
}

fn is_dash(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Only characters the parser takes without question: printable ASCII, CR only before LF,
/// no tabs; beyond ASCII no BOM, no C1 controls (NEL is a line break to some readers) and
/// no Unicode line or paragraph separators.
fn plain_characters(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    let ascii_ok = bytes.iter().enumerate().all(|(i, &b)| match b {
        b' '..=b'~' | b'\n' => true,
        b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => b >= 0x80,
    });
    ascii_ok
        && (yaml.is_ascii()
            || yaml.chars().all(|c| {
                c.is_ascii()
                    || c >= '\u{a0}'
                        && !matches!(
                            c,
                            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                        )
            }))
}

/// One content line at column `col` of the innermost open collection (after the
/// indentation checks): `key: ...` in a mapping, `- ...` in a list, nested on one line
/// (`- key: v`, `- - x`). Records what the digest keeps.
fn node_line<'a>(
    mut content: &'a str,
    mut col: usize,
    stack: &mut Vec<Frame<'a>>,
    digest: &mut Digest,
    capture: &mut Option<Capture<'a>>,
) -> Option<After> {
    loop {
        let top = stack.last_mut()?;
        let watch = top.watch;
        // What the value on this line is to the digest.
        let (value, child, key) = match top.keys.as_mut() {
            None => {
                let rest = content.strip_prefix('-')?;
                if !(rest.is_empty() || rest.starts_with(' ')) {
                    return None;
                }
                let item = rest.trim_start_matches(' ');
                let item_watch = item_of(watch);
                digest.new_item(watch);
                if item.is_empty() || item.starts_with('#') {
                    return Some(After::Pending(col, item_watch));
                }
                let item_col = col + content.len() - item.len();
                if is_dash(item) || key_of(item).is_some() {
                    stack.push(Frame::at(item_col, is_dash(item), item_watch)?);
                    (content, col) = (item, item_col);
                    continue;
                }
                let child = match item_watch {
                    Watch::Other => Child::Ignored,
                    w => Child::Collection(w),
                };
                (item, child, "")
            }
            Some(keys) => {
                let (key, rest) = key_of(content)?;
                if keys.contains(&key) {
                    return None; // a duplicate key: the parser refuses the file
                }
                keys.push(key);
                let child = child(watch, key);
                let value = rest.trim_start_matches(' ');
                if value.is_empty() || value.starts_with('#') {
                    return match child {
                        // null, or a value on the next lines
                        Child::Leaf(_) => None,
                        Child::Collection(w) => Some(After::Pending(col, w)),
                        Child::Ignored => Some(After::Pending(col, Watch::Other)),
                    };
                }
                (value, child, key)
            }
        };
        let shape = one_line_value(value)?;
        match (child, &shape) {
            (Child::Ignored, _) => {}
            (Child::Leaf(slot), Shape::Block) => {
                *capture = Some(Capture {
                    slot,
                    key,
                    header: value,
                    lines: Vec::new(),
                    deeper: false,
                });
            }
            (Child::Leaf(slot), Shape::Line) => digest.set(slot, key, leaf_value(value)?),
            (Child::Collection(w), _) => flow_into(value, w, digest)?,
        }
        return match shape {
            Shape::Block => Some(After::Block {
                parent: col,
                content: None,
                blank: 0,
            }),
            Shape::Line => Some(After::Scalar(col)),
        };
    }
}

/// A one-line value where the digest reads a collection of kind `w`: an empty list or
/// mapping of that kind, or a flow mapping of leaves; anything else is declined.
fn flow_into(value: &str, w: Watch, digest: &mut Digest) -> Option<()> {
    let v = value.trim_end_matches(' ');
    let v = v.find(" #").map_or(v, |i| v[..i].trim_end_matches(' '));
    if w.is_list() {
        return (v.strip_prefix('[')?.trim_start_matches(' ') == "]").then_some(());
    }
    if !v.starts_with('{') {
        return None;
    }
    let mut entries = Vec::new();
    flow_entries(v, &mut entries)?;
    for (key, text) in entries {
        match child(w, key) {
            Child::Ignored => {}
            Child::Leaf(slot) => digest.set(slot, key, text?),
            Child::Collection(_) => return None,
        }
    }
    Some(())
}

/// `key: rest` or `key:` with a plain key the parser reads as a string (a letter or `_`,
/// then letters, digits, `_` and `-`; not `true`, `null` and the like).
fn key_of(content: &str) -> Option<(&str, &str)> {
    let colon = content.find(':')?;
    let (key, rest) = (&content[..colon], &content[colon + 1..]);
    let word = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !is_reserved_word(key);
    (word && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

fn is_reserved_word(s: &str) -> bool {
    matches!(
        s,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL"
    )
}

enum Shape {
    /// A scalar or flow collection that ends on its line.
    Line,
    /// A block scalar header: the text follows on the indented lines.
    Block,
}

/// Checks a value written after `key: ` or `- ` (not empty, not a comment): a one-line
/// plain, quoted or flow value, or a block scalar header, with at most a comment after it.
fn one_line_value(v: &str) -> Option<Shape> {
    let first = v.chars().next()?;
    let after = match first {
        '|' | '>' => {
            let rest = v[1..].strip_prefix(['+', '-']).unwrap_or(&v[1..]);
            return ends_line(rest).then_some(Shape::Block);
        }
        '"' => double_quoted(v)?.1,
        '\'' => single_quoted(v)?.1,
        '[' | '{' => flow(v, 0)?,
        _ => {
            let text = v.find(" #").map_or(v, |i| &v[..i]).trim_end_matches(' ');
            return (plain_start(text)
                && !text.contains(": ")
                && !text.ends_with(':')
                && !could_be_a_number(text))
            .then_some(Shape::Line);
        }
    };
    ends_line(after).then_some(Shape::Line)
}

/// The rest of a line after a value: nothing, or blanks and a comment.
fn ends_line(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#') && t.len() < rest.len()
}

/// A plain scalar may not start with an indicator (`-`, `?`, `:` are allowed before a
/// non-blank by YAML, but are declined here: `-5`, `-x` are rare in front matter).
fn plain_start(text: &str) -> bool {
    text.starts_with(|c: char| !"-?:,[]{}#&*!|>'\"%@`".contains(c))
}

/// Plain text the parser might read as a number, possibly one it refuses (`1e999`, `.inf`):
/// a word that starts like a number, except digits and dashes only (`12`, `2026-11-02`).
/// Text with a blank or other punctuation (`410 of 2,700`) is never a number.
fn could_be_a_number(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
        && !text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._+-:,".contains(&b))
}

/// A double-quoted scalar closed on its line: (its text if it has no escapes, the rest).
/// Only simple escapes are accepted (`\"`, `\\`, `\n`, ...).
fn double_quoted(v: &str) -> Option<(Option<&str>, &str)> {
    let inner = v.strip_prefix('"')?;
    let mut escaped = false;
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some(((!escaped).then_some(&inner[..i]), &inner[i + 1..])),
            '\\' => {
                escaped = true;
                let (_, e) = chars.next()?;
                if !"0abtnvfre \"/\\N_LP".contains(e) {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// A single-quoted scalar closed on its line: (its text if it has no `''`, the rest).
fn single_quoted(v: &str) -> Option<(Option<&str>, &str)> {
    let inner = v.strip_prefix('\'')?;
    let mut doubled = false;
    let mut at = 0;
    loop {
        let i = at + inner[at..].find('\'')?;
        if inner[i + 1..].starts_with('\'') {
            doubled = true;
            at = i + 2;
            continue;
        }
        return Some(((!doubled).then_some(&inner[..i]), &inner[i + 1..]));
    }
}

/// A flow collection closed on its line (`[a, 'b']`, `{ k: v, l: [x] }`): the rest of the
/// line after it. Keys are plain words or quoted without escapes, never repeated; no
/// empty entries, no trailing comma, no comment inside.
fn flow(v: &str, depth: usize) -> Option<&str> {
    if depth >= MAX_FLOW_DEPTH {
        return None;
    }
    let map = v.starts_with('{');
    let close = if map { '}' } else { ']' };
    let mut s = v[1..].trim_start_matches(' ');
    if let Some(rest) = s.strip_prefix(close) {
        return Some(rest);
    }
    let mut keys: Vec<&str> = Vec::new();
    loop {
        if map {
            let (key, rest) = match s.chars().next()? {
                '"' => double_quoted(s).and_then(|(k, r)| Some((k?, r)))?,
                '\'' => single_quoted(s).and_then(|(k, r)| Some((k?, r)))?,
                _ => {
                    let end = s.find(':')?;
                    let (k, r) = (&s[..end], &s[end..]);
                    key_of(&s[..=end])?;
                    (k, r)
                }
            };
            if keys.contains(&key) {
                return None;
            }
            keys.push(key);
            s = rest.strip_prefix(": ")?.trim_start_matches(' ');
        }
        s = match s.chars().next()? {
            '[' | '{' => flow(s, depth + 1)?,
            '"' => double_quoted(s)?.1,
            '\'' => single_quoted(s)?.1,
            _ => flow_plain(s)?,
        };
        s = s.trim_start_matches(' ');
        if let Some(rest) = s.strip_prefix(',') {
            s = rest.trim_start_matches(' ');
            if s.starts_with([']', '}']) {
                return None;
            }
            continue;
        }
        return s.strip_prefix(close);
    }
}

/// A plain scalar inside a flow collection: the rest after it. It ends at `,`, a bracket
/// or a brace; a `:` or ` #` in it is declined.
fn flow_plain(s: &str) -> Option<&str> {
    let end = s.find([',', '[', ']', '{', '}'])?;
    let text = s[..end].trim_end_matches(' ');
    (plain_start(text) && !text.contains([':', '#']) && !could_be_a_number(text))
        .then_some(&s[end..])
}

/// The entries of a flow mapping on one line (`{ what: x, due: 2026-11-05 }`), already
/// checked by [`flow`]: each key, and its value when it is a string the scan is sure of.
fn flow_entries<'a>(v: &'a str, out: &mut Vec<(&'a str, Option<String>)>) -> Option<()> {
    let rest = flow(v, 0)?;
    if !ends_line(rest) {
        return None;
    }
    let mut s = v.strip_prefix('{')?.trim_start_matches(' ');
    while !s.starts_with('}') {
        let (key, rest) = match s.chars().next()? {
            '"' => double_quoted(s).and_then(|(k, r)| Some((k?, r)))?,
            '\'' => single_quoted(s).and_then(|(k, r)| Some((k?, r)))?,
            _ => s.split_at(s.find(':')?),
        };
        s = rest.strip_prefix(": ")?.trim_start_matches(' ');
        let (text, rest) = match s.chars().next()? {
            '[' | '{' => (None, flow(s, 1)?),
            '"' => double_quoted(s).map(|(t, r)| (t.map(String::from), r))?,
            '\'' => single_quoted(s).map(|(t, r)| (t.map(String::from), r))?,
            _ => {
                let end = s.find([',', '[', ']', '{', '}'])?;
                (
                    super::digest::plain_text(s[..end].trim_end_matches(' ')),
                    &s[end..],
                )
            }
        };
        out.push((key, text));
        s = rest.trim_start_matches(' ');
        s = s.strip_prefix(',').unwrap_or(s).trim_start_matches(' ');
    }
    Some(())
}

/// A single-line plain or simply-quoted scalar, with any trailing comment removed, when the
/// parser reads it as that string.
fn leaf_value(rest: &str) -> Option<String> {
    let v = rest.trim_matches([' ', '\t']);
    let v = match v.find(" #").or_else(|| v.find("\t#")) {
        Some(i) if !v.starts_with(['"', '\'']) => v[..i].trim_end(),
        _ => v,
    };
    if let Some(inner) = v.strip_prefix('"') {
        let (inner, after) = inner.split_once('"')?;
        if inner.contains('\\')
            || !after.trim_start().is_empty() && !after.trim_start().starts_with('#')
        {
            return None;
        }
        return Some(inner.to_string());
    }
    if let Some(inner) = v.strip_prefix('\'') {
        let (inner, after) = inner.split_once('\'')?;
        if after.starts_with('\'')
            || !after.trim_start().is_empty() && !after.trim_start().starts_with('#')
        {
            return None;
        }
        return Some(inner.to_string());
    }
    // A plain scalar is a string only when the parser does not read it as a number, a
    // boolean or null (`12`, `0x1F`, `.5`, `true`, `~`).
    super::digest::plain_text(v)
}

/// The digest by the full parse.
pub fn scan_full(text: &str) -> Digest {
    super::document::split(text)
        .ok()
        .and_then(|s| super::document::parse_yaml(&s).ok())
        .map(|v| Digest::of_value(&v))
        .unwrap_or_default()
}

/// The digest of a file's bytes: the line scan when it is sure, else the full parse
/// (always the full parse under `ESC_FULL_PARSE=1`).
pub fn digest(bytes: &[u8]) -> Digest {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Digest::default();
    };
    if super::document::full_parse_only() {
        return scan_full(text);
    }
    scan_fast(text).unwrap_or_else(|| scan_full(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step_id(d: Digest) -> (Option<String>, Option<String>) {
        (d.step, d.id)
    }

    fn agrees(text: &str) -> bool {
        scan_fast(text).is_none_or(|fast| fast == scan_full(text))
    }

    #[test]
    fn fast_scan_agrees_with_the_parser_or_declines() {
        let cases = [
            "---\nid: A\nstep: gathering\n---\n",
            "---\nid: 'A'\nstep: \"gathering\"  # c\n---\n",
            "\u{feff}---\r\nid: A\r\nstep: validation\r\n---\r\n",
            "---\n{id: A, step: raised}\n---\n",
            "---\nid: A\nstep: &x gathering\n---\n",
            "---\nid: A\nstep: 'it''s'\n---\n",
            "---\nid: A\nstep: \"a\\u0041\"\n---\n",
            "---\nid: A\nstep:\n  gathering\n---\n",
            "---\nid: A\nstep: gathering\nstep: raised\n---\n",
            "---\nid: A\ntitle: \"x\n  y\"\nstep: raised # c\n---\n",
            "---\nid: A\n? step\n: raised\n---\n",
            "---\nid: A\nstep: !!str raised\n---\n",
        ];
        for c in cases {
            assert!(agrees(c), "{c:?}");
        }
        assert_eq!(
            scan_fast(cases[1]).map(step_id),
            Some((Some("gathering".into()), Some("A".into())))
        );
    }

    /// The forms mutation fuzzing found where the scan gave a step the parser does not.
    #[test]
    fn declines_what_fuzzing_found() {
        let cases = [
            // A plain value continued on an indented line: the parser reads `gathering continued`.
            "---\nid: A\nstep: gathering\n  continued\n---\n",
            "---\nid: A\nstep: gathering\n\n  continued\n---\n",
            "---\nid: A\nstep: gathering\n  # c\n  continued\n---\n",
            // Not valid YAML, so the parser gives nothing.
            "---\nid: A\nstep: t:\n---\n",
            "---\nid: A\nstep: t: u\n---\n",
            "---\nid: A\ntitle: x\nstep: raised\ntitle: y\n---\n",
            "---\nid: A\nstep: raised\nc:\n  k: 1\n  k: 2\n---\n",
            "---\nid: A\nstep: raised\nc: {k: 1, k: 2}\n---\n",
            "---\nid: A\nstep: raised\nc: [a, b\n---\n",
            "---\nid: A\nstep: raised\nc: \"x\"y\n---\n",
            "---\nid: A\nstep: raised\nc: 1e999\n---\n",
            "---\nid: A\nstep: raised\nc:\n    k: 1\n  l: 2\n---\n",
            "---\nid: A\nstep: raised\nc: |\n    x\n  y\n---\n",
            "---\nid: A\nstep: raised\nc: x\u{1}\n---\n",
            // A lone CR is a line break to the parser.
            "---\nid: A\rstep: closed\n---\n",
            "---\nid: A\nstep: raised\rstep: closed\n---\n",
            // An indented root mapping: the parser reads it, a line scan would not.
            "---\n id: A\n step: raised\n---\n",
        ];
        for c in cases {
            assert_eq!(scan_fast(c), None, "{c:?}");
            assert!(agrees(c), "{c:?}");
        }
        // Duplicate and invalid forms are errors to the parser: it gives nothing.
        assert_eq!(step_id(scan_full(cases[3])), (None, None));
        assert_eq!(
            step_id(scan_full(cases[14])),
            (Some("closed".into()), Some("A".into()))
        );
    }

    #[test]
    fn takes_the_common_shapes() {
        let text = "---\nschema: 1\nid: ESC-2611-2RSM   # the id\ntitle: \"A: b\"\nstep: gathering\n\
            step_reason: >-\n  Moved back\n\n  on 2026-11-18.\ncontacts: { tam: Grace Kim <g@x.example>, \"q\": 'r' }\n\
            raised:\n  date: 2026-11-12\n  source: tam                # as recorded\n\
            gathering:\n  types: [technical, business]\n  ticket: \"2611\"\n  watch_list:\n    a: b\n\
            # cadence still to be agreed\nstatus:\n  actions:\n    - what: x\n      owner: y\n    - { what: z, owner: w }\n\
            meetings:\n- date: 2026-11-20\n  attendees: [a, b]\ncc:\n  - a\n  -\n  - 'b'\nx-crm-case: \"CRM-1\"\n---\nbody\n";
        assert_eq!(
            scan_fast(text).map(step_id),
            Some((Some("gathering".into()), Some("ESC-2611-2RSM".into())))
        );
        assert!(agrees(text));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("escalations");
        for month in std::fs::read_dir(root).expect("escalations/") {
            for f in std::fs::read_dir(month.expect("entry").path()).expect("month") {
                let path = f.expect("file").path();
                let text = std::fs::read_to_string(&path).expect("read");
                let fast = scan_fast(&text);
                assert!(fast.is_some(), "declined {}", path.display());
                assert!(agrees(&text), "{}", path.display());
            }
        }
    }

    /// The shapes the history's digest reads (the generator's and esc's own): block and flow
    /// actions and meetings, flow notices, folded and literal block scalars. The scan takes
    /// them and gives the full parse's digest.
    #[test]
    fn the_digest_fields_by_the_scan_equal_the_full_parse() {
        let text = "---\nid: A\nstep: gathering\nstep_reason: >-\n  Moved back:\n  scope.\n\n  Again.\n\
            severity: high  # c\nowner: 'Dana <d@x.example>'\nowner_role: architect\n\
            stakeholders:\n  decision: notify\n  notified: 2026-11-05\nstatus:\n  as_of: 2026-11-06\n  actions:\n\
            \x20   - { what: Raise limits, owner: support, due: 2026-11-07 }\n    - what: \"Call back\"\n      done: 2026-11-08\n\
            meetings:\n  - { date: 2026-11-05, kind: customer, attendees: [a, 'b, c'], summary: 'Agreed' }\n\
            \x20 - date: 2026-11-06\n    summary: |\n      Two\n      lines\n\
            notices: { confirmation: 2026-11-09, resolved: \"2026-11-10\" }\n---\n";
        let fast = scan_fast(text).expect("the scan takes it");
        assert_eq!(fast, scan_full(text));
        assert_eq!(
            fast.step_reason.as_deref(),
            Some("Moved back: scope.\nAgain.")
        );
        assert_eq!(fast.owner.as_deref(), Some("Dana <d@x.example>"));
        assert_eq!(fast.severity.as_deref(), Some("high"));
        assert_eq!(fast.notified.as_deref(), Some("2026-11-05"));
        assert_eq!(fast.as_of.as_deref(), Some("2026-11-06"));
        assert_eq!(fast.actions.len(), 2);
        assert_eq!(fast.actions[0].due.as_deref(), Some("2026-11-07"));
        assert_eq!(fast.actions[1].done.as_deref(), Some("2026-11-08"));
        assert_eq!(fast.meetings.len(), 2);
        assert_eq!(fast.meetings[1].summary.as_deref(), Some("Two\nlines\n"));
        assert_eq!(fast.notices.len(), 2);
        // What the scan is not sure of, it declines; the full parse still answers.
        for odd in [
            "status:\n  as_of: 12\n",
            "meetings:\n  - just text\n",
            "meetings: [{date: 2026-11-05}]\n",
            "status: {as_of: 2026-11-05, actions: []}\n",
            "owner:\n  name: x\n",
            "step_reason: |+\n  kept\n\n",
            "step_reason: |\n    deeper\n  less\n",
            "step_reason: >\n  a\n    b\n",
            "notices: { stakeholders: \"a\\tb\" }\n",
            "meetings:\n  k: v\n",
        ] {
            let text = format!("---\nid: A\nstep: raised\n{odd}---\n");
            assert!(scan_fast(&text).is_none(), "{text}");
        }
    }

    /// The samples and tricky forms, mutated line by line: the scan, and the front matter's
    /// event-built fast path, agree with the parser or decline. (tests/fuzz.rs does this at
    /// length with byte-level mutations.)
    #[test]
    fn differential_over_mutated_files() {
        struct Rng(u64);
        impl Rng {
            fn pick(&mut self, n: usize) -> usize {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                (self.0 % n as u64) as usize
            }
        }
        const SNIPPETS: [&str; 32] = [
            "owner: Lee <l@x.example>",
            "severity: critical",
            "  as_of: 2026-11-05",
            "meetings:",
            "  - { date: 2026-11-05, summary: x }",
            "notices: { stakeholders: 2026-11-05 }",
            "step_reason: >-",
            "    done: 2026-11-06",
            "  continued",
            "step: t:",
            "step: closed",
            "id: B",
            " id: C",
            "title: x",
            "  k: 1",
            "    deep: 2",
            "- item",
            "  - item",
            "c: |",
            "c: >-",
            "c: [a, b",
            "c: {k: 1, k: 2}",
            "c: \"q\"x",
            "c: 'it''s'",
            "c: &a x",
            "c: *a",
            "? k",
            ": v",
            "# comment",
            "  # comment",
            "c: 1e999",
            "step: \"closed\" # c",
        ];
        let mut bases = vec![
            "---\nid: A\nstep: gathering\ntitle: x\nc:\n  k: 1\n  l: [a, b]\nd: |\n  text\n---\nbody\n"
                .to_string(),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("escalations");
        for month in std::fs::read_dir(root).expect("escalations/") {
            for f in std::fs::read_dir(month.expect("entry").path()).expect("month") {
                bases.push(std::fs::read_to_string(f.expect("file").path()).expect("read"));
            }
        }
        bases.sort();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut fast, mut total) = (0, 0);
        for base in &bases {
            for _ in 0..150 {
                let mut lines: Vec<String> = base.split('\n').map(String::from).collect();
                // Keep the opening fence; mutate inside the front matter and around.
                for _ in 0..1 + rng.pick(3) {
                    let at = 1 + rng.pick(lines.len().min(40) - 1);
                    match rng.pick(8) {
                        0 => lines.insert(at, SNIPPETS[rng.pick(SNIPPETS.len())].to_string()),
                        1 => {
                            let l = lines[at].clone();
                            lines.insert(at, l);
                        }
                        2 => lines[at].insert_str(0, &" ".repeat(1 + rng.pick(3))),
                        3 => lines[at] = lines[at].trim_start().to_string(),
                        4 => lines[at] = lines[at].replacen(": ", ":", 1),
                        5 => lines[at].push_str(if rng.pick(2) == 0 { ":" } else { " x: y" }),
                        6 => {
                            let l = lines.remove(at);
                            lines[at - 1].push('\r');
                            lines[at - 1].push_str(&l);
                        }
                        _ => {
                            let other = 1 + rng.pick(lines.len().min(40) - 1);
                            lines.swap(at, other);
                        }
                    }
                }
                let nl = if rng.pick(4) == 0 { "\r\n" } else { "\n" };
                let text = lines.join(nl);
                total += 1;
                if let Some(f) = scan_fast(&text) {
                    fast += 1;
                    assert_eq!(f, scan_full(&text), "{text}");
                }
                // The front matter's own fast path, on the same inputs: never disagreed; keep it so.
                if let Ok(split) = crate::model::document::split(&text)
                    && let Some(v) = crate::model::document::fast_value(split.yaml)
                {
                    let full = serde_saphyr::from_str_with_options::<serde_json::Value>(
                        split.yaml,
                        crate::model::document::yaml_options(),
                    );
                    assert_eq!(Some(v), full.ok(), "{text}");
                }
            }
        }
        // Most mutations break the file; the scan still takes a good share of them.
        assert!(fast * 10 > total, "{fast} of {total} took the fast path");
    }
}
