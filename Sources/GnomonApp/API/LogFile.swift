import Foundation
import Synchronization

/// An attempt's log file opened for reading parts of it: a window of bytes, the last lines, or
/// all of it in chunks; never the whole file at once (a log may be gigabytes).
final class LogFile: Sendable {
    /// Bytes read per system call when scanning back for lines or streaming a download.
    static let blockSize = 64 << 10

    let path: String
    private let descriptor: Int32

    /// Opens `path`; nil when it does not exist or cannot be read.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The file's size now (it grows while the attempt runs).
    var size: Int64 {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) -> Data {
        guard count > 0 else { return Data() }
        var data = Data(count: count)
        var filled = 0
        data.withUnsafeMutableBytes { buffer in
            while filled < count {
                let got = pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
                if got > 0 { filled += got } else if got < 0 && errno == EINTR { continue } else { break }
            }
        }
        if filled < count { data.removeSubrange(filled..<count) }
        return data
    }

    /// Where the last `lines` lines of the first `size` bytes start, looking back at most
    /// `maxBytes` bytes: reads blocks backwards from the end, so only the tail is read. A final
    /// newline ends the last line and does not start an empty one. When the lines would take more
    /// than `maxBytes`, they start at the first line beginning within the last `maxBytes` bytes
    /// (or mid-line, when a single line is longer than that).
    func tailStart(lines: Int, size: Int64, maxBytes: Int) -> Int64 {
        guard size > 0, lines > 0 else { return size }
        let floor = max(0, size - Int64(maxBytes))
        var end = size
        var found = 0
        var skipFinal = true
        while end > floor {
            let start = max(floor, end - Int64(Self.blockSize))
            let block = read(at: start, count: Int(end - start))
            var index = block.count - 1
            while index >= 0 {
                if block[block.startIndex + index] == 0x0A {
                    let position = start + Int64(index)
                    if skipFinal && position == size - 1 {
                        skipFinal = false
                    } else {
                        found += 1
                        if found == lines { return position + 1 }
                    }
                }
                index -= 1
            }
            skipFinal = false
            end = start
        }
        guard floor > 0 else { return 0 }
        // Too many bytes: start at the first line beginning in the window.
        let window = read(at: floor, count: min(maxBytes, Int(size - floor)))
        if floor > 0, read(at: floor - 1, count: 1).first == 0x0A { return floor }
        if let newline = window.firstIndex(of: 0x0A), Int64(newline - window.startIndex) + floor + 1 < size {
            return floor + Int64(newline - window.startIndex) + 1
        }
        return floor
    }

    /// The file's first `size` bytes as chunks of `blockSize`, read as the consumer asks for them
    /// (a slow download holds one chunk, not the file).
    func chunks(upTo size: Int64) -> AsyncStream<Data> {
        let position = Mutex<Int64>(0)
        return AsyncStream(unfolding: { [self] in
            let offset = position.withLock { $0 }
            guard offset < size else { return nil }
            let chunk = read(at: offset, count: Int(min(Int64(Self.blockSize), size - offset)))
            guard !chunk.isEmpty else { return nil }
            position.withLock { $0 = offset + Int64(chunk.count) }
            return chunk
        })
    }

    /// How many leading bytes of `data` end on a whole UTF-8 character: a character cut by the
    /// window's end is left for the next window (unless it is all there is).
    static func wholeCharacters(_ data: Data) -> Int {
        let count = data.count
        guard count > 0 else { return 0 }
        var index = count - 1
        var back = 0
        while index > 0, back < 3, data[data.startIndex + index] & 0xC0 == 0x80 {
            index -= 1
            back += 1
        }
        let lead = data[data.startIndex + index]
        let length: Int
        switch lead {
        case 0xF0...0xF7: length = 4
        case 0xE0...0xEF: length = 3
        case 0xC0...0xDF: length = 2
        default: length = 1
        }
        if length > 1 && index + length > count && index > 0 { return index }
        return count
    }
}
