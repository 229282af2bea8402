//! Git tree objects read raw, for the history walk: libgit2's tree parser allocates every
//! entry and parses every mode as a number, which was a third of the walk's time. Here an
//! entry is three slices of the object's bytes.
//!
//! A tree is a sequence of `<octal mode> <name>\0<20-byte id>`, sorted in git's order.
//!
//! Consecutive versions of a folder's tree differ in an entry or two, so [`diff`] skips
//! the bytes the two versions share at the start and at the end (a memory compare), and
//! parses only the entries in between. That needs to know where the old version's entries
//! end, which [`Indexed`] keeps, and hands on to the new version.

use std::cmp::Ordering;
use std::rc::Rc;

/// What an entry points at, from its mode, as git reads modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tree,
    /// A regular file (100644, or 100755 when executable): the only kind that is a file.
    Blob,
    /// A symbolic link (120000): its blob is the link's target, not a file's content.
    Link,
    /// A submodule commit (160000).
    Commit,
    /// A mode git does not write.
    Other,
}

/// One entry of a tree.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub kind: Kind,
    pub name: &'a [u8],
    /// The raw 20-byte object id.
    pub id: &'a [u8],
}

impl Entry<'_> {
    pub fn oid(&self) -> Option<git2::Oid> {
        git2::Oid::from_bytes(self.id).ok()
    }
}

/// A tree object that does not have the shape above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

impl From<Malformed> for crate::error::Error {
    fn from(_: Malformed) -> Self {
        crate::error::Error::Git("a tree object in the repository is malformed".into())
    }
}

/// The entries of a raw tree object, in order; a malformed entry ends them with an error.
pub fn entries(data: &[u8]) -> Entries<'_> {
    Entries { rest: data }
}

pub struct Entries<'a> {
    rest: &'a [u8],
}

const ID_LEN: usize = 20;

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let parsed = parse_entry(self.rest);
        match parsed {
            Some((entry, rest)) => {
                self.rest = rest;
                Some(Ok(entry))
            }
            None => {
                self.rest = &[];
                Some(Err(Malformed))
            }
        }
    }
}

/// The entry at `data[pos..]` and where the next one starts.
fn entry_at(data: &[u8], pos: usize) -> Result<(Entry<'_>, usize), Malformed> {
    let rest = data.get(pos..).ok_or(Malformed)?;
    let (e, after) = parse_entry(rest).ok_or(Malformed)?;
    Ok((e, data.len() - after.len()))
}

/// A tree's bytes, and the offset where each of its entries ends.
#[derive(Clone)]
pub struct Indexed {
    pub data: Rc<[u8]>,
    ends: Rc<[u32]>,
}

impl Indexed {
    /// Indexes a tree by parsing every entry.
    pub fn new(data: Rc<[u8]>) -> Result<Indexed, Malformed> {
        let mut ends = Vec::new();
        let mut pos = 0;
        while pos < data.len() {
            pos = entry_at(&data, pos)?.1;
            ends.push(u32::try_from(pos).map_err(|_| Malformed)?);
        }
        Ok(Indexed {
            data,
            ends: ends.into(),
        })
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] as usize }
    }
}

