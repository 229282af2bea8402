//! Where each key and value of a YAML text is, by JSON pointer.
//!
//! Built only for files that have problems (the fast path never pays for it), from the
//! parser's events, so positions are the parser's own: byte ranges into the YAML text.

pub use serde_saphyr::granit_parser::ScalarStyle;
use serde_saphyr::granit_parser::{Event, Parser, StructureStyle};
use std::ops::Range;

/// One node: its JSON pointer, the byte range of its key (for mapping values) and of its value.
#[derive(Debug, Clone)]
pub struct Node {
    pub pointer: String,
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
    /// For scalars: the style it was written in (plain, quoted, block).
    pub scalar_style: Option<ScalarStyle>,
    /// For collections: written in flow style (`{...}` / `[...]`).
    pub flow: bool,
    /// For collections: a mapping (else a sequence).
    pub is_map: bool,
    /// The anchor this node defines (`&a`), 0 when none.
    pub anchor: usize,
    /// For an alias (`*a`): the anchor it refers to; else 0.
    pub alias_of: usize,
    /// The node carries an explicit tag (`!!int 1`).
    pub tagged: bool,
}

/// All nodes of a YAML document in document order.
#[derive(Debug, Default)]
pub struct Positions {
    nodes: Vec<Node>,
}

enum Frame {
    Map {
        flow: bool,
        anchor: usize,
        tagged: bool,
        pointer: String,
        start: usize,
        key_pending: Option<(String, Range<usize>)>,
        index: usize,
        own_key: Option<Range<usize>>,
    },
    Seq {
        flow: bool,
        anchor: usize,
        tagged: bool,
        pointer: String,
        start: usize,
        index: usize,
        own_key: Option<Range<usize>>,
    },
}

