import Foundation
import GnomonServer

/// One file of the web UI (script, style sheet), compiled into the binary: SwiftPM resources
/// would sit in a folder beside the executable, and the daemon is one file.
struct WebAsset: Sendable {
    /// The file's name under `/ui/`.
    let name: String
    let contentType: String
    let body: Data
    /// A strong validator of the content (FNV-1a 64 of the bytes, in hex): also the `v=` of the
    /// pages' links, so a new build's files are fetched at once and old ones cached for good.
    let version: String

    init(_ name: String, type: String, text: String) {
        self.name = name
        self.contentType = type
        self.body = Data(text.utf8)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        self.version = String(hash, radix: 16)
    }

    var path: String { "/ui/\(name)" }
    /// The link the pages use: the path with the version, cacheable for a year.
    var versionedPath: String { "\(path)?v=\(version)" }
    var etag: String { "\"\(version)\"" }

    /// The asset, or 304 when the browser holds this version already. A link with the current
    /// `v=` may be cached for a year; any other is revalidated on each use.
    func response(to request: ServerRequest) -> ServerResponse {
        let cache = request.query("v") == version ? "public, max-age=31536000, immutable" : "no-cache"
        let headers = [("ETag", etag), ("Cache-Control", cache)]
        if let presented = request.headers["if-none-match"],
           presented.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return ServerResponse(status: 304, headers: headers, body: .bytes(Data()))
        }
        return ServerResponse(status: 200, headers: [("Content-Type", contentType)] + headers, body: .bytes(body))
    }
}
