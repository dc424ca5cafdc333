//! The watcher's events from pairs of looks (each kind, the first look, a sign-off still
//! waiting at start, reminders, nothing overdue after a failure), grouping, quiet hours, and
//! the payloads' escaping.

mod common;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use common::{message, step, with_id, with_message};
use publishing_model::alerts::{
    batches, email_subject, events, AlertPolicy, Event, EventKind, Look, Notice, Pending,
    QuietHours,
};
use publishing_model::api::{Link, OfferStatus};
use publishing_model::timeline::DEFAULT_QUIET_LIMIT;
use publishing_model::{OfferId, PublisherId, Step};

fn t0() -> DateTime<Utc> {
    "2026-12-07T09:00:00Z".parse().expect("instant")
}

fn ago(at: DateTime<Utc>, d: TimeDelta) -> String {
    (at - d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const DAY: fn(i64) -> TimeDelta = TimeDelta::days;
const HOUR: fn(i64) -> TimeDelta = TimeDelta::hours;
const MIN: fn(i64) -> TimeDelta = TimeDelta::minutes;

fn status(op: &str, steps: Vec<Step>) -> OfferStatus {
    OfferStatus {
        status: Some(op.parse().unwrap_or_else(|n| match n {})),
        steps,
        ..OfferStatus::default()
    }
}

fn done(id: &str, at: DateTime<Utc>) -> Step {
    let s = with_id(
        step("complete", Some("< 1 day"), Some(&ago(at, DAY(6)))),
        id,
    );
    with_message(
        s,
        message("information", "Step completed.", &ago(at, DAY(5))),
    )
}

/// Validation done, certification in `cert`'s state, then the sign-off step in `signoff`'s.
fn publish(at: DateTime<Utc>, cert: &str, signoff: &str) -> Vec<Step> {
    vec![
        done("Validation", at),
        with_id(
            step(cert, Some("< 5 day"), Some(&ago(at, HOUR(2)))),
            "Certification",
        ),
        with_id(step(signoff, None, None), "Publisher signoff"),
    ]
}

/// Waiting for the publisher's sign-off since `since` before `at`.
fn waiting(at: DateTime<Utc>, since: TimeDelta) -> OfferStatus {
    let signoff = with_id(
        step("waitingForPublisherReview", None, Some(&ago(at, since))),
        "Publisher signoff",
    );
    status(
        "waitingForPublisherReview",
        vec![done("Validation", at), done("Certification", at), signoff],
    )
}

fn look(s: &OfferStatus, at: DateTime<Utc>) -> Look {
    Look::of("Contoso SaaS", s, at, DEFAULT_QUIET_LIMIT)
}

/// Events of a look after `before`, and the look to keep.
fn next(before: Option<&Look>, s: &OfferStatus, at: DateTime<Utc>) -> (Vec<Event>, Look) {
    events(
        &PublisherId::from("contoso"),
        &OfferId::from("saas"),
        before,
        look(s, at),
        &AlertPolicy::default(),
    )
}

fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[test]
fn a_sign_off_found_on_the_first_look_is_told_once_with_how_long_it_waited() {
    let (found, kept) = next(None, &waiting(t0(), DAY(2)), t0());
    assert_eq!(kinds(&found), [EventKind::Signoff]);
    assert!(found[0].first_look);
    assert_eq!(found[0].reminder, 0);
    let words = Notice::new(found.clone(), None).title();
    assert_eq!(words, "Contoso SaaS: Waiting for your sign-off for 2 days");
    // A restart reads the stored look back: nothing is told again.
    let stored = Look::from_json(&kept.to_json()).expect("stored look");
    assert_eq!(stored, kept);
    let (again, _) = next(
        Some(&stored),
        &waiting(t0() + MIN(1), DAY(2) + MIN(1)),
        t0() + MIN(1),
    );
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_sign_off_still_waiting_is_reminded_every_day_with_a_key_of_its_own() {
    let (first, mut kept) = next(None, &waiting(t0(), HOUR(1)), t0());
    let mut keys = vec![first[0].key()];
    for hour in 1..=49 {
        let at = t0() + HOUR(hour);
        let (told, now) = next(Some(&kept), &waiting(at, HOUR(1 + hour)), at);
        kept = now;
        match hour {
            24 | 48 => {
                assert_eq!(kinds(&told), [EventKind::Signoff], "hour {hour}");
                assert_eq!(told[0].reminder, (hour / 24) as u32);
                assert!(!told[0].first_look);
                assert!(Notice::new(told.clone(), None)
                    .title()
                    .contains("Still waiting for your sign-off, for"));
                keys.push(told[0].key());
            }
            _ => assert!(told.is_empty(), "hour {hour}: {told:?}"),
        }
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3, "each reminder has its own key");
}

#[test]
fn a_sign_off_that_begins_between_looks_is_told_as_seen() {
    let (none, kept) = next(
        None,
        &status("running", publish(t0(), "running", "notStarted")),
        t0(),
    );
    assert!(none.is_empty(), "{none:?}");
    let at = t0() + MIN(1);
    let (told, _) = next(Some(&kept), &waiting(at, MIN(0)), at);
    assert_eq!(kinds(&told), [EventKind::Signoff]);
    assert!(!told[0].first_look);
    assert_eq!(
        Notice::new(told, None).title(),
        "Contoso SaaS: Waiting for your sign-off"
    );
}

#[test]
fn the_first_look_never_tells_that_an_offer_went_live_failed_or_was_canceled() {
    let mut live = status("completed", publish(t0(), "complete", "complete"));
    live.live_links = vec![Link {
        text: "Live".into(),
        url: "https://example.com".into(),
    }];
    for s in [
        live,
        status("canceled", publish(t0(), "canceled", "notStarted")),
        status("failed", publish(t0(), "failed", "notStarted")),
    ] {
        let (found, _) = next(None, &s, t0());
        assert!(found.is_empty(), "{:?}: {found:?}", s.status);
    }
}

#[test]
fn a_go_live_that_completes_is_told_as_live() {
    let (_, kept) = next(None, &waiting(t0(), HOUR(3)), t0());
    let at = t0() + HOUR(1);
    let (none, kept) = next(
        Some(&kept),
        &status("running", publish(at, "complete", "complete")),
        at,
    );
    assert!(none.is_empty(), "going live is no event yet: {none:?}");
    let at = at + HOUR(1);
    let (live, _) = next(
        Some(&kept),
        &status("completed", publish(at, "complete", "complete")),
        at,
    );
    assert_eq!(kinds(&live), [EventKind::Live]);
}

#[test]
fn a_failure_and_a_cancel_are_told_and_nothing_is_overdue_after_a_failure() {
    // Certification running for 9 days against "< 5 day": overdue, and heard from an hour ago.
    let at = t0();
    let overdue = || {
        let cert = with_id(
            step("running", Some("< 5 day"), Some(&ago(at, DAY(9)))),
            "Certification",
        );
        vec![
            done("Validation", at),
            with_message(cert, message("information", "Scanning.", &ago(at, HOUR(1)))),
        ]
    };
    let (found, kept) = next(None, &status("running", overdue()), at);
    assert!(
        found.is_empty(),
        "overdue alone is not told on the first look: {found:?}"
    );
    assert_eq!(kept.overdue, ["Certification"]);
    let mut failed_steps = overdue();
    failed_steps[1].status = Some("failed".parse().unwrap_or_else(|n| match n {}));
    let (told, kept) = next(Some(&kept), &status("failed", failed_steps), at + MIN(1));
    assert_eq!(kinds(&told), [EventKind::Failed]);
    assert_eq!(told[0].step.as_deref(), Some("Certification"));
    assert!(kept.overdue.is_empty(), "no overdue once it failed");

    let (_, kept) = next(
        None,
        &status("running", publish(at, "running", "notStarted")),
        at,
    );
    let (told, _) = next(
        Some(&kept),
        &status("canceled", publish(at, "canceled", "notStarted")),
        at + MIN(1),
    );
    assert_eq!(kinds(&told), [EventKind::Canceled]);
}

#[test]
fn a_step_that_becomes_overdue_then_stuck_is_told_each_once() {
    let cert = |at: DateTime<Utc>, heard: TimeDelta| {
        let c = with_id(
            step("running", Some("< 5 day"), Some(&ago(t0(), DAY(4)))),
            "Certification",
        );
        status(
            "running",
            vec![
                done("Validation", at),
                with_message(c, message("information", "Scanning.", &ago(at, heard))),
            ],
        )
    };
    let (none, kept) = next(None, &cert(t0(), HOUR(1)), t0());
    assert!(none.is_empty());
    // Two days on: past "< 5 day", heard from an hour ago.
    let at = t0() + DAY(2);
    let (told, kept) = next(Some(&kept), &cert(at, HOUR(1)), at);
    assert_eq!(kinds(&told), [EventKind::Overdue]);
    let (again, kept) = next(Some(&kept), &cert(at + MIN(1), HOUR(1)), at + MIN(1));
    assert!(again.is_empty(), "{again:?}");
    // Silent for two days more: probably stuck.
    let at = at + DAY(2);
    let (told, _) = next(Some(&kept), &cert(at, DAY(2)), at);
    assert_eq!(kinds(&told), [EventKind::Stuck]);
    assert_eq!(told[0].step.as_deref(), Some("Certification"));
}

#[test]
fn stuck_and_blocked_found_on_the_first_look_are_told_once_and_marked() {
    let c = with_id(
        step("running", Some("< 1 day"), Some(&ago(t0(), DAY(8)))),
        "Certification",
    );
    let stuck = status("running", vec![done("Validation", t0()), c]);
    let (found, kept) = next(None, &stuck, t0());
    assert_eq!(kinds(&found), [EventKind::Stuck]);
    assert!(found[0].first_look);
    assert!(Notice::new(found, None)
        .title()
        .ends_with("(found when the watcher first looked)"));
    let (again, _) = next(Some(&kept), &stuck, t0() + MIN(1));
    assert!(again.is_empty(), "{again:?}");

    let b = with_message(
        with_id(
            step("blocked", None, Some(&ago(t0(), HOUR(5)))),
            "Certification",
        ),
        message(
            "error",
            "The <b>image</b> failed the scan.",
            &ago(t0(), HOUR(4)),
        ),
    );
    let blocked = status("blocked", vec![done("Validation", t0()), b]);
    let (found, kept) = next(None, &blocked, t0());
    assert_eq!(
        kinds(&found),
        [EventKind::Blocked],
        "its error is not told on the first look"
    );
    assert!(found[0].first_look);
    let (again, _) = next(Some(&kept), &blocked, t0() + MIN(1));
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_new_error_is_told_once_per_message_as_text() {
    let with_errors = |texts: &[&str]| {
        let mut c = with_id(
            step("running", Some("< 5 day"), Some(&ago(t0(), HOUR(2)))),
            "Certification",
        );
        for t in texts {
            c = with_message(c, message("error", t, &ago(t0(), MIN(5))));
        }
        status("running", vec![done("Validation", t0()), c])
    };
    let (_, kept) = next(None, &with_errors(&["Old <i>one</i>"]), t0());
    let (told, kept) = next(
        Some(&kept),
        &with_errors(&["Old <i>one</i>", "New <b>one</b>"]),
        t0() + MIN(1),
    );
    assert_eq!(kinds(&told), [EventKind::Error]);
    assert_eq!(told[0].message.as_deref(), Some("New one"));
    let (again, kept) = next(
        Some(&kept),
        &with_errors(&["Old <i>one</i>", "New <b>one</b>"]),
        t0() + MIN(2),
    );
    assert!(again.is_empty());
    let (third, _) = next(
        Some(&kept),
        &with_errors(&["Old <i>one</i>", "New <b>one</b>", "Third"]),
        t0() + MIN(3),
    );
    assert_eq!(third.len(), 1);
    assert_ne!(third[0].key(), told[0].key(), "each message its own key");
}

#[test]
fn a_new_publish_is_a_new_operation_whose_sign_off_is_told_again() {
    let (first, kept) = next(None, &waiting(t0(), HOUR(1)), t0());
    let at = t0() + HOUR(2);
    let (_, kept) = next(
        Some(&kept),
        &status("completed", publish(at, "complete", "complete")),
        at,
    );
    let at = at + DAY(3);
    let (_, kept) = next(
        Some(&kept),
        &status("running", publish(at, "running", "notStarted")),
        at,
    );
    let at = at + HOUR(1);
    let (second, _) = next(Some(&kept), &waiting(at, MIN(10)), at);
    assert_eq!(kinds(&second), [EventKind::Signoff]);
    assert_ne!(first[0].publish, second[0].publish);
    assert_ne!(first[0].key(), second[0].key());
}

#[test]
fn the_rows_of_one_operation_go_together_after_group_wait() {
    let at = |s: i64| t0() + TimeDelta::seconds(s);
    let p = |id: &str, group: &str, s: i64| Pending {
        id: id.into(),
        group: group.into(),
        created: at(s),
    };
    let pending = [
        p("1", "a", 0),
        p("2", "b", 5),
        p("3", "a", 20),
        p("4", "a", 40),
    ];
    let wait = TimeDelta::seconds(30);
    assert!(
        batches(&pending, at(29), wait).is_empty(),
        "the oldest waits 30 s"
    );
    assert_eq!(batches(&pending, at(30), wait), [vec!["1", "3"]]);
    assert_eq!(
        batches(&pending, at(70), wait),
        [vec!["1", "3"], vec!["2"], vec!["4"]]
    );
}

#[test]
fn quiet_hours_hold_messages_until_the_window_ends_across_midnight() {
    let q = QuietHours::parse("22:00-07:00").expect("window");
    let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let t = |h: u32, m: u32| day.and_hms_opt(h, m, 0).expect("time");
    assert_eq!(q.held_until(t(21, 59)), None);
    assert_eq!(
        q.held_until(t(22, 0)),
        Some(
            day.succ_opt()
                .expect("next")
                .and_hms_opt(7, 0, 0)
                .expect("7")
        )
    );
    assert_eq!(q.held_until(t(3, 0)), Some(t(7, 0)));
    assert_eq!(q.held_until(t(7, 0)), None);
    let day_window = QuietHours::parse("12:00-13:30").expect("window");
    assert_eq!(day_window.held_until(t(12, 15)), Some(t(13, 30)));
    assert_eq!(day_window.held_until(t(13, 30)), None);
    for bad in ["", "22:00", "25:00-07:00", "07:00-07:00", "10-11"] {
        assert_eq!(QuietHours::parse(bad), None, "{bad:?}");
    }
}

#[test]
fn hostile_offer_names_and_messages_stay_text_in_every_payload() {
    let hostile = "Evil</b><script>alert(1)</script> *bold* [click](https://evil.example) <!here>\r\nBcc: x@evil";
    let mut s = with_id(
        step("running", Some("< 5 day"), Some(&ago(t0(), HOUR(2)))),
        "Certification",
    );
    s = with_message(
        s,
        message(
            "error",
            "<img src=x onerror=alert(1)>Bad &amp; worse",
            &ago(t0(), MIN(1)),
        ),
    );
    let before = Look::of(
        hostile,
        &status("running", vec![done("Validation", t0())]),
        t0(),
        DEFAULT_QUIET_LIMIT,
    );
    let (told, _) = events(
        &PublisherId::from("contoso"),
        &OfferId::from("saas"),
        Some(&before),
        Look::of(
            hostile,
            &status("running", vec![done("Validation", t0()), s]),
            t0(),
            DEFAULT_QUIET_LIMIT,
        ),
        &AlertPolicy::default(),
    );
    assert_eq!(kinds(&told), [EventKind::Error]);
    assert_eq!(
        told[0].message.as_deref(),
        Some("Bad & worse"),
        "the message is text"
    );
    let notice = Notice::new(told, Some("https://dash.example.com/ops/"));
    assert_eq!(
        notice.url.as_deref(),
        Some("https://dash.example.com/ops/live/publishers/contoso/offers/saas")
    );

    let html = notice.html();
    assert!(
        !html.contains("<script>") && !html.contains("</b><script"),
        "{html}"
    );
    assert!(html.contains("Evil&lt;/b&gt;&lt;script&gt;"));

    let subject = email_subject(&notice);
    assert!(
        !subject.contains('\r') && !subject.contains('\n'),
        "{subject:?}"
    );

    let slack = notice.slack();
    let text = slack["text"].as_str().expect("text");
    assert!(
        !text.contains('<') && !text.contains('>'),
        "Slack's mrkdwn is escaped: {text}"
    );
    for block in slack["blocks"].as_array().expect("blocks") {
        if let Some(t) = block.get("text") {
            assert_eq!(t["type"], "plain_text", "untrusted text is plain: {block}");
        }
    }

    let teams = notice.teams();
    assert_eq!(teams["type"], "message");
    let attachment = &teams["attachments"][0];
    assert_eq!(
        attachment["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let card = &attachment["content"];
    assert_eq!(card["version"], "1.4");
    for block in card["body"].as_array().expect("body") {
        assert_eq!(
            block["type"], "RichTextBlock",
            "no TextBlock reads Markdown: {block}"
        );
        for inline in block["inlines"].as_array().expect("inlines") {
            assert_eq!(inline["type"], "TextRun");
        }
    }
    assert_eq!(
        card["actions"][0]["url"],
        notice.url.clone().expect("url").as_str()
    );

    let webhook = notice.webhook();
    assert_eq!(webhook["type"], "error");
    assert_eq!(webhook["offer"], "saas");
    assert_eq!(webhook["message"], "Bad & worse");
    assert_eq!(webhook["events"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_steps_run_is_measured_only_from_a_start_the_watcher_saw() {
    use publishing_model::alerts::{step_changes, StepChange};
    use publishing_model::StatusKind;
    let at = t0();
    let first = look(
        &status("running", publish(at, "notStarted", "notStarted")),
        at,
    );
    assert!(
        step_changes(None, &first).is_empty(),
        "the first look measures nothing"
    );
    let running = look(
        &status("running", publish(at, "running", "notStarted")),
        at + MIN(1),
    )
    .after(&first);
    assert_eq!(
        step_changes(Some(&first), &running),
        [StepChange::Started {
            key: "Certification".into(),
            name: "Certification".into()
        }]
    );
    let done = look(
        &status("running", publish(at, "complete", "notStarted")),
        at + HOUR(5),
    )
    .after(&running);
    assert_eq!(
        step_changes(Some(&running), &done),
        [StepChange::Ended {
            key: "Certification".into(),
            name: "Certification".into(),
            outcome: StatusKind::Succeeded
        }]
    );
    assert!(
        step_changes(Some(&done), &done.clone()).is_empty(),
        "nothing twice"
    );
    // Begun and done between two looks: never seen running, so not measured.
    let quick = look(
        &status("running", publish(at, "complete", "notStarted")),
        at + MIN(1),
    )
    .after(&first);
    assert!(step_changes(Some(&first), &quick).is_empty());
    // A stored look from before steps had keys reads, and measures nothing wrongly.
    let old = r#"{"at":"2026-12-07T09:00:00Z","name":"x","status":"running","publish":"p","steps":[{"name":"Certification","status":"running"}],
        "blocked":null,"errors":[],"overdue":[],"stuck":[],"waitingSince":null,"live":false,"signoffTold":null,"reminders":0}"#;
    assert!(Look::from_json(old).is_some());
}

#[test]
fn durations_summarize_as_median_80th_percentile_and_range() {
    use publishing_model::history::summarize;
    let h = |n: &[i64]| summarize(n.iter().map(|h| HOUR(*h)).collect()).expect("some");
    let s = h(&[10, 2, 4, 8, 6]);
    assert_eq!(
        (s.samples, s.median, s.p80, s.min, s.max),
        (5, HOUR(6), HOUR(8), HOUR(2), HOUR(10))
    );
    let s = h(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!((s.median, s.p80), (TimeDelta::minutes(330), HOUR(8)));
    assert_eq!(h(&[3]).p80, HOUR(3));
    assert!(summarize(Vec::new()).is_none());
}

#[test]
fn step_statistics_cover_the_offer_and_every_offer_and_leave_outages_out() {
    use publishing_model::alerts::{step_statistics, Run};
    let h = 3_600_000;
    let run = |offer: &str, took_h: i64, gap_ms: i64| Run {
        offer: offer.into(),
        key: "Certification".into(),
        name: "Certification".into(),
        started_after: 0,
        started: gap_ms,
        ended_after: gap_ms + took_h * h - 60_000,
        ended: gap_ms + took_h * h,
    };
    let runs = [
        run("a", 10, 60_000),
        run("b", 20, 60_000),
        run("a", 30, 60_000),
        run("c", 40, 2 * h),
    ];
    let stats = step_statistics(&runs, "a", TimeDelta::minutes(5));
    assert_eq!(stats.len(), 1);
    let s = &stats[0];
    let own = s.offer.as_ref().expect("the offer's");
    assert_eq!((own.samples, own.median), (2, HOUR(20)));
    assert!(!own.across_offers);
    let all = s.publisher.as_ref().expect("the publisher's");
    assert_eq!(
        (all.samples, all.median, all.min, all.max),
        (3, HOUR(20), HOUR(10), HOUR(30)),
        "the run across an outage is left out"
    );
    assert!(all.across_offers);
}
