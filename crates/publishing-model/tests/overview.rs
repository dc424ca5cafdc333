//! The publisher overview: rows, their order, filters and counts; the polling budget; change
//! detection; exports escaped for CSV and iCalendar.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{at, message, now, step, with_id, with_message};
use publishing_model::api::{DisplayDefinition, OfferStatus, OfferSummary, Timestamp};
use publishing_model::changes::{changes, Change, OfferSnapshot, Snapshot};
use publishing_model::export::{
    csv_field, go_live_ics, ics_text, operations_csv, operations_json, GoLiveEvent,
};
use publishing_model::overview::{filter_counts, order, OfferOverview, OverviewFilter, Whose};
use publishing_model::polling::{due_now, OfferPoll, PollBudget, PollPolicy};
use publishing_model::timeline::StepHealth;
use publishing_model::{OfferId, OperationId, OperationSummary, PublishStatus};

fn listed(id: &str, name: &str, changed: &str) -> OfferSummary {
    OfferSummary {
        id: OfferId::from(id),
        definition: Some(DisplayDefinition {
            display_text: Some(name.into()),
            seller_id: None,
        }),
        changed_time: Some(Timestamp::parse(changed)),
        ..OfferSummary::default()
    }
}

fn status(op: &str, steps: Vec<publishing_model::Step>) -> OfferStatus {
    OfferStatus {
        status: Some(op.parse().unwrap_or_else(|n| match n {})),
        steps,
        ..OfferStatus::default()
    }
}

fn row(id: &str, op: &str, steps: Vec<publishing_model::Step>, changed: &str) -> OfferOverview {
    OfferOverview::listed(&listed(id, &id.to_uppercase(), changed))
        .with_status(&status(op, steps), now())
}

fn waiting() -> Vec<publishing_model::Step> {
    vec![
        with_id(step("complete", Some("< 1 day"), None), "displaycertify"),
        with_id(
            step(
                "WaitingForPublisherReview",
                None,
                Some("2024-05-01T10:00:00Z"),
            ),
            "publisher-signoff",
        ),
        with_id(step("notStarted", Some("< 4 days"), None), "live"),
    ]
}

fn running(hours_left: i64) -> Vec<publishing_model::Step> {
    let frame = format!("< {hours_left} hours");
    vec![with_id(
        step("running", Some(&frame), Some("2024-05-01T12:00:00Z")),
        "displaycertify",
    )]
}

fn blocked() -> Vec<publishing_model::Step> {
    vec![with_message(
        with_id(
            step("blocked", Some("< 5 day"), Some("2024-04-30T00:00:00Z")),
            "displaycertify",
        ),
        message("error", "No image", "2024-04-30T01:00:00Z"),
    )]
}

#[test]
fn a_row_says_whose_move_it_is_and_what_runs() {
    let sign_off = row("a", "running", waiting(), "2024-05-01T00:00:00Z");
    assert_eq!(sign_off.whose, Whose::Publisher);
    assert_eq!(
        sign_off.status,
        Some(PublishStatus::WaitingForPublisherReview)
    );
    assert_eq!(
        sign_off.step.as_ref().map(|s| s.0.as_str()),
        Some("publisher-signoff")
    );
    let busy = row("b", "running", running(10), "2024-05-01T00:00:00Z");
    assert_eq!(busy.whose, Whose::Microsoft);
    assert!(busy.finish.is_some());
    let stuck = row("c", "running", blocked(), "2024-05-01T00:00:00Z");
    assert_eq!(stuck.whose, Whose::Publisher);
    assert_eq!(stuck.status, Some(PublishStatus::Blocked));
    let live = row("d", "succeeded", vec![], "2024-04-01T00:00:00Z");
    assert_eq!(live.whose, Whose::Nobody);
}

#[test]
fn migrated_offers_are_marked() {
    let mut s = listed("m", "Moved", "2024-05-01T00:00:00Z");
    s.pc_migration_status = Some("Migrated".into());
    assert!(OfferOverview::listed(&s).migrated);
    assert_eq!(OfferOverview::listed(&s).moved_to, None, "no address given");
    for (uri, want) in [
        (
            "https://partner.microsoft.com/dashboard/offers/1",
            Some("https://partner.microsoft.com/dashboard/offers/1"),
        ),
        ("http://partner.microsoft.com/dashboard", None),
        ("javascript:alert(1)", None),
        ("//evil.example/x", None),
    ] {
        s.pc_redirect_uri = Some(uri.into());
        assert_eq!(OfferOverview::listed(&s).moved_to.as_deref(), want, "{uri}");
    }
    let mut here = listed("n", "Here", "2024-05-01T00:00:00Z");
    here.pc_redirect_uri = Some("https://partner.microsoft.com/dashboard".into());
    let here = OfferOverview::listed(&here);
    assert!(!here.migrated);
    assert_eq!(here.moved_to, None, "only a migrated offer links away");
}