/// Compares the tree `old` with the tree bytes `new` and calls `each(old, new)` for every
/// entry that differs (added, removed, or a different id or kind), in git's order; returns
/// `new` indexed. Entries inside the bytes both trees share at their start and at their end
/// are the same entries, so they are skipped unparsed.
pub fn diff<E: From<Malformed>>(
    old: Option<&Indexed>,
    new: Option<Rc<[u8]>>,
    mut each: impl FnMut(Option<Entry<'_>>, Option<Entry<'_>>) -> Result<(), E>,
) -> Result<Option<Indexed>, E> {
    let Some(new) = new else {
        for e in entries(old.map_or(&[][..], |o| &o.data[..])) {
            each(Some(e?), None)?;
        }
        return Ok(None);
    };
    let Some(old) = old else {
        let indexed = Indexed::new(new)?;
        for e in entries(&indexed.data) {
            each(None, Some(e?))?;
        }
        return Ok(Some(indexed));
    };
    let (a, b) = (&old.data[..], &new[..]);
    let prefix = shared(a, b, false);
    let suffix = shared(&a[prefix..], &b[prefix..], true);
    // Old entries [..i] end inside the shared prefix, so `new` has them at the same
    // offsets; old entries [j..] start inside the shared suffix, so `new` has them at the
    // same distance from its end, provided its entries line up there (checked below).
    let i = old.ends.partition_point(|&e| e as usize <= prefix);
    let j = (i..old.ends.len())
        .find(|&k| old.start(k) >= a.len() - suffix)
        .unwrap_or(old.ends.len());
    let (from, a_end) = (old.start(i), old.start(j));
    let b_end = a_end + b.len() - a.len();
    let mut pairs = Vec::new();
    let mut ends: Vec<u32> = old.ends[..i].to_vec();
    let (pa, pb) = merge(a, from, a_end, b, from, b_end, &mut pairs, &mut ends)?;
    let aligned = pa == a_end && pb == b_end;
    if !aligned {
        // The shared suffix did not start on an entry boundary of `new` (a name ending in
        // bytes that look like the next entry): compare the whole trees.
        pairs.clear();
        ends.clear();
        merge(a, 0, a.len(), b, 0, b.len(), &mut pairs, &mut ends)?;
    }
    for (x, y) in pairs {
        each(x, y)?;
    }
    if aligned {
        let shift = b.len() as i64 - a.len() as i64;
        for &e in &old.ends[j..] {
            ends.push(u32::try_from(i64::from(e) + shift).map_err(|_| Malformed)?);
        }
    }
    Ok(Some(Indexed {
        data: new,
        ends: ends.into(),
    }))
}

/// How many bytes `a` and `b` share at their start (or at their end); whole blocks are
/// compared first, as slices, which compiles to a memory compare.
fn shared(a: &[u8], b: &[u8], from_end: bool) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    // The range of `x` that is `len` bytes long, `skip` bytes in from the chosen side.
    let part = |x: &[u8], skip: usize, len: usize| {
        if from_end {
            x.len() - skip - len..x.len() - skip
        } else {
            skip..skip + len
        }
    };
    let mut i = 0;
    while i + BLOCK <= n && a[part(a, i, BLOCK)] == b[part(b, i, BLOCK)] {
        i += BLOCK;
    }
    while i < n && a[part(a, i, 1)] == b[part(b, i, 1)] {
        i += 1;
    }
    i
}

type Pair<'a> = (Option<Entry<'a>>, Option<Entry<'a>>);

/// Merge-joins the entries of `a[pa..a_end]` and `b[pb..b_end]`, pushing each pair that
/// differs and the end of each entry of `b`; returns where each side stopped (past the
/// end when an entry runs over it).
#[allow(clippy::too_many_arguments)]
fn merge<'a>(
    a: &'a [u8],
    mut pa: usize,
    a_end: usize,
    b: &'a [u8],
    mut pb: usize,
    b_end: usize,
    pairs: &mut Vec<Pair<'a>>,
    ends: &mut Vec<u32>,
) -> Result<(usize, usize), Malformed> {
    let mut next_a = if pa < a_end {
        Some(entry_at(a, pa)?)
    } else {
        None
    };
    let mut next_b = if pb < b_end {
        Some(entry_at(b, pb)?)
    } else {
        None
    };
    loop {
        let (ea, eb) = match (next_a, next_b) {
            (None, None) => return Ok((pa, pb)),
            (Some((x, _)), None) => (Some(x), None),
            (None, Some((y, _))) => (None, Some(y)),
            (Some((x, _)), Some((y, _))) => match git_order(&x, &y) {
                Ordering::Less => (Some(x), None),
                Ordering::Greater => (None, Some(y)),
                Ordering::Equal => (Some(x), Some(y)),
            },
        };
        if let (Some(_), Some((_, end))) = (ea, next_a) {
            pa = end;
            next_a = if pa < a_end {
                Some(entry_at(a, pa)?)
            } else {
                None
            };
        }
        if let (Some(_), Some((_, end))) = (eb, next_b) {
            pb = end;
            ends.push(u32::try_from(pb).map_err(|_| Malformed)?);
            next_b = if pb < b_end {
                Some(entry_at(b, pb)?)
            } else {
                None
            };
        }
        if !matches!((ea, eb), (Some(x), Some(y)) if x.id == y.id && x.kind == y.kind) {
            pairs.push((ea, eb));
        }
    }
}

