//! Group commit: callers queue votes; a writer task takes everything that
//! is waiting (up to [`MAX_BATCH`]), writes it in **one** transaction, and
//! answers each caller only after that transaction has committed.
//!
//! Batches form by themselves: while one commit is being made durable, new
//! votes queue up, and the next transaction takes them all. A lone vote is
//! written at once (no timer adds latency when traffic is light); under load
//! one fsync covers hundreds of votes. SQLite runs one writer (it allows one
//! at a time anyway); PostgreSQL runs a few, so network round trips overlap.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::{NewVote, Recorded, Result, StoreError};

/// Most votes in one transaction.
pub const MAX_BATCH: usize = 512;

/// Votes waiting for a writer before callers wait to queue (back-pressure).
const QUEUE: usize = 8192;

/// Writes one batch in one transaction.
pub trait BatchWriter: Send + 'static {
    /// One entry per vote, in order: `Some` when it was stored, `None`
    /// when that reader had already voted on that comparison that day.
    /// An error means nothing in the batch was committed.
    fn write(
        &mut self,
        votes: &[NewVote],
    ) -> impl Future<Output = Result<Vec<Option<Recorded>>>> + Send;
}

struct Pending {
    vote: NewVote,
    reply: oneshot::Sender<Result<Recorded>>,
}

pub struct Batcher {
    tx: Mutex<Option<mpsc::Sender<Pending>>>,
    tasks: tokio::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for Batcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batcher").finish_non_exhaustive()
    }
}

impl Batcher {
    /// Starts one task per writer on the current Tokio runtime.
    pub fn start<W: BatchWriter>(writers: Vec<W>) -> Batcher {
        let (tx, rx) = mpsc::channel::<Pending>(QUEUE);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let tasks = writers
            .into_iter()
            .map(|w| tokio::spawn(run(w, rx.clone())))
            .collect();
        Batcher {
            tx: Mutex::new(Some(tx)),
            tasks: tokio::sync::Mutex::new(tasks),
        }
    }

    /// Queues `vote` and waits until it is committed (or refused).
    pub async fn submit(&self, vote: NewVote) -> Result<Recorded> {
        let tx = self
            .tx
            .lock()
            .map_err(|_| StoreError::Other("the vote writer panicked".into()))?
            .clone()
            .ok_or_else(|| StoreError::Unavailable("the vote store is closing".into()))?;
        let (reply, answer) = oneshot::channel();
        tx.send(Pending { vote, reply })
            .await
            .map_err(|_| StoreError::Unavailable("the vote writer has stopped".into()))?;
        drop(tx);
        answer.await.map_err(|_| {
            StoreError::Unavailable("the vote writer stopped before answering".into())
        })?
    }

    /// Stops taking votes, finishes the queued ones, and waits for the
    /// writers to exit.
    pub async fn close(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let tasks = std::mem::take(&mut *self.tasks.lock().await);
        for t in tasks {
            let _ = t.await;
        }
    }
}

async fn run<W: BatchWriter>(mut writer: W, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Pending>>>) {
    let mut votes = Vec::with_capacity(MAX_BATCH);
    let mut replies = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else {
                return;
            };
            votes.push(first.vote);
            replies.push(first.reply);
            while votes.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(p) => {
                        votes.push(p.vote);
                        replies.push(p.reply);
                    }
                    Err(_) => break,
                }
            }
        }
        let outcome = writer.write(&votes).await;
        tracing::debug!(
            batch = votes.len(),
            ok = outcome.is_ok(),
            "vote batch committed"
        );
        match outcome {
            Ok(ids) => {
                for ((reply, id), vote) in replies.drain(..).zip(ids).zip(&votes) {
                    let answer = id.ok_or_else(|| {
                        StoreError::Conflict(format!(
                            "this reader already voted on `{}` today",
                            vote.comparison
                        ))
                    });
                    // The caller may have gone away; the vote stays committed.
                    let _ = reply.send(answer);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, batch = votes.len(), "vote batch failed; nothing in it was stored");
                for reply in replies.drain(..) {
                    let _ = reply.send(Err(e.clone()));
                }
            }
        }
        votes.clear();
        replies.clear();
    }
}
