//! Escalation ids: `ESC-YYMM-XXXX`, the raising month then four random Crockford base32
//! characters.
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

/// True when `id` has the form `ESC-YYMM-XXXX`.
pub fn is_valid(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 13
        && id.starts_with("ESC-")
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(|c| CROCKFORD.contains(c))
}

/// A new id for an escalation raised on `date`, avoiding the ids in `taken`.
pub fn generate(date: NaiveDate, taken: &dyn Fn(&str) -> bool) -> String {
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
        let id = format!("ESC-{:02}{:02}-{suffix}", date.year() % 100, date.month());
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
        let a = generate(d, &|_| false);
        let b = generate(d, &|x| x == a);
        assert!(is_valid(&a), "{a}");
        assert!(a.starts_with("ESC-2611-"));
        assert_ne!(a, b);
        assert!(!is_valid("ESC-2611-K7QU")); // U is not Crockford
    }
}
