//! esc's one calendar: parsing `YYYY-MM-DD` and `YYYY-Www`, working days, and date
//! arithmetic that never panics.
//!
//! Why one module: chrono's `%Y` accepts signs and any number of digits (`+262142-12-31`) and
//! `%m`/`%d` accept one digit (`2026-1-5`); `Duration` arithmetic on such dates panics.
//! Every date esc reads or computes goes through here, so it has one set of rules:
//!
//! * Dates live in [`MIN`]..=[`MAX`] (0001-01-01..=9999-12-31): what four-digit ISO text can
//!   say. Whatever a function here returns is in that range, so `date.to_string()` is always
//!   text [`parse`] accepts again, and a day count between two dates is small.
//! * Arithmetic is checked and returns `None` when the result leaves that range.
//! * Working days are a set of weekday numbers, Monday = 0 .. Sunday = 6, as
//!   `Config::working_day_numbers` produces them (`num_days_from_monday`).

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The first date esc knows: 0001-01-01 (a Monday).
pub const MIN: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => panic!("0001-01-01 is a date"),
};
/// The last date esc knows: 9999-12-31.
pub const MAX: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("9999-12-31 is a date"),
};

/// `Some(d)` when `d` is in [`MIN`]..=[`MAX`]: for dates that do not come from [`parse`]
/// (a commit's timestamp, the clock), before they reach arithmetic or text.
pub fn in_range(d: NaiveDate) -> Option<NaiveDate> {
    (MIN..=MAX).contains(&d).then_some(d)
}

/// The value of `b`, which must be ASCII digits only (no sign, no blank).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// A four-digit year, 0001..=9999.
fn year(b: &[u8]) -> Option<i32> {
    digits(b)
        .filter(|y| (1..=9999).contains(y))
        .and_then(|y| i32::try_from(y).ok())
}

/// Exactly `YYYY-MM-DD`: four-digit year 0001..=9999, two-digit month and day, a real day.
/// No sign, blank, time or other tail: the text must be what `NaiveDate::to_string` writes.
pub fn parse(s: &str) -> Option<NaiveDate> {
    match s.as_bytes() {
        [y @ .., b'-', m1, m2, b'-', d1, d2] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(year(y)?, digits(&[*m1, *m2])?, digits(&[*d1, *d2])?)
        }
        _ => None,
    }
}

/// The date a longer text starts with: `YYYY-MM-DD` alone or followed by `T` or a blank and
/// anything (an RFC 3339 time such as a timeline's `at`). For template filters, which get
/// both dates and date-times.
pub fn parse_leading(s: &str) -> Option<NaiveDate> {
    match s.as_bytes().get(10) {
        None | Some(b'T' | b't' | b' ') => parse(s.get(..10)?),
        Some(_) => None,
    }
}

/// Exactly `YYYY-Www` (`2026-W48`): four-digit ISO year, two-digit week 01..=53 that exists
/// in that year and lies wholly in [`MIN`]..=[`MAX`] (so 9999-W52, which ends in 10000, is
/// refused).
pub fn parse_week(s: &str) -> Option<(i32, u32)> {
    match s.as_bytes() {
        [y @ .., b'-', b'W', w1, w2] if y.len() == 4 => {
            let (y, w) = (year(y)?, digits(&[*w1, *w2])?);
            week_start(y, w).map(|_| (y, w))
        }
        _ => None,
    }
}

/// Monday of ISO week `week` of ISO year `year`; `None` when there is no such week or when
/// the week does not lie wholly in [`MIN`]..=[`MAX`].
pub fn week_start(year: i32, week: u32) -> Option<NaiveDate> {
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
    add_days(monday, 6)?;
    in_range(monday)
}

/// Sunday of ISO week `week` of ISO year `year`; `Some` exactly when [`week_start`] is.
pub fn week_end(year: i32, week: u32) -> Option<NaiveDate> {
    add_days(week_start(year, week)?, 6)
}

/// The ISO week `date` is in, as (ISO year, week). Note the ISO year can differ from the
/// calendar year: 2025-12-29 is in 2026-W01.
pub fn week_of(date: NaiveDate) -> (i32, u32) {
    let w = date.iso_week();
    (w.year(), w.week())
}

