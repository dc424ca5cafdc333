//! The allow-list for `messageHtml`, which is untrusted HTML from the server. The browser
//! parses it inertly and walks it; these rules decide what survives. Anything not listed is
//! dropped; only text formatting, line breaks, lists and https links remain.

/// Escapes text for an HTML text node or a double-quoted attribute.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// [`escape`], into a new string.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape(text, &mut out);
    out
}

/// What to do with an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementRule {
    /// Keep the element (without any attribute except a checked `href` on `a`).
    Keep,
    /// Drop the element but keep its children's text and allowed markup.
    Unwrap,
    /// Drop the element and everything inside it.
    Remove,
}

/// The rule for an element by its lower-case local name.
pub fn element_rule(tag: &str) -> ElementRule {
    match tag {
        "b" | "strong" | "i" | "em" | "u" | "s" | "code" | "pre" | "br" | "p" | "ul" | "ol"
        | "li" | "a" | "small" | "sub" | "sup" | "blockquote" => ElementRule::Keep,
        "script" | "style" | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet"
        | "template" | "svg" | "math" | "noscript" | "noembed" | "noframes" | "xmp"
        | "textarea" | "select" | "title" | "head" | "meta" | "link" | "base" | "form"
        | "input" | "button" | "img" | "video" | "audio" | "source" | "picture" | "canvas" => {
            ElementRule::Remove
        }
        _ => ElementRule::Unwrap,
    }
}

/// The `href` to keep for a link: only absolute `https://` URLs without control characters or
/// credentials. `None` means the link becomes plain text.
pub fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    let rest = href
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &href[8..])?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let clean = !href
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    (clean && !authority.is_empty() && !authority.contains('@')).then(|| format!("https://{rest}"))
}

/// Longest message text shown; a hostile server can send megabytes.
pub const MAX_MESSAGE_CHARS: usize = 20_000;
