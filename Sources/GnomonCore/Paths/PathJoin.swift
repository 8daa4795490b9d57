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
}
