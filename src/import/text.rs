/*!
Text repair on the way in: whatever bytes a person saved become clean UTF-8
with `\n` line ends.

Notes are pasted from web pages, exported from editors and passed between
operating systems, so they arrive with byte-order marks, CRLF line ends,
legacy encodings, and mojibake: UTF-8 that was once read as Windows-1252 and
saved again (`â€™` for `’`), or Chinese punctuation saved as GBK and read the
same way (`£º` for `：`). All of that is undone here, before any parsing,
so the rest of the importer sees only text.
*/

use encoding_rs::{GBK, UTF_8, WINDOWS_1252};

/// Why bytes could not be read as notes at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("looks like a binary file, not notes (it contains NUL bytes)")]
    Binary,
}

/// Decodes `bytes` into repaired text.
///
/// A byte-order mark decides the encoding when present (UTF-8 or UTF-16).
/// Otherwise valid UTF-8 is taken as is; anything else is read as
/// Windows-1252, the encoding such files almost always are in.
pub fn decode(bytes: &[u8]) -> Result<String, TextError> {
    let (text, _had_errors) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
            (text.into_owned(), false)
        }
        None => match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), false),
            Err(_) => {
                if looks_binary(bytes) {
                    return Err(TextError::Binary);
                }
                let (text, _, had_errors) = WINDOWS_1252.decode(bytes);
                (text.into_owned(), had_errors)
            }
        },
    };
    if text.contains('\0') {
        return Err(TextError::Binary);
    }
    Ok(repair_gbk_mojibake(repair_mojibake(&normalize_line_ends(
        &text,
    ))))
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// CRLF and lone CR become LF.
fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Undoes UTF-8 that was decoded as Windows-1252: each run of characters
/// that Windows-1252 can encode, and that holds non-ASCII, is encoded back
/// to bytes; if those bytes are valid UTF-8 with multi-byte characters, the
/// run was mojibake and its UTF-8 reading replaces it. Genuine accented
/// text (`café`) is not valid UTF-8 once encoded, so it is left alone.
pub fn repair_mojibake(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut repaired = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = next_non_ascii(rest) {
        repaired.push_str(&rest[..start]);
        rest = &rest[start..];
        // The suspect run: non-ASCII characters, possibly joined by the
        // ASCII bytes a mojibake sequence can contain (none in practice
        // besides the characters themselves), up to the next ASCII char.
        let run_end = next_ascii(rest);
        let run = &rest[..run_end];
        repaired.push_str(&repair_run(run));
        rest = &rest[run_end..];
    }
    repaired.push_str(rest);
    repaired
}

/// Undoes GBK that was decoded as Windows-1252 (`Question£º` for
/// `Question：`): a file written on a Chinese system with full-width
/// punctuation among ASCII. Decided for the whole document, as an
/// encoding is: every run of non-ASCII characters must encode back to
/// bytes that read as Chinese punctuation in GBK, two bytes a mark, or
/// nothing is changed. A single accented letter (`café`)
/// is one byte, which GBK never is, so genuine Latin text stays as it is.
pub fn repair_gbk_mojibake(text: String) -> String {
    if text.is_ascii() {
        return text;
    }
    let mut repaired = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = next_non_ascii(rest) {
        repaired.push_str(&rest[..start]);
        rest = &rest[start..];
        let run_end = next_ascii(rest);
        match gbk_reading(&rest[..run_end]) {
            Some(chinese) => repaired.push_str(&chinese),
            None => return text,
        }
        rest = &rest[run_end..];
    }
    repaired.push_str(rest);
    repaired
}

/// What a run of Windows-1252 characters says when its bytes are read as
/// GBK: only Chinese punctuation, each mark from two bytes.
fn gbk_reading(run: &str) -> Option<String> {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(run);
    if unmappable || bytes.len() % 2 != 0 {
        return None;
    }
    let decoded = GBK.decode_without_bom_handling_and_without_replacement(&bytes)?;
    // (punctuation only: a pair of accented letters, `öß` in `Größe`,
    // also reads as a GBK ideograph)
    let chinese = |ch: char| {
        matches!(ch,
            '\u{3000}'..='\u{303F}' // CJK punctuation
            | '\u{FF00}'..='\u{FFEF}' // full-width forms
            | '\u{2010}'..='\u{2027}' // dashes, quotes, ellipsis
        )
    };
    (decoded.chars().count() * 2 == bytes.len() && decoded.chars().all(chinese))
        .then(|| decoded.into_owned())
}

