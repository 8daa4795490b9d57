import Glibc

/// Sends `signal` to every process of the group `pgid` (`kill(-pgid, signal)`).
///
/// - Returns: `true` if at least one process received it, `false` if the group no longer
///   exists (ESRCH) or may not be signalled (EPERM).
@discardableResult
public func killProcessGroup(_ pgid: Int32, signal: Int32) -> Bool {
    // kill(-1) would signal every process we may signal, and kill(0) our own group.
    precondition(pgid > 1, "refusing to signal process group \(pgid): it must be above 1")
    return kill(-pgid, signal) == 0
}

/// Whether any process of the group `pgid` still exists (zombies count until reaped).
///
/// For crash recovery: a group recorded by a runner that died can be checked, then killed.
/// Process ids are reused, so pair this with a check of what the group runs where it matters.
public func isProcessGroupAlive(_ pgid: Int32) -> Bool {
    guard pgid > 1 else { return false }
    if kill(-pgid, 0) == 0 { return true }
    // EPERM: the group exists but belongs to someone else.
    return errno == EPERM
}
