//! The shell: completion scripts run in the real bash, fish and zsh (each offers the values
//! esc knows for a flag or argument), and the man pages as groff and mandoc read them.
//! A tool that is missing is skipped with a notice, except under `ESC_REQUIRE_TOOLS=1`, which
//! `.ci/run` sets after installing them.

use super::support::TestRepo;
use std::process::Command;

/// Whether `tool` is on PATH; see [`crate::support::tool_found`] for when it is not.
pub fn have(tool: &str, _test: &str) -> bool {
    crate::support::tool(tool).is_some()
}

/// What a user types before pressing TAB, and words the completion must offer.
const CASES: [(&str, &[&str]); 8] = [
    (
        "esc list --severity ",
        &["critical", "high", "medium", "low"],
    ),
    ("esc list --step ", &["gathering", "closed"]),
    (
        "esc notify 7FJX ",
        &["stakeholders", "confirmation", "resolved"],
    ),
    ("esc completions ", &["bash", "fish", "zsh"]),
    ("esc advance 7FJX --to ", &["validation", "closed"]),
    ("esc new --owner-role ", &["architect", "manager-health"]),
    ("esc report --format ", &["md", "html"]),
    ("esc stats --by ", &["severity", "service", "owner"]),
];

fn script(repo: &TestRepo, shell: &str, name: &str) -> String {
    let run = repo.esc_raw(&["completions", shell]);
    run.code(0);
    let path = repo.path().join(name);
    std::fs::write(&path, &run.stdout).expect("write script");
    path.to_string_lossy().into_owned()
}

fn check(shell: &str, line: &str, offered: &str, expected: &[&str]) {
    let words: Vec<&str> = offered.split_whitespace().collect();
    for e in expected {
        assert!(
            words.contains(e),
            "{shell}: `{line}<TAB>` does not offer `{e}`; it offers: {offered}"
        );
    }
}

#[test]
fn bash_completes_values() {
    if !have("bash", "bash_completes_values") {
        return;
    }
    let repo = TestRepo::empty();
    let path = script(&repo, "bash", "esc.bash");
    // What bash does on TAB: COMP_WORDS and COMP_CWORD set, the function called with the
    // command, the current word and the previous one.
    let mut text = format!(
        "source '{path}'\n\
         c() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
         COMP_LINE=\"$*\"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); \
         _esc esc \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; echo \"${{COMPREPLY[*]}}\"; }}\n"
    );
    for (line, _) in CASES {
        text.push_str(&format!("c {line} ''\n"));
    }
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &text])
        .current_dir(repo.path())
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), CASES.len(), "{stdout}");
    for ((line, expected), offered) in CASES.iter().zip(lines) {
        check("bash", line, offered, expected);
    }
}

#[test]
fn fish_completes_values() {
    if !have("fish", "fish_completes_values") {
        return;
    }
    let repo = TestRepo::empty();
    let path = script(&repo, "fish", "esc.fish");
    for (line, expected) in CASES {
        let out = Command::new("fish")
            .args([
                "--no-config",
                "-c",
                &format!("source '{path}'; complete -C '{line}'"),
            ])
            .current_dir(repo.path())
            .output()
            .expect("run fish");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // One candidate per line, a tab before its description.
        let offered: String = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string() + " ")
            .collect();
        check("fish", line, &offered, expected);
    }
}

/// zsh completes only inside its line editor: an interactive zsh on a pseudo-terminal
/// (`zpty`) is sent the line and a TAB, and the listing it draws is read back.
#[test]
fn zsh_completes_values() {
    if !have("zsh", "zsh_completes_values") {
        return;
    }
    let repo = TestRepo::empty();
    let dir = repo.path().join("zfunc");
    std::fs::create_dir_all(&dir).expect("mkdir");
    script(&repo, "zsh", "zfunc/_esc");
    for (line, expected) in CASES {
        let driver = format!(
            "zmodload zsh/zpty\n\
             zpty z 'zsh -f -i'\n\
             zpty -w z 'PS1=\"> \"; fpath=(\"{}\" $fpath); autoload -Uz compinit; compinit -u -D; LISTMAX=10000'\n\
             zpty -w -n z $'{line}\\t'\n\
             out=''\n\
             for i in {{1..50}}; do\n  \
               sleep 0.2\n  \
               while zpty -r -t z chunk; do out+=$chunk; done\n  \
               [[ $out == *{last}* ]] && break\n\
             done\n\
             zpty -d z\n\
             print -r -- \"$out\"\n",
            dir.display(),
            last = expected[expected.len() - 1],
        );
        let out = Command::new("zsh")
            .args(["-f", "-c", &driver])
            .current_dir(repo.path())
            .output()
            .expect("run zsh");
        // Only what zsh drew after the line was sent: the listing (escapes removed).
        let raw = String::from_utf8_lossy(&out.stdout);
        let after = raw
            .split_once(line.trim_end())
            .map(|(_, after)| after)
            .unwrap_or_default();
        let offered = strip_escapes(after);
        check("zsh", line, &offered, expected);
    }
}