fn parse_entry(data: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    let space = data.iter().position(|&b| b == b' ')?;
    let (mode, rest) = (&data[..space], &data[space + 1..]);
    if mode.is_empty() || mode.len() > 7 {
        return None;
    }
    let mut value = 0u32;
    for &b in mode {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        value = value * 8 + u32::from(b - b'0');
    }
    let kind = match value & 0o170000 {
        0o040000 => Kind::Tree,
        0o100000 => Kind::Blob,
        0o120000 => Kind::Link,
        0o160000 => Kind::Commit,
        _ => Kind::Other,
    };
    let nul = rest.iter().position(|&b| b == 0)?;
    let name = &rest[..nul];
    let id = rest.get(nul + 1..nul + 1 + ID_LEN)?;
    if name.is_empty() {
        return None;
    }
    Some((Entry { kind, name, id }, &rest[nul + 1 + ID_LEN..]))
}

/// Git's tree order: by name bytes, a tree's name compared as if it ended in `/`.
pub fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let n = a.name.len().min(b.name.len());
    match a.name[..n].cmp(&b.name[..n]) {
        Ordering::Equal => {
            let next = |e: &Entry<'_>| {
                e.name
                    .get(n)
                    .copied()
                    .unwrap_or(if e.kind == Kind::Tree { b'/' } else { 0 })
            };
            next(a).cmp(&next(b))
        }
        o => o,
    }
}

