//! Word wrapping of inline text by display width, styles carried across
//! the breaks; words longer than the line are broken.

use super::*;

pub(super) enum Token {
    /// the space between two words (empty where a line may break between
    /// wide characters without one)
    Gap(Span),
    Word(Vec<Span>),
}

/// Splits styled text into words and the gaps between them. Runs of
/// whitespace collapse to one space, except inside inline code.
pub(super) fn tokenize(parts: &[(&str, Style)]) -> Vec<Token> {
    fn end_word(tokens: &mut Vec<Token>, word: &mut Vec<Span>) {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    }
    fn push_char(word: &mut Vec<Span>, c: char, style: Style) {
        match word.last_mut() {
            Some(last) if last.style == style => last.text.push(c),
            _ => word.push(Span::new(c, style)),
        }
    }
    let mut tokens = Vec::new();
    let mut word: Vec<Span> = Vec::new();
    let mut gap: Option<Span> = None;
    for &(text, style) in parts {
        for c in text.chars() {
            if is_break_space(c) {
                end_word(&mut tokens, &mut word);
                match &mut gap {
                    None => gap = Some(Span::new(" ", style)),
                    Some(g) if style.code && g.style == style => g.text.push(' '),
                    Some(_) => {}
                }
                continue;
            }
            if let Some(g) = gap.take() {
                tokens.push(Token::Gap(g));
            }
            let w = char_columns(c);
            let after_word = word.is_empty() && matches!(tokens.last(), Some(Token::Word(_)));
            if w == 0 && after_word {
                // a combining mark or joiner stays with what it follows
                if let Some(Token::Word(last)) = tokens.last_mut() {
                    push_char(last, c, style);
                }
                continue;
            }
            if w >= 2 {
                // wide characters (CJK, emoji) may break without a space
                end_word(&mut tokens, &mut word);
                if matches!(tokens.last(), Some(Token::Word(_))) {
                    tokens.push(Token::Gap(Span::new("", style)));
                }
                tokens.push(Token::Word(vec![Span::new(c, style)]));
                continue;
            }
            if after_word {
                tokens.push(Token::Gap(Span::new("", style)));
            }
            push_char(&mut word, c, style);
        }
    }
    end_word(&mut tokens, &mut word);
    tokens
}

/// A word's characters in the pieces a line may be broken between: each
/// with the zero-width characters that follow it (and what a joiner joins).
pub(super) fn clusters(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joined = false;
    for c in text.chars() {
        let attach = joined || is_zero_width(c);
        match out.last_mut() {
            Some(last) if attach => last.push(c),
            _ => out.push(c.to_string()),
        }
        joined = c == '\u{200d}';
    }
    out
}

pub(super) struct Wrapper {
    pub(super) width: Option<usize>,
    pub(super) lines: Vec<Line>,
    pub(super) current: Line,
    pub(super) used: usize,
}

impl Wrapper {
    fn push(&mut self, span: Span) {
        self.used += columns(&span.text);
        self.current.push(span);
    }

    fn newline(&mut self) {
        if !self.current.spans.is_empty() {
            self.lines.push(std::mem::take(&mut self.current));
        }
        self.used = 0;
    }

    fn word(&mut self, gap: Option<Span>, word: Vec<Span>) {
        let gap = gap.filter(|_| !self.current.spans.is_empty());
        let gap_width = gap.as_ref().map_or(0, |g| columns(&g.text));
        let word_width: usize = word.iter().map(|s| columns(&s.text)).sum();
        let Some(limit) = self.width else {
            if let Some(gap) = gap {
                self.push(gap);
            }
            word.into_iter().for_each(|s| self.push(s));
            return;
        };
        if self.used + gap_width + word_width <= limit {
            if let Some(gap) = gap {
                self.push(gap);
            }
            word.into_iter().for_each(|s| self.push(s));
            return;
        }
        if word_width <= limit {
            self.newline();
            word.into_iter().for_each(|s| self.push(s));
            return;
        }
        // Longer than a whole line: break it between characters.
        if let Some(gap) = gap {
            if limit.saturating_sub(self.used + gap_width) >= MIN_FILL {
                self.push(gap);
            } else {
                self.newline();
            }
        }
        for span in word {
            for cluster in clusters(&span.text) {
                let w = columns(&cluster);
                if self.used + w > limit && !self.current.spans.is_empty() {
                    self.newline();
                }
                self.push(Span::new(cluster, span.style));
            }
        }
    }
}

/// Word-wraps inline content to `width`; hard breaks start new lines.
pub(super) fn wrap(inlines: &[Inline], width: Option<usize>) -> Vec<Line> {
    let mut wrapper = Wrapper {
        width,
        lines: Vec::new(),
        current: Line::default(),
        used: 0,
    };
    for segment in inlines.split(|inline| matches!(inline, Inline::Break)) {
        let parts: Vec<(&str, Style)> = segment
            .iter()
            .filter_map(|inline| match inline {
                Inline::Text(text, style) => Some((text.as_str(), *style)),
                Inline::Break => None,
            })
            .collect();
        let mut gap = None;
        for token in tokenize(&parts) {
            match token {
                Token::Gap(span) => gap = Some(span),
                Token::Word(word) => wrapper.word(gap.take(), word),
            }
        }
        wrapper.newline();
    }
    wrapper.lines
}
