//! The `step` and `id` of an escalation file, for the history walk: a line scan of the front
//! matter that is exact for the shapes it accepts and declines everything else to the full
//! parse. Reading one value from each of 100,000 blobs must not pay for a YAML parser.

/// The `step` and `id` of a file's front matter. The line scan is exact for the shapes it
/// accepts (every top-level line is `key: plain-or-simply-quoted-value`), else `None`.
pub fn scan_fast(text: &str) -> Option<(Option<String>, Option<String>)> {
    let split = super::document::split(text).ok()?;
    let (mut step, mut id) = (None, None);
    for line in split.yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first == '#' {
            continue;
        }
        if first == ' ' {
            // Below a top-level key; but a quote or flow collection its value opens and does
            // not close may run on into a top-level-looking line.
            let mut t = line.trim_start_matches(' ');
            while let Some(r) = t.strip_prefix("- ") {
                t = r.trim_start_matches(' ');
            }
            let value = match t
                .match_indices(':')
                .find(|(i, _)| t[i + 1..].starts_with([' ', '\t']))
            {
                _ if t.starts_with(['"', '\'', '[', '{']) => t,
                Some((i, _)) => t[i + 1..].trim_start_matches([' ', '\t']),
                None => "",
            };
            if !closes_on_its_line(value) {
                return None;
            }
            continue;
        }
        // A top-level line must be `key:` with a plain key; anything else is not for us.
        let colon = line.find(':')?;
        let key = &line[..colon];
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        let rest = &line[colon + 1..];
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            return None;
        }
        // A quote or flow collection left open runs on into the next lines, where a line
        // such as `step: x` is part of this value, not a key.
        if !closes_on_its_line(rest.trim_start_matches([' ', '\t'])) {
            return None;
        }
        let slot = match key {
            "step" => &mut step,
            "id" => &mut id,
            _ => continue,
        };
        if slot.is_some() {
            return None; // a duplicate key: let the parser say so
        }
        *slot = Some(simple_value(rest)?);
    }
    Some((step, id))
}

/// A single-line plain or simply-quoted scalar, with any trailing comment removed.
fn simple_value(rest: &str) -> Option<String> {
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
    // boolean or null (`12`, `0x1F`, `.5`, `true`, `~`): accept only what starts with a
    // letter and is none of those words.
    if !v.starts_with(|c: char| c.is_ascii_alphabetic())
        || matches!(
            v,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL"
        )
    {
        return None;
    }
    Some(v.to_string())
}

/// Whether a value that opens a quoted scalar or a flow collection (`"..`, `'..`, `[..`,
/// `{..`) also closes it on its own line. Anything else is a single-line value here.
fn closes_on_its_line(v: &str) -> bool {
    if !v.starts_with(['"', '\'', '[', '{']) {
        return true;
    }
    let mut depth = 0usize;
    // The last character that is not a space: a quote opens a scalar only after one of
    // `[{,:` (or at the start), elsewhere it is part of a plain scalar (`it's`).
    let mut last = '[';
    let mut space = true;
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' if matches!(last, '[' | '{' | ',' | ':') => loop {
                match chars.next() {
                    None => return false,
                    Some('\\') if c == '"' => {
                        chars.next();
                    }
                    Some('\'') if c == '\'' && chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    Some(q) if q == c => break,
                    Some(_) => {}
                }
            },
            '#' if space => break,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        space = c == ' ' || c == '\t';
        if !space {
            last = c;
        }
    }
    depth == 0
}

/// The `step` and `id` by the full parse.
pub fn scan_full(text: &str) -> (Option<String>, Option<String>) {
    let parsed = super::document::split(text)
        .ok()
        .and_then(|s| super::document::parse_yaml(&s).ok());
    let get = |k: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(k))
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    (get("step"), get("id"))
}

/// The `step` and `id` of a file's bytes: the line scan when it is sure, else the full
/// parse (always the full parse under `ESC_FULL_PARSE=1`).
pub fn step_and_id(bytes: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (None, None);
    };
    if super::document::full_parse_only() {
        return scan_full(text);
    }
    scan_fast(text).unwrap_or_else(|| scan_full(text))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            if let Some(fast) = scan_fast(c) {
                assert_eq!(fast, scan_full(c), "{c:?}");
            }
        }
        assert_eq!(
            scan_fast(cases[1]),
            Some((Some("gathering".into()), Some("A".into())))
        );
    }
}
