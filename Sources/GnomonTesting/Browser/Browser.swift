import Foundation
import Glibc
import Synchronization
import Testing

/// Debian's `chromium` and `chromium-driver` (scripts/setup installs them) for the web UI's
/// browser tests.
///
/// Locally, a machine without them skips those tests with a loud message. In CI (`CI=true`)
/// they always run, so a missing browser fails them instead of skipping silently.
public enum Browser {
    public static let browserPath = "/usr/bin/chromium"
    public static let driverPath = "/usr/bin/chromedriver"

    /// What is missing, or nil when both are here.
    static var problem: String? {
        let missing = [browserPath, driverPath].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        return missing.isEmpty ? nil : "\(missing.joined(separator: " and ")) not found; run scripts/setup (apt: chromium chromium-driver)"
    }

    private static let skipAnnounced = Atomic<Bool>(false)

    static func enabled() -> Bool {
        if Podman.inCI { return true }
        if let problem {
            if !skipAnnounced.exchange(true, ordering: .relaxed) {
                let warning = "\n*** SKIPPING the browser tests: \(problem). In CI (CI=true) they fail instead. ***\n"
                _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
            return false
        }
        return true
    }

    /// A port on 127.0.0.1 that was free a moment ago (bound to 0, read, closed).
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket failed: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("could not bind a port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when chromium and chromedriver exist, and always in CI.
    public static var needsBrowser: Self {
        .enabled("needs chromium and chromium-driver (scripts/setup); forced on in CI") { Browser.enabled() }
    }
}