#[test]
fn needs_me_first_then_running_by_expected_end_then_the_rest() {
    let mut rows = vec![
        row("idle", "succeeded", vec![], "2024-04-01T00:00:00Z"),
        row("slow", "running", running(30), "2024-05-01T00:00:00Z"),
        row(
            "old-failure",
            "failed",
            vec![with_id(step("failed", None, None), "x")],
            "2024-03-01T00:00:00Z",
        ),
        row("fast", "running", running(2), "2024-05-01T00:00:00Z"),
        row("sign-off", "running", waiting(), "2024-05-01T00:00:00Z"),
        OfferOverview::listed(&listed("unknown-yet", "Zeta", "2024-05-01T00:00:00Z")),
        row("blocked", "running", blocked(), "2024-05-01T00:00:00Z"),
    ];
    order(&mut rows, now(), str::to_lowercase);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "blocked",
            "sign-off",
            "fast",
            "slow",
            "idle",
            "old-failure",
            "unknown-yet"
        ]
    );
}

#[test]
fn filters_and_their_counts() {
    let rows = [
        row("a", "running", waiting(), "2024-05-01T00:00:00Z"),
        row("b", "running", running(5), "2024-05-01T00:00:00Z"),
        row("c", "running", blocked(), "2024-05-01T00:00:00Z"),
        row(
            "d",
            "failed",
            vec![with_id(step("failed", None, None), "x")],
            "2024-01-01T00:00:00Z",
        ),
        row("e", "succeeded", vec![], "2024-04-01T00:00:00Z"),
    ];
    let counts = filter_counts(rows.iter(), now());
    assert_eq!(
        counts,
        [
            (OverviewFilter::NeedsMe, 2),
            (OverviewFilter::Running, 1),
            (OverviewFilter::Stopped, 2),
            (OverviewFilter::Idle, 1)
        ]
    );
    assert_eq!(
        OverviewFilter::from_slug("needs-me"),
        Some(OverviewFilter::NeedsMe)
    );
    assert_eq!(OverviewFilter::from_slug("<script>"), None);
    assert!(rows[0].matches_text("A", str::to_lowercase));
    assert!(!rows[0].matches_text("zzz", str::to_lowercase));
}

fn policy() -> PollPolicy {
    PollPolicy::new(TimeDelta::seconds(60))
}

#[test]
fn offers_under_way_are_asked_every_minute_and_idle_ones_every_fifteen() {
    let p = policy();
    assert_eq!(
        OfferPoll::answered(now(), true, &p).next_at,
        Some(now() + TimeDelta::seconds(60))
    );
    assert_eq!(
        OfferPoll::answered(now(), false, &p).next_at,
        Some(now() + TimeDelta::minutes(15))
    );
}

#[test]
fn failures_back_off_per_offer_and_honour_retry_after() {
    let first = OfferPoll::default().failed(now(), None, 1.0);
    let second = first.failed(now(), None, 1.0);
    assert!(second.next_at > first.next_at);
    assert_eq!(second.failures, 2);
    let told = OfferPoll::default().failed(now(), Some(TimeDelta::seconds(90)), 0.0);
    assert_eq!(told.next_at, Some(now() + TimeDelta::seconds(90)));
    assert_eq!(OfferPoll::answered(now(), true, &policy()).failures, 0);
}

#[test]
fn never_more_than_one_request_a_second_on_average() {
    let p = policy();
    let mut budget = PollBudget::new(now(), &p);
    let polls = vec![OfferPoll::default(); 200];
    let busy = vec![false; 200];
    let mut asked = 0;
    for second in 0..60 {
        let t = now() + TimeDelta::seconds(second);
        asked += due_now(&polls, &busy, t, 4, &mut budget, &p).len();
    }
    // A burst of 4 at the start, then one a second.
    assert!(asked <= 60 + 4, "{asked}");
    assert!(asked >= 59, "{asked}");
}

#[test]
fn the_most_overdue_go_first_and_busy_ones_wait() {
    let p = policy();
    let mut budget = PollBudget::new(now(), &p);
    let polls = vec![
        OfferPoll {
            next_at: Some(now() - TimeDelta::seconds(5)),
            failures: 0,
        },
        OfferPoll {
            next_at: Some(now() + TimeDelta::seconds(5)),
            failures: 0,
        },
        OfferPoll {
            next_at: Some(now() - TimeDelta::seconds(50)),
            failures: 0,
        },
        OfferPoll {
            next_at: Some(now() - TimeDelta::seconds(90)),
            failures: 0,
        },
    ];
    let picked = due_now(
        &polls,
        &[false, false, false, true],
        now(),
        4,
        &mut budget,
        &p,
    );
    assert_eq!(picked, vec![2, 0]);
}

fn snapshot(status: &str, errors: &[&str], overdue: &[&str]) -> Snapshot {
    stuck_snapshot(status, errors, overdue, &[])
}

fn stuck_snapshot(status: &str, errors: &[&str], overdue: &[&str], stuck: &[&str]) -> Snapshot {
    let mut s = Snapshot::new();
    s.insert(
        OfferId::from("vm"),
        OfferSnapshot {
            name: "Contoso VM".into(),
            status: status.parse().unwrap_or_else(|n| match n {}),
            errors: errors.iter().map(|e| (*e).to_owned()).collect(),
            overdue: overdue.iter().map(|e| (*e).to_owned()).collect(),
            stuck: stuck.iter().map(|e| (*e).to_owned()).collect(),
        },
    );
    s
}