/// Terminal output without its escape sequences and control characters.
fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            out.push(' ');
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The values offered are hints: a repository that extends a set in its schema may use its
/// own values, and a wrong value is refused by esc (exit 2, with the repository's values),
/// not by clap's list of built-in ones.
#[test]
fn completion_values_are_hints_not_limits() {
    let repo = TestRepo::new();
    let schema =
        repo.read("schemas/escalation.schema.json")
            .replacen("\"low\"", "\"low\", \"sev-zero\"", 1);
    let repo = repo.write("schemas/escalation.schema.json", &schema);
    repo.esc(&["list", "--severity", "sev-zero"])
        .code(0)
        .stdout_has(&["(no escalations match)"]);
    repo.esc(&["list", "--severity", "hihg"])
        .code(2)
        .stderr_has(&["`hihg` is not one of critical, high, medium, low, sev-zero"]);
    // A fixed set stays clap's: its values listed, exit 2.
    repo.esc_raw(&["completions", "tcsh"])
        .code(2)
        .stderr_has(&["possible values: bash, elvish, fish, powershell, zsh"]);
}

/// The pages a reference such as `\fBesc\-check\fR(1)` or `esc\-action\-add(1)` names.
fn references(page: &str) -> Vec<String> {
    page.match_indices("(1)")
        .filter_map(|(i, _)| {
            let before = &page[..i];
            let before = before.strip_suffix("\\fR").unwrap_or(before);
            let token = before
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '\\'))
                .next()?;
            let token = token.strip_prefix("\\fB").unwrap_or(token);
            (!token.is_empty()).then(|| token.replace("\\-", "-"))
        })
        .collect()
}

/// `esc man --dir`: esc.1 and one page per command, each read by groff and mandoc without a
/// warning, synopses that say what each option takes, and references only to pages written.
#[test]
fn man_pages_one_per_command_render_cleanly_and_refer_to_pages_that_exist() {
    let repo = TestRepo::empty().env("SOURCE_DATE_EPOCH", "1780000000");
    // esc.1, one page per command, and the two of `esc action`.
    let pages = format!("wrote {} pages", super::help_examples::COMMANDS.len() + 3);
    repo.esc_raw(&["man", "--dir", "man/man1"])
        .code(0)
        .stderr_has(&[&pages]);
    let dir = repo.abs("man/man1");
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .expect("read man dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = super::help_examples::COMMANDS
        .iter()
        .map(|c| format!("esc-{c}.1"))
        .chain(["esc.1", "esc-action-add.1", "esc-action-done.1"].map(String::from))
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    let (groff, mandoc) = (have("groff", "man pages"), have("mandoc", "man pages"));
    for name in &written {
        let path = dir.join(name);
        let page = std::fs::read_to_string(&path).expect("read page");
        let refs = references(&page);
        if name == "esc.1" {
            assert_eq!(refs.len(), 2 * (expected.len() - 3), "{refs:?}");
        }
        for r in refs {
            assert!(
                dir.join(format!("{r}.1")).exists(),
                "{name} refers to {r}(1), which is not written"
            );
        }
        // Every option that takes a value says so in the synopsis as in OPTIONS.
        let synopsis = page
            .split(".SH SYNOPSIS\n")
            .nth(1)
            .and_then(|s| s.lines().next())
            .expect("synopsis");
        for line in page
            .lines()
            .filter(|l| l.starts_with("\\fB") && l.contains("\\fI<"))
        {
            // `\fB\-o\fR, \fB\-\-output\fR \fI<FILE>\fR`: the last flag before the value.
            let flag = line.split("\\fI").next().unwrap_or_default();
            let flag = flag.rsplit("\\fB").next().unwrap_or_default();
            let flag = flag.split("\\fR").next().unwrap_or_default();
            let value = line.split("\\fI").nth(1).unwrap_or_default();
            let value = value.split("\\fR").next().unwrap_or_default();
            assert!(
                synopsis.contains(&format!("{flag} {value}")),
                "{name}: the synopsis lacks `{flag} {value}`:\n{synopsis}"
            );
        }
        if groff {
            let out = Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-z"])
                .arg(&path)
                .output()
                .expect("run groff");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && err.is_empty(),
                "groff {name}:\n{err}"
            );
        }
        if mandoc {
            let out = Command::new("mandoc")
                .args(["-Tlint", "-W", "warning"])
                .arg(&path)
                .output()
                .expect("run mandoc");
            // clap_mangen puts `.br` around a blank line before each list of possible
            // values; mandoc skips those breaks, which changes nothing on the page.
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            let warnings: Vec<&str> = text
                .lines()
                .filter(|l| !l.contains("skipping paragraph macro: br"))
                .collect();
            assert!(
                warnings.is_empty(),
                "mandoc {name}:\n{}",
                warnings.join("\n")
            );
        }
    }
    // `esc man` alone prints esc.1.
    let plain = repo.esc_raw(&["man"]);
    plain.code(0);
    assert_eq!(
        plain.stdout,
        std::fs::read_to_string(dir.join("esc.1")).expect("esc.1")
    );
}
