//! A throwaway escalation repository and a way to run the real `esc` binary in it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The day every test runs as, unless it is about today.
pub const TODAY: &str = "2026-11-26";

/// How long any one run of `esc` may take before the test kills it and fails.
const DEADLINE: Duration = Duration::from_secs(10);

/// This repository (the crate under test): its samples and schema are copied from here.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A valid escalation at step `raised` with id `id`, raised on the 2nd of the id's month.
///
/// The line numbers are part of the contract; tests replace text on a line and expect the
/// problem there:
///
/// ```text
///  1 ---                      8 owner: Dana Whitfield <dana@example.com>
///  2 schema: 1                9 owner_role: architect
///  3 id: ESC-2611-AAAA       10 raised:
///  4 title: Mailbox ...      11   date: 2026-11-02
///  5 customer: Contoso Ltd   12   source: account-team
///  6 step: raised            13   by: Sam Ortiz <sam@example.com>
///  7 segment: S1500          14 ---   (or the first line of `extra`)
/// ```
pub fn raised(id: &str) -> String {
    raised_with(id, "")
}

/// [`raised`] with `extra` (whole lines, each ending in `\n`) inserted from line 14 on.
pub fn raised_with(id: &str, extra: &str) -> String {
    let (yy, mm) = (&id[4..6], &id[6..8]);
    format!(
        "---\n\
         schema: 1\n\
         id: {id}\n\
         title: Mailbox migration stalled at 40%\n\
         customer: Contoso Ltd\n\
         step: raised\n\
         segment: S1500\n\
         owner: Dana Whitfield <dana@example.com>\n\
         owner_role: architect\n\
         raised:\n  \
           date: 20{yy}-{mm}-02\n  \
           source: account-team\n  \
           by: Sam Ortiz <sam@example.com>\n\
         {extra}---\n\
         \n\
         ## Notes\n\
         \n\
         Free text.\n"
    )
}

/// Where the escalation `id` lives: `escalations/20YY-MM/ID.md`.
pub fn path_for(id: &str) -> String {
    format!("escalations/20{}-{}/{id}.md", &id[4..6], &id[6..8])
}

/// What one run of `esc` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub args: Vec<String>,
}

