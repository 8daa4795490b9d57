import Foundation

/// A daemon reached through its JSON API: `--server URL` (or `GNOMON_SERVER`) and a token.
public struct RemoteServer: Sendable {
    /// The server's URL without a trailing slash (`https://gnomon.example/ops` behind a proxy).
    public let url: String
    let token: String
    /// Where the token came from, for messages: `GNOMON_TOKEN`, `--token-file FILE`, or the home's
    /// `api-token` file.
    let tokenOrigin: String

    /// The file in a daemon's home that holds its admin token (GnomonServer's `TokenStore` writes it).
    static let adminTokenFile = "api-token"

    /// The server the command was pointed at, or nil to work on this machine.
    ///
    /// The URL comes from `server` (`--server`), else `GNOMON_SERVER`. The token comes from
    /// `tokenFile` (`--token-file`), else `GNOMON_TOKEN`, else the `api-token` file of the home
    /// (`--home`, `GNOMON_HOME`), which is where a daemon on this machine keeps its admin token.
    public static func resolve(
        server: String?, tokenFile: String?, settings: GlobalSettings,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AppError) -> RemoteServer? {
        guard let given = server ?? environment["GNOMON_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            if tokenFile != nil {
                throw AppError(.usage, "--token-file goes with --server URL (or GNOMON_SERVER): it is the token for a remote daemon")
            }
            return nil
        }
        let url = try checkedURL(given, option: server != nil ? "--server" : "GNOMON_SERVER")
        let (token, origin) = try findToken(tokenFile: tokenFile, settings: settings, environment: environment, url: url)
        return RemoteServer(url: url, token: token, tokenOrigin: origin)
    }

    /// `url` without its trailing slashes, when it is an http or https URL with a host.
    static func checkedURL(_ text: String, option: String) throws(AppError) -> String {
        var url = text.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil else {
            throw AppError(.usage, "\(option) \"\(text)\" is not a server URL; give http://HOST:PORT or https://HOST[/PATH] "
                + "(the daemon listens on http://127.0.0.1:8470 by default)")
        }
        return url
    }

    private static func findToken(
        tokenFile: String?, settings: GlobalSettings, environment: [String: String], url: String
    ) throws(AppError) -> (String, String) {
        if let tokenFile {
            return (try readToken(tokenFile, origin: "--token-file \(tokenFile)"), "--token-file \(tokenFile)")
        }
        if let token = environment["GNOMON_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return (token, "GNOMON_TOKEN")
        }
        let homeToken = (settings.home as NSString).appendingPathComponent(adminTokenFile)
        if FileManager.default.isReadableFile(atPath: homeToken) {
            return (try readToken(homeToken, origin: homeToken), homeToken)
        }
        throw AppError(.usage, "\(url) needs a token: set GNOMON_TOKEN or pass --token-file FILE; the daemon's admin token is "
            + "in $GNOMON_HOME/\(adminTokenFile) on its machine, other tokens in its tokens file (see Docs/server.md)")
    }

    private static func readToken(_ path: String, origin: String) throws(AppError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw AppError(.notFound, "\(origin): no such file; give the file that holds the API token")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError(.environment, "\(origin): cannot read it (check its permissions)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
            throw AppError(.usage, "\(origin) must hold one token on one line (it is \(token.isEmpty ? "empty" : "more than one word"))")
        }
        return token
    }
}
