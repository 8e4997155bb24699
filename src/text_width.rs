//! How many terminal columns text takes: the one measure behind every
//! aligned table, clipped line and wrapped answer, so a CJK question or an
//! emoji lines up the same in `prep cards`, `prep decks` and the reviewer.
//! (Counting characters puts 日本 at 2 columns where a terminal draws 4.)

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The columns `text` takes.
pub fn columns(text: &str) -> usize {
    text.width()
}

/// The columns one character takes: 0 for combining marks and controls.
pub fn char_columns(ch: char) -> usize {
    ch.width().unwrap_or(0)
}

/// Whether `ch` takes no column but joins the character before it (a
/// combining mark, a zero-width joiner); controls are not.
pub fn is_zero_width(ch: char) -> bool {
    ch.width() == Some(0)
}

/// The longest prefix of `text` that fits in `room` columns, and its width.
pub fn clip(text: &str, room: usize) -> (&str, usize) {
    let mut used = 0;
    for (index, ch) in text.char_indices() {
        // A character of no width of its own can still widen the one
        // before (an emoji's presentation selector): the prefix is then
        // measured whole, as `columns` measures it.
        let after = if char_columns(ch) == 0 {
            columns(&text[..index + ch.len_utf8()])
        } else {
            used + char_columns(ch)
        };
        if after > room {
            return (&text[..index], used);
        }
        used = after;
    }
    (text, used)
}

/// The first non-empty line of `text`, cut to `max` columns with an
/// ellipsis (also when more lines follow, which the ellipsis stands for).
pub fn shorten(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    let more_lines = text.trim().lines().count() > 1;
    if columns(line) <= max && !more_lines {
        return line.to_string();
    }
    let (kept, _) = clip(line, max.saturating_sub(1));
    format!("{}…", kept.trim_end())
}

/// `text` padded with spaces to `width` columns, on the right or (for
/// numbers) on the left.
pub fn pad(text: &str, width: usize, right_align: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(columns(text)));
    if right_align {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_not_characters() {
        assert_eq!(columns("日本 a"), 6);
        assert_eq!(columns("e\u{301}"), 1);
        assert_eq!(clip("hello", 3), ("hel", 3));
        assert_eq!(clip("日本語", 5), ("日本", 4));
        assert_eq!(clip("", 3), ("", 0));
        // ❤ with its emoji presentation selector takes two columns.
        assert_eq!(clip("a❤\u{fe0f}b", 2), ("a❤", 2));
        assert_eq!(clip("a❤\u{fe0f}b", 3), ("a❤\u{fe0f}", 3));
        assert_eq!(shorten("什么是三次握手？", 7), "什么是…");
        assert_eq!(pad("日本", 6, false), "日本  ");
        assert_eq!(pad("12", 4, true), "  12");
    }
}
