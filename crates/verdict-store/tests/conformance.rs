//! One conformance suite, run against every backend: a SQLite file in a temp
//! dir, and PostgreSQL at `$VERDICT_TEST_DATABASE_URL` with a fresh schema
//! per test. Without that variable the PostgreSQL half prints SKIPPED.

use std::sync::Arc;

use verdict_store::testing::{PgSchema, postgres_url_or_skip};
use verdict_store::{Choice, ListFilter, NewVote, Open, Settings, StoreError, VoteStore};

/// One database for one test, which can be opened more than once (two
/// servers, or a restart).
struct Harness {
    settings: Settings,
    _dir: Option<tempfile::TempDir>,
    schema: Option<PgSchema>,
}

impl Harness {
    fn sqlite() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::Sqlite {
            path: dir.path().join("votes.db"),
        };
        Harness {
            settings,
            _dir: Some(dir),
            schema: None,
        }
    }

    async fn postgres(url: &str) -> Harness {
        let schema = PgSchema::create(url).await.unwrap();
        let settings = Settings::Postgres { url: schema.url() };
        Harness {
            settings,
            _dir: None,
            schema: Some(schema),
        }
    }

    async fn open(&self) -> Arc<dyn VoteStore> {
        verdict_store::open(&self.settings, Open::CreateIfMissing)
            .await
            .unwrap()
    }

    async fn finish(self) {
        if let Some(s) = self.schema {
            s.drop_schema().await.unwrap();
        }
    }
}

fn at(day: &str) -> jiff::Timestamp {
    format!("{day}T12:00:00Z").parse().unwrap()
}

fn vote(comparison: &str, choice: Choice, reader: Option<&str>, day: &str) -> NewVote {
    NewVote {
        comparison: comparison.to_owned(),
        choice,
        would_pick: None,
        reason: None,
        reader: reader.map(|r| r.as_bytes().to_vec()),
        at: at(day),
    }
}

const DAY: &str = "2026-05-04";

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = super::Harness::sqlite();
                    super::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(url) = super::postgres_url_or_skip(concat!("conformance::postgres::", stringify!($name))) else {
                        return;
                    };
                    let h = super::Harness::postgres(&url).await;
                    super::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
    };
}

conformance!(
    records_and_tallies,
    one_vote_per_reader_per_comparison_per_day,
    concurrent_duplicates_store_exactly_one,
    lists_newest_first_with_filters,
    hidden_reasons_leave_public_lists_but_still_count,
    reasons_come_back_exactly_as_written,
    tallies_cover_every_comparison_with_votes,
    daily_salts_are_shared_and_rotate,
    votes_survive_a_reopen,
    two_stores_on_one_database_agree,
    health_answers,
);

async fn records_and_tallies(h: &Harness) {
    let store = h.open().await;
    let mut v = vote("go-vs-rust", Choice::Agree, Some("a"), DAY);
    v.would_pick = Some("rust".into());
    let first = store.record(v).await.unwrap();
    assert_eq!(
        (first.tally.agree, first.tally.disagree),
        (1, 0),
        "the counts as of the commit"
    );
    let mut v = vote("go-vs-rust", Choice::Disagree, Some("b"), DAY);
    v.would_pick = Some("go".into());
    let second = store.record(v).await.unwrap();
    assert_eq!((second.tally.agree, second.tally.disagree), (1, 1));
    let mut v = vote("go-vs-rust", Choice::Agree, Some("c"), DAY);
    v.would_pick = Some("rust".into());
    store.record(v).await.unwrap();
    let (first, second) = (first.id, second.id);
    assert!(second > first, "ids grow: {first} then {second}");

    let t = store.tally("go-vs-rust").await.unwrap();
    assert_eq!((t.agree, t.disagree, t.total()), (2, 1, 3));
    assert_eq!(t.picks, vec![("rust".to_owned(), 2), ("go".to_owned(), 1)]);
    assert_eq!(t.agree_percent(), Some(67));
    let none = store.tally("angular-vs-react").await.unwrap();
    assert_eq!((none.total(), none.picks.len()), (0, 0));
    store.close().await;
}