/// `2026-W48`: the form [`parse_week`] reads (year padded to four digits).
pub fn format_week(year: i32, week: u32) -> String {
    format!("{year:04}-W{week:02}")
}

/// `date` plus `n` days (`n` may be negative); `None` outside [`MIN`]..=[`MAX`].
pub fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let days = Days::new(n.unsigned_abs());
    let d = if n >= 0 {
        date.checked_add_days(days)
    } else {
        date.checked_sub_days(days)
    };
    in_range(d?)
}

/// Days from `a` to `b` (`b - a`: positive when `b` is later). Day numbers are `i32`, so the
/// difference cannot overflow an `i64` for any chrono date.
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    i64::from(b.num_days_from_ce()) - i64::from(a.num_days_from_ce())
}

/// The working-day set as a 7-bit mask (bit 0 = Monday). Duplicates count once and numbers
/// above 6 are ignored: a set, whatever the slice looks like.
fn mask(days: &[u32]) -> u32 {
    days.iter().filter(|&&d| d < 7).fold(0, |m, &d| m | 1 << d)
}

/// Working days among day numbers 1..=n (`num_days_from_ce`; day 1, 0001-01-01, is a Monday),
/// extended below 1 so that `count(b) - count(a)` is the count in `a+1..=b` for any `a <= b`.
/// Whole weeks by multiplication, the rest from the mask: O(1).
fn count(n: i64, mask: u32) -> i64 {
    let (weeks, rest) = (n.div_euclid(7), n.rem_euclid(7));
    // Days 7w+1 ..= 7w+rest are Monday ..= the rest-th weekday: the mask's low `rest` bits.
    weeks * i64::from(mask.count_ones()) + i64::from((mask & ((1 << rest) - 1)).count_ones())
}

/// Working days after `a` up to and including `b`; negative (minus those after `b` up to and
/// including `a`) when `b` is earlier. `days` are weekday numbers, Monday = 0. Same result as
/// the old day-by-day loop in render.rs (for a slice without duplicates), in constant time.
pub fn working_days_between(a: NaiveDate, b: NaiveDate, days: &[u32]) -> i64 {
    let m = mask(days);
    count(i64::from(b.num_days_from_ce()), m) - count(i64::from(a.num_days_from_ce()), m)
}

/// `date` plus `n` working days: the `n`-th working day after `date` (`date` itself for 0,
/// working day or not). `None` with no working days (n > 0), or when the result is outside
/// [`MIN`]..=[`MAX`].
/// Whole weeks first, then at most a week day by day.
pub fn add_working_days(date: NaiveDate, n: u32, days: &[u32]) -> Option<NaiveDate> {
    let m = mask(days);
    let per_week = m.count_ones();
    if n == 0 {
        return in_range(date);
    }
    if per_week == 0 {
        return None;
    }
    // Leave 1..=per_week working days to find one by one, so the last one is a working day.
    let weeks = (n - 1) / per_week;
    let mut left = n - weeks * per_week;
    let mut d = date.checked_add_days(Days::new(u64::from(weeks) * 7))?;
    while left > 0 {
        d = d.succ_opt()?;
        if m & (1 << d.weekday().num_days_from_monday()) != 0 {
            left -= 1;
        }
    }
    in_range(d)
}

