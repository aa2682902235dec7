//! backend-tokio_ct: the Tokio backend on the current-thread runtime (one thread runs every task;
//! tokio::fs still hands file I/O to the blocking pool).
fn main() {
    std::process::exit(tokio_backend::backend_main(tokio_backend::Flavour::CurrentThread));
}