/// Where the first non-ASCII character of `text` starts. (Read by bytes,
/// which is quicker than by characters: the first byte that is not ASCII
/// starts a character, since every byte before it is a character.)
fn next_non_ascii(text: &str) -> Option<usize> {
    text.bytes().position(|byte| !byte.is_ascii())
}

/// Where the first ASCII character of `text` is, or its end. (An ASCII
/// byte is never part of a longer character, so it is a boundary.)
fn next_ascii(text: &str) -> usize {
    text.bytes()
        .position(|byte| byte.is_ascii())
        .unwrap_or(text.len())
}

fn repair_run(run: &str) -> String {
    let (bytes, _, unmappable) = WINDOWS_1252.encode(run);
    if unmappable {
        // Part of the run is outside Windows-1252: repair piecewise, each
        // maximal encodable stretch on its own.
        return repair_mixed_run(run);
    }
    match UTF_8.decode_without_bom_handling_and_without_replacement(&bytes) {
        Some(decoded) if decoded.chars().count() < run.chars().count() => decoded.into_owned(),
        _ => run.to_owned(),
    }
}

fn repair_mixed_run(run: &str) -> String {
    let mut out = String::with_capacity(run.len());
    let mut stretch = String::new();
    for ch in run.chars() {
        let mut buffer = [0u8; 4];
        let (_, _, unmappable) = WINDOWS_1252.encode(ch.encode_utf8(&mut buffer));
        if unmappable {
            if !stretch.is_empty() {
                out.push_str(&repair_run(&stretch));
                stretch.clear();
            }
            out.push(ch);
        } else {
            stretch.push(ch);
        }
    }
    if !stretch.is_empty() {
        out.push_str(&repair_run(&stretch));
    }
    out
}

/// Whether the text uses markdown markup at all. Plain text pasted from a
/// web page has none; a markdown file has headings, emphasis, fences, links,
/// lists or HTML. Decided by content because a `.md` file may hold plain
/// text and a `.txt` file markdown.
pub fn looks_like_markdown(text: &str) -> bool {
    let mut signals = 0usize;
    let mut in_fence = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let after_blank = std::mem::replace(&mut previous_blank, trimmed.is_empty());
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            signals += 2;
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // A heading opens a block after a blank line and names something;
        // `# -*- coding: utf-8 -*-` straight under `Solution:` is a comment
        // in a plain-text answer's code.
        let heading = trimmed.starts_with('#')
            && trimmed.trim_start_matches('#').starts_with([' ', '\t'])
            && trimmed.len() - trimmed.trim_start_matches('#').len() <= 6
            && after_blank
            && trimmed
                .trim_start_matches('#')
                .trim_start()
                .starts_with(|ch: char| ch.is_alphanumeric() || "*_`[<".contains(ch));
        let bullet =
            (trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ "))
                && trimmed.len() > 2;
        let emphasis = has_strong_span(trimmed, "**") || has_strong_span(trimmed, "__");
        let link = trimmed.contains("](");
        // `yield` in backticks: inline code, which only markdown writes.
        let code_span = trimmed
            .split('`')
            .nth(1)
            .is_some_and(|inside| !inside.trim().is_empty() && trimmed.matches('`').count() >= 2);
        let html = [
            "<details", "<summary", "<br", "<p>", "<p ", "<div", "<table", "<img", "<a ", "<!--",
        ]
        .iter()
        .any(|tag| trimmed.contains(tag));
        let table_rule = trimmed.starts_with('|') && trimmed.contains("---");
        let setext =
            !trimmed.is_empty() && (trimmed.chars().all(|ch| ch == '=') && trimmed.len() >= 3);
        signals += 2 * usize::from(heading || table_rule || setext)
            + usize::from(bullet)
            + usize::from(emphasis)
            + usize::from(link)
            + usize::from(code_span)
            + usize::from(html);
        if signals >= 2 {
            return true;
        }
    }
    false
}

