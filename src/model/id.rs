//! Escalation ids: `ESC-YYMM-XXXX`, the raising month then four random Crockford base32
//! characters; `ESC-EMEA-YYMM-XXXX` in a repository with an id prefix (`id_prefix` in
//! `esc.yaml`), so that the ids of an organisation's repositories never collide.
//!
//! Why random and not `max + 1`: two people on two branches would both pick the same next
//! number, and nothing can stop that without a server. Four random characters give 1,048,576
//! ids per month: two escalations raised on parallel branches in the same month collide with
//! a chance of about one in a million, and `esc check` refuses duplicate ids if they ever do.

use chrono::{Datelike, NaiveDate};
use std::hash::{BuildHasher, Hasher};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The id a file's name claims: its name without `.md` (`ESC-2611-K7QD` for
/// `escalations/2026-11/ESC-2611-K7QD.md`); empty when it is not a `.md` file.
pub fn claimed(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".md"))
        .unwrap_or_default()
}

/// True when `p` may prefix ids: an upper-case letter, then up to 7 upper-case letters or
/// digits (`EMEA`, `UK2`). It starts with a letter, so it never reads as a month.
pub fn is_prefix(p: &str) -> bool {
    let b = p.as_bytes();
    (1..=8).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A well-formed id taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// `EMEA` in `ESC-EMEA-2611-K7QD`; None in `ESC-2611-K7QD`.
    pub prefix: Option<&'a str>,
    /// The raising month as written: `2611`.
    pub yymm: &'a str,
}

/// The parts of `id` when it has the form `ESC-YYMM-XXXX` or `ESC-PREFIX-YYMM-XXXX`.
pub fn parts(id: &str) -> Option<Parts<'_>> {
    let rest = id.strip_prefix("ESC-")?;
    let (head, suffix) = rest.rsplit_once('-')?;
    let (prefix, yymm) = match head.split_once('-') {
        Some((p, m)) if is_prefix(p) => (Some(p), m),
        Some(_) => return None,
        None => (None, head),
    };
    let ok = yymm.len() == 4
        && yymm.bytes().all(|c| c.is_ascii_digit())
        && suffix.len() == 4
        && suffix.bytes().all(|c| CROCKFORD.contains(&c));
    ok.then_some(Parts { prefix, yymm })
}

/// True when `id` has the form `ESC-YYMM-XXXX` or `ESC-PREFIX-YYMM-XXXX`.
pub fn is_valid(id: &str) -> bool {
    parts(id).is_some()
}

/// A new id for an escalation raised on `date`, with the repository's `prefix` if it has
/// one, avoiding the ids in `taken`.
pub fn generate(prefix: Option<&str>, date: NaiveDate, taken: &dyn Fn(&str) -> bool) -> String {
    loop {
        // RandomState is seeded from the OS; mixing in the time and pid makes each call fresh.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        let mut bits = h.finish();
        let mut suffix = String::with_capacity(4);
        for _ in 0..4 {
            suffix.push(CROCKFORD[(bits & 31) as usize] as char);
            bits >>= 5;
        }
        let lead = prefix.map_or_else(String::new, |p| format!("{p}-"));
        let id = format!(
            "ESC-{lead}{:02}{:02}-{suffix}",
            date.year() % 100,
            date.month()
        );
        if !taken(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_differ() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
        let a = generate(None, d, &|_| false);
        let b = generate(None, d, &|x| x == a);
        assert!(is_valid(&a), "{a}");
        assert!(a.starts_with("ESC-2611-"));
        assert_ne!(a, b);
        assert!(!is_valid("ESC-2611-K7QU")); // U is not Crockford
        let p = generate(Some("EMEA"), d, &|_| false);
        assert!(p.starts_with("ESC-EMEA-2611-"), "{p}");
        assert_eq!(parts(&p).and_then(|x| x.prefix), Some("EMEA"));
    }

    #[test]
    fn ids_with_and_without_a_prefix() {
        let plain = parts("ESC-2611-K7QD").expect("plain");
        assert_eq!((plain.prefix, plain.yymm), (None, "2611"));
        let pre = parts("ESC-UK2-2611-K7QD").expect("prefixed");
        assert_eq!((pre.prefix, pre.yymm), (Some("UK2"), "2611"));
        for bad in [
            "ESC-emea-2611-K7QD",
            "ESC-2EMEA-2611-K7QD",
            "ESC-ABCDEFGHI-2611-K7QD",
            "ESC--2611-K7QD",
            "ESC-EMEA-261-K7QD",
            "ESC-EMEA-2611-K7Q",
            "ESC-EMEA-X-2611-K7QD",
            "ESC-2611",
            "ESC-EMEA-2611-K7QDé",
        ] {
            assert!(parts(bad).is_none(), "{bad}");
        }
        assert!(is_prefix("EMEA") && is_prefix("A") && is_prefix("UK2"));
        assert!(
            !is_prefix("") && !is_prefix("emea") && !is_prefix("9A") && !is_prefix("ABCDEFGHI")
        );
    }
}
