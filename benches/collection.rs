//! prep as a user runs it, at 1,000, 10,000 and 100,000 cards (and
//! 1,000,000 with `PREP_BENCH_1M=1`, see below): each figure
//! is a whole process of the release binary, from spawning it to its exit
//! (or to its first card).
//!
//! - `stats/N`: `prep stats`, deck cache warm.
//! - `first card/N`: `prep quiz` from spawning it to its first `Q:` line
//!   (the line protocol; the terminal reviewer starts the same session
//!   before its first frame), then quit.
//! - `one grade/N`: `prep grade ID good`, a different reviewed card each
//!   time, on a copy of the collection so the others stay as generated. (A
//!   card's first grade looks it up in every deck, as `prep stats` reads
//!   them; later grades read only the deck the store names.)
//!
//! - `import/DOCUMENT`: `prep import` of the largest corpus document and of
//!   a generated 50 MB document into an empty home, against
//!   pulldown-cmark's bare parse of the same file (read and parsed with
//!   the importer's options, every event walked, in this process).
//!
//! Then the peak memory (maximum resident set) of one `prep stats` and one
//! quiz start at each size is printed, and what a `prep quiz --cram` over
//! the whole collection adds per answer (its peak after 200 answers less
//! its peak after 20, over the 180 answers between: undo keeps what each
//! answer did, not a copy of the queue).
//!
//! The collections are made by the generator of `examples/generate.rs`
//! (markdown documents through the real importer, ten reviews per card
//! simulated through the real scheduler) into `target/tmp/`, once: later
//! runs reuse them. The clock is fixed at 2026-01-05T09:00:00Z, the morning
//! after the generated history ends. Run with `cargo bench --bench
//! collection`; the first run spends about a minute generating.
//!
//! `PREP_BENCH_1M=1 cargo bench --bench collection` measures a collection
//! of 1,000,000 cards too (ten million reviews: a 1.9 GB store and a 3.6 GB
//! log). Generating it takes about five minutes and 2.5 GB of memory,
//! once, and 5.5 GB of disk; the grading benchmark copies it (as much
//! again while it runs).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group};

#[path = "support/bare_parse.rs"]
mod bare_parse;
#[path = "support/generate.rs"]
mod generate;

/// The sizes measured: 1,000,000 only when `PREP_BENCH_1M=1` (see the
/// module's doc).
fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var("PREP_BENCH_1M").is_ok_and(|value| value == "1") {
        sizes.push(1_000_000);
    }
    sizes
}
const NOW: &str = "2026-01-05T09:00:00Z";
/// Bumped when the generator changes, so that old collections are not
/// measured as new ones.
const GENERATION: u32 = 3;

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_prep")
}

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("collection-bench")
}

/// The generated collection of `size` cards, made on first use.
fn collection(size: usize) -> PathBuf {
    let home = scratch().join(format!("{size}-g{GENERATION}"));
    if home.join("ready").exists() {
        return home;
    }
    let making = scratch().join(format!("{size}-g{GENERATION}.making"));
    let _ = std::fs::remove_dir_all(&making);
    std::fs::create_dir_all(&making).expect("scratch directory");
    let made = generate::collection(&making, size, generate::DAYS).expect("generate");
    let steps: Vec<String> = made
        .steps
        .iter()
        .map(|(step, took)| format!("{step} {:.1} s", took.as_secs_f64()))
        .collect();
    eprintln!(
        "generated {} cards and {} reviews in {} ({})",
        made.cards,
        made.reviews,
        home.display(),
        steps.join(", ")
    );
    std::fs::write(making.join("ready"), "").expect("marker");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::rename(&making, &home).expect("move into place");
    // The deck cache keeps only decks older than two seconds.
    std::thread::sleep(Duration::from_millis(2_100));
    home
}

