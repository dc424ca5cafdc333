//! Makes every screenshot of the README and docs/ from the demo, so they never go stale: the release build in
//! headless Chromium, served by cpp-proxy. Run by `scripts/screenshots.sh`.

use std::time::Duration;

use e2e::{Browser, Server};
use serde_json::json;

/// One picture: file name, app path, width, dark theme, what to wait for, a link to follow
/// first (the operation pages are reached from their offer, as a user does), and the
/// language.
struct Shot {
    lang: &'static str,
    file: &'static str,
    path: String,
    width: u32,
    dark: bool,
    follow: Option<&'static str>,
    ready: &'static str,
}

const OPEN: Option<&str> = Some(".outlook__link");
const TIMELINE: &str = "[data-testid=timeline-step]";

fn shots() -> Vec<Shot> {
    let shot = |file, path: &str, width, dark, follow, ready| Shot {
        lang: "en",
        file,
        path: path.to_owned(),
        width,
        dark,
        follow,
        ready,
    };
    vec![
        shot("start.png", "/", 1280, false, None, "main"),
        shot(
            "overview.png",
            "/demo/publishers/northwind",
            1280,
            false,
            None,
            "[data-testid=overview-row] .status-badge",
        ),
        shot(
            "offer.png",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            1280,
            false,
            None,
            "[data-testid=operation-row]",
        ),
        shot(
            "operation.png",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            1280,
            false,
            OPEN,
            TIMELINE,
        ),
        shot(
            "operation-dark.png",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            1280,
            true,
            OPEN,
            TIMELINE,
        ),
        shot(
            "operation-blocked-dark.png",
            "/demo/publishers/contoso/offers/contoso-windows-vm",
            1280,
            true,
            OPEN,
            TIMELINE,
        ),
        shot(
            "operation-waiting.png",
            "/demo/publishers/contoso/offers/contoso-data-science-vm",
            1280,
            false,
            OPEN,
            TIMELINE,
        ),
        shot(
            "operation-overdue.png",
            "/demo/publishers/contoso/offers/contoso-iot-edge",
            1280,
            false,
            OPEN,
            TIMELINE,
        ),
        shot(
            "offer-phone.png",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            390,
            false,
            None,
            "[data-testid=operation-row]",
        ),
        shot(
            "operation-phone.png",
            "/demo/publishers/contoso/offers/contoso-ubuntu-vm",
            390,
            false,
            OPEN,
            TIMELINE,
        ),
        shot(
            "ingestion-offer.png",
            "/ingestion/publishers/account/offers/contoso-data-science-vm",
            1280,
            false,
            None,
            "[data-testid=operation-row]",
        ),
        Shot {
            lang: "ru",
            ..shot(
                "operation-ru.png",
                "/demo/publishers/contoso/offers/contoso-data-science-vm",
                1280,
                false,
                OPEN,
                TIMELINE,
            )
        },
        Shot {
            lang: "zh-CN",
            ..shot(
                "overview-zh.png",
                "/demo/publishers/northwind",
                1280,
                false,
                None,
                "[data-testid=overview-row] .status-badge",
            )
        },
    ]
}

/// The operation id of the demo's failed publish of `fabrikam-managed-app`, which the
/// Product Ingestion view shows as a failed configure job with its errors.
async fn job_of_failed_publish(b: &Browser, server: &Server) -> String {
    b.goto(&server.url("/")).await;
    let list = b
        .get_json("/api/publishers/fabrikam/offers/fabrikam-managed-app/submissions?api-version=2017-10-31")
        .await;
    list.as_array()
        .and_then(|ops| ops.iter().find(|o| o["status"] == "failed"))
        .and_then(|o| o["id"].as_str())
        .expect("the demo's failed publish")
        .to_owned()
}

async fn size(b: &Browser, width: u32, height: u32) {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500 }),
    )
    .await;
}

#[tokio::main]
async fn main() {
    let server = Server::simulator(&[]);
    let b = Browser::start().await;
    let out = e2e::root().join("docs/screenshots");
    std::fs::create_dir_all(&out).expect("docs/screenshots");
    let mut lang = "en";
    let mut shots = shots();
    // A configure job is addressed by an id the simulator makes: the failed publish's.
    let failed = job_of_failed_publish(&b, &server).await;
    shots.insert(
        shots
            .iter()
            .position(|s| s.lang != "en")
            .unwrap_or(shots.len()),
        Shot {
            lang: "en",
            file: "ingestion-job.png",
            path: format!("/ingestion/jobs/{failed}"),
            width: 1280,
            dark: false,
            follow: None,
            ready: "[data-testid=job-errors]",
        },
    );
    for s in shots {
        if s.lang != lang {
            // The language is the browser's remembered choice, as a user's would be.
            b.goto(&server.url("/")).await;
            b.js(&format!(
                "localStorage.setItem('cpp-dashboard.language', '{}');",
                s.lang
            ))
            .await;
            lang = s.lang;
        }
        size(&b, s.width, 900).await;
        b.color_scheme(s.dark).await;
        b.goto(&server.url(&s.path)).await;
        if let Some(link) = s.follow {
            b.click(link).await;
        }
        b.wait(s.ready).await;
        // Fonts, the relative times and the first poll settle.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let height = b
            .js("return document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap_or(900);
        size(
            &b,
            s.width,
            u32::try_from(height.clamp(600, 2600)).unwrap_or(2600),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let png = b.client.screenshot().await.expect("screenshot");
        std::fs::write(out.join(s.file), &png).expect("write screenshot");
        println!("{} ({} KB)", s.file, png.len() / 1024);
    }
    b.stop().await;
    drop(server);
}
