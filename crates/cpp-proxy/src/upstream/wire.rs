//! HTTP/1.1 on the wire to the forwarder's one upstream, without I/O: a request written into
//! one buffer, an answer's head parsed (by `httparse`) into only what the proxy reads of it, and
//! a chunked body decoded. The proxy asks one service a few kinds of request; a general client
//! spent more on every answer's head (a full header map, its channel to the connection) than
//! the rest of the forwarding did (README, "Decisions").
//!
//! The framing follows RFC 9112 §6.3, strictly: an answer whose length is in doubt (two
//! different `Content-Length`s, a transfer coding other than `chunked`) is refused rather
//! than guessed at, and one framed by both headers is read by its chunks, and its connection
//! not used again.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

/// The largest answer head read; a larger one is refused.
pub const MAX_HEAD: usize = 64 * 1024;
/// Headers in one answer head, at most.
const MAX_HEADERS: usize = 128;
/// Room in an answer's header map for the headers the proxy adds on its way back (CORS,
/// security headers, the request id), so that the map is never grown and rehashed.
const ROOM: usize = 12;
/// Trailer bytes after a chunked body, at most (the proxy reads none of them).
const MAX_TRAILERS: usize = 16 * 1024;

/// Why an answer could not be read as HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The head is over [`MAX_HEAD`] or has over [`MAX_HEADERS`] headers.
    #[error("the answer's head is too large")]
    HeadTooLarge,
    /// Not HTTP/1.x, or framed in a way that leaves the body's end in doubt.
    #[error("the answer is not valid HTTP/1.1: {0}")]
    Invalid(&'static str),
}

/// Whether `target` can go on a request line as it is: an origin-form path, visible ASCII
/// only (no space, CR or LF to split the request with).
pub fn valid_target(target: &str) -> bool {
    target.starts_with('/') && target.bytes().all(|b| b.is_ascii_graphic())
}

