//! Writing one string as a YAML scalar, in the style a person would write by hand: plain
//! when every reader takes it back as that same string, else single-quoted, else
//! double-quoted with escapes; multi-line text in block context becomes a `|` literal.
//!
//! "Every reader" means YAML 1.2 (serde-saphyr, what esc reads with) and YAML 1.1
//! (PyYAML and friends, what other tools read the same files with). The rules follow the
//! YAML 1.2 spec, chapter 7 (ns-plain-first, ns-plain-safe(c), ns-plain-char(c)), plus the
//! places where YAML 1.1 readers are stricter, such as PyYAML's scanner and resolvers.
//!
//! Limit: a key longer than 1024 characters cannot be an implicit key (YAML spec, PyYAML
//! and serde-saphyr all stop looking for the `:` there); `key` does not try to fix that.

/// Where the scalar lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// A block mapping value or block sequence item: `k: <v>`, `- <v>`.
    Block,
    /// Inside `{...}` or `[...]`.
    Flow,
}

/// YAML text for `s` as a value in `ctx`. `indent` = the column (in spaces) of the key
/// that owns this value (for block scalars the content goes at indent+2). `newline` is
/// "\n" or "\r\n".
pub fn scalar(s: &str, ctx: Context, indent: usize, newline: &str) -> String {
    if plain_ok(s, ctx) {
        return s.to_string();
    }
    if !s.chars().any(needs_escape) {
        return single_quoted(s);
    }
    // A literal block keeps multi-line text readable, but it can only hold line feeds
    // and printable characters: no `\r` (readers normalise it), no tab (we keep those
    // visible as `\t`), no NEL/LS/PS (line breaks for YAML 1.1 only).
    if ctx == Context::Block && s.contains('\n') && !s.chars().any(|c| c != '\n' && needs_escape(c))
    {
        return literal(s, indent, newline);
    }
    double_quoted(s)
}

/// Same for a mapping key (always one line).
pub fn key(s: &str, ctx: Context) -> String {
    if plain_ok(s, ctx) {
        s.to_string()
    } else if s.chars().any(needs_escape) {
        double_quoted(s)
    } else {
        single_quoted(s)
    }
}

/// Whether a plain scalar `s` would be read by some YAML 1.1 or 1.2 reader as something
/// other than the string `s`: null, a boolean, a number, a timestamp, or one of PyYAML's
/// special tags. A valid `YYYY-MM-DD` date is deliberately *not* ambiguous: esc writes
/// dates plain and reads them as text (PyYAML reads a date object, which is accepted).
pub fn ambiguous(s: &str) -> bool {
    other_reading(s).is_some() || timestamp(s.as_bytes())
}

/// What other YAML readers take the plain scalar `s` for, when not the string `s`: "null",
/// "a boolean", "a number", "a date and time" or "a special value" (see `ambiguous`).
pub fn other_reading(s: &str) -> Option<&'static str> {
    // Null in both; booleans of 1.2 core and 1.1 (PyYAML's list plus the spec's y/n).
    const NULLS: [&str; 5] = ["", "~", "null", "Null", "NULL"];
    const BOOLS: [&str; 22] = [
        "true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ];
    if NULLS.contains(&s) {
        return Some("null");
    }
    if BOOLS.contains(&s) {
        return Some("a boolean");
    }
    // `<<` is PyYAML's merge key and `=` its "value" tag: safe_load refuses both as values.
    if s == "<<" || s == "=" {
        return Some("a special value");
    }
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if lower == ".inf" || lower == ".nan" || number(t.as_bytes()) {
        return Some("a number");
    }
    timestamp_exact(s.as_bytes()).then_some("a date and time")
}

