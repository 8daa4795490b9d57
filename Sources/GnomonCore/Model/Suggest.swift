/// "Did you mean" suggestions by edit distance.
public enum Suggest {
    /// Names an error message lists before it says how many more there are.
    public static let listedNames = 20

    /// `names` joined with commas, the first ``listedNames`` of them and then `and N more`: an
    /// error about one task of a run of 100,000 stays one line.
    public static func list(_ names: [String]) -> String {
        guard names.count > listedNames else { return names.joined(separator: ", ") }
        return names.prefix(listedNames).joined(separator: ", ") + " and \(names.count - listedNames) more"
    }

    /// The candidate closest to `word`, if it is close enough to be a likely typo
    /// (at most a third of the word's length in edits, and at least one).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word.lowercased(), candidate.lowercased())
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Levenshtein distance between two strings.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
