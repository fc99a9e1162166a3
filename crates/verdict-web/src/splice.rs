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
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode};
use bytes::{BufMut as _, Bytes, BytesMut};
use crc32fast::Hasher as Crc;
use flate2::write::DeflateEncoder;

use crate::body::{Encoding, Parts, Payload, respond_with};

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
    /// Kept as stored blocks, not compressed yet ([`Packed::stored`]).
    stored: bool,
}

impl Packed {
    /// `raw` as deflate *stored* blocks: no compression, so it costs only
    /// a copy and a CRC. For a page's first request; [`Spliced::compressed`]
    /// compresses it once the page is asked for again.
    pub fn stored(raw: impl Into<Bytes>) -> Packed {
        let raw: Bytes = raw.into();
        Packed {
            crc: crc_of(&raw),
            raw,
            // Written from `raw` when sent ([`Packed::put_deflated`]).
            deflated: Bytes::new(),
            stored: true,
        }
    }

    /// The bytes it packs.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// Its bytes in a deflate stream.
    fn put_deflated(&self, out: &mut BytesMut) {
        if self.stored {
            put_stored(out, &self.raw);
        } else {
            out.put_slice(&self.deflated);
        }
    }

    /// Its length in a deflate stream.
    fn deflated_len(&self) -> usize {
        if self.stored {
            self.raw.len() + 5 * self.raw.len().div_ceil(0xffff)
        } else {
            self.deflated.len()
        }
    }

    /// `raw` compressed at the best level.
    pub fn new(raw: impl Into<Bytes>) -> Packed {
        Packed::at(raw.into(), flate2::Compression::best())
    }

    /// `raw` compressed at the fastest level: for small parts made on a
    /// request's path, where a tenth of the time costs a few more bytes.
    pub fn fast(raw: impl Into<Bytes>) -> Packed {
        Packed::at(raw.into(), flate2::Compression::fast())
    }

    fn at(raw: Bytes, level: flate2::Compression) -> Packed {
        let mut enc = DeflateEncoder::new(Vec::with_capacity(raw.len() / 3 + 16), level);
        enc.write_all(&raw).expect("writing to a Vec cannot fail");
        // A sync flush ends on a byte boundary without a final block.
        enc.flush().expect("writing to a Vec cannot fail");
        let deflated = Bytes::from(enc.get_ref().clone());
        Packed {
            crc: crc_of(&raw),
            raw,
            deflated,
            stored: false,
        }
    }
}

/// Compressions of cold pages running at once, off the request
/// path: at most four. A burst of pages asked for a second time (a
/// crawler's second pass) otherwise queued thousands of blocking tasks, and
/// the blocking pool grew to hundreds of threads and gigabytes of RSS.
static COMPRESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// The right to compress one cold page off the request path, held
/// until dropped; `None` when all are taken: the page stays as it is, and a
/// later request asks again.
pub(crate) fn compress_slot() -> Option<tokio::sync::SemaphorePermit<'static>> {
    COMPRESSING.try_acquire().ok()
}

