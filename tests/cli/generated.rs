//! The collection generator of the benchmarks: loading its history into
//! the empty store in one pass (`Store::load_history`) makes the same
//! store and the same log as appending the reviews through
//! `Store::append`, and the home passes `prep check`.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::util::Home;

#[path = "../../benches/support/generate.rs"]
#[allow(dead_code)]
mod generate;

/// The rows of `sql`, each as its values, with the device id written as
/// `DEVICE` wherever a text holds it.
fn rows(db: &Connection, device: &str, sql: &str) -> Vec<Vec<Value>> {
    let mut statement = db.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            (0..columns)
                .map(|index| {
                    Ok(match row.get::<_, Value>(index)? {
                        Value::Text(text) => Value::Text(text.replace(device, "DEVICE")),
                        value => value,
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Everything a home's store and log hold, but the row ids of reviews
/// (which only order each card's reviews) and the device id (random).
fn contents(home: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let db = Connection::open(home.join("prep.sqlite")).unwrap();
    let device: String = db
        .query_row("SELECT value FROM meta WHERE key = 'device'", [], |row| {
            row.get(0)
        })
        .unwrap();
    let mut found: Vec<(String, Vec<Vec<Value>>)> = [
        "SELECT * FROM card ORDER BY id",
        "SELECT card_id, deck, reviewed_at, grade, elapsed_days, answer_ms, phase_before,
                phase, step, stability, difficulty, due, interval_days, reps, lapses,
                device, seq, after, logged
         FROM review ORDER BY seq",
        // Each card's reviews in the order of their row ids, as replay
        // and undo read them.
        "SELECT card_id, seq FROM review ORDER BY card_id, id",
        "SELECT * FROM setup ORDER BY seq",
        "SELECT * FROM sync_source",
        "SELECT * FROM card_change",
        "SELECT * FROM buried",
        "SELECT * FROM suspended",
        "SELECT * FROM marked",
        "SELECT * FROM forgotten",
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
    ]
    .iter()
    .map(|sql| (sql.to_string(), rows(&db, &device, sql)))
    .collect();
    let mut segments = Vec::new();
    collect_files(&home.join("sync").join(&device), &mut segments);
    segments.sort();
    let log: Vec<Vec<Value>> = segments
        .iter()
        .map(|path| {
            vec![
                Value::Text(
                    path.strip_prefix(home)
                        .unwrap()
                        .display()
                        .to_string()
                        .replace(&device, "DEVICE"),
                ),
                Value::Text(
                    std::fs::read_to_string(path)
                        .unwrap()
                        .replace(&device, "DEVICE"),
                ),
            ]
        })
        .collect();
    found.push(("log".to_string(), log));
    found
}

fn collect_files(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}

#[test]
fn a_history_loaded_in_one_pass_is_the_history_appended() {
    let (bulk, appended) = (Home::new(), Home::new());
    let cards = 300;
    let made =
        generate::collection_written(bulk.path(), cards, 200, generate::Writing::Bulk).unwrap();
    generate::collection_written(appended.path(), cards, 200, generate::Writing::Append).unwrap();
    assert_eq!(made.cards, cards);
    assert!(made.reviews > 5 * cards, "{} reviews", made.reviews);

    let (bulk_contents, appended_contents) = (contents(bulk.path()), contents(appended.path()));
    assert_eq!(bulk_contents[1].1.len(), made.reviews);
    assert!(
        bulk_contents.last().unwrap().1.len() > 3,
        "the log has several segments"
    );
    for ((what, bulk_rows), (_, appended_rows)) in bulk_contents.iter().zip(&appended_contents) {
        assert!(bulk_rows == appended_rows, "{what} differs");
    }

    bulk.prep()
        .arg("check")
        .stdout_contains("integrity ok")
        .run();
}
