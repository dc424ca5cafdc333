//! One test per fixture in `tests/fixtures/`: corrected seed samples and hostile cases.

use publishing_model::api::{
    parse_error_body, parse_offer_status, parse_offers, parse_operation, parse_operations,
    parse_publishers,
};
use publishing_model::{CancellationState, Document, MessageLevel, PublishStatus, StatusKind};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/", $name))
    };
}

#[test]
fn seed_operations_list() {
    let ops = parse_operations(fixture!("seed_operations_list.json")).expect("seed list parses");
    assert_eq!(ops.len(), 1);
    let op = &ops[0];
    assert_eq!(op.id.as_str(), "5a63deb5-925b-4ee0-938b-7c86fbf287c5");
    assert_eq!(
        op.version,
        Some(636_576_975_611_768_314),
        "ticks above 2^53 stay exact"
    );
    assert_eq!(op.submission_type.as_deref(), Some("publish"));
    assert_eq!(op.slot.as_deref(), Some("staging"));
    assert_eq!(op.effective_status(), PublishStatus::Running);
    assert_eq!(op.emails(), Some("jdoe@contoso.com"));
    assert_eq!(
        op.changed_at().map(|t| t.to_rfc3339()),
        Some("2018-03-26T21:46:01.179948+00:00".to_owned())
    );
}

#[test]
fn seed_operation_detail_array_of_one() {
    let op = parse_operation(fixture!("seed_operation_detail.json")).expect("seed detail parses");
    assert_eq!(op.status, Some(PublishStatus::Running));
    assert_eq!(
        op.cancellation_request_state,
        Some(CancellationState::CanCancel)
    );
    assert!(op.can_cancel());
    let ids: Vec<_> = op
        .steps
        .iter()
        .map(|s| s.id.as_ref().map(|i| i.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            Some("displaydummycertify"),
            Some("displaycertify"),
            Some("displayprovision"),
            Some("displaypackage"),
            Some("publisher-signoff"),
            Some("live")
        ]
    );
    assert_eq!(
        op.steps[0].status,
        Some(PublishStatus::Completed),
        "`complete` means completed"
    );
    assert_eq!(
        op.steps[1].status.as_ref().map(|s| s.kind()),
        Some(StatusKind::Blocked)
    );
    assert_eq!(op.steps[1].messages[0].level, Some(MessageLevel::Error));
    assert!(op.steps[1].messages[0]
        .timestamp
        .as_ref()
        .and_then(|t| t.parsed)
        .is_some());
    assert!(
        op.steps[4].estimated_time_frame.is_none(),
        "sign-off has no estimate"
    );
    let live = op.steps[5]
        .estimated_time_frame
        .as_ref()
        .and_then(|f| f.range)
        .expect("range");
    assert_eq!((live.min.num_days(), live.max.num_days()), (2, 5));
}

#[test]
fn seed_operation_detail_zh_has_notification_emails_and_parses() {
    let op = parse_operation(fixture!("seed_operation_detail_zh.json")).expect("parses");
    assert_eq!(op.steps.len(), 6);
}

#[test]
fn seed_operation_detail_bare_object() {
    let op = parse_operation(fixture!("seed_operation_detail_object.json")).expect("object form");
    assert_eq!(op.steps.len(), 1);
    assert_eq!(op.steps[0].progress_percentage, Some(100));
}

#[test]
fn seed_operation_detail_malformed_names_position() {
    let err =
        parse_operation(fixture!("seed_operation_detail_malformed.json")).expect_err("an error");
    assert_eq!(err.document, Document::Operation);
    assert!(
        err.line > 80,
        "points at the trailing comma near the end: {err}"
    );
    assert!(err.column > 0);
    assert!(
        err.to_string().contains("could not read the operation"),
        "{err}"
    );
}

#[test]
fn seed_offer_status() {
    let st = parse_offer_status(fixture!("seed_offer_status.json")).expect("parses");
    assert_eq!(
        st.status,
        Some(PublishStatus::Completed),
        "`succeeded` means completed"
    );
    assert_eq!(st.steps.len(), 6);
    assert_eq!(
        st.steps[0].messages[0]
            .timestamp
            .as_ref()
            .and_then(|t| t.parsed)
            .map(|t| t.timestamp_subsec_nanos()),
        Some(721_566_100),
        "seven fractional digits"
    );
    // A `complete` step at 0 %: the status is the truth, the percentage only a hint.
    assert_eq!(st.steps[5].status, Some(PublishStatus::Completed));
    assert_eq!(st.steps[5].progress_percentage, Some(0));
}

