//! People as the files write them: `Name <address>`, or a bare name or address. A name may
//! be an RFC 5322 quoted string (`"Chen, Lee \"VP\"" <lee@example.com>`), read as the text
//! it quotes.

/// The address in `Name <address>` (or a bare address).
pub fn address(person: &str) -> Option<String> {
    let p = person.trim();
    let a = match (p.rfind('<'), p.rfind('>')) {
        (Some(l), Some(r)) if l < r => &p[l + 1..r],
        _ => p,
    };
    let a = a.trim();
    (a.len() <= 254
        && a.contains('@')
        && !a.contains(char::is_whitespace)
        && !a.contains(['<', '>', ',', ';']))
    .then(|| a.to_string())
}

/// The name in `Name <address>` (the whole text when there is no address). A name in double
/// quotes is unquoted once: `\"` and `\\` inside it are a quote and a backslash; a quote that
/// is part of an unquoted name stays (`Ünal "Quote" Öz`).
pub fn display_name(person: &str) -> String {
    let p = one_line(person);
    match p.rfind('<') {
        Some(l) if p.ends_with('>') => unquote(p[..l].trim()),
        _ => p,
    }
}

/// The text of an RFC 5322 quoted string, or `s` itself when it is not one.
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next().unwrap_or('\\')),
            c => out.push(c),
        }
    }
    out
}

/// Line breaks and runs of blanks folded to one space: nothing can add a header line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_are_read_as_the_text_they_quote() {
        assert_eq!(
            display_name(r#""Lee Chen \"VP" <lee@x.example>"#),
            r#"Lee Chen "VP"#
        );
        assert_eq!(
            display_name(r#""Chen, Lee \"VP\"" <lee@x.example>"#),
            r#"Chen, Lee "VP""#
        );
        assert_eq!(display_name(r#""a\\b" <a@x.example>"#), r"a\b");
        assert_eq!(
            display_name(r#"Ünal "Quote" Öz <u@x.example>"#),
            r#"Ünal "Quote" Öz"#
        );
        assert_eq!(display_name(r#""" <a@x.example>"#), "");
        assert_eq!(display_name(r#"" <a@x.example>"#), "\"");
        assert_eq!(display_name("Dana Whitfield"), "Dana Whitfield");
        assert_eq!(
            address(r#""Lee Chen \"VP" <lee@x.example>"#).as_deref(),
            Some("lee@x.example")
        );
    }
}
