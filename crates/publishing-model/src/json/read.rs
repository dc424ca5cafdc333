//! Reading JSON text into a [`Json`] value.

use std::borrow::Cow;

use super::{Json, Object, MAX_DEPTH};

/// Why a text is not JSON, and where (1-based line and column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was wrong, in serde_json's words.
    pub reason: &'static str,
    /// The text ended before the value did.
    pub eof: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Reads one JSON value that makes up the whole of `text` (whitespace aside).
pub fn parse(text: &str) -> Result<Json<'_>, SyntaxError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        text: body,
        bytes: body.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, reason: &'static str) -> SyntaxError {
        let eof = self.at >= self.bytes.len();
        let before = &self.text[..floor_char_boundary(self.text, self.at)];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        SyntaxError {
            reason,
            eof,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    fn eof_or(&self, reason: &'static str) -> SyntaxError {
        if self.at >= self.bytes.len() {
            self.error("EOF")
        } else {
            self.error(reason)
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Json<'a>, SyntaxError> {
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            _ => Err(self.eof_or("expected value")),
        }
    }

    fn word(&mut self, word: &'static str, value: Json<'a>) -> Result<Json<'a>, SyntaxError> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end) == Some(word.as_bytes()) {
            self.at = end;
            return Ok(value);
        }
        // Step over what matches, so the error points where it stops matching.
        for &expected in word.as_bytes() {
            if self.peek() != Some(expected) {
                break;
            }
            self.at += 1;
        }
        Err(self.eof_or("expected ident"))
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Json<'a>, SyntaxError>,
    ) -> Result<Json<'a>, SyntaxError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1; // the opening bracket
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Result<Json<'a>, SyntaxError> {
        let mut items = Vec::new();
        if !self.closes(b']') {
            loop {
                items.push(self.value()?);
                if !self.more(b']', "expected `,` or `]`")? {
                    break;
                }
            }
        }
        Ok(Json::Array(items))
    }

    fn object(&mut self) -> Result<Json<'a>, SyntaxError> {
        let mut fields = Vec::new();
        if !self.closes(b'}') {
            loop {
                self.skip_space();
                if self.peek() != Some(b'"') {
                    return Err(self.eof_or("key must be a string"));
                }
                let name = self.string()?;
                self.skip_space();
                if self.peek() != Some(b':') {
                    return Err(self.eof_or("expected `:`"));
                }
                self.at += 1;
                fields.push((name, self.value()?));
                if !self.more(b'}', "expected `,` or `}`")? {
                    break;
                }
            }
        }
        Ok(Json::Object(Object(fields)))
    }

    /// At the start of a list or an object: whether `close` ends it at once (then taken).
    fn closes(&mut self, close: u8) -> bool {
        self.skip_space();
        let empty = self.peek() == Some(close);
        if empty {
            self.at += 1;
        }
        empty
    }

    /// After an element: `true` when a comma says another follows, `false` at `close`
    /// (taken). A comma right before `close` is an error, as is anything else.
    fn more(&mut self, close: u8, expected: &'static str) -> Result<bool, SyntaxError> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.skip_space();
                if self.peek() == Some(close) {
                    return Err(self.error("trailing comma"));
                }
                Ok(true)
            }
            Some(b) if b == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(self.eof_or(expected)),
        }
    }

    /// A string, at its opening quote. Borrowed from the text when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.at += 1;
        let start = self.at;
        // Only ASCII bytes end the plain run, so every slice below is on a char boundary.
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.at - 1]));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => return Err(self.error(CONTROL)),
                Some(_) => self.at += 1,
                None => return Err(self.error("EOF")),
            }
        }
        let mut owned = String::from(&self.text[start..self.at]);
        loop {
            let run = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            owned.push_str(&self.text[run..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    self.at += 1;
                    owned.push(self.escape()?);
                }
                Some(_) => return Err(self.error(CONTROL)),
                None => return Err(self.error("EOF")),
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, SyntaxError> {
        let Some(b) = self.peek() else {
            return Err(self.error("EOF"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first)
                    && self.bytes.get(self.at..self.at + 2) == Some(b"\\u")
                {
                    let back = self.at;
                    self.at += 2;
                    let second = self.hex4()?;
                    if (0xDC00..0xE000).contains(&second) {
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    // Not a pair: the second escape is read on its own.
                    self.at = back;
                }
                char::from_u32(first).unwrap_or('\u{fffd}')
            }
            _ => {
                self.at -= 1;
                return Err(self.error("invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        // A text cut inside the escape ended early, whatever it ends with.
        if self.at + 4 > self.bytes.len() {
            self.at = self.bytes.len();
            return Err(self.error("EOF"));
        }
        let mut code = 0;
        for &b in &self.bytes[self.at..self.at + 4] {
            let digit = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid escape"))?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Json<'a>, SyntaxError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.eof_or("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.eof_or("invalid number"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.eof_or("invalid number"));
            }
            self.digits();
        }
        Ok(Json::Number(Cow::Borrowed(&self.text[start..self.at])))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }
}

const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";

/// The largest char boundary at or before `at` (for error positions only).
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
