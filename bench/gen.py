#!/usr/bin/env python3
"""Generate a synthetic escalation repository at organisation scale, for benchmarks.

    python3 bench/gen.py OUT_DIR [--escalations N] [--commits N] [--defects F] [--seed S]
                         [--id-prefix P] [--timezone TZ] [--schema PATH] [--manifest PATH]

OUT_DIR             created (must not exist or be empty): a git repository on branch `main` with
                    `schemas/escalation.schema.json` (a copy of this repository's), a README, and
                    `escalations/YYYY-MM/ID.md`, checked out.
--escalations N     number of escalation files (default 10000).
--commits N         history length (default 0). 0 or 1: one commit of everything. N >= 2: exactly N
                    commits on `main` (first-parent line plus merged side branches), written with
                    `git fast-import`: an initial commit (schema, README), then escalations raised
                    over ~2 years ending 2026-11-26 (the commit that adds a file has it at `step:
                    raised`) and edited step by step (forward moves, some several steps at once,
                    some moves back with a `step_reason`, rare reopenings; fields filled, meetings,
                    actions and notes added). Some commits touch several escalations. About 1 commit
                    in 40 is a merge (`--no-ff` style, two parents) of a side branch of 1-3 commits,
                    sometimes with unrelated commits on main in between. Commit dates increase;
                    a handful of authors in three time zones. Messages carry trailers:
                    `Escalation: ID` for each escalation changed, plus `Step: to` and `From-Step:
                    from` when its step changed and `Reason: ...` on a move back or a reopening.
                    Every file version in the history is valid for its step. The final tree is the
                    same as with --commits 0 for the same seed, except when N is larger than the
                    number of natural edits (about 12 per escalation): then the extra commits add
                    dated note lines to the bodies.
--defects F         fraction of files (0.0-1.0, default 0.0) that get exactly one realistic defect
                    each, in their final version: a missing guard field, a bad enum value, an
                    impossible date (2026-02-30), an unknown key, an unquoted numeric ticket, or a
                    date in the future. Without defects every file passes `esc check --today
                    2026-11-26` and the peers in ../shared/peers.
--seed S            random seed (default 1). Same arguments, same bytes, same commit ids.
--id-prefix P       ids `ESC-P-YYMM-XXXX` (P: an upper-case letter, then up to 7 upper-case letters
                    or digits), and `id_prefix: P` in an `esc.yaml` of the first commit: the
                    repositories of one organisation (`esc report --repo`) have ids unique across
                    them. Without it, ids are `ESC-YYMM-XXXX` and there is no `esc.yaml`.
--timezone TZ       `timezone: TZ` in that `esc.yaml` (an IANA zone such as Asia/Tokyo).
--schema PATH       schema to copy (default: schemas/escalation.schema.json next to bench/).
--manifest PATH     write `path<TAB>defect` for every defective file to PATH.

The files look like the samples in escalations/: all seven steps (40% closed: resolved, withdrawn,
duplicate), ~3 KB on average, comments, flow and block styles, folded descriptions, quoted
tickets, `x-` keys and `extra:`, a Markdown body of notes, meeting minutes and links. They satisfy
the schema and esc's semantic rules: dates in order (occurred <= raised <= validated <= notified
<= resolved), nothing after 2026-11-26 except action due dates, id = file name, unique
`ESC-YYMM-XXXX` ids in Crockford base32, no open actions on a resolved escalation, and
critical/high escalations owned by an architect always notify, and escalations raised by
`slt-executive` are owned by an architect (`owner_role: architect`).

Python 3 standard library only. Memory stays low: the fast-import stream is written as it is
produced and each file version is rebuilt from a per-escalation seed when it is needed.
"""

import argparse
import calendar
import datetime as dt
import random
import re
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

TODAY = dt.date(2026, 11, 26)
START = dt.date(2024, 11, 27)
TODAY_O = TODAY.toordinal()
START_O = START.toordinal()
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STEPS = ["raised", "gathering", "validation", "stakeholders", "management", "resolution", "closed"]
RANK = {s: i for i, s in enumerate(STEPS)}
# Moves back the embedded process allows (src/rules/process.yaml).
BACK = {
    "validation": ["gathering"],
    "stakeholders": ["validation", "gathering"],
    "management": ["stakeholders", "validation"],
    "resolution": ["management"],
}
FINAL_MIX = [  # final step of an escalation: 40% closed
    ("raised", 6), ("gathering", 10), ("validation", 10), ("stakeholders", 8),
    ("management", 14), ("resolution", 12), ("closed", 40),
]
OUTCOME_MIX = [("resolved", 70), ("withdrawn", 18), ("duplicate", 12)]
CLOSE_FROM_MIX = [  # the step a withdrawn or duplicate escalation closes from
    ("raised", 25), ("gathering", 30), ("validation", 20), ("stakeholders", 10),
    ("management", 10), ("resolution", 5),
]

# The owners are the commit authors: name, e-mail user, role, time zone (minutes east of UTC).
AUTHORS = [
    ("Dana Whitfield", "dana.whitfield", "architect", 0),
    ("Sam Ortiz", "sam.ortiz", "architect", -300),
    ("Joana Pires", "joana.pires", "manager-health", 0),
    ("Irene Novak", "irene.novak", "architect", 60),
    ("Lukas Brandt", "lukas.brandt", "manager-health", 60),
    ("Maya Cohen", "maya.cohen", "architect", -300),
    ("Omar Haddad", "omar.haddad", "architect", 60),
]
TZ_PEERS = [[j for j, b in enumerate(AUTHORS) if b[3] == a[3]] for a in AUTHORS]
FIRST = ["Ana", "Ben", "Chloe", "Daniel", "Elena", "Farah", "Grace", "Helen", "Ivan", "Jonas", "Kara",
         "Leah", "Marco", "Nadia", "Oscar", "Paul", "Quinn", "Rita", "Sofia", "Tom", "Uma", "Victor",
         "Wei", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri", "Emeka", "Fatima", "Gustav",
         "Hiro", "Ingrid", "Jamal", "Kenji", "Lars", "Mia", "Noah", "Olga", "Priya", "Rui", "Sven",
         "Tariq", "Vera", "Lukas", "Marcus", "Noor", "Pedro", "Sara"]
LAST = ["Silva", "Berg", "Martin", "Okafor", "Petrova", "Khan", "Kim", "Brooks", "Ivanov", "Lindqvist",
        "Meyer", "Novak", "Rossi", "Haddad", "Costa", "Fischer", "Gomez", "Chen", "Larsen", "Walsh",
        "Bello", "Raman", "Sato", "Ames", "Lee", "Meier", "Dubois", "Nakamura", "Schmidt", "Yilmaz",
        "Andersen", "Moreau", "Kowalski", "Jensen", "Ferreira", "Tanaka", "Nielsen", "Ortega",
        "Popescu", "Santos"]
CUSTOMER_BASE = ["Contoso", "Fabrikam", "Northwind Traders", "Tailspin Toys", "Woodgrove Bank",
                 "Litware", "Adventure Works", "Alpine Ski House", "Wide World Importers", "Proseware",
                 "Lucerne Publishing", "Margie's Travel", "Relecloud", "Trey Research", "Fourth Coffee",
                 "Coho Winery", "Humongous Insurance", "Blue Yonder Airlines", "City Power & Light",
                 "A. Datum", "Lamna Healthcare", "Nod Publishers", "Southridge Video",
                 "Tailwind Traders", "VanArsdel", "Wingtip Toys", "Bellows College",
                 "Consolidated Messenger", "First Up Consultants", "Graphic Design Institute",
                 "Baldwin Museum of Science", "School of Fine Art", "Alpine Logistics", "Cronus"]
CUSTOMER_SUFFIX = ["Ltd", "Inc", "GmbH", "AG", "SA", "BV", "Group", "Holdings", "plc", "Corp"]
SEGMENTS = [("S500", 40), ("S1500", 35), ("S150", 10), ("S5000", 15)]
SOURCES = [("account-team", 20), ("tam", 15), ("customer", 14), ("fasttrack-engineer", 12),
           ("fasttrack-manager", 9), ("ttp", 8), ("gethelp", 8), ("rfa-process", 6),
           ("slt-executive", 5), ("other", 3)]
SOURCE_DETAIL = [
    "Escalated by the customer's migration partner through the FastTrack partner mailbox.",
    "Raised in the quarterly business review by the customer's CIO, not through a channel.",
    "Came from a Microsoft Store business consultant who is working with the customer.",
    "Forwarded by the regional compliance team after the customer's audit finding.",
]
SEVERITY = [("critical", 10), ("high", 30), ("medium", 40), ("low", 20)]
PHASES = ["planning", "onboarding", "deployment", "migration", "adoption", "steady-state"]
CADENCE = [("daily", 15), ("twice-weekly", 25), ("weekly", 40), ("biweekly", 12), ("monthly", 8)]
WATCH = ["m365-cwl", "m365-proactive", "m365-high-touch", "exo-cwl", "intune-wl", "spo-cwl",
         "sfb-wl", "ttp"]
