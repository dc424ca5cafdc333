//! Properties: no input panics a parser; model values survive serialize then parse.

use proptest::prelude::*;
use publishing_model::api::{
    parse_offer_status, parse_offers, parse_operation, parse_operations, parse_publishers, Message,
    OperationDetail, OperationSummary, Step, Timestamp,
};
use publishing_model::{PublishStatus, TimeFrame, TimeRange};

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::String),
        prop_oneof![
            Just("status"),
            Just("steps"),
            Just("messages"),
            Just("running"),
            Just("< 5 day")
        ]
        .prop_map(|s| serde_json::Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        let key = prop_oneof![
            Just("id"),
            Just("status"),
            Just("steps"),
            Just("messages"),
            Just("messageHtml"),
            Just("timestamp"),
            Just("estimatedTimeFrame"),
            Just("progressPercentage"),
            Just("version"),
            Just("previewLinks"),
            Just("submissionState"),
            Just("definition"),
            Just("level"),
            Just("x"),
        ]
        .prop_map(str::to_owned);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(key, inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn status() -> impl Strategy<Value = PublishStatus> {
    prop_oneof![
        Just(PublishStatus::Running),
        Just(PublishStatus::Completed),
        Just(PublishStatus::Blocked),
        Just(PublishStatus::NotStarted),
        "[A-Za-z]{1,10}".prop_map(|s| s.parse().unwrap_or_else(|n| match n {})),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        proptest::option::of("[a-z-]{1,12}"),
        proptest::option::of(".{0,20}"),
        proptest::option::of(status()),
        proptest::option::of(prop_oneof![
            Just("< 15 min"),
            Just("~2-5 days"),
            Just("soon"),
            Just("1-2 weeks")
        ]),
        proptest::option::of(0u8..=100),
        prop::collection::vec(
            (
                proptest::option::of(".{0,30}"),
                proptest::option::of(0i64..4_000_000_000),
            ),
            0..3,
        ),
    )
        .prop_map(|(id, name, status, frame, progress, messages)| Step {
            id: id.map(Into::into),
            step_name: name,
            description: None,
            status,
            estimated_time_frame: frame.map(TimeFrame::parse),
            progress_percentage: progress,
            messages: messages
                .into_iter()
                .map(|(html, t)| Message {
                    html,
                    level: Some("warning".parse().unwrap_or_else(|n| match n {})),
                    timestamp: t
                        .and_then(|t| chrono::DateTime::from_timestamp(t, 123_456_000))
                        .map(Timestamp::from_instant),
                })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_a_parser(value in json_value()) {
        let text = value.to_string();
        let _ = parse_operations(&text);
        let _ = parse_operation(&text);
        let _ = parse_offer_status(&text);
        let _ = parse_offers(&text);
        let _ = parse_publishers(&text);
    }

    #[test]
    fn arbitrary_text_never_panics_a_parser(text in ".{0,200}") {
        let _ = parse_operations(&text);
        let _ = parse_operation(&text);
        let _ = TimeRange::parse(&text);
        let _ = Timestamp::parse(&text);
    }

    #[test]
    fn operation_detail_round_trips(steps in prop::collection::vec(step(), 0..6), st in proptest::option::of(status()), version in proptest::option::of(any::<u64>())) {
        let detail = OperationDetail { status: st, steps, publishing_version: version, ..OperationDetail::default() };
        let text = serde_json::to_string(&detail).expect("serializes");
        prop_assert_eq!(parse_operation(&text).expect("parses back"), detail);
    }

    #[test]
    fn operation_summary_round_trips(id in "[a-f0-9-]{1,36}", version in any::<u64>(), st in status()) {
        let summary = OperationSummary { id: id.into(), version: Some(version), submission_state: Some(st), ..OperationSummary::default() };
        let text = serde_json::to_string(&vec![summary.clone()]).expect("serializes");
        prop_assert_eq!(parse_operations(&text).expect("parses back"), vec![summary]);
    }

    #[test]
    fn time_range_labels_read_back(unit in prop_oneof![Just(60i64), Just(3_600), Just(86_400), Just(604_800)], a in 0i64..50, b in 1i64..50) {
        let (lo, hi) = (a.min(b), a.max(b));
        let range = TimeRange::from_secs(lo * unit, hi * unit);
        prop_assert_eq!(TimeRange::parse(&range.label()), Some(range));
    }
}
