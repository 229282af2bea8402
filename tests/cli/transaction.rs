//! The commit transaction on real repositories: git's index lock is respected, many esc
//! processes at once each commit or fail cleanly, a crash at any point leaves a state git and
//! the next esc can name, and the commit follows git's identity, dates, modes, linked work
//! trees and sparse checkouts.

use crate::git_support::{FIELDS, GitExt, bytes_of, committed, filled, git_in, text_of};
use crate::support::{Run, TODAY, TestRepo, path_for, raised_with};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const A: &str = "ESC-2611-AAAA";

/// `esc ARGS --today` in `dir` with extra environment, started and not waited for.
fn spawn(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_esc"));
    cmd.args(args)
        .args(["--today", TODAY])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("ESC_TEST_ABORT_AT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.spawn().expect("start esc")
}

/// Waits for a spawned esc (failing the test after 30 seconds).
fn finish(mut child: Child, args: &[&str]) -> Run {
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("esc {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

fn esc_with(repo: &TestRepo, args: &[&str], envs: &[(&str, &str)]) -> Run {
    finish(spawn(repo.path(), args, envs), args)
}

/// The index file's bytes (read without running git, which may rewrite it).
fn index_bytes(repo: &TestRepo) -> Vec<u8> {
    std::fs::read(repo.abs(".git/index")).expect("read .git/index")
}

#[track_caller]
fn fsck_clean(repo: &TestRepo) {
    let out = repo.git_with(&["fsck", "--no-progress"], &[]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "git fsck failed:\n{text}");
    // A commit written but never referenced (a crash before the branch moved) is dangling,
    // which git fsck reports and git gc removes; nothing may be missing or broken.
    for line in text.lines() {
        assert!(line.starts_with("dangling "), "git fsck: {line}\n{text}");
    }
}

/// A repository with `ids` (every field filled, at `raised`) committed, an unrelated staged
/// file and an unrelated unstaged change: the changes esc must leave exactly as they are.
fn busy_repo(ids: &[&str]) -> TestRepo {
    let texts: Vec<String> = ids.iter().map(|id| filled(id, "raised")).collect();
    let pairs: Vec<(&str, &str)> = ids
        .iter()
        .copied()
        .zip(texts.iter().map(String::as_str))
        .collect();
    let repo = committed(&pairs)
        .write("notes.txt", "first\n")
        .write("todo.txt", "one\n");
    repo.git(&["add", "notes.txt", "todo.txt"]);
    repo.git(&["commit", "-q", "-m", "Notes"]);
    let repo = repo
        .write("notes.txt", "staged\n")
        .write("todo.txt", "unstaged\n");
    repo.git(&["add", "notes.txt"]);
    repo
}

const PRE_EXISTING: &str = "M  notes.txt\n M todo.txt\n";

#[test]
fn a_held_index_lock_is_refused_and_nothing_changes() {
    let repo = busy_repo(&[A]);
    assert_eq!(repo.porcelain(), PRE_EXISTING);
    std::fs::write(repo.abs(".git/index.lock"), b"").expect("lock");
    std::thread::sleep(Duration::from_millis(400));
    let (head, index, file) = (repo.rev("HEAD"), index_bytes(&repo), bytes_of(&repo, A));
    let run = esc_with(&repo, &["advance", "AAAA"], &[]);
    run.code(2).stderr_has(&[
        "another git or esc process is writing (.git/index.lock); try again",
        "remove .git/index.lock if no git process is running",
    ]);
    assert_eq!(repo.rev("HEAD"), head, "HEAD moved\n{run}");
    assert_eq!(index_bytes(&repo), index, "the index changed\n{run}");
    assert_eq!(bytes_of(&repo, A), file, "the file changed\n{run}");
    assert!(
        repo.abs(".git/index.lock").exists(),
        "someone else's lock was removed"
    );
    assert!(
        !repo.abs(".git/esc-commit").exists(),
        "a note without its lock"
    );

    std::fs::remove_file(repo.abs(".git/index.lock")).expect("unlock");
    esc_with(&repo, &["advance", "AAAA"], &[]).code(0);
    // The index matches the commit: an ordinary `git commit` now changes nothing back.
    assert_eq!(repo.porcelain(), PRE_EXISTING);
    assert_eq!(repo.staged(), vec!["notes.txt"]);
    repo.git(&["commit", "-q", "-m", "Notes again"]);
    assert_eq!(repo.files_of("HEAD"), vec!["notes.txt"]);
    assert!(text_of(&repo, A).contains("\nstep: gathering\n"));
    assert!(
        repo.git(&["show", &format!("HEAD:{}", path_for(A))])
            .contains("\nstep: gathering\n")
    );
    // A commit leaves nothing of its own behind in .git.
    let mut left: Vec<String> = std::fs::read_dir(repo.abs(".git"))
        .expect("read .git")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with("esc-commit")
                || n.starts_with("index.esc")
                || n.ends_with(".lock")
                || n.ends_with(".tmp")
        })
        .collect();
    left.sort();
    assert_eq!(left, Vec::<String>::new());
    fsck_clean(&repo);
}

#[test]
fn an_edit_of_a_file_changed_meanwhile_is_refused() {
    let repo = committed(&[(A, &filled(A, "raised"))]);
    let real = repo.abs(&path_for(A)).to_string_lossy().into_owned();
    // The editor changes the copy, and someone else changes the escalation meanwhile.
    let editor = format!(
        "f() {{ sed -i 's/^severity: high$/severity: low/' \"$1\"; printf 'Meanwhile.\\n' >> '{real}'; }}; f"
    );
    let head = repo.rev("HEAD");
    let run = esc_with(&repo, &["edit", "AAAA"], &[("EDITOR", &editor)]);
    run.code(1).stderr_has(&[
        "changed while you were editing it",
        "your edited copy is at",
    ]);
    assert_eq!(repo.rev("HEAD"), head);
    let text = text_of(&repo, A);
    assert!(
        text.ends_with("Meanwhile.\n") && text.contains("severity: high"),
        "{text}"
    );
    assert!(!repo.abs(".git/index.lock").exists());
}

#[test]
fn a_held_ref_lock_undoes_the_edit() {
    let repo = busy_repo(&[A]);
    std::fs::write(repo.abs(".git/refs/heads/main.lock"), b"").expect("lock");
    let (head, index, file) = (repo.rev("HEAD"), index_bytes(&repo), bytes_of(&repo, A));
    let run = esc_with(&repo, &["advance", "AAAA"], &[]);
    run.code(2)
        .stderr_has(&["refs/heads/main.lock", "nothing was changed"]);
    assert_eq!(repo.rev("HEAD"), head);
    assert_eq!(index_bytes(&repo), index);
    assert_eq!(bytes_of(&repo, A), file);
    assert!(
        !repo.abs(".git/index.lock").exists(),
        "the index lock was left"
    );
    assert!(!repo.abs(".git/esc-commit").exists(), "the note was left");
    assert_eq!(repo.porcelain(), PRE_EXISTING);
    fsck_clean(&repo);
}

/// Runs `esc ARGS` once per entry of `runs`, all at once; returns the runs in order.
fn all_at_once(repo: &TestRepo, runs: &[Vec<String>]) -> Vec<Run> {
    let children: Vec<(Child, Vec<&str>)> = runs
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            (spawn(repo.path(), &args, &[]), args)
        })
        .collect();
    children
        .into_iter()
        .map(|(c, args)| finish(c, &args))
        .collect()
}

