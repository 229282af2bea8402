//! The architecture, checked: each layer of `src/` uses only the layers below it, only
//! `src/git/` names git2, only `src/cli/` names clap, every module says what it owns in a
//! `//!` line, and no module grows past ~500 lines of code. ARCHITECTURE.md has the map.

use std::path::{Path, PathBuf};

/// Bottom to top. `error` and `par` serve every layer.
const LAYERS: [&str; 11] = [
    "error", "par", "model", "rules", "store", "git", "timeline", "out", "ops", "lsp", "cli",
];

/// Lines of code (not comments, blanks or the `#[cfg(test)]` tail) a module may have.
const MAX_CODE_LINES: usize = 500;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layer a file belongs to: its first folder below `src/`, or its own name.
fn layer_of(rel: &str) -> Option<usize> {
    let top = rel.split('/').next()?.trim_end_matches(".rs");
    LAYERS.iter().position(|l| *l == top)
}

/// The code of a file without comments (so a doc link is not a dependency).
fn code(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn layers_point_one_way_and_each_module_says_what_it_owns() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .expect("below src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).expect("read");
        if !text.starts_with("//!") {
            problems.push(format!("{rel}: no `//!` line saying what the module owns"));
        }
        let code = code(&text);
        if let Some(own) = layer_of(&rel) {
            for (i, _) in code.match_indices("crate::") {
                let name: String = code[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if let Some(used) = LAYERS.iter().position(|l| *l == name)
                    && used > own
                {
                    problems.push(format!(
                        "{rel}: {} uses {name}, a layer above it",
                        LAYERS[own]
                    ));
                }
            }
        }
        if code.contains("git2::") && !rel.starts_with("git/") {
            problems.push(format!("{rel}: uses git2 outside src/git/"));
        }
        let clap = ["clap::", "clap_complete", "clap_mangen"];
        if clap.iter().any(|c| code.contains(c)) && !rel.starts_with("cli/") {
            problems.push(format!("{rel}: uses clap outside src/cli/"));
        }
        let lines = text
            .split("\n#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
            .count();
        if lines > MAX_CODE_LINES {
            problems.push(format!(
                "{rel}: {lines} lines of code (split it; at most {MAX_CODE_LINES})"
            ));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "architecture problems:\n{}",
        problems.join("\n")
    );
}

/// The check itself must be able to fail: a file of the model that reached up into cli
/// would be caught.
#[test]
fn the_layer_check_catches_an_upward_use() {
    let own = layer_of("model/doc.rs").expect("a layer");
    let used = LAYERS.iter().position(|l| *l == "cli").expect("cli");
    assert!(used > own);
    assert_eq!(code("// crate::cli in a comment\nlet x = 1;"), "let x = 1;");
}
