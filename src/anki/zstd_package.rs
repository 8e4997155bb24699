//! Unpacking what a package holds, within bounds. Anki's newer packages
//! (package version 3, what its export dialog writes unless "Support older
//! Anki versions" is ticked) compress the collection, the media map and
//! each media file with zstd inside a zip; the older ones leave them to the
//! zip's deflate. A package is untrusted input: whichever the compression,
//! what comes out is counted as it comes, and unpacking stops with an error
//! past a bound, so that a zstd or zip bomb fills no disk. An entry whose
//! unpacked size is not the size the zip declares is refused.

use std::io::{Read, Write};

/// The most an entry unpacks to: far beyond any real collection.
pub const MOST_BYTES: u64 = 2 << 30;

/// An entry unpacks to at least this much before its ratio is looked at:
/// a small collection of short notes compresses far better than a large
/// one, and 64 MiB is nothing to a disk.
const LEAST_BOUND: u64 = 64 << 20;

/// How much larger than its compressed form an entry may grow. SQLite
/// pages of notes compress a few times over, rarely tenfold; a thousandfold
/// is a bomb (zstd can reach 30 000-fold on crafted input, deflate 1 000).
const MOST_RATIO: u64 = 1000;

/// The bound on what an entry of `compressed` bytes unpacks to.
pub fn bound(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MOST_RATIO)
        .clamp(LEAST_BOUND, MOST_BYTES)
}

/// How an entry is compressed inside the zip's own compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// As the zip holds it (legacy packages).
    None,
    /// zstd frames (package version 3).
    Zstd,
}

/// Why an entry could not be unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("unpacks to more than {bound} bytes, more than prep reads from an entry of its size")]
    TooLarge { bound: u64 },
    #[error("is damaged ({0})")]
    Damaged(std::io::Error),
    #[error("cannot be unpacked ({0})")]
    Write(std::io::Error),
}

/// Unpacks `source` into `out`, at most `bound` bytes; returns how many
/// were written.
pub fn unpack(
    source: &mut dyn Read,
    compression: Compression,
    bound: u64,
    out: &mut dyn Write,
) -> Result<u64, UnpackError> {
    match compression {
        Compression::None => copy_bounded(source, bound, out),
        Compression::Zstd => {
            // The compressed form is read whole first: it is no larger than
            // the zip, which is in memory already, and a frame's end is then
            // plain to see.
            let mut compressed = Vec::new();
            source
                .read_to_end(&mut compressed)
                .map_err(UnpackError::Damaged)?;
            let mut rest = compressed.as_slice();
            let mut written = 0u64;
            // zstd allows frames one after another; Anki writes one, and
            // the same number of bytes in more frames is no bigger a bomb.
            while !rest.is_empty() {
                let mut decoder = ruzstd::decoding::StreamingDecoder::new(&mut rest)
                    .map_err(|err| UnpackError::Damaged(std::io::Error::other(err)))?;
                written += copy_bounded(&mut decoder, bound - written, out)?;
            }
            Ok(written)
        }
    }
}

/// Unpacks the zip entry `name` into `out`, within the bound for its
/// compressed size, and checks that the sizes add up: what the zip holds
/// is the size it declares. The error says what went wrong, for a message
/// that names the entry.
pub fn unpack_entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    compression: Compression,
    out: &mut dyn Write,
) -> Result<u64, String> {
    let mut entry = zip
        .by_name(name)
        .map_err(|err| format!("cannot be read ({err})"))?;
    let declared = entry.size();
    // What the zip's own compression is bounded by; a zstd entry is then
    // bounded again by its own size.
    let zip_bound = bound(entry.compressed_size());
    if declared > zip_bound {
        return Err(format!(
            "declares {declared} bytes, more than prep reads from an entry of {} bytes",
            entry.compressed_size()
        ));
    }
    let mut counted = Counted {
        inner: entry.by_ref().take(zip_bound + 1),
        read: 0,
    };
    let result = match compression {
        Compression::None => unpack(&mut counted, Compression::None, zip_bound, out),
        Compression::Zstd => unpack(&mut counted, Compression::Zstd, bound(declared), out),
    };
    let written = result.map_err(|err| err.to_string())?;
    if counted.read != declared {
        return Err(format!(
            "holds {} bytes where the zip declares {declared}: its sizes do not add up",
            counted.read
        ));
    }
    Ok(written)
}

/// A reader that counts what passes.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.read += read as u64;
        Ok(read)
    }
}

/// Copies at most `bound` bytes; one more is an error.
fn copy_bounded(
    source: &mut dyn Read,
    bound: u64,
    out: &mut dyn Write,
) -> Result<u64, UnpackError> {
    let mut buffer = vec![0u8; 64 << 10];
    let mut written = 0u64;
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => return Ok(written),
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(UnpackError::Damaged(err)),
        };
        written += read as u64;
        if written > bound {
            return Err(UnpackError::TooLarge { bound });
        }
        out.write_all(&buffer[..read]).map_err(UnpackError::Write)?;
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A zstd frame of `blocks` RLE blocks of 128 KiB of zeros each: four
    /// bytes of input for every 128 KiB of output, as a bomb is made.
    pub fn zstd_zeros(blocks: usize) -> Vec<u8> {
        // Magic number; a frame header with no content size, no checksum,
        // and a window of 2^(10 + 7) = 128 KiB.
        let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
        for index in 0..blocks {
            let last = u32::from(index + 1 == blocks);
            // Block header: last flag, type 1 (RLE), size; then the byte.
            let header = last | (1 << 1) | ((128 << 10) << 3);
            frame.extend_from_slice(&header.to_le_bytes()[..3]);
            frame.push(0);
        }
        frame
    }

    #[test]
    fn zstd_unpacks_within_its_bound() {
        let mut out = Vec::new();
        let frame = zstd_zeros(3);
        let mut two = frame.clone();
        two.extend_from_slice(&frame);
        assert_eq!(
            unpack(&mut two.as_slice(), Compression::Zstd, 6 << 17, &mut out).unwrap(),
            6 << 17
        );
        assert!(out.iter().all(|&byte| byte == 0));
        let mut out = Vec::new();
        let error = unpack(
            &mut frame.as_slice(),
            Compression::Zstd,
            (3 << 17) - 1,
            &mut out,
        )
        .unwrap_err();
        assert!(matches!(error, UnpackError::TooLarge { .. }), "{error}");
        assert!(out.len() < 3 << 17, "nothing past the bound is written");
        let error = unpack(
            &mut &frame[..9],
            Compression::Zstd,
            1 << 30,
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(error, UnpackError::Damaged(_)), "{error}");
        let error = unpack(
            &mut &b"not zstd"[..],
            Compression::Zstd,
            1 << 30,
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(matches!(error, UnpackError::Damaged(_)), "{error}");
    }

    #[test]
    fn plain_entries_are_bounded_too() {
        let mut out = Vec::new();
        assert_eq!(
            unpack(&mut &b"12345"[..], Compression::None, 5, &mut out).unwrap(),
            5
        );
        assert!(matches!(
            unpack(&mut &b"123456"[..], Compression::None, 5, &mut Vec::new()),
            Err(UnpackError::TooLarge { bound: 5 })
        ));
    }

    #[test]
    fn the_bound_grows_with_the_entry_and_stops() {
        assert_eq!(bound(0), 64 << 20);
        assert_eq!(bound(1 << 20), 1000 << 20);
        assert_eq!(bound(1 << 30), 2 << 30);
        assert_eq!(bound(u64::MAX), 2 << 30);
    }
}
