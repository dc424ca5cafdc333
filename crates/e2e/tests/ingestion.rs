//! The Product Ingestion source, end to end: the release build in Chromium, through the
//! proxy's `/graph` profile, against the simulator's view of the same world. Products are
//! offers, submissions a preview-then-live plan, configure jobs followed and canceled, and
//! the API polled at most once a minute.

use e2e::{Browser, Server};

/// How many requests for `path` (without query) the proxy logged.
fn count(s: &Server, path: &str) -> usize {
    s.log()
        .lines()
        .filter(|l| l.contains(&format!("path={path} ")))
        .count()
}

#[tokio::test]
async fn products_submissions_and_the_two_step_plan() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;

    // The start page: the third source, its one account, its products.
    b.goto(&s.url("/")).await;
    b.click("[data-testid=source-ingestion]").await;
    b.wait("[data-testid=publishers] a").await;
    let account = b.page_text().await;
    assert!(account.contains("Your Partner Center account"), "{account}");
    assert!(
        b.all("[data-testid=typed-publisher]").await.is_empty(),
        "no publisher id to type"
    );
    b.click("[data-testid=publishers] a").await;
    b.wait("[data-testid=offers] a").await;
    b.click("[data-testid=open-overview]").await;
    b.until(
        "every product's row with a status",
        "document.querySelectorAll('[data-testid=overview-row]').length >= 5 && [...document.querySelectorAll('[data-testid=overview-row]')].every(r => r.querySelector('.status-badge'))",
    )
    .await;
    let path = b.path().await;
    assert_eq!(path, "/ingestion/publishers/account");
    assert_eq!(
        b.js("return document.querySelector('h1').innerText;").await,
        serde_json::json!("Offers in your Partner Center account")
    );

    // A product waiting at sign-off: its preview succeeded, nothing newer went live.
    b.goto(&s.url("/ingestion/publishers/account/offers/contoso-data-science-vm"))
        .await;
    b.wait("[data-testid=operation-row]").await;
    b.until(
        "the product waits for the publisher",
        "document.body.innerText.includes('Waiting for your sign-off')",
    )
    .await;
    // The account is named in words; two submissions of one product, numbered above 2^60
    // alike, are told apart by their last digits.
    let crumbs = b
        .js("return document.querySelector('.breadcrumbs').innerText;")
        .await;
    assert!(
        crumbs
            .as_str()
            .is_some_and(|c| c.contains("Your Partner Center account")),
        "{crumbs}"
    );
    let shorts = b
        .js("return [...document.querySelectorAll('[data-testid=operation-row] .copy-id__text')].map(c => c.innerText);")
        .await;
    let shorts: Vec<&str> = shorts
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(shorts.len() >= 2, "{shorts:?}");
    assert!(
        shorts
            .iter()
            .enumerate()
            .all(|(i, a)| shorts[i + 1..].iter().all(|b| a != b)),
        "short ids tell submissions apart: {shorts:?}"
    );
    b.click(".outlook__link").await;
    b.wait("[data-testid=timeline-step]").await;
    let op_path = b.path().await;
    let number = op_path.rsplit('/').next().expect("submission number");
    assert!(
        number.len() >= 19 && number.parse::<u64>().expect("digits") > 1 << 53,
        "the submission's id, exact above 2^53: {op_path}"
    );
    let steps = b
        .js("return [...document.querySelectorAll('[data-testid=timeline-step]')].map(li => li.querySelector('[data-testid=step-status]').innerText);")
        .await;
    assert_eq!(
        steps,
        serde_json::json!(["Completed", "Waiting for your sign-off"])
    );
    assert!(
        b.all("[data-testid=go-live-button]").await.is_empty(),
        "this API goes live by a configure request the dashboard does not send"
    );

    // A typed offer id (the external id) is looked up once, then addressed by its GUID.
    b.goto(&s.url("/?source=ingestion")).await;
    b.wait("[data-testid=typed-offer]").await;
    b.js("const i = document.querySelector('[data-testid=typed-offer]'); i.value = 'contoso-ubuntu-vm'; i.dispatchEvent(new Event('input'));").await;
    b.click(".typed-ids button[type=submit]").await;
    b.wait("[data-testid=operation-row]").await;
    assert_eq!(
        b.path().await,
        "/ingestion/publishers/account/offers/contoso-ubuntu-vm"
    );
    let log = s.log();
    assert!(
        log.contains("method=GET path=/graph/product status=200"),
        "{log}"
    );
    assert!(log.contains("path=/graph/submission/product/"), "{log}");
    assert!(!log.contains("status=5"), "{log}");
    assert!(b.console().await.is_empty());
    b.stop().await;
}

