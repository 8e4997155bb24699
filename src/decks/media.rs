/*!
The files a card's markdown refers to: images (`![alt](path)`), links to
files (`[text](path)`) and Anki's sound references (`[sound:name]`), with
where each stands in the text, so that import can point them at the files
it copied, export can carry them into a package, and the reviewer can name
and open a card's images; and where a deck's relative paths are looked
for. A reference is to a local file when its target
has no URL scheme (`https:`, `data:`) and no fragment-only `#`; only those
are media.
*/

use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::import_record::{ImportRecord, resolve_path};

/// What kind of reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Link,
    /// Anki's `[sound:name]`.
    Sound,
}

/// One reference to a local file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: Kind,
    /// The file, as written, its `%20`-style escapes decoded (a file's
    /// name, not a URL's).
    pub target: String,
    /// An image's alt text or a link's text, as markdown source.
    pub text: String,
    /// Where the whole reference stands in the markdown.
    pub range: Range<usize>,
}

/// The references to local files, in the order they stand.
pub fn references(markdown: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    let mut code: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter() {
        let (kind, link_type, dest) = match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => (Kind::Image, link_type, dest_url),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => (Kind::Link, link_type, dest_url),
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => {
                code.push(range);
                continue;
            }
            _ => continue,
        };
        // Only inline references can be rewritten where they stand.
        if link_type != LinkType::Inline || !is_local(&dest) {
            continue;
        }
        let source = &markdown[range.clone()];
        let open = if kind == Kind::Image { 2 } else { 1 };
        let Some(close) = source.rfind("](") else {
            continue;
        };
        if close < open {
            continue;
        }
        found.push(Reference {
            kind,
            target: percent_decoded(&dest),
            text: source[open..close].to_string(),
            range,
        });
    }
    let mut at = 0;
    while let Some(start) = markdown[at..].find("[sound:").map(|start| at + start) {
        let Some(length) = markdown[start..].find(']') else {
            break;
        };
        let range = start..start + length + 1;
        at = range.end;
        let name = &markdown[start + 7..range.end - 1];
        let in_code = code
            .iter()
            .any(|code| code.start <= start && range.end <= code.end);
        let in_link = found
            .iter()
            .any(|link| link.range.start <= start && range.end <= link.range.end);
        if name.is_empty() || name.contains('\n') || in_code || in_link {
            continue;
        }
        found.push(Reference {
            kind: Kind::Sound,
            target: name.to_string(),
            text: String::new(),
            range,
        });
    }
    found.sort_by_key(|reference| reference.range.start);
    found
}

/// `%XX` escapes decoded, where they make UTF-8; anything else kept as it
/// is.
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), |decoded| decoded.into_owned())
}

/// Whether a destination names a local file.
fn is_local(dest: &str) -> bool {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return false;
    }
    // A scheme: letters, digits, `+`, `-`, `.`, then `:` (a Windows drive
    // letter is one letter, and a path).
    match dest.find(':') {
        Some(colon) if colon > 1 => !dest[..colon]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => true,
    }
}

/// The markdown with each reference `change` gives new markdown for
/// replaced by it.
pub fn rewrite(markdown: &str, mut change: impl FnMut(&Reference) -> Option<String>) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for reference in references(markdown) {
        if reference.range.start < at {
            continue;
        }
        if let Some(new) = change(&reference) {
            out.push_str(&markdown[at..reference.range.start]);
            out.push_str(&new);
            at = reference.range.end;
        }
    }
    out.push_str(&markdown[at..]);
    out
}

/// An image reference as markdown.
pub fn image(alt: &str, target: &str) -> String {
    format!("![{alt}]({})", destination(target))
}

/// A link as markdown.
pub fn link(text: &str, target: &str) -> String {
    format!("[{text}]({})", destination(target))
}

/// A link destination: in angle brackets when a space or a bracket would
/// end it early.
fn destination(target: &str) -> String {
    if target.contains([' ', '(', ')', '<', '>']) || target.is_empty() {
        format!("<{}>", target.replace('<', "%3C").replace('>', "%3E"))
    } else {
        target.to_string()
    }
}

