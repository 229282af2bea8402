//! Real git repositories for the tests of advance, timelines and `esc check --base`: the git
//! command line (never git2, so the tests do not share the code under test), and escalations
//! filled in up to any step.

use super::support::{TestRepo, path_for, raised_with};
use std::path::Path;
use std::process::{Command, Output};

/// The date every git commit made by a test carries unless it says otherwise.
pub const DATE: &str = "2026-11-02T09:00:00+00:00";

/// The identity set in every repository made by [`git_repo`].
pub const ME: &str = "Dana Whitfield <dana@example.com>";

/// `git ARGS` in `dir`, isolated from the machine's git configuration. Returns the output
/// whatever the exit status.
pub fn git_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", DATE)
        .env("GIT_COMMITTER_DATE", DATE)
        .env("LC_ALL", "C")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run git")
}

/// Git, run in a test repository.
pub trait GitExt {
    /// `git ARGS`; fails the test unless it succeeds; returns stdout.
    fn git(&self, args: &[&str]) -> String;
    /// `git ARGS` with extra environment; the output whatever the status.
    fn git_with(&self, args: &[&str], envs: &[(&str, &str)]) -> Output;
    /// `git ARGS` as `author` (`Name <email>`) at `date` (author and committer); fails the
    /// test unless it succeeds; returns stdout. For merges and rebases.
    fn git_as(&self, args: &[&str], author: &str, date: &str) -> String;
    /// `git add -A` and a commit dated `date` by `author` (`Name <email>`); returns its id.
    fn commit_as(&self, message: &str, date: &str, author: &str) -> String;
    /// [`GitExt::commit_as`] by [`ME`] at [`DATE`].
    fn commit_all(&self, message: &str) -> String;
    /// The full id of a revision.
    fn rev(&self, rev: &str) -> String;
    /// The files a commit changed, as `git show --name-only` lists them.
    fn files_of(&self, rev: &str) -> Vec<String>;
    /// The staged paths.
    fn staged(&self) -> Vec<String>;
    /// The trailers of a commit's message, parsed by `git interpret-trailers --parse`.
    fn trailers(&self, rev: &str) -> Vec<(String, String)>;
    /// The commit's subject line.
    fn subject(&self, rev: &str) -> String;
    /// `git status --porcelain`.
    fn porcelain(&self) -> String;
}