impl Run {
    /// Asserts the exit code and that nothing panicked; returns self for more checks.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "esc panicked\n{self}"
        );
        assert_eq!(self.code, expected, "unexpected exit code\n{self}");
        self
    }

    /// Asserts that stdout contains every one of `parts`.
    #[track_caller]
    pub fn stdout_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(self.stdout.contains(p), "stdout lacks {p:?}\n{self}");
        }
        self
    }

    /// Asserts that stderr contains every one of `parts`.
    #[track_caller]
    pub fn stderr_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(self.stderr.contains(p), "stderr lacks {p:?}\n{self}");
        }
        self
    }

    /// Asserts that neither output contains `part`.
    #[track_caller]
    pub fn lacks(&self, part: &str) -> &Self {
        assert!(
            !self.stdout.contains(part) && !self.stderr.contains(part),
            "output contains {part:?}\n{self}"
        );
        self
    }

    /// The lines of stdout that are `file:line:column: error[rule]: message` headlines.
    pub fn headlines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.contains(": error["))
            .collect()
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{self}"))
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- esc {:?} exited {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

/// A temporary escalation repository, deleted when dropped.
pub struct TestRepo {
    dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
}

impl TestRepo {
    /// An empty directory: not an escalation repository yet.
    pub fn empty() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("esc-test-")
            .tempdir()
            .expect("create a temporary directory");
        TestRepo {
            dir,
            envs: Vec::new(),
        }
    }

    /// A repository with this crate's `schemas/` and an empty `escalations/`.
    pub fn new() -> Self {
        let repo = Self::empty();
        copy_dir(
            &manifest_dir().join("schemas"),
            &repo.path().join("schemas"),
        );
        std::fs::create_dir_all(repo.path().join("escalations")).expect("mkdir escalations");
        repo
    }

    /// [`TestRepo::new`] plus every sample escalation of this crate.
    pub fn with_samples() -> Self {
        let repo = Self::new();
        copy_dir(
            &manifest_dir().join("escalations"),
            &repo.path().join("escalations"),
        );
        repo
    }

    /// Copies one sample escalation (by id) from this crate's `escalations/`.
    pub fn sample(self, id: &str) -> Self {
        let rel = path_for(id);
        let text = std::fs::read(manifest_dir().join(&rel)).expect("read sample");
        self.write_bytes(&rel, &text)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn abs(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `text` to `rel`, creating folders.
    pub fn write(self, rel: &str, text: &str) -> Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(self, rel: &str, bytes: &[u8]) -> Self {
        let path = self.abs(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write file");
        self
    }

    /// Writes an escalation to where its id says it belongs.
    pub fn escalation(self, id: &str, text: &str) -> Self {
        self.write(&path_for(id), text)
    }

    /// Sets an environment variable for every later run.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.abs(rel)).expect("read file")
    }

    /// Every file below the root (`.git` excepted) with its bytes; symbolic links as their
    /// target. Compare two of these to show a command changed nothing.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        snapshot(self.path(), self.path(), &mut out);
        out
    }

    /// Runs `esc ARGS --today 2026-11-26` in the repository.
    pub fn esc(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--today", TODAY]);
        self.run(&all, None)
    }

    /// Runs `esc ARGS` as it is, without `--today`.
    pub fn esc_raw(&self, args: &[&str]) -> Run {
        self.run(args, None)
    }

    /// Runs `esc ARGS --today 2026-11-26` with its address space limited to `mib` MiB.
    pub fn esc_bounded(&self, mib: u64, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--today", TODAY]);
        self.run(&all, Some(mib))
    }

    fn run(&self, args: &[&str], memory_mib: Option<u64>) -> Run {
        let bin = env!("CARGO_BIN_EXE_esc");
        let mut cmd = match memory_mib {
            // `ulimit -v` then exec: the limit applies to esc itself, not to this test.
            Some(mib) if cfg!(unix) => {
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
                    .arg(bin);
                c
            }
            _ => Command::new(bin),
        };
        cmd.args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.envs {
            cmd.env(k, v);
        }
        run_with_deadline(cmd, args)
    }
}

/// Runs `cmd`, killing it and failing the test if it outlives [`DEADLINE`].
fn run_with_deadline(mut cmd: Command, args: &[&str]) -> Run {
    let mut child = cmd.spawn().expect("start esc");
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = pipe(child.stdout.take().map(|s| Box::new(s) as _));
    let err = pipe(child.stderr.take().map(|s| Box::new(s) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for esc") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("esc {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        // A signal (e.g. killed for memory) has no code: -1 never matches an expectation.
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

fn snapshot(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        if entry.file_name() == ".git" {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .expect("below root")
            .to_string_lossy()
            .into_owned();
        let ty = entry.file_type().expect("file type");
        if ty.is_symlink() {
            let target = std::fs::read_link(&path).expect("read link");
            out.insert(rel, target.to_string_lossy().into_owned().into_bytes());
        } else if ty.is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
            snapshot(root, &path, out);
        } else {
            out.insert(rel, std::fs::read(&path).expect("read file"));
        }
    }
}

/// An outside tool a test drives (a shell, a linter, a browser, a YAML reader) is `found` or
/// not: when it is not, the test is skipped with a notice, or fails under
/// `ESC_REQUIRE_TOOLS=1`, which `.ci/run` sets after installing them.
pub fn tool_found(name: &str, found: bool) -> bool {
    if !found {
        assert!(
            std::env::var_os("ESC_REQUIRE_TOOLS").is_none(),
            "{name} is missing, and ESC_REQUIRE_TOOLS says it must be there (.ci/run installs it)"
        );
        eprintln!("notice: {name} is not installed here; skipped (.ci/run installs it)");
    }
    found
}

/// Where `name` is on PATH, if it is (see [`tool_found`] for when it is not).
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    tool_found(name, found.is_some()).then_some(found).flatten()
}