/// A clean failure: the lock stayed busy for the whole wait.
fn busy(run: &Run) -> bool {
    run.code == 2 && run.stderr.contains("try again")
}

#[test]
fn eight_processes_on_eight_escalations_each_commit_once() {
    let ids: Vec<String> = (1..=8).map(|i| format!("ESC-2611-AAA{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let repo = busy_repo(&refs);
    let mut steps = vec!["raised"; 8];
    for to in ["gathering", "validation", "stakeholders"] {
        let head = repo.rev("HEAD");
        let runs: Vec<Vec<String>> = ids
            .iter()
            .map(|id| vec!["advance".into(), id.clone(), "--to".into(), to.into()])
            .collect();
        let results = all_at_once(&repo, &runs);
        let mut moved = Vec::new();
        for (i, run) in results.iter().enumerate() {
            if run.code == 0 {
                run.stdout_has(&[&format!("-> {to} (commit ")]);
                steps[i] = to;
                moved.push(path_for(&ids[i]));
            } else {
                assert!(busy(run), "neither committed nor failed cleanly\n{run}");
            }
        }
        assert!(!moved.is_empty(), "no process committed");
        // One commit per move, each holding exactly its own escalation.
        let log = repo.git(&["rev-list", &format!("{head}..HEAD")]);
        let commits: Vec<&str> = log.lines().collect();
        assert_eq!(commits.len(), moved.len(), "one commit per successful move");
        let mut files: Vec<String> = commits.iter().flat_map(|c| repo.files_of(c)).collect();
        files.sort();
        moved.sort();
        assert_eq!(files, moved, "each commit holds the one file it moved");
        for (id, step) in ids.iter().zip(&steps) {
            let text = text_of(&repo, id);
            assert!(
                text.contains(&format!("\nstep: {step}\n")),
                "{id} is not at {step}"
            );
            let at_head = repo.git(&["show", &format!("HEAD:{}", path_for(id))]);
            assert_eq!(at_head, text, "{id} differs from HEAD");
        }
        assert_eq!(repo.porcelain(), PRE_EXISTING);
        assert_eq!(repo.staged(), vec!["notes.txt"]);
        fsck_clean(&repo);
    }
}

#[test]
fn six_processes_on_one_escalation_commit_the_move_once() {
    let repo = busy_repo(&[A]);
    for to in ["gathering", "validation", "stakeholders"] {
        let head = repo.rev("HEAD");
        let runs: Vec<Vec<String>> = (0..6)
            .map(|_| vec!["advance".into(), "AAAA".into(), "--to".into(), to.into()])
            .collect();
        let results = all_at_once(&repo, &runs);
        let won: Vec<&Run> = results.iter().filter(|r| r.code == 0).collect();
        assert_eq!(won.len(), 1, "exactly one process moves it: {results:#?}");
        for run in results.iter().filter(|r| r.code != 0) {
            // The others decided on the winner's result.
            let already = run.code == 1 && run.stderr.contains(&format!("already at step `{to}`"));
            assert!(already || busy(run), "not a clean refusal\n{run}");
        }
        assert_eq!(repo.rev("HEAD~1"), head, "one commit for the move");
        assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
        assert!(text_of(&repo, A).contains(&format!("\nstep: {to}\n")));
        assert_eq!(repo.porcelain(), PRE_EXISTING);
        fsck_clean(&repo);
    }
}

#[test]
fn a_crash_at_any_point_leaves_a_state_the_next_run_names() {
    for point in [
        "locked",
        "file-written",
        "index-written",
        "commit-written",
        "ref-updated",
    ] {
        let repo = busy_repo(&[A]);
        // The user's own uncommitted edit of the escalation goes into esc's commit.
        let mine = text_of(&repo, A).replace("## Notes\n", "## Notes\n\nCalled Priya.\n");
        let repo = repo.escalation(A, &mine);
        let porcelain = repo.porcelain();
        let (head, index, file) = (repo.rev("HEAD"), index_bytes(&repo), bytes_of(&repo, A));
        let run = esc_with(&repo, &["advance", "AAAA"], &[("ESC_TEST_ABORT_AT", point)]);
        assert_eq!(run.code, -1, "{point}: esc was not stopped\n{run}");
        assert!(
            repo.abs(".git/index.lock").exists(),
            "{point}: no lock left"
        );
        // The index itself is only ever replaced by renaming the lock onto it.
        assert_eq!(index_bytes(&repo), index, "{point}: the index changed");
        fsck_clean(&repo);

        // The next run names the lock, and what to do about it.
        let next = esc_with(&repo, &["set", "AAAA", "severity=low"], &[]);
        next.code(2)
            .stderr_has(&[".git/index.lock was left by esc"]);
        if point == "ref-updated" {
            assert_ne!(repo.rev("HEAD"), head, "{point}: HEAD did not move");
            next.stderr_has(&["mv .git/index.lock .git/index"]);
            std::fs::rename(repo.abs(".git/index.lock"), repo.abs(".git/index")).expect("mv");
            // The new state: one commit holding exactly the file as esc wrote it.
            assert_eq!(repo.rev("HEAD~1"), head);
            assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
            let text = text_of(&repo, A);
            assert!(text.contains("\nstep: gathering\n") && text.contains("Called Priya."));
            assert_eq!(repo.git(&["show", &format!("HEAD:{}", path_for(A))]), text);
            assert_eq!(repo.porcelain(), PRE_EXISTING);
        } else {
            assert_eq!(repo.rev("HEAD"), head, "{point}: HEAD moved");
            next.stderr_has(&["remove .git/index.lock if no git process is running"]);
            std::fs::remove_file(repo.abs(".git/index.lock")).expect("rm");
            if bytes_of(&repo, A) != file {
                // The file holds esc's edit: the message says how to put it back.
                let cmd = next
                    .stderr
                    .split('`')
                    .find(|s| s.starts_with("git cat-file blob "))
                    .unwrap_or_else(|| panic!("{point}: no way back for the file\n{next}"));
                let (blob, _) = cmd["git cat-file blob ".len()..]
                    .split_once(' ')
                    .expect("blob id");
                let old = repo.git(&["cat-file", "blob", blob]);
                std::fs::write(repo.abs(&path_for(A)), old).expect("restore");
            }
            // The old state, exactly.
            assert_eq!(bytes_of(&repo, A), file, "{point}");
            assert_eq!(repo.porcelain(), porcelain, "{point}");
        }
        fsck_clean(&repo);
        // And esc works again.
        esc_with(&repo, &["set", "AAAA", "severity=low"], &[]).code(0);
        assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
        assert_eq!(repo.git(&["status", "--porcelain", "--", &path_for(A)]), "");
    }
}

#[test]
fn identity_and_dates_come_from_gits_environment() {
    let repo = committed(&[(A, &filled(A, "raised"))]);
    // No configured identity at all: the environment is enough (a CI bot).
    repo.git(&["config", "--unset", "user.name"]);
    repo.git(&["config", "--unset", "user.email"]);
    let env = [
        ("GIT_AUTHOR_NAME", "Dana Whitfield"),
        ("GIT_AUTHOR_EMAIL", "dana@example.com"),
        ("GIT_AUTHOR_DATE", "2026-11-20T10:00:00+01:00"),
        ("GIT_COMMITTER_NAME", "CI Bot"),
        ("GIT_COMMITTER_EMAIL", "ci@example.com"),
        ("GIT_COMMITTER_DATE", "Fri, 20 Nov 2026 11:30:00 +0100"),
    ];
    esc_with(&repo, &["advance", "AAAA"], &env).code(0);
    let fmt = "--format=%an %ae %ad|%cn %ce %cd";
    let log = repo.git(&["log", "-1", fmt, "--date=iso-strict"]);
    assert_eq!(
        log.trim(),
        "Dana Whitfield dana@example.com 2026-11-20T10:00:00+01:00|\
         CI Bot ci@example.com 2026-11-20T11:30:00+01:00"
    );
    // git's own form, `@SECONDS ZONE`; the committer falls back to the config.
    repo.git(&["config", "user.name", "Sam Ortiz"]);
    repo.git(&["config", "user.email", "sam@example.com"]);
    let env = [("GIT_AUTHOR_DATE", "@1795676400 -0500")];
    esc_with(&repo, &["advance", "AAAA"], &env).code(0);
    let log = repo.git(&["log", "-1", fmt, "--date=iso-strict"]);
    let (author, committer) = log.trim().split_once('|').expect("two parts");
    assert_eq!(
        author,
        "Sam Ortiz sam@example.com 2026-11-26T02:00:00-05:00"
    );
    assert!(
        committer.starts_with("Sam Ortiz sam@example.com "),
        "{committer}"
    );
    // A date git would not read is refused before anything changes.
    let (head, file) = (repo.rev("HEAD"), bytes_of(&repo, A));
    let run = esc_with(
        &repo,
        &["advance", "AAAA"],
        &[("GIT_COMMITTER_DATE", "soon")],
    );
    run.code(2).stderr_has(&["GIT_COMMITTER_DATE", "soon"]);
    assert_eq!((repo.rev("HEAD"), bytes_of(&repo, A)), (head, file));
    assert!(!repo.abs(".git/index.lock").exists());
}

#[cfg(unix)]
#[test]
fn an_executable_escalation_stays_executable() {
    use std::os::unix::fs::PermissionsExt;
    let repo = committed(&[(A, &filled(A, "raised"))]);
    let path = repo.abs(&path_for(A));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    repo.git(&["add", &path_for(A)]);
    repo.git(&["commit", "-q", "-m", "Executable"]);
    esc_with(&repo, &["advance", "AAAA"], &[]).code(0);
    assert_eq!(repo.porcelain(), "");
    assert!(
        repo.git(&["ls-files", "-s", &path_for(A)])
            .starts_with("100755 ")
    );
    assert!(
        repo.git(&["ls-tree", "HEAD", &path_for(A)])
            .starts_with("100755 ")
    );
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
}

#[test]
fn a_linked_worktree_commits_on_its_own_branch_and_index() {
    let repo = busy_repo(&[A]);
    let other = tempfile::tempdir().expect("tempdir");
    let wt = other.path().join("wt");
    let wt_s = wt.to_string_lossy().into_owned();
    repo.git(&["worktree", "add", "-q", "-b", "feature", &wt_s]);
    let (main_head, main_index) = (repo.rev("main"), index_bytes(&repo));
    let run = esc_with(&repo, &["-C", &wt_s, "advance", "AAAA"], &[]);
    run.code(0);
    assert_eq!(repo.rev("main"), main_head, "main moved\n{run}");
    assert_eq!(repo.rev("feature~1"), main_head);
    assert_eq!(repo.files_of("feature"), vec![path_for(A)]);
    assert_eq!(
        index_bytes(&repo),
        main_index,
        "the main work tree's index changed"
    );
    assert_eq!(repo.porcelain(), PRE_EXISTING);
    let wt_status = git_in(&wt, &["status", "--porcelain"], &[]);
    assert!(wt_status.status.success());
    assert_eq!(String::from_utf8_lossy(&wt_status.stdout), "");
    assert!(
        !wt.join(".git").is_dir(),
        "a linked work tree has a .git file"
    );
    fsck_clean(&repo);
}

#[test]
fn a_sparse_checkout_keeps_its_hidden_files_hidden() {
    const B: &str = "ESC-2610-BBBB";
    let b = raised_with(B, FIELDS);
    let repo = committed(&[(A, &filled(A, "raised")), (B, &b)]);
    repo.git(&["sparse-checkout", "set", "escalations/2026-11", "schemas"]);
    assert!(!repo.abs(&path_for(B)).exists(), "not a sparse checkout");
    esc_with(&repo, &["advance", "AAAA"], &[]).code(0);
    assert_eq!(repo.files_of("HEAD"), vec![path_for(A)]);
    assert_eq!(repo.porcelain(), "");
    let listed = repo.git(&["ls-files", "-t", &path_for(B)]);
    assert!(
        listed.starts_with("S "),
        "{B} is no longer skip-worktree: {listed}"
    );
    assert!(!repo.abs(&path_for(B)).exists());
    assert_eq!(repo.git(&["show", &format!("HEAD:{}", path_for(B))]), b);
    fsck_clean(&repo);
}

/// Commit hooks: not run unless `--verify` is given; then pre-commit can refuse (nothing
/// changes), commit-msg can rewrite the message, post-commit runs after.
#[cfg(unix)]
#[test]
fn hooks_run_only_with_verify() {
    use std::os::unix::fs::PermissionsExt;
    let id = "ESC-2611-AAAA";
    let repo = committed(&[(id, &filled(id, "validation"))]);
    let hooks = repo.abs(".git/hooks");
    std::fs::create_dir_all(&hooks).expect("hooks dir");
    let hook = |name: &str, body: &str| {
        let path = hooks.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write hook");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    hook("pre-commit", "touch pre-commit-ran; exit 1");
    // Without --verify, no hook runs.
    repo.esc(&["set", "AAAA", "severity=low"]).code(0);
    assert!(!repo.abs("pre-commit-ran").exists());
    // With --verify, a failing pre-commit refuses: the file, HEAD and the index as they were.
    let head = repo.git(&["rev-parse", "HEAD"]);
    let before = bytes_of(&repo, id);
    let run = repo.esc(&["set", "AAAA", "severity=medium", "--verify"]);
    run.code(1)
        .stderr_has(&["the pre-commit hook refused the commit"]);
    assert!(repo.abs("pre-commit-ran").exists());
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(bytes_of(&repo, id), before);
    assert_eq!(repo.git(&["status", "--porcelain"]), "?? pre-commit-ran\n");
    // A passing pre-commit, a commit-msg that adds a trailer, a post-commit that runs.
    hook("pre-commit", "exit 0");
    hook("commit-msg", "printf 'Reviewed-by: hook\\n' >> \"$1\"");
    hook("post-commit", "touch post-commit-ran");
    repo.esc(&["set", "AAAA", "severity=medium", "--verify"])
        .code(0);
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(message.contains("Reviewed-by: hook"), "{message}");
    assert!(repo.abs("post-commit-ran").exists());
    assert!(text_of(&repo, id).contains("severity: medium"));
}