SERVICES = {
    "exchange-online": ("Exchange Online", ["mailbox migration", "hybrid mail flow",
                        "free/busy lookups", "shared mailbox access", "mobile mail sync",
                        "public folder migration"], "exo-cwl"),
    "sharepoint-online": ("SharePoint Online", ["file share migration", "site provisioning",
                          "search indexing", "permission inheritance", "hub site navigation"],
                          "spo-cwl"),
    "onedrive": ("OneDrive", ["Known Folder Move", "sync client rollout", "file restore",
                 "storage quota increase"], "spo-cwl"),
    "teams": ("Teams", ["meeting audio", "Teams Rooms enrollment", "Direct Routing calls",
              "channel file access", "guest access", "town hall broadcasts"], "m365-cwl"),
    "intune": ("Intune", ["device compliance", "app deployment", "iOS enrollment",
               "configuration profile rollout", "Windows update rings"], "intune-wl"),
    "entra-id": ("Entra ID", ["Conditional Access rollout", "MFA registration",
                 "cross-tenant sync", "B2B invitations", "password writeback"], "m365-high-touch"),
    "windows-autopilot": ("Windows Autopilot", ["pre-provisioning", "ESP device setup",
                          "hybrid join"], "intune-wl"),
    "skype-for-business": ("Skype for Business", ["upgrade to Teams", "federation with partners"],
                           "sfb-wl"),
    "purview": ("Purview", ["sensitivity label rollout", "DLP policy tuning",
                "retention policy migration", "eDiscovery holds"], "m365-proactive"),
    "defender-for-office": ("Defender for Office 365", ["Safe Links rewriting",
                            "quarantine release", "attack simulation campaign"], "m365-cwl"),
    "power-platform": ("Power Platform", ["environment migration", "DLP connector policy",
                       "Dataverse capacity"], "m365-proactive"),
    "viva-engage": ("Viva Engage", ["network migration", "community provisioning"], "ttp"),
    "windows-365": ("Windows 365", ["Cloud PC provisioning", "network connection checks"],
                    "m365-cwl"),
}
SERVICE_KEYS = list(SERVICES)
SYMPTOMS = ["stalled at {pct}%", "failing for {group}", "blocked by throttling",
            "timing out for {group}", "not starting after the cut-over",
            "failing after certificate renewal", "locking out {group}",
            "degraded since the {month} change window", "far behind plan for {group}",
            "rejected by the new tenant policy", "broken for {group} after the upgrade"]
GROUPS = ["the finance team", "the Lisbon office", "{n} field engineers", "store laptops",
          "contact center agents", "the design team", "the Paris branch", "{n} executives",
          "new hires", "the research labs", "warehouse staff", "frontline workers",
          "the legal department", "the Singapore office", "{n} nurses", "the call center",
          "the retail branches", "{n} sales reps", "the plant in Monterrey", "shared devices"]
IMPACTS = [
    "About {n} users cannot work normally and the go-live planned for {date} is at risk.",
    "{n} of {m} users are affected; the business has a manual workaround that does not scale.",
    "The project is paused until this is fixed; the next wave ({n} users) cannot start.",
    "Leadership asked for daily updates; the rollout is {pct}% complete and stuck there.",
    "The customer's change board froze further changes until the cause is known.",
    "Support has collected logs twice without a root cause, and the customer is losing confidence.",
]
CONTEXT = [
    "It started the day the rollout reached {site}.",
    "Nothing changed on the Microsoft side that week according to the service health history.",
    "The customer's network team changed the proxy configuration the same week.",
    "A pilot of {k} users worked without problems in {month}.",
    "The partner running the project escalated after two weeks without progress on the ticket.",
    "Other tenants in the region do not report the same behaviour.",
]
SITES = ["Lisbon", "Porto", "Madrid", "Lyon", "Munich", "Leeds", "Dublin", "Austin", "Denver",
         "Toronto", "Osaka", "Pune", "Krakow", "Gothenburg", "Monterrey", "Cape Town"]
ROLES = ["IT lead", "messaging lead", "workplace lead", "identity lead", "infrastructure manager",
         "project manager", "end-user computing lead", "collaboration manager", "CISO office",
         "service owner"]
OUTCOMES = [
    "{subj_cap} back on plan by {date}, with failures below {pct}%.",
    "All affected users working normally before the {month} freeze.",
    "Root cause identified and fixed, and the remaining waves scheduled.",
    "A supported configuration agreed and rolled out to {group}.",
]
PROCEDURES = [
    "Support engineer owns the ticket; architect runs a weekly review with the product group.",
    "Daily triage with support; customer collects logs; PG reviews them twice a week.",
    "Customer applies the workaround now; FastTrack engineer validates the fix in a pilot.",
    "Partner drives the remediation; FastTrack tracks it in the weekly status call.",
]
RATIONALE = [
    "Severity is low and a workaround is in place; no executive visibility, so no CXP notice.",
    "Owned by Manager Health with a workaround agreed; the severity policy does not ask for a notice.",
    "Medium severity, customer satisfied with the plan; will notify if the date slips.",
]
BRIEFS = [
    "{subj_cap} fails because of a configuration on the customer side; fix planned in waves.",
    "Product group confirmed a service-side defect; hotfix deployed to the tenant.",
    "Throttling at the source slows {subj}; batches re-planned for nights and weekends.",
    "A policy rolled out too broadly caused the failures; scoped back and re-applied.",
]
ACTIONS = ["Collect diagnostics from {k} affected devices", "Ship the hotfix to the tenant",
           "Re-run the failed batches", "Update the runbook with the new check",
           "Confirm the vendor release date", "Scope the policy to a pilot group",
           "Share the network guidance with {site}", "Review the throttling limits with support",
           "Schedule the remaining waves", "Brief the service desk on the workaround",
           "Validate the fix with {k} users", "Clean up the temporary exclusion group"]