/// The ETag of a page whose pieces hash to `hash`, with `fills` (whose
/// CRCs are `crcs`) in its holes: the fills' CRCs and lengths tell one
/// version of the page from another; the pieces are the same for every
/// request.
fn fold_tag(hash: u64, fills: &[Fill<'_>], crcs: &[Crc]) -> u64 {
    let mut tag = hash;
    for (f, c) in fills.iter().zip(crcs) {
        let mix = (u64::from(c.clone().finalize()) << 32) | f.raw().len() as u64;
        tag = tag.rotate_left(13) ^ mix.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    tag
}

/// `raw` as deflate stored blocks (BFINAL=0, BTYPE=00, padded to the byte;
/// LEN, NLEN), at most 65,535 bytes each.
fn put_stored(out: &mut BytesMut, raw: &[u8]) {
    for chunk in raw.chunks(0xffff) {
        let len = chunk.len() as u16;
        out.put_u8(0);
        out.put_u16_le(len);
        out.put_u16_le(!len);
        out.put_slice(chunk);
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

/// What stands between two holes of a page: one or more packed runs in a
/// row, some of them shared with other pages (side cards).
#[derive(Debug, Clone)]
struct Piece {
    parts: Vec<Arc<Packed>>,
    raw_len: usize,
}

impl Piece {
    fn new(parts: Vec<Arc<Packed>>) -> Piece {
        Piece {
            raw_len: parts.iter().map(|p| p.raw.len()).sum(),
            parts,
        }
    }
}

/// A page cut at its holes; the pieces between them are kept in every
/// encoding.
#[derive(Debug)]
pub struct Spliced {
    /// One more piece than there are holes.
    pieces: Vec<Piece>,
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
        // Shared parts are counted in full: a page keeps them alive even
        // after the cache they came from lets them go.
        self.pieces
            .iter()
            .flat_map(|p| &p.parts)
            .map(|p| crate::cache::Weigh::heap_bytes(&**p) + std::mem::size_of::<Packed>())
            .sum()
    }
}

/// `text` around the first `marker`, as `str::split_once` gives it, with
/// memchr's vectorised search: a cold page is cut at its holes on the
/// request's path, and `split_once` was 4 % of that path's time.
fn split_at<'a>(text: &'a [u8], marker: &str) -> Option<(&'a [u8], &'a [u8])> {
    let at = memchr::memmem::find(text, marker.as_bytes())?;
    Some((&text[..at], &text[at + marker.len()..]))
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
    /// Cuts `page` at `markers`, which must each occur, in this order, and
    /// compresses the pieces at the best level.
    pub fn new(page: &str, markers: &[&str]) -> Option<Spliced> {
        Spliced::cut(page, markers, None, Packed::new)
    }

    /// Like [`Spliced::new`], for a page's first request: the pieces are
    /// kept as stored blocks rather than compressed, and `shared` (parts
    /// packed once and reused across pages, such as side cards) goes where
    /// its marker is. No byte of the page is compressed here;
    /// [`Spliced::compressed`] does that if the page is asked for again.
    pub fn cold(page: &str, markers: &[&str], shared: (&str, &[Arc<Packed>])) -> Option<Spliced> {
        Spliced::cut(page, markers, Some(shared), Packed::stored)
    }

    /// Cuts `page` (copied once, at its own size: a rendered page's
    /// buffer has room to spare) into slices that share its buffer.
    fn cut(
        page: &str,
        markers: &[&str],
        shared: Option<(&str, &[Arc<Packed>])>,
        pack: fn(Bytes) -> Packed,
    ) -> Option<Spliced> {
        let page = Bytes::copy_from_slice(page.as_bytes());
        let own = |piece: &[u8]| Arc::new(pack(page.slice_ref(piece)));
        let mut pieces = Vec::with_capacity(markers.len() + 1);
        let mut shared = shared;
        let mut rest = &page[..];
        for marker in markers.iter().copied().map(Some).chain([None]) {
            let (piece, after) = match marker {
                Some(m) => split_at(rest, m)?,
                None => (rest, &[][..]),
            };
            let mut parts = Vec::new();
            let mut text = piece;
            if let Some((at, packed)) = shared
                && let Some((before, after_shared)) = split_at(text, at)
            {
                parts.push(own(before));
                parts.extend(packed.iter().cloned());
                text = after_shared;
                shared = None;
            }
            parts.push(own(text));
            pieces.push(Piece::new(parts));
            rest = after;
        }
        if shared.is_some() {
            return None;
        }
        Some(Spliced::of(pieces))
    }

    fn of(pieces: Vec<Piece>) -> Spliced {
        // The ETag's part for the fixed pieces: their CRCs and lengths.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (i, piece) in pieces.iter().enumerate() {
            for p in &piece.parts {
                let mix = (u64::from(p.crc.clone().finalize()) << 32) | p.raw.len() as u64;
                hash = hash.rotate_left(7) ^ mix.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            }
            hash = hash.rotate_left(3) ^ i as u64;
        }
        Spliced { pieces, hash }
    }

    /// Whether some of the page is still kept uncompressed.
    pub fn is_cold(&self) -> bool {
        self.pieces.iter().flat_map(|p| &p.parts).any(|p| p.stored)
    }

    /// The same page with every stored part, side cards included,
    /// compressed at the best level (parts compressed already, such as the
    /// side section's opening, stay shared): the same bytes once decoded,
    /// fewer on the wire.
    pub fn compressed(&self) -> Spliced {
        let pieces = self
            .pieces
            .iter()
            .map(|piece| {
                Piece::new(
                    piece
                        .parts
                        .iter()
                        .map(|p| {
                            if p.stored {
                                Arc::new(Packed::new(p.raw.clone()))
                            } else {
                                p.clone()
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        Spliced {
            pieces,
            hash: self.hash,
        }
    }

    /// Number of holes.
    pub fn holes(&self) -> usize {
        self.pieces.len() - 1
    }

    fn total_len(&self, fills: &[Fill<'_>]) -> usize {
        self.pieces.iter().map(|p| p.raw_len).sum::<usize>()
            + fills.iter().map(|f| f.raw().len()).sum::<usize>()
    }

    /// The page with `fills` in its holes, identity-encoded, in one
    /// buffer: what a client receives from [`Spliced::identity_parts`].
    #[cfg(test)]
    pub fn identity(&self, fills: &[Fill<'_>]) -> Bytes {
        self.identity_parts(fills).concat()
    }

    /// The page with `fills` in its holes, identity-encoded, as the
    /// buffers it is made of: the kept parts are shared, not copied; only
    /// the fills made for this request are.
    fn identity_parts(&self, fills: &[Fill<'_>]) -> Parts {
        assert_eq!(fills.len(), self.holes(), "one fill per hole");
        Parts::new(self.pieces.iter().enumerate().flat_map(|(i, piece)| {
            let fill = fills.get(i).map(|f| match f {
                Fill::Raw(b) => Bytes::copy_from_slice(b),
                Fill::Packed(p) => p.raw.clone(),
            });
            piece.parts.iter().map(|p| p.raw.clone()).chain(fill)
        }))
    }

    /// The page with `fills` in its holes, as one gzip member; and the
    /// CRC-32 of the whole page.
    fn gzip(&self, fills: &[Fill<'_>], crcs: &[Crc]) -> (Bytes, u32) {
        assert_eq!(fills.len(), self.holes(), "one fill per hole");
        let capacity = GZIP_HEADER.len()
            + self
                .pieces
                .iter()
                .flat_map(|p| &p.parts)
                .map(|p| p.deflated_len())
                .sum::<usize>()
            + fills
                .iter()
                .map(|f| match f {
                    Fill::Raw(b) => b.len() + 5 * b.len().div_ceil(0xffff).max(1),
                    Fill::Packed(p) => p.deflated_len(),
                })
                .sum::<usize>()
            + FINAL_EMPTY_BLOCK.len()
            + 8;
        let mut out = BytesMut::with_capacity(capacity);
        out.put_slice(&GZIP_HEADER);
        let mut crc = Crc::new();
        for (i, piece) in self.pieces.iter().enumerate() {
            for p in &piece.parts {
                p.put_deflated(&mut out);
                crc.combine(&p.crc);
            }
            let Some(fill) = fills.get(i) else { break };
            match fill {
                Fill::Raw(block) => put_stored(&mut out, block),
                Fill::Packed(p) => p.put_deflated(&mut out),
            }
            crc.combine(&crcs[i]);
        }
        out.put_slice(&FINAL_EMPTY_BLOCK);
        let crc = crc.finalize();
        out.put_u32_le(crc);
        out.put_u32_le(len32(self.total_len(fills)));
        (out.freeze(), crc)
    }

    /// The validator [`Spliced::respond`] gives with `fills`, as a number:
    /// with [`Spliced::with_tag`], another copy of the same page (cut at
    /// fewer holes) answers with the same ETag.
    pub fn tag_with(&self, fills: &[Fill<'_>]) -> u64 {
        let crcs: Vec<Crc> = fills.iter().map(Fill::crc).collect();
        fold_tag(self.hash, fills, &crcs)
    }

    /// This page, with `tag` in place of its own pieces' hash as the start of
    /// its validator: for a copy of a page whose other copy had more holes,
    /// `tag` being that copy's [`Spliced::tag_with`] the fills this one has
    /// in place.
    pub fn with_tag(mut self, tag: u64) -> Spliced {
        self.hash = tag;
        self
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
        let tag = fold_tag(self.hash, fills, &crcs);
        let etag =
            HeaderValue::from_str(&format!("\"{tag:016x}\"")).expect("hex is a valid header value");
        // A page still kept uncompressed would go out as gzip *stored*
        // blocks: its own bytes plus framing, behind a CRC combined over
        // every piece. Sent as it is, it is no larger and costs a copy.
        let offered: &[Encoding] = if self.is_cold() {
            &[]
        } else {
            &[Encoding::Gzip]
        };
        let encoding = Encoding::negotiate_among(req, offered);
        respond_with(
            StatusCode::OK,
            req,
            content_type,
            cache_control,
            &etag,
            encoding,
            || match encoding {
                Encoding::Gzip => self.gzip(fills, &crcs).0.into(),
                _ => Payload::Parts(self.identity_parts(fills)),
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
    fn a_cold_page_is_the_same_page_and_compresses_later() {
        let cards: Vec<Arc<Packed>> = vec![
            Arc::new(Packed::new("<section>")),
            Arc::new(Packed::stored("<article>one card</article>".repeat(40))),
            Arc::new(Packed::new("<article>another</article>".repeat(40))),
            Arc::new(Packed::new("</section>")),
        ];
        let whole_sides: String = cards
            .iter()
            .map(|c| std::str::from_utf8(c.raw()).unwrap())
            .collect();
        let page = format!(
            "<head>{}</head><!--sides--><main>{}{HOLE}</main>{HOLE}",
            "meta ".repeat(300),
            "text ".repeat(2000)
        );
        let cold = Spliced::cold(&page, &[HOLE, HOLE], ("<!--sides-->", &cards)).unwrap();
        assert!(cold.is_cold());
        let fills = [Fill::Raw(b"<p>votes</p>"), Fill::Raw(b"")];
        let want = page
            .replacen("<!--sides-->", &whole_sides, 1)
            .replacen(HOLE, "<p>votes</p>", 1)
            .replacen(HOLE, "", 1);
        let crcs: Vec<Crc> = fills.iter().map(Fill::crc).collect();
        let (cold_gz, _) = cold.gzip(&fills, &crcs);
        assert_eq!(gunzip(&cold_gz), want);
        assert_eq!(cold.identity(&fills), want.as_bytes());
        // Compressed later: the same page in far fewer bytes, and the same
        // ETag, since the page itself did not change.
        let warm = cold.compressed();
        assert!(!warm.is_cold());
        let (warm_gz, _) = warm.gzip(&fills, &crcs);
        assert_eq!(gunzip(&warm_gz), want);
        assert!(
            warm_gz.len() * 5 < cold_gz.len(),
            "{} vs {}",
            warm_gz.len(),
            cold_gz.len()
        );
        assert_eq!(warm.hash, cold.hash);
        // Over HTTP the cold page goes out as it is, even to a client that
        // takes gzip: stored blocks would only add framing and a CRC. Once
        // compressed, the same request gets gzip.
        let mut req = HeaderMap::new();
        req.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br"),
        );
        let first = cold.respond(&req, &fills, HTML, PRIVATE);
        assert!(first.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(
            first.headers()[header::CONTENT_LENGTH],
            want.len().to_string()
        );
        let again = warm.respond(&req, &fills, HTML, PRIVATE);
        assert_eq!(again.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(
            again.headers()[header::CONTENT_LENGTH],
            warm_gz.len().to_string()
        );
        // The marker for the shared parts must be there.
        assert!(Spliced::cold("<p>no sides</p>", &[], ("<!--sides-->", &cards)).is_none());
    }

    #[test]
    fn pages_are_cut_where_split_once_cuts_them() {
        for (text, marker) in [
            ("<a><!--hole--><b>", HOLE),
            ("<!--hole-->", HOLE),
            ("é<!--hole-->ü<!--hole-->", HOLE),
            ("<a><!--hol--><b>", HOLE),
            ("", HOLE),
            ("<!--hole", HOLE),
        ] {
            assert_eq!(
                split_at(text.as_bytes(), marker),
                text.split_once(marker)
                    .map(|(a, b)| (a.as_bytes(), b.as_bytes())),
                "{text}"
            );
        }
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
