//! copy-chain through tokio::fs: `n = src.read(&mut buf)`, then `dst.write_all(&buf[..n])`, the
//! loop a Tokio user writes. Each is a blocking-pool operation of at most 16 KiB (tokio::fs's own
//! buffer), so a 64 KiB chunk comes back as a 16 KiB read, and `chunks` counts the read/write
//! pairs that really happened. tokio::fs::File writes behind: flush() waits for the last write
//! and reports its error.
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::cli::{CopyChainOptions, EXIT_OK};
use crate::{error_text, fail};
use crate::meter::FileMeter;

pub async fn copy_chain(name: &str, o: CopyChainOptions) -> i32 {
    let mut buf = vec![0u8; o.chunk];
    let meter = FileMeter::start();
    let mut src = match tokio::fs::File::open(&o.src).await {
        Ok(f) => f,
        Err(e) => return fail(name, &format!("open {}: {}", o.src, error_text(&e))),
    };
    let mut dst = match tokio::fs::File::create(&o.dst).await {
        Ok(f) => f,
        Err(e) => return fail(name, &format!("open {}: {}", o.dst, error_text(&e))),
    };
    let (mut bytes, mut chunks) = (0u64, 0u64);
    loop {
        let n = match src.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return fail(name, &format!("read {}: {}", o.src, error_text(&e))),
        };
        chunks += 1;
        if let Err(e) = dst.write_all(&buf[..n]).await {
            return fail(name, &format!("write {}: {}", o.dst, error_text(&e)));
        }
        bytes += n as u64;
    }
    if let Err(e) = dst.flush().await {
        return fail(name, &format!("write {}: {}", o.dst, error_text(&e)));
    }
    drop(dst); // nothing in flight after flush: closes here, inside the timed region
    meter.finish(name, "copy-chain", bytes).uint("chunks", chunks).print();
    EXIT_OK
}