/// Exactly what YAML 1.1's timestamp type (PyYAML's resolver) matches beyond a valid plain
/// date: a date that does not exist, or `YYYY-M-D` + `T`/spaces + `H:MM:SS[.f]` and an
/// optional zone (`Z`, `+1`, `-05:00`). `timestamp` is the looser test the writer quotes by.
fn timestamp_exact(s: &[u8]) -> bool {
    let run = |from: usize| {
        s[from.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let (y, m) = (run(0), run(5));
    if y != 4 || s.get(4) != Some(&b'-') || !(1..=2).contains(&m) || s.get(5 + m) != Some(&b'-') {
        return false;
    }
    let d = run(6 + m);
    let mut i = 6 + m + d;
    if i == s.len() {
        return m == 2 && d == 2 && !valid_date(s);
    }
    if !(1..=2).contains(&d) {
        return false;
    }
    let sep = i;
    if matches!(s.get(i), Some(b'T' | b't')) {
        i += 1;
    } else {
        while matches!(s.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
    }
    let h = run(i);
    if i == sep || !(1..=2).contains(&h) {
        return false;
    }
    i += h;
    for _ in 0..2 {
        if s.get(i) != Some(&b':') || run(i + 1) != 2 {
            return false;
        }
        i += 3;
    }
    if s.get(i) == Some(&b'.') {
        i += 1 + run(i + 1);
    }
    while matches!(s.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match s.get(i) {
        None => !matches!(s.last(), Some(b' ' | b'\t')),
        Some(b'Z') => i + 1 == s.len(),
        Some(b'+' | b'-') => {
            let zh = run(i + 1);
            let mut j = i + 1 + zh;
            if s.get(j) == Some(&b':') {
                if run(j + 1) != 2 {
                    return false;
                }
                j += 3;
            }
            (1..=2).contains(&zh) && j == s.len()
        }
        Some(_) => false,
    }
}

/// `t` (sign already removed) is an int or float for YAML 1.1 or 1.2: 12, 012, 1_000,
/// 0x1F, 0o7, 0b10, 1.5, .5, 1., 1e3, 1.5E-3, sexagesimal 1:20 and 1:20.5. Over-wide
/// on purpose (underscores anywhere after the first digit, `0x_`) since a reader that
/// tries to convert those fails rather than reading text.
fn number(t: &[u8]) -> bool {
    let digit_us = |b: &u8| b.is_ascii_digit() || *b == b'_';
    if let [b'0', b'x' | b'o' | b'b', rest @ ..] = t {
        return !rest.is_empty() && rest.iter().all(|b| b.is_ascii_hexdigit() || *b == b'_');
    }
    // Mantissa: digits then optional fraction, or a fraction alone (.5, not `.` or `._`).
    let int_len = t.iter().take_while(|b| digit_us(b)).count();
    if int_len > 0 && t[0] == b'_' {
        return false;
    }
    let mut i = int_len;
    // Sexagesimal groups (YAML 1.1): `:` then one or two digits, repeated.
    let mut sexagesimal = false;
    while int_len > 0 && t.get(i) == Some(&b':') {
        let n = t[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 2 {
            return false;
        }
        i += 1 + n;
        sexagesimal = true;
    }
    if t.get(i) == Some(&b'.') {
        let frac = t[i + 1..].iter().take_while(|b| digit_us(b)).count();
        if int_len == 0 && !t.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        i += 1 + frac;
    } else if int_len == 0 {
        return false;
    }
    // Exponent: 1.2 core allows `1e3`, 1.1 needs the sign; take either.
    if !sexagesimal && matches!(t.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(t.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = t[j.min(t.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 {
            return false;
        }
        i = j + n;
    }
    i == t.len()
}

/// A YAML 1.1 timestamp other than a valid plain date (see `ambiguous`): an invalid date
/// like 2026-02-30 (PyYAML throws), or a date followed by a time (`2026-1-5 10:00:00`,
/// `2026-11-30T10:00Z`...; matched loosely: a date, `T`/`t`/space/tab, then a digit).
fn timestamp(s: &[u8]) -> bool {
    let digits = |from: usize| {
        s[from.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    if digits(0) != 4 || s.get(4) != Some(&b'-') {
        return false;
    }
    let m = digits(5);
    if !(1..=2).contains(&m) || s.get(5 + m) != Some(&b'-') {
        return false;
    }
    let d = digits(6 + m);
    if !(1..=2).contains(&d) {
        return false;
    }
    let end = 6 + m + d;
    if end == s.len() {
        // Only the 4-2-2 form is a date for YAML 1.1; it must be a real one.
        return m == 2 && d == 2 && !valid_date(s);
    }
    let mut i = end;
    if matches!(s.get(i), Some(b'T' | b't')) {
        i += 1;
    } else {
        while matches!(s.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if i == end {
            return false;
        }
    }
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// `s` is `YYYY-MM-DD` (checked by the caller) naming a day Python's `date` accepts.
fn valid_date(s: &[u8]) -> bool {
    let num =
        |r: std::ops::Range<usize>| s[r].iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
}

/// Characters that cannot appear raw in a quoted or literal scalar and need a `\`
/// escape: C0 controls (tab and line breaks included), DEL, C1 controls (NEL included),
/// LS/PS (line breaks in YAML 1.1), BOM, and the Unicode non-characters (U+FDD0-FDEF and
/// U+xFFFE/U+xFFFF, which YAML's c-printable excludes or readers reject).
fn needs_escape(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// Whether `s` may be written as a plain scalar in `ctx` and be read back as `s`.
fn plain_ok(s: &str, ctx: Context) -> bool {
    // ns-plain-first: an indicator at the start begins another kind of node (sequence
    // entry, key, tag, anchor, alias, block scalar, quote, directive, reserved). The spec
    // allows `-x`, `?x`, `:x` in block context, but PyYAML fails on them in flow context;
    // like PyYAML's emitter we always quote them.
    const LEADING: &str = "-?:,[]{}#&*!|>'\"%@`";
    let Some(first) = s.chars().next() else {
        return false; // empty is null
    };
    if LEADING.contains(first)
        || s.starts_with("...") // document end marker
        || s.starts_with([' ', '\t'])
        || s.ends_with([' ', '\t']) // whitespace at the ends of a plain scalar is trimmed
        || s.chars().any(needs_escape) // no escapes, no line breaks in plain
        || ambiguous(s)
    {
        return false;
    }
    let flow = ctx == Context::Flow;
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().all(|(i, &c)| {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        match c {
            // `#` after whitespace starts a comment.
            '#' => !matches!(prev, Some(' ' | '\t')),
            // `: ` (or `:` at the end) ends a key. (In flow context `:` before a flow
            // indicator does too, but those indicators are quoted there anyway.)
            ':' => !matches!(next, None | Some(' ' | '\t')),
            // ns-plain-safe(flow-in) excludes the flow indicators: they end the entry.
            ',' | '[' | ']' | '{' | '}' => !flow,
            // YAML 1.2 allows `?` inside a flow plain scalar, but PyYAML's scanner ends
            // the scalar there (`[a?b]` fails), so quote it in flow context.
            '?' => !flow,
            _ => true,
        }
    })
}

/// `'...'`: every printable character stands for itself; `'` is doubled.
fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `"..."` with YAML escapes, on one line whatever its length.
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let u = c as u32;
                let esc = if u <= 0xFF {
                    format!("\\x{u:02X}")
                } else if u <= 0xFFFF {
                    format!("\\u{u:04X}")
                } else {
                    format!("\\U{u:08X}")
                };
                out.push_str(&esc);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `|` literal block scalar, content at `indent + 2`. The caller checked that `s`
/// holds only printable characters and `\n`.
fn literal(s: &str, indent: usize, newline: &str) -> String {
    // Chomping: `-` strips a missing final line break, clip (none) keeps exactly one,
    // `+` keeps several. Clip on text that is only line breaks would yield "", so `\n`
    // alone needs `+` too.
    let (chomp, body) = match s.strip_suffix('\n') {
        None => ("-", s),
        Some(rest) if rest.is_empty() || rest.ends_with('\n') => ("+", rest),
        Some(rest) => ("", rest),
    };
    // Readers detect the indentation from the first non-empty line; if that could start
    // with a space, say it explicitly (relative to the owning key, hence 2).
    let indicator = if s.starts_with([' ', '\n']) { "2" } else { "" };
    let pad = " ".repeat(indent + 2);
    let mut out = format!("|{indicator}{chomp}");
    for line in body.split('\n') {
        out.push_str(newline);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Context::{Block, Flow};

    fn v(s: &str, ctx: Context) -> String {
        scalar(s, ctx, 0, "\n")
    }

    #[test]
    fn commas_matter_only_in_flow() {
        assert_eq!(v("call back, then close", Block), "call back, then close");
        assert_eq!(v("call back, then close", Flow), "'call back, then close'");
        assert_eq!(v("Whitfield, Dana", Block), "Whitfield, Dana");
        assert_eq!(v("Whitfield, Dana", Flow), "'Whitfield, Dana'");
        assert_eq!(
            v("Apply KB5031356 [hotfix]", Block),
            "Apply KB5031356 [hotfix]"
        );
        assert_eq!(
            v("Apply KB5031356 [hotfix]", Flow),
            "'Apply KB5031356 [hotfix]'"
        );
        assert_eq!(key("Whitfield, Dana", Flow), "'Whitfield, Dana'");
        assert_eq!(key("Whitfield, Dana", Block), "Whitfield, Dana");
    }

    #[test]
    fn colon_hash_and_indicators() {
        assert_eq!(v("a: b", Block), "'a: b'");
        assert_eq!(v("a:", Block), "'a:'");
        assert_eq!(v("a:b", Block), "a:b");
        assert_eq!(v("http://x/y", Flow), "http://x/y");
        assert_eq!(v("a:]", Flow), "'a:]'");
        assert_eq!(v("x #y", Block), "'x #y'");
        assert_eq!(v("x#y", Block), "x#y");
        assert_eq!(v("it's", Block), "it's");
        assert_eq!(v("'quoted'", Block), "'''quoted'''");
        assert_eq!(v("- item", Block), "'- item'");
        assert_eq!(v("...", Block), "'...'");
        assert_eq!(v(" x", Block), "' x'");
        assert_eq!(v("a?b", Flow), "'a?b'");
        assert_eq!(v("a?b", Block), "a?b");
        assert_eq!(v("", Block), "''");
    }

    #[test]
    fn escapes() {
        assert_eq!(v("a\u{7F}b", Block), "\"a\\x7Fb\"");
        assert_eq!(v("a\tb", Block), "\"a\\tb\"");
        assert_eq!(v("\u{85}\u{2028}\u{2029}", Flow), "\"\\N\\L\\P\"");
        assert_eq!(
            v("\u{FEFF}\u{FFFE}\u{9F}\u{1FFFF}", Flow),
            "\"\\uFEFF\\uFFFE\\x9F\\U0001FFFF\""
        );
        assert_eq!(v("a\"b\\", Flow), "a\"b\\");
        assert_eq!(v("\"a\\", Flow), "'\"a\\'");
        assert_eq!(v("a\r\nb", Block), "\"a\\r\\nb\"");
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(scalar("a\nb", Block, 2, "\n"), "|-\n    a\n    b");
        assert_eq!(scalar("a\n\nb\n", Block, 0, "\r\n"), "|\r\n  a\r\n\r\n  b");
        assert_eq!(v("a\n\n", Block), "|+\n  a\n");
        assert_eq!(v(" a\nb", Block), "|2-\n   a\n  b");
        assert_eq!(v("\n", Block), "|2+\n");
        assert_eq!(v("a\nb", Flow), "\"a\\nb\"");
        assert_eq!(key("a\nb", Block), "\"a\\nb\"");
    }

    #[test]
    fn ambiguous_scalars() {
        for s in [
            "no",
            "No",
            "NO",
            "on",
            "Off",
            "y",
            "N",
            "yes",
            "true",
            "FALSE",
            "null",
            "Null",
            "NULL",
            "~",
            "",
            "012345",
            "012",
            "0x1F",
            "0o7",
            "0b101",
            "1e3",
            "1E+3",
            "1_000",
            "1_",
            ".5",
            "-.5",
            "1.",
            "1.5",
            "+1",
            "-0",
            "1:20",
            "190:20:30.15",
            ".inf",
            "-.Inf",
            ".NaN",
            "2026-02-30",
            "2026-13-01",
            "0000-01-01",
            "2026-11-30 10:00:00",
            "2026-1-5T1:00:00Z",
            "<<",
            "=",
        ] {
            assert!(ambiguous(s), "{s:?}");
            assert_ne!(v(s, Block), s, "{s:?}");
        }
        for s in [
            "2026-11-30",
            "2024-02-29",
            "1.2.3",
            "x1",
            "1a",
            "0x",
            "1e",
            "1:",
            "1:234",
            "._",
            ".",
            "nope",
            "tRUE",
            "2026-11-30 review",
            "2026-1-5",
            "KB5031356",
        ] {
            assert!(!ambiguous(s), "{s:?}");
        }
        assert_eq!(v("2026-11-30", Block), "2026-11-30");
        assert_eq!(v("no", Block), "'no'");
        for (s, reading) in [
            ("~", "null"),
            ("off", "a boolean"),
            ("012345", "a number"),
            ("1:20", "a number"),
            ("-.inf", "a number"),
            ("2026-11-30 10:00:00", "a date and time"),
            ("2026-1-5t1:00:00.5 +05:30", "a date and time"),
            ("2026-11-30T10:00:00Z", "a date and time"),
            ("2026-02-30", "a date and time"),
            ("<<", "a special value"),
        ] {
            assert_eq!(other_reading(s), Some(reading), "{s:?}");
        }
        // Not YAML 1.1 timestamps (PyYAML reads text), though the writer still quotes them.
        for s in [
            "2026-11-30 10:00",
            "2026-11-30T10:00:00 CET",
            "2026-11-30 10:00:00 ",
        ] {
            assert_eq!(other_reading(s), None, "{s:?}");
        }
        assert_eq!(v("012345", Block), "'012345'");
    }

    #[test]
    fn long_strings_stay_on_one_line() {
        let s = "word, ".repeat(2000);
        let out = v(&s, Flow);
        assert!(!out.contains('\n') && out.len() == s.len() + 2);
    }
}