/// The file a reference names: an absolute path as it is, a relative one
/// in the first of `bases` that has it.
pub fn locate(target: &str, bases: &[PathBuf]) -> Option<PathBuf> {
    let path = Path::new(target);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    bases
        .iter()
        .map(|base| base.join(path))
        .find(|path| path.is_file())
}

/// An image of a card, for the reviewer: its alt text and file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub alt: String,
    pub target: String,
}

/// The images a card's question and answer show, question first.
pub fn images(question: &str, answer: &str) -> Vec<Image> {
    [question, answer]
        .iter()
        .flat_map(|text| references(text))
        .filter(|reference| reference.kind == Kind::Image)
        .map(|reference| Image {
            alt: reference.text,
            target: reference.target,
        })
        .collect()
}

/// Where a deck's relative media paths are looked for: beside the deck
/// file, then beside each notes file it was imported from (a deck without
/// a record, typed by hand or bundled, has only the first).
pub fn media_bases(decks_dir: &Path, deck: &str) -> Vec<PathBuf> {
    let mut bases = vec![decks_dir.to_path_buf()];
    if let Ok(record) = ImportRecord::load(&decks_dir.join(format!("{deck}.yaml"))) {
        for notes in &record.notes {
            if let Some(dir) = resolve_path(&notes.path, decks_dir).parent()
                && !bases.iter().any(|base| base == dir)
            {
                bases.push(dir.to_path_buf());
            }
        }
    }
    bases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_references_are_found_where_they_stand() {
        let markdown = "A ![the router](media/net/router.png) and [notes](notes.md), \
                        [sound:beep.mp3], ![](https://x.org/a.png), [top](#q), `![](code.png)`";
        let found = references(markdown);
        let listed: Vec<(Kind, &str, &str)> = found
            .iter()
            .map(|reference| {
                (
                    reference.kind,
                    reference.target.as_str(),
                    reference.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                (Kind::Image, "media/net/router.png", "the router"),
                (Kind::Link, "notes.md", "notes"),
                (Kind::Sound, "beep.mp3", ""),
            ]
        );
        assert_eq!(&markdown[found[2].range.clone()], "[sound:beep.mp3]");
        assert_eq!(
            references("```\n[sound:in code.mp3]\n```\n\n![a](<my file.png>)")
                .iter()
                .map(|reference| reference.target.as_str())
                .collect::<Vec<_>>(),
            ["my file.png"]
        );
        assert!(is_local("C:/pictures/a.png") && is_local("a:b.png"));
        assert_eq!(
            references("![](my%20file%C3%A9.png)")[0].target,
            "my fileé.png"
        );
        assert_eq!(percent_decoded("100%"), "100%");
        assert_eq!(percent_decoded("%FF"), "%FF");
        assert!(!is_local("mailto:x@y.org") && !is_local("//host/a.png"));
    }

    #[test]
    fn references_are_rewritten_in_place() {
        let markdown = "See ![r](router.png) then [sound:beep.mp3] and ![k](keep.png).";
        let rewritten = rewrite(markdown, |reference| match reference.kind {
            Kind::Image if reference.target == "router.png" => {
                Some(image(&reference.text, "media/my deck/router.png"))
            }
            Kind::Sound => Some(link(&reference.target, "media/d/beep.mp3")),
            _ => None,
        });
        assert_eq!(
            rewritten,
            "See ![r](<media/my deck/router.png>) then [beep.mp3](media/d/beep.mp3) and ![k](keep.png)."
        );
        assert_eq!(
            images(&rewritten, "![](b.png)"),
            [
                Image {
                    alt: "r".into(),
                    target: "media/my deck/router.png".into()
                },
                Image {
                    alt: "k".into(),
                    target: "keep.png".into()
                },
                Image {
                    alt: String::new(),
                    target: "b.png".into()
                },
            ]
        );
    }
}
