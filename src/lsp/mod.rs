//! `esc lsp`: a language server on stdin and stdout for escalation files and `esc.yaml`.
//! Problems as the user types, completion, hover and "did you mean" fixes, from the same
//! rules `esc check` uses. One thread, synchronous; a bad message is answered, never fatal.

mod complete;
mod context;
mod diagnose;
mod text;
mod wire;

use crate::error::{Error, Result};
use crate::rules::config::FILE;
use crate::store::workspace::{ESCALATIONS, Workspace, find_root};
use chrono::NaiveDate;
use diagnose::Problem;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::Uri;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// An open document.
struct Open {
    uri: Uri,
    version: i32,
    text: String,
    /// Its repository's root, when it is in one.
    root: Option<PathBuf>,
    kind: Kind,
    problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// An escalation, with its path in the repository.
    Escalation(String),
    Config,
    Other,
}

struct Server<'a> {
    today: Option<NaiveDate>,
    out: &'a mut dyn Write,
    docs: HashMap<String, Open>,
    spaces: HashMap<PathBuf, Workspace>,
    initialized: bool,
    shutdown: bool,
}

/// Serves until `exit` (or the end of the input); the exit code is 0 after a `shutdown`,
/// else 1, as the protocol asks.
pub fn serve(today: Option<NaiveDate>, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<u8> {
    let mut server = Server {
        today,
        out,
        docs: HashMap::new(),
        spaces: HashMap::new(),
        initialized: false,
        shutdown: false,
    };
    let io = |e| Error::io("stdio", e);
    loop {
        match wire::read(input).map_err(io)? {
            None => return Ok(u8::from(!server.shutdown)),
            Some(wire::Frame::Bad(code, why)) => {
                eprintln!("esc lsp: {why}");
                wire::write_bad(server.out, code, &why).map_err(io)?;
            }
            Some(wire::Frame::Message(Message::Notification(n))) if n.method == "exit" => {
                return Ok(u8::from(!server.shutdown));
            }
            Some(wire::Frame::Message(m)) => {
                // A bug must cost one answer, not the editor's session.
                let request = match &m {
                    Message::Request(r) => Some(r.id.clone()),
                    _ => None,
                };
                let handled =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.handle(m)));
                match handled {
                    Ok(r) => r.map_err(io)?,
                    Err(_) => {
                        if let Some(id) = request {
                            let e = ErrorCode::InternalError as i32;
                            server
                                .send(
                                    Response::new_err(
                                        id,
                                        e,
                                        "esc lsp failed on this request".into(),
                                    )
                                    .into(),
                                )
                                .map_err(io)?;
                        }
                    }
                }
            }
        }
    }
}

type Reply = std::result::Result<Value, (ErrorCode, String)>;

