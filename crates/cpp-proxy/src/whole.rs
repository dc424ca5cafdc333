//! Reading an answer whole: every answer of unknown size, and every gzip-compressed one
//! (decoded as its frames arrive). The cap applies to the decoded bytes, and to the bytes on
//! the wire, so a decompression bomb stops at the cap and an endless stream of empty blocks
//! at the same count; either way nothing partial is passed on.

use std::io::Write;

use bytes::Bytes;
use http_body::Body;
use http_body_util::BodyExt;

/// Why an answer could not be read whole.
#[derive(Debug, PartialEq, Eq)]
pub enum WholeError {
    /// More than the cap, decoded.
    TooLarge,
    /// The body broke off, or its gzip is not valid.
    Broken,
}

/// Reads `body` to its end, gunzipping it when `gzip`, into at most `max` bytes.
pub async fn read_whole<B>(body: B, gzip: bool, max: usize) -> Result<Bytes, WholeError>
where
    B: Body<Data = Bytes>,
{
    let mut body = std::pin::pin!(body);
    let capped = Capped {
        bytes: Vec::new(),
        max,
        over: false,
    };
    let mut sink = if gzip {
        Sink::Gzip(Box::new(flate2::write::GzDecoder::new(capped)))
    } else {
        Sink::Plain(capped)
    };
    let mut wire = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| WholeError::Broken)?.into_data() else {
            continue;
        };
        wire += data.len();
        if wire > max {
            return Err(WholeError::TooLarge);
        }
        sink.write(&data)?;
    }
    sink.finish()
}

enum Sink {
    Plain(Capped),
    /// Boxed: the decoder's state is large, and most answers are plain.
    Gzip(Box<flate2::write::GzDecoder<Capped>>),
}

impl Sink {
    fn write(&mut self, data: &[u8]) -> Result<(), WholeError> {
        match self {
            Self::Plain(capped) => capped.write_all(data).map_err(|_| WholeError::TooLarge),
            Self::Gzip(decoder) => decoder
                .write_all(data)
                .map_err(|_| failure(decoder.get_ref())),
        }
    }

    fn finish(self) -> Result<Bytes, WholeError> {
        let capped = match self {
            Self::Plain(capped) => capped,
            Self::Gzip(decoder) => {
                let mut decoder = *decoder;
                // A stream cut short is refused, not passed on as far as it got.
                decoder
                    .try_finish()
                    .map_err(|_| failure(decoder.get_ref()))?;
                decoder.finish().map_err(|_| WholeError::Broken)?
            }
        };
        Ok(Bytes::from(capped.bytes))
    }
}

fn failure(capped: &Capped) -> WholeError {
    if capped.over {
        WholeError::TooLarge
    } else {
        WholeError::Broken
    }
}

/// A buffer that refuses to grow past `max`.
struct Capped {
    bytes: Vec<u8>,
    max: usize,
    over: bool,
}

impl Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + data.len() > self.max {
            self.over = true;
            return Err(std::io::Error::other("over the cap"));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("compress");
        encoder.finish().expect("compress")
    }

    /// `bytes` as a body of frames of `size` bytes.
    fn frames(bytes: &[u8], size: usize) -> Frames {
        Frames(bytes.chunks(size).map(Bytes::copy_from_slice).collect())
    }

    struct Frames(std::collections::VecDeque<Bytes>);

    impl Body for Frames {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
            std::task::Poll::Ready(self.0.pop_front().map(|b| Ok(http_body::Frame::data(b))))
        }
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn plain_answers_are_read_up_to_the_cap() {
        let text = b"[1,2,3]";
        assert_eq!(
            run(read_whole(Full::new(Bytes::from_static(text)), false, 7)),
            Ok(Bytes::from_static(text))
        );
        assert_eq!(
            run(read_whole(Full::new(Bytes::from_static(text)), false, 6)),
            Err(WholeError::TooLarge)
        );
    }

    #[test]
    fn gzip_is_decoded_across_frames() {
        let text: Vec<u8> = (0..50_000).flat_map(|i: u32| i.to_le_bytes()).collect();
        let packed = gzip(&text);
        for size in [1, 7, 4096, packed.len()] {
            let whole = run(read_whole(frames(&packed, size), true, text.len()));
            assert_eq!(whole.as_deref(), Ok(&text[..]), "frames of {size}");
        }
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let packed = gzip(&vec![b'a'; 8 * 1024 * 1024]);
        assert!(packed.len() < 64 * 1024);
        assert_eq!(
            run(read_whole(frames(&packed, 4096), true, 1024 * 1024)),
            Err(WholeError::TooLarge)
        );
    }

    #[test]
    fn broken_or_cut_gzip_is_refused() {
        let packed = gzip(b"[\"a complete answer\"]");
        let cut = &packed[..packed.len() - 6];
        assert_eq!(
            run(read_whole(frames(cut, 5), true, 1024)),
            Err(WholeError::Broken)
        );
        assert_eq!(
            run(read_whole(frames(b"not gzip at all", 5), true, 1024)),
            Err(WholeError::Broken)
        );
    }

    #[test]
    fn the_wire_is_capped_too() {
        // A valid gzip stream of 300 empty stored blocks: 1,520 bytes that decode to none.
        let mut long = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        for _ in 0..300 {
            long.extend_from_slice(&[0, 0, 0, 0xff, 0xff]);
        }
        long.extend_from_slice(&[3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            run(read_whole(frames(&long, 512), true, 4096)),
            Ok(Bytes::new()),
            "the stream is valid"
        );
        assert_eq!(
            run(read_whole(frames(&long, 512), true, 1024)),
            Err(WholeError::TooLarge)
        );
    }
}
