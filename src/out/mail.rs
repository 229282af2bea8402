//! E-mail drafts as RFC 5322 messages: CRLF line endings, UTF-8 names as encoded words, a
//! plain-text body and optionally an HTML one, `X-Unsent: 1` so mail clients open it as a
//! draft. Header values are built here from data, never by templates, and no line break in
//! the data can reach a header.

use crate::model::person::{address, display_name, one_line};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 (RFC 4648), no line breaks.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A header value: ASCII as is; anything else as RFC 2047 encoded words of at most 75
/// characters, folded onto continuation lines.
pub fn encode_header(s: &str) -> String {
    let s = one_line(s);
    if s.is_ascii() {
        return s;
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// `Name <address>` as a header mailbox: the name quoted or encoded as needed. None when
/// there is no valid address.
pub fn mailbox(person: &str) -> Option<String> {
    let addr = address(person)?;
    let name = display_name(person);
    if name.is_empty() || name == addr {
        return Some(addr);
    }
    let name = if !name.is_ascii() {
        encode_header(&name)
    } else if name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name
    };
    Some(format!("{name} <{addr}>"))
}

/// A draft message.
pub struct Draft {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

fn body_part(out: &mut String, mime: &str, body: &str) {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    out.push_str(&format!(
        "Content-Type: {mime}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    ));
    let encoded = base64(body.as_bytes());
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
}

impl Draft {
    /// The RFC 5322 text. Recipients without a valid address are left out (and listed by
    /// the caller); `boundary` separates the text and HTML parts.
    pub fn to_eml(&self, boundary: &str) -> String {
        let list = |people: &[String]| {
            people
                .iter()
                .filter_map(|p| mailbox(p))
                .collect::<Vec<_>>()
                .join(",\r\n ")
        };
        let mut out = String::new();
        out.push_str("X-Unsent: 1\r\n");
        let to = list(&self.to);
        if !to.is_empty() {
            out.push_str(&format!("To: {to}\r\n"));
        }
        let cc = list(&self.cc);
        if !cc.is_empty() {
            out.push_str(&format!("Cc: {cc}\r\n"));
        }
        out.push_str(&format!("Subject: {}\r\n", encode_header(&self.subject)));
        out.push_str("MIME-Version: 1.0\r\n");
        match &self.html {
            None => body_part(&mut out, "text/plain", &self.text),
            Some(html) => {
                out.push_str(&format!(
                    "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
                ));
                out.push_str(&format!("--{boundary}\r\n"));
                body_part(&mut out, "text/plain", &self.text);
                out.push_str(&format!("--{boundary}\r\n"));
                body_part(&mut out, "text/html", html);
                out.push_str(&format!("--{boundary}--\r\n"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_and_headers() {
        assert_eq!(
            address("Dana W <dana@example.com>").as_deref(),
            Some("dana@example.com")
        );
        assert_eq!(address("Dana W"), None);
        assert_eq!(
            mailbox("Dana W <d@x.example>").as_deref(),
            Some("Dana W <d@x.example>")
        );
        assert_eq!(
            mailbox("Ortiz, Sam <s@x.example>").as_deref(),
            Some("\"Ortiz, Sam\" <s@x.example>")
        );
        assert!(
            mailbox("Zoë <z@x.example>")
                .expect("mailbox")
                .starts_with("=?UTF-8?B?")
        );
        assert!(!encode_header("a\r\nBcc: evil@x.example").contains('\n'));
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
    }
}
