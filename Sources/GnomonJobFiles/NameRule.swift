/// The rule job and task names follow: `[a-z0-9][a-z0-9_-]*`, at most 64 characters.
///
/// Names appear in file names, command lines, logs and environment variables, so they stay plain.
public enum NameRule {
    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        problem(with: name) == nil
    }

    /// What is wrong with `name`, or `nil` if it follows the rule.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        let shown = name.count > 40 ? String(name.prefix(40)) + "..." : name
        if name.count > JobFileFormat.maximumNameLength {
            return "name \"\(shown)\" is \(name.count) characters long; the maximum is \(JobFileFormat.maximumNameLength)"
        }
        let scalars = Array(name.unicodeScalars)
        let valid = scalars.enumerated().allSatisfy { index, scalar in
            isLowerAlphanumeric(scalar) || (index > 0 && (scalar == "_" || scalar == "-"))
        }
        if valid { return nil }
        let fixed = suggestion(for: name)
        let hint = fixed.map { "; for example \"\($0)\"" } ?? ""
        return "name \"\(shown)\" must use only a-z, 0-9, \"_\" and \"-\", starting with a letter or digit\(hint)"
    }

    /// A valid name close to `name` (lowercased, other characters turned into `-`), if one exists.
    static func suggestion(for name: String) -> String? {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            if isLowerAlphanumeric(scalar) || scalar == "_" || scalar == "-" {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out += "-"
            }
        }
        while let first = out.unicodeScalars.first, !isLowerAlphanumeric(first) { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        out = String(out.prefix(JobFileFormat.maximumNameLength))
        return out.isEmpty || out == name ? nil : out
    }

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