impl GitExt for TestRepo {
    #[track_caller]
    fn git(&self, args: &[&str]) -> String {
        let out = self.git_with(args, &[]);
        assert!(
            out.status.success(),
            "git {args:?} failed\n--- stdout:\n{}\n--- stderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn git_with(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        git_in(self.path(), args, envs)
    }

    #[track_caller]
    fn git_as(&self, args: &[&str], author: &str, date: &str) -> String {
        let (name, email) = author
            .trim_end_matches('>')
            .split_once(" <")
            .expect("author as `Name <email>`");
        let out = self.git_with(
            args,
            &[
                ("GIT_AUTHOR_NAME", name),
                ("GIT_AUTHOR_EMAIL", email),
                ("GIT_COMMITTER_NAME", name),
                ("GIT_COMMITTER_EMAIL", email),
                ("GIT_AUTHOR_DATE", date),
                ("GIT_COMMITTER_DATE", date),
            ],
        );
        assert!(
            out.status.success(),
            "git {args:?} failed\n--- stdout:\n{}\n--- stderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[track_caller]
    fn commit_as(&self, message: &str, date: &str, author: &str) -> String {
        self.git(&["add", "-A"]);
        let out = self.git_with(
            &["commit", "-q", "-m", message, "--author", author],
            &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
        );
        assert!(
            out.status.success(),
            "git commit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.rev("HEAD")
    }

    #[track_caller]
    fn commit_all(&self, message: &str) -> String {
        self.commit_as(message, DATE, ME)
    }

    #[track_caller]
    fn rev(&self, rev: &str) -> String {
        self.git(&["rev-parse", "--verify", rev]).trim().to_string()
    }

    #[track_caller]
    fn files_of(&self, rev: &str) -> Vec<String> {
        self.git(&["show", "--name-only", "--format=", rev])
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }

    #[track_caller]
    fn staged(&self) -> Vec<String> {
        self.git(&["diff", "--cached", "--name-only"])
            .lines()
            .map(String::from)
            .collect()
    }

    #[track_caller]
    fn trailers(&self, rev: &str) -> Vec<(String, String)> {
        let message = self.git(&["log", "-1", "--format=%B", rev]);
        let dir = self.path();
        let mut child = Command::new("git")
            .args(["interpret-trailers", "--parse"])
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run git interpret-trailers");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(message.as_bytes()).expect("write message");
        }
        let out = child.wait_with_output().expect("interpret-trailers");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[track_caller]
    fn subject(&self, rev: &str) -> String {
        self.git(&["log", "-1", "--format=%s", rev])
            .trim_end()
            .to_string()
    }

    #[track_caller]
    fn porcelain(&self) -> String {
        self.git(&["status", "--porcelain"])
    }
}

/// A git repository (branch `main`, identity [`ME`]) with this crate's `schemas/` and an empty
/// `escalations/`, nothing committed yet.
pub fn git_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(&["init", "-q", "-b", "main"]);
    repo.git(&["config", "user.name", "Dana Whitfield"]);
    repo.git(&["config", "user.email", "dana@example.com"]);
    repo
}

/// [`git_repo`] with the escalations `(id, text)` committed as the first commit.
pub fn committed(escalations: &[(&str, &str)]) -> TestRepo {
    let mut repo = git_repo();
    for (id, text) in escalations {
        repo = repo.escalation(id, text);
    }
    repo.commit_all("Escalations");
    repo
}

/// Every field from `raised` to `resolution`, line 14 on (see [`super::support::raised`] for
/// lines 1 to 13). Line numbers the tests rely on:
///
/// ```text
/// 14 severity: high            21 validation:             30 meetings:
/// 15 gathering:                22   confirmed_with: ..    31   - { date: 2026-11-06 .. }
/// 16   description: ..         23   date: 2026-11-04      32 status:
/// 17   types: [technical]      24   expected_outcome: ..  33   as_of: 2026-11-06
/// 18   occurred: 2026-11-01    25   resolution_procedure  34-35 brief, impact
/// 19   services: [exchange-online]  26   cadence: daily   36   actions:
/// 20   deployment_phase: ..    27 stakeholders:           37     - { .. done: 2026-11-07 }
///                              28   decision: notify      38-41 deployment_status, current_
///                              29   notified: 2026-11-05        activities, risk, awareness
/// ```
pub const FIELDS: &str = "\
severity: high
gathering:
  description: Batch migration of 4,000 mailboxes stopped progressing.
  types: [technical]
  occurred: 2026-11-01
  services: [exchange-online]
  deployment_phase: migration
validation:
  confirmed_with: Priya Raman (Contoso IT lead)
  date: 2026-11-04
  expected_outcome: All batches complete by 20 Nov.
  resolution_procedure: Daily triage with the support engineer.
  cadence: daily
stakeholders:
  decision: notify
  notified: 2026-11-05
meetings:
  - { date: 2026-11-06, kind: internal, summary: Agreed the throttling plan. }
status:
  as_of: 2026-11-06
  brief: Throttling on the source side.
  impact: 4,000 users cannot be cut over.
  actions:
    - { what: Raise throttling limits, owner: support, due: 2026-11-07, done: 2026-11-07 }
  deployment_status: 1,600 of 4,000 mailboxes migrated.
  current_activities: Migration office hours twice a week.
  risk: On the Exchange Online critical watch list.
  awareness: Customer CIO briefed.
";

/// What closing as resolved needs, on top of [`FIELDS`] (lines 42 to 50; the review because
/// the severity is high).
pub const CLOSING: &str = "\
closing:
  outcome: resolved
  date: 2026-11-20
  summary: Throttling limits raised; every batch migrated.
  confirmation: E-mail from Priya Raman on 19 Nov, saved in the customer folder.
  risk_update: Removed from the watch list with the resolution.
  review:
    root_cause: capacity
    lessons: Check the tenant's throttling limits before a bulk migration.
";

/// An escalation (raised 2026-11-02) with every field up to `resolution` filled in, at `step`.
/// Closed means closed as resolved, with [`CLOSING`].
pub fn filled(id: &str, step: &str) -> String {
    let extra = if step == "closed" {
        format!("{FIELDS}{CLOSING}")
    } else {
        FIELDS.to_string()
    };
    with_step(&raised_with(id, &extra), step)
}

/// `text` with its `step: raised` line (line 6) set to `step`.
pub fn with_step(text: &str, step: &str) -> String {
    assert!(text.contains("\nstep: raised\n"), "no `step: raised` line");
    text.replacen("\nstep: raised\n", &format!("\nstep: {step}\n"), 1)
}

/// The bytes of the escalation `id` in the working tree.
pub fn bytes_of(repo: &TestRepo, id: &str) -> Vec<u8> {
    std::fs::read(repo.abs(&path_for(id))).expect("read escalation")
}

/// The text of the escalation `id` in the working tree.
pub fn text_of(repo: &TestRepo, id: &str) -> String {
    repo.read(&path_for(id))
}

/// A repository git2 cannot open says why in git's words, not "not in a git repository".
#[test]
fn a_sha256_repository_is_named_as_such() {
    let repo = TestRepo::with_samples();
    let out = git_in(repo.path(), &["init", "-q", "--object-format=sha256"], &[]);
    assert!(out.status.success(), "git init: {out:?}");
    let run = repo.esc(&["log", "X2KP"]);
    run.code(2);
    run.stderr_has(&["cannot open the repository", "sha256"]);
    run.lacks("not in a git repository");
}