/// The entry named `name`, if the tree has one.
pub fn find<'a>(data: &'a [u8], name: &[u8]) -> Result<Option<Entry<'a>>, Malformed> {
    for e in entries(data) {
        let e = e?;
        if e.name == name {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_and_refuses_malformed_ones() {
        let id = [7u8; 20];
        let mut data = b"100644 a.md\0".to_vec();
        data.extend_from_slice(&id);
        data.extend_from_slice(b"40000 dir\0");
        data.extend_from_slice(&id);
        data.extend_from_slice(b"160000 sub\0");
        data.extend_from_slice(&id);
        data.extend_from_slice(b"100755 x.md\0");
        data.extend_from_slice(&id);
        data.extend_from_slice(b"120000 y.md\0");
        data.extend_from_slice(&id);
        data.extend_from_slice(b"20000 z.md\0");
        data.extend_from_slice(&id);
        let got: Vec<_> = entries(&data)
            .map(|e| e.map(|e| (e.kind, e.name)))
            .collect();
        assert_eq!(
            got,
            vec![
                Ok((Kind::Blob, &b"a.md"[..])),
                Ok((Kind::Tree, &b"dir"[..])),
                Ok((Kind::Commit, &b"sub"[..])),
                Ok((Kind::Blob, &b"x.md"[..])),
                Ok((Kind::Link, &b"y.md"[..])),
                Ok((Kind::Other, &b"z.md"[..])),
            ]
        );
        for bad in [
            &b"100644 a.md\0short"[..],
            b"1x0644 a\0",
            b"100644 \0",
            b"100644",
        ] {
            let last = entries(bad).last();
            assert_eq!(last.map(|e| e.is_err()), Some(true), "{bad:?}");
        }
        assert_eq!(
            find(&data, b"dir").map(|e| e.map(|e| e.kind)),
            Ok(Some(Kind::Tree))
        );
    }

    #[test]
    fn orders_like_git() {
        let e = |name: &'static [u8], kind| Entry {
            kind,
            name,
            id: &[],
        };
        // `a.b` sorts before the tree `a` (`a/`), which sorts before `a0`.
        assert_eq!(
            git_order(&e(b"a.b", Kind::Blob), &e(b"a", Kind::Tree)),
            Ordering::Less
        );
        assert_eq!(
            git_order(&e(b"a", Kind::Tree), &e(b"a0", Kind::Blob)),
            Ordering::Less
        );
        assert_eq!(
            git_order(&e(b"a", Kind::Blob), &e(b"a.b", Kind::Blob)),
            Ordering::Less
        );
    }

    /// Builds a tree object from (name, is tree, id byte) entries, sorted in git's order.
    fn tree(entries: &[(String, bool, u8)]) -> Vec<u8> {
        let mut sorted: Vec<_> = entries.to_vec();
        fn e(x: &(String, bool, u8)) -> Entry<'_> {
            let kind = if x.1 { Kind::Tree } else { Kind::Blob };
            Entry {
                kind,
                name: x.0.as_bytes(),
                id: &[],
            }
        }
        sorted.sort_by(|x, y| git_order(&e(x), &e(y)));
        sorted.dedup_by(|x, y| x.0 == y.0);
        let mut out = Vec::new();
        for (name, is_tree, id) in sorted {
            out.extend_from_slice(if is_tree { b"40000 " } else { b"100644 " });
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[id; 20]);
        }
        out
    }

    type Owned = (
        Option<(Vec<u8>, Kind, Vec<u8>)>,
        Option<(Vec<u8>, Kind, Vec<u8>)>,
    );

    fn owned(x: Option<Entry<'_>>) -> Option<(Vec<u8>, Kind, Vec<u8>)> {
        x.map(|e| (e.name.to_vec(), e.kind, e.id.to_vec()))
    }

    /// The differing pairs by a plain merge-join over every entry.
    fn naive(a: &[u8], b: &[u8]) -> Vec<Owned> {
        let (mut pairs, mut ends) = (Vec::new(), Vec::new());
        merge(a, 0, a.len(), b, 0, b.len(), &mut pairs, &mut ends).expect("valid");
        pairs
            .into_iter()
            .map(|(x, y)| (owned(x), owned(y)))
            .collect()
    }

    #[test]
    fn diff_skipping_shared_bytes_agrees_with_a_full_compare() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        // Names made of pieces that look like the start of an entry, so that one name often
        // ends like another entry begins (the case where shared bytes are not whole entries).
        let pieces = ["100644 ", "40000 ", "a", "b", "y", ".md"];
        let name = |rand: &mut dyn FnMut(u64) -> u64| -> String {
            (0..1 + rand(3))
                .map(|_| pieces[rand(pieces.len() as u64) as usize])
                .collect()
        };
        for _ in 0..3000 {
            let mut entries: Vec<(String, bool, u8)> = (0..rand(30))
                .map(|_| (name(&mut rand), rand(4) == 0, rand(3) as u8))
                .collect();
            let a = tree(&entries);
            for _ in 0..1 + rand(3) {
                match rand(3) {
                    0 => entries.push((name(&mut rand), rand(4) == 0, rand(3) as u8)),
                    1 if !entries.is_empty() => {
                        let k = rand(entries.len() as u64) as usize;
                        entries.remove(k);
                    }
                    _ if !entries.is_empty() => {
                        let k = rand(entries.len() as u64) as usize;
                        entries[k].2 = rand(3) as u8;
                    }
                    _ => {}
                }
            }
            let b = tree(&entries);
            let old = Indexed::new(a.clone().into()).expect("valid");
            let mut got: Vec<Owned> = Vec::new();
            let indexed = diff::<Malformed>(Some(&old), Some(b.clone().into()), |x, y| {
                got.push((owned(x), owned(y)));
                Ok(())
            })
            .expect("valid")
            .expect("valid");
            assert_eq!(got, naive(&a, &b), "{a:?} -> {b:?}");
            let fresh = Indexed::new(b.clone().into()).expect("valid");
            assert_eq!(indexed.ends, fresh.ends, "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn diff_finds_the_change_when_a_name_ends_like_the_next_entry() {
        let a = tree(&[("x".into(), false, 1), ("y".into(), false, 2)]);
        // `y` is removed, `x` changes, and the new name's tail is the bytes of `y`'s entry:
        // the bytes both trees end with start inside that name.
        let b = tree(&[("x".into(), false, 3), ("z100644 y".into(), false, 2)]);
        let old = Indexed::new(a.clone().into()).expect("valid");
        let mut got = Vec::new();
        diff::<Malformed>(Some(&old), Some(b.clone().into()), |x, y| {
            got.push((owned(x), owned(y)));
            Ok(())
        })
        .expect("valid");
        assert_eq!(got, naive(&a, &b));
        assert_eq!(got.len(), 3);
    }
}
