//! E-mail drafts as RFC 5322 messages: CRLF line endings, `From`, `Date` and a stable
//! `Message-ID`, headers folded at whitespace to 78 characters where the words allow, names
//! as quoted strings or UTF-8 encoded words (each at most 75 characters), a plain-text body
//! and optionally an HTML one, `X-Unsent: 1` so mail clients open it as a draft. Header
//! values are built here from data, never by templates, and no line break in the data can
//! reach a header. Recipients are tidied as a sender expects: each address once, never the
//! sender.

use crate::model::person::{address, display_name, one_line};
use chrono::{DateTime, FixedOffset};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Longest header line wanted (RFC 5322 2.1.1 "SHOULD"), without the CRLF.
const LINE: usize = 78;
/// UTF-8 bytes per encoded word of a subject: 36 bytes are 48 base64 characters, 60 with
/// `=?UTF-8?B?` and `?=`, so a word fits after `Subject: ` on the first line.
const WORD_BYTES: usize = 36;
/// UTF-8 bytes per encoded word of a display name: 45 bytes are 72 characters encoded, so
/// a word fits after `From: ` and stays under 75.
const NAME_BYTES: usize = 45;

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

/// 64-bit FNV-1a: a stable hash for the `Message-ID` (not for security).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether text must go as encoded words: non-ASCII, something a reader would take for an
/// encoded word, or a word too long to fold.
fn needs_encoding(s: &str) -> bool {
    !s.is_ascii() || s.contains("=?") || s.split(' ').any(|w| w.len() > LINE - 2)
}

/// `s` as RFC 2047 encoded words (base64), separated by spaces, none longer than 75.
fn encoded_words(s: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > WORD_BYTES {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join(" ")
}

/// A display name with non-ASCII text as a phrase: plain ASCII words stay atoms, each run
/// of other words becomes encoded words. A run is split only where it must be (more than
/// 45 bytes), after a space that then stays inside the encoded word: readers drop the
/// blank between two encoded words (RFC 2047 6.2), and some (Python's `email`) keep it in
/// a phrase, so a run never breaks a word in two.
fn encoded_phrase(name: &str) -> String {
    let atom = |w: &str| {
        !w.is_empty()
            && w.len() <= LINE - 8
            && !w.contains("=?")
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c))
    };
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(encoded_run(&run.join(" ")));
            run.clear();
        }
    };
    for w in name.split(' ') {
        if atom(w) {
            flush(&mut run, &mut out);
            out.push(w.to_string());
        } else {
            run.push(w);
        }
    }
    flush(&mut run, &mut out);
    out.join(" ")
}

/// Encoded words of at most [`NAME_BYTES`] bytes each, split after a space where one is.
fn encoded_run(s: &str) -> String {
    let word = |t: &str| format!("=?UTF-8?B?{}?=", base64(t.as_bytes()));
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > NAME_BYTES {
            let cut = chunk
                .rfind(' ')
                .filter(|&i| i > 0)
                .map_or(chunk.len(), |i| i + 1);
            let rest = chunk.split_off(cut);
            words.push(word(&chunk));
            chunk = rest;
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(word(&chunk));
    }
    words.join(" ")
}

/// A header value (unstructured text, e.g. a subject) on one line: ASCII as is, anything
/// else as encoded words. Fold it with [`header`].
pub fn encode_header(s: &str) -> String {
    let s = one_line(s);
    if needs_encoding(&s) {
        encoded_words(&s)
    } else {
        s
    }
}

/// `Name: value` folded at spaces (RFC 5322 2.2.3) so that no line is longer than 78
/// characters unless one word is; CRLF at the end. `value` is one line whose spaces may
/// all be folding white space.
pub fn header(name: &str, value: &str) -> String {
    fold(name, &[value.to_string()])
}

/// `Name: a, b, c`, folded between the items where it can and inside an item (at its
/// spaces) only where the item is too long for a line of its own.
fn header_list(name: &str, items: &[String]) -> String {
    let n = items.len();
    let items: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if i + 1 < n {
                format!("{item},")
            } else {
                item.clone()
            }
        })
        .collect();
    fold(name, &items)
}

