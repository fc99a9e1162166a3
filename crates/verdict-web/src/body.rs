//! Ready-made response bodies: rendered once, compressed once, served many
//! times with content negotiation, `ETag` and `304`.
//!
//! Rendering a page and compressing it cost far more than sending bytes, so
//! every page the catalog defines is kept as [`Prepared`] in a bounded
//! cache. Bodies that are probably one-offs (a reader's own weights) are
//! compressed with the fastest settings and only in the encoding the client
//! asked for.

use std::io::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use bytes::Bytes;

/// How a body is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best encoding the client accepts (`br` over `gzip`).
    pub fn negotiate(headers: &HeaderMap) -> Encoding {
        Encoding::negotiate_among(headers, &[Encoding::Brotli, Encoding::Gzip])
    }

    /// The first of `offered` the client accepts, or identity. This is the
    /// one place `Accept-Encoding` is read: a coding counts when it is
    /// listed without `q=0` (in any spelling of zero), and other q-values
    /// do not reorder our preference.
    pub fn negotiate_among(headers: &HeaderMap, offered: &[Encoding]) -> Encoding {
        let Some(accept) = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
        else {
            return Encoding::Identity;
        };
        offered
            .iter()
            .copied()
            .find(|e| e.header().is_some_and(|name| accepts(accept, name)))
            .unwrap_or(Encoding::Identity)
    }

    fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// Whether an `Accept-Encoding` value lists `coding` without refusing it.
fn accepts(accept: &str, coding: &str) -> bool {
    accept.split(',').any(|part| {
        let mut it = part.trim().split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            let p = p.trim().replace(' ', "");
            p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// Compression effort: `Best` for bodies served many times, `Fast` for
/// bodies that are likely served once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    Best,
    Fast,
}

pub fn gzip(data: &[u8], effort: Effort) -> Vec<u8> {
    let level = match effort {
        Effort::Best => flate2::Compression::best(),
        Effort::Fast => flate2::Compression::fast(),
    };
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), level);
    enc.write_all(data).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

pub fn brotli(data: &[u8], effort: Effort) -> Vec<u8> {
    // Quality 9 is near brotli's best ratio at a fraction of 11's cost;
    // quality 1 is the fastest setting that still beats gzip -1 on HTML.
    let quality = match effort {
        Effort::Best => 9,
        Effort::Fast => 1,
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        // The window need not exceed the input: brotli allocates (and
        // clears) a buffer of 2^lgwin bytes, which for a 30 KB page at the
        // largest window costs more than compressing it.
        let lgwin = (usize::BITS - data.len().max(1 << 10).leading_zeros()).clamp(10, 22);
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, lgwin);
        w.write_all(data).expect("writing to a Vec cannot fail");
    }
    out
}

/// A response body in every encoding, with its validator.
#[derive(Debug)]
pub struct Prepared {
    pub content_type: &'static str,
    pub identity: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
    /// Strong validator: a hash of the identity bytes, quoted.
    pub etag: HeaderValue,
    pub cache_control: &'static str,
    /// The encodings offered besides identity: none for bodies that are
    /// compressed already (PNG).
    pub encodings: &'static [Encoding],
}

impl crate::cache::Weigh for Prepared {
    fn heap_bytes(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len() + self.etag.len()
    }
}

/// A hash of `data` as a quoted ETag value.
pub fn etag_of(data: &[u8]) -> HeaderValue {
    let h = verdict_render::assets::fnv64(data);
    HeaderValue::from_str(&format!("\"{h:016x}\"")).expect("hex is a valid header value")
}

impl Prepared {
    pub fn new(
        content_type: &'static str,
        cache_control: &'static str,
        body: impl Into<Bytes>,
    ) -> Prepared {
        let identity: Bytes = body.into();
        Prepared {
            content_type,
            gzip: Bytes::from(gzip(&identity, Effort::Best)),
            brotli: Bytes::from(brotli(&identity, Effort::Best)),
            etag: etag_of(&identity),
            identity,
            cache_control,
            encodings: &[Encoding::Brotli, Encoding::Gzip],
        }
    }

    /// A body that is compressed already (a PNG): sent as it is, whatever
    /// the client accepts, since compressing it again gains nothing.
    pub fn compressed(
        content_type: &'static str,
        cache_control: &'static str,
        body: impl Into<Bytes>,
    ) -> Prepared {
        let identity: Bytes = body.into();
        Prepared {
            content_type,
            gzip: Bytes::new(),
            brotli: Bytes::new(),
            etag: etag_of(&identity),
            identity,
            cache_control,
            encodings: &[],
        }
    }

    /// The response for a request with these headers.
    pub fn respond(self: &Arc<Self>, status: StatusCode, req: &HeaderMap) -> Response<Body> {
        let encoding = Encoding::negotiate_among(req, self.encodings);
        respond_with(
            status,
            req,
            self.content_type,
            self.cache_control,
            &self.etag,
            encoding,
            || {
                match encoding {
                    Encoding::Identity => self.identity.clone(),
                    Encoding::Gzip => self.gzip.clone(),
                    Encoding::Brotli => self.brotli.clone(),
                }
                .into()
            },
        )
    }
}

