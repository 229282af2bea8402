//! More than one watch list per escalation: `gathering.watch_list` as one entry or a list of
//! entries checks the same, a bad entry is reported at its line by its path, and every output
//! shows each list with its label and link (the entry's, else `watch_lists` in esc.yaml).

use crate::support::{TestRepo, path_for, raised_with};
use crate::template_support::{demo, replace_in};

const ID: &str = "ESC-2611-AAAA";

/// `raised` with a `gathering:` section holding `watch` (lines from line 15 on).
fn with_watch(watch: &str) -> String {
    raised_with(ID, &format!("gathering:\n{watch}"))
}

#[test]
fn one_entry_and_lists_of_entries_in_every_style_check_clean() {
    for watch in [
        "  watch_list: { list: exo-cwl, date: 2026-11-03 }\n",
        "  watch_list:\n    - list: exo-cwl\n      date: 2026-11-03\n    - list: m365-cwl\n      date: 2026-11-04\n      link: https://example.com/e/1\n",
        "  watch_list: [{ list: exo-cwl, date: 2026-11-03 }, { list: m365-cwl, date: 2026-11-04 }]\n",
        "  watch_list:\n    - { list: exo-cwl, date: 2026-11-03 }\n",
    ] {
        TestRepo::new()
            .escalation(ID, &with_watch(watch))
            .esc(&["check"])
            .code(0)
            .stdout_has(&["1 file checked, no problems"]);
    }
}

#[test]
fn a_bad_entry_in_a_list_is_reported_at_its_line_by_its_path() {
    // Line 15 `watch_list:`, 16-17 the first entry, 18 the second entry's misspelt key.
    let text = with_watch(
        "  watch_list:\n    - list: exo-cwl\n      date: 2026-11-03\n    - lst: m365-cwl\n      date: 2026-11-04\n",
    );
    let run = TestRepo::new().escalation(ID, &text).esc(&["check"]);
    run.code(1).stdout_has(&[
        &format!("{}:18:", path_for(ID)),
        "unknown key `lst` in `gathering.watch_list[1]`; did you mean `list`?",
        "`gathering.watch_list[1].list` is missing",
    ]);
    // About the list form the file uses, never "must be an object".
    run.lacks("must be an object");

    // A value no list has, in the second entry: named with its path and a suggestion.
    let text = with_watch(
        "  watch_list: [{ list: exo-cwl, date: 2026-11-03 }, { list: m365-cw, date: 2026-11-04 }]\n",
    );
    TestRepo::new()
        .escalation(ID, &text)
        .esc(&["check"])
        .code(1)
        .stdout_has(&[
            &format!("{}:15:", path_for(ID)),
            "`gathering.watch_list[1].list` must be one of",
            "did you mean `m365-cwl`?",
        ]);
}

#[test]
fn a_future_date_in_the_second_entry_is_reported() {
    // Today is 2026-11-26; the second entry's date (line 19) is in December.
    let text = with_watch(
        "  watch_list:\n    - list: exo-cwl\n      date: 2026-11-03\n    - list: m365-cwl\n      date: 2026-12-04\n",
    );
    TestRepo::new()
        .escalation(ID, &text)
        .esc(&["check"])
        .code(1)
        .stdout_has(&[
            &format!("{}:19:", path_for(ID)),
            "future-date",
            "`gathering.watch_list[1].date` is 2026-12-04, which is in the future",
        ]);
}

/// The demo's ESC-2610-7FJX is on two lists: Intune's with its own link, and the
/// Microsoft 365 list whose link comes from the demo's esc.yaml.
const INTUNE: &str = "https://watchlist.example.com/intune/2610-031";
const M365: &str = "https://aka.ms/M365CWL";

#[test]
fn every_output_shows_each_watch_list_with_its_label_and_link() {
    let repo = demo();
    repo.esc(&["status", "7FJX"]).code(0).stdout_has(&[
        &format!("the Intune Critical Watch List since 10 Oct 2026, {INTUNE} and the Microsoft 365 Critical Watch List since 14 Oct 2026, {M365}"),
    ]);
    repo.esc(&["notify", "7FJX", "stakeholders"])
        .code(0)
        .stdout_has(&[
            &format!("Watch list: Intune Critical Watch List, since 10 Oct 2026 ({INTUNE})"),
            &format!("Watch list: Microsoft 365 Critical Watch List, since 14 Oct 2026 ({M365})"),
        ]);
    repo.esc(&["notify", "7FJX", "update"])
        .code(0)
        .stdout_has(&[
            &format!("on the Intune Critical Watch List since 10 Oct 2026 ({INTUNE})"),
            &format!("on the Microsoft 365 Critical Watch List since 14 Oct 2026 ({M365})"),
        ]);
    repo.esc(&["report"]).code(0).stdout_has(&[&format!(
        "**ESC-2610-7FJX** (Northwind Traders, critical): on Intune Critical Watch List since 10 Oct 2026 ({INTUNE}) and Microsoft 365 Critical Watch List since 14 Oct 2026 ({M365})"
    )]);
    // HTML escapes the slashes of an attribute value (`&#x2f;`), which browsers read back.
    let href = M365.replace('/', "&#x2f;");
    repo.esc(&["report", "--format", "html"])
        .code(0)
        .stdout_has(&[&format!(
            "<a href=\"{href}\" style=\"color:#0969da\">Microsoft 365 Critical Watch List</a>"
        )]);
    repo.esc(&["show", "7FJX"]).code(0).stdout_has(&[
        &format!("watch list Intune Critical Watch List since 2026-10-10 ({INTUNE})"),
        &format!("           Microsoft 365 Critical Watch List since 2026-10-14 ({M365})"),
    ]);
    let shown = repo.esc(&["show", "7FJX", "--format", "json"]).json();
    let lists = &shown["watch_lists"];
    assert_eq!(lists[0]["list"], "intune-wl", "{shown}");
    assert_eq!(lists[0]["link"], INTUNE);
    assert_eq!(lists[1]["label"], "Microsoft 365 Critical Watch List");
    assert_eq!(lists[1]["link"], M365);
    // The file's own field is kept as written.
    assert_eq!(shown["gathering"]["watch_list"][1]["list"], "m365-cwl");
    assert!(shown["gathering"]["watch_list"][1].get("link").is_none());

    let listed = repo.esc(&["list", "--format", "json"]).json();
    let item = listed
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == "ESC-2610-7FJX"))
        .expect("7FJX listed");
    assert_eq!(item["watch_lists"], *lists);
    // One entry, as most samples write it, reads the same way.
    let one = listed
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == "ESC-2609-X2KP"))
        .expect("X2KP listed");
    assert_eq!(one["watch_lists"][0]["link"], "https://aka.ms/EXOCWL");
    repo.esc(&["list", "--format", "csv"]).code(0).stdout_has(&[
        ",last_update,watch_lists\n",
        &format!(",Intune Critical Watch List since 2026-10-10 ({INTUNE}); Microsoft 365 Critical Watch List since 2026-10-14 ({M365})\n"),
    ]);
}

#[test]
fn a_link_in_the_second_entry_wins_over_esc_yaml() {
    let repo = demo();
    let rel = "escalations/2026-10/ESC-2610-7FJX.md";
    replace_in(
        &repo,
        rel,
        "      date: 2026-10-14\n",
        "      date: 2026-10-14\n      link: https://example.com/m365/7\n",
    );
    repo.esc(&["status", "7FJX"])
        .code(0)
        .stdout_has(&[
            "Microsoft 365 Critical Watch List since 14 Oct 2026, https://example.com/m365/7",
        ])
        .lacks(M365);
}
