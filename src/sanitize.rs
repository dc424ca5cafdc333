//! `messageHtml` to safe HTML: the browser's `DOMParser` builds an inert document (no script
//! runs, nothing loads), then an allow-list walk writes out only text formatting, line
//! breaks, lists and checked https links, escaping every text. Chosen over ammonia, which
//! costs about 200 KB gzipped in wasm; the rules themselves live in the model crate.

use publishing_model::markup::escape;
use publishing_model::markup::{element_rule, safe_href, ElementRule, MAX_MESSAGE_CHARS};
use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, Node, SupportedType};

/// Deepest nesting written out; anything deeper becomes plain text.
const MAX_DEPTH: usize = 32;

/// Sanitises untrusted HTML. If the browser cannot parse, the input is shown as escaped text.
pub fn sanitize_html(untrusted: &str) -> String {
    let untrusted = truncate(untrusted);
    let mut out = String::with_capacity(untrusted.len());
    let body = DomParser::new()
        .ok()
        .and_then(|p| p.parse_from_string(untrusted, SupportedType::TextHtml).ok())
        .and_then(|doc| doc.body());
    match body {
        Some(body) => walk_children(&body, 0, &mut out),
        None => escape(untrusted, &mut out),
    }
    out
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

fn walk_children(parent: &Node, depth: usize, out: &mut String) {
    let children = parent.child_nodes();
    for i in 0..children.length() {
        if let Some(child) = children.item(i) {
            walk(&child, depth, out);
        }
    }
}

fn walk(node: &Node, depth: usize, out: &mut String) {
    match node.node_type() {
        Node::TEXT_NODE => escape(&node.text_content().unwrap_or_default(), out),
        Node::ELEMENT_NODE => {
            let Some(element) = node.dyn_ref::<Element>() else {
                return;
            };
            let tag = element.local_name();
            if depth >= MAX_DEPTH {
                escape(&node.text_content().unwrap_or_default(), out);
                return;
            }
            match element_rule(&tag) {
                ElementRule::Remove => {}
                ElementRule::Unwrap => walk_children(node, depth + 1, out),
                ElementRule::Keep if tag == "a" => {
                    match element.get_attribute("href").as_deref().and_then(safe_href) {
                        Some(href) => {
                            out.push_str("<a href=\"");
                            escape(&href, out);
                            out.push_str("\" rel=\"noopener noreferrer\" target=\"_blank\">");
                            walk_children(node, depth + 1, out);
                            out.push_str("</a>");
                        }
                        None => walk_children(node, depth + 1, out),
                    }
                }
                ElementRule::Keep if tag == "br" => out.push_str("<br>"),
                ElementRule::Keep => {
                    // `tag` passed the allow-list, so it is one of a few fixed lower-case names.
                    out.push('<');
                    out.push_str(&tag);
                    out.push('>');
                    walk_children(node, depth + 1, out);
                    out.push_str("</");
                    out.push_str(&tag);
                    out.push('>');
                }
            }
        }
        // Comments, processing instructions, doctype: dropped.
        _ => {}
    }
}
