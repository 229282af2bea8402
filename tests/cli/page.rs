//! The page: the HTML report of the demo repository in headless Chromium, on a phone (390 px)
//! and a desktop (1280 px). Nothing is wider than the window (a wide table scrolls in its own
//! box), and no chart label falls outside its chart or the window. Skipped with a notice when
//! Chromium is missing, except under ESC_REQUIRE_TOOLS (`.ci/run` installs it and sets that).
//! `ESC_PAGE_SHOTS=DIR` keeps the screenshots (report-390.png, report-1280.png) to look at.

use super::shell::have;
use super::template_support::demo;
use std::path::Path;
use std::process::Command;

/// A page that shows the report in a frame `width` px wide (headless Chromium's window is at
/// least 500 px wide; a frame can be narrower) and, once it has loaded, writes what the frame
/// measures into the page, where `--dump-dom` finds it. The report itself has no script.
fn measuring_page(report: &str, width: u32) -> String {
    let srcdoc = report.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<!DOCTYPE html>
<html><body style="margin:0">
<iframe id="f" style="width:{width}px;height:900px;border:0" srcdoc="{srcdoc}"></iframe>
<script>
window.addEventListener('load', function () {{
  var win = document.getElementById('f').contentWindow, doc = win.document;
  var w = win.innerWidth, off = [];
  doc.querySelectorAll('svg text, h1, h2, p, li, svg').forEach(function (e) {{
    var r = e.getBoundingClientRect(), box = e.closest('svg');
    var b = box && box !== e ? box.getBoundingClientRect() : {{ left: 0, right: w }};
    if (r.left < b.left - 0.5 || r.right > Math.min(b.right, w) + 0.5) {{
      off.push(e.tagName + ' "' + (e.textContent || '').trim().slice(0, 30) + '" ' +
        Math.round(r.left) + '..' + Math.round(r.right));
    }}
  }});
  var pre = document.createElement('pre');
  pre.id = 'esc-measure';
  pre.textContent = JSON.stringify({{ inner: w, scroll: doc.documentElement.scrollWidth,
    off: off }});
  document.body.appendChild(pre);
}});
</script>
</body></html>
"#
    )
}

fn chromium(width: u32, profile: &Path, what: &[&str], url: &str) -> std::process::Output {
    Command::new("timeout")
        .args([
            "120",
            "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},900"))
        .args(what)
        .arg(url)
        .output()
        .expect("run chromium")
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn html_report_fits_a_phone_and_a_desktop_in_chromium() {
    if !have(
        "chromium",
        "html_report_fits_a_phone_and_a_desktop_in_chromium",
    ) {
        return;
    }
    let repo = demo();
    let run = repo.esc(&["report", "--week", "2026-W48", "--format", "html"]);
    run.code(0);
    let page = &run.stdout;
    assert!(
        page.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.html");
    std::fs::write(&report, page).expect("write report");
    let keep = std::env::var_os("ESC_PAGE_SHOTS").map(std::path::PathBuf::from);
    for width in [390, 1280] {
        let profile = dir.path().join(format!("profile-{width}"));
        let measured = dir.path().join(format!("measured-{width}.html"));
        std::fs::write(&measured, measuring_page(page, width)).expect("write measuring page");
        let out = chromium(
            width,
            &profile,
            &["--dump-dom"],
            &format!("file://{}", measured.display()),
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        let json = dom
            .split("<pre id=\"esc-measure\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or_else(|| {
                panic!(
                    "no measurement at {width} px:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        let m: serde_json::Value = serde_json::from_str(&json).expect("measurement JSON");
        assert_eq!(m["inner"], width, "{m}");
        assert_eq!(
            m["scroll"], m["inner"],
            "at {width} px the page is wider than the window: {m}"
        );
        assert_eq!(m["off"], serde_json::json!([]), "at {width} px: {m}");

        let shot = dir.path().join(format!("report-{width}.png"));
        let out = chromium(
            width,
            &profile,
            &[&format!("--screenshot={}", shot.display())],
            &format!("file://{}", report.display()),
        );
        let png = std::fs::read(&shot).unwrap_or_else(|_| {
            panic!(
                "no screenshot at {width} px:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert_eq!(png_size(&png), (width, 900));
        if let Some(keep) = &keep {
            std::fs::create_dir_all(keep).expect("mkdir ESC_PAGE_SHOTS");
            std::fs::write(keep.join(format!("report-{width}.png")), &png).expect("keep");
        }
    }
}
