//! Cached pages with live holes in them.
//!
//! A page is rendered and compressed once, like every other page, but with
//! markers where per-request parts go (the votes block; on a personal
//! comparison, the pick, the weights form and the scorecard table). Each
//! request then sends the cached pieces with its own parts between them,
//! without compressing the page again:
//!
//! * identity: the byte slices copied into one buffer;
//! * gzip: each cached piece was deflated once on its own and *sync-flushed*
//!   (so it ends on a byte boundary without closing the stream, and refers
//!   to nothing before it); a part made for this request is sent as deflate
//!   *stored* blocks (raw bytes behind 5-byte headers), and a part that
//!   repeats ([`Packed`], such as the side cards for one pick) as its own
//!   deflated run. Together they are one valid deflate stream; the gzip
//!   trailer's CRC-32 is combined from the pieces' CRCs, so only the parts
//!   made for this request are ever hashed.
//!
//! Brotli streams cannot be joined this way, so clients that accept both
//! get gzip for these pages (every browser that sends `br` also sends
//! `gzip`).

use std::io::Write as _;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode};
use bytes::{BufMut as _, Bytes, BytesMut};
use crc32fast::Hasher as Crc;
use flate2::write::DeflateEncoder;

use crate::body::{Encoding, respond_with};

/// Pages that carry a per-reader form token or a live tally: browsers may
/// keep them but must revalidate, and shared caches must not store them.
pub const PRIVATE: &str = "private, no-cache";

/// The content type of pages.
pub const HTML: &str = "text/html; charset=utf-8";

const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
/// An empty final block with fixed Huffman codes: ends a deflate stream.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];

/// Bytes deflated once, on their own, ending on a byte boundary: they can
/// stand anywhere in a deflate stream.
#[derive(Debug)]
pub struct Packed {
    raw: Bytes,
    deflated: Bytes,
    crc: Crc,
}

impl Packed {
    pub fn new(raw: impl Into<Bytes>) -> Packed {
        let raw: Bytes = raw.into();
        let mut enc = DeflateEncoder::new(
            Vec::with_capacity(raw.len() / 3 + 16),
            flate2::Compression::best(),
        );
        enc.write_all(&raw).expect("writing to a Vec cannot fail");
        // A sync flush ends on a byte boundary without a final block.
        enc.flush().expect("writing to a Vec cannot fail");
        let deflated = Bytes::from(enc.get_ref().clone());
        Packed {
            crc: crc_of(&raw),
            raw,
            deflated,
        }
    }
}

/// What fills one hole for one request.
#[derive(Debug, Clone, Copy)]
pub enum Fill<'a> {
    /// Made for this request: sent as it is.
    Raw(&'a [u8]),
    /// Made before and kept: sent as it was compressed then.
    Packed(&'a Packed),
}

impl Fill<'_> {
    fn raw(&self) -> &[u8] {
        match self {
            Fill::Raw(b) => b,
            Fill::Packed(p) => &p.raw,
        }
    }

    fn crc(&self) -> Crc {
        match self {
            Fill::Raw(b) => crc_of(b),
            Fill::Packed(p) => p.crc.clone(),
        }
    }
}

/// A page cut at its holes; the pieces between them are kept in every
/// encoding.
#[derive(Debug)]
pub struct Spliced {
    /// One more piece than there are holes.
    pieces: Vec<Packed>,
    /// A hash of the pieces, for the ETag.
    hash: u64,
}

impl crate::cache::Weigh for Packed {
    fn heap_bytes(&self) -> usize {
        self.raw.len() + self.deflated.len()
    }
}

