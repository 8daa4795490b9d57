/// Joins paths the one way Gnomon does everywhere: a task's `workdir`, the host side of a
/// container mount, a command's relative path and relative `PATH` entries.
///
/// The join is lexical and touches no file system: `.` segments and repeated or trailing slashes
/// go, and `..` removes the segment before it, as a shell's `cd ..` does. So with a jobs folder
/// `/srv/jobs` that is a symbolic link to `/data/jobs`, `../x` from it is `/srv/x` (not
/// `/data/x`, where the kernel's own `..` would lead), whichever key it was written in.
public enum PathJoin {
    /// `path` taken from `folder`: `path` itself (normalised) when it is absolute, else the two
    /// joined and normalised. An empty `path` gives `folder`.
    ///
    /// `..` above `/` stays at `/`; above the start of a relative `folder` it is kept.
    public static func join(_ folder: String, _ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        if path.isEmpty { return normalize(folder) }
        return normalize(folder + "/" + path)
    }

    /// `path` without `.` segments, repeated or trailing slashes, and with each `..` applied to
    /// the segment before it. An empty relative result is `.`.
    public static func normalize(_ path: String) -> String {
        if isNormal(path) { return path }
        let absolute = path.hasPrefix("/")
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".":
                continue
            case "..":
                if let last = segments.last, last != ".." {
                    segments.removeLast()
                } else if !absolute {
                    segments.append(segment)
                }
            default:
                segments.append(segment)
            }
        }
        let joined = segments.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `normalize` would return `path` unchanged: not empty, no empty, `.` or `..`
    /// segment, no trailing slash (but `/` itself). One pass over the bytes, no allocation: every
    /// attempt's paths go through here.
    static func isNormal(_ path: String) -> Bool {
        var path = path
        return path.withUTF8(isNormal)
    }

    private static func isNormal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        guard !bytes.isEmpty else { return false }
        if bytes.count == 1 && bytes[0] == slash { return true }
        var start = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == slash else { continue }
            let length = index - start
            if length == 0 {
                // Only the leading slash of an absolute path may begin an empty segment.
                if index != 0 { return false }
            } else if bytes[start] == dot && (length == 1 || (length == 2 && bytes[start + 1] == dot)) {
                return false
            }
            start = index + 1
        }
        return true
    }
}
