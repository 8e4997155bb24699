//! How long `prep quiz` takes to show its first card, as a whole process:
//! from spawning it to reading the first `Q: ` line of the line protocol
//! (the same session start the terminal reviewer makes before its first
//! frame). Prints the median, fastest and slowest of RUNS runs.
//!
//! ```sh
//! cargo build --release --examples
//! target/release/examples/generate /tmp/prep-10k 10000
//! target/release/examples/first_card target/release/prep /tmp/prep-10k 40
//! ```
//!
//! The clock is fixed at 2026-01-05T09:00:00Z, the day after the
//! generator's history ends; the session is quit at once (`q`), so the
//! collection is left as it was.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: first_card PREP_BINARY HOME [RUNS]";
    let binary = args.next().ok_or(usage)?;
    let home = args.next().ok_or(usage)?;
    let runs: usize = args.next().map_or(Ok(20), |text| text.parse())?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .arg("quiz")
            .env("PREP_HOME", &home)
            .env("PREP_NOW", "2026-01-05T09:00:00Z")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = false;
        for line in lines.by_ref() {
            if line?.starts_with("Q: ") {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                seen = true;
                break;
            }
        }
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(b"q\n");
        }
        for line in lines {
            line?;
        }
        child.wait()?;
        if !seen {
            return Err("prep showed no card: is anything due or new in that home?".into());
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "first card: median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms over {runs} runs",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    Ok(())
}