/// Appends a request to `out`: its line, `host`, `headers`, the body's length when there is a
/// body or the method expects one, then the body. `target` must be [`valid_target`]; header
/// names and values are valid by their types.
pub fn encode_request(
    out: &mut Vec<u8>,
    method: &Method,
    target: &str,
    host: &HeaderValue,
    headers: &[(HeaderName, HeaderValue)],
    body: &[u8],
) {
    debug_assert!(valid_target(target));
    out.extend_from_slice(method.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(target.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
    out.extend_from_slice(host.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !body.is_empty() || !matches!(*method, Method::GET | Method::HEAD) {
        out.extend_from_slice(b"content-length: ");
        out.extend_from_slice(body.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

/// How an answer's body ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body (an answer to HEAD, 204, 304).
    Empty,
    /// This many bytes.
    Length(u64),
    /// In chunks.
    Chunked,
    /// When the server closes the connection.
    UntilClose,
}

/// What the proxy reads of an answer's head.
#[derive(Debug)]
pub struct Head {
    pub status: StatusCode,
    /// The first value of each header the caller keeps; no other header.
    pub headers: HeaderMap,
    pub framing: Framing,
    /// Whether the connection may carry another request after this answer's body.
    pub reusable: bool,
}

/// Parses the answer head at the front of `buf`: `None` until all of it is there, then the
/// head and its length in bytes. Headers named in `keep` are kept (the first of each; a
/// second `Content-Encoding` is refused, as it would mean a second decoding); `method` is
/// the request's, as an answer to HEAD has no body.
pub fn parse_head(
    buf: &[u8],
    method: &Method,
    keep: &[HeaderName],
) -> Result<Option<(usize, Head)>, WireError> {
    // Left uninitialised: initialising every slot cost more than parsing a usual head.
    let mut slots = [const { std::mem::MaybeUninit::uninit() }; MAX_HEADERS];
    let mut answer = httparse::Response::new(&mut []);
    let parsed = httparse::ParserConfig::default().parse_response_with_uninit_headers(
        &mut answer,
        buf,
        &mut slots,
    );
    let len = match parsed {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => {
            return Err(WireError::HeadTooLarge)
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(WireError::HeadTooLarge),
        Err(_) => return Err(WireError::Invalid("the head does not parse")),
    };
    if len > MAX_HEAD {
        return Err(WireError::HeadTooLarge);
    }
    let code = answer.code.unwrap_or(0);
    let status =
        StatusCode::from_u16(code).map_err(|_| WireError::Invalid("the status is not a code"))?;
    let mut headers = HeaderMap::with_capacity(keep.len() + ROOM);
    let mut length: Option<u64> = None;
    let mut chunked = false;
    let mut close = answer.version != Some(1);
    for header in answer.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            let n = parse_length(header.value)?;
            if length.is_some_and(|m| m != n) {
                return Err(WireError::Invalid("two different content lengths"));
            }
            length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Only `chunked`, once: any other transfer coding leaves the end in doubt.
            if chunked || !header.value.trim_ascii().eq_ignore_ascii_case(b"chunked") {
                return Err(WireError::Invalid("a transfer coding other than chunked"));
            }
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") {
            close |= header
                .value
                .split(|&b| b == b',')
                .any(|token| token.trim_ascii().eq_ignore_ascii_case(b"close"));
        } else if let Some(kept) = keep.iter().find(|k| name.eq_ignore_ascii_case(k.as_str())) {
            let value = HeaderValue::from_bytes(header.value)
                .map_err(|_| WireError::Invalid("a header value is not valid"))?;
            if headers.contains_key(kept) {
                if *kept == axum::http::header::CONTENT_ENCODING {
                    return Err(WireError::Invalid("two content encodings"));
                }
                continue;
            }
            headers.insert(kept.clone(), value);
        }
    }
    let framing = if *method == Method::HEAD
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
    {
        Framing::Empty
    } else if chunked {
        // Framed twice: read by the chunks, and never trust the connection again.
        close |= length.is_some();
        Framing::Chunked
    } else if let Some(n) = length {
        Framing::Length(n)
    } else {
        close = true;
        Framing::UntilClose
    };
    let head = Head {
        status,
        headers,
        framing,
        reusable: !close,
    };
    Ok(Some((len, head)))
}

/// A `Content-Length` value: digits only (a list of equal values, as some servers send, too).
fn parse_length(value: &[u8]) -> Result<u64, WireError> {
    let mut found: Option<u64> = None;
    for part in value.split(|&b| b == b',') {
        let part = part.trim_ascii();
        let n = (!part.is_empty() && part.len() <= 19 && part.iter().all(u8::is_ascii_digit))
            .then(|| part.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
            .ok_or(WireError::Invalid("a content length is not a number"))?;
        if found.is_some_and(|m| m != n) {
            return Err(WireError::Invalid("two different content lengths"));
        }
        found = Some(n);
    }
    found.ok_or(WireError::Invalid("an empty content length"))
}

/// What the chunked decoder found at the front of its input.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// More input is needed (none was used).
    NeedMore,
    /// `skip` bytes of framing, then `len` bytes of data (none when the framing used
    /// everything there was): `skip + len` bytes used.
    Data { skip: usize, len: usize },
    /// The body has ended; this many bytes used (the last chunk, its trailers).
    End(usize),
}

/// Decodes a chunked body, step by step over whatever has arrived.
#[derive(Debug, Default)]
pub struct Chunked {
    state: State,
    trailers: usize,
}

#[derive(Debug, Default)]
enum State {
    /// A chunk's size line next.
    #[default]
    Size,
    /// This many data bytes of the current chunk left.
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines, up to an empty one.
    Trailers,
    Done,
}

impl Chunked {
    /// One step over `input` (the unread bytes, from the front).
    pub fn step(&mut self, input: &[u8]) -> Result<Step, WireError> {
        let bad = |what| Err(WireError::Invalid(what));
        match self.state {
            State::Size => match httparse::parse_chunk_size(input) {
                Ok(httparse::Status::Partial) if input.len() > 1024 => {
                    bad("a chunk size line is too long")
                }
                Ok(httparse::Status::Partial) => Ok(Step::NeedMore),
                Ok(httparse::Status::Complete((used, 0))) => {
                    self.state = State::Trailers;
                    Ok(self.step(&input[used..])?.after(used))
                }
                Ok(httparse::Status::Complete((used, size))) => {
                    self.state = State::Data(size);
                    Ok(self.step(&input[used..])?.after(used))
                }
                Err(_) => bad("a chunk size is not valid"),
            },
            State::Data(left) => {
                let len = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                if len == 0 {
                    return Ok(Step::NeedMore);
                }
                let left = left - len as u64;
                self.state = if left == 0 {
                    State::DataEnd
                } else {
                    State::Data(left)
                };
                Ok(Step::Data { skip: 0, len })
            }
            State::DataEnd => match input {
                [b'\r', b'\n', ..] => {
                    self.state = State::Size;
                    Ok(self.step(&input[2..])?.after(2))
                }
                [] | [b'\r'] => Ok(Step::NeedMore),
                _ => bad("a chunk does not end with CRLF"),
            },
            State::Trailers => {
                let mut used = 0;
                loop {
                    let rest = &input[used..];
                    let Some(line) = rest.windows(2).position(|w| w == b"\r\n") else {
                        if self.trailers + rest.len() > MAX_TRAILERS {
                            return bad("the trailers are too long");
                        }
                        return Ok(Step::NeedMore.after(used));
                    };
                    used += line + 2;
                    if line == 0 {
                        self.state = State::Done;
                        return Ok(Step::End(used));
                    }
                    self.trailers += line + 2;
                    if self.trailers > MAX_TRAILERS {
                        return bad("the trailers are too long");
                    }
                }
            }
            State::Done => Ok(Step::End(0)),
        }
    }
}

impl Step {
    /// This step, after `used` bytes of framing before it: framing used before more input is
    /// needed is reported as used, with no data.
    fn after(self, used: usize) -> Self {
        match self {
            Self::NeedMore if used == 0 => Self::NeedMore,
            Self::NeedMore => Self::Data { skip: used, len: 0 },
            Self::Data { skip, len } => Self::Data {
                skip: skip + used,
                len,
            },
            Self::End(n) => Self::End(n + used),
        }
    }
}

#[cfg(test)]
mod tests;