/// Whether `line` holds a strong span: `mark` opening a word (at the start
/// or after a space or bracket) and closing later on the line. `2**3` and
/// `Use ** to raise` are Python's operator; `__init__` and `__doc__` are
/// names.
fn has_strong_span(line: &str, mark: &str) -> bool {
    let mut from = 0;
    while let Some(at) = line[from..].find(mark).map(|at| from + at) {
        let before = line[..at].chars().next_back();
        let after = line[at + mark.len()..].chars().next();
        let opens = before.is_none_or(|ch| ch.is_whitespace() || "([-:>".contains(ch))
            && after.is_some_and(|ch| !ch.is_whitespace() && !mark.starts_with(ch));
        if opens {
            let rest = &line[at + mark.len()..];
            // (`__doc__` is a Python name: a `__` span holds words)
            if let Some(close) = rest.find(mark)
                && !rest[..close].ends_with(char::is_whitespace)
                && close > 0
                && (mark == "**" || rest[..close].contains(' '))
            {
                return true;
            }
        }
        from = at + mark.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_spans_are_not_python_operators() {
        assert!(has_strong_span("**What is a pod?** A pod is", "**"));
        assert!(has_strong_span("- **Docker:** shares the kernel", "**"));
        assert!(!has_strong_span("d[2]=2**2", "**"));
        assert!(!has_strong_span(
            "Use ** operator to get power of a number.",
            "**"
        ));
        assert!(!has_strong_span("def __init__(self):", "__"));
        assert!(!has_strong_span(
            "The built-in document method is __doc__",
            "__"
        ));
        assert!(has_strong_span("a __strong words__ here", "__"));
    }

    #[test]
    fn mojibake_from_windows_1252_is_undone() {
        assert_eq!(repair_mojibake("2pm â€“ 2:30pm"), "2pm – 2:30pm");
        assert_eq!(repair_mojibake("Itâ€™s"), "It’s");
        assert_eq!(repair_mojibake("cafÃ©"), "café");
    }

    #[test]
    fn chinese_punctuation_read_as_windows_1252_is_undone() {
        assert_eq!(
            repair_gbk_mojibake("Question£º\nWait¡\u{AD} done".into()),
            "Question：\nWait… done"
        );
        // One run that is not GBK leaves the document as it was.
        assert_eq!(
            repair_gbk_mojibake("Question£º café".into()),
            "Question£º café"
        );
        for text in [
            "Größe",
            "Grüße aus Köln",
            "naïve ÀÉ",
            "© 2024 — «quoted»",
            "日本語",
        ] {
            assert_eq!(repair_gbk_mojibake(text.into()), text);
        }
    }

    #[test]
    fn genuine_text_is_left_alone() {
        for text in ["café", "naïve – ’quoted’ …", "日本語", "emoji 👶 ⭐️", "Â"]
        {
            assert_eq!(repair_mojibake(text), text);
        }
    }

    #[test]
    fn bom_crlf_and_legacy_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\rc").unwrap(), "a\nb\nc");
        // Windows-1252 bytes that are not UTF-8.
        assert_eq!(decode(b"caf\xE9 \x93q\x94").unwrap(), "café “q”");
        // UTF-16 with a BOM.
        assert_eq!(decode(b"\xFF\xFEh\0i\0").unwrap(), "hi");
        assert_eq!(decode(b"\x00\x01\x02\xFF"), Err(TextError::Binary));
    }

    #[test]
    fn markdown_is_recognised_by_content() {
        assert!(looks_like_markdown("# Title\n\n## Q?\ntext"));
        assert!(looks_like_markdown("- **a** b\n- [x](y)\n"));
        assert!(!looks_like_markdown(
            "1) Question\n\nAnswer:\n\nPlain text only.\n  • bullet"
        ));
        assert!(looks_like_markdown(
            "Q: What does `yield` do?\nA: Makes a generator.\n\nQ: And `await`?\nA: Waits.\n"
        ));
        assert!(!looks_like_markdown("It's a `quote' of one line.\n"));
    }
}