/// Escapes a key for a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Positions {
    /// Parses `yaml` and records every node. Stops quietly at the first parse error: positions
    /// are only asked for after the text was parsed successfully once.
    pub fn build(yaml: &str) -> Positions {
        let mut nodes = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(yaml);
        while let Some(Ok((event, span))) = parser.next_event() {
            let range = span.byte_range().unwrap_or(0..0);
            match event {
                Event::Scalar(value, style, anchor, tag) => {
                    if let Some((pointer, key)) = Self::slot(&mut stack, Some(&value), &range) {
                        nodes.push(Node {
                            pointer,
                            key,
                            value: range,
                            scalar_style: Some(style),
                            flow: false,
                            is_map: false,
                            anchor,
                            alias_of: 0,
                            tagged: tag.is_some(),
                        });
                    }
                }
                Event::Alias(id) => {
                    if let Some((pointer, key)) = Self::slot(&mut stack, Some("*"), &range) {
                        nodes.push(Node {
                            pointer,
                            key,
                            value: range,
                            scalar_style: None,
                            flow: false,
                            is_map: false,
                            anchor: 0,
                            alias_of: id,
                            tagged: false,
                        });
                    }
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let (is_map, flow, anchor, tagged) = match &event {
                        Event::MappingStart(style, a, t) => {
                            (true, *style == StructureStyle::Flow, *a, t.is_some())
                        }
                        Event::SequenceStart(style, a, t) => {
                            (false, *style == StructureStyle::Flow, *a, t.is_some())
                        }
                        _ => (false, false, 0, false),
                    };
                    let (pointer, own_key) = match Self::slot(&mut stack, None, &range) {
                        Some(slot) => slot,
                        None => continue, // a collection used as a key: not addressable
                    };
                    stack.push(if is_map {
                        Frame::Map {
                            flow,
                            anchor,
                            tagged,
                            pointer,
                            start: range.start,
                            key_pending: None,
                            index: 0,
                            own_key,
                        }
                    } else {
                        Frame::Seq {
                            flow,
                            anchor,
                            tagged,
                            pointer,
                            start: range.start,
                            index: 0,
                            own_key,
                        }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(frame) = stack.pop() {
                        let (pointer, start, own_key, flow, is_map, anchor, tagged) = match frame {
                            Frame::Map {
                                pointer,
                                start,
                                own_key,
                                flow,
                                anchor,
                                tagged,
                                ..
                            } => (pointer, start, own_key, flow, true, anchor, tagged),
                            Frame::Seq {
                                pointer,
                                start,
                                own_key,
                                flow,
                                anchor,
                                tagged,
                                ..
                            } => (pointer, start, own_key, flow, false, anchor, tagged),
                        };
                        nodes.push(Node {
                            pointer,
                            key: own_key,
                            value: start..range.end.max(start),
                            scalar_style: None,
                            flow,
                            is_map,
                            anchor,
                            alias_of: 0,
                            tagged,
                        });
                    }
                }
                _ => {}
            }
        }
        nodes.sort_by_key(|n| n.value.start);
        Positions { nodes }
    }

    /// Decides what a new node is: a mapping key (returns None, remembered), or a value at a
    /// pointer (returns the pointer and, for mapping values, the key's range).
    fn slot(
        stack: &mut [Frame],
        scalar: Option<&str>,
        range: &Range<usize>,
    ) -> Option<(String, Option<Range<usize>>)> {
        match stack.last_mut() {
            None => Some((String::new(), None)),
            Some(Frame::Seq { pointer, index, .. }) => {
                let p = format!("{pointer}/{index}");
                *index += 1;
                Some((p, None))
            }
            Some(Frame::Map {
                pointer,
                key_pending,
                index,
                ..
            }) => match key_pending.take() {
                Some((key, key_range)) => {
                    Some((format!("{pointer}/{}", escape(&key)), Some(key_range)))
                }
                None => {
                    // A key. Complex (collection) keys get a placeholder name.
                    let name = scalar.map_or_else(|| format!("?{index}"), str::to_string);
                    *index += 1;
                    *key_pending = Some((name, range.clone()));
                    None
                }
            },
        }
    }

    pub fn get(&self, pointer: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.pointer == pointer)
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The keys of the mapping at `pointer`, in document order, with their ranges.
    pub fn keys_of(&self, pointer: &str) -> Vec<(&str, Range<usize>)> {
        self.nodes
            .iter()
            .filter_map(|n| {
                let rest = n.pointer.strip_prefix(pointer)?.strip_prefix('/')?;
                (!rest.contains('/')).then_some(())?;
                Some((rest, n.key.clone()?))
            })
            .collect()
    }

    /// The best place to point at for `pointer`: the key of the node if it has one, else the
    /// value; for a node that does not exist, the nearest existing ancestor's key.
    pub fn locate(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(n) = self.get(p) {
                return Some(n.key.as_ref().map_or(n.value.start, |k| k.start));
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }

    /// The value's start for `pointer`, falling back like [`Positions::locate`].
    pub fn locate_value(&self, pointer: &str) -> Option<usize> {
        match self.get(pointer) {
            Some(n) => Some(n.value.start),
            None => self.locate(pointer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_for_block_and_flow() {
        let y = "id: A\nraised: { date: 2026-01-02, by: x }\nlist:\n  - a\n  - {k: v}\n";
        let p = Positions::build(y);
        let at = |ptr: &str| p.get(ptr).map(|n| &y[n.value.clone()]);
        assert_eq!(at("/id"), Some("A"));
        assert_eq!(at("/raised/date"), Some("2026-01-02"));
        assert_eq!(at("/list/0"), Some("a"));
        assert_eq!(at("/list/1/k"), Some("v"));
        let key = p
            .get("/raised/by")
            .and_then(|n| n.key.clone())
            .map(|r| &y[r]);
        assert_eq!(key, Some("by"));
        assert_eq!(
            p.locate("/raised/missing"),
            p.get("/raised")
                .and_then(|n| n.key.clone())
                .map(|r| r.start)
        );
        let keys: Vec<_> = p.keys_of("/raised").into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["date", "by"]);
    }

    #[test]
    fn keys_with_slashes_are_escaped() {
        let p = Positions::build("a/b: 1\n");
        assert!(p.get("/a~1b").is_some());
    }
}