/// A body rendered for one request: compressed quickly, in the client's
/// encoding only.
pub fn one_off(
    status: StatusCode,
    req: &HeaderMap,
    content_type: &'static str,
    cache_control: &'static str,
    body: String,
) -> Response<Body> {
    let etag = etag_of(body.as_bytes());
    let encoding = Encoding::negotiate(req);
    respond_with(
        status,
        req,
        content_type,
        cache_control,
        &etag,
        encoding,
        || {
            match encoding {
                Encoding::Identity => Bytes::from(body),
                Encoding::Gzip => Bytes::from(gzip(body.as_bytes(), Effort::Fast)),
                Encoding::Brotli => Bytes::from(brotli(body.as_bytes(), Effort::Fast)),
            }
            .into()
        },
    )
}

/// The one response path for whole and spliced bodies: a strong `ETag`
/// per encoding (the identity validator `etag` with `-gzip` or `-br`
/// appended, since a strong validator names exact bytes), `304` when
/// `If-None-Match` lists it or `*`, and otherwise the body, made only then.
pub fn respond_with(
    status: StatusCode,
    req: &HeaderMap,
    content_type: &'static str,
    cache_control: &'static str,
    etag: &HeaderValue,
    encoding: Encoding,
    body: impl FnOnce() -> Payload,
) -> Response<Body> {
    let etag = &match encoding.header() {
        None => etag.clone(),
        Some(enc) => {
            let base = etag.to_str().unwrap_or_default().trim_end_matches('"');
            HeaderValue::from_str(&format!("{base}-{enc}\"")).expect("valid header value")
        }
    };
    let matches = req
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let want = etag.to_str().unwrap_or_default();
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == want
            })
        });
    let mut builder = Response::builder()
        .header(header::ETAG, etag.clone())
        .header(header::CACHE_CONTROL, cache_control)
        .header(header::VARY, "accept-encoding");
    if matches && status == StatusCode::OK {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
    }
    let body = body();
    builder = builder
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(enc) = encoding.header() {
        builder = builder.header(header::CONTENT_ENCODING, enc);
    }
    builder.body(body.into_body()).expect("valid response")
}

/// A response body: one buffer, or several sent one after another without
/// being copied into one first (a page put together from kept parts).
pub enum Payload {
    One(Bytes),
    Parts(Parts),
}

impl Payload {
    fn len(&self) -> usize {
        match self {
            Payload::One(b) => b.len(),
            Payload::Parts(p) => p.remaining,
        }
    }

    fn into_body(self) -> Body {
        match self {
            Payload::One(b) => Body::from(b),
            Payload::Parts(p) => Body::new(p),
        }
    }
}

impl From<Bytes> for Payload {
    fn from(b: Bytes) -> Payload {
        Payload::One(b)
    }
}

/// Buffers sent in order as one body of known length: hyper writes them
/// with one vectored write, so a page made of kept parts is never copied
/// into a buffer of its own (that copy was about 3 % of a cold page).
pub struct Parts {
    parts: std::collections::VecDeque<Bytes>,
    remaining: usize,
}

impl Parts {
    pub fn new(parts: impl IntoIterator<Item = Bytes>) -> Parts {
        let parts: std::collections::VecDeque<Bytes> =
            parts.into_iter().filter(|b| !b.is_empty()).collect();
        Parts {
            remaining: parts.iter().map(Bytes::len).sum(),
            parts,
        }
    }

    /// The buffers in one, as a client receives them.
    #[cfg(test)]
    pub fn concat(self) -> Bytes {
        let mut out = Vec::with_capacity(self.remaining);
        self.parts.iter().for_each(|b| out.extend_from_slice(b));
        Bytes::from(out)
    }
}

impl http_body::Body for Parts {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.parts.pop_front();
        if let Some(b) = &next {
            self.remaining -= b.len();
        }
        std::task::Poll::Ready(next.map(|b| Ok(http_body::Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.parts.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(accept: &str, expect: Encoding) {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        assert_eq!(Encoding::negotiate(&h), expect, "{accept}");
    }

    #[test]
    fn negotiates_like_browsers_expect() {
        check("gzip, deflate, br, zstd", Encoding::Brotli);
        check("gzip", Encoding::Gzip);
        check("br;q=0, gzip", Encoding::Gzip);
        check("br;q=0.000, gzip;q=0.5", Encoding::Gzip);
        check("BR, GZIP", Encoding::Brotli);
        check("identity", Encoding::Identity);
        check("", Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_round_trip() {
        use std::io::Read as _;
        let text = "<p>verdict</p>".repeat(200);
        let g = gzip(text.as_bytes(), Effort::Fast);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&g[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
        let b = brotli(text.as_bytes(), Effort::Best);
        let mut out = String::new();
        brotli::Decompressor::new(&b[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
        assert!(b.len() < text.len() / 10);
    }
}
