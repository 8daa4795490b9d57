import Foundation
import Glibc
import Synchronization

/// The bearer tokens the server accepts, each with a name and a role.
///
/// Two sources: the admin token in `$GNOMON_HOME/api-token`, created on first start (mode 0600),
/// and an optional tokens file with one `NAME ROLE TOKEN` line per token. The tokens file is read
/// again whenever its modification time changes, so adding or revoking a token needs no restart;
/// a file that has become invalid keeps the last good set and the error is logged.
public final class TokenStore: Sendable {
    /// The shortest token accepted from the tokens file (128 bits of hex).
    public static let minimumLength = 32

    public let adminTokenPath: String
    public let tokensFilePath: String?
    private let admin: String
    private let state: Mutex<(loadedAt: Date?, tokens: [(Principal, [UInt8])])>

    /// Reads (creating when missing) the admin token and reads the tokens file when one is given.
    /// - Returns: the store and whether the admin token was created now.
    public static func load(home: String, tokensFile: String?) throws(ServerSetupError) -> (TokenStore, created: Bool) {
        let path = (home as NSString).appendingPathComponent("api-token")
        let (admin, created) = try readOrCreateAdminToken(path)
        let store = TokenStore(adminTokenPath: path, admin: admin, tokensFilePath: tokensFile)
        if tokensFile != nil { _ = try store.reloadIfChanged(force: true) }
        return (store, created)
    }

    private init(adminTokenPath: String, admin: String, tokensFilePath: String?) {
        self.adminTokenPath = adminTokenPath
        self.admin = admin
        self.tokensFilePath = tokensFilePath
        self.state = Mutex((nil, []))
    }

    /// The principal a presented token stands for, or nil. Every known token is compared in full,
    /// in constant time, so the time taken says nothing about how close a guess was.
    public func principal(for token: String) -> Principal? {
        let presented = Array(token.utf8)
        var found: Principal? = nil
        if Self.equal(presented, Array(admin.utf8)) { found = Principal(name: "admin", role: .admin) }
        let tokens = state.withLock { $0.tokens }
        for (principal, value) in tokens where Self.equal(presented, value) && found == nil {
            found = principal
        }
        return found
    }

    /// Reads the tokens file again when it changed since the last read; returns an error message
    /// (file:line, what, how to fix) when the new contents are invalid, keeping the old tokens.
    @discardableResult
    public func reloadIfChanged(force: Bool = false) throws(ServerSetupError) -> Bool {
        guard let path = tokensFilePath else { return false }
        let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        guard let modified else {
            throw .tokens("tokens file \(path) cannot be read; create it (one `NAME ROLE TOKEN` line per token, see Docs/server.md) or leave out --tokens-file")
        }
        if !force, state.withLock({ $0.loadedAt == modified }) { return false }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .tokens("tokens file \(path) is not readable UTF-8 text")
        }
        let tokens = try Self.parse(text, path: path)
        state.withLock { $0 = (modified, tokens.map { ($0.0, Array($0.1.utf8)) }) }
        return true
    }

    /// Parses a tokens file: `NAME ROLE TOKEN` per line, `#` comments, blank lines ignored.
    static func parse(_ text: String, path: String) throws(ServerSetupError) -> [(Principal, String)] {
        var tokens: [(Principal, String)] = []
        var names: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            let at = "\(path):\(index + 1)"
            guard fields.count == 3 else {
                throw .tokens("\(at): expected `NAME ROLE TOKEN` (3 fields), found \(fields.count)")
            }
            guard let role = Role(rawValue: fields[1]) else {
                throw .tokens("\(at): role \"\(fields[1])\" is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard fields[2].count >= minimumLength else {
                throw .tokens("\(at): the token of \(fields[0]) has \(fields[2].count) characters; use at least \(minimumLength) "
                    + "(for example the output of `openssl rand -hex 32`)")
            }
            guard names.insert(fields[0]).inserted else {
                throw .tokens("\(at): the name \(fields[0]) is used twice; each token needs its own name")
            }
            tokens.append((Principal(name: fields[0], role: role), fields[2]))
        }
        return tokens
    }

    /// 32 random bytes as 64 hex characters.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private static func readOrCreateAdminToken(_ path: String) throws(ServerSetupError) -> (String, Bool) {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token.count >= minimumLength else {
                throw .tokens("\(path) holds a token of \(token.count) characters; delete the file and the daemon writes a new one at its next start")
            }
            return (token, false)
        }
        let token = newToken()
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw .tokens("could not create the admin token file \(path): \(String(cString: strerror(errno))); check that the home folder is writable")
        }
        defer { Glibc.close(fd) }
        let bytes = Array((token + "\n").utf8)
        guard Glibc.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw .tokens("could not write the admin token file \(path): \(String(cString: strerror(errno)))")
        }
        return (token, true)
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
