/*!
Parsed decks kept between runs, so that a large collection starts fast.

Parsing YAML is most of what a command spends at 100,000 cards (40 MB of
decks take over a second), while a deck changes rarely. So a deck of at
least [`MIN_CACHED_BYTES`] is parsed once and its cards kept in a compact
binary entry; the next run finds the file unchanged and decodes the entry
instead, about ten times faster, without reading the YAML at all.

"Unchanged" is judged as git judges its index: the entry records the file's
size, modification and change times, inode and device, and any difference
is a miss. An edit, a `git checkout` or a copy changes the change time
(which, unlike the modification time, no tool can set back), so stale cards
cannot be served. An edit within the same clock tick as the recorded one
could go unseen, so a file changed in the last [`SETTLE`] is parsed but not
cached until it has settled.

The cache is only ever a shortcut: an entry that is missing, damaged,
written by another version of prep, or cannot be written falls back to
parsing the YAML, silently. Decks that do not load are never cached, so
their errors are reported every time. It lives outside `PREP_HOME`, in
`$PREP_CACHE` or the user's cache directory (`~/.cache/prep` on Linux);
`PREP_CACHE=` (empty) turns it off.
*/

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::decks::deck::{Card, Contents, Deck};
use crate::decks::stamp::Stamp;

/// The environment variable that moves (or, empty, turns off) the cache.
pub const CACHE_VAR: &str = "PREP_CACHE";

/// The variable that sets [`SETTLE`] in milliseconds, so that tests of the
/// cache need not wait two seconds.
pub const SETTLE_VAR: &str = "PREP_CACHE_SETTLE_MS";

/// Below this size a deck parses in a millisecond or two: caching it would
/// cost more files than it saves time. (Twenty decks of 180 KB, 10,000
/// cards, took 80 ms to parse on every run with a limit of 256 KiB.)
pub const MIN_CACHED_BYTES: u64 = 64 * 1024;