ACTION_OWNERS = ["customer", "support", "product group", "partner", "FastTrack engineer"]
MEETING_SUMMARIES = [
    "Reviewed the logs and agreed the next diagnostics to collect.",
    "Product group confirmed the cause and committed to a fix date.",
    "Walked the customer through the recovery plan; they accept the revised dates.",
    "Agreed the workaround and who communicates it to the affected users.",
    "Checked progress on the open actions; two are late on the customer side.",
    "Executive sponsor asked for a weekly written update until the rollout is back on plan.",
]
NOTES = [
    "Raised after the customer's weekly project call; the customer asked for FastTrack help directly.",
    "The support ticket has been open for {k} days with three engineers; no root cause yet.",
    "Customer shared the change log for {month}: no change on their side in the week it started.",
    "Same symptom seen at another customer last quarter; that one was fixed by a policy change.",
    "Logs uploaded to the support case workspace; the PG has access.",
    "The customer's partner joins the calls from now on; they run the migration tooling.",
    "Workaround in place for the most affected users; it does not scale beyond {k} people.",
    "The go-live date is contractual; any slip needs a change request on the customer side.",
    "Pilot group of {k} users moved to the fixed configuration; no failures since.",
    "Service health history checked: no incident in the region for the period.",
]
MINUTES = [
    "Went through the timeline with the customer. Logs show the failures start within minutes of "
    "the change; support will reproduce in a lab tenant.",
    "PG reviewed the traces: the behaviour is by design at this scale. Customer will split the "
    "work into smaller batches and run them at night.",
    "Customer confirmed the impact and agreed the expected outcome. Next call in a week with the "
    "partner present.",
    "Status reviewed against the plan: {k} of the affected users are back to normal. Remaining "
    "actions are on the customer side.",
    "Hotfix validated on the pilot group. Rollout to everyone planned for the next change window.",
    "Sponsor asked for the risk entry to stay until the last wave is done. Agreed.",
]
REASONS_BACK = [
    "The customer does not recognise the issue as described; gathering the details again.",
    "Validation was done with the wrong contact; the customer's lead wants to confirm it himself.",
    "The fix did not hold: failures came back after the second wave, so back to managing it.",
    "New information from the customer: more services are affected than first gathered.",
    "The stakeholder decision was taken before the severity changed; it must be taken again.",
]
REOPEN_REASONS = [
    "Reopened: the failures came back three weeks after the fix on the remaining sites.",
    "Reopened at the customer's request: the confirmation did not cover the second region.",
]
WITHDRAWN = [
    "The cause was on the customer side and is fixed; the customer withdrew the escalation.",
    "Not an escalation: the customer's partner had not applied the documented configuration.",
    "The customer postponed the project to next year; nothing to escalate until then.",
    "Handled through the normal support process after the ticket was re-prioritised.",
]
RISK_UPDATE = [
    "Risk/Watch note updated with the resolution; entry removed from the watch list.",
    "Risk section of the Enterprise Status updated on closing; no watch-list entry remains.",
]
FIRST_CONTACT = [
    "The owner called the customer the same afternoon to hear the problem first hand.",
    "The customer's lead shared screenshots of the error and the list of affected users.",
    "The support ticket was opened {k} days earlier and is still waiting for logs.",
    "The partner confirmed that the configuration follows the published guidance.",
    "The pilot of {k} users scheduled for next week is on hold until this is understood.",
    "The customer wants a daily update until there is a plan with dates.",
    "No change freeze on the customer side, so a fix can be applied at short notice.",
]
LINKS = ["Support case workspace (logs uploaded by the customer)",
         "Customer project plan (customer SharePoint, Project > Plan.xlsx)",
         "Service health history export for the period",
         "Network assessment report (project SharePoint, Assessments)",
         "Runbook section on the failing step (customer wiki)",
         "Weekly status deck (FastTrack Teams channel, Files > Status)"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


class D(int):
    """A day offset from the raising date; turned into YYYY-MM-DD when the plan is anchored."""


def ri(rng, a, b=None):
    """rng.randrange(a, b), faster."""
    if b is None:
        a, b = 0, a
    return a + int(rng.random() * (b - a))


def ch(rng, seq):
    """rng.choice(seq), faster."""
    return seq[int(rng.random() * len(seq))]


def wchoice(rng, table):
    total = sum(w for _, w in table)
    x = rng.random() * total
    for v, w in table:
        x -= w
        if x < 0:
            return v
    return table[-1][0]


@lru_cache(maxsize=4096)
def dstr(o):
    return dt.date.fromordinal(o).isoformat()


RESERVED = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}
NUMLIKE = re.compile(r"[-+.]?[0-9][0-9_.:eExXoObB+-]*$")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@lru_cache(maxsize=1 << 16)
def q(s, flow=False):
    """A YAML scalar: plain when that is safe, double-quoted otherwise."""
    if DATE.match(s):
        return s
    if (not s or s != s.strip() or s[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in s or " #" in s
            or s.endswith(":") or "\n" in s or "\t" in s or s.lower() in RESERVED
            or NUMLIKE.match(s) or (flow and any(c in s for c in ",[]{}:"))):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


@lru_cache(maxsize=1 << 16)
def wrap(text, width):
    lines, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return tuple(lines)


# ---------------------------------------------------------------------------------------------
# One escalation's plan: the micro-events of its life, each a list of edits to the front matter
# and body, with a day, a step move and an author.


def person(rng, domain="example.com"):
    f, l = ch(rng, FIRST), ch(rng, LAST)
    return f"{f} {l}", f"{f} {l} <{f.lower()}.{l.lower()}@{domain}>"


def minutes(rng):
    a, b = rng.sample(MINUTES, 2)
    return fmt(rng, f"{a} {b}")


FIELDS = {
    "n": lambda rng: f"{ri(rng, 2, 60) * 50:,}",
    "m": lambda rng: f"{ri(rng, 61, 200) * 50:,}",
    "k": lambda rng: ri(rng, 3, 40),
    "pct": lambda rng: ri(rng, 10, 95),
    "group": lambda rng: fmt_group(rng),
    "month": lambda rng: ch(rng, MONTHS),
    "site": lambda rng: ch(rng, SITES),
}


@lru_cache(maxsize=None)
def fields_of(template):
    return tuple(f for f in FIELDS if "{" + f + "}" in template)


def fmt(rng, template, **kw):
    """`template` with its {n}, {k}, {group}... filled at random, and `kw`."""
    for f in fields_of(template):
        kw[f] = FIELDS[f](rng)
    return template.format(**kw) if kw else template


def fmt_group(rng):
    g = ch(rng, GROUPS)
    return g.replace("{n}", f"{ri(rng, 2, 40) * 25:,}")


def build(seed, i, esc_id, dup_of, extra):
    """The plan of escalation `i`: deterministic in (seed, i); `extra` note events added."""
    rng = random.Random(f"{seed}:{i}")
    final = wchoice(rng, FINAL_MIX)
    outcome = wchoice(rng, OUTCOME_MIX) if final == "closed" else None
    target = "resolution" if outcome == "resolved" else (
        wchoice(rng, CLOSE_FROM_MIX) if outcome else final)
    # ~10% of open escalations end moved back: they went one step further first.
    back_final = None
    if outcome is None and target in ("gathering", "validation", "stakeholders", "management") \
            and rng.random() < 0.10:
        ups = [s for s, bs in BACK.items() if target in bs]
        up = ch(rng, ups)
        back_final, target = target, up

    owner_ix = ri(rng, len(AUTHORS))
    oname, ouser, orole, _ = AUTHORS[owner_ix]
    owner = f"{oname} <{ouser}@example.com>"
    cust_base = ch(rng, CUSTOMER_BASE)
    customer = f"{cust_base} {ch(rng, CUSTOMER_SUFFIX)}"
    domain = re.sub(r"[^a-z]", "", cust_base.lower()) + ".example"
    services = rng.sample(SERVICE_KEYS, ch(rng, [1, 1, 1, 2, 2, 3]))
    label, subjects, watch = SERVICES[services[0]]
    subj = ch(rng, subjects)
    subj_cap = subj[0].upper() + subj[1:] if subj[1:2].islower() else subj
    title = f"{label} {subj} {fmt(rng, ch(rng, SYMPTOMS))}"
    cname, contact = person(rng, domain)
    severity = wchoice(rng, SEVERITY)
    ticket = f"{ri(rng, 10**15, 10**16)}"

    style = {
        "raised_flow": rng.random() < 0.5,
        "contacts_flow": rng.random() < 0.4,
        "watch_flow": rng.random() < 0.7,
        "actions_flow": rng.random() < 0.5,
        "meetings_flow": rng.random() < 0.4,
        "cc_flow": rng.random() < 0.6,
        "notices_flow": rng.random() < 0.7,
        "desc_folded": rng.random() < 0.75,
        "sev_comment": (ch(rng, ["customer go-live at risk", "executive visibility",
                                    "workaround in place", "affects a whole region"])
                        if rng.random() < 0.2 else None),
        "source_comment": rng.random() < 0.12,
        "services_comment": rng.random() < 0.1,
        "stake_comment": rng.random() < 0.15,
        "x_key": ch(rng, ["x-crm-case", "x-internal-priority", "x-region"])
        if rng.random() < 0.12 else None,
        "extra": rng.random() < 0.06,
    }

    ev = []  # [day, ops, step or None, reason or None, msg, mergeable]

    def E(day, ops, step=None, reason=None, msg="", merge=True):
        ev.append([day, ops, step, reason, msg, merge])

    day = 0
    # 1. raised
    raised = {"date": D(0), "source": wchoice(rng, SOURCES)}
    if raised["source"] == "slt-executive" and orole != "architect":
        # The playbook makes the FastTrack Architect the owner of an executive escalation
        # (rule `executive-owner`): an architect in the same time zone (commit days stay the
        # same), chosen without drawing from `rng`, so the rest of the file is unchanged.
        peers = [j for j in TZ_PEERS[owner_ix] if AUTHORS[j][2] == "architect"]
        owner_ix = peers[i % len(peers)]
        oname, ouser, orole, _ = AUTHORS[owner_ix]
        owner = f"{oname} <{ouser}@example.com>"
    if raised["source"] == "other":
        raised["source_detail"] = ch(rng, SOURCE_DETAIL)
    raised["by"] = person(rng)[1] if rng.random() < 0.7 else contact
    if rng.random() < 0.6:
        raised["received_by"] = owner
    ops = [(("id",), esc_id), (("title",), title), (("customer",), customer), (("step",), "raised"),
           (("segment",), wchoice(rng, SEGMENTS)), (("owner",), owner), (("owner_role",), orole),
           (("raised",), raised)]
    if rng.random() < 0.5:
        ops.append((("severity",), severity))
    if rng.random() < 0.6:
        ops.append((("customer_contact",), contact))
    if style["x_key"]:
        val = {"x-crm-case": f"CRM-{ri(rng, 10000, 99999)}", "x-internal-priority":
               ch(rng, ["P1", "P2", "P3"]), "x-region": ch(rng, ["EMEA", "AMER", "APAC"])}
        ops.append(((style["x_key"],), val[style["x_key"]]))
    if style["extra"]:
        ops.append((("extra",), {"region": ch(rng, ["EMEA", "AMER", "APAC"]),
                                 "vendor_case": f"CC-{ri(rng, 1000, 9999)}"}))
    for note in rng.sample(NOTES, ri(rng, 2, 5)):
        ops.append((("_body", "notes", "+"), fmt(rng, note)))
    if rng.random() < 0.5:
        ops.append((("_body", "links", "+"), ch(rng, LINKS)))
    if rng.random() < 0.7:
        ops.append((("_body", "first", "+"), {"date": D(0), "text": " ".join(
            fmt(rng, x) for x in rng.sample(FIRST_CONTACT, 3))}))
    desc = " ".join([f"{subj_cap} {fmt(rng, ch(rng, SYMPTOMS))} since OCCDATE.",
                     fmt(rng, ch(rng, IMPACTS), date="the end of the quarter"),
                     fmt(rng, ch(rng, CONTEXT))])
    occurred_rel = -ch(rng, [0, 1, 1, 2, 2, 3, 4, 5, 7, 10])
    if rng.random() < 0.3:
        ops.append((("gathering", "description"), desc))
    E(day, ops, "raised", msg=f"raise: {title}", merge=False)

    contacts = {}
    for key in ("fasttrack_manager", "manager_health", "fasttrack_engineer", "account_team", "tam",
                "support_engineer"):
        if rng.random() < 0.35:
            contacts[key] = person(rng)[1]
    if rng.random() < 0.3:
        contacts["product_group"] = f"{label} PG"

    step = "raised"
    pending_reason = None

    def advance(to, day):
        nonlocal step
        E(day, [(("step",), to)], to, msg=f"{step} -> {to}")
        step = to

    def maybe_round_trip(s):
        nonlocal day, step
        if s in BACK and rng.random() < 0.05:
            b = ch(rng, BACK[s])
            day += ri(rng, 1, 5)
            r = ch(rng, REASONS_BACK)
            E(day, [(("step",), b), (("step_reason",), r)], b, reason=r, msg=f"{s} -> {b}",
              merge=False)
            day += ri(rng, 1, 7)
            E(day, [(("step",), s), (("_body", "notes", "+"),
                                       f"Moved forward again to {s} after the move back to {b}.")], s,
              msg=f"{b} -> {s}", merge=False)
            step = s

    # fills for each step: functions returning a list of (day delta, ops, msg)
    actions = []  # (index, due rel, done rel or None)

    def fills_gathering():
        g1 = [(("gathering", "description"), desc)]
        if rng.random() < 0.7:
            g1.append((("gathering", "ticket"), ticket))
            g1.append((("_body", "links", "+"), f"Ticket {ticket}"))
        g1.append((("gathering", "types"), tuple(sorted(rng.sample(
            ["technical", "business", "process", "other"], ch(rng, [1, 1, 2, 2, 3])),
            key=["technical", "business", "process", "other"].index))))
        g2 = [(("gathering", "occurred"), D(occurred_rel))]
        if rng.random() < 0.6:
            g2.append((("gathering", "service_request"), D(rng.randint(occurred_rel, 0))))
        g2 += [(("gathering", "services"), tuple(services)),
               (("gathering", "deployment_phase"), ch(rng, PHASES))]
        out = [(ri(rng, 0, 3), g1, "gather: description, ticket, types"),
               (ri(rng, 0, 4), g2, "gather: occurred, services, deployment phase")]
        if contacts:
            out.insert(1, (0, [(("contacts",), dict(contacts))], "add contacts"))
        if rng.random() < 0.3:
            out.append((ri(rng, 0, 3), [(("gathering", "watch_list"), ("WATCH", watch)),
                                             (("_body", "links", "+"),
                                              f"Watch-list entry {watch}, {ri(rng, 100, 999)}")],
                        "add watch-list entry"))
        out.append((ri(rng, 0, 3), [(("_body", "notes", "+"), fmt(rng, ch(rng, NOTES)))],
                    "notes"))
        return out

    def fills_validation():
        v = {"confirmed_with": f"{cname} ({cust_base} {ch(rng, ROLES)})", "date": "TODAY",
             "expected_outcome": fmt(rng, ch(rng, OUTCOMES), subj_cap=subj_cap,
                                     date=f"{ri(rng, 1, 28)} {ch(rng, MONTHS)[:3]}"),
             "resolution_procedure": ch(rng, PROCEDURES),
             "cadence": wchoice(rng, CADENCE)}
        parts = list(v.items())
        out = []
        if rng.random() < 0.4:  # filled in two edits
            k = ri(rng, 1, 4)
            out.append((ri(rng, 1, 6), [(("validation", a), b) for a, b in parts[:k]],
                        "validation: first fields"))
            out.append((ri(rng, 0, 3), [(("validation", a), b) for a, b in parts[k:]],
                        "validation: agreed outcome and procedure"))
        else:
            out.append((ri(rng, 1, 6), [(("validation", a), b) for a, b in parts],
                        "record validation with the customer"))
        out[-1][1].append((("_body", "minutes", "+"), {"kind": "customer", "date": "TODAY",
                                                        "text": minutes(rng)}))
        return out

    def fills_stakeholders():
        ops = []
        if "sev" not in have:
            ops.append((("severity",), severity))
        must = severity in ("critical", "high") and orole == "architect"
        p = {"critical": 0.9, "high": 0.8, "medium": 0.3, "low": 0.1}[severity]
        notify = must or rng.random() < p
        out = []
        if rng.random() < 0.4:
            out.append((ri(rng, 0, 3), [(("stakeholders", "sponsor"), person(rng)[1])]
                        + ([(("stakeholders", "cc"), tuple(person(rng)[1] for _ in range(
                            ri(rng, 1, 3))))] if rng.random() < 0.7 else []),
                        "stakeholders: sponsor"))
        if notify:
            ops += [(("stakeholders", "decision"), "notify"), (("stakeholders", "notified"), "TODAY"),
                    (("notices", "stakeholders"), "TODAY")]
        else:
            ops += [(("stakeholders", "decision"), "not-needed"),
                    (("stakeholders", "rationale"), ch(rng, RATIONALE))]
        out.append((ri(rng, 0, 4), ops, "stakeholders: " + ("notify" if notify else
                                                                  "not-needed")))
        return out

    def meeting(kind=None):
        kind = kind or ch(rng, ["internal", "customer", "product-group", "executive"])
        att = tuple([oname] + [person(rng)[0] for _ in range(ri(rng, 1, 4))])
        m = {"date": "TODAY", "kind": kind, "attendees": att,
             "summary": ch(rng, MEETING_SUMMARIES)}
        ops = [(("meetings", "+"), m), (("status", "as_of"), "TODAY"),
               (("_body", "minutes", "+"), {"kind": kind, "date": "TODAY",
                                            "text": minutes(rng)})]
        return ops

    def add_action(ops):
        n = len(actions)
        due = ri(rng, 3, 25)
        a = {"what": fmt(rng, ch(rng, ACTIONS)), "owner": ch(rng, ACTION_OWNERS + [oname]),
             "due": ("DUE", due)}
        ops.append((("status", "actions", "+"), a))
        actions.append([n, due, None])

    def fills_management():
        out = []
        ops = meeting()
        ops += [(("status", "brief"), fmt(rng, ch(rng, BRIEFS), subj=subj, subj_cap=subj_cap)),
                (("status", "impact"), fmt(rng, ch(rng, IMPACTS), date="the next milestone"))]
        for _ in range(ri(rng, 1, 3)):
            add_action(ops)
        out.append((ri(rng, 1, 8), ops, "meeting, status: brief, impact, actions"))
        rest = [(("status", "deployment_status"), f"{ri(rng, 1, 60) * 100:,} of "
                 f"{ri(rng, 61, 120) * 100:,} users done; next wave planned."),
                (("status", "current_activities"), ch(rng, 
                    ["Weekly migration office hours; nightly batches.",
                     "Daily triage with support until the fix is confirmed.",
                     "FastTrack engineer validating the pilot group."])),
                (("status", "risk"), f"On the {watch} watch list since the escalation was raised."),
                (("status", "awareness"), f"{cust_base} CIO and the Microsoft sponsor briefed.")]
        out.append((ri(rng, 0, 5), rest, "status: deployment, activities, risk, awareness"))
        for _ in range(ri(rng, 0, 3)):
            ops = meeting()
            if rng.random() < 0.5:
                add_action(ops)
            out.append((ri(rng, 3, 15), ops, "log meeting"))
        return out

    have = set()
    for a, b in ops:
        if a == ("severity",):
            have.add("sev")
    def fills_raised():
        out = []
        if rng.random() < 0.5:
            out.append((ri(rng, 0, 3), [(("_body", "notes", "+"),
                                              fmt(rng, ch(rng, NOTES)))], "notes"))
        if rng.random() < 0.3:
            out.append((ri(rng, 0, 2), [(("gathering", "types"), ("technical",))],
                        "gather: types"))
        return out

    fills = {"gathering": fills_raised, "validation": fills_gathering, "stakeholders": fills_validation,
             "management": fills_stakeholders, "resolution": fills_management}
    last_target = target
    for to in STEPS[1:RANK[last_target] + 2]:
        if to == "closed":
            break
        f = fills.get(to)
        items = f() if f else []
        if RANK[to] > RANK[last_target]:  # the next step's work, partly done
            items = items[:ri(rng, 0, len(items) + 1)] if items else []
            if to == "resolution" and len(items) >= 2 and rng.random() < 0.5:
                items = items[:1]
        for dd, o, msg in items:
            day += dd
            E(day, o, msg=msg)
        if RANK[to] > RANK[last_target]:
            break
        day += ri(rng, 0, 4) if to != "gathering" else ri(rng, 0, 3)
        advance(to, day)
        if to != last_target or back_final is None:
            maybe_round_trip(to)
    if back_final:
        day += ri(rng, 1, 6)
        r = ch(rng, REASONS_BACK)
        E(day, [(("step",), back_final), (("step_reason",), r)], back_final, reason=r,
          msg=f"{target} -> {back_final}", merge=False)
        step = back_final
        if rng.random() < 0.5:
            day += ri(rng, 0, 4)
            E(day, [(("_body", "notes", "+"), fmt(rng, ch(rng, NOTES)))], msg="notes")
    emitted = sum(1 for e0 in ev for p0, _ in e0[1] if p0 == ("status", "actions", "+"))
    del actions[emitted:]
    # action progress while in management/resolution
    if actions and step in ("management", "resolution"):
        for a in actions:
            if rng.random() < (0.5 if outcome is None else 0.4):
                day += ri(rng, 0, 6)
                a[2] = day
                E(day, [(("status", "actions", a[0], "done"), D(day))], msg=f"action {a[0] + 1} done")
    if outcome == "resolved":
        for a in actions:
            if a[2] is None:
                day += ri(rng, 0, 5)
                a[2] = day
                E(day, [(("status", "actions", a[0], "done"), D(day))], msg=f"action {a[0] + 1} done")
        day += ri(rng, 1, 8)
        E(day, [(("notices", "confirmation"), D(day))], msg="request written confirmation")
        day += ri(rng, 1, 8)
        closing = {"outcome": "resolved", "date": D(day),
                   "summary": fmt(rng, ch(rng, BRIEFS), subj=subj, subj_cap=subj_cap),
                   "confirmation": f"E-mail from {cname} on {{cdate}}, \"no outstanding actions\", "
                                   "saved in the customer folder.",
                   "risk_update": ch(rng, RISK_UPDATE)}
        closing["confirmation"] = closing["confirmation"].replace("{cdate}", "CDATE")
        # The closing review critical and high escalations close with (severity_policy.review);
        # every resolved one gets it, chosen without drawing from rng so the rest stays as it was.
        causes = ["product-defect", "configuration", "capacity", "third-party", "process",
                  "documentation"]
        closing["review"] = {"root_cause": causes[len(subj) % len(causes)],
                             "lessons": "Check the tenant's limits and the runbook before the "
                                        "next wave."}
        E(day, [(("closing",), closing), (("notices", "resolved"), D(day)),
                (("status", "risk"), "Removed from the watch list after the resolution."),
                (("step",), "closed")], "closed", msg="resolution -> closed")
        if rng.random() < 0.03:  # reopened, then closed again
            day += ri(rng, 3, 20)
            r = ch(rng, REOPEN_REASONS)
            E(day, [(("step",), "management"), (("step_reason",), r)], "management", reason=r,
              msg="closed -> management", merge=False)
            day += ri(rng, 2, 10)
            E(day, meeting("customer"), msg="log meeting")
            day += ri(rng, 1, 4)
            E(day, [(("step",), "resolution")], "resolution", msg="management -> resolution")
            day += ri(rng, 2, 10)
            E(day, [(("closing", "date"), D(day)), (("notices", "resolved"), D(day)),
                    (("step",), "closed")], "closed", msg="resolution -> closed", merge=False)
    elif outcome:
        day += ri(rng, 0, 10)
        if outcome == "withdrawn":
            c = {"outcome": "withdrawn", "date": D(day), "reason": ch(rng, WITHDRAWN)}
        else:
            c = {"outcome": "duplicate", "date": D(day), "duplicate_of": dup_of,
                 "reason": f"Same issue as {dup_of}, already owned and worked there; the person "
                           "who raised this one was not aware of it."}
        E(day, [(("closing",), c), (("step",), "closed")], "closed", msg=f"{step} -> closed")
    # merge some neighbouring events into one edit (several fields, several steps at once)
    merged = [ev[0]]
    for e in ev[1:]:
        p = merged[-1]
        if e[5] and p[5] and p[3] is None and e[3] is None and rng.random() < 0.2 \
                and len(merged) > 1:
            p[0] = e[0]
            p[1] = p[1] + e[1]
            p[2] = e[2] or p[2]
            p[4] = f"{p[4]}; {e[4]}"
        else:
            merged.append(e)
    ev = merged

    # extra note events (only when the history asks for more commits than natural edits)
    if extra:
        xr = random.Random(f"{seed}:{i}:extra")
        last_open = len(ev) - (1 if outcome else 0)
        for _ in range(extra):
            at = ri(xr, 1, max(2, last_open))
            d0 = ev[at - 1][0]
            ev.insert(at, [d0, [(("_body", "notes", "+"), f"Update: {ch(xr, NOTES).format(k=ri(xr, 3, 40), month=ch(xr, MONTHS))}")],
                           None, None, "notes", False])
            last_open += 1

    # anchor: pick the raising date
    span = ev[-1][0]
    if outcome is None:
        # open ones: last touched a few days to several months ago (the backlog goes stale)
        last = TODAY_O - min(int(rng.expovariate(1 / 180)), 600)
        r0 = max(START_O + 10, last - span)
    else:
        r0 = ri(rng, START_O + 10, max(START_O + 11, TODAY_O - span - 1))
    r0 = min(r0, TODAY_O - span)
    return r0, final, outcome, ev, style, owner_ix, occurred_rel


def anchor(value, r0, day):
    """Turns relative dates (D, "TODAY", ("DUE", n)) of an op value into strings."""
    if isinstance(value, D):
        return dstr(r0 + value)
    if value == "TODAY":
        return dstr(r0 + day)
    if value == "CDATE":
        return dstr(r0 + day)
    if isinstance(value, tuple) and len(value) == 2 and value[0] == "DUE":
        return dstr(r0 + day + value[1])
    if isinstance(value, dict):
        return {k: anchor(v, r0, day) for k, v in value.items()}
    return value


class Esc:
    """A finished plan: stages with absolute days, times and authors."""
    __slots__ = ("i", "id", "path", "style", "stages", "final", "outcome", "r0", "owner",
                 "defect_applied", "state")


def make(seed, i, esc_id, dup_of, extra, r0_only=False):
    r0, final, outcome, ev, style, owner_ix, occ = build(seed, i, esc_id, dup_of, extra)
    occ_txt = dt.date.fromordinal(r0 + occ).strftime("%-d %b")
    if r0_only:
        return r0, len(ev)
    rng = random.Random(f"{seed}:{i}:t")
    stages = []
    prev_t = 0
    step = None
    for day, ops, to, reason, msg, _ in ev:
        o = []
        for path, value in ops:
            if isinstance(value, tuple) and value and value[0] == "WATCH":
                value = {"list": value[1] if rng.random() < 0.7 else ch(rng, WATCH),
                         "date": dstr(r0 + day)}
                if rng.random() < 0.4:
                    value["link"] = f"https://watchlist.example.com/{value['list']}/" \
                                    f"{dstr(r0)[2:4]}{dstr(r0)[5:7]}-{ri(rng, 10, 999):03d}"
                # Now and then on a second list as well: a list of entries (drawn apart, so
                # the rest of the data is the same as before there could be several).
                wrng = random.Random(f"{seed}:{i}:watch")
                if wrng.random() < 0.3:
                    other = ch(wrng, [w for w in WATCH if w != value["list"]])
                    value = [value, {"list": other, "date": dstr(r0 + day)}]
            elif isinstance(value, dict) and "confirmation" in value:
                value = dict(value, confirmation=value["confirmation"].replace(
                    "CDATE", dt.date.fromordinal(r0 + day).strftime("%-d %b %Y")))
                value = anchor(value, r0, day)
            elif path == ("gathering", "description"):
                value = value.replace("OCCDATE", occ_txt)
            else:
                value = anchor(value, r0, day)
            o.append((path, value))
        # another author now and then, in the owner's time zone (so the day stays the same)
        a = owner_ix if rng.random() < 0.85 else ch(rng, TZ_PEERS[owner_ix])
        tz = AUTHORS[a][3]
        local = ri(rng, 8 * 3600, 19 * 3600)
        t = (r0 + day - 719163) * 86400 + local - tz * 60  # 719163 = date(1970,1,1).toordinal()
        if t <= prev_t:
            t = prev_t + ri(rng, 60, 1800)
        prev_t = t
        stages.append((t, o, step, to, reason, msg, a))
        if to:
            step = to
    e = Esc()
    e.i, e.id, e.style, e.stages, e.final, e.outcome, e.r0 = i, esc_id, style, stages, final, outcome, r0
    e.path = f"escalations/{dstr(r0)[:7]}/{esc_id}.md"
    e.owner = owner_ix
    e.state = None
    return e


# ---------------------------------------------------------------------------------------------
# Rendering a stage


def state_at(e, k):
    """The front matter and body after stage k (built on the last state asked for, if earlier)."""
    if e.state is not None and e.state[0] <= k:
        k0, st = e.state
    else:
        k0, st = -1, {}
    for s in e.stages[k0 + 1:k + 1]:
        for path, value in s[1]:
            d = st
            for j, key in enumerate(path[:-1]):
                nxt = path[j + 1]
                if isinstance(key, int):
                    d = d[key]
                elif key in d:
                    d = d[key]
                else:
                    d[key] = [] if (nxt == "+" or isinstance(nxt, int)) else {}
                    d = d[key]
            last = path[-1]
            if last == "+":
                d.append(dict(value) if isinstance(value, dict) else value)
            elif isinstance(value, dict) and last in d and isinstance(d[last], dict):
                d[last].update(value)
            else:
                d[last] = dict(value) if isinstance(value, dict) else value
    e.state = (k, st)
    return st


def flow_map(items):
    return "{ " + ", ".join(f"{k}: {v}" for k, v in items) + " }"


def flow_seq(xs):
    return "[" + ", ".join(q(x, True) for x in xs) + "]"


def render(e, k, defect=None):
    st = state_at(e, k)
    sty = e.style
    out = ["---", "schema: 1", f"id: {st['id']}", f"title: {q(st['title'])}",
           f"customer: {q(st['customer'])}", f"step: {st['step']}"]
    a = out.append
    if "step_reason" in st:
        if sty["desc_folded"]:
            a("step_reason: >-")
            out += ["  " + ln for ln in wrap(st["step_reason"], 88)]
        else:
            a(f"step_reason: {q(st['step_reason'])}")
    if "severity" in st:
        c = sty["sev_comment"]
        a(f"severity: {st['severity']}" + (f"           # {c}" if c else ""))
    a(f"segment: {st['segment']}")
    a(f"owner: {q(st['owner'])}")
    a(f"owner_role: {st['owner_role']}")
    if "customer_contact" in st:
        a(f"customer_contact: {q(st['customer_contact'])}")
    if "contacts" in st:
        c = st["contacts"]
        if sty["contacts_flow"]:
            a("contacts: " + flow_map((k2, q(v, True)) for k2, v in c.items()))
        else:
            a("contacts:")
            out += [f"  {k2}: {q(v)}" for k2, v in c.items()]
    r = st["raised"]
    if sty["raised_flow"] and not sty["source_comment"] and "source_detail" not in r:
        a("raised: " + flow_map((k2, q(v, True)) for k2, v in r.items()))
    else:
        a("raised:")
        for k2, v in r.items():
            if k2 == "source_detail":
                a("  source_detail: >-")
                out += ["    " + ln for ln in wrap(v, 86)]
            elif k2 == "source" and sty["source_comment"]:
                a(f"  source: {v}" + " " * max(1, 16 - len(v)) + "# as recorded in the intake form")
            else:
                a(f"  {k2}: {q(v)}")
    g = st.get("gathering")
    if g:
        a("gathering:")
        if "description" in g:
            if sty["desc_folded"]:
                a("  description: >-")
                out += ["    " + ln for ln in wrap(g["description"], 86)]
            else:
                a(f"  description: {q(g['description'])}")
        if "ticket" in g:
            a(f'  ticket: "{g["ticket"]}"')
        if "types" in g:
            a(f"  types: {flow_seq(g['types'])}")
        for k2 in ("occurred", "service_request"):
            if k2 in g:
                a(f"  {k2}: {g[k2]}")
        if "services" in g:
            a(f"  services: {flow_seq(g['services'])}"
              + ("          # more services may be affected" if sty["services_comment"] else ""))
        if "deployment_phase" in g:
            a(f"  deployment_phase: {g['deployment_phase']}")
        if "watch_list" in g:
            w = g["watch_list"]
            # A list of entries, in one of three styles chosen by its dates (no draw).
            if isinstance(w, list):
                kind = sum(map(ord, "".join(x["date"] for x in w))) % 3
                items = [flow_map((k2, q(v, True)) for k2, v in x.items()) for x in w]
                if kind == 0:
                    a("  watch_list: [" + ", ".join(items) + "]")
                elif kind == 1:
                    a("  watch_list:")
                    out += [f"    - {it}" for it in items]
                else:
                    a("  watch_list:")
                    for x in w:
                        out += [f"    {'-' if j == 0 else ' '} {k2}: {q(v)}"
                                for j, (k2, v) in enumerate(x.items())]
            elif sty["watch_flow"]:
                a("  watch_list: " + flow_map((k2, q(v, True)) for k2, v in w.items()))
            else:
                a("  watch_list:")
                out += [f"    {k2}: {q(v)}" for k2, v in w.items()]
    v = st.get("validation")
    if v:
        a("validation:")
        for k2, x in v.items():
            a(f"  {k2}: {q(x)}")
        if "cadence" not in v and "date" in v:
            a("  # cadence still to be agreed on the next call")
    s = st.get("stakeholders")
    if s:
        a("stakeholders:")
        if "decision" not in s and sty["stake_comment"]:
            a("  # decision pending: the notice is being drafted")
        for k2, x in s.items():
            if k2 == "cc":
                if sty["cc_flow"]:
                    a(f"  cc: {flow_seq(x)}")
                else:
                    a("  cc:")
                    out += [f"    - {q(p)}" for p in x]
            elif k2 == "rationale" and sty["desc_folded"]:
                a("  rationale: >-")
                out += ["    " + ln for ln in wrap(x, 86)]
            else:
                a(f"  {k2}: {q(x)}")
    stt = st.get("status")
    if stt:
        a("status:")
        for k2 in ("as_of", "brief", "impact", "actions", "deployment_status",
                   "current_activities", "risk", "awareness"):
            if k2 not in stt:
                continue
            x = stt[k2]
            if k2 == "actions":
                a("  actions:")
                for act in x:
                    if sty["actions_flow"]:
                        a("    - " + flow_map((k3, q(v3, True)) for k3, v3 in act.items()))
                    else:
                        items = list(act.items())
                        a(f"    - {items[0][0]}: {q(items[0][1])}")
                        out += [f"      {k3}: {q(v3)}" for k3, v3 in items[1:]]
            else:
                a(f"  {k2}: {q(x)}")
    ms = st.get("meetings")
    if ms:
        a("meetings:")
        for j, m in enumerate(ms):
            if sty["meetings_flow"] and j == 0:
                a("  - " + flow_map((k3, flow_seq(v3) if k3 == "attendees" else q(v3, True))
                                    for k3, v3 in m.items()))
            else:
                a(f"  - date: {m['date']}")
                a(f"    kind: {m['kind']}")
                a(f"    attendees: {flow_seq(m['attendees'])}")
                a(f"    summary: {q(m['summary'])}")
    n = st.get("notices")
    if n:
        if sty["notices_flow"]:
            a("notices: " + flow_map(n.items()))
        else:
            a("notices:")
            out += [f"  {k2}: {x}" for k2, x in n.items()]
    c = st.get("closing")
    if c:
        a("closing:")
        for k2, x in c.items():
            if k2 in ("reason", "summary") and sty["desc_folded"] and len(x) > 70:
                a(f"  {k2}: >-")
                out += ["    " + ln for ln in wrap(x, 86)]
            elif isinstance(x, dict):  # the review: a flow mapping or block keys
                if sty["notices_flow"]:
                    a(f"  {k2}: " + flow_map(x.items()))
                else:
                    a(f"  {k2}:")
                    out += [f"    {k3}: {q(v)}" for k3, v in x.items()]
            else:
                a(f"  {k2}: {q(x)}")
    for k2 in ("x-crm-case", "x-internal-priority", "x-region"):
        if k2 in st:
            a(f'{k2}: "{st[k2]}"' if k2 == "x-crm-case" else f"{k2}: {st[k2]}")
    if "extra" in st:
        a("extra:")
        a(f"  region: {st['extra']['region']}")
        a(f'  vendor_case: "{st["extra"]["vendor_case"]}"')
    a("---")
    body = st.get("_body", {})
    a("")
    a("## Notes")
    a("")
    for note in body.get("notes", []):
        out += wrap_bullet(note)
    for fc in body.get("first", []):
        a("")
        a(f"## First contact, {fc['date']}")
        a("")
        out += wrap(fc["text"], 92)
    if body.get("minutes"):
        a("")
        a("## Meeting minutes")
        for m in body["minutes"]:
            a("")
            a(f"### {m['date']}, {m['kind']}")
            out += wrap(m["text"], 92)
    if body.get("links"):
        a("")
        a("## Links")
        a("")
        out += [f"- {ln}" for ln in body["links"]]
    text = "\n".join(out) + "\n"
    if defect:
        text = apply_defect(text, defect, e)
    return text


def wrap_bullet(text):
    lines = wrap(text, 92)
    return ["- " + lines[0]] + ["  " + ln for ln in lines[1:]]


# ---------------------------------------------------------------------------------------------
# Defects

DEFECT_KINDS = ["missing-field", "bad-enum", "impossible-date", "unknown-key", "unquoted-ticket",
                "future-date"]


def apply_defect(text, kind, e):
    """One realistic defect of `kind`, or the next kind that applies to this file."""
    start = DEFECT_KINDS.index(kind)
    fm_end = text.index("\n---\n", 4)
    fm, body = text[:fm_end], text[fm_end:]
    for j in range(len(DEFECT_KINDS)):
        k = DEFECT_KINDS[(start + j) % len(DEFECT_KINDS)]
        new = defect_one(fm, k, e)
        if new is not None and new != fm:
            e.defect_applied = k
            return new + body
    raise RuntimeError(f"no defect applies to {e.path}")


def defect_one(fm, kind, e):
    rng = random.Random(f"{e.id}:{kind}")
    if kind == "missing-field":
        cands = [r"^owner_role: .*\n", r"^segment: .*\n", r"^title: .*\n"]
        if re.search(r"^step: (validation|stakeholders|management|resolution)$", fm, re.M):
            cands += [r"^  deployment_phase: .*\n", r"^  services: .*\n", r"^  occurred: .*\n"]
        if re.search(r"^step: (management|resolution)$", fm, re.M):
            cands += [r"^severity: .*\n", r"^  cadence: .*\n"]
        pat = ch(rng, cands)
        return re.sub(pat, "", fm, count=1, flags=re.M)
    if kind == "bad-enum":
        choices = [(r"(source: )account-team\b", r"\1acount-team"),
                   (r"^(severity: )\w+", r"\1urgent"),
                   (r"^(  cadence: )[\w-]+", r"\1fortnightly"),
                   (r"^(  deployment_phase: )[\w-]+", r"\1pilot"),
                   (r"^(owner_role: )architect$", r"\1fasttrack-architect"),
                   (r"(kind: )internal\b", r"\1call"),
                   (r"(source: )([\w-]+)", r"\1\2s")]
        rng.shuffle(choices)
        for pat, rep in choices:
            new = re.sub(pat, rep, fm, count=1, flags=re.M)
            if new != fm:
                return new
        return None
    if kind == "impossible-date":
        dates = [(m.start(1), m.group(1)) for m in re.finditer(r": (\d{4}-\d{2}-\d{2})\b", fm)]
        rng.shuffle(dates)
        for pos, d in dates:
            y, mth = int(d[:4]), int(d[5:7])
            dim = calendar.monthrange(y, mth)[1]
            if dim < 31:
                bad = f"{y:04d}-{mth:02d}-{dim + 1:02d}"
                return fm[:pos] + bad + fm[pos + 10:]
        if dates:
            pos, d = dates[0]
            return fm[:pos] + f"{d[:4]}-02-30" + fm[pos + 10:]
        return None
    if kind == "unknown-key":
        choices = [(r"^customer_contact:", "customer_contct:"), (r"^  ticket:", "  tiket:"),
                   (r"^  service_request:", "  service_requested:"),
                   (r"^  received_by:", "  recieved_by:"), (r"^  sponsor:", "  sponser:")]
        rng.shuffle(choices)
        for pat, rep in choices:
            new = re.sub(pat, rep, fm, count=1, flags=re.M)
            if new != fm:
                return new
        return re.sub(r"^(segment: .*)$", r"\1\npriority: P2", fm, count=1, flags=re.M)
    if kind == "unquoted-ticket":
        return re.sub(r'^(  ticket: )"(\d+)"', r"\1\2", fm, count=1, flags=re.M)
    if kind == "future-date":
        future = dstr(TODAY_O + ri(rng, 3, 40))
        for pat in (r"^(  as_of: )\S+", r"^(  service_request: )\S+", r"^(    date: )\S+",
                    r"(notices: \{ stakeholders: )[\d-]+", r"^(  notified: )\S+"):
            new = re.sub(pat, r"\g<1>" + future, fm, count=1, flags=re.M)
            if new != fm:
                return new
        new = re.sub(r"(\nclosing:\n(?:  .*\n)*?  date: )[\d-]+", r"\g<1>" + future, fm, count=1)
        if new != fm:  # the closing date is the last of the ordered dates
            return new
        if "\nvalidation:" not in fm:  # raised is the only business date that matters
            return re.sub(r"(raised:(?: \{|\n ) date: )[\d-]+", r"\g<1>" + future, fm, count=1)
        return None
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# The repository


README = """# Synthetic escalation repository

Generated by `bench/gen.py` of esc ({args}) for benchmarks. Every name, customer and event in it
is made up.
"""


def schema_default():
    return Path(__file__).resolve().parent.parent / "schemas" / "escalation.schema.json"


class FastImport:
    def __init__(self, repo):
        self.p = subprocess.Popen(
            ["git", "-C", str(repo), "fast-import", "--quiet", "--done", "--date-format=raw"],
            stdin=subprocess.PIPE, bufsize=1 << 20)
        self.w = self.p.stdin.write

    def data(self, b):
        self.w(b"data %d\n" % len(b))
        self.w(b)
        self.w(b"\n")

    def close(self):
        self.w(b"done\n")
        self.p.stdin.close()
        if self.p.wait() != 0:
            sys.exit("gen.py: git fast-import failed")


def ident(a, t):
    name, user, _, tz = AUTHORS[a]
    sign = "+" if tz >= 0 else "-"
    return f"{name} <{user}@example.com> {t} {sign}{abs(tz) // 60:02d}{abs(tz) % 60:02d}".encode()


def main():
    ap = argparse.ArgumentParser(usage="%(prog)s OUT_DIR [options]", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--escalations", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=0)
    ap.add_argument("--defects", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--schema", type=Path, default=schema_default())
    ap.add_argument("--manifest", type=Path)
    ap.add_argument("--id-prefix", default="")
    ap.add_argument("--timezone", default="")
    a = ap.parse_args()
    if a.escalations < 1 or a.commits < 0 or not 0.0 <= a.defects <= 1.0:
        ap.error("need --escalations >= 1, --commits >= 0, 0 <= --defects <= 1")
    if a.id_prefix and not re.fullmatch(r"[A-Z][A-Z0-9]{0,7}", a.id_prefix):
        ap.error("--id-prefix: an upper-case letter, then up to 7 upper-case letters or digits")
    if not re.fullmatch(r"[A-Za-z0-9_+/-]*", a.timezone):
        ap.error("--timezone: an IANA time zone such as Asia/Tokyo")
    pre = f"ESC-{a.id_prefix}-" if a.id_prefix else "ESC-"
    config = "".join([f"id_prefix: {a.id_prefix}\n" if a.id_prefix else "",
                      f"timezone: {a.timezone}\n" if a.timezone else ""]).encode()
    if a.out.exists() and any(a.out.iterdir()):
        ap.error(f"{a.out} exists and is not empty")
    t0 = time.time()
    schema = a.schema.read_bytes()
    n, seed = a.escalations, a.seed

    commits = a.commits if a.commits >= 2 else 0
    merges = commits // 40 if commits >= 100 else 0
    groups = commits - 1 - merges if commits else 0

    # Pass 1: raising dates and ids; with a history, every event's time too (ids only change
    # the text, not the times).
    ids, r0s, events = [], [], []
    used = set()
    for i in range(n):
        if commits:
            e = make(seed, i, "ESC-0000-0000", "ESC-0000-0000", 0)
            r0 = e.r0
            events += [(s[0], i, k) for k, s in enumerate(e.stages)]
        else:
            r0, _ = make(seed, i, "ESC-0000-0000", "ESC-0000-0000", 0, r0_only=True)
        d = dt.date.fromordinal(r0)
        attempt = 0
        while True:
            ir = random.Random(f"{seed}:{i}:id:{attempt}")
            esc_id = f"{pre}{d.year % 100:02d}{d.month:02d}-" + "".join(
                ch(ir, CROCKFORD) for _ in range(4))
            if esc_id not in used:
                break
            attempt += 1
        used.add(esc_id)
        ids.append(esc_id)
        r0s.append(r0)
    del used
    by_date = sorted(range(n), key=lambda j: (r0s[j], j))
    pos = {j: p for p, j in enumerate(by_date)}

    def dup_of(i):
        p = pos[i]
        if p == 0:
            return ids[by_date[1]] if n > 1 else f"{pre}2411-0000"
        dr = random.Random(f"{seed}:{i}:dup")
        return ids[by_date[max(0, p - ri(dr, 1, 30))]]

    defective = {}
    if a.defects > 0:
        dr = random.Random(f"{seed}:defects")
        for j in sorted(dr.sample(range(n), round(a.defects * n))):
            defective[j] = ch(dr, DEFECT_KINDS)

    extra = [0] * n
    if groups > len(events):  # more commits than natural edits: add note edits, redo the times
        xr = random.Random(f"{seed}:extra")
        for _ in range(groups - len(events)):
            extra[ri(xr, n)] += 1
        events = []
        for i in range(n):
            e = make(seed, i, ids[i], "ESC-0000-0000", extra[i])
            events += [(s[0], i, k) for k, s in enumerate(e.stages)]

    @lru_cache(maxsize=2048)
    def esc(i):
        return make(seed, i, ids[i], dup_of(i), extra[i])

    def text(i, k):
        e = esc(i)
        last = k == len(e.stages) - 1
        return render(e, k, defective.get(i) if last else None).encode()

    out = a.out
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    fi = FastImport(out)
    w = fi.w
    readme = README.format(args=f"--escalations {n} --commits {a.commits} --defects {a.defects} "
                                f"--seed {seed}" + (f" --id-prefix {a.id_prefix}" if a.id_prefix else "")
                                + (f" --timezone {a.timezone}" if a.timezone else "")).encode()
    init_t = (START_O - 1 - 719163) * 86400 + 9 * 3600

    manifest = []
    if not commits:
        w(b"commit refs/heads/main\nmark :1\n")
        w(b"author " + ident(0, (TODAY_O - 719163) * 86400 + 18 * 3600) + b"\n")
        w(b"committer " + ident(0, (TODAY_O - 719163) * 86400 + 18 * 3600) + b"\n")
        fi.data(f"Synthetic escalation repository: {n} escalations".encode())
        w(b"M 100644 inline schemas/escalation.schema.json\n")
        fi.data(schema)
        w(b"M 100644 inline README.md\n")
        fi.data(readme)
        if config:
            w(b"M 100644 inline esc.yaml\n")
            fi.data(config)
        for i in by_date:
            e = esc(i)
            w(f"M 100644 inline {e.path}\n".encode())
            fi.data(text(i, len(e.stages) - 1))
            if i in defective:
                manifest.append((e.path, e.defect_applied))
        fi.close()
    else:
        # All events in time order (t, i, k); commits take consecutive runs of them.
        events.sort()
        E = len(events)
        cr = random.Random(f"{seed}:cuts")
        # Cut after every raising, so that the commit that adds a file has it at `raised`
        # (unless there are fewer commits than escalations); the other cuts at random.
        must = {p + 1 for p, (_, _, k) in enumerate(events) if k == 0 and p + 1 < E}
        if len(must) > groups - 1:
            must = set(cr.sample(sorted(must), groups - 1)) if groups > 1 else set()
        rest = [c for c in range(1, E) if c not in must]
        cuts = sorted(must.union(cr.sample(rest, groups - 1 - len(must)))) if groups > 1 else []
        bounds = [0] + cuts + [E]
        # side-branch windows: one per merge, disjoint, spread evenly
        windows = {}
        if merges:
            seg = groups / merges
            for m in range(merges):
                lo = int(m * seg)
                hi = int((m + 1) * seg)
                size = ch(cr, [1, 1, 2, 2, 3, 3, 4])
                size = max(1, min(size, hi - lo))
                st0 = ri(cr, lo, hi - size + 1)
                windows[st0] = size
        w(b"commit refs/heads/main\nmark :1\n")
        w(b"author " + ident(0, init_t) + b"\ncommitter " + ident(0, init_t) + b"\n")
        fi.data(b"Escalation repository: schema and README")
        w(b"M 100644 inline schemas/escalation.schema.json\n")
        fi.data(schema)
        w(b"M 100644 inline README.md\n")
        fi.data(readme)
        if config:
            w(b"M 100644 inline esc.yaml\n")
            fi.data(config)
        mark = 1
        main_tip = 1
        last_t = init_t
        cur = [None] * n  # stage index each escalation is at (None: not created)
        pr_no = 100
        g = 0
        mr = random.Random(f"{seed}:merges")

        def group_items(gi):
            seen = {}
            for t, i, k in events[bounds[gi]:bounds[gi + 1]]:
                if i not in seen:
                    seen[i] = [k, k, t]
                seen[i][1] = k
                seen[i][2] = t
            return seen

        def emit(ref, parent, gi):
            nonlocal mark, last_t
            items = group_items(gi)
            t = max(v[2] for v in items.values())
            t = max(t, last_t + 1)
            last_t = t
            lead = max(items, key=lambda i: items[i][2])
            e_lead = esc(lead)
            author = e_lead.stages[items[lead][1]][6]
            lines, trailers = [], []
            for i, (k0, k1, _) in items.items():
                e = esc(i)
                after = state_step(e, k1)
                before = state_step(e, k0 - 1) if k0 > 0 else None
                msgs = "; ".join(e.stages[k][5] for k in range(k0, k1 + 1))
                reason = next((e.stages[k][4] for k in range(k0, k1 + 1) if e.stages[k][4]), None)
                if before is None:
                    title = f"{e.id}: {e.stages[k0][5]}"  # raise: <title>
                elif before != after:
                    title = f"{e.id}: {before} -> {after}"
                else:
                    title = f"{e.id}: {msgs}"
                lines.append((title, msgs))
                trailers.append(f"Escalation: {e.id}")
                if before != after:
                    trailers.append(f"Step: {after}")
                    if before is not None:
                        trailers.append(f"From-Step: {before}")
                    if reason:
                        trailers.append(f"Reason: {reason}")
            if len(lines) == 1:
                msg = lines[0][0] + ("\n\n" + lines[0][1] if lines[0][1] not in lines[0][0] else "")
            else:
                msg = f"Update {len(lines)} escalations\n\n" + "\n".join(
                    f"- {t1}" for t1, _ in lines)
            msg += "\n\n" + "\n".join(trailers) + "\n"
            mark += 1
            w(f"commit {ref}\nmark :{mark}\n".encode())
            w(b"author " + ident(author, t) + b"\ncommitter " + ident(author, t) + b"\n")
            fi.data(msg.encode())
            if parent is not None:
                w(f"from :{parent}\n".encode())
            for i, (k0, k1, _) in items.items():
                w(f"M 100644 inline {esc(i).path}\n".encode())
                fi.data(text(i, k1))
                cur[i] = k1
            return mark, set(items)

        while g < groups:
            size = windows.get(g)
            if size is None:
                main_tip, _ = emit("refs/heads/main", main_tip, g)
                g += 1
                continue
            # a pull request: `size` groups, some maybe concurrently on main
            gis = list(range(g, g + size))
            side_set, main_set = set(), set()
            on_side = [True] * size
            if size >= 2 and mr.random() < 0.4:
                for j in range(1, size):
                    on_side[j] = mr.random() < 0.5
                for j, gi in enumerate(gis):
                    (side_set if on_side[j] else main_set).update(group_items(gi))
                if side_set & main_set or not any(on_side):
                    on_side = [True] * size
            base = main_tip
            side_tip = None
            side_files = {}
            for j, gi in enumerate(gis):
                if on_side[j]:
                    side_tip, touched = emit("refs/heads/pr", side_tip or base, gi)
                    for i in touched:
                        side_files[i] = cur[i]
                else:
                    main_tip, _ = emit("refs/heads/main", main_tip, gi)
            g += size
            pr_no += 1
            last_t += ri(mr, 60, 3600)
            rev = ri(mr, len(AUTHORS))
            first = esc(next(iter(side_files)))
            branch = f"{AUTHORS[first.owner][1].split('.')[0]}/{first.id.lower()}"
            msg = (f"Merge pull request #{pr_no} from {branch}\n\n"
                   + "\n".join(f"Escalation: {esc(i).id}" for i in side_files) + "\n")
            mark += 1
            w(f"commit refs/heads/main\nmark :{mark}\n".encode())
            w(b"author " + ident(rev, last_t) + b"\ncommitter " + ident(rev, last_t) + b"\n")
            fi.data(msg.encode())
            w(f"from :{main_tip}\nmerge :{side_tip}\n".encode())
            # the merge's tree starts from main's: bring the side branch's files in
            for i, k in side_files.items():
                w(f"M 100644 inline {esc(i).path}\n".encode())
                fi.data(text(i, k))
            main_tip = mark
        # escalations never touched (only possible when N is tiny): not reachable, all are
        for i in range(n):
            e = esc(i)
            if cur[i] != len(e.stages) - 1:
                raise RuntimeError(f"{e.id} ended at stage {cur[i]} of {len(e.stages)}")
            if i in defective:
                manifest.append((e.path, e.defect_applied))
        fi.close()
        subprocess.run(["git", "-C", str(out), "update-ref", "-d", "refs/heads/pr"], check=False,
                       stderr=subprocess.DEVNULL)
    subprocess.run(["git", "-C", str(out), "reset", "-q", "--hard", "main"], check=True)
    if a.manifest:
        a.manifest.write_text("".join(f"{p}\t{k}\n" for p, k in sorted(manifest)))
    total = sum(1 for _ in (out / "escalations").rglob("*.md"))
    print(f"gen.py: {total} escalations, {max(commits, 1)} commits, {len(defective)} defective, "
          f"in {time.time() - t0:.1f} s -> {out}", file=sys.stderr)


def state_step(e, k):
    """The step after stage k."""
    while k >= 0:
        if e.stages[k][3]:
            return e.stages[k][3]
        k -= 1
    return None


if __name__ == "__main__":
    main()
