//! Painting text on the terminal: each call places one piece of text at a
//! row and column with a [`Look`], clipped to the screen. Colours are only
//! sent when colour is on (`--color`, `NO_COLOR`); bold, dim and underline
//! are not colour and stay, so the screen keeps its structure without it.

use std::io::{BufWriter, Stdout, Write};

use anyhow::Result;
use crossterm::style::{Attribute, Color, Print, SetAttribute, SetForegroundColor};
use crossterm::{cursor, queue, terminal};

use super::render::{Line, Style};

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    pub color: Option<Color>,
    pub bold: bool,
    pub dim: bool,
    pub italic: bool,
    pub underline: bool,
    pub reverse: bool,
}

impl Look {
    pub const PLAIN: Look = Look {
        color: None,
        bold: false,
        dim: false,
        italic: false,
        underline: false,
        reverse: false,
    };

    pub fn dim() -> Look {
        Look {
            dim: true,
            ..Look::PLAIN
        }
    }

    pub fn bold() -> Look {
        Look {
            bold: true,
            ..Look::PLAIN
        }
    }

    pub fn colored(color: Color) -> Look {
        Look {
            color: Some(color),
            ..Look::PLAIN
        }
    }

    /// The look of a rendered markdown span.
    pub fn of(style: Style) -> Look {
        let mut look = Look::PLAIN;
        if style.heading.is_some() {
            look.bold = true;
            look.color = Some(Color::Cyan);
        }
        look.bold |= style.bold;
        look.italic = style.italic;
        if style.code {
            look.color = Some(Color::Yellow);
        }
        if style.code_block {
            look.color = Some(Color::Green);
        }
        if style.link {
            look.underline = true;
            look.color = Some(Color::Blue);
        }
        look.dim = style.marker;
        look
    }
}

/// One line of the screen: pieces of text, each with its look.
pub type Row = Vec<(String, Look)>;

/// A rendered markdown line as a row.
pub fn row_of(line: &Line) -> Row {
    line.spans
        .iter()
        .map(|span| (span.text.clone(), Look::of(span.style)))
        .collect()
}

/// A rendered markdown line in bold throughout, as a question is shown.
pub fn bold_row_of(line: &Line) -> Row {
    let mut row = row_of(line);
    for (_, look) in &mut row {
        look.bold = true;
    }
    row
}

pub struct Screen {
    out: BufWriter<Stdout>,
    pub width: u16,
    pub height: u16,
    color: bool,
}

impl Screen {
    /// Starts a frame: reads the size and clears.
    pub fn begin(color: bool) -> Result<Screen> {
        // A pseudo-terminal nobody sized reports 0x0.
        let (width, height) = match terminal::size() {
            Ok((width, height)) if width > 0 && height > 0 => (width, height),
            _ => (80, 24),
        };
        let mut screen = Screen {
            out: BufWriter::new(std::io::stdout()),
            width: width.max(1),
            height: height.max(1),
            color,
        };
        queue!(screen.out, terminal::Clear(terminal::ClearType::All))?;
        Ok(screen)
    }

    /// Paints `text` at row `y` from column `x`, clipped to the width;
    /// returns the column after it.
    pub fn text(&mut self, y: u16, x: u16, text: &str, look: Look) -> Result<u16> {
        if y >= self.height || x >= self.width {
            return Ok(x);
        }
        let room = usize::from(self.width - x);
        let (shown, used) = clip(text, room);
        queue!(self.out, cursor::MoveTo(x, y))?;
        self.set(look)?;
        queue!(self.out, Print(shown))?;
        queue!(self.out, SetAttribute(Attribute::Reset))?;
        Ok(x + used as u16)
    }

    /// Paints a row of pieces; a row wider than the screen (code is never
    /// re-wrapped) ends in a dim `›`.
    pub fn row(&mut self, y: u16, x: u16, row: &Row) -> Result<()> {
        let mut column = x;
        let room = usize::from(self.width.saturating_sub(x));
        let overflows = row.iter().map(|(text, _)| width(text)).sum::<usize>() > room;
        for (text, look) in row {
            if column >= self.width {
                break;
            }
            column = self.text(y, column, text, *look)?;
        }
        if overflows && self.width > 0 {
            self.text(y, self.width - 1, "›", Look::dim())?;
        }
        Ok(())
    }

    fn set(&mut self, look: Look) -> Result<()> {
        set_look(&mut self.out, look, self.color)
    }

    pub fn finish(mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// Starts writing in `look`; colours only when `color` is on.
fn set_look(out: &mut impl Write, look: Look, color: bool) -> Result<()> {
    if let (true, Some(color)) = (color, look.color) {
        queue!(out, SetForegroundColor(color))?;
    }
    for (on, attribute) in [
        (look.bold, Attribute::Bold),
        (look.dim, Attribute::Dim),
        (look.italic, Attribute::Italic),
        (look.underline, Attribute::Underlined),
        (look.reverse, Attribute::Reverse),
    ] {
        if on {
            queue!(out, SetAttribute(attribute))?;
        }
    }
    Ok(())
}

/// Writes a row as a line of styled text (for output that scrolls, not a
/// screen): each piece in its look, then a newline.
pub fn write_row(mut out: &mut dyn Write, row: &Row, color: bool) -> Result<()> {
    for (text, look) in row {
        if *look == Look::PLAIN {
            write!(out, "{text}")?;
            continue;
        }
        set_look(&mut out, *look, color)?;
        write!(out, "{text}")?;
        queue!(&mut out, SetAttribute(Attribute::Reset))?;
    }
    writeln!(out)?;
    Ok(())
}

pub use crate::text_width::{clip, columns as width};
