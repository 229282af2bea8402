//! The language server's framing: `Content-Length` frames read from stdin without ever
//! giving up on a bad one (lsp-server's own reader stops at the first), and written to stdout.

use lsp_server::Message;
use serde_json::Value;
use std::io::{self, BufRead, Read, Write};

/// The largest message read; a bigger one is skipped (no editor sends 64 MiB of text).
const MAX_BODY: usize = 64 << 20;
/// The longest header line read.
const MAX_HEADER: u64 = 8 << 10;

/// One frame read: a message, or what was wrong with it (the JSON-RPC error code and text).
pub enum Frame {
    Message(Message),
    Bad(i32, String),
}

/// JSON-RPC's code for text that is not JSON.
pub const PARSE_ERROR: i32 = -32700;
/// JSON-RPC's code for JSON that is not a request, response or notification.
pub const INVALID_REQUEST: i32 = -32600;

/// The next frame; `None` at the end of the input.
pub fn read(r: &mut dyn BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut header_problem: Option<String> = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        if r.take(MAX_HEADER).read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers == 0 {
                continue;
            }
            break;
        }
        headers += 1;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        header_problem = Some(format!("bad Content-Length: `{}`", value.trim()))
                    }
                }
            }
            Some(_) => {}
            None => header_problem = Some(format!("not a header: `{}`", short(text))),
        }
    }
    let Some(length) = length else {
        let why = header_problem.unwrap_or_else(|| "no Content-Length header".into());
        return Ok(Some(Frame::Bad(PARSE_ERROR, why)));
    };
    if length > MAX_BODY {
        io::copy(&mut r.take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::Bad(
            PARSE_ERROR,
            format!("a message of {length} bytes is over the limit of {MAX_BODY}"),
        )));
    }
    let mut body = vec![0; length];
    match r.read_exact(&mut body) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    Ok(Some(decode(&body)))
}

fn decode(body: &[u8]) -> Frame {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Frame::Bad(PARSE_ERROR, format!("not JSON: {e}")),
    };
    if !value.is_object() {
        return Frame::Bad(INVALID_REQUEST, "a message must be a JSON object".into());
    }
    // Read as untagged, a request with a bad id would pass for a notification.
    if value
        .get("id")
        .is_some_and(|id| !(id.is_string() || id.is_i64() || id.is_null()))
    {
        return Frame::Bad(INVALID_REQUEST, "an id must be a number or a string".into());
    }
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Frame::Message(m),
        Err(e) => Frame::Bad(
            INVALID_REQUEST,
            format!("not a JSON-RPC request, response or notification: {e}"),
        ),
    }
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Writes one message.
pub fn write(w: &mut dyn Write, message: &Message) -> io::Result<()> {
    let mut w = w;
    message.write(&mut w)
}

/// Writes the error response to a message that could not be read (its id is unknown: null).
pub fn write_bad(w: &mut dyn Write, code: i32, message: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code, "message": message},
    })
    .to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Result<String, i32>> {
        let mut r = input.as_bytes();
        let mut out = Vec::new();
        while let Some(f) = read(&mut r).expect("read") {
            out.push(match f {
                Frame::Message(Message::Request(q)) => Ok(q.method),
                Frame::Message(Message::Notification(n)) => Ok(n.method),
                Frame::Message(Message::Response(_)) => Ok("response".into()),
                Frame::Bad(code, _) => Err(code),
            });
        }
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_reported_and_reading_goes_on() {
        let good = frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let input = [
            frame("{not json"),
            frame("[1,2]"),
            frame(r#"{"jsonrpc":"2.0","id":true,"method":"x"}"#),
            "garbage line\r\n".to_string() + &good,
            "Content-Length: x\r\n\r\n".into(),
            good.clone(),
            "Content-Length: 999999999999\r\n\r\n".into(),
        ]
        .concat();
        assert_eq!(
            frames(&input),
            [
                Err(PARSE_ERROR),
                Err(INVALID_REQUEST),
                Err(INVALID_REQUEST),
                Ok("initialized".into()),
                Err(PARSE_ERROR),
                Ok("initialized".into()),
                Err(PARSE_ERROR),
            ]
        );
    }

    #[test]
    fn a_truncated_body_is_the_end() {
        assert!(frames("Content-Length: 10\r\n\r\n{}").is_empty());
    }
}
