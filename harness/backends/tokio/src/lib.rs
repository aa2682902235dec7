//! The Tokio backend behind the harness contract (harness/README.md). Two executables share it:
//! backend-tokio_ct (current-thread runtime) and backend-tokio_mt (multi-thread runtime, one
//! worker per core). Everything a C++ backend gets from bench::common is reproduced here: the
//! command line (cli), the JSON lines (json), the kernel-counted syscalls and CPU time (counters),
//! the checksum (checksum) and proto::HttpSession (http).
pub mod checksum;
pub mod cli;
pub mod counters;
pub mod http;
pub mod json;

mod copy_chain;
mod file_read;
mod meter;
mod serve;

use cli::{Command, EXIT_FAILURE, EXIT_OK, EXIT_SKIP, EXIT_USAGE};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    CurrentThread,
    MultiThread,
}

impl Flavour {
    pub fn name(self) -> &'static str {
        match self {
            Flavour::CurrentThread => "tokio_ct",
            Flavour::MultiThread => "tokio_mt",
        }
    }

    fn runtime(self) -> std::io::Result<tokio::runtime::Runtime> {
        match self {
            Flavour::CurrentThread => tokio::runtime::Builder::new_current_thread().enable_all().build(),
            // The machine's cores, not this thread's affinity mask: the runner pins the server to
            // one CPU, and Tokio's default (available_parallelism) would then start one worker.
            Flavour::MultiThread => tokio::runtime::Builder::new_multi_thread().worker_threads(online_cpus()).enable_all().build(),
        }
    }
}

fn online_cpus() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n > 0 {
        n as usize
    } else {
        1
    }
}

/// Prints {"backend":..,"skip":reason} and returns 77.
pub(crate) fn skip(backend: &str, reason: &str) -> i32 {
    json::JsonLine::new().str("backend", backend).str("skip", reason).print();
    EXIT_SKIP
}

/// Prints "<backend>: <reason>" to stderr and returns 1.
pub(crate) fn fail(backend: &str, reason: &str) -> i32 {
    eprintln!("{}: {}", backend, reason);
    EXIT_FAILURE
}

/// An I/O error as the C++ backends print it (strerror), without Rust's " (os error N)".
pub(crate) fn error_text(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        // SAFETY: strerror returns a NUL-terminated static string for any errno value.
        Some(n) => unsafe { std::ffi::CStr::from_ptr(libc::strerror(n)) }.to_string_lossy().into_owned(),
        None => e.to_string(),
    }
}

/// The backend's main: parses the contract's command line and runs the command on a runtime of
/// the given flavour. Returns the process exit code.
pub fn backend_main(flavour: Flavour) -> i32 {
    let name = flavour.name();
    // SAFETY: a peer that closes early must give EPIPE as a value, not kill the server.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    counters::open_process_syscalls(); // before any runtime thread exists, so that all are counted
    let argv: Vec<String> = std::env::args().collect();
    let command = match cli::parse(&argv) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{}: {} (see --help)", name, msg);
            return EXIT_USAGE;
        }
    };
    if let Command::Help = command {
        print!("{}", cli::usage(&argv[0]));
        return EXIT_OK;
    }
    let rt = match flavour.runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(name, &format!("tokio runtime: {}", e)),
    };
    let code = match command {
        Command::Serve(o) => rt.block_on(serve::serve(name, o)),
        Command::FileRead(o) => rt.block_on(file_read::file_read(name, o)),
        Command::CopyChain(o) => rt.block_on(copy_chain::copy_chain(name, o)),
        Command::Help => EXIT_OK,
    };
    // Connections still open and blocking-pool threads are not waited for: the result line is out.
    rt.shutdown_background();
    code
}
