//! messageHtml sanitising against XSS payloads, in the browser's own parser.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use offer_dashboard::components::SafeHtml;
use offer_dashboard::sanitize::sanitize_html;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn formatting_lists_breaks_and_https_links_survive() {
    assert_eq!(
        sanitize_html("Step <b>completed</b>.<br>Next"),
        "Step <b>completed</b>.<br>Next"
    );
    assert_eq!(
        sanitize_html("<ul><li>one</li><li>two</li></ul>"),
        "<ul><li>one</li><li>two</li></ul>"
    );
    assert_eq!(
        sanitize_html(
            r#"See <a href="https://learn.microsoft.com/azure" title="x" class="y">the guide</a>"#
        ),
        r#"See <a href="https://learn.microsoft.com/azure" rel="noopener noreferrer" target="_blank">the guide</a>"#
    );
    assert_eq!(sanitize_html("<div><span>plain</span></div>"), "plain");
    assert_eq!(
        sanitize_html("5 < 6 & \"quotes\""),
        "5 &lt; 6 &amp; &quot;quotes&quot;"
    );
}

#[wasm_bindgen_test]
fn nothing_executable_survives() {
    let payloads = [
        r#"<img src=x onerror="window.__xss=1">"#,
        "<script>window.__xss=2</script>",
        r#"<a href="javascript:window.__xss=3">js</a>"#,
        r#"<a href=" JaVaScRiPt:window.__xss=3">js</a>"#,
        r#"<svg onload="window.__xss=4"><script>window.__xss=5</script></svg>"#,
        r#"<iframe src="javascript:parent.__xss=6"></iframe>"#,
        r#"<b onmouseover="window.__xss=7" style="background:url(javascript:x)">bold</b>"#,
        r#"<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=8>"#,
        r#"<noscript><p title="</noscript><img src=x onerror=window.__xss=9>">"#,
        r#"<form action="https://evil.example"><input name=token><button>go</button></form>"#,
        r#"<a href="data:text/html,<script>alert(1)</script>">data</a>"#,
        r#"<a href="http://insecure.example">http</a>"#,
        "<!-- <script>window.__xss=10</script> -->",
        r#"<object data="x.swf"></object><embed src="x"><link rel=import href=x><meta http-equiv=refresh content="0;url=javascript:x">"#,
        r#"<template><img src=x onerror=window.__xss=11></template>"#,
        r#"<a href="https://ok.example" onclick="window.__xss=12">ok</a>"#,
    ];
    for payload in payloads {
        let clean = sanitize_html(payload).to_lowercase();
        for bad in [
            "<script",
            "<img",
            "<svg",
            "<iframe",
            "<style",
            "<form",
            "<input",
            "<object",
            "<embed",
            "<link",
            "<meta",
            "onerror",
            "onload",
            "onclick",
            "onmouseover",
            "javascript:",
            "data:",
            "style=",
            "http://",
        ] {
            assert!(
                !clean.contains(bad),
                "{payload:?} left {bad:?} in {clean:?}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn mounted_payloads_never_run_or_load() {
    let html = r#"<img src="/xss-probe.png" onerror="window.__xss_mounted=1">text<script>window.__xss_mounted=2</script>"#;
    let root = mount(move || view! { <SafeHtml html=html.to_owned() /> });
    settle().await;
    assert_eq!(all(&root, "img").len(), 0);
    assert_eq!(all(&root, "script").len(), 0);
    assert_eq!(text(&root), "text");
    let flag = js_sys::Reflect::get(&js_sys::global(), &"__xss_mounted".into()).expect("reflect");
    assert!(flag.is_undefined());
}

#[wasm_bindgen_test]
fn huge_messages_are_cut_and_deep_nesting_flattened() {
    let huge = "a".repeat(100_000);
    assert_eq!(
        sanitize_html(&huge).len(),
        publishing_model::markup::MAX_MESSAGE_CHARS
    );
    let deep = format!("{}x{}", "<b>".repeat(200), "</b>".repeat(200));
    let clean = sanitize_html(&deep);
    assert!(clean.matches("<b>").count() <= 32, "nesting capped");
    assert!(clean.contains('x'));
}
