//! The languages the dashboard speaks, and its message catalogues: which language a browser
//! asks for, a plain keyed text format with plural variants, filling `{name}` placeholders,
//! and a pseudo-locale that shows layout problems. Formatting of dates, numbers and plural
//! categories is the browser's (`Intl`); this module only picks and fills text.
//!
//! Catalogue format, one message per line, `#` starts a comment line:
//!
//! ```text
//! offer.title = Offer {offer}
//! operations.count.one = {n} operation
//! operations.count.other = {n} operations
//! ```
//!
//! A plural message has one line per `Intl.PluralRules` category the language uses (`zero`,
//! `one`, `two`, `few`, `many`, `other`); `other` is required and is the fallback.

/// A language of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English: the source language, built into the app.
    En,
    /// Simplified Chinese (China).
    ZhCn,
    /// Russian.
    Ru,
    /// Brazilian Portuguese.
    PtBr,
    /// Italian.
    It,
    /// English, accented and about 30% longer: shows text that is not translated and boxes
    /// that cannot grow. Chosen only by hand.
    Pseudo,
}

impl Locale {
    /// Every language, in the order the switch lists them.
    pub const ALL: [Locale; 6] = [
        Self::En,
        Self::ZhCn,
        Self::Ru,
        Self::PtBr,
        Self::It,
        Self::Pseudo,
    ];

    /// The BCP 47 tag: `<html lang>`, `Intl` and the catalogue's file name.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::ZhCn => "zh-CN",
            Self::Ru => "ru",
            Self::PtBr => "pt-BR",
            Self::It => "it",
            Self::Pseudo => "en-XA",
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::ZhCn => "中文（简体）",
            Self::Ru => "Русский",
            Self::PtBr => "Português (Brasil)",
            Self::It => "Italiano",
            Self::Pseudo => "[Ƥşéûđö]",
        }
    }

    /// The language of a tag, exactly or by its primary language (`pt-PT` → pt-BR,
    /// `zh-Hans-SG` → zh-CN); `None` for languages the dashboard does not speak.
    /// `zh-TW` and `zh-Hant` are traditional script: not offered simplified text.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en-xa" {
            return Some(Self::Pseudo);
        }
        let mut parts = tag.split(['-', '_']);
        let primary = parts.next()?;
        match primary {
            "en" => Some(Self::En),
            "ru" => Some(Self::Ru),
            "pt" => Some(Self::PtBr),
            "it" => Some(Self::It),
            "zh" => {
                let traditional = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
                (!traditional).then_some(Self::ZhCn)
            }
            _ => None,
        }
    }

    /// The first of the browser's preferred languages (`navigator.languages`) the dashboard
    /// speaks; English when none is.
    pub fn negotiate<S: AsRef<str>>(preferred: &[S]) -> Self {
        preferred
            .iter()
            .filter_map(|t| Self::from_tag(t.as_ref()))
            .find(|l| *l != Self::Pseudo)
            .unwrap_or(Self::En)
    }

    /// True when the catalogue is a file of its own (English is built in; the pseudo-locale
    /// is made from English).
    pub fn has_file(self) -> bool {
        !matches!(self, Self::En | Self::Pseudo)
    }
}

/// The plural categories of `Intl.PluralRules`.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One language's messages, sorted by key for lookup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    entries: Vec<(Box<str>, Box<str>)>,
}

/// A line of a catalogue that is not a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: &'static str,
}