/// Today's date in time zone `tz` (the team's), from the system clock.
pub fn today_in(tz: chrono_tz::Tz) -> NaiveDate {
    chrono::Utc::now().with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("in range")
    }

    /// splitmix64: small and deterministic.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn date(&mut self) -> NaiveDate {
            let n = 1 + self.below(days_between(MIN, MAX) as u64 + 1) as i32;
            NaiveDate::from_num_days_from_ce_opt(n).expect("in range")
        }
        /// A random working-day set, as a slice with duplicates and order shuffled.
        fn days(&mut self) -> (u32, Vec<u32>) {
            let m = self.below(128) as u32;
            let mut v: Vec<u32> = (0..7).filter(|i| m & (1 << i) != 0).collect();
            if !v.is_empty() && self.below(4) == 0 {
                v.push(v[0]);
            }
            v.reverse();
            (m, v)
        }
    }

    /// render.rs as it was (reference for "outputs do not change").
    fn old_between(a: NaiveDate, b: NaiveDate, days: &[u32]) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let total = (hi - lo).num_days();
        let weeks = total / 7;
        let mut n = weeks * days.len() as i64;
        let mut d = lo + chrono::Duration::days(weeks * 7);
        while d < hi {
            d += chrono::Duration::days(1);
            if days.contains(&d.weekday().num_days_from_monday()) {
                n += 1;
            }
        }
        sign * n
    }

    fn old_add(date: NaiveDate, n: u32, days: &[u32]) -> NaiveDate {
        let mut d = date;
        let mut left = n;
        if days.is_empty() {
            return date + chrono::Duration::days(n as i64);
        }
        while left > 0 {
            d += chrono::Duration::days(1);
            if days.contains(&d.weekday().num_days_from_monday()) {
                left -= 1;
            }
        }
        d
    }

    /// Day by day, from the definition.
    fn naive_between(a: NaiveDate, b: NaiveDate, m: u32) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let n = lo
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= hi)
            .filter(|d| m & (1 << d.weekday().num_days_from_monday()) != 0)
            .count();
        sign * n as i64
    }

    #[test]
    fn parse_table() {
        for ok in [
            "2026-11-30",
            "0001-01-01",
            "9999-12-31",
            "2024-02-29",
            "2000-02-29",
        ] {
            assert_eq!(
                parse(ok).map(|x| x.to_string()).as_deref(),
                Some(ok),
                "{ok}"
            );
        }
        for bad in [
            "",
            "+262142-12-31",
            "-2026-11-30",
            "+2026-11-30",
            "26-11-30",
            "2026-1-5",
            "2026-01-5",
            "2026-11-30T00:00",
            "2026-11-30 ",
            " 2026-11-30",
            "2026-02-30",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-00",
            "2026-11-31",
            "0000-01-01",
            "10000-01-01",
            "02026-11-30",
            "2026/11/30",
            "2026-11-3a",
            "2026-+1-30",
            "2026-1--30",
            "20261130",
            "2026-W48",
            "२०२६-११-३०",
            "2026-11-30\n",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    /// `parse` is chrono's parser limited to the canonical text of a 0001..=9999 date.
    #[test]
    fn parse_is_canonical_chrono() {
        let mut r = Rng(7);
        let part = |r: &mut Rng, v: u64| {
            let pre = ["", "", "", "0", "+", "-", " "][r.below(7) as usize];
            format!("{pre}{v:0w$}", w = r.below(5) as usize)
        };
        for _ in 0..200_000 {
            let (y, m, dd) = (r.below(10_002), r.below(14), r.below(33));
            let s = format!(
                "{}-{}-{}",
                part(&mut r, y),
                part(&mut r, m),
                part(&mut r, dd)
            );
            let want = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .ok()
                .filter(|x| x.to_string() == s && (MIN..=MAX).contains(x));
            assert_eq!(parse(&s), want, "{s:?}");
        }
        let mut x = MIN;
        while x < MAX {
            assert_eq!(parse(&x.to_string()), Some(x));
            x = add_days(x, 1 + r.below(40) as i64).unwrap_or(MAX);
        }
    }

    #[test]
    fn parse_leading_table() {
        for (s, want) in [
            ("2026-11-05", Some("2026-11-05")),
            ("2026-11-05T10:00:00+01:00", Some("2026-11-05")),
            ("2026-11-05 10:00", Some("2026-11-05")),
            ("2026-11-051", None),
            ("2026-11-5", None),
            ("+262142-12-31", None),
            ("2026-11-0é", None),
            ("", None),
        ] {
            assert_eq!(
                parse_leading(s).map(|x| x.to_string()).as_deref(),
                want,
                "{s:?}"
            );
        }
    }

    #[test]
    fn week_table() {
        for (s, want) in [
            ("2026-W48", Some((2026, 48))),
            ("2026-W01", Some((2026, 1))),
            ("2026-W53", Some((2026, 53))), // 2026 has 53 ISO weeks
            ("2020-W53", Some((2020, 53))),
            ("0001-W01", Some((1, 1))),
            ("9999-W51", Some((9999, 51))),
        ] {
            assert_eq!(parse_week(s), want, "{s}");
            let (y, w) = want.expect("in range");
            assert_eq!(format_week(y, w), s);
        }
        for bad in [
            "",
            "2025-W53",
            "2026-W54",
            "2026-W00",
            "2026-W8",
            "2026-W008",
            "+2026-W08",
            "2026-W+8",
            "2026-w08",
            "26-W08",
            "2026W08",
            "2026-W08 ",
            "9999-W52",
            "0000-W01",
            "10000-W01",
            "2026-11-30",
            "nonsense",
        ] {
            assert_eq!(parse_week(bad), None, "{bad:?}");
        }
        assert_eq!(week_start(2026, 48), Some(d("2026-11-23")));
        assert_eq!(week_end(2026, 48), Some(d("2026-11-29")));
        assert_eq!(week_start(2026, 1), Some(d("2025-12-29")));
        assert_eq!(week_of(d("2025-12-29")), (2026, 1));
        assert_eq!(week_of(d("2027-01-03")), (2026, 53));
        assert_eq!(week_start(2026, 54), None);
        assert_eq!(week_start(9999, 52), None);
        assert_eq!(week_end(9999, 51), Some(d("9999-12-26")));
    }

    /// Every week of every year: Monday, Sunday, the week of each day, text round trip.
    #[test]
    fn weeks_round_trip() {
        let mut day = MIN;
        loop {
            let (y, w) = week_of(day);
            let Some(mon) = week_start(y, w) else {
                assert_eq!((y, w), (9999, 52));
                break;
            };
            assert_eq!(mon, day);
            assert_eq!(week_end(y, w), add_days(mon, 6));
            assert_eq!(week_of(add_days(mon, 6).expect("in range")), (y, w));
            assert_eq!(parse_week(&format_week(y, w)), Some((y, w)));
            day = add_days(mon, 7).expect("in range");
        }
    }

    #[test]
    fn working_days_examples() {
        let week = [0, 1, 2, 3, 4];
        assert_eq!(
            working_days_between(d("2026-11-20"), d("2026-11-23"), &week),
            1
        );
        assert_eq!(
            working_days_between(d("2026-11-23"), d("2026-11-20"), &week),
            -1
        );
        assert_eq!(
            working_days_between(d("2026-11-02"), d("2026-11-16"), &week),
            10
        );
        assert_eq!(
            working_days_between(d("2026-11-21"), d("2026-11-22"), &week),
            0
        );
        assert_eq!(
            add_working_days(d("2026-11-20"), 1, &week),
            Some(d("2026-11-23"))
        );
        assert_eq!(
            add_working_days(d("2026-11-20"), 5, &week),
            Some(d("2026-11-27"))
        );
        assert_eq!(
            add_working_days(d("2026-11-21"), 0, &week),
            Some(d("2026-11-21"))
        );
        assert_eq!(add_working_days(d("2026-11-20"), 1, &[]), None);
        // A set: duplicates count once, numbers past Sunday are ignored.
        let odd = [4, 0, 4, 9, 1, 2, 3];
        assert_eq!(
            working_days_between(d("2026-11-02"), d("2026-11-16"), &odd),
            10
        );
        assert_eq!(
            add_working_days(d("2026-11-20"), 5, &odd),
            Some(d("2026-11-27"))
        );
    }

    /// Against the old render.rs code and a day-by-day count, on random sets and pairs.
    #[test]
    fn working_days_match_day_by_day() {
        let mut r = Rng(42);
        let sets: Vec<(u32, Vec<u32>)> = (0..128)
            .map(|m| (m, (0..7).filter(|i| m & (1 << i) != 0).collect()))
            .collect();
        for i in 0..30_000 {
            let (m, days) = sets.get(i).cloned().unwrap_or_else(|| r.days());
            let a = r.date();
            let span = [0, 1, 6, 7, 8, 30, 400, 3000][r.below(8) as usize];
            let off = r.below(2 * span + 1) as i64 - span as i64;
            let Some(b) = add_days(a, off) else { continue };
            let want = naive_between(a, b, m);
            assert_eq!(working_days_between(a, b, &days), want, "{a} {b} {days:?}");
            assert_eq!(working_days_between(b, a, &days), -want);
            let unique = (days.len() as u32) == m.count_ones();
            if unique {
                assert_eq!(old_between(a, b, &days), want);
            }
            let cap = if r.below(2) == 0 { 12 } else { 700 };
            let n = r.below(cap) as u32;
            let got = add_working_days(a, n, &days);
            if m == 0 {
                assert_eq!(got, if n == 0 { Some(a) } else { None });
                continue;
            }
            if unique {
                let old = old_add(a, n, &days);
                assert_eq!(got, Some(old).filter(|o| *o <= MAX), "{a} +{n} {days:?}");
            }
            let Some(got) = got else { continue };
            assert_eq!(working_days_between(a, got, &days), i64::from(n));
            if n > 0 {
                assert!(m & (1 << got.weekday().num_days_from_monday()) != 0);
            }
        }
    }

    #[test]
    fn extremes_never_panic() {
        let all = [0, 1, 2, 3, 4, 5, 6];
        let week = [0, 1, 2, 3, 4];
        let span = days_between(MIN, MAX);
        assert_eq!(span, 3_652_058);
        assert_eq!(days_between(MAX, MIN), -span);
        assert_eq!(working_days_between(MIN, MAX, &all), span);
        assert_eq!(working_days_between(MAX, MIN, &all), -span);
        assert_eq!(working_days_between(MIN, MAX, &[]), 0);
        assert_eq!(
            working_days_between(MIN, MAX, &week),
            naive_between(MIN, MAX, 0b1_1111)
        );
        assert_eq!(add_days(MAX, 1), None);
        assert_eq!(add_days(MIN, -1), None);
        assert_eq!(add_days(MIN, span), Some(MAX));
        assert_eq!(add_days(MAX, -span), Some(MIN));
        for n in [
            i64::MIN,
            i64::MAX,
            i64::from(i32::MAX),
            -i64::from(i32::MAX),
        ] {
            assert_eq!(add_days(MIN, n), None);
            assert_eq!(add_days(MAX, n), None);
            assert_eq!(add_days(NaiveDate::MAX, n), None);
            assert_eq!(add_days(NaiveDate::MIN, n), None);
        }
        // Dates chrono has but esc does not (a 5-digit --today) give None, never a panic.
        assert_eq!(add_days(NaiveDate::MAX, 0), None);
        assert_eq!(add_days(d("+262142-12-31"), -1), None);
        assert_eq!(add_working_days(d("+262142-12-31"), 5, &week), None);
        assert_eq!(add_working_days(NaiveDate::MAX, 0, &week), None);
        let _ = working_days_between(NaiveDate::MIN, NaiveDate::MAX, &week);
        let _ = days_between(NaiveDate::MIN, NaiveDate::MAX);
        let _ = week_of(NaiveDate::MIN);
        let _ = week_of(NaiveDate::MAX);
        // Near the end: the last working days fit, the next do not.
        assert_eq!(
            add_working_days(d("9999-12-27"), 4, &week),
            Some(d("9999-12-31"))
        );
        assert_eq!(add_working_days(d("9999-12-27"), 5, &week), None);
        assert_eq!(add_working_days(MAX, 1, &all), None);
        assert_eq!(add_working_days(d("9999-12-30"), 3, &[5, 6]), None);
        for n in [u32::MAX, u32::MAX - 1, 1 << 31] {
            for days in [&all[..], &week[..], &[6][..]] {
                assert_eq!(add_working_days(MIN, n, days), None);
                assert_eq!(add_working_days(MAX, n, days), None);
            }
        }
        assert_eq!(add_working_days(MIN, 0, &[]), Some(MIN));
        assert_eq!(
            add_working_days(MIN, (span as u32 / 7) * 5, &week),
            Some(d("9999-12-27"))
        );
        assert_eq!(week_of(MIN), (1, 1));
        assert_eq!(week_of(MAX), (9999, 52));
    }

    #[test]
    fn today_is_a_date() {
        let t = today_in(chrono_tz::Europe::Berlin);
        assert!(MIN < t && t < MAX);
    }
}
