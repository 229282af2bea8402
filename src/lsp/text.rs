//! Positions between esc and the protocol: esc counts 1-based lines and characters, LSP
//! 0-based lines and UTF-16 code units; and the file path a `file:` URI names.

use lsp_types::{Position, Range};
use std::path::PathBuf;

/// The text of 0-based line `line`, without its line break.
pub fn line(text: &str, line: usize) -> &str {
    let l = text.split('\n').nth(line).unwrap_or_default();
    l.strip_suffix('\r').unwrap_or(l)
}

/// The UTF-16 offset of character `chars` (0-based) of `line` (past the end: the end).
pub fn utf16(line: &str, chars: usize) -> u32 {
    let n: usize = line.chars().take(chars).map(char::len_utf16).sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The character index (0-based) at UTF-16 offset `units` of `line`; an offset inside a
/// surrogate pair or past the end is rounded down to a character.
pub fn char_index(line: &str, units: u32) -> usize {
    let mut seen = 0usize;
    for (i, c) in line.chars().enumerate() {
        seen += c.len_utf16();
        if seen > units as usize {
            return i;
        }
    }
    line.chars().count()
}

/// An LSP position from a 0-based line and character index into `text`.
pub fn position(text: &str, line_no: usize, chars: usize) -> Position {
    Position {
        line: u32::try_from(line_no).unwrap_or(u32::MAX),
        character: utf16(line(text, line_no), chars),
    }
}

/// The range of characters `from..to` (0-based) of 0-based line `line_no` of `text`.
pub fn range(text: &str, line_no: usize, from: usize, to: usize) -> Range {
    Range {
        start: position(text, line_no, from),
        end: position(text, line_no, to),
    }
}

/// The local path of a `file:` URI (percent-decoded), or none for other schemes.
pub fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///p` or `file://localhost/p`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let v = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(u8::try_from(v).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let l = "title: 🚀 é x";
        // 🚀 is two UTF-16 units, é one.
        assert_eq!(utf16(l, 7), 7);
        assert_eq!(utf16(l, 8), 9);
        assert_eq!(utf16(l, 10), 11);
        assert_eq!(char_index(l, 9), 8);
        assert_eq!(char_index(l, 8), 7);
        assert_eq!(char_index(l, 99), l.chars().count());
        assert_eq!(line("a\r\nb", 0), "a");
        assert_eq!(line("a", 5), "");
    }

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            path_of("file:///tmp/a%20b/%C3%A9.md"),
            Some(PathBuf::from("/tmp/a b/é.md"))
        );
        assert_eq!(path_of("untitled:Untitled-1"), None);
        assert_eq!(path_of("file:///x%zz"), Some(PathBuf::from("/x%zz")));
    }
}
