//! Writing JSON: compact (`Display`) and for people to read ([`Json::pretty`]).

use std::fmt;

use super::{Json, Object};

/// Compact JSON, fields in the order sent.
impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => f.write_str(n),
            Self::String(s) => write_string(f, s),
            Self::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Self::Object(Object(fields)) => {
                f.write_str("{")?;
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, name)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl Json<'_> {
    /// JSON for people to read: two spaces per level, one field or element per line.
    pub fn pretty(&self) -> String {
        struct Pretty<'v, 'a>(&'v Json<'a>, usize);
        impl fmt::Display for Pretty<'_, '_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let Pretty(value, depth) = *self;
                let pad = |f: &mut fmt::Formatter<'_>, depth: usize| {
                    f.write_str("\n")?;
                    (0..depth).try_for_each(|_| f.write_str("  "))
                };
                match value {
                    Json::Array(items) if !items.is_empty() => {
                        f.write_str("[")?;
                        for (i, item) in items.iter().enumerate() {
                            f.write_str(if i > 0 { "," } else { "" })?;
                            pad(f, depth + 1)?;
                            write!(f, "{}", Pretty(item, depth + 1))?;
                        }
                        pad(f, depth)?;
                        f.write_str("]")
                    }
                    Json::Object(Object(fields)) if !fields.is_empty() => {
                        f.write_str("{")?;
                        for (i, (name, item)) in fields.iter().enumerate() {
                            f.write_str(if i > 0 { "," } else { "" })?;
                            pad(f, depth + 1)?;
                            write_string(f, name)?;
                            write!(f, ": {}", Pretty(item, depth + 1))?;
                        }
                        pad(f, depth)?;
                        f.write_str("}")
                    }
                    other => write!(f, "{other}"),
                }
            }
        }
        Pretty(self, 0).to_string()
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