fn fold(name: &str, units: &[String]) -> String {
    let mut out = String::from(name);
    out.push(':');
    let mut line = out.len();
    for (i, unit) in units.iter().enumerate() {
        if i > 0 && line + 1 + unit.len() > LINE {
            out.push_str("\r\n");
            line = 0;
        }
        for (j, word) in unit.split(' ').enumerate() {
            if (i > 0 || j > 0) && line > 0 && line + 1 + word.len() > LINE {
                out.push_str("\r\n");
                line = 0;
            }
            out.push(' ');
            out.push_str(word);
            line += 1 + word.len();
        }
    }
    out.push_str("\r\n");
    out
}

/// `Name <address>` as a header mailbox: the name as atoms, a quoted string (specials,
/// with `"` and `\` escaped) or encoded words. None when there is no valid address.
pub fn mailbox(person: &str) -> Option<String> {
    let addr = address(person)?;
    let name = display_name(person);
    if name.is_empty() || name == addr {
        return Some(addr);
    }
    let name = if needs_encoding(&name) {
        encoded_phrase(&name)
    } else if name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name
    };
    Some(format!("{name} <{addr}>"))
}

/// `Name <address>` as a person types it into a mail client's To line: the name quoted
/// when it holds a comma or another special (so `Gómez, Rita` stays one recipient), never
/// encoded. A person without an address is their name on one line.
pub fn display_mailbox(person: &str) -> String {
    let Some(addr) = address(person) else {
        return one_line(person);
    };
    let name = display_name(person);
    if name.is_empty() || name == addr {
        return addr;
    }
    if name.contains(|c: char| "()<>[]:;@\\,.\"".contains(c)) {
        format!(
            "\"{}\" <{addr}>",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        )
    } else {
        format!("{name} <{addr}>")
    }
}

/// What makes two recipients the same: the address, case-insensitively (else the name).
fn recipient_key(person: &str) -> String {
    address(person)
        .unwrap_or_else(|| one_line(person))
        .to_lowercase()
}

/// Each recipient once (To before Cc, the first spelling kept), and not the sender.
pub fn tidy_recipients(from: Option<&str>, to: &mut Vec<String>, cc: &mut Vec<String>) {
    let mut seen: Vec<String> = from.map(recipient_key).into_iter().collect();
    for list in [to, cc] {
        list.retain(|p| {
            let key = recipient_key(p);
            let new = !key.is_empty() && !seen.contains(&key);
            seen.push(key);
            new
        });
    }
}

/// A draft message.
pub struct Draft {
    /// The sender, `Name <address>`; left out of the headers when it has no address.
    pub from: Option<String>,
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

/// Text fit for the left part of a `Message-ID` (RFC 5322 `dot-atom-text`).
fn atom(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "x".into() } else { s }
}

