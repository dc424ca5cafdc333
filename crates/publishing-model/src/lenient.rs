//! Reading JSON leniently: a value of the wrong type is "missing", a bad list element is
//! dropped, numbers may come as text, and one odd field never fails a whole document.
//!
//! Plain functions over a parsed [`Json`] value, not serde derives: a derive compiles a
//! visitor per type and a wrapper per field for every deserializer it meets, and parsing was
//! then 28 KB of the app's 299 KB gzipped wasm (measured).

use std::convert::Infallible;
use std::str::FromStr;

use crate::json::{Json, Object};

/// Text from a string, or from a number or boolean written as text.
pub(crate) fn text(value: &Json<'_>) -> Option<String> {
    match value {
        Json::String(s) => Some(s.to_string()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A non-negative integer from an integer, an integral float below 2^53, or digits in text.
/// Tick counts above 2^53 arrive as integers and stay exact: they never pass through f64.
pub(crate) fn uint(value: &Json<'_>) -> Option<u64> {
    match value {
        Json::Number(_) => value.as_u64().or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9_007_199_254_740_992.0)
                // Exact: an integral f64 within 2^53 converts without loss.
                .map(|f| f as u64)
        }),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The elements `item` accepts; anything that is not a list is an empty list.
pub(crate) fn list<'a, T>(
    value: Option<&'a Json<'a>>,
    item: impl Fn(&'a Json<'a>) -> Option<T>,
) -> Vec<T> {
    match value {
        Some(Json::Array(items)) => items.iter().filter_map(item).collect(),
        _ => Vec::new(),
    }
}

/// The fields of one JSON object. A missing field and a `null` one read the same.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(&'a Object<'a>);

impl<'a> Fields<'a> {
    /// The fields of `value`, when it is an object.
    pub(crate) fn of(value: &'a Json<'a>) -> Option<Self> {
        value.as_object().map(Fields)
    }

    /// A field's value; `None` when missing or `null`.
    pub(crate) fn get(self, name: &str) -> Option<&'a Json<'a>> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// The first of several spellings that is present.
    pub(crate) fn first(self, names: &[&str]) -> Option<&'a Json<'a>> {
        names.iter().find_map(|name| self.get(name))
    }

    /// A field as text (see [`text`]).
    pub(crate) fn text(self, name: &str) -> Option<String> {
        self.get(name).and_then(text)
    }

    /// A field as a non-negative integer (see [`uint`]).
    pub(crate) fn uint(self, name: &str) -> Option<u64> {
        self.get(name).and_then(uint)
    }

    /// A status-like word: only a string counts; any spelling is kept (unknown words too).
    pub(crate) fn word<T: FromStr<Err = Infallible>>(self, name: &str) -> Option<T> {
        let Ok(word) = self.get(name)?.as_str()?.parse();
        Some(word)
    }

    /// A field read by `read`.
    pub(crate) fn read<T>(
        self,
        name: &str,
        read: impl FnOnce(&'a Json<'a>) -> Option<T>,
    ) -> Option<T> {
        self.get(name).and_then(read)
    }

    /// A list field, keeping the elements `item` accepts.
    pub(crate) fn list<T>(self, name: &str, item: impl Fn(&'a Json<'a>) -> Option<T>) -> Vec<T> {
        list(self.get(name), item)
    }
}

/// [`text`] for serde's `Deserialize` impls of ids and time frames, for whoever reads them
/// through serde (the app reads documents through [`crate::json`]): a string, or a number or
/// boolean written as text.
pub(crate) fn serde_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    use serde_json::Value;
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}
