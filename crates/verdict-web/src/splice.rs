//! A cached page with a live hole in it.
//!
//! The comparison page is rendered and compressed once, like every other
//! page, but around a marker where the votes block goes. Each request then
//! sends `prefix + block + suffix` without compressing the page again:
//!
//! * identity: three byte slices copied into one buffer;
//! * gzip: the prefix was deflated once and *sync-flushed* (so it ends on a
//!   byte boundary without closing the stream), the block is sent as a
//!   deflate *stored* block (raw bytes behind a 5-byte header), and the
//!   suffix was deflated once as a separate final run of blocks. Together
//!   they are one valid deflate stream; the gzip trailer's CRC-32 is
//!   combined from the three parts' CRCs, so only the small block is ever
//!   hashed per request.
//!
//! Brotli streams cannot be joined this way, so clients that accept both
//! get gzip for this page (every browser that sends `br` also sends `gzip`).

use std::io::Write as _;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode, header};
use bytes::{BufMut as _, Bytes, BytesMut};
use crc32fast::Hasher as Crc;
use flate2::write::DeflateEncoder;

/// Comparison pages carry a per-reader form token and the live tally:
/// browsers may keep them but must revalidate, and shared caches must not
/// store them.
pub const CACHE_CONTROL: &str = "private, no-cache";

const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];

#[derive(Debug)]
pub struct Spliced {
    prefix: Bytes,
    suffix: Bytes,
    /// Gzip header + deflate(prefix), sync-flushed.
    gz_head: Bytes,
    /// deflate(suffix), finished (no trailer).
    gz_tail: Bytes,
    crc_prefix: Crc,
    crc_suffix: Crc,
    hash: u64,
}

fn crc_of(data: &[u8]) -> Crc {
    let mut c = Crc::new();
    c.update(data);
    c
}

fn len32(n: usize) -> u32 {
    // ISIZE is the length modulo 2^32.
    (n as u64 & 0xffff_ffff) as u32
}

impl Spliced {
    /// Splits `page` at `marker` (which must occur once).
    pub fn new(page: &str, marker: &str) -> Option<Spliced> {
        let at = page.find(marker)?;
        let prefix = page.as_bytes()[..at].to_vec();
        let suffix = page.as_bytes()[at + marker.len()..].to_vec();

        let mut head = DeflateEncoder::new(GZIP_HEADER.to_vec(), flate2::Compression::best());
        head.write_all(&prefix)
            .expect("writing to a Vec cannot fail");
        // A sync flush ends on a byte boundary without a final block.
        head.flush().expect("writing to a Vec cannot fail");
        let gz_head = Bytes::from(head.get_ref().clone());

        let mut tail = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        tail.write_all(&suffix)
            .expect("writing to a Vec cannot fail");
        let gz_tail = Bytes::from(tail.finish().expect("writing to a Vec cannot fail"));

        let mut whole = prefix.clone();
        whole.extend_from_slice(&suffix);
        Some(Spliced {
            crc_prefix: crc_of(&prefix),
            crc_suffix: crc_of(&suffix),
            hash: verdict_render::assets::fnv64(&whole),
            prefix: Bytes::from(prefix),
            suffix: Bytes::from(suffix),
            gz_head,
            gz_tail,
        })
    }

    /// The page with `block` in the hole, identity-encoded.
    pub fn identity(&self, block: &[u8]) -> Bytes {
        let mut out = BytesMut::with_capacity(self.prefix.len() + block.len() + self.suffix.len());
        out.put_slice(&self.prefix);
        out.put_slice(block);
        out.put_slice(&self.suffix);
        out.freeze()
    }

