//! backend-tokio_mt: the Tokio backend on the multi-thread runtime, one worker per online CPU.
fn main() {
    std::process::exit(tokio_backend::backend_main(tokio_backend::Flavour::MultiThread));
}
