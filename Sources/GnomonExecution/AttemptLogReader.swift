import CGnomonSpawn
import Glibc

/// Reads an attempt's log as it grows, also while its middle is being dropped (see ``LogWatch``):
/// where the file has a hole, the reader gives the line saying how many bytes were dropped.
public final class AttemptLogReader {
    /// What one read found.
    public enum Chunk: Equatable, Sendable {
        /// Bytes of the log.
        case bytes([UInt8])
        /// The log's middle was dropped here; the text is the line that stands for it.
        case dropped(String)
    }

    private let descriptor: Int32
    /// Where the next read starts.
    public private(set) var offset: Int64 = 0

    /// Opens the log at `path`; `nil` when it cannot be opened.
    public init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The next chunk of at most `limit` bytes; `nil` when nothing more is there yet.
    public func next(limit: Int = 1 << 20) -> Chunk? {
        let data = gnomon_seek_data(descriptor, offset)
        if data > offset {
            let line = AttemptLog.droppedLine(data - offset, limit: nil)
            offset = data
            return .dropped(line)
        }
        if data < 0 && errno == ENXIO {
            // No data after `offset`: the end, or a hole still growing at the end (not seen, as
            // the tail always follows the hole); nothing to read now.
            return nil
        }
        // Read up to the next hole only: a read runs through a hole as zeros.
        let hole = gnomon_seek_hole(descriptor, offset)
        let want = hole > offset ? Int(min(Int64(limit), hole - offset)) : limit
        var buffer = [UInt8](repeating: 0, count: want)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, want, off_t(offset)) }
        guard count > 0 else { return nil }
        offset += Int64(count)
        buffer.removeSubrange(count...)
        return .bytes(buffer)
    }
}
