import CZlib
import Foundation

/// A piece of a gzip-encoded stream (`Content-Encoding: gzip`), compressed once however many
/// responses send it.
///
/// Its bytes are raw deflate blocks that end with a full flush: they are byte-aligned, refer to
/// nothing before them and end no stream, so any sequence of such pieces is a valid deflate body.
/// Each response adds its own gzip header and running checksum (``GzipFraming``).
public struct DeflatedChunk: Sendable {
    public let bytes: Data
    /// The CRC-32 of the uncompressed bytes.
    public let crc: UInt32
    /// How many bytes it holds uncompressed.
    public let length: Int

    /// Level 3: on event-stream JSON, a tenth of the size at about 3 ms a MiB (level 6: a twelfth
    /// at three times the CPU).
    public static let level: Int32 = 3

    public init(_ plain: Data) {
        length = plain.count
        guard !plain.isEmpty else {
            (bytes, crc) = (Data(), 0)
            return
        }
        crc = plain.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
        bytes = Self.deflate(plain)
    }

    /// Raw deflate (no zlib or gzip wrapper) ending in a full flush.
    private static func deflate(_ plain: Data) -> Data {
        var stream = z_stream()
        // windowBits -15: raw deflate with a 32 KiB window; memLevel 8 is zlib's default.
        let started = deflateInit2_(
            &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib's deflateInit2 failed (\(started)): out of memory")
        defer { deflateEnd(&stream) }
        // deflateBound covers the data; a full flush adds at most an empty stored block (5 bytes).
        var output = Data(count: Int(deflateBound(&stream, uLong(plain.count))) + 16)
        let written = plain.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                let status = CZlib.deflate(&stream, Z_FULL_FLUSH)
                precondition(status == Z_OK && stream.avail_in == 0, "zlib's deflate left input behind (\(status))")
                return out.count - Int(stream.avail_out)
            }
        }
        output.count = written
        return output
    }
}

/// One response's gzip framing around shared ``DeflatedChunk``s: the header before the first, a
/// running CRC-32 and length, and the trailer (an empty final block, the CRC and the length) when
/// the stream ends normally. A stream cut off early simply stops, as any interrupted gzip does.
public struct GzipFraming: Sendable {
    private var started = false
    private var crc: UInt32 = 0
    private var length: UInt64 = 0

    public init() {}

    /// The gzip header: deflate, no name or time, unknown operating system.
    private static let header = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
    /// A final, empty block of fixed Huffman codes: what ends a deflate body that ended its last
    /// block with a flush.
    private static let finalBlock = Data([0x03, 0x00])

    /// The bytes that send `chunk` on this response.
    public mutating func frame(_ chunk: DeflatedChunk) -> Data {
        var out = Data()
        if !started {
            out.append(Self.header)
            started = true
        }
        guard chunk.length > 0 else { return out }
        crc = UInt32(truncatingIfNeeded: crc32_combine(uLong(crc), uLong(chunk.crc), Int(chunk.length)))
        length &+= UInt64(chunk.length)
        out.append(chunk.bytes)
        return out
    }

    /// The bytes that end the stream.
    public mutating func finish() -> Data {
        var out = frame(DeflatedChunk(Data()))
        out.append(Self.finalBlock)
        for value in [crc, UInt32(truncatingIfNeeded: length)] {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}

extension ServerRequest {
    /// Whether the client takes a `gzip` response body: `gzip` (or `x-gzip`, or `*` when gzip is
    /// not named) in `Accept-Encoding` with a quality other than 0.
    public var acceptsGzip: Bool {
        guard let header = headers["accept-encoding"] else { return false }
        var wildcard: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            switch name {
            case "gzip", "x-gzip": return quality > 0
            case "*": wildcard = quality > 0
            default: continue
            }
        }
        return wildcard ?? false
    }
}
