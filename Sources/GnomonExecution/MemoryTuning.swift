import CGnomonSpawn

/// glibc malloc settings for the `gnomon` process, which allocates in bursts on several threads.
///
/// By default a heap grows and shrinks 128 KiB at a time: a 1,000-task run spent about a tenth of
/// its start in `mprotect` growing heaps page by page, and gave memory back between bursts only
/// to take it again (Docs/performance.md). Growing in 16 MiB steps and keeping up to 64 MiB of
/// freed memory costs no resident memory until it is touched.
public enum MemoryTuning {
    /// Call once, first thing in `main`.
    public static func apply() {
        gnomon_tune_malloc(16 << 20, 64 << 20)
    }
}
