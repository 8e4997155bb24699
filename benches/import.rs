//! Import throughput against pulldown-cmark's bare parse of the same bytes.
//!
//! The importer parses markdown with pulldown-cmark and then detects
//! questions, cuts answers and builds the deck, so the bare parse is the
//! floor; the aim is for the whole import to cost at most twice that.
//! Run with `cargo bench --bench import`; docs/performance.md has the figures.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
#[path = "support/bare_parse.rs"]
mod bare_parse;

use prep::Deck;
use prep::import;

/// The largest document of the corpus, and a seed in plain text.
const DOCUMENTS: &[&str] = &[
    "tests/fixtures/corpus/toc-list-headings-angular.md",
    "tests/fixtures/corpus/details-summary-techvault.md",
    "tests/fixtures/seeds/002_dc72f5de8521ba59.txt",
];

/// Everything `prep import` does between reading the file and writing the
/// deck: repair, parse, detect, assemble, merge, serialize.
fn whole_import(bytes: &[u8]) -> String {
    let notes = import::read_notes(bytes).expect("readable notes");
    let merged = import::merge(
        &Deck::default(),
        "bench",
        "bench.md",
        notes.title,
        notes.cards,
        false,
    );
    merged.deck.to_yaml()
}

fn benches(c: &mut Criterion) {
    for path in DOCUMENTS {
        let bytes =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8 fixture");
        let name = Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("pulldown-cmark parse", |b| {
            b.iter(|| bare_parse::events(black_box(&text)))
        });
        group.bench_function("read notes", |b| {
            b.iter(|| import::read_notes(black_box(&bytes)))
        });
        group.bench_function("whole import", |b| {
            b.iter(|| whole_import(black_box(&bytes)))
        });
        group.finish();
    }
}

criterion_group!(import_benches, benches);
criterion_main!(import_benches);