#[test]
fn seed_offer_status_malformed_missing_quote() {
    let err =
        parse_offer_status(fixture!("seed_offer_status_malformed.json")).expect_err("an error");
    assert_eq!(err.document, Document::OfferStatus);
    assert!(err.line > 1 && err.column > 0, "{err:?}");
}

#[test]
fn nasty_nulls_operation() {
    let op = parse_operation(fixture!("nasty_nulls_operation.json")).expect("nulls are fine");
    assert_eq!(op.status, None);
    assert_eq!(
        op.steps.len(),
        1,
        "a null step is dropped, the null-filled one kept"
    );
    assert_eq!(op.steps[0].display_name(), "Unnamed step");
    assert_eq!(op.steps[0].messages.len(), 1);
    assert!(op.preview_links.is_empty());
}

#[test]
fn nasty_unknown_statuses_list() {
    let ops = parse_operations(fixture!("nasty_unknown_statuses_list.json")).expect("parses");
    assert_eq!(ops.len(), 8, "non-objects skipped");
    assert_eq!(ops[0].effective_status(), PublishStatus::NotStarted);
    assert_eq!(ops[1].effective_status(), PublishStatus::Running);
    assert_eq!(ops[1].version, Some(u64::MAX));
    assert_eq!(
        ops[2].effective_status(),
        PublishStatus::Completed,
        "`status` wins over submissionState"
    );
    assert_eq!(
        ops[3].effective_status(),
        PublishStatus::Other("Superseded".into())
    );
    assert_eq!(ops[3].effective_status().label(), "Superseded");
    assert_eq!(ops[4].effective_status().key(), "quarantinedbypolicy");
    assert!(
        ops[4].changed_at().is_none(),
        "a bad timestamp is just unknown"
    );
    assert_eq!(
        ops[4].changed_time.as_ref().map(|t| t.raw.as_str()),
        Some("not a time")
    );
    assert!(ops[5].changed_at().is_some(), "no zone means UTC");
    assert_eq!(ops[5].effective_status(), PublishStatus::Canceled);
    assert_eq!(ops[6].id.as_str(), "7");
    assert_eq!(ops[6].version, Some(1000));
    assert_eq!(ops[7].version, Some(636_576_975_611_768_315));
    assert_eq!(ops[7].effective_status().kind(), StatusKind::Unknown);
}

#[test]
fn nasty_wrong_types_operation() {
    let op = parse_operation(fixture!("nasty_wrong_types_operation.json")).expect("parses");
    assert_eq!(op.status, None, "a list is not a status");
    assert_eq!(op.messages.len(), 3);
    assert_eq!(op.messages[0].html.as_deref(), Some("Plain string message"));
    assert_eq!(op.messages[2].level, Some(MessageLevel::Warning));
    assert_eq!(
        op.messages[2].timestamp.as_ref().and_then(|t| t.parsed),
        None
    );
    assert_eq!(op.publishing_version, Some(2));
    assert_eq!(op.offer_version, None);
    assert!(op.can_cancel());
    assert_eq!(op.steps.len(), 4);
    assert_eq!(op.steps[0].progress_percentage, Some(55));
    assert_eq!(op.steps[0].status, Some(PublishStatus::Running));
    assert_eq!(
        op.steps[0]
            .estimated_time_frame
            .as_ref()
            .map(|f| f.text.as_str()),
        Some("12")
    );
    assert_eq!(op.steps[1].progress_percentage, Some(100));
    assert!(op.steps[1]
        .estimated_time_frame
        .as_ref()
        .is_some_and(|f| f.range.is_none()));
    assert_eq!(
        op.steps[2].progress_percentage,
        Some(0),
        "processPercentage alias, clamped"
    );
    assert!(op.steps[2]
        .estimated_time_frame
        .as_ref()
        .is_some_and(|f| f.range.is_some()));
    assert_eq!(op.steps[3].display_name(), "99");
    assert_eq!(op.steps[3].status, None, "a number is not a status word");
    assert_eq!(op.preview_links.len(), 2);
    assert_eq!(op.preview_links[1].text, "Preview");
    assert!(op.live_links.is_empty());
}

#[test]
fn nasty_xss_operation_keeps_text_for_the_sanitiser() {
    let op = parse_operation(fixture!("nasty_xss_operation.json")).expect("parses");
    assert_eq!(op.steps[0].messages.len(), 5);
    assert!(op.steps[0].messages[1]
        .html
        .as_deref()
        .is_some_and(|h| h.contains("<script>")));
}