impl Server<'_> {
    fn send(&mut self, m: Message) -> std::io::Result<()> {
        wire::write(self.out, &m)
    }

    fn handle(&mut self, m: Message) -> std::io::Result<()> {
        match m {
            Message::Request(r) => {
                let id = r.id.clone();
                let reply = self.request(r);
                let response = match reply {
                    Ok(v) => Response::new_ok(id, v),
                    Err((code, text)) => Response::new_err(id, code as i32, text),
                };
                self.send(response.into())
            }
            Message::Notification(n) => self.notification(n),
            Message::Response(_) => Ok(()),
        }
    }

    fn request(&mut self, r: Request) -> Reply {
        if r.method == "initialize" {
            self.initialized = true;
            return Ok(capabilities());
        }
        if !self.initialized {
            return Err((ErrorCode::ServerNotInitialized, "initialize first".into()));
        }
        if self.shutdown {
            return Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            ));
        }
        match r.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(r.params)?;
                let at = p.text_document_position;
                Ok(self.completion(&at.text_document.uri, at.position))
            }
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = params(r.params)?;
                let at = p.text_document_position_params;
                Ok(self.hover(&at.text_document.uri, at.position))
            }
            "textDocument/codeAction" => {
                let p: lsp_types::CodeActionParams = params(r.params)?;
                Ok(self.code_actions(&p.text_document.uri, p.range))
            }
            m => Err((
                ErrorCode::MethodNotFound,
                format!("esc lsp does not handle `{m}`"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) -> std::io::Result<()> {
        if !self.initialized || self.shutdown {
            return Ok(());
        }
        let bad = |e: (ErrorCode, String)| eprintln!("esc lsp: {}: {}", n.method, e.1);
        match n.method.as_str() {
            "textDocument/didOpen" => {
                match params::<lsp_types::DidOpenTextDocumentParams>(n.params.clone()) {
                    Ok(p) => {
                        let d = p.text_document;
                        self.open(d.uri, d.version, d.text)?;
                    }
                    Err(e) => bad(e),
                }
            }
            "textDocument/didChange" => {
                match params::<lsp_types::DidChangeTextDocumentParams>(n.params.clone()) {
                    Ok(p) => {
                        // Full sync: the last change is the whole text.
                        if let Some(c) = p.content_changes.into_iter().last() {
                            let d = p.text_document;
                            self.open(d.uri, d.version, c.text)?;
                        }
                    }
                    Err(e) => bad(e),
                }
            }
            "textDocument/didSave" => {
                match params::<lsp_types::DidSaveTextDocumentParams>(n.params.clone()) {
                    Ok(p) => self.saved(&p.text_document.uri)?,
                    Err(e) => bad(e),
                }
            }
            "textDocument/didClose" => {
                match params::<lsp_types::DidCloseTextDocumentParams>(n.params.clone()) {
                    Ok(p) => {
                        if let Some(d) = self.docs.remove(p.text_document.uri.as_str()) {
                            self.publish_list(&d.uri, None, Vec::new())?;
                        }
                    }
                    Err(e) => bad(e),
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A document opened or changed: remember it, check it, publish its problems.
    fn open(&mut self, uri: Uri, version: i32, text: String) -> std::io::Result<()> {
        let path = text::path_of(uri.as_str());
        let root = path.as_deref().and_then(|p| self.space_for(p));
        let kind = match (&path, &root) {
            (Some(p), Some(r)) => kind_of(p, r),
            _ => Kind::Other,
        };
        let key = uri.as_str().to_string();
        self.docs.insert(
            key.clone(),
            Open {
                uri,
                version,
                text,
                root: root.clone(),
                kind: kind.clone(),
                problems: Vec::new(),
            },
        );
        if kind == Kind::Config
            && let Some(root) = &root
        {
            // The config being typed is the config: re-check the escalations open with it.
            self.recheck_config(root);
            return self.publish_root(root);
        }
        self.check(&key);
        self.publish(&key)
    }

    fn saved(&mut self, uri: &Uri) -> std::io::Result<()> {
        let Some(doc) = self.docs.get(uri.as_str()) else {
            return Ok(());
        };
        let Some(root) = doc.root.clone() else {
            return Ok(());
        };
        let rel = text::path_of(uri.as_str())
            .and_then(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf));
        let reload = rel.is_some_and(|r| r == Path::new(FILE) || r.starts_with("schemas"));
        if reload {
            match Workspace::open_lenient(&root) {
                Ok((ws, _)) => {
                    self.spaces.insert(root.clone(), ws);
                }
                Err(e) => eprintln!("esc lsp: {e}"),
            }
            self.recheck_config(&root);
            return self.publish_root(&root);
        }
        Ok(())
    }

    /// Applies the open `esc.yaml` of `root` (when it is valid) and checks it.
    fn recheck_config(&mut self, root: &Path) {
        let Some((key, text)) = self
            .docs
            .iter()
            .find(|(_, d)| d.root.as_deref() == Some(root) && d.kind == Kind::Config)
            .map(|(k, d)| (k.clone(), d.text.clone()))
        else {
            return;
        };
        let Some(ws) = self.spaces.get_mut(root) else {
            return;
        };
        let (problems, config) = diagnose::config(ws, &text);
        if let Some(c) = config {
            ws.config = c;
        }
        if let Some(d) = self.docs.get_mut(&key) {
            d.problems = problems;
        }
    }

    /// Checks every open escalation of `root` again and publishes every open file's problems.
    fn publish_root(&mut self, root: &Path) -> std::io::Result<()> {
        let keys: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.root.as_deref() == Some(root))
            .map(|(k, _)| k.clone())
            .collect();
        for k in &keys {
            self.check(k);
            self.publish(k)?;
        }
        Ok(())
    }

    /// Computes the problems of an open escalation.
    fn check(&mut self, key: &str) {
        let Some(d) = self.docs.get(key) else { return };
        let (Kind::Escalation(rel), Some(root)) = (&d.kind, &d.root) else {
            return;
        };
        let Some(ws) = self.spaces.get(root) else {
            return;
        };
        let today = ws.config.today(self.today);
        let problems = diagnose::escalation(ws, rel, &d.text, today);
        if let Some(d) = self.docs.get_mut(key) {
            d.problems = problems;
        }
    }

    fn publish(&mut self, key: &str) -> std::io::Result<()> {
        let Some(d) = self.docs.get(key) else {
            return Ok(());
        };
        let (uri, version) = (d.uri.clone(), d.version);
        let list = d.problems.iter().map(|p| p.diagnostic.clone()).collect();
        self.publish_list(&uri, Some(version), list)
    }

    fn publish_list(
        &mut self,
        uri: &Uri,
        version: Option<i32>,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> std::io::Result<()> {
        let p = lsp_types::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), p).into())
    }

    /// The root of the repository `path` is in, its workspace loaded; none outside one.
    fn space_for(&mut self, path: &Path) -> Option<PathBuf> {
        // A new file's folder may not exist yet: start from the nearest one that does.
        let dir = path.ancestors().skip(1).find(|d| d.is_dir())?;
        let root = find_root(dir).ok()?;
        if !self.spaces.contains_key(&root) {
            match Workspace::open_lenient(&root) {
                Ok((ws, _)) => {
                    self.spaces.insert(root.clone(), ws);
                }
                Err(e) => {
                    eprintln!("esc lsp: {e}");
                    return None;
                }
            }
        }
        Some(root)
    }

    fn doc_and_space(&self, uri: &Uri) -> Option<(&Open, &Workspace)> {
        let d = self.docs.get(uri.as_str())?;
        let ws = self.spaces.get(d.root.as_ref()?)?;
        matches!(d.kind, Kind::Escalation(_)).then_some((d, ws))
    }

    fn completion(&self, uri: &Uri, at: lsp_types::Position) -> Value {
        let Some((d, ws)) = self.doc_and_space(uri) else {
            return Value::Null;
        };
        let line = at.line as usize;
        let col = text::char_index(text::line(&d.text, line), at.character);
        json!(complete::complete(ws, &d.text, line, col))
    }

    fn hover(&self, uri: &Uri, at: lsp_types::Position) -> Value {
        let Some((d, ws)) = self.doc_and_space(uri) else {
            return Value::Null;
        };
        let rel = match &d.kind {
            Kind::Escalation(r) => r.as_str(),
            _ => "",
        };
        match complete::hover(ws, rel, &d.text, at.line as usize) {
            Some(value) => json!(lsp_types::Hover {
                contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                    kind: lsp_types::MarkupKind::Markdown,
                    value,
                }),
                range: None,
            }),
            None => Value::Null,
        }
    }

    /// A quickfix for each "did you mean" problem that touches `range`.
    fn code_actions(&self, uri: &Uri, range: lsp_types::Range) -> Value {
        let Some(d) = self.docs.get(uri.as_str()) else {
            return json!([]);
        };
        let touches = |r: &lsp_types::Range| r.start <= range.end && range.start <= r.end;
        let actions: Vec<lsp_types::CodeActionOrCommand> = d
            .problems
            .iter()
            .filter(|p| touches(&p.diagnostic.range))
            .filter_map(|p| {
                let fix = p.fix.as_ref()?;
                let edit = lsp_types::TextEdit {
                    range: p.diagnostic.range,
                    new_text: fix.clone(),
                };
                Some(lsp_types::CodeActionOrCommand::CodeAction(
                    lsp_types::CodeAction {
                        title: format!("Replace with `{fix}`"),
                        kind: Some(lsp_types::CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![p.diagnostic.clone()]),
                        edit: Some(lsp_types::WorkspaceEdit {
                            changes: Some(HashMap::from([(d.uri.clone(), vec![edit])])),
                            ..Default::default()
                        }),
                        is_preferred: Some(true),
                        ..Default::default()
                    },
                ))
            })
            .collect();
        json!(actions)
    }
}

/// What a file of the repository at `root` is to esc.
fn kind_of(path: &Path, root: &Path) -> Kind {
    let canonical = path
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| Some(p.join(path.file_name()?)));
    let rel = canonical
        .as_deref()
        .and_then(|p| p.strip_prefix(root).ok())
        .or_else(|| path.strip_prefix(root).ok());
    let Some(rel) = rel else { return Kind::Other };
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if rel == FILE {
        Kind::Config
    } else if rel.starts_with(&format!("{ESCALATIONS}/")) && rel.ends_with(".md") {
        Kind::Escalation(rel)
    } else {
        Kind::Other
    }
}

fn params<P: serde::de::DeserializeOwned>(v: Value) -> std::result::Result<P, (ErrorCode, String)> {
    serde_json::from_value(v).map_err(|e| (ErrorCode::InvalidParams, format!("bad params: {e}")))
}

fn capabilities() -> Value {
    use lsp_types::*;
    let caps = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "-".into()]),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        ..Default::default()
    };
    json!({
        "capabilities": caps,
        "serverInfo": {"name": "esc", "version": env!("CARGO_PKG_VERSION")},
    })
}
