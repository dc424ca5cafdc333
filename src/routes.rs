//! URLs of the app's views, and the base path it is served under (`--public-url /ops/`).

use crate::api::SourceKind;
use publishing_model::{OfferId, OperationId, PublisherId};

/// The router's base: the path of `<base href>` (set by Trunk's public URL) without its
/// trailing slash; empty at the root.
pub fn base_path() -> String {
    thread_local! {
        static BASE: String = read_base_path();
    }
    BASE.with(Clone::clone)
}

/// A link target for `<a href>`: the base plus an app path. (`navigate` adds the base
/// itself; an `<A href>` starting with `/` does not.)
pub fn href(path: &str) -> String {
    format!("{}{}", base_path(), path)
}

fn read_base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .and_then(|b| b.get_attribute("href"))
        .unwrap_or_default();
    base_from_href(&base)
}

fn base_from_href(href: &str) -> String {
    // Only the path part; an absolute base URL keeps its path.
    let path = match href.find("://") {
        Some(i) => href[i + 3..].find('/').map_or("", |p| &href[i + 3 + p..]),
        None => href,
    };
    path.trim_end_matches('/').to_owned()
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

/// The offer page.
pub fn offer(source: SourceKind, publisher: &PublisherId, offer: &OfferId) -> String {
    format!(
        "/{}/publishers/{}/offers/{}",
        source.as_str(),
        encode(publisher.as_str()),
        encode(offer.as_str())
    )
}

/// The operation page.
pub fn operation(
    source: SourceKind,
    publisher: &PublisherId,
    offer_id: &OfferId,
    operation: &OperationId,
) -> String {
    format!(
        "{}/operations/{}",
        offer(source, publisher, offer_id),
        encode(operation.as_str())
    )
}
