import Glibc

/// The test process's own environment, for children that must see it (a daemon under test, the
/// container runtime's CLI), since ``ProcessSpawner`` passes only the environment it is given.
public enum HostEnvironment {
    /// Every variable of this process, with a usual `PATH` added if it has none.
    public static let current: [String: String] = {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        if result["PATH"] == nil { result["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" }
        return result
    }()
}