impl crate::cache::Weigh for Spliced {
    fn heap_bytes(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| crate::cache::Weigh::heap_bytes(p) + std::mem::size_of::<Packed>())
            .sum()
    }
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
    /// Cuts `page` at `markers`, which must each occur, in this order.
    pub fn new(page: &str, markers: &[&str]) -> Option<Spliced> {
        let mut pieces = Vec::with_capacity(markers.len() + 1);
        let mut rest = page;
        for marker in markers {
            let (piece, after) = rest.split_once(marker)?;
            pieces.push(piece);
            rest = after;
        }
        pieces.push(rest);
        let mut hash = verdict_render::assets::fnv64(b"");
        for p in &pieces {
            hash = hash.rotate_left(7) ^ verdict_render::assets::fnv64(p.as_bytes());
        }
        Some(Spliced {
            pieces: pieces
                .into_iter()
                .map(|p| Packed::new(Bytes::copy_from_slice(p.as_bytes())))
                .collect(),
            hash,
        })
    }

    /// Number of holes.
    pub fn holes(&self) -> usize {
        self.pieces.len() - 1
    }

    fn total_len(&self, fills: &[Fill<'_>]) -> usize {
        self.pieces.iter().map(|p| p.raw.len()).sum::<usize>()
            + fills.iter().map(|f| f.raw().len()).sum::<usize>()
    }

    /// The page with `fills` in its holes, identity-encoded.
    pub fn identity(&self, fills: &[Fill<'_>]) -> Bytes {
        assert_eq!(fills.len(), self.holes(), "one fill per hole");
        let mut out = BytesMut::with_capacity(self.total_len(fills));
        for (piece, fill) in self.pieces.iter().zip(fills) {
            out.put_slice(&piece.raw);
            out.put_slice(fill.raw());
        }
        out.put_slice(&self.pieces[self.holes()].raw);
        out.freeze()
    }

    /// The page with `fills` in its holes, as one gzip member; and the
    /// CRC-32 of the whole page.
    fn gzip(&self, fills: &[Fill<'_>], crcs: &[Crc]) -> (Bytes, u32) {
        assert_eq!(fills.len(), self.holes(), "one fill per hole");
        let capacity = GZIP_HEADER.len()
            + self.pieces.iter().map(|p| p.deflated.len()).sum::<usize>()
            + fills
                .iter()
                .map(|f| match f {
                    Fill::Raw(b) => b.len() + 5 * b.len().div_ceil(0xffff).max(1),
                    Fill::Packed(p) => p.deflated.len(),
                })
                .sum::<usize>()
            + FINAL_EMPTY_BLOCK.len()
            + 8;
        let mut out = BytesMut::with_capacity(capacity);
        out.put_slice(&GZIP_HEADER);
        let mut crc = Crc::new();
        for (i, piece) in self.pieces.iter().enumerate() {
            out.put_slice(&piece.deflated);
            crc.combine(&piece.crc);
            let Some(fill) = fills.get(i) else { break };
            match fill {
                Fill::Raw(block) => {
                    for chunk in block.chunks(0xffff) {
                        // BFINAL=0, BTYPE=00 (stored), padded to the byte; LEN, NLEN.
                        let len = chunk.len() as u16;
                        out.put_u8(0);
                        out.put_u16_le(len);
                        out.put_u16_le(!len);
                        out.put_slice(chunk);
                    }
                }
                Fill::Packed(p) => out.put_slice(&p.deflated),
            }
            crc.combine(&crcs[i]);
        }
        out.put_slice(&FINAL_EMPTY_BLOCK);
        let crc = crc.finalize();
        out.put_u32_le(crc);
        out.put_u32_le(len32(self.total_len(fills)));
        (out.freeze(), crc)
    }

    /// The response for a request with `req` headers.
    pub fn respond(
        &self,
        req: &HeaderMap,
        fills: &[Fill<'_>],
        content_type: &'static str,
        cache_control: &'static str,
    ) -> Response<Body> {
        let crcs: Vec<Crc> = fills.iter().map(Fill::crc).collect();
        // The fills' CRCs and lengths tell one version of the page from
        // another; the pieces are the same for every request.
        let mut tag = self.hash;
        for (f, c) in fills.iter().zip(&crcs) {
            let mix = (u64::from(c.clone().finalize()) << 32) | f.raw().len() as u64;
            tag = tag.rotate_left(13) ^ mix.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        let etag =
            HeaderValue::from_str(&format!("\"{tag:016x}\"")).expect("hex is a valid header value");
        let encoding = Encoding::negotiate_among(req, &[Encoding::Gzip]);
        respond_with(
            StatusCode::OK,
            req,
            content_type,
            cache_control,
            &etag,
            encoding,
            || match encoding {
                Encoding::Gzip => self.gzip(fills, &crcs).0,
                _ => self.identity(fills),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use axum::http::header;

    use super::*;

    const HOLE: &str = "<!--hole-->";

    fn gunzip(gz: &[u8]) -> String {
        let mut got = String::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut got)
            .expect("one valid gzip member");
        // Strict decoders check the trailer too.
        let mut all = Vec::new();
        flate2::read::MultiGzDecoder::new(gz)
            .read_to_end(&mut all)
            .unwrap();
        assert_eq!(all, got.as_bytes());
        got
    }

    fn check(page: &str, fills: &[Fill<'_>]) {
        let markers = vec![HOLE; fills.len()];
        let s = Spliced::new(page, &markers).unwrap();
        let mut want = page.to_owned();
        for f in fills {
            want = want.replacen(HOLE, std::str::from_utf8(f.raw()).unwrap(), 1);
        }
        assert_eq!(s.identity(fills), want.as_bytes());
        let crcs: Vec<Crc> = fills.iter().map(Fill::crc).collect();
        let (gz, crc) = s.gzip(fills, &crcs);
        assert_eq!(gunzip(&gz), want);
        assert_eq!(crc, crc_of(want.as_bytes()).finalize());
    }

    #[test]
    fn spliced_gzip_decodes_to_the_whole_page() {
        let page = format!(
            "<html><p>{}</p>{HOLE}<p>{}</p></html>",
            "before ".repeat(500),
            "after ".repeat(500)
        );
        check(&page, &[Fill::Raw(b"<section>votes: 72 % agree</section>")]);
        check(&page, &[Fill::Raw(b"")]);
        check(&page, &[Fill::Raw("x".repeat(70_000).as_bytes())]);
        check(HOLE, &[Fill::Raw(b"only the block")]);
        let packed = Packed::new("<article>side cards</article>".repeat(300));
        check(&page, &[Fill::Packed(&packed)]);
    }

    #[test]
    fn several_holes_fill_in_order() {
        let page = format!(
            "<head>{}</head>{HOLE}<main>{}{HOLE}{HOLE}</main>{HOLE}",
            "meta ".repeat(300),
            "text ".repeat(2000)
        );
        let packed = Packed::new("<p>kept</p>".repeat(50));
        check(
            &page,
            &[
                Fill::Raw(b"<p>pick</p>"),
                Fill::Packed(&packed),
                Fill::Raw(b""),
                Fill::Raw(b"<p>last</p>"),
            ],
        );
        assert!(
            Spliced::new("<a><!--one-->", &["<!--one-->", "<!--two-->"]).is_none(),
            "a missing marker is refused"
        );
    }

    #[test]
    fn browsers_get_gzip_and_revalidation_works() {
        let s = Spliced::new("<p>a</p><!--hole--><p>b</p>", &[HOLE]).unwrap();
        let mut req = HeaderMap::new();
        req.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br, zstd"),
        );
        let res = s.respond(&req, &[Fill::Raw(b"<b>1</b>")], HTML, PRIVATE);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(res.headers()[header::CACHE_CONTROL], PRIVATE);
        let etag = res.headers()[header::ETAG].clone();
        req.insert(header::IF_NONE_MATCH, etag.clone());
        assert_eq!(
            s.respond(&req, &[Fill::Raw(b"<b>1</b>")], HTML, PRIVATE)
                .status(),
            StatusCode::NOT_MODIFIED
        );
        let changed = s.respond(&req, &[Fill::Raw(b"<b>2</b>")], HTML, PRIVATE);
        assert_eq!(
            changed.status(),
            StatusCode::OK,
            "a new tally is a new body"
        );
        assert_ne!(changed.headers()[header::ETAG], etag);
        let plain = s.respond(&HeaderMap::new(), &[Fill::Raw(b"<b>1</b>")], HTML, PRIVATE);
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