async fn one_vote_per_reader_per_comparison_per_day(h: &Harness) {
    let store = h.open().await;
    store
        .record(vote("go-vs-rust", Choice::Agree, Some("r1"), DAY))
        .await
        .unwrap();
    let again = store
        .record(vote("go-vs-rust", Choice::Disagree, Some("r1"), DAY))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    // Another comparison, another day, another reader: all fine.
    store
        .record(vote("angular-vs-react", Choice::Agree, Some("r1"), DAY))
        .await
        .unwrap();
    store
        .record(vote("go-vs-rust", Choice::Agree, Some("r1"), "2026-05-05"))
        .await
        .unwrap();
    store
        .record(vote("go-vs-rust", Choice::Agree, Some("r2"), DAY))
        .await
        .unwrap();
    // Without a reader hash there is no limit.
    store
        .record(vote("go-vs-rust", Choice::Disagree, None, DAY))
        .await
        .unwrap();
    store
        .record(vote("go-vs-rust", Choice::Disagree, None, DAY))
        .await
        .unwrap();

    let t = store.tally("go-vs-rust").await.unwrap();
    assert_eq!(
        (t.agree, t.disagree),
        (3, 2),
        "the refused vote is not counted"
    );
    let listed = store
        .list(&ListFilter {
            comparison: Some("go-vs-rust".into()),
            ..ListFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 5);
    store.close().await;
}

async fn concurrent_duplicates_store_exactly_one(h: &Harness) {
    let store = h.open().await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let reader = format!("reader-{}", i % 50);
            let choice = if i % 3 == 0 {
                Choice::Disagree
            } else {
                Choice::Agree
            };
            store
                .record(vote("go-vs-rust", choice, Some(&reader), DAY))
                .await
        }));
    }
    let mut stored = 0;
    let mut refused = 0;
    let mut highest = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(r) => {
                stored += 1;
                highest = highest.max(r.tally.total());
            }
            Err(StoreError::Conflict(_)) => refused += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!((stored, refused), (50, 150));
    assert_eq!(highest, 50, "the last commit reports every stored vote");
    let t = store.tally("go-vs-rust").await.unwrap();
    assert_eq!(t.total(), 50, "the tally counts exactly the stored votes");
    let listed = store
        .list(&ListFilter {
            limit: 1000,
            ..ListFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 50);
    store.close().await;
}

