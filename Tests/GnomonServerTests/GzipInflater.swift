import CZlib
import Foundation

/// A test's own gzip decoder, fed a body piece by piece as it arrives (zlib's inflate, which also
/// checks the trailer's CRC-32 and length when the stream ends).
final class GzipInflater {
    private var stream = z_stream()
    /// The trailer was read and matched what was decoded.
    private(set) var ended = false
    /// zlib's complaint, if the bytes were not a valid gzip stream.
    private(set) var problem: String?

    init() {
        // 16 + 15: a gzip wrapper, a 32 KiB window.
        let status = inflateInit2_(&stream, 16 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2: \(status)")
    }

    deinit { inflateEnd(&stream) }

    /// The bytes `piece` decodes to (what zlib can produce so far).
    func feed(_ piece: Data) -> Data {
        guard !piece.isEmpty, !ended, problem == nil else { return Data() }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        piece.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let status = buffer.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(out.count)
                    return inflate(&stream, Z_SYNC_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END: ended = true; return
                case Z_OK: continue
                case Z_BUF_ERROR: return  // needs more input
                default:
                    problem = stream.msg.map { String(cString: $0) } ?? "inflate returned \(status)"
                    return
                }
            } while stream.avail_in > 0 || stream.avail_out == 0
        }
        return output
    }
}