impl Catalogue {
    /// Reads a catalogue. Malformed lines are skipped and reported; the first definition of a
    /// key wins. Oversized files are read only to their first 256 KiB.
    pub fn parse(text: &str) -> (Self, Vec<CatalogueError>) {
        const LIMIT: usize = 256 * 1024;
        let text = match text.char_indices().nth(LIMIT) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let mut entries: Vec<(Box<str>, Box<str>)> = Vec::new();
        let mut errors = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                errors.push(CatalogueError {
                    line: n + 1,
                    reason: "no `=`",
                });
                continue;
            };
            let key = key.trim();
            if !is_key(key) {
                errors.push(CatalogueError {
                    line: n + 1,
                    reason: "a key is lower-case words joined by `.`, `-` or `_`",
                });
                continue;
            }
            entries.push((key.into(), unescape(value.trim()).into()));
        }
        // Stable: the first definition stays first among equals, and dedup keeps it.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
        (Self { entries }, errors)
    }

    /// The message of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| self.entries[i].1.as_ref())
    }

    /// The message of a plural key for a category, falling back to `other`.
    pub fn get_plural(&self, key: &str, category: &str) -> Option<&str> {
        self.get(&format!("{key}.{category}"))
            .or_else(|| self.get(&format!("{key}.other")))
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// True when the catalogue has the key, or has it as a plural message.
    pub fn covers(&self, key: &str) -> bool {
        self.get(key).is_some() || self.get(&format!("{key}.other")).is_some()
    }

    /// The pseudo-locale of this (English) catalogue: every message through [`pseudo`].
    pub fn pseudo(&self) -> Self {
        Self {
            entries: self
                .entries
                .iter()
                .map(|(k, v)| (k.clone(), pseudo(v).into()))
                .collect(),
        }
    }
}

/// The base key of a message key: a plural variant's key without its category.
pub fn base_key(key: &str) -> &str {
    match key.rsplit_once('.') {
        Some((base, category)) if PLURAL_CATEGORIES.contains(&category) => base,
        _ => key,
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// `\n` in a catalogue value is a line break; `\\` a backslash.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A part of a message that has things other than text in it (a `<time>` element, a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text, placeholders in `args` filled.
    Text(String),
    /// A placeholder the caller fills with something that is not text.
    Slot(String),
}

/// Splits a message at its placeholders that are not in `args`, in the order the language
/// puts them: "Ended {time} (took {duration})" with `duration` given is
/// `[Text("Ended "), Slot("time"), Text(" (took 2 days)")]`.
pub fn pieces(template: &str, args: &[(&str, &str)]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        text.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => text.push_str(value),
            None => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Slot(name.to_owned()));
            }
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// Fills `{name}` placeholders from `args`. A placeholder without a value stays as written,
/// so a missing argument shows instead of vanishing. Values are inserted as they are: the
/// result is text, and the page sets it as text, never as markup.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The pseudo-locale of an English message: letters accented, about 30% longer, in
/// brackets, with `{placeholders}` untouched so they still fill.
pub fn pseudo(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 4);
    out.push('[');
    let mut letters = 0usize;
    let mut in_placeholder = false;
    for c in text.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        if in_placeholder || c == '}' {
            out.push(c);
            continue;
        }
        if c.is_ascii_alphabetic() {
            letters += 1;
        }
        out.push(accent(c));
    }
    // About 30% longer: one filler per three letters, after a space so that a line can
    // still break where the English one could.
    out.push(' ');
    for i in 0..letters.div_ceil(3) {
        out.push(if i % 2 == 0 { '~' } else { '·' });
    }
    out.push(']');
    out
}

fn accent(c: char) -> char {
    const FROM: &str = "aceinoszuyACEINOSZUY";
    const TO: &str = "áçéîñöşžûýÅÇÉÎÑÖŞŽÛÝ";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

/// The message keys a Rust source file names: the literal in every `key!("…")`, the app's
/// compile-time-checked key (generated by its `build.rs` from `locales/en.txt`). Used to
/// list the keys English has that no code names.
pub fn keys_in_source(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in ["key!("] {
        let mut from = 0;
        while let Some(found) = source[from..].find(call) {
            let at = from + found;
            from = at + call.len();
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let Some(rest) = source[from..].trim_start().strip_prefix('"') else {
                continue;
            };
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if is_key(key) {
                    keys.push(key.to_owned());
                }
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