    /// The page with `block` in the hole, as one gzip member.
    pub fn gzip(&self, block: &[u8]) -> Bytes {
        let stored_headers = 5 * block.len().div_ceil(0xffff).max(1);
        let mut out = BytesMut::with_capacity(
            self.gz_head.len() + block.len() + stored_headers + self.gz_tail.len() + 8,
        );
        out.put_slice(&self.gz_head);
        for chunk in block.chunks(0xffff) {
            // BFINAL=0, BTYPE=00 (stored), padded to the byte; LEN, NLEN.
            let len = chunk.len() as u16;
            out.put_u8(0);
            out.put_u16_le(len);
            out.put_u16_le(!len);
            out.put_slice(chunk);
        }
        out.put_slice(&self.gz_tail);
        let mut crc = self.crc_prefix.clone();
        crc.combine(&crc_of(block));
        crc.combine(&self.crc_suffix);
        out.put_u32_le(crc.finalize());
        out.put_u32_le(len32(self.prefix.len() + block.len() + self.suffix.len()));
        out.freeze()
    }

    /// The response for a request with `req` headers; `block_hash`
    /// identifies the block's bytes (for the ETag).
    pub fn respond(&self, req: &HeaderMap, block: &[u8], block_hash: u64) -> Response<Body> {
        let tag = self.hash ^ block_hash.rotate_left(1);
        let etag =
            HeaderValue::from_str(&format!("\"{tag:016x}\"")).expect("hex is a valid header value");
        let fresh = req
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == etag.to_str().unwrap_or_default())
            });
        let builder = Response::builder()
            .header(header::ETAG, etag)
            .header(header::CACHE_CONTROL, CACHE_CONTROL)
            .header(header::VARY, "accept-encoding");
        if fresh {
            return builder
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .expect("valid response");
        }
        let builder = builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8");
        let (builder, body) = if accepts_gzip(req) {
            (
                builder.header(header::CONTENT_ENCODING, "gzip"),
                self.gzip(block),
            )
        } else {
            (builder, self.identity(block))
        };
        builder
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .expect("valid response")
    }
}

/// Whether the client takes gzip (`gzip` listed without `q=0`).
fn accepts_gzip(req: &HeaderMap) -> bool {
    let Some(accept) = req
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    accept.split(',').any(|part| {
        let mut it = part.trim().split(';');
        let coding = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            let p = p.trim().replace(' ', "");
            p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0)
        });
        coding.eq_ignore_ascii_case("gzip") && !refused
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn check(page: &str, block: &str) {
        let s = Spliced::new(page, "<!--hole-->").unwrap();
        let want = page.replacen("<!--hole-->", block, 1);
        assert_eq!(s.identity(block.as_bytes()), want.as_bytes());
        let gz = s.gzip(block.as_bytes());
        let mut got = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut got)
            .expect("one valid gzip member");
        assert_eq!(got, want);
        // Strict decoders check the trailer too.
        let mut got = Vec::new();
        flate2::read::MultiGzDecoder::new(&gz[..])
            .read_to_end(&mut got)
            .unwrap();
        assert_eq!(got, want.as_bytes());
    }

    #[test]
    fn spliced_gzip_decodes_to_the_whole_page() {
        let page = format!(
            "<html><p>{}</p><!--hole--><p>{}</p></html>",
            "before ".repeat(500),
            "after ".repeat(500)
        );
        check(&page, "<section>votes: 72 % agree</section>");
        check(&page, "");
        check(&page, &"x".repeat(70_000));
        check("<!--hole-->", "only the block");
    }

    #[test]
    fn browsers_get_gzip_and_revalidation_works() {
        let s = Spliced::new("<p>a</p><!--hole--><p>b</p>", "<!--hole-->").unwrap();
        let mut req = HeaderMap::new();
        req.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br, zstd"),
        );
        let res = s.respond(&req, b"<b>1</b>", 1);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(res.headers()[header::CACHE_CONTROL], CACHE_CONTROL);
        let etag = res.headers()[header::ETAG].clone();
        req.insert(header::IF_NONE_MATCH, etag.clone());
        assert_eq!(
            s.respond(&req, b"<b>1</b>", 1).status(),
            StatusCode::NOT_MODIFIED
        );
        let changed = s.respond(&req, b"<b>2</b>", 2);
        assert_eq!(
            changed.status(),
            StatusCode::OK,
            "a new tally is a new body"
        );
        assert_ne!(changed.headers()[header::ETAG], etag);
        let plain = s.respond(&HeaderMap::new(), b"<b>1</b>", 1);
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
