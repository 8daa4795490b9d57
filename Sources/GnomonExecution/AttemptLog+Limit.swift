import Dispatch
import Glibc
import GnomonCore

extension AttemptLog {
    /// The line that stands where a log's middle was dropped, e.g.
    /// `gnomon: log_limit 1MiB reached: 1072693248 bytes dropped here`.
    public static func droppedLine(_ bytes: Int64, limit: Int64?) -> String {
        let reached = limit.map { " \(ByteSize.format($0))" } ?? ""
        return "gnomon: log_limit\(reached) reached: \(bytes) bytes dropped here\n"
    }

    /// Rewrites the log at `path`, once nothing writes to it any more, as its first
    /// `limit.headBytes`, the line saying how much was dropped, and its last `limit.tailBytes`.
    ///
    /// The new log is written beside it (`PATH.compacting`), flushed to disk and renamed over it,
    /// so after a crash the log is either the whole sparse file or the compacted one. Runs on a
    /// Dispatch queue, never on the process loop (it copies up to `limit.bytes`).
    static func compact(_ path: String, limit: LogLimit) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                compactNow(path, limit: limit)
                done.resume()
            }
        }
    }

    static func compactNow(_ path: String, limit: LogLimit) {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { return }
        let size = Int64(info.st_size)
        guard size > limit.bytes else { return }
        let temporary = path + ".compacting"
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { return }
        let head = limit.headBytes, tail = limit.tailBytes
        var ok = copy(input, from: 0, count: head, to: output)
        var lastByte: UInt8 = 0
        let endsLine = head == 0 || (pread(input, &lastByte, 1, off_t(head - 1)) == 1 && lastByte == 10)
        let line = (endsLine ? "" : "\n") + droppedLine(size - head - tail, limit: limit.bytes)
        ok = ok && DescriptorText.writeAll(line, to: output)
        ok = ok && copy(input, from: size - tail, count: tail, to: output)
        ok = ok && fsync(output) == 0
        close(output)
        // A copy that failed (a full disk) leaves the sparse log as it was: it is still bounded.
        if !ok || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Copies `count` bytes at `offset` of `input` to the end of `output`.
    private static func copy(_ input: Int32, from offset: Int64, count: Int64, to output: Int32) -> Bool {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < count {
            let want = Int(min(Int64(chunk), count - done))
            let got = pread(input, buffer, want, off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return false }
            var written = 0
            while written < got {
                let put = write(output, buffer + written, got - written)
                if put < 0 && errno == EINTR { continue }
                guard put > 0 else { return false }
                written += put
            }
            done += Int64(got)
        }
        return true
    }
}