async fn lists_newest_first_with_filters(h: &Harness) {
    let store = h.open().await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let comparison = if i % 2 == 0 {
            "go-vs-rust"
        } else {
            "angular-vs-react"
        };
        let mut v = vote(comparison, Choice::Agree, None, DAY);
        v.reason = (i < 4).then(|| format!("reason {i}"));
        ids.push(store.record(v).await.unwrap().id);
    }
    let all = store.list(&ListFilter::default()).await.unwrap();
    let got: Vec<i64> = all.iter().map(|v| v.id).collect();
    let mut want = ids.clone();
    want.reverse();
    assert_eq!(got, want, "newest first");
    assert_eq!(all[0].day, DAY);
    assert_eq!(all[0].created_at, at(DAY).as_second());

    let go = store
        .list(&ListFilter {
            comparison: Some("go-vs-rust".into()),
            ..ListFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        go.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![ids[4], ids[2], ids[0]]
    );

    let reasons = store
        .list(&ListFilter {
            with_reason: true,
            ..ListFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        reasons.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![ids[3], ids[2], ids[1], ids[0]]
    );

    let page = store
        .list(&ListFilter {
            before: Some(ids[3]),
            limit: 2,
            ..ListFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|v| v.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );
    store.close().await;
}

async fn hidden_reasons_leave_public_lists_but_still_count(h: &Harness) {
    let store = h.open().await;
    let mut v = vote("go-vs-rust", Choice::Disagree, None, DAY);
    v.reason = Some("buy cheap watches".into());
    let spam = store.record(v).await.unwrap().id;
    let mut v = vote("go-vs-rust", Choice::Agree, None, DAY);
    v.reason = Some("fair pick".into());
    store.record(v).await.unwrap();

    store.hide(spam).await.unwrap();
    store.hide(spam).await.unwrap();
    let public = ListFilter {
        include_hidden: false,
        with_reason: true,
        ..ListFilter::default()
    };
    let shown = store.list(&public).await.unwrap();
    assert_eq!(
        shown
            .iter()
            .map(|v| v.reason.as_deref().unwrap())
            .collect::<Vec<_>>(),
        vec!["fair pick"]
    );
    let all = store.list(&ListFilter::default()).await.unwrap();
    assert!(
        all.iter().any(|v| v.id == spam && v.hidden),
        "moderators still see it, marked hidden"
    );
    let t = store.tally("go-vs-rust").await.unwrap();
    assert_eq!((t.agree, t.disagree), (1, 1));

    let missing = store.hide(spam + 1000).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    store.close().await;
}

async fn reasons_come_back_exactly_as_written(h: &Harness) {
    let store = h.open().await;
    let text = "<script>alert(\"x\")</script> & 'quotes' — ünïcødé 🦀\nsecond line\t";
    let mut v = vote("go-vs-rust", Choice::Disagree, None, DAY);
    v.reason = Some(text.into());
    v.would_pick = Some("go".into());
    store.record(v).await.unwrap();
    let got = store.list(&ListFilter::default()).await.unwrap();
    assert_eq!(got[0].reason.as_deref(), Some(text));
    assert_eq!(got[0].would_pick.as_deref(), Some("go"));
    assert_eq!(got[0].choice, Choice::Disagree);
    store.close().await;
}

async fn tallies_cover_every_comparison_with_votes(h: &Harness) {
    let store = h.open().await;
    for i in 0..5 {
        store
            .record(vote(
                "go-vs-rust",
                Choice::Disagree,
                Some(&format!("g{i}")),
                DAY,
            ))
            .await
            .unwrap();
    }
    store
        .record(vote("angular-vs-react", Choice::Agree, Some("x"), DAY))
        .await
        .unwrap();
    let all = store.tallies().await.unwrap();
    let summary: Vec<(&str, u64, u64)> = all
        .iter()
        .map(|(c, t)| (c.as_str(), t.agree, t.disagree))
        .collect();
    assert_eq!(
        summary,
        vec![("angular-vs-react", 1, 0), ("go-vs-rust", 0, 5)]
    );
    store.close().await;
}

async fn daily_salts_are_shared_and_rotate(h: &Harness) {
    let store = h.open().await;
    let d1 = store.daily_salt("2026-05-01").await.unwrap();
    assert_eq!(
        store.daily_salt("2026-05-01").await.unwrap(),
        d1,
        "stable within a day"
    );
    let other = h.open().await;
    assert_eq!(
        other.daily_salt("2026-05-01").await.unwrap(),
        d1,
        "shared by every server"
    );
    let d2 = store.daily_salt("2026-05-02").await.unwrap();
    assert_ne!(d1, d2);
    assert_ne!(d1, [0u8; 32]);
    // Two days on, the first day's salt is gone for good: asking for it
    // again makes a new one, so old reader hashes can never be recomputed.
    store.daily_salt("2026-05-03").await.unwrap();
    assert_eq!(
        store.daily_salt("2026-05-02").await.unwrap(),
        d2,
        "yesterday's salt is kept"
    );
    assert_ne!(store.daily_salt("2026-05-01").await.unwrap(), d1);
    other.close().await;
    store.close().await;
}

async fn votes_survive_a_reopen(h: &Harness) {
    let store = h.open().await;
    let id = store
        .record(vote("go-vs-rust", Choice::Agree, Some("a"), DAY))
        .await
        .unwrap()
        .id;
    store.close().await;
    drop(store);
    // Opening again re-runs migrations (a no-op) and finds the vote.
    let store = h.open().await;
    let listed = store.list(&ListFilter::default()).await.unwrap();
    assert_eq!(listed.iter().map(|v| v.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(store.tally("go-vs-rust").await.unwrap().agree, 1);
    let again = store
        .record(vote("go-vs-rust", Choice::Agree, Some("a"), DAY))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(_))),
        "the limit holds across restarts: {again:?}"
    );
    store.close().await;
}

async fn two_stores_on_one_database_agree(h: &Harness) {
    let a = h.open().await;
    let b = h.open().await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            let choice = if i % 4 == 0 {
                Choice::Disagree
            } else {
                Choice::Agree
            };
            store
                .record(vote("go-vs-rust", choice, Some(&format!("r{i}")), DAY))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // The same reader through the other server is still one reader.
    a.record(vote("go-vs-rust", Choice::Agree, Some("same"), DAY))
        .await
        .unwrap();
    let dup = b
        .record(vote("go-vs-rust", Choice::Agree, Some("same"), DAY))
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    let ta = a.tally("go-vs-rust").await.unwrap();
    let tb = b.tally("go-vs-rust").await.unwrap();
    assert_eq!(ta, tb);
    assert_eq!((ta.agree, ta.disagree), (76, 25));
    a.close().await;
    b.close().await;
}

async fn health_answers(h: &Harness) {
    let store = h.open().await;
    store.health().await.unwrap();
    store.close().await;
    let after = store
        .record(vote("go-vs-rust", Choice::Agree, None, DAY))
        .await;
    assert!(
        matches!(after, Err(StoreError::Unavailable(_))),
        "a closed store refuses votes: {after:?}"
    );
}

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("votes.db");
    let missing =
        verdict_store::open(&Settings::Sqlite { path: path.clone() }, Open::MustExist).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    assert!(!path.exists(), "MustExist does not create the file");

    let store = verdict_store::open(
        &Settings::Sqlite { path: path.clone() },
        Open::CreateIfMissing,
    )
    .await
    .unwrap();
    store
        .record(vote("go-vs-rust", Choice::Agree, None, DAY))
        .await
        .unwrap();
    assert!(path.exists());
    assert!(
        dir.path().join("nested").join("votes.db-wal").exists(),
        "WAL mode keeps a -wal file beside the database"
    );
    store.close().await;
}

#[tokio::test]
async fn postgres_connection_errors_hide_the_password() {
    // Nothing listens on port 1: the error must name the server, not the password.
    let settings = Settings::parse("postgres://verdict:hunter2@127.0.0.1:1/votes").unwrap();
    let err = verdict_store::open(&settings, Open::CreateIfMissing)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Unavailable(_)), "{text}");
    assert!(text.contains("verdict:***@127.0.0.1:1"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}
