//! The Product Ingestion API: its documents (fixtures in Microsoft's schema), the one status
//! vocabulary over both APIs (table-tested), the two-step plan, and the simulated world.

use chrono::{TimeZone, Utc};
use publishing_model::api::parse_error_body;
use publishing_model::ingestion::{
    already_completed, is_guid, job_detail, offer_status, operation_detail, operations, parse_job,
    parse_products, parse_submissions, skip_token, JobNextStep, JobTime, PlanWords, Target,
};
use publishing_model::sim::{JobCancel, World, PRODUCTS_PER_PAGE};
use publishing_model::{Document, MessageLevel, PublishStatus, Standing};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../../tests/fixtures/", $name))
    };
}

#[test]
fn the_cpp_vocabulary_maps_onto_the_standing() {
    use PublishStatus as P;
    let table = [
        (P::NotStarted, Standing::Draft),
        (P::NeverPublished, Standing::Draft),
        (P::Running, Standing::InProgress),
        (P::WaitingForApproval, Standing::InProgress),
        (P::WaitingForPublisherReview, Standing::WaitingForPublisher),
        (P::Blocked, Standing::Failed),
        (P::Rejected, Standing::Failed),
        (P::Failed, Standing::Failed),
        (P::Completed, Standing::Live),
        (P::Canceled, Standing::Canceled),
        (P::Other("Paused".into()), Standing::Other("Paused".into())),
    ];
    for (status, standing) in table {
        assert_eq!(Standing::of_status(&status), standing, "{status:?}");
    }
}

/// Target, status, result, and the standing they mean.
type Row = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Standing,
);

#[test]
fn submissions_map_onto_the_standing() {
    let table: [Row; 16] = [
        (
            Some("preview"),
            Some("notStarted"),
            Some("pending"),
            Standing::InProgress,
        ),
        (
            Some("preview"),
            Some("running"),
            Some("pending"),
            Standing::InProgress,
        ),
        (Some("live"), Some("Running"), None, Standing::InProgress),
        (
            Some("preview"),
            Some("completed"),
            Some("succeeded"),
            Standing::WaitingForPublisher,
        ),
        (
            Some("live"),
            Some("completed"),
            Some("succeeded"),
            Standing::Live,
        ),
        (
            Some("draft"),
            Some("completed"),
            Some("succeeded"),
            Standing::Draft,
        ),
        (
            Some("preview"),
            Some("completed"),
            Some("failed"),
            Standing::Failed,
        ),
        (
            Some("live"),
            Some("completed"),
            Some("cancelled"),
            Standing::Canceled,
        ),
        (
            Some("live"),
            Some("completed"),
            Some("Canceled"),
            Standing::Canceled,
        ),
        (
            Some("LIVE"),
            Some("COMPLETED"),
            Some("SUCCEEDED"),
            Standing::Live,
        ),
        (
            Some("preview"),
            Some("completed"),
            Some("pending"),
            Standing::InProgress,
        ),
        (
            Some("preview"),
            Some("queued"),
            None,
            Standing::Other("queued".into()),
        ),
        (
            Some("preview"),
            Some("completed"),
            Some("partial"),
            Standing::Other("partial".into()),
        ),
        (
            Some("sandbox"),
            Some("completed"),
            Some("succeeded"),
            Standing::Other("sandbox".into()),
        ),
        (None, None, None, Standing::Other("unknown".into())),
        (
            Some("live"),
            Some("completed"),
            None,
            Standing::Other("completed".into()),
        ),
    ];
    for (target, status, result, standing) in table {
        assert_eq!(
            Standing::of_submission(target, status, result),
            standing,
            "{target:?} {status:?} {result:?}"
        );
    }
}

#[test]
fn every_standing_shows_as_one_status_and_back() {
    for standing in [
        Standing::Draft,
        Standing::InProgress,
        Standing::WaitingForPublisher,
        Standing::Live,
        Standing::Failed,
        Standing::Canceled,
        Standing::Other("odd".into()),
    ] {
        assert_eq!(Standing::of_status(&standing.as_status()), standing);
        assert!(!standing.slug().is_empty());
    }
}

