//! The read path against inputs found to break it (issue 8, section 2): what is not a
//! regular file, sparse checkouts, two escalation roots in one repository, symbolic links
//! in history and under templates/, -C with relative paths, a broken esc.yaml, tabs, template
//! errors and files in the wrong month folder.

use crate::git_support::{GitExt, committed};
use crate::support::{Run, TestRepo, path_for, raised};

const A: &str = "ESC-2611-AAAA";
const B: &str = "ESC-2611-BBBB";

/// The one headline starting with `head`, or the test fails.
#[track_caller]
fn headline<'a>(run: &'a Run, head: &str) -> &'a str {
    run.headlines()
        .into_iter()
        .find(|l| l.starts_with(head))
        .unwrap_or_else(|| panic!("no headline starting with {head:?}\n{run}"))
}

/// The steps of `esc log ID --format json` in `args` (e.g. `-C emea`), oldest first.
#[track_caller]
fn steps(repo: &TestRepo, pre: &[&str], id: &str) -> Vec<String> {
    let mut args = pre.to_vec();
    args.extend(["log", id, "--format", "json"]);
    let run = repo.esc(&args);
    let json = run.code(0).json();
    json["entered"]
        .as_array()
        .unwrap_or_else(|| panic!("no entered list\n{run}"))
        .iter()
        .map(|e| e["step"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_named_md_is_a_problem_not_a_hang() {
    let repo = TestRepo::new().escalation(A, &raised(A));
    let fifo = "escalations/2026-11/ESC-2611-PIPE.md";
    let sock = "escalations/2026-11/ESC-2611-SOCK.md";
    let made = std::process::Command::new("mkfifo")
        .arg(repo.abs(fifo))
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    let _listener = std::os::unix::net::UnixListener::bind(repo.abs(sock)).expect("socket");
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&["3 files checked, 2 problems"]);
    for rel in [fifo, sock] {
        let line = headline(&run, &format!("{rel}:1:1: error[not-a-file]: "));
        assert!(line.contains("not a regular file"), "{line}");
    }
    // Named on the command line too.
    repo.esc(&["check", fifo])
        .code(1)
        .stdout_has(&[&format!("{fifo}:1:1: error[not-a-file]")]);
    // Every command that reads all files returns (the helper fails the test after 10 s).
    let list = repo.esc(&["list"]);
    assert!(list.code == 0 || list.code == 1, "{list}");
    list.lacks("panicked");
}

#[test]
fn files_outside_a_sparse_checkout_are_not_deleted() {
    let d = "ESC-2610-DDDD";
    let repo = committed(&[(A, &raised(A)), (d, &raised(d))]);
    repo.git(&["switch", "-q", "-c", "pr"]);
    repo.git(&[
        "sparse-checkout",
        "set",
        "--no-cone",
        "/*",
        "!/escalations/2026-10/",
    ]);
    assert!(
        !repo.abs(&path_for(d)).exists(),
        "the sparse checkout hides it"
    );
    repo.esc(&["check", "--base", "main"])
        .code(0)
        .lacks("deleted");
    // A real deletion in the cone is still one.
    std::fs::remove_file(repo.abs(&path_for(A))).expect("remove");
    let run = repo.esc(&["check", "--base", "main"]);
    run.code(1);
    headline(&run, &format!("{}:1:1: error[deleted]", path_for(A)));
    assert_eq!(run.headlines().len(), 1, "{run}");
}

/// A git repository with two escalation roots, `emea/` (with E) and `apac/` (with P).
fn two_roots() -> TestRepo {
    let (e, p) = ("ESC-2611-EEEE", "ESC-2611-PPPP");
    let repo = TestRepo::empty()
        .write("emea/esc.yaml", "timezone: Europe/Berlin\n")
        .write(&format!("emea/{}", path_for(e)), &raised(e))
        .write("apac/esc.yaml", "timezone: Asia/Singapore\n")
        .write(&format!("apac/{}", path_for(p)), &raised(p));
    repo.git(&["init", "-q", "-b", "main"]);
    repo.git(&["config", "user.name", "Dana Whitfield"]);
    repo.git(&["config", "user.email", "dana@example.com"]);
    repo.commit_all("Two regions");
    repo
}

#[test]
fn two_roots_in_one_repository_each_have_their_timelines() {
    let raised = vec!["raised".to_string()];
    for first in ["emea", "apac"] {
        let repo = two_roots();
        let order = if first == "emea" {
            [("emea", "EEEE"), ("apac", "PPPP")]
        } else {
            [("apac", "PPPP"), ("emea", "EEEE")]
        };
        // Each root twice, so the second read of each comes from the cache.
        for (root, id) in order.iter().chain(order.iter()) {
            assert_eq!(steps(&repo, &["-C", root], id), raised, "{root} {id}");
        }
    }
}

#[cfg(unix)]
#[test]
fn only_regular_files_in_history_have_timelines() {
    let repo = committed(&[(A, &raised(A))]);
    // A link whose target text is front matter claiming to close A: git stores the target
    // as the blob, but it is not a file, so it says nothing about A.
    let link = "escalations/2026-11/ESC-2611-LINK.md";
    std::os::unix::fs::symlink(
        "---\nid: ESC-2611-AAAA\nstep: closed\n---\n",
        repo.abs(link),
    )
    .expect("symlink");
    // An executable file (mode 100755) is a file like any other.
    let repo = repo.escalation(B, &raised(B));
    repo.git(&["add", "-A"]);
    repo.git(&["update-index", "--chmod=+x", &path_for(B)]);
    repo.git(&["commit", "-q", "-m", "A link and an executable file"]);
    assert!(repo.git(&["ls-files", "-s"]).contains("100755"));
    assert_eq!(steps(&repo, &[], A), vec!["raised".to_string()]);
    assert_eq!(steps(&repo, &[], B), vec!["raised".to_string()]);
}

#[cfg(unix)]
#[test]
fn templates_cannot_reach_outside_their_folder_through_a_link() {
    let outside = TestRepo::empty().write("secret.txt", "TOP-SECRET\n");
    let repo = TestRepo::new()
        .escalation(A, &raised(A))
        .write("templates/leak.md.j2", "{% include \"x/secret.txt\" %}\n");
    std::os::unix::fs::symlink(outside.path(), repo.abs("templates/x")).expect("symlink");
    let run = repo.esc(&["check"]);
    run.code(1).lacks("TOP-SECRET");
    let line = headline(&run, "templates/leak.md.j2:1:1: error[template]: ");
    assert!(line.contains("outside the templates folder"), "{line}");
    repo.esc(&["render", "leak.md.j2", A])
        .code(1)
        .lacks("TOP-SECRET");
}

#[test]
fn paths_and_output_files_follow_dash_c() {
    let repo = TestRepo::with_samples();
    let dir = repo.path().to_str().expect("utf-8 path").to_string();
    let elsewhere = TestRepo::empty();
    elsewhere
        .esc(&["-C", &dir, "check", "escalations/2026-11"])
        .code(0)
        .stdout_has(&["4 files checked, no problems"]);
    elsewhere
        .esc(&["-C", &dir, "report", "-o", "week.md"])
        .code(0);
    assert!(
        repo.abs("week.md").is_file(),
        "-o FILE is relative to -C DIR"
    );
    assert!(!elsewhere.abs("week.md").exists());
}

#[test]
fn a_bad_config_does_not_hide_the_files_problems() {
    let repo = TestRepo::new()
        .write("esc.yaml", "timezon: Europe/Berlin\n")
        .escalation(
            A,
            &raised(A).replace("customer: Contoso Ltd", "customer: 42"),
        )
        .escalation(B, &raised(B));
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&["2 files checked, 2 problems"]);
    headline(&run, "esc.yaml:1:1: error[config]: ");
    headline(&run, &format!("{}:5:11: error[schema.type]: ", path_for(A)));
}

#[test]
fn a_tab_is_pointed_at_where_it_is() {
    // (text replaced, its replacement, line and column of the tab).
    let cases = [
        ("  source: account-team", "\t  source: account-team", 12, 1),
        ("  date: 2026-11-02", "  \tdate: 2026-11-02", 11, 3),
        ("customer: Contoso Ltd", "\tcustomer: Contoso Ltd", 5, 1),
        ("  date: 2026-11-02", "\tdate: 2026-11-02", 11, 1),
    ];
    for (from, to, line, column) in cases {
        let repo = TestRepo::new().escalation(A, &raised(A).replacen(from, to, 1));
        let run = repo.esc(&["check"]);
        run.code(1);
        let l = headline(
            &run,
            &format!("{}:{line}:{column}: error[yaml]: ", path_for(A)),
        );
        assert!(l.contains("use spaces to indent"), "{to:?}: {l}");
    }
}

#[test]
fn an_undefined_value_in_a_template_is_named() {
    let repo = TestRepo::new()
        .escalation(A, &raised(A))
        .write("templates/status.md.j2", "Hello\n{{ raised.foo }}\n");
    let run = repo.esc(&["check"]);
    run.code(1);
    let l = headline(&run, "templates/status.md.j2:2:");
    assert!(l.contains("`raised.foo` is undefined"), "{l}");
}

#[test]
fn a_file_in_the_wrong_month_folder_is_misfiled() {
    let text = raised(A).replace("date: 2026-11-02", "date: 2026-10-30");
    let repo = TestRepo::new()
        .escalation(A, &text)
        // Not below a month folder: the rule does not apply.
        .write(
            &format!("escalations/{B}.md"),
            &raised(B).replace("date: 2026-11-02", "date: 2026-10-30"),
        );
    let run = repo.esc(&["check"]);
    run.code(1).stdout_has(&["2 files checked, 1 problem"]);
    let l = headline(&run, &format!("{}:11:9: error[misfiled]: ", path_for(A)));
    assert!(l.contains("escalations/2026-10/ESC-2611-AAAA.md"), "{l}");
}