#[test]
fn the_first_look_is_no_change() {
    assert!(changes(None, &snapshot("running", &["x"], &["Certification"])).is_empty());
}

#[test]
fn a_status_move_a_new_error_and_a_new_overdue_step_are_changes() {
    let before = snapshot("running", &["old"], &[]);
    let after = snapshot("blocked", &["old", "new"], &["Certification"]);
    let found = changes(Some(&before), &after);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(matches!(
        &found[0],
        Change::Status {
            to: PublishStatus::Blocked,
            ..
        }
    ));
    assert!(matches!(&found[1], Change::Error { text, .. } if text == "new"));
    assert!(matches!(&found[2], Change::Overdue { step, .. } if step == "Certification"));
    assert!(matches!(&found[0], Change::Status { name, .. } if name == "Contoso VM"));
    assert!(
        changes(Some(&after), &after).is_empty(),
        "no move, no change"
    );
    assert!(
        changes(Some(&Snapshot::new()), &after).is_empty(),
        "a newly seen offer is no change"
    );
}

#[test]
fn snapshots_read_errors_as_text_and_overdue_steps() {
    let s = OfferSnapshot::of(
        "VM",
        &status("running", blocked()),
        PublishStatus::Blocked,
        &[StepHealth::Overdue {
            by: TimeDelta::hours(2),
        }],
    );
    assert_eq!(s.errors, ["No image"]);
    assert_eq!(s.overdue, ["displaycertify"]);
}

#[test]
fn csv_fields_are_quoted_and_formulas_neutralised() {
    assert_eq!(csv_field("plain"), "\"plain\"");
    assert_eq!(csv_field("a \"b\", c\r\nd"), "\"a \"\"b\"\", c\r\nd\"");
    for hostile in [
        "=HYPERLINK(\"http://x\")",
        "+1",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
    ] {
        let field = csv_field(hostile);
        assert!(field.starts_with("\"'"), "{hostile:?} -> {field}");
    }
    assert_eq!(
        csv_field("1e350123"),
        "\"1e350123\"",
        "ids stay text, quoted"
    );
}

fn op(id: &str, offer: &str) -> OperationSummary {
    OperationSummary {
        id: OperationId(id.into()),
        offer_id: Some(OfferId::from(offer)),
        status: Some(PublishStatus::Completed),
        submission_type: Some("goLive".into()),
        version: Some(636_576_975_611_768_314),
        created_date_time: Some(Timestamp::parse("2024-05-01T00:00:00Z")),
        changed_time: Some(Timestamp::parse("2024-05-02T00:00:00Z")),
        ..OperationSummary::default()
    }
}

#[test]
fn the_csv_has_a_header_and_crlf_lines_and_hostile_values_are_inert() {
    let csv = operations_csv(&[op("1e35", "=cmd|' /C calc'!A0"), op("b", "ok")]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines.len(),
        4,
        "header, two rows, and the final CRLF: {csv:?}"
    );
    assert!(lines[0].starts_with("\"operation id\",\"status\""));
    assert!(lines[1].starts_with("\"1e35\",\"completed\",\"Go live\""));
    assert!(lines[1].ends_with(",\"'=cmd|' /C calc'!A0\""));
    assert!(lines[1].contains("\"2024-05-01T00:00:00Z\""));
}

#[test]
fn the_json_keeps_every_id_and_version_a_string() {
    let json: serde_json::Value =
        serde_json::from_str(&operations_json(&[op("x", "o")])).expect("json");
    assert_eq!(json[0]["version"], "636576975611768314");
    assert_eq!(json[0]["operationId"], "x");
}

#[test]
fn ics_text_is_escaped_and_lines_are_folded() {
    assert_eq!(ics_text("a;b,c\\d\ne\u{7}"), "a\\;b\\,c\\\\d\\ne");
    let start: DateTime<Utc> = at("2024-05-03T12:00:00Z");
    let ics = go_live_ics(&GoLiveEvent {
        operation: "5a63deb5-925b-4ee0-938b-000000000001",
        offer: "contoso-vm",
        offer_name: "Contoso; VM, \"best\"\nEVIL:INJECTED",
        earliest: start,
        latest: start + TimeDelta::days(2),
        description: &"Preview ready between Tue and Thu. ".repeat(5),
        url: "https://example.test/demo/publishers/contoso/offers/contoso-vm/operations/5a63deb5",
        now: now(),
    });
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.contains("DTSTART:20240503T120000Z\r\n"));
    assert!(ics.contains("DTEND:20240505T120000Z\r\n"));
    assert!(ics.contains("UID:5a63deb5-925b-4ee0-938b-000000000001.contoso-vm@"));
    assert!(ics.contains("SUMMARY:Expected live: Contoso\\; VM\\, \"best\"\\nEVIL:INJECTED"));
    assert!(
        !ics.contains("\r\nEVIL:"),
        "a line break in a name cannot start a property"
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "folded: {line:?}");
    }
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
}
