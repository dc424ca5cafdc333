//! A small JSON reader for the service's documents, feeding the crate's lenient readers
//! (`lenient.rs`).
//!
//! Why not `serde_json::Value`: every object there is a `BTreeMap` of owned keys, and its
//! deserializer is compiled once per input type. Here keys and strings without escapes
//! borrow from the response text, an object is a list of its fields in the order sent, and a
//! number keeps its text until a field asks for it. The 2,000-operation list reads about
//! 3× faster, and the app's first load is smaller (`scripts/bench.sh`).
//!
//! Strict JSON (RFC 8259) except in two forgiving ways: a leading byte-order mark is skipped,
//! and a `\u` escape naming half a surrogate pair reads as U+FFFD instead of failing the
//! whole document. Nesting deeper than [`MAX_DEPTH`] is an error, not a stack overflow.

use std::borrow::Cow;

mod read;
mod write;

pub use read::{parse, SyntaxError};

/// How deep arrays and objects may nest (serde_json's limit too).
pub const MAX_DEPTH: usize = 128;

/// One JSON value, borrowing from the text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number's text, already checked against JSON's grammar.
    Number(Cow<'a, str>),
    /// A string, its escapes read.
    String(Cow<'a, str>),
    /// A list.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// An object's fields in the order sent. A name sent twice reads as its last value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Object<'a> {
    /// Every field, in the order sent.
    pub fn fields(&self) -> &[(Cow<'a, str>, Json<'a>)] {
        &self.0
    }

    /// The value of `name` (the last one, when it is sent twice).
    pub fn get(&self, name: &str) -> Option<&Json<'a>> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

impl<'a> Json<'a> {
    /// A field of an object; `None` for a missing field or a value that is not an object.
    pub fn get(&self, name: &str) -> Option<&Json<'a>> {
        self.as_object()?.get(name)
    }

    /// The fields, when this is an object.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Self::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a list.
    pub fn is_array(&self) -> bool {
        matches!(self, Self::Array(_))
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// A number as `f64` (very large ones are infinite, as Rust reads them; see
    /// [`crate::decimal::parse_f64`] for how exact).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => crate::decimal::parse_f64(n),
            _ => None,
        }
    }

    /// A number written as a non-negative integer that fits in `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// A number written as an integer that fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// What a value that is not an object or a list is called, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "a boolean",
            Self::Number(_) => "a number",
            Self::String(_) => "a string",
            Self::Array(_) => "a list",
            Self::Object(_) => "an object",
        }
    }
}

impl<'a> Json<'a> {
    /// An object of these fields, in this order (for writing).
    pub fn object<const N: usize>(fields: [(&'static str, Json<'a>); N]) -> Self {
        Self::Object(Object(
            fields
                .into_iter()
                .map(|(name, value)| (Cow::Borrowed(name), value))
                .collect(),
        ))
    }
}

impl<'a> From<&'a str> for Json<'a> {
    fn from(text: &'a str) -> Self {
        Self::String(Cow::Borrowed(text))
    }
}

impl From<String> for Json<'_> {
    fn from(text: String) -> Self {
        Self::String(Cow::Owned(text))
    }
}