#[test]
fn offers_list() {
    let offers = parse_offers(fixture!("offers_list.json")).expect("parses");
    assert_eq!(offers.len(), 2);
    assert_eq!(offers[0].display_name(), "Contoso Virtual Machine");
    assert_eq!(
        offers[0].status,
        Some(PublishStatus::Other("published".into()))
    );
    assert_eq!(
        offers[1].display_name(),
        "contoso-migrated-vm",
        "empty name falls back to id"
    );
    assert_eq!(offers[1].pc_migration_status.as_deref(), Some("migrated"));
}

#[test]
fn publishers_list() {
    let publishers = parse_publishers(fixture!("publishers_list.json")).expect("parses");
    assert_eq!(publishers[0].display_name(), "Contoso");
    assert_eq!(
        publishers[0]
            .definition
            .as_ref()
            .and_then(|d| d.seller_id.as_deref()),
        Some("12345")
    );
    assert_eq!(publishers[1].display_name(), "fabrikam");
}

#[test]
fn error_body() {
    let body = parse_error_body(fixture!("error_body.json")).expect("has an error");
    assert_eq!(body.code.as_deref(), Some("InvalidAPIVersion"));
    assert!(body.message.is_some_and(|m| m.contains("not supported")));
    assert_eq!(parse_error_body("<html>bad gateway</html>"), None);
    assert_eq!(parse_error_body("{}"), None);
}

#[test]
fn empty_and_wrong_top_level_shapes_are_clear_errors() {
    let err = parse_operation("[]").expect_err("an error");
    assert!(err.reason.contains("empty list"));
    let err = parse_operations("{\"a\": 1}").expect_err("an error");
    assert!(
        err.reason.contains("expected a list, found an object"),
        "{err}"
    );
    let err = parse_operations("[{\"id\": \"x\"").expect_err("an error");
    assert!(err.reason.contains("ended too early"), "{err}");
    assert_eq!(
        parse_operations("{\"value\": [{\"id\": \"x\"}]}").map(|v| v.len()),
        Ok(1)
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = parse_operations(&deep).expect_err("an error");
    assert!(err.reason.contains("recursion"), "{err}");
    let deep_field = format!(
        "[{{\"id\": \"x\", \"definition\": {}1{}}}]",
        "{\"a\":".repeat(120),
        "}".repeat(120)
    );
    assert_eq!(parse_operations(&deep_field).map(|v| v.len()), Ok(1));
}

#[test]
fn ten_megabytes_of_messages_parse() {
    let message = r#"{"messageHtml": "Step completed with a long explanation that repeats.", "level": "information", "timestamp": "2018-03-16T17:50:45.7215661Z"}"#;
    let count = 10_000_000 / message.len();
    let body = format!(
        "[{{\"status\": \"running\", \"steps\": [{{\"id\": \"s\", \"status\": \"running\", \"messages\": [{}]}}]}}]",
        vec![message; count].join(",")
    );
    assert!(body.len() >= 10_000_000);
    let op = parse_operation(&body).expect("large but valid");
    assert_eq!(op.steps[0].messages.len(), count);
}

#[test]
fn odd_shapes_of_nested_values_are_missing_not_fatal() {
    // Both spellings of the progress: the documented one wins (a serde alias would have
    // rejected the step as a duplicate field). Arrays where objects belong read as missing.
    let op = parse_operation(
        r#"{"steps": [{"stepName": "Certification", "progressPercentage": 40, "processPercentage": 90},
                      ["not", "a", "step"], 7],
            "previewLinks": [{"name": "no url"}, "https://preview.example/x", null],
            "messages": [null, {"messageHtml": null, "level": 3}]}"#,
    )
    .expect("an object always reads");
    assert_eq!(op.steps.len(), 1);
    assert_eq!(op.steps[0].progress_percentage, Some(40));
    assert_eq!(op.preview_links.len(), 1);
    assert_eq!(op.preview_links[0].url, "https://preview.example/x");
    assert_eq!(op.messages.len(), 1, "null is no message");
    assert_eq!(op.messages[0].html, None);
    assert_eq!(op.messages[0].level, None, "a number is not a level");

    let list = parse_operations(
        r#"[{"id": "a", "definition": ["metadata"], "error": {"code": "X"}},
            {"id": 42, "definition": {"metadata": {"emails": ["x"]}}, "error": {"message": "Bad image"}}]"#,
    )
    .expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].definition, None, "an array is not a definition");
    assert_eq!(list[0].error.as_deref(), Some(r#"{"code":"X"}"#));
    assert_eq!(list[1].id.as_str(), "42", "a numeric id reads as text");
    assert_eq!(list[1].emails(), None, "a list is not an e-mail text");
    assert_eq!(list[1].error.as_deref(), Some("Bad image"));
}