#[test]
fn a_configure_job_reads_with_not_yet_times() {
    let job = parse_job(fixture!("ingestion_configure_status_running.json")).expect("parses");
    assert_eq!(
        job.id.as_deref(),
        Some("c32dd7e8-8619-462d-a96b-0ac1974bace5")
    );
    assert_eq!(job.status(), PublishStatus::Running);
    assert!(job.is_active());
    assert!(job.start.as_ref().and_then(|s| s.parsed).is_some());
    assert_eq!(job.end, None, "0001-01-01 means not yet");
    let detail = job_detail(&job);
    assert_eq!(detail.status, Some(PublishStatus::Running));
    assert!(detail.messages.is_empty());
}

/// A finished job whose times the service did not report says so; "not yet" is for a job
/// still to reach them. As another client's public test data has them: `jobStart` absent,
/// `jobEnd` the `0001-01-01` sentinel, on jobs that completed.
#[test]
fn a_finished_jobs_unreported_times_are_not_reported_not_not_yet() {
    let job = |status: &str, result: &str, start: Option<&str>, end: Option<&str>| {
        let mut fields = vec![
            format!(r#""jobId":"j""#),
            format!(r#""jobStatus":"{status}""#),
            format!(r#""jobResult":"{result}""#),
        ];
        fields.extend(start.map(|s| format!(r#""jobStart":"{s}""#)));
        fields.extend(end.map(|e| format!(r#""jobEnd":"{e}""#)));
        parse_job(&format!("{{{}}}", fields.join(","))).expect("parses")
    };
    let sentinel = Some("0001-01-01T00:00:00");
    let at = Some("2026-11-28T21:29:54Z");
    let failed = job("completed", "failed", None, sentinel);
    assert_eq!(failed.started(), JobTime::NotReported);
    assert_eq!(failed.ended(), JobTime::NotReported);
    let succeeded = job("completed", "succeeded", at, sentinel);
    assert!(matches!(succeeded.started(), JobTime::At(_)));
    assert_eq!(succeeded.ended(), JobTime::NotReported);
    let absent = job("completed", "succeeded", None, None);
    assert_eq!(absent.started(), JobTime::NotReported);
    assert_eq!(absent.ended(), JobTime::NotReported);
    let running = job("running", "pending", at, sentinel);
    assert!(matches!(running.started(), JobTime::At(_)));
    assert_eq!(running.ended(), JobTime::NotYet);
    let running_unreported = job("running", "pending", None, None);
    assert_eq!(
        running_unreported.started(),
        JobTime::NotReported,
        "it has started"
    );
    assert_eq!(running_unreported.ended(), JobTime::NotYet);
    let waiting = job("notStarted", "pending", sentinel, sentinel);
    assert_eq!(waiting.started(), JobTime::NotYet);
    assert_eq!(waiting.ended(), JobTime::NotYet);
}

#[test]
fn a_failed_job_says_what_to_do_next() {
    let failed = parse_job(fixture!("ingestion_configure_status_failed.json")).expect("parses");
    assert_eq!(failed.next_step(), Some(JobNextStep::FixAndResend));
    let certification = parse_job(
        r#"{"jobId":"j","jobStatus":"completed","jobResult":"failed","errors":[
            {"code":"businessValidationError","message":"The offer did not pass.",
             "details":[{"code":"certificationFailed","message":"See the report."}]}]}"#,
    )
    .expect("parses");
    assert_eq!(
        certification.next_step(),
        Some(JobNextStep::ReadCertificationReport)
    );
    let running = parse_job(fixture!("ingestion_configure_status_running.json")).expect("parses");
    assert_eq!(running.next_step(), None);
}

#[test]
fn a_failed_job_shows_its_nested_errors_as_escaped_text() {
    let job = parse_job(fixture!("ingestion_configure_status_failed.json")).expect("parses");
    assert_eq!(
        job.id.as_deref(),
        Some("b1f5a4e9-0c4a-4c9b-9f3e-6a1b2c3d4e5f"),
        "jobID too"
    );
    assert_eq!(job.status(), PublishStatus::Failed);
    assert!(!job.is_active());
    assert_eq!(job.errors.len(), 1);
    assert_eq!(job.errors[0].details.len(), 1);
    assert_eq!(job.errors[0].details[0].details.len(), 1);
    let detail = job_detail(&job);
    let texts: Vec<&str> = detail
        .messages
        .iter()
        .filter_map(|m| m.html.as_deref())
        .collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].starts_with("businessValidationError: Plan &lt;b&gt;gold&lt;/b&gt;"));
    assert!(texts[0].contains("price &amp; a market"));
    assert!(texts[1].contains("customerMarkets must not be empty. (customerMarkets)"));
    assert!(texts[2].contains("Market &#39;xx&#39; is unknown."));
    assert_eq!(detail.messages[0].level, Some(MessageLevel::Error));
}

#[test]
fn job_statuses_map_by_status_then_result() {
    let table = [
        ("notStarted", "pending", PublishStatus::NotStarted),
        ("running", "pending", PublishStatus::Running),
        ("completed", "succeeded", PublishStatus::Completed),
        ("completed", "failed", PublishStatus::Failed),
        ("completed", "cancelled", PublishStatus::Canceled),
        ("completed", "weird", PublishStatus::Other("weird".into())),
        ("paused", "pending", PublishStatus::Other("paused".into())),
    ];
    for (status, result, expected) in table {
        let text = format!(r#"{{"jobId":"j","jobStatus":"{status}","jobResult":"{result}"}}"#);
        assert_eq!(
            parse_job(&text).expect("present").status(),
            expected,
            "{status} {result}"
        );
    }
}

#[test]
fn hostile_job_documents_are_clear_errors_or_read_leniently() {
    assert_eq!(
        parse_job("[1,2").expect_err("refused").document,
        Document::ConfigureJob
    );
    assert!(parse_job("\"text\"").is_err());
    let nulls =
        parse_job(r#"{"jobId":null,"jobStatus":null,"errors":null,"jobEnd":7}"#).expect("present");
    assert_eq!(nulls.status(), PublishStatus::Other("unknown".into()));
    // Details nested without end are cut off rather than followed.
    let mut deep = String::from(r#"{"code":"x","message":"m"}"#);
    for _ in 0..200 {
        deep = format!(r#"{{"code":"x","message":"m","details":[{deep}]}}"#);
    }
    let job = parse_job(&format!(
        r#"{{"jobStatus":"completed","jobResult":"failed","errors":[{deep}]}}"#
    ));
    // serde_json's own recursion limit may refuse it first; either way nothing overflows.
    if let Ok(job) = job {
        assert!(job_detail(&job).messages.len() <= 5);
    }
}

#[test]
fn products_read_with_their_external_ids_and_next_page() {
    let page = parse_products(fixture!("ingestion_products.json")).expect("parses");
    assert_eq!(page.products.len(), 2, "entries without an id are dropped");
    let saas = &page.products[0];
    assert_eq!(saas.guid(), "ffffffff-ffff-ffff-ffff-ffffffffffff");
    assert_eq!(saas.offer_id().as_str(), "contoso-saas-offer");
    assert_eq!(saas.as_offer().display_name(), "Contoso SaaS");
    let vm = &page.products[1];
    assert_eq!(
        vm.offer_id().as_str(),
        "0a1b2c3d-0000-4000-8000-000000000001"
    );
    assert_eq!(vm.as_offer().display_name(), vm.guid());
    assert_eq!(page.next.as_deref(), Some("eyJwYWdlIjoyfQ=="));
    assert_eq!(parse_products("[]").expect("present").products.len(), 0);
    assert_eq!(
        parse_products("{}").expect_err("refused").document,
        Document::ProductList
    );
    assert_eq!(
        skip_token("https://x/product?%24skipToken=a%2Fb&$version=1").as_deref(),
        Some("a/b")
    );
    assert_eq!(skip_token("https://x/product?$version=1"), None);
    assert!(is_guid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    assert!(!is_guid("contoso-saas-offer"));
}

#[test]
fn submission_ids_above_2_pow_53_stay_exact_text() {
    let all = parse_submissions(fixture!("ingestion_submissions.json")).expect("parses");
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].number(), "1152921504606846976");
    assert_eq!(all[2].target, Target::Live);
    let ops = operations(&all);
    assert_eq!(ops[3].id.as_str(), "1152921504606846979");
    // Numbers, not text in quotes, stay exact too.
    let numeric = parse_submissions(r#"[{"id": 1152921504606846977, "status": "running"}]"#)
        .expect("present");
    assert_eq!(numeric[0].number(), "1152921504606846977");
}

#[test]
fn a_preview_waits_for_the_publisher_until_a_newer_live_submission() {
    let all = parse_submissions(fixture!("ingestion_submissions.json")).expect("present");
    let ops = operations(&all);
    let statuses: Vec<PublishStatus> = ops.iter().map(|o| o.effective_status()).collect();
    assert_eq!(
        statuses,
        [
            PublishStatus::NotStarted,                // the draft
            PublishStatus::Running,                   // preview, then live running
            PublishStatus::Running,                   // the live submission
            PublishStatus::WaitingForPublisherReview, // the newest preview: nothing newer
        ]
    );
    let words = PlanWords::default();
    let waiting = operation_detail(&all, "1152921504606846979", &words).expect("present");
    let steps: Vec<_> = waiting
        .steps
        .iter()
        .map(|s| {
            (
                s.id.clone().expect("present").0,
                s.status.clone().expect("present"),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("preview".to_owned(), PublishStatus::Completed),
            ("live".to_owned(), PublishStatus::WaitingForPublisherReview),
        ]
    );
    let live = operation_detail(&all, "1152921504606846978", &words).expect("present");
    assert_eq!(live.steps[0].status, Some(PublishStatus::Completed));
    assert_eq!(live.steps[1].status, Some(PublishStatus::Running));
    assert_eq!(
        live.steps[1].messages.len(),
        1,
        "when going live was submitted"
    );
    assert!(
        operation_detail(&all, "1152921504606846976", &words)
            .expect("present")
            .steps
            .is_empty(),
        "a draft has no plan"
    );
    assert_eq!(operation_detail(&all, "nope", &words), None);
    let status = offer_status(&all, &words);
    assert_eq!(
        status.status,
        Some(PublishStatus::WaitingForPublisherReview)
    );
    assert!(status.is_active());
    let never = offer_status(&all[..1], &words);
    assert_eq!(never.status, Some(PublishStatus::NeverPublished));
    assert!(never.steps.is_empty());
}

#[test]
fn the_simulated_world_answers_as_product_ingestion() {
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("a valid time");
    let mut world = World::new(7, start);
    world.add_many_offers(150);
    let first = world.products(0, None);
    let page = parse_products(&first.to_string()).expect("present");
    assert_eq!(page.products.len(), PRODUCTS_PER_PAGE);
    let skip: usize = page
        .next
        .as_deref()
        .expect("present")
        .parse()
        .expect("present");
    let rest = parse_products(&world.products(skip, None).to_string()).expect("present");
    assert!(rest.next.is_none());
    let mut every = page.products.clone();
    every.extend(rest.products);
    // The same product twice gets the same GUID; every product one of its own.
    let mut guids: Vec<&str> = every.iter().map(|p| p.guid()).collect();
    guids.sort_unstable();
    guids.dedup();
    assert_eq!(guids.len(), every.len());
    assert!(guids.iter().all(|g| is_guid(g)));

    // Find one by its external id, as the app does for a typed offer id.
    let wanted = every[3].external_id.clone().expect("present");
    let found = parse_products(&world.products(0, Some(&wanted)).to_string()).expect("present");
    assert_eq!(found.products.len(), 1);
    assert_eq!(found.products[0].guid(), every[3].guid());

    // Every product's submissions read, and their standings are all known words.
    let mut seen_waiting = false;
    for product in &every {
        let text = world
            .submissions(product.guid())
            .expect("present")
            .to_string();
        let all = parse_submissions(&text).expect("present");
        for op in operations(&all) {
            assert!(
                !matches!(op.effective_status(), PublishStatus::Other(_)),
                "{op:?}"
            );
            seen_waiting |= op.effective_status() == PublishStatus::WaitingForPublisherReview;
        }
    }
    assert!(seen_waiting, "the world has previews waiting for sign-off");
    assert_eq!(
        world.submissions("00000000-0000-0000-0000-000000000000"),
        None
    );
    assert_eq!(world.configure_job("no-such-job"), None);
}

#[test]
fn configure_jobs_follow_their_publish_and_cancel_once() {
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
        .single()
        .expect("a valid time");
    let mut world = World::new(7, start);
    // A publish before sign-off, through the CPP side of the same world.
    let (publisher, offer, op) = world
        .publishers()
        .iter()
        .find_map(|p| {
            world.offers(&p.id)?.into_iter().find_map(|o| {
                let detail = world.offer_status(&p.id, &o.id)?;
                let ops = world.operations(&p.id, &o.id, None)?;
                let last = ops.last()?.clone();
                (detail.status == Some(PublishStatus::Running)
                    && world.operation(&p.id, &o.id, &last.id)?.can_cancel())
                .then(|| (p.id.clone(), o.id.clone(), last.id))
            })
        })
        .expect("the world has a publish that can be canceled");
    let job = parse_job(
        &world
            .configure_job(op.as_str())
            .expect("present")
            .to_string(),
    )
    .expect("present");
    assert!(job.is_active(), "{job:?}");
    let JobCancel::Canceled(after) = world.cancel_job(op.as_str()).expect("present") else {
        panic!("a running job cancels");
    };
    assert_eq!(
        parse_job(&after.to_string()).expect("present").status(),
        PublishStatus::Canceled
    );
    assert_eq!(
        world.cancel_job(op.as_str()),
        Some(JobCancel::AlreadyCompleted)
    );
    // The CPP side sees the same cancel.
    let ops = world.operations(&publisher, &offer, None).expect("present");
    assert_eq!(
        ops.last().expect("present").effective_status(),
        PublishStatus::Canceled
    );
}

#[test]
fn a_cancel_refused_as_already_completed_is_recognised() {
    let body = parse_error_body(fixture!("ingestion_error.json")).expect("present");
    assert!(already_completed(
        body.code.as_deref(),
        body.message.as_deref()
    ));
    assert!(!already_completed(Some("NotFound"), Some("No such job.")));
}

#[test]
fn the_graph_root_sits_beside_the_api_root() {
    use publishing_model::ingestion::graph_root;
    assert_eq!(graph_root("/api"), "/graph");
    assert_eq!(graph_root("/api/"), "/graph");
    assert_eq!(
        graph_root("https://proxy.example.com/api"),
        "https://proxy.example.com/graph"
    );
    assert_eq!(
        graph_root("https://proxy.example.com/ops/api"),
        "https://proxy.example.com/ops/graph"
    );
    assert_eq!(
        graph_root("https://proxy.example.com"),
        "https://proxy.example.com/graph"
    );
    assert_eq!(graph_root("/apis"), "/apis/graph");
}

#[test]
fn submission_numbers_shown_short_differ_where_guids_do() {
    use publishing_model::{short_id, OperationId};
    // Two submissions of one product, as the service numbers them.
    let a = OperationId("1152921505687321542".into());
    let b = OperationId("1152921505687329999".into());
    assert_eq!(
        (a.short(), b.short()),
        ("87321542".into(), "87329999".into())
    );
    assert_eq!(short_id("5a63deb5-0c38-4b7e-9b0c-5d0f9f3b3a1e"), "5a63deb5");
    assert_eq!(short_id("12345"), "12345");
    assert_eq!(
        short_id("1234567890ab"),
        "12345678",
        "not all digits: a GUID-like id"
    );
}
