use super::*;
use axum::http::header;

const KEEP: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::CONTENT_ENCODING,
    header::LOCATION,
];

fn head(text: &str) -> Result<Option<(usize, Head)>, WireError> {
    parse_head(text.as_bytes(), &Method::GET, &KEEP)
}

fn complete(text: &str) -> Head {
    let (len, head) = head(text).expect("valid").expect("complete");
    assert_eq!(len, text.find("\r\n\r\n").expect("end") + 4);
    head
}

#[test]
fn a_request_is_written_in_one_buffer() {
    let mut out = Vec::new();
    let headers = [(header::ACCEPT, HeaderValue::from_static("application/json"))];
    let host = HeaderValue::from_static("api.example:8443");
    encode_request(&mut out, &Method::GET, "/a?b=c", &host, &headers, b"");
    assert_eq!(
        out,
        b"GET /a?b=c HTTP/1.1\r\nhost: api.example:8443\r\naccept: application/json\r\n\r\n"
    );
    out.clear();
    encode_request(&mut out, &Method::POST, "/x", &host, &[], b"");
    assert!(out.ends_with(b"\r\ncontent-length: 0\r\n\r\n"), "{out:?}");
    out.clear();
    encode_request(&mut out, &Method::POST, "/x", &host, &[], b"{}");
    assert!(out.ends_with(b"content-length: 2\r\n\r\n{}"), "{out:?}");
}

#[test]
fn a_target_with_space_or_line_break_is_not_valid() {
    assert!(valid_target("/api/x?y=%20z"));
    for bad in ["", "api", "/a b", "/a\r\nx: y", "/a\n", "/\u{e9}", "/a\tb"] {
        assert!(!valid_target(bad), "{bad:?}");
    }
}

