//! pulldown-cmark's bare parse of a file, as a whole process: the floor
//! that `prep import` of the same file is measured against. Reads the
//! file, parses it with the options the importer uses, walks every event
//! with its source range, and prints how many there were.
//!
//! ```sh
//! cargo build --release --examples
//! time target/release/examples/bare_parse NOTES.md
//! time target/release/prep import NOTES.md
//! ```

#[path = "../benches/support/bare_parse.rs"]
mod bare_parse;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: bare_parse FILE")?;
    let text = std::fs::read_to_string(path)?;
    let events = bare_parse::events(&text);
    println!("{events} events");
    Ok(())
}
