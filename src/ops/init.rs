//! `esc init`: where CI installs esc from (`--esc-source URL@REF`), checked so that it can be
//! written into YAML and shell without quoting, and the scaffold's files filled in with it
//! and the branch.

use crate::error::{Error, Result};

/// Where the scaffolded CI and pre-commit hook install esc from: a git URL and a ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub url: String,
    pub git_ref: String,
    /// How cargo is told the ref: `tag`, `branch` or `rev` (`cargo install --tag ...`).
    pub kind: &'static str,
}

impl Source {
    /// This build's own repository (`repository` in Cargo.toml) at the tag of this version.
    pub fn default_for_this_build() -> Source {
        let git_ref = format!("v{}", env!("CARGO_PKG_VERSION"));
        Source {
            url: env!("CARGO_PKG_REPOSITORY").to_string(),
            kind: ref_kind(&git_ref),
            git_ref,
        }
    }

    /// `URL` or `URL@REF` (REF defaults to this version's tag). Refused (usage) when the URL
    /// is not a git URL or either part has a character that YAML or a shell would need quoted.
    pub fn parse(text: &str) -> Result<Source> {
        let bad = |why: String| {
            Error::Usage(format!(
                "--esc-source `{text}`: {why}; expected a git URL (https://host/org/esc or \
                 ssh://git@host/org/esc), optionally followed by @REF \
                 (a tag, branch or commit), e.g. https://github.com/esc-project/esc@v0.1.0"
            ))
        };
        if let Some(c) = text.chars().find(|c| !url_char(*c)) {
            return Err(bad(format!(
                "found {c:?}, which the workflows would need to quote or escape (allowed: \
                 letters, digits and . _ ~ - / : @ + %)"
            )));
        }
        let (url, git_ref) = split_ref(text);
        let scheme = ["https://", "http://", "ssh://", "git://", "file://"]
            .iter()
            .find(|s| url.starts_with(**s));
        let Some(scheme) = scheme else {
            // cargo takes URLs only: `git@host:org/esc` is `ssh://git@host/org/esc` to it.
            return Err(bad(
                "found no https://, http://, ssh://, git:// or file:// at the start".into(),
            ));
        };
        let path = url[scheme.len()..].split_once('/').map(|(_, p)| p);
        if path.is_none_or(|p| p.trim_matches('/').is_empty()) {
            return Err(bad("found no repository path after the host".into()));
        }
        let git_ref = match git_ref {
            None => format!("v{}", env!("CARGO_PKG_VERSION")),
            Some(r) if r.is_empty() || r.starts_with(['-', '/']) || r.contains("..") => {
                return Err(bad(format!(
                    "found the ref `{r}`, which git would not accept"
                )));
            }
            Some(r) if r.contains([':', '@', '~', '%']) => {
                return Err(bad(format!("found `{r}` after @, which is not a ref name")));
            }
            Some(r) => r.to_string(),
        };
        Ok(Source {
            url: url.to_string(),
            kind: ref_kind(&git_ref),
            git_ref,
        })
    }

    /// `owner/name@REF` of a GitHub-hosted source, for `uses:` of its action.
    pub fn github_action(&self) -> Option<String> {
        let rest = self.url.strip_prefix("https://github.com/")?;
        let rest = rest.trim_end_matches('/').trim_end_matches(".git");
        let (owner, name) = rest.split_once('/')?;
        (!owner.is_empty() && !name.is_empty() && !name.contains('/'))
            .then(|| format!("{owner}/{name}@{}", self.git_ref))
    }

    /// One line for people: `URL at tag REF`.
    pub fn describe(&self) -> String {
        format!("{} at {} {}", self.url, self.kind, self.git_ref)
    }
}

fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._~-/:@+%".contains(c)
}

/// Splits `URL@REF` at the first `@` in the URL's path (so `ssh://git@host/org/esc` keeps
/// its user).
fn split_ref(text: &str) -> (&str, Option<&str>) {
    let path_start = match text.find("://") {
        Some(i) => text[i + 3..].find('/').map_or(text.len(), |j| i + 3 + j),
        None => 0,
    };
    match text[path_start..].find('@') {
        Some(j) => (&text[..path_start + j], Some(&text[path_start + j + 1..])),
        None => (text, None),
    }
}

/// A version (`v1.2.3`, `1.2`) is a tag, 7 to 40 hex digits a commit, anything else a branch.
fn ref_kind(r: &str) -> &'static str {
    let version = r.strip_prefix('v').unwrap_or(r);
    if version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .split(['.', '-', '+'])
            .next()
            .is_some_and(|m| m.chars().all(|c| c.is_ascii_digit()))
    {
        "tag"
    } else if (7..=40).contains(&r.len()) && r.chars().all(|c| c.is_ascii_hexdigit()) {
        "rev"
    } else {
        "branch"
    }
}