#[test]
fn a_head_keeps_only_the_named_headers_and_the_first_of_each() {
    let h = complete(
        "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-type: application/json\r\nSet-Cookie: a=b\r\n\
         Content-Type: text/html\r\nLocation: /next\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.headers.len(), 2);
    assert_eq!(h.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(h.headers[header::LOCATION], "/next");
    assert_eq!(h.framing, Framing::Length(5));
    assert!(h.reusable);
}

#[test]
fn a_head_is_read_only_once_all_of_it_is_there() {
    let text = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
    for cut in 0..text.len() {
        assert!(head(&text[..cut]).expect("partial").is_none(), "{cut}");
    }
    assert_eq!(complete(text).framing, Framing::Empty);
}

#[test]
fn framing_follows_the_status_the_method_and_the_headers() {
    let f = |text: &str| complete(text).framing;
    assert_eq!(
        f("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"),
        Framing::Empty
    );
    assert_eq!(f("HTTP/1.1 100 Continue\r\n\r\n"), Framing::Empty);
    assert_eq!(
        f("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"),
        Framing::Chunked
    );
    assert_eq!(
        f("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\n\r\n"),
        Framing::Length(7)
    );
    assert_eq!(f("HTTP/1.1 200 OK\r\n\r\n"), Framing::UntilClose);
    let (_, h) = parse_head(
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n",
        &Method::HEAD,
        &KEEP,
    )
    .expect("valid")
    .expect("complete");
    assert_eq!(h.framing, Framing::Empty);
    assert!(h.reusable);
}

#[test]
fn a_connection_is_used_again_only_when_the_answer_says_it_may() {
    let r = |text: &str| complete(text).reusable;
    assert!(r(
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
    ));
    assert!(!r(
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive, CLOSE\r\n\r\n"
    ));
    assert!(!r("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(!r("HTTP/1.1 200 OK\r\n\r\n"));
    // Framed twice: the chunks win and the connection is not trusted again.
    let h = complete("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
    assert_eq!(h.framing, Framing::Chunked);
    assert!(!h.reusable);
}

#[test]
fn an_answer_whose_end_is_in_doubt_is_refused() {
    for text in [
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: gzip\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n",
    ] {
        assert!(
            matches!(head(text), Err(WireError::Invalid(_))),
            "{text:?}: {:?}",
            head(text)
        );
    }
}

#[test]
fn a_head_too_large_is_refused() {
    let long = format!("HTTP/1.1 200 OK\r\nX: {}", "a".repeat(MAX_HEAD));
    assert_eq!(head(&long).expect_err("too large"), WireError::HeadTooLarge);
    let many: String = (0..=MAX_HEADERS).map(|i| format!("X{i}: v\r\n")).collect();
    let text = format!("HTTP/1.1 200 OK\r\n{many}\r\n");
    assert_eq!(head(&text).expect_err("too many"), WireError::HeadTooLarge);
}

/// Decodes `wire` handed over in pieces of `piece` bytes, as reads might deliver it.
fn dechunk(wire: &[u8], piece: usize) -> Result<(Vec<u8>, usize), WireError> {
    let mut decoder = Chunked::default();
    let (mut buf, mut fed, mut data) = (Vec::new(), 0, Vec::new());
    loop {
        match decoder.step(&buf)? {
            Step::NeedMore => {
                if fed == wire.len() {
                    return Err(WireError::Invalid("cut short"));
                }
                let more = piece.min(wire.len() - fed);
                buf.extend_from_slice(&wire[fed..fed + more]);
                fed += more;
            }
            Step::Data { skip, len } => {
                data.extend_from_slice(&buf[skip..skip + len]);
                buf.drain(..skip + len);
            }
            Step::End(used) => {
                buf.drain(..used);
                return Ok((data, buf.len() + wire.len() - fed));
            }
        }
    }
}

#[test]
fn a_chunked_body_decodes_however_it_arrives() {
    let wire = b"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
    for piece in 1..=wire.len() {
        let (data, left) = dechunk(wire, piece).expect("valid");
        assert_eq!(data, b"hello, world", "piece {piece}");
        assert_eq!(left, 4, "the next answer's bytes are left unused");
    }
    let (data, _) = dechunk(b"A\r\n0123456789\r\n0\r\n\r\n", 3).expect("hex");
    assert_eq!(data, b"0123456789");
}

#[test]
fn a_broken_chunked_body_is_refused() {
    for wire in [
        &b"5\r\nhelloXX0\r\n\r\n"[..],
        b"zz\r\nhello\r\n0\r\n\r\n",
        b"5\r\nhel",
        b"0\r\n",
    ] {
        assert!(
            dechunk(wire, 2).is_err(),
            "{:?}",
            String::from_utf8_lossy(wire)
        );
    }
    let endless = [b"0\r\n".as_slice(), &b"X: y\r\n".repeat(4000)].concat();
    assert_eq!(
        dechunk(&endless, 4096).expect_err("endless"),
        WireError::Invalid("the trailers are too long")
    );
    let long_size = [b"5;".as_slice(), &[b'x'; 2000]].concat();
    assert_eq!(
        dechunk(&long_size, 4096).expect_err("long"),
        WireError::Invalid("a chunk size line is too long")
    );
}

/// A small deterministic generator (xorshift), so that a failure repeats.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Hostile input: valid answers cut, with bytes changed, doubled or inserted. Nothing may
/// panic, no step may claim more bytes than it was given, and decoding always ends.
#[test]
fn mangled_answers_never_panic_or_overrun() {
    let seeds: [&[u8]; 3] = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nLocation: /x\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 204 No Content\r\nConnection: close\r\n\r\n",
    ];
    let alphabet = b"\r\n :;0123456789abcdefxHTP/.,-\x00\xff";
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..30_000 {
        let mut input = seeds[round % seeds.len()].to_vec();
        for _ in 0..=rng.below(4) {
            let at = rng.below(input.len() + 1);
            match rng.below(4) {
                0 => input.truncate(at),
                1 if at < input.len() => input[at] = alphabet[rng.below(alphabet.len())],
                2 => input.insert(at, alphabet[rng.below(alphabet.len())]),
                _ => {
                    let from = rng.below(input.len() + 1);
                    let piece = input[from.min(at)..from.max(at)].to_vec();
                    input.splice(at..at, piece);
                }
            }
        }
        if let Ok(Some((len, _))) = parse_head(&input, &Method::GET, &KEEP) {
            assert!(len <= input.len(), "{input:?}");
        }
        let mut decoder = Chunked::default();
        let mut rest = &input[..];
        for _ in 0..=input.len() {
            match decoder.step(rest) {
                Ok(Step::Data { skip, len }) => {
                    assert!(skip + len <= rest.len() && skip + len > 0, "{input:?}");
                    rest = &rest[skip + len..];
                }
                Ok(Step::End(used)) => {
                    assert!(used <= rest.len(), "{input:?}");
                    break;
                }
                Ok(Step::NeedMore) | Err(_) => break,
            }
        }
    }
}