/// A copy of `home` to grade in, fresh each run.
fn copy_for_grading(home: &Path) -> PathBuf {
    let copy = home.with_extension("grading");
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(copy.join("decks")).expect("copy");
    for entry in std::fs::read_dir(home.join("decks")).expect("decks") {
        let entry = entry.expect("deck");
        std::fs::copy(entry.path(), copy.join("decks").join(entry.file_name())).expect("copy");
    }
    std::fs::copy(home.join("prep.sqlite"), copy.join("prep.sqlite")).expect("copy");
    copy
}

fn prep(home: &Path) -> Command {
    let mut command = Command::new(binary());
    command
        .env("PREP_HOME", home)
        .env("PREP_NOW", NOW)
        .env("PREP_CACHE", scratch().join("cache"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    command
}

fn run_stats(home: &Path) -> Child {
    prep(home).arg("stats").spawn().expect("spawn prep stats")
}

/// Starts a quiz and returns once its first card is on stdout; the quiz is
/// told to quit and handed back to be waited for.
fn first_card(home: &Path) -> Child {
    let mut child = prep(home)
        .arg("quiz")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn prep quiz");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let shown = lines
        .by_ref()
        .any(|line| line.expect("quiz output").starts_with("Q: "));
    assert!(shown, "prep quiz showed no card in {}", home.display());
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"q\n").expect("quit");
    drop(stdin);
    // Drain the rest so the quiz never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

/// A cram session over every card that answers `answers` of them (reveal,
/// Good) and quits.
fn cram(home: &Path, answers: usize) -> Child {
    let mut child = prep(home)
        .args(["quiz", "--cram"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn prep quiz --cram");
    let mut input = "\n3\n".repeat(answers);
    input.push_str("q\n");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("answers");
    drop(stdin);
    child
}

fn finish(mut child: Child) {
    let status = child.wait().expect("wait");
    assert!(status.success(), "prep failed: {status}");
}

/// The ids of the first deck's cards that have been reviewed, to grade one
/// after another.
fn card_ids(home: &Path) -> Vec<String> {
    let deck = prep::decks::deck::Deck::load(&home.join("decks/deck-00.yaml")).expect("deck-00");
    let store = prep::store::Store::open_existing(home)
        .expect("store")
        .expect("a store exists");
    deck.cards
        .into_iter()
        .map(|card| card.id)
        .filter(|id| store.card_state(id).expect("card state").is_some())
        .collect()
}

fn benches(c: &mut Criterion) {
    let homes: Vec<(usize, PathBuf)> = sizes()
        .into_iter()
        .map(|size| (size, collection(size)))
        .collect();
    // Fill the deck cache, as any earlier run of prep would have.
    for (_, home) in &homes {
        finish(run_stats(home));
    }

    let mut group = c.benchmark_group("stats");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (size, home) in &homes {
        group.bench_with_input(BenchmarkId::from_parameter(size), home, |b, home| {
            b.iter(|| finish(run_stats(home)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("first card");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (size, home) in &homes {
        // Timed to the first card only; each quiz is waited for before the
        // next starts, so that one quitting (its closing summary counts
        // what the limits kept out) does not share the cores with the next.
        group.bench_with_input(BenchmarkId::from_parameter(size), home, |b, home| {
            b.iter_custom(|runs| {
                let mut timed = Duration::ZERO;
                for _ in 0..runs {
                    let started = std::time::Instant::now();
                    let child = first_card(home);
                    timed += started.elapsed();
                    finish(child);
                }
                timed
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("one grade");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (size, home) in &homes {
        let copy = copy_for_grading(home);
        let ids = card_ids(&copy);
        let mut next = 0;
        group.bench_with_input(BenchmarkId::from_parameter(size), &copy, |b, copy| {
            b.iter(|| {
                let id = &ids[next % ids.len()];
                next += 1;
                finish(
                    prep(copy)
                        .args(["grade", id, "good"])
                        .spawn()
                        .expect("spawn prep grade"),
                )
            })
        });
        let _ = std::fs::remove_dir_all(&copy);
    }
    group.finish();

    imports(c);

    for (size, home) in &homes {
        let (few, many) = (
            measured_peak(home, "cram20"),
            measured_peak(home, "cram200"),
        );
        println!(
            "peak memory at {size} cards: prep stats {:.0} MB, prep quiz (first card, then quit) {:.0} MB; prep quiz --cram {:.0} MB after 20 answers, {:.0} MB after 200: {:.1} KB per answer",
            measured_peak(home, "stats") as f64 / 1e6,
            measured_peak(home, "quiz") as f64 / 1e6,
            few as f64 / 1e6,
            many as f64 / 1e6,
            many.saturating_sub(few) as f64 / 180.0 / 1e3
        );
    }
}

fn read_and_parse(path: &Path) -> usize {
    bare_parse::events(&std::fs::read_to_string(path).expect("document"))
}

fn imports(c: &mut Criterion) {
    let large = scratch().join(format!("generated-50mb-g{GENERATION}.md"));
    if !large.exists() {
        std::fs::write(&large, generate::large_document(50)).expect("large document");
    }
    let documents = [
        (
            "angular corpus document (229 KB)",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/corpus/toc-list-headings-angular.md"),
        ),
        ("generated document (50 MB)", large),
    ];
    let mut group = c.benchmark_group("import");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (name, path) in &documents {
        group.bench_with_input(BenchmarkId::new("bare parse", name), path, |b, path| {
            b.iter(|| read_and_parse(path))
        });
        let home = scratch().join("import-home");
        group.bench_with_input(BenchmarkId::new("prep import", name), path, |b, path| {
            b.iter(|| {
                let _ = std::fs::remove_dir_all(&home);
                finish(
                    prep(&home)
                        .arg("import")
                        .arg(path)
                        .spawn()
                        .expect("spawn prep import"),
                )
            })
        });
        let _ = std::fs::remove_dir_all(&home);
    }
    group.finish();
}

/// Set to `COMMAND HOME` in a re-run of this benchmark that only measures
/// the peak memory of one prep process.
const MEASURE_MEMORY: &str = "PREP_BENCH_MEASURE_MEMORY";

/// The peak memory of `prep COMMAND` in `home`, in bytes. A child's peak
/// as the kernel reports it includes the memory of the process that
/// spawned it, up to its exec; so the child is spawned from a fresh run of
/// this benchmark, which holds a few megabytes, not from this one, which
/// holds the generated collections.
fn measured_peak(home: &Path, command: &str) -> u64 {
    let output = Command::new(std::env::current_exe().expect("this benchmark"))
        .env(MEASURE_MEMORY, format!("{command} {}", home.display()))
        .stderr(Stdio::inherit())
        .output()
        .expect("re-run this benchmark");
    assert!(output.status.success(), "measuring memory failed");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a byte count")
}

/// The re-run of [`measured_peak`]: prints the peak in bytes.
fn measure_memory(request: &str) {
    let (command, home) = request.split_once(' ').expect("COMMAND HOME");
    let home = Path::new(home);
    let child = match command {
        "stats" => run_stats(home),
        "cram20" => cram(home, 20),
        "cram200" => cram(home, 200),
        _ => first_card(home),
    };
    println!("{}", peak_memory(child));
}

/// The peak resident memory of `child` in bytes, read from the kernel's
/// accounting when it is reaped.
#[cfg(target_os = "linux")]
fn peak_memory(child: Child) -> u64 {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; wait4 writes only
    // into the two locals it is given.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "prep failed"
    );
    // Linux reports kilobytes.
    usage.ru_maxrss as u64 * 1024
}

#[cfg(not(target_os = "linux"))]
fn peak_memory(child: Child) -> u64 {
    finish(child);
    0
}

criterion_group!(collection_benches, benches);

fn main() {
    if let Ok(request) = std::env::var(MEASURE_MEMORY) {
        measure_memory(&request);
        return;
    }
    collection_benches();
    Criterion::default().configure_from_args().final_summary();
}
