// The server allocates a few short-lived buffers per request on several threads; mimalloc's
// thread-local free lists cut the allocator's share of a decision's CPU time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(openleash::run())
}
