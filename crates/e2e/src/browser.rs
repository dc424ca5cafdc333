//! Headless Chromium through chromedriver, with the helpers the tests share.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::{announced_port, root, wait_for_port, PATIENCE};

/// Headless Chromium driven through chromedriver.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
}

/// Chromedriver's own endpoints fantoccini has no method for.
#[derive(Debug)]
struct Raw {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Raw {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium session.
    pub async fn start() -> Self {
        let driver_bin =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        // Its own process group, so that a failing test can end the driver and the browser it
        // started together (see Drop).
        let mut driver = Command::new(driver_bin)
            .process_group(0)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let output = driver.stdout.take().expect("chromedriver's output");
        let port = announced_port(output, "started successfully");
        wait_for_port(port);
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-quic", "--no-first-run", "--window-size=1280,1000"]
            }),
        );
        // The performance log carries the DevTools network events: the record of a journey.
        caps.insert(
            "goog:loggingPrefs".into(),
            json!({ "browser": "ALL", "performance": "ALL" }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Self { client, driver }
    }

    /// Ends the session and the driver.
    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
        // Drop ends the driver's process group.
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits for an element.
    pub async fn wait(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits for an element, then clicks it.
    pub async fn click(&self, css: &str) {
        self.wait(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Clicks `css` until `script` (an expression) is truthy, up to five times, waiting three
    /// seconds after each. For a control on a page that polls and redraws: a click that
    /// lands on an element being replaced does nothing, and nothing says so. `script` must
    /// turn true at once on a click that took (a URL, a pressed state), so a click is only
    /// repeated when the one before did nothing.
    pub async fn click_until(&self, css: &str, what: &str, script: &str) {
        for _ in 0..5 {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                let _ = element.click().await;
            }
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if self.js(&format!("return !!({script});")).await == Value::Bool(true) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        self.until(what, script).await;
    }

    /// All elements matching `css` now.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }

    /// A GET from the page (same origin, so through the proxy as the app's own), read as
    /// JSON: for ids a test needs before it navigates.
    pub async fn get_json(&self, path: &str) -> Value {
        let text = self
            .js(&format!(
                "var x = new XMLHttpRequest(); x.open('GET', '{path}', false); x.send(); return x.responseText;"
            ))
            .await;
        serde_json::from_str(text.as_str().expect("text")).expect("json")
    }

    /// Waits until `script` (an expression) is truthy.
    pub async fn until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let v = self.js(&format!("return !!({script});")).await;
            if v == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page's visible text.
    pub async fn page_text(&self) -> String {
        self.js("return document.body.innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The current URL's path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Console messages since the last call.
    pub async fn console(&self) -> Vec<String> {
        let v = self
            .client
            .issue_cmd(Raw {
                path: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .expect("browser log");
        v.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The network events since the last call (DevTools `Network.*`, as JSON texts): every
    /// request's URL and headers, every answer's headers, cookies included.
    pub async fn network_log(&self) -> Vec<String> {
        let v = self
            .client
            .issue_cmd(Raw {
                path: "se/log",
                body: json!({ "type": "performance" }),
            })
            .await
            .expect("performance log");
        v.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .filter(|m| m.contains("\"method\":\"Network."))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A Chrome DevTools command that may fail (`None` then).
    pub async fn try_cdp(&self, cmd: &str, params: Value) -> Option<Value> {
        self.client
            .issue_cmd(Raw {
                path: "goog/cdp/execute",
                body: json!({ "cmd": cmd, "params": params }),
            })
            .await
            .ok()
    }

    /// A Chrome DevTools command.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Raw {
                path: "goog/cdp/execute",
                body: json!({ "cmd": cmd, "params": params }),
            })
            .await
            .expect("cdp")
    }

    /// Lets the page save files into `dir` (made if missing).
    pub async fn allow_downloads(&self, dir: &std::path::Path) {
        std::fs::create_dir_all(dir).expect("download folder");
        self.cdp(
            "Browser.setDownloadBehavior",
            json!({ "behavior": "allow", "downloadPath": dir.to_str().expect("utf-8") }),
        )
        .await;
    }

    /// Light or dark `prefers-color-scheme`.
    pub async fn color_scheme(&self, dark: bool) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } }] }),
        )
        .await;
    }

    /// axe-core's serious and critical violations on the current page.
    pub async fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(root().join("tools/node_modules/axe-core/axe.min.js"))
            .expect("axe-core (installed by scripts/setup.sh into tools/)");
        self.client
            .execute(&source, vec![])
            .await
            .expect("inject axe");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v =>
                   ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))));",
                vec![],
            )
            .await
            .expect("axe.run");
        result
            .as_array()
            .map(|vs| {
                vs.iter()
                    .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                    .map(|v| v.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks a *Copy support details* button (`button`) and returns what it copied: from the
    /// clipboard (permission granted), or from the text shown to copy by hand where the
    /// browser refuses.
    pub async fn copy_support_details(&self, button: &str) -> String {
        self.cdp(
            "Browser.grantPermissions",
            json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"] }),
        )
        .await;
        self.click(button).await;
        self.until(
            "the support details",
            "document.querySelector('[data-testid=copy-support]').innerText.startsWith('Copied') || document.querySelector('[data-testid=support-text]')",
        )
        .await;
        self.js("const t = document.querySelector('[data-testid=support-text]'); return t ? t.value : navigator.clipboard.readText();")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Presses keys on the focused element (WebDriver key codes, e.g. `\u{E004}` for Tab).
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("focus")
            .send_keys(keys)
            .await
            .expect("keys");
    }
}

/// Tab.
pub const TAB: &str = "\u{E004}";
/// Enter.
pub const ENTER: &str = "\u{E007}";

impl Drop for Browser {
    /// Ends chromedriver and every Chromium process it started, also when a test panics.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.driver.wait();
    }
}
