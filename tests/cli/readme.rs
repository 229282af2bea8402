//! The README's examples are esc's real output: every fenced block whose first line is
//! `$ esc ARGS` (or that follows a `<!-- $ esc ARGS -->` line) is run on the repository
//! `esc demo` builds, with `--today 2026-11-26`, and its lines must be the output's lines in
//! order. A line `...` stands for any number of lines; a block that does not end with one is
//! the whole output. What goes to stderr (a refusal, a note) follows stdout. A commit made by
//! the example itself is dated now, so `(commit 1a2b3c4)` matches any id. On a mismatch the
//! real output is printed, to paste.

use super::template_support::demo;

/// One command shown in the README and the lines shown for it.
struct Example {
    /// The README's block it is in: a block's commands run in turn on a demo of its own.
    block: usize,
    line: usize,
    args: Vec<String>,
    shown: Vec<String>,
}

/// Splits `$ esc a "b c" d` as a shell would for these simple lines.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let comment = lines[i]
            .strip_prefix("<!-- $ ")
            .and_then(|l| l.strip_suffix(" -->"));
        if !lines[i].starts_with("```") && comment.is_none() {
            i += 1;
            continue;
        }
        let start = if comment.is_some() { i + 1 } else { i };
        if !lines.get(start).is_some_and(|l| l.starts_with("```")) {
            i += 1;
            continue;
        }
        let end = (start + 1..lines.len())
            .find(|&j| lines[j] == "```")
            .expect("a closed fence");
        let body = &lines[start + 1..end];
        let mut current: Option<Example> = comment.map(|c| Example {
            block: start,
            line: start + 1,
            args: words(c),
            shown: Vec::new(),
        });
        for (k, l) in body.iter().enumerate() {
            if let Some(cmd) = l.strip_prefix("$ esc ") {
                out.extend(current.take());
                current = Some(Example {
                    block: start,
                    line: start + 2 + k,
                    args: words(&format!("esc {cmd}")),
                    shown: Vec::new(),
                });
            } else if let Some(e) = current.as_mut() {
                e.shown.push(l.to_string());
            }
        }
        out.extend(current);
        i = end + 1;
    }
    out
}

/// `(commit 1a2b3c4)` with the id left out: the commit an example makes is dated now.
fn without_new_commit(line: &str) -> String {
    let mut out = line.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("(commit ") {
        let start = from + at + "(commit ".len();
        let id: String = out[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        if id.len() >= 7 && out[start + id.len()..].starts_with(')') {
            out.replace_range(start..start + id.len(), "…");
        }
        from = start;
    }
    out
}

/// Whether `shown` is `actual` with `...` lines standing for any run of lines.
fn matches(shown: &[String], actual: &[&str]) -> bool {
    match shown.split_first() {
        None => actual.iter().all(|l| l.is_empty()),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual
                .first()
                .is_some_and(|a| without_new_commit(a) == without_new_commit(first))
                && matches(rest, &actual[1..])
        }
    }
}

#[test]
fn the_readme_shows_what_esc_prints_on_the_demo() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read README.md");
    let found = examples(&readme);
    assert!(found.len() >= 6, "README examples found: {}", found.len());
    let mut wrong = Vec::new();
    let mut repo = demo();
    for (n, e) in found.iter().enumerate() {
        if n > 0 && found[n - 1].block != e.block {
            repo = demo();
        }
        assert_eq!(e.args[0], "esc", "README.md:{}", e.line);
        let args: Vec<&str> = e.args[1..].iter().map(String::as_str).collect();
        let run = repo.esc(&args);
        let printed = format!("{}{}", run.stdout, run.stderr);
        let actual: Vec<&str> = printed.lines().collect();
        if !matches(&e.shown, &actual) {
            wrong.push(format!(
                "README.md:{}: `{}` printed:\n{printed}",
                e.line,
                e.args.join(" "),
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn an_ellipsis_stands_for_any_lines_and_nothing_else_does() {
    let s = |v: &[&str]| v.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&s(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&s(&["a", "..."]), &["a", "b"]));
    assert!(matches(&s(&["a"]), &["a", ""]));
    assert!(!matches(&s(&["a"]), &["a", "b"]));
    assert!(!matches(&s(&["a", "c"]), &["a", "b", "c"]));
    assert!(matches(
        &s(&["x (commit 4e7ceeb)"]),
        &["x (commit 8515fb9)"]
    ));
    assert!(!matches(&s(&["x 4e7ceeb"]), &["x 8515fb9"]));
    assert_eq!(
        words(r#"esc assign K7QD --owner "Joana Pires" x"#),
        ["esc", "assign", "K7QD", "--owner", "Joana Pires", "x"]
    );
}
