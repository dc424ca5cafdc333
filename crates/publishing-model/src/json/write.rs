//! Writing JSON: compact (`Display`) and for people to read ([`Json::pretty`]).

use std::fmt;

use super::{Json, Object};

/// Compact JSON, fields in the order sent.
impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write(f, self, None)
    }
}

impl Json<'_> {
    /// JSON for people to read: two spaces per level, one field or element per line.
    pub fn pretty(&self) -> String {
        struct Pretty<'v, 'a>(&'v Json<'a>);
        impl fmt::Display for Pretty<'_, '_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write(f, self.0, Some(0))
            }
        }
        Pretty(self).to_string()
    }
}

/// Writes `value`, compact (`depth` is `None`) or pretty (`depth` is its nesting level).
fn write(f: &mut fmt::Formatter<'_>, value: &Json<'_>, depth: Option<usize>) -> fmt::Result {
    // A new line and the indent of `depth`, in the pretty form only.
    let line = |f: &mut fmt::Formatter<'_>, depth: Option<usize>| match depth {
        Some(depth) => {
            f.write_str("\n")?;
            (0..depth).try_for_each(|_| f.write_str("  "))
        }
        None => Ok(()),
    };
    let inner = depth.map(|d| d + 1);
    match value {
        Json::Null => f.write_str("null"),
        Json::Bool(b) => write!(f, "{b}"),
        Json::Number(n) => f.write_str(n),
        Json::String(s) => write_string(f, s),
        Json::Array(items) if items.is_empty() => f.write_str("[]"),
        Json::Object(Object(fields)) if fields.is_empty() => f.write_str("{}"),
        Json::Array(items) => {
            f.write_str("[")?;
            for (i, item) in items.iter().enumerate() {
                f.write_str(if i > 0 { "," } else { "" })?;
                line(f, inner)?;
                write(f, item, inner)?;
            }
            line(f, depth)?;
            f.write_str("]")
        }
        Json::Object(Object(fields)) => {
            f.write_str("{")?;
            for (i, (name, item)) in fields.iter().enumerate() {
                f.write_str(if i > 0 { "," } else { "" })?;
                line(f, inner)?;
                write_string(f, name)?;
                f.write_str(if depth.is_some() { ": " } else { ":" })?;
                write(f, item, inner)?;
            }
            line(f, depth)?;
            f.write_str("}")
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        f.write_str(&s[plain..i])?;
        plain = i + c.len_utf8();
        if escaped.is_empty() {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_str(escaped)?;
        }
    }
    f.write_str(&s[plain..])?;
    f.write_str("\"")
}