impl Draft {
    /// A `Message-ID` that the same draft gets again: escalation id, notice kind, date and a
    /// hash of sender, recipients, subject and text, at the sender's domain (else
    /// `esc.invalid`).
    pub fn message_id(&self, id: &str, kind: &str, date: &DateTime<FixedOffset>) -> String {
        let mut seed = Vec::new();
        for part in [
            self.from.iter().collect::<Vec<_>>(),
            self.to.iter().collect(),
            self.cc.iter().collect(),
        ] {
            for p in part {
                seed.extend_from_slice(p.as_bytes());
                seed.push(0);
            }
            seed.push(1);
        }
        seed.extend_from_slice(self.subject.as_bytes());
        seed.push(0);
        seed.extend_from_slice(self.text.as_bytes());
        let domain = self
            .from
            .as_deref()
            .and_then(address)
            .and_then(|a| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()))
            .filter(|d| {
                !d.is_empty()
                    && d.len() <= 200
                    && d.split('.').all(|l| {
                        !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    })
            })
            .unwrap_or_else(|| "esc.invalid".into());
        format!(
            "<{}.{}.{}.{:016x}@{domain}>",
            atom(id),
            atom(kind),
            date.format("%Y%m%d"),
            fnv1a64(&seed)
        )
    }

    /// The RFC 5322 text. Recipients without a valid address are left out (and listed by
    /// the caller); `boundary` separates the text and HTML parts.
    pub fn to_eml(&self, boundary: &str, date: &DateTime<FixedOffset>, message_id: &str) -> String {
        let list = |people: &[String]| -> Vec<String> {
            people.iter().filter_map(|p| mailbox(p)).collect()
        };
        let mut out = String::new();
        if let Some(from) = self.from.as_deref().and_then(mailbox) {
            out.push_str(&header("From", &from));
        }
        let to = list(&self.to);
        if !to.is_empty() {
            out.push_str(&header_list("To", &to));
        }
        let cc = list(&self.cc);
        if !cc.is_empty() {
            out.push_str(&header_list("Cc", &cc));
        }
        out.push_str(&header("Subject", &encode_header(&self.subject)));
        out.push_str(&header("Date", &date.to_rfc2822()));
        out.push_str(&header("Message-ID", message_id));
        out.push_str("MIME-Version: 1.0\r\n");
        out.push_str("X-Unsent: 1\r\n");
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
        assert_eq!(
            mailbox(r#""Lee Chen \"VP" <lee@x.example>"#).as_deref(),
            Some(r#""Lee Chen \"VP" <lee@x.example>"#)
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

    #[test]
    fn headers_fold_at_spaces_and_encoded_words_stay_short() {
        let subject = "word ".repeat(30);
        let h = header("Subject", &encode_header(&subject));
        assert!(h.ends_with("\r\n"));
        for line in h.trim_end().split("\r\n") {
            assert!(line.len() <= LINE, "{line:?}");
        }
        assert_eq!(
            h.replace("\r\n ", " ").trim_end(),
            format!("Subject: {}", subject.trim())
        );
        let encoded = encode_header(&"Zürich ".repeat(20));
        for w in encoded.split(' ') {
            assert!(w.len() <= 75 && w.starts_with("=?UTF-8?B?"), "{w}");
        }
        for line in header("Subject", &encoded).trim_end().split("\r\n") {
            assert!(line.len() <= LINE, "{line:?}");
        }
        // A word too long to fold is encoded, so it can be.
        assert!(encode_header(&"x".repeat(200)).starts_with("=?UTF-8?B?"));
        assert!(encode_header("=?UTF-8?B?QQ==?=").starts_with("=?UTF-8?B?"));
    }

    #[test]
    fn long_names_are_split_between_words() {
        let name = "Ösgür Çelik-Ångström Przybyłowicz Żółć Brzęczyszczykiewicz";
        let m = mailbox(&format!("{name} <o@x.example>")).expect("mailbox");
        let words: Vec<&str> = m.split(' ').filter(|w| w.starts_with("=?")).collect();
        assert!(words.len() > 1, "{m}");
        for w in &words {
            assert!(w.len() <= 75, "{w}");
        }
        let plain = encoded_phrase("Zoë Smith");
        assert!(plain.ends_with(" Smith"), "{plain}");
    }

    #[test]
    fn recipients_once_and_never_the_sender() {
        let mut to = vec![
            "A <a@x.example>".to_string(),
            "Me <ME@x.example>".to_string(),
            "a again <A@X.example>".to_string(),
        ];
        let mut cc = vec![
            "Other A <a@x.example>".to_string(),
            "B <b@x.example>".to_string(),
        ];
        tidy_recipients(Some("Me Myself <me@x.example>"), &mut to, &mut cc);
        assert_eq!(to, ["A <a@x.example>"]);
        assert_eq!(cc, ["B <b@x.example>"]);
    }

    #[test]
    fn display_mailboxes_paste_as_one_recipient_each() {
        assert_eq!(
            display_mailbox("Rita Gomez <r@x.example>"),
            "Rita Gomez <r@x.example>"
        );
        assert_eq!(
            display_mailbox("Gómez, Rita <r@x.example>"),
            "\"Gómez, Rita\" <r@x.example>"
        );
        assert_eq!(display_mailbox("Support team"), "Support team");
    }

    #[test]
    fn message_id_is_stable_and_at_the_senders_domain() {
        let date = DateTime::parse_from_rfc3339("2026-11-26T09:00:00+01:00").expect("date");
        let d = Draft {
            from: Some("Sam <sam@Example.com>".into()),
            to: vec!["A <a@x.example>".into()],
            cc: vec![],
            subject: "S".into(),
            text: "T".into(),
            html: None,
        };
        let id = d.message_id("ESC-2609-X2KP", "confirmation", &date);
        assert!(
            id.starts_with("<ESC-2609-X2KP.confirmation.20261126."),
            "{id}"
        );
        assert!(id.ends_with("@example.com>"), "{id}");
        assert_eq!(id, d.message_id("ESC-2609-X2KP", "confirmation", &date));
        let other = Draft {
            text: "U".into(),
            ..d
        };
        assert_ne!(id, other.message_id("ESC-2609-X2KP", "confirmation", &date));
        let anon = Draft {
            from: None,
            ..other
        };
        assert!(
            anon.message_id("x y", "k", &date)
                .ends_with("@esc.invalid>")
        );
    }
}