/// How long a file must have been left alone before its stamp is trusted;
/// file times tick in milliseconds or coarser, and a clock may be a little
/// off.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Identifies an entry's format and the prep that wrote it; anything else
/// is a miss. Cards are decoded by this build's rules, so a new version of
/// prep starts its own entries.
const MAGIC: &[u8] = concat!("prep deck cache 3 ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// Entries not used for this long are removed when a new one is written.
const UNUSED_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// A used entry's time is refreshed at most this often, so that reading
/// stays free of writes on most runs.
const TOUCH_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Where parsed decks are kept, or nowhere.
#[derive(Debug, Clone, Default)]
pub struct DeckCache {
    dir: Option<PathBuf>,
    min_bytes: u64,
    settle: Duration,
}

impl DeckCache {
    /// The cache the environment asks for: `$PREP_CACHE`, else the user's
    /// cache directory; none when `PREP_CACHE` is empty or there is no
    /// cache directory.
    pub fn from_env() -> DeckCache {
        let dir = match std::env::var_os(CACHE_VAR) {
            Some(dir) if dir.is_empty() => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => dirs::cache_dir().map(|dir| dir.join("prep")),
        };
        DeckCache {
            dir: dir.map(|dir| dir.join("decks")),
            min_bytes: MIN_CACHED_BYTES,
            settle: std::env::var(SETTLE_VAR)
                .ok()
                .and_then(|millis| millis.parse().ok())
                .map_or(SETTLE, Duration::from_millis),
        }
    }

    /// No cache: every deck is parsed.
    pub fn off() -> DeckCache {
        DeckCache::default()
    }

    /// A cache in `dir` for decks of at least `min_bytes` that have been
    /// left alone for `settle`.
    pub fn at(dir: impl Into<PathBuf>, min_bytes: u64, settle: Duration) -> DeckCache {
        DeckCache {
            dir: Some(dir.into()),
            min_bytes,
            settle,
        }
    }

    /// How long a file must be left alone before its stamp is trusted.
    pub fn settle(&self) -> Duration {
        self.settle
    }

    /// Reads and validates the deck at `path`, from the cache when the
    /// file is as it was when the entry was written; errors are
    /// [`Deck::load`]'s. Without answers, an entry's answers are not even
    /// read.
    pub fn load(&self, path: &Path, contents: Contents) -> Result<Deck> {
        let cached = self.dir.as_deref().and_then(|dir| {
            // Taken before the file is read: a change after this moment
            // gives the file another stamp, so the entry can only be older
            // than the file, never newer.
            let meta = std::fs::metadata(path).ok()?;
            (meta.is_file() && meta.len() >= self.min_bytes).then_some((dir, meta))
        });
        let Some((dir, meta)) = cached else {
            return Deck::load(path).map(|deck| contents.apply(deck));
        };
        let stamp = Stamp::of(&meta);
        let entry = dir.join(entry_name(path));
        if let Some(deck) = read_entry(&entry, &stamp, contents) {
            return Ok(deck);
        }
        let deck = Deck::load(path)?;
        // A deck with cards typed without an id is not kept: their ids are
        // not in the file yet, and the next writer must see that.
        if stamp.settled(self.settle) && deck.assigned_ids.is_empty() {
            // Best effort: a cache that cannot be written is no cache.
            let _ = write_entry(dir, &entry, &stamp, &deck);
        }
        Ok(contents.apply(deck))
    }
}

/// One entry per deck file, named by a hash of its absolute path.
fn entry_name(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!(
        "{:032x}.deck",
        xxhash_rust::xxh3::xxh3_128(absolute.as_os_str().as_encoded_bytes())
    )
}

fn read_entry(entry: &Path, stamp: &Stamp, contents: Contents) -> Option<Deck> {
    let mut file = std::fs::File::open(entry).ok()?;
    let mut header = [0; HEADER_LEN];
    file.read_exact(&mut header).ok()?;
    let header = Header::parse(&header, stamp)?;
    let mut cards = vec![0; usize::try_from(header.cards.0).ok()?];
    file.read_exact(&mut cards).ok()?;
    let answers = match contents {
        Contents::Everything => {
            let mut answers = Vec::new();
            file.read_to_end(&mut answers).ok()?;
            Some(answers)
        }
        Contents::WithoutAnswers => None,
    };
    let deck = decode(&header, &cards, answers.as_deref())?;
    let stale = untouched_for(file.metadata()).is_some_and(|age| age > TOUCH_EVERY);
    if stale && let Ok(file) = std::fs::File::options().append(true).open(entry) {
        let _ = file.set_modified(SystemTime::now());
    }
    Some(deck)
}

/// How long ago a file was last modified, if that can be told.
fn untouched_for(meta: std::io::Result<std::fs::Metadata>) -> Option<Duration> {
    let modified = meta.and_then(|meta| meta.modified()).ok()?;
    SystemTime::now().duration_since(modified).ok()
}

/// Writes the entry through a temporary file and a rename, so a reader
/// never sees half of one (and the checksum catches anything worse), then
/// removes entries nobody has used for a month.
fn write_entry(dir: &Path, entry: &Path, stamp: &Stamp, deck: &Deck) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".entry-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut temp, &encode(deck, stamp))?;
    temp.persist(entry).map_err(|err| err.error)?;
    for item in std::fs::read_dir(dir)?.flatten() {
        let unused = untouched_for(item.metadata()).is_some_and(|age| age > UNUSED_FOR);
        if unused {
            let _ = std::fs::remove_file(item.path());
        }
    }
    Ok(())
}

/// The length of an entry's header: [`MAGIC`], the file's stamp, then the
/// length and xxh3 checksum of each of the two sections (8 bytes each,
/// little-endian).
const HEADER_LEN: usize = MAGIC.len() + 40 + 32;

/// An entry's header: each section's length and checksum.
struct Header {
    cards: (u64, u64),
    answers: (u64, u64),
}

