/*!
A card's identity in its deck: its id, and the fingerprint of its fields.

Review history is keyed by card id, and ids are made from the deck's name
and the question's words, so that the same notes give the same ids on two
machines and a card typed into a deck gets its id the same way as one
imported. A deck's import record keeps, per card, the [`Fingerprint`] of
its fields as last imported. Both are stored values: they are defined here
once and pinned by tests of known outputs.
*/

use crate::stable_hash::hash as xxh3_64;

/// A question reduced to its words, for matching and for ids: lowercase,
/// punctuation and spacing gone, one space between words. Scripts written
/// without spaces (Chinese, Japanese) give one word per character, so that
/// an inserted character changes one word, not the whole question. Built
/// in one pass into one string: every card's id is made from it.
pub fn normalize(question: &str) -> String {
    let mut words = String::with_capacity(question.len());
    let mut in_word = false;
    for ch in question.chars() {
        if is_unspaced_script(ch) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push(ch);
            in_word = false;
        } else if ch.is_alphanumeric() {
            if !in_word && !words.is_empty() {
                words.push(' ');
            }
            in_word = true;
            if ch.is_ascii() {
                words.push(ch.to_ascii_lowercase());
            } else {
                words.extend(ch.to_lowercase());
            }
        } else {
            in_word = false;
        }
    }
    words
}

/// Letters of scripts that do not put spaces between words.
fn is_unspaced_script(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0x20000..=0x2FA1F // CJK extensions B and later
    )
}

/// A new card id: 12 hex digits of a hash of the deck and the question's
/// words, so that importing the same notes on two machines gives the same
/// ids. XXH3 spreads near-identical questions over the whole range, so a
/// short prefix names one card. An id already taken gets a numbered
/// variant.
pub fn new_id<S: std::hash::BuildHasher>(
    deck: &str,
    question: &str,
    taken: &std::collections::HashSet<String, S>,
) -> String {
    let base = format!("{deck}\n{}", normalize(question));
    let mut attempt = 0u32;
    loop {
        let hash = if attempt == 0 {
            xxh3_64(base.as_bytes())
        } else {
            xxh3_64(format!("{base}\n{attempt}").as_bytes())
        };
        let id = format!("{:012x}", hash >> 16);
        if !taken.contains(&id) {
            return id;
        }
        attempt += 1;
    }
}

/// What a card's fields were when they were last imported, as hashes: a
/// re-import compares them with the deck and with the notes to tell who
/// changed what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub question: u64,
    pub answer: u64,
    pub tags: u64,
}

impl Fingerprint {
    pub fn of(question: &str, answer: &str, tags: &[String]) -> Fingerprint {
        Fingerprint {
            question: hash_text(question),
            answer: hash_text(answer),
            tags: hash_tags(tags),
        }
    }

    /// One number for the three fields: the hash of their hashes, each as
    /// 8 little-endian bytes. Stored in the import record, so pinned.
    pub fn digest(&self) -> u64 {
        let mut bytes = [0u8; 24];
        bytes[..8].copy_from_slice(&self.question.to_le_bytes());
        bytes[8..16].copy_from_slice(&self.answer.to_le_bytes());
        bytes[16..].copy_from_slice(&self.tags.to_le_bytes());
        xxh3_64(&bytes)
    }
}

/// The hash of one field's text, exactly as written.
pub fn hash_text(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// The hash of a list of tags: each followed by a newline, which no tag
/// holds, so `["a b"]` and `["a", "b"]` differ.
pub fn hash_tags(tags: &[String]) -> u64 {
    let mut joined = String::new();
    for tag in tags {
        joined.push_str(tag);
        joined.push('\n');
    }
    xxh3_64(joined.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Ids are stored: these are the ids of these questions for ever.
    #[test]
    fn ids_are_pinned_and_spread() {
        let taken = HashSet::new();
        assert_eq!(new_id("k8s", "What is a pod?", &taken), "286a7febcdbc");
        assert_eq!(new_id("k8s", "what is a POD", &taken), "286a7febcdbc");
        assert_eq!(new_id("k8s", "What is a node?", &taken), "46b6b2c9f2f0");
        assert_ne!(
            new_id("aws", "What is S3?", &taken),
            new_id("gcp", "What is S3?", &taken)
        );
        let id = new_id("aws", "Q", &taken);
        assert_eq!(id.len(), 12);
        let taken: HashSet<String> = [id.clone()].into_iter().collect();
        assert_ne!(new_id("aws", "Q", &taken), id);
        // Near-identical questions share no long prefix.
        let a = new_id("d", "How does a Service find its pods?", &HashSet::new());
        let b = new_id("d", "How does a Service find its pod?", &HashSet::new());
        assert_ne!(a[..4], b[..4]);
    }

    /// Fingerprints are stored in import records: pinned too.
    #[test]
    fn fingerprints_are_pinned() {
        assert_eq!(hash_text(""), 0x2d06_8005_38d3_94c2);
        assert_eq!(hash_text("What is a pod?"), 0x678d_fb77_eb5f_fc0a);
        assert_ne!(
            hash_tags(&["a b".into()]),
            hash_tags(&["a".into(), "b".into()])
        );
        assert_eq!(
            Fingerprint::of("What is a pod?", "", &[]).digest(),
            0xab12_8cf4_7455_5c1d
        );
    }

    #[test]
    fn words_split_unspaced_scripts_by_character() {
        assert_eq!(normalize("什么是三次握手 ？"), "什 么 是 三 次 握 手");
        assert_eq!(normalize("What's TCP/IP?"), "what s tcp ip");
    }
}
