//! CSV as spreadsheets read it: one field quoted by RFC 4180, and text a spreadsheet would
//! run as a formula neutralised.

/// One CSV field (RFC 4180). Text a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab or CR first: OWASP's CSV injection) gets a leading `'`, which spreadsheets show
/// as text.
pub fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_text_and_separators_are_quoted() {
        assert_eq!(super::cell("plain"), "plain");
        assert_eq!(super::cell("=1+1"), "'=1+1");
        assert_eq!(super::cell("-2"), "'-2");
        assert_eq!(super::cell("a,b"), "\"a,b\"");
        assert_eq!(super::cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::cell("@x,y"), "\"'@x,y\"");
    }
}
