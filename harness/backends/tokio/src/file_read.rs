//! file-read through tokio::fs, as a Tokio user writes it. tokio::fs::File runs every operation on
//! the blocking pool (spawn_blocking) through its own buffer of at most 16 KiB, so a 64 KiB block
//! is four blocking reads, each a hand-off to a pool thread and back.
//!
//! Depth Q: Q reader tasks, each with its own tokio::fs::File (tokio::fs has no positional read,
//! and one File allows one operation at a time), share a cursor; each claims the next block, seeks
//! there when it is not already there, reads it, checksums it and claims the next. So up to Q
//! blocking reads are in flight on the pool.
//!
//! --direct: tokio::fs reads into its own heap buffer (not 4096-aligned), which O_DIRECT refuses,
//! so this backend exits 77 saying so rather than measuring something Tokio users cannot do.
use std::io::SeekFrom;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::checksum::Checksum;
use crate::cli::{FileReadOptions, EXIT_OK};
use crate::meter::FileMeter;
use crate::{error_text, fail, skip};

struct Cursor {
    next: AtomicU64,
    size: u64,
    block: u64,
}

async fn reader(mut file: tokio::fs::File, cursor: Arc<Cursor>) -> std::io::Result<(Checksum, u64)> {
    let mut buf = vec![0u8; cursor.block as usize];
    let (mut checksum, mut bytes, mut position) = (Checksum::default(), 0u64, 0u64);
    loop {
        let offset = cursor.next.fetch_add(cursor.block, Relaxed);
        if offset >= cursor.size {
            return Ok((checksum, bytes));
        }
        let want = cursor.block.min(cursor.size - offset) as usize;
        if position != offset {
            file.seek(SeekFrom::Start(offset)).await?;
        }
        let mut got = 0;
        while got < want {
            match file.read(&mut buf[got..want]).await? {
                0 => break, // the file shrank under us
                n => got += n,
            }
        }
        checksum.add(offset, &buf[..got]);
        bytes += got as u64;
        position = offset + got as u64;
        if got < want {
            return Ok((checksum, bytes));
        }
    }
}

pub async fn file_read(name: &str, o: FileReadOptions) -> i32 {
    if o.direct {
        return skip(
            name,
            "O_DIRECT through tokio::fs is not possible: tokio::fs::File reads into its own heap buffer, which is not 4096-aligned",
        );
    }
    let meter = FileMeter::start();
    let first = match tokio::fs::File::open(&o.path).await {
        Ok(f) => f,
        Err(e) => return fail(name, &format!("open {}: {}", o.path, error_text(&e))),
    };
    let size = match first.metadata().await {
        Ok(m) => m.len(),
        Err(e) => return fail(name, &format!("stat {}: {}", o.path, error_text(&e))),
    };
    let cursor = Arc::new(Cursor { next: AtomicU64::new(0), size, block: o.block as u64 });
    let mut readers = Vec::with_capacity(o.depth);
    let mut first = Some(first);
    for _ in 0..o.depth {
        let file = match first.take() {
            Some(f) => f,
            None => match tokio::fs::File::open(&o.path).await {
                Ok(f) => f,
                Err(e) => return fail(name, &format!("open {}: {}", o.path, error_text(&e))),
            },
        };
        readers.push(tokio::spawn(reader(file, cursor.clone())));
    }
    let (mut checksum, mut bytes) = (Checksum::default(), 0u64);
    for r in readers {
        match r.await {
            Ok(Ok((c, n))) => {
                checksum.merge(&c);
                bytes += n;
            }
            Ok(Err(e)) => return fail(name, &format!("read {}: {}", o.path, error_text(&e))),
            Err(e) => return fail(name, &format!("reader task: {}", e)),
        }
    }
    meter
        .finish(name, "file-read", bytes)
        .str("checksum", &format!("{:016x}", checksum.value()))
        .uint("block", o.block as u64)
        .uint("depth", o.depth as u64)
        .print();
    EXIT_OK
}
