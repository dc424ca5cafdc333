//! Reading JSON leniently: a value of the wrong type is "missing", a bad list element is
//! dropped, numbers may come as text, and one odd field never fails a whole document.
//!
//! Plain functions over a parsed `serde_json::Value`, not serde derives: a derive compiles a
//! visitor per type and a wrapper per field for every deserializer it meets, and parsing was
//! then 28 KB of the app's 299 KB gzipped wasm (measured).

use std::convert::Infallible;
use std::str::FromStr;

use serde_json::{Map, Value};

/// Text from a string, or from a number or boolean written as text.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A non-negative integer from an integer, an integral float below 2^53, or digits in text.
/// Tick counts above 2^53 arrive as integers and stay exact: they never pass through f64.
pub(crate) fn uint(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9_007_199_254_740_992.0)
                // Exact: an integral f64 within 2^53 converts without loss.
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The elements `item` accepts; anything that is not a list is an empty list.
pub(crate) fn list<T>(value: Option<&Value>, item: impl Fn(&Value) -> Option<T>) -> Vec<T> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(item).collect(),
        _ => Vec::new(),
    }
}

/// The fields of one JSON object. A missing field and a `null` one read the same.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// The fields of `value`, when it is an object.
    pub(crate) fn of(value: &'a Value) -> Option<Self> {
        value.as_object().map(Fields)
    }

    /// A field's value; `None` when missing or `null`.
    pub(crate) fn get(self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// The first of several spellings that is present.
    pub(crate) fn first(self, names: &[&str]) -> Option<&'a Value> {
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
        read: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Option<T> {
        self.get(name).and_then(read)
    }

    /// A list field, keeping the elements `item` accepts.
    pub(crate) fn list<T>(self, name: &str, item: impl Fn(&Value) -> Option<T>) -> Vec<T> {
        list(self.get(name), item)
    }
}