impl Header {
    /// The header, if `bytes` is one of this format for `stamp`.
    fn parse(bytes: &[u8; HEADER_LEN], stamp: &Stamp) -> Option<Header> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let rest = rest.strip_prefix(stamp.to_bytes().as_slice())?;
        let number = |index: usize| {
            let start = index * 8;
            Some(u64::from_le_bytes(
                rest.get(start..start + 8)?.try_into().ok()?,
            ))
        };
        Some(Header {
            cards: (number(0)?, number(1)?),
            answers: (number(2)?, number(3)?),
        })
    }
}

/// The entry's bytes: the header, then the cards section (the title, the
/// deck's `reverse`, and each card's fields but its answer, as
/// length-prefixed strings), then the answers section (each card's answer
/// in order), which a load without answers never reads. A reversed card's
/// answer is its reversed side's question, which every load needs: it is
/// kept in the cards section instead.
fn encode(deck: &Deck, stamp: &Stamp) -> Vec<u8> {
    let mut cards = Vec::new();
    let mut answers = Vec::new();
    put_optional(&mut cards, deck.title.as_deref());
    cards.push(u8::from(deck.reverse));
    put_count(&mut cards, deck.cards.len());
    for card in &deck.cards {
        put_str(&mut cards, &card.id);
        put_str(&mut cards, &card.question);
        put_count(&mut cards, card.tags.len());
        for tag in &card.tags {
            put_str(&mut cards, tag);
        }
        put_optional(&mut cards, card.source.as_deref());
        cards.push(match card.reverse {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        if card.reverse.unwrap_or(deck.reverse) {
            put_str(&mut cards, &card.answer);
        } else {
            put_str(&mut answers, &card.answer);
        }
    }
    let mut bytes = Vec::with_capacity(HEADER_LEN + cards.len() + answers.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&stamp.to_bytes());
    for section in [&cards, &answers] {
        bytes.extend_from_slice(&(section.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(section).to_le_bytes());
    }
    bytes.extend_from_slice(&cards);
    bytes.extend_from_slice(&answers);
    bytes
}

/// The deck in the sections of an entry (answers left empty without the
/// answers section), or `None` if they are not intact.
fn decode(header: &Header, cards_section: &[u8], answers_section: Option<&[u8]>) -> Option<Deck> {
    let intact = |section: &[u8], (length, checksum): (u64, u64)| {
        section.len() as u64 == length && xxhash_rust::xxh3::xxh3_64(section) == checksum
    };
    if !intact(cards_section, header.cards)
        || answers_section.is_some_and(|section| !intact(section, header.answers))
    {
        return None;
    }
    let mut reader = Reader(cards_section);
    let mut answers = answers_section.map(Reader);
    let title = reader.optional()?;
    let deck_reverse = match reader.byte()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let count = reader.count()?;
    // Each card takes at least 13 bytes, so a bad count cannot make this
    // reserve more than the entry could hold.
    let mut cards = Vec::with_capacity(count.min(cards_section.len() / 13));
    for _ in 0..count {
        let id = reader.string()?;
        let question = reader.string()?;
        let tag_count = reader.count()?;
        let mut tags = Vec::with_capacity(tag_count.min(reader.0.len() / 4));
        for _ in 0..tag_count {
            tags.push(reader.string()?);
        }
        let source = reader.optional()?;
        let reverse = match reader.byte()? {
            0 => None,
            1 => Some(false),
            2 => Some(true),
            _ => return None,
        };
        let answer = match &mut answers {
            _ if reverse.unwrap_or(deck_reverse) => reader.string()?,
            Some(answers) => answers.string()?,
            None => String::new(),
        };
        cards.push(Card {
            id,
            question,
            answer,
            reverse,
            tags,
            source,
        });
    }
    let consumed = answers.is_none_or(|answers| answers.0.is_empty());
    let mut deck = Deck::new(title, cards);
    deck.reverse = deck_reverse;
    (reader.0.is_empty() && consumed).then_some(deck)
}

fn put_count(out: &mut Vec<u8>, count: usize) {
    // Deck files are read whole into memory, so no string or list in one
    // comes near 4 GiB.
    out.extend_from_slice(&(count as u32).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    put_count(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn put_optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            put_str(out, text);
        }
    }
}

/// The unread rest of a payload.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(byte)
    }

    fn count(&mut self) -> Option<usize> {
        let (count, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*count) as usize)
    }

    fn string(&mut self) -> Option<String> {
        let length = self.count()?;
        if length > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(length);
        self.0 = rest;
        std::str::from_utf8(text).ok().map(str::to_owned)
    }

    fn optional(&mut self) -> Option<Option<String>> {
        let (&present, rest) = self.0.split_first()?;
        self.0 = rest;
        match present {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(cards: usize) -> Deck {
        Deck {
            assigned_ids: Vec::new(),
            title: Some("Título".into()),
            reverse: false,
            cards: (0..cards)
                .map(|n| Card {
                    id: format!("c{n:03}"),
                    question: format!("Question {n}?"),
                    answer: format!("1. **Point**: answer {n}\n\n```sh\necho {n}\n```"),
                    reverse: [None, Some(true), Some(false)][n % 3],
                    tags: if n % 2 == 0 {
                        vec!["aws".into(), format!("t{n}")]
                    } else {
                        Vec::new()
                    },
                    source: (n % 3 == 0).then(|| format!("notes.md:{n}")),
                })
                .collect(),
        }
    }

    /// An entry's deck with its answers, from the entry's bytes.
    fn decode_all(bytes: &[u8], stamp: &Stamp) -> Option<Deck> {
        let header = Header::parse(bytes.get(..HEADER_LEN)?.try_into().ok()?, stamp)?;
        let cards_end = HEADER_LEN + usize::try_from(header.cards.0).ok()?;
        decode(
            &header,
            bytes.get(HEADER_LEN..cards_end)?,
            Some(&bytes[cards_end..]),
        )
    }

    const STAMP: Stamp = Stamp {
        len: 10,
        modified_ns: 1_700_000_000_000_000_000,
        changed_ns: 1_700_000_000_000_000_001,
        inode: 7,
        device: 3,
    };

    #[test]
    fn entries_decode_to_the_deck_they_encode() {
        let reversed = Deck {
            reverse: true,
            ..deck(7)
        };
        for deck in [deck(0), deck(1), deck(50), Deck::default(), reversed] {
            assert_eq!(decode_all(&encode(&deck, &STAMP), &STAMP), Some(deck));
        }
    }

    #[test]
    fn damaged_foreign_or_outdated_entries_are_misses() {
        let bytes = encode(&deck(5), &STAMP);
        assert!(
            decode_all(&bytes[..bytes.len() - 1], &STAMP).is_none(),
            "truncated"
        );
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        assert!(decode_all(&flipped, &STAMP).is_none(), "checksum");
        let mut other_version = bytes.clone();
        other_version[MAGIC.len() - 2] ^= 1;
        assert!(decode_all(&other_version, &STAMP).is_none(), "magic");
        assert!(decode_all(b"", &STAMP).is_none());
        for changed in [
            Stamp { len: 11, ..STAMP },
            Stamp {
                changed_ns: STAMP.changed_ns + 1,
                ..STAMP
            },
            Stamp { inode: 8, ..STAMP },
        ] {
            assert!(decode_all(&bytes, &changed).is_none(), "{changed:?}");
        }
        // Sections whose checksums are right but whose lengths lie.
        let mut lying = MAGIC.to_vec();
        lying.extend_from_slice(&STAMP.to_bytes());
        let cards = [0u8, 0, 0xff, 0xff, 0xff, 0xff];
        for section in [&cards[..], &[]] {
            lying.extend_from_slice(&(section.len() as u64).to_le_bytes());
            lying.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(section).to_le_bytes());
        }
        lying.extend_from_slice(&cards);
        assert!(decode_all(&lying, &STAMP).is_none());
    }

    #[test]
    fn a_deck_is_parsed_once_then_read_from_its_entry_until_it_changes() {
        let home = tempfile::tempdir().unwrap();
        let cache_dir = home.path().join("cache");
        let cache = DeckCache::at(&cache_dir, 0, Duration::ZERO);
        let path = home.path().join("aws.yaml");
        let original = deck(20);
        original.save(&path).unwrap();

        assert_eq!(cache.load(&path, Contents::Everything).unwrap(), original);
        let entries: Vec<_> = std::fs::read_dir(&cache_dir).unwrap().flatten().collect();
        assert_eq!(entries.len(), 1, "one entry, no temporary files left");
        // The entry, not the YAML, answers now: a doctored entry shows
        // through (which is how this test can tell).
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        let mut doctored = original.clone();
        doctored.cards[0].question = "From the cache?".into();
        std::fs::write(entries[0].path(), encode(&doctored, &stamp)).unwrap();
        assert_eq!(cache.load(&path, Contents::Everything).unwrap(), doctored);

        // Without answers, the same cards with empty answers, from the
        // entry too.
        let without = cache.load(&path, Contents::WithoutAnswers).unwrap();
        assert_eq!(without, Contents::WithoutAnswers.apply(doctored.clone()));
        // A reversed card keeps its answer: its reversed side asks it.
        assert_eq!(without.cards[1].answer, doctored.cards[1].answer);
        assert!(without.cards[0].answer.is_empty());

        // Saving the deck again, even with the same bytes, is a new file.
        let mut edited = original.clone();
        edited.cards[1].answer = "Edited.".into();
        edited.save(&path).unwrap();
        assert_eq!(cache.load(&path, Contents::Everything).unwrap(), edited);
        // A damaged entry is parsed around and written again.
        std::fs::write(entries[0].path(), b"garbage").unwrap();
        assert_eq!(cache.load(&path, Contents::Everything).unwrap(), edited);
        let stamp = Stamp::of(&std::fs::metadata(&path).unwrap());
        assert_eq!(
            decode_all(&std::fs::read(entries[0].path()).unwrap(), &stamp),
            Some(edited)
        );
    }

    #[test]
    fn small_unsettled_and_bad_decks_and_unwritable_caches_are_not_cached() {
        let home = tempfile::tempdir().unwrap();
        let cache_dir = home.path().join("cache");
        let path = home.path().join("aws.yaml");
        deck(3).save(&path).unwrap();
        let big_only = DeckCache::at(&cache_dir, 1 << 20, Duration::ZERO);
        assert_eq!(big_only.load(&path, Contents::Everything).unwrap(), deck(3));
        let unsettled = DeckCache::at(&cache_dir, 0, Duration::from_secs(3600));
        assert_eq!(
            unsettled.load(&path, Contents::Everything).unwrap(),
            deck(3)
        );
        assert!(!cache_dir.exists());

        let cache = DeckCache::at(&cache_dir, 0, Duration::ZERO);
        std::fs::write(&path, "cards: [").unwrap();
        let err = cache.load(&path, Contents::Everything).unwrap_err();
        assert!(format!("{err:#}").contains("aws.yaml"), "{err:#}");
        assert!(!cache_dir.exists(), "errors are not cached");
        let missing = cache
            .load(&home.path().join("missing.yaml"), Contents::Everything)
            .unwrap_err();
        assert!(
            format!("{missing:#}").contains("missing.yaml"),
            "{missing:#}"
        );

        // A file where the cache directory should be: parsing still works.
        std::fs::write(&cache_dir, "not a directory").unwrap();
        deck(3).save(&path).unwrap();
        assert_eq!(cache.load(&path, Contents::Everything).unwrap(), deck(3));
        assert_eq!(
            DeckCache::off().load(&path, Contents::Everything).unwrap(),
            deck(3)
        );
    }
}