/// A branch name the workflows can name unquoted in YAML and shell, or why not.
pub fn check_branch(branch: &str) -> Result<()> {
    if branch.is_empty()
        || branch.starts_with('-')
        || !branch
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
    {
        return Err(Error::Usage(format!(
            "the branch `{branch}` cannot be written into the CI workflows (expected letters, \
             digits and . _ / -); check out a branch with a plainer name, or set \
             `git config init.defaultBranch main`"
        )));
    }
    Ok(())
}

/// The scaffold: each file's path and its template.
const FILES: [(&str, &str); 7] = [
    ("esc.yaml", include_str!("../scaffold/esc.yaml")),
    (
        "templates/README.md",
        include_str!("../scaffold/templates-README.md"),
    ),
    (
        ".github/workflows/escalations.yml",
        include_str!("../scaffold/github-workflow.yml"),
    ),
    (
        "azure-pipelines.yml",
        include_str!("../scaffold/azure-pipelines.yml"),
    ),
    (
        ".pre-commit-config.yaml",
        include_str!("../scaffold/pre-commit-config.yaml"),
    ),
    (
        "schemas/escalation.schema.json",
        crate::rules::schema::EMBEDDED,
    ),
    // For editors: esc.yaml's first line points yaml-language-server at it.
    ("schemas/esc.schema.json", crate::rules::config::SCHEMA),
];

/// The files `esc init` writes, filled in with `source` and `branch` (already checked).
pub fn scaffold(source: &Source, branch: &str) -> Vec<(&'static str, String)> {
    let action = source
        .github_action()
        .unwrap_or_else(|| format!("OWNER/esc@{}", source.git_ref));
    FILES
        .iter()
        .map(|(rel, text)| {
            let filled = text
                .replace("@ESC_GIT@", &source.url)
                .replace("@ESC_REF_KIND@", source.kind)
                .replace("@ESC_REF@", &source.git_ref)
                .replace("@ESC_ACTION@", &action)
                .replace("@BRANCH@", branch);
            (*rel, filled)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_at_the_ref_and_keep_their_user() {
        let s = Source::parse("https://github.com/acme/esc@v1.2.0").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.git_ref.as_str(), s.kind),
            ("https://github.com/acme/esc", "v1.2.0", "tag")
        );
        let s = Source::parse("ssh://git@github.com/acme/esc@main").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.git_ref.as_str(), s.kind),
            ("ssh://git@github.com/acme/esc", "main", "branch")
        );
        let s = Source::parse("ssh://git@host.example/acme/esc.git@0123abcd").expect("ok");
        assert_eq!(
            (s.url.as_str(), s.kind),
            ("ssh://git@host.example/acme/esc.git", "rev")
        );
        let s = Source::parse("https://host.example/acme/esc").expect("ok");
        assert_eq!(s.git_ref, format!("v{}", env!("CARGO_PKG_VERSION")));
        let s = Source::parse("https://host.example/acme/esc@release/2026").expect("ok");
        assert_eq!((s.git_ref.as_str(), s.kind), ("release/2026", "branch"));
    }

    #[test]
    fn what_would_need_quoting_or_is_no_url_is_refused() {
        for bad in [
            "https://github.com/acme/esc;rm -rf ~",
            "https://github.com/acme/$(id)",
            "https://github.com/acme/esc'",
            "https://github.com/acme/esc\"",
            "https://github.com/acme/esc #x",
            "https://github.com/acme/e`sc`",
            "https://github.com/acme/esc@",
            "https://github.com/acme/esc@-x",
            "https://github.com/acme/esc@a..b",
            "https://github.com/",
            "github.com/acme/esc",
            "git@github.com:acme/esc",
            "-https://x/y",
            "",
        ] {
            assert!(Source::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_scaffold_has_no_placeholder_left() {
        let files = scaffold(&Source::default_for_this_build(), "trunk");
        for (rel, text) in files {
            let left = text.split('@').skip(1).any(|p| {
                let name: String = p
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                    .collect();
                name.len() > 2 && p[name.len()..].starts_with('@')
            });
            assert!(!left, "{rel} keeps a placeholder:\n{text}");
        }
    }

    #[test]
    fn the_default_is_this_repository_at_this_version() {
        let s = Source::default_for_this_build();
        assert_eq!(s.url, "https://github.com/esc-project/esc");
        assert_eq!(
            s.github_action().as_deref(),
            Some(&*format!("esc-project/esc@v{}", env!("CARGO_PKG_VERSION")))
        );
    }
}