#[tokio::test]
async fn a_configure_job_is_followed_polled_once_a_minute_and_canceled() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    // The running publish of contoso-ubuntu-vm: its operation is also a configure job.
    let ops = b
        .get_json(
            "/api/publishers/contoso/offers/contoso-ubuntu-vm/submissions?api-version=2017-10-31",
        )
        .await;
    let job = ops
        .as_array()
        .and_then(|o| o.last())
        .and_then(|o| o["id"].as_str())
        .expect("a running operation")
        .to_owned();

    b.goto(&s.url("/?source=ingestion")).await;
    b.wait("[data-testid=typed-job]").await;
    b.js(&format!("const i = document.querySelector('[data-testid=typed-job]'); i.value = '{job}'; i.dispatchEvent(new Event('input'));")).await;
    b.click("[data-testid=open-job]").await;
    b.wait("[data-testid=cancel-button]").await;
    assert_eq!(b.path().await, format!("/ingestion/jobs/{job}"));
    let text = b.page_text().await;
    assert!(
        text.contains("Running") && text.contains("Not yet"),
        "{text}"
    );

    // Polled at most once a minute: the page schedules its next look a minute out, and has
    // asked once.
    let status_path = format!("/graph/configure/{job}/status");
    b.until(
        "the refresh bar names the next update",
        "/next update in \\d+ s/.test(document.querySelector('[data-testid=updated]')?.innerText ?? '')",
    )
    .await;
    let next = b
        .js("return Number(/next update in (\\d+) s/.exec(document.querySelector('[data-testid=updated]').innerText)[1]);")
        .await;
    let next = next.as_f64().expect("a number of seconds");
    assert!(
        next >= 50.0,
        "the next look is {next} s away, not about a minute"
    );
    assert_eq!(count(&s, &status_path), 1, "{}", s.log());

    b.click("[data-testid=cancel-button]").await;
    let dialog = b.wait("[role=alertdialog]").await;
    assert!(dialog
        .text()
        .await
        .expect("text")
        .contains("cannot be undone"));
    assert!(
        b.all("[role=alertdialog] input[type=email]")
            .await
            .is_empty(),
        "a job's cancel sends no notification e-mails"
    );
    b.click("[data-testid=cancel-confirm]").await;
    b.until(
        "the cancel confirmed and the job canceled",
        "document.querySelector('[data-testid=cancel-outcome]')?.innerText === 'The job was canceled.' && document.querySelector('.status-badge').innerText.includes('Canceled')",
    )
    .await;
    assert!(b.all("[data-testid=cancel-button]").await.is_empty());
    assert!(s.log().contains(&format!(
        "method=POST path=/graph/configure/{job}/cancel status=200"
    )));
    // The CPP side of the same world sees the cancel.
    let after = b
        .get_json(
            "/api/publishers/contoso/offers/contoso-ubuntu-vm/submissions?api-version=2017-10-31",
        )
        .await;
    assert_eq!(
        after
            .as_array()
            .and_then(|o| o.last())
            .map(|o| o["status"].clone()),
        Some(serde_json::json!("canceled"))
    );
    b.stop().await;
}

#[tokio::test]
async fn job_errors_are_text_and_faults_keep_the_page_useful() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    let ops = b
        .get_json(
            "/api/publishers/contoso/offers/contoso-ubuntu-vm/submissions?api-version=2017-10-31",
        )
        .await;
    let job = ops[0]["id"].as_str().expect("an old operation").to_owned();

    // Hostile text in the job's errors stays text.
    s.set_fault(Some("xss"), Some(1));
    b.goto(&s.url(&format!("/ingestion/jobs/{job}"))).await;
    b.wait("[data-testid=job-errors]").await;
    let errors = b
        .js("return document.querySelector('[data-testid=job-errors]').innerText;")
        .await;
    assert!(
        errors
            .as_str()
            .is_some_and(|e| e.contains("<img") || e.contains("onerror")),
        "shown as text: {errors}"
    );
    assert!(b
        .all("[data-testid=job-errors] img, [data-testid=job-errors] script")
        .await
        .is_empty());
    assert_eq!(
        b.js("return window.__xss === undefined;").await,
        serde_json::json!(true)
    );
    // A completed job offers no cancel.
    assert!(b.all("[data-testid=cancel-button]").await.is_empty());

    // 403 and 404 are said in words.
    s.set_fault(Some("forbidden"), Some(1));
    b.goto(&s.url(&format!("/ingestion/jobs/{job}"))).await;
    b.wait(".error-panel").await;
    assert!(b.page_text().await.contains("no access"));
    b.goto(&s.url("/ingestion/jobs/no-such-job")).await;
    b.wait(".error-panel").await;
    assert!(b.page_text().await.contains("No such configure job."));
    // Jobs are Product Ingestion's alone.
    b.goto(&s.url(&format!("/live/jobs/{job}"))).await;
    b.wait(".error-panel").await;
    assert!(b.page_text().await.contains("/ingestion/"));
    b.stop().await;
}

#[tokio::test]
async fn a_failed_job_says_what_to_do_next() {
    let s = Server::simulator(&[]);
    let b = Browser::start().await;
    b.goto(&s.url("/")).await;
    let ops = b
        .get_json(
            "/api/publishers/contoso/offers/contoso-data-science-vm/submissions?api-version=2017-10-31",
        )
        .await;
    let failed = ops
        .as_array()
        .and_then(|ops| ops.iter().find(|o| o["submissionState"] == "failed"))
        .and_then(|o| o["id"].as_str())
        .expect("the offer's failed publish")
        .to_owned();
    b.goto(&s.url(&format!("/ingestion/jobs/{failed}"))).await;
    let next = b.wait("[data-testid=job-next-step]").await;
    let words = next.text().await.expect("text");
    assert!(
        words.contains("Certification failed") && words.contains("certification report"),
        "{words}"
    );
    let ended = b
        .js("return document.querySelector('[data-testid=job-ended]').innerText;")
        .await;
    assert_ne!(
        ended,
        serde_json::json!("Not yet"),
        "a finished job has ended"
    );
    b.stop().await;
}
