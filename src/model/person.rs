//! People as the files write them: `Name <address>`, or a bare name or address.

/// The address in `Name <address>` (or a bare address).
pub fn address(person: &str) -> Option<String> {
    let p = person.trim();
    let a = match (p.rfind('<'), p.rfind('>')) {
        (Some(l), Some(r)) if l < r => &p[l + 1..r],
        _ => p,
    };
    let a = a.trim();
    (a.contains('@') && !a.contains(char::is_whitespace) && !a.contains(['<', '>', ',', ';']))
        .then(|| a.to_string())
}

/// The name in `Name <address>` (the whole text when there is no address).
pub fn display_name(person: &str) -> String {
    let p = one_line(person);
    match p.rfind('<') {
        Some(l) if p.ends_with('>') => p[..l].trim().trim_matches('"').to_string(),
        _ => p,
    }
}

/// Line breaks and runs of blanks folded to one space: nothing can add a header line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
