import Foundation

/// Reads the Prometheus text exposition format (0.0.4) strictly, as the tests' judge of
/// `/metrics`: every line is a `# HELP`, a `# TYPE` or a sample; names and label names follow the
/// format's grammar; label values are quoted with only `\\`, `\"` and `\n` escapes; each family
/// has one HELP and one TYPE before its samples, which are contiguous; no series repeats; counters
/// end in `_total`; a histogram's buckets are cumulative, end with `le="+Inf"` equal to `_count`.
struct ExpositionChecker {
    struct Sample: Hashable, CustomStringConvertible {
        var name: String
        var labels: [String: String]
        var value: Double

        var description: String {
            name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "} \(value)"
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var samples: [Sample] = []
    private(set) var types: [String: String] = [:]
    private(set) var helps: [String: String] = [:]

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Problem(description: "the text does not end with a line feed") }
        var current: String?
        var closed: Set<String> = []
        var seen: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = index + 1
            func fail(_ why: String) -> Problem { Problem(description: "line \(number): \(why): \(line)") }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard Self.isMetricName(name) else { throw fail("bad metric name") }
                if current != name, let current { closed.insert(current) }
                guard !closed.contains(name) else { throw fail("family \(name) appears twice") }
                current = name
                let rest = parts.count > 1 ? String(parts[1]) : ""
                if line.hasPrefix("# HELP ") {
                    guard helps[name] == nil else { throw fail("second HELP") }
                    guard types[name] == nil else { throw fail("HELP after TYPE") }
                    helps[name] = try Self.unescape(rest, allowQuote: false, line: number)
                } else {
                    guard types[name] == nil else { throw fail("second TYPE") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest) else { throw fail("unknown type") }
                    if rest == "counter" && !name.hasSuffix("_total") { throw fail("a counter's name must end in _total") }
                    types[name] = rest
                }
                continue
            }
            guard !line.hasPrefix("#") else { continue }
            guard !line.isEmpty else { throw fail("empty line") }
            let sample = try Self.sample(String(line), line: number)
            guard let family = current, types[family] != nil else { throw fail("sample before its family's TYPE") }
            guard Self.belongs(sample.name, to: family, type: types[family]!) else {
                throw fail("sample \(sample.name) does not belong to the family \(family) above it")
            }
            let key = sample.name + sample.labels.sorted { $0.key < $1.key }.description
            guard seen.insert(key).inserted else { throw fail("series repeated") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The value of the one series with exactly these labels, nil if absent.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every series of `name`.
    func series(_ name: String) -> [Sample] { samples.filter { $0.name == name } }

    static func belongs(_ sample: String, to family: String, type: String) -> Bool {
        guard type == "histogram" else { return sample == family }
        return [family + "_bucket", family + "_sum", family + "_count"].contains(sample)
    }

    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var groups: [[String: String]: [(le: Double, count: Double)]] = [:]
            for sample in series(family + "_bucket") {
                var labels = sample.labels
                guard let le = labels.removeValue(forKey: "le"), let bound = Double(le == "+Inf" ? "inf" : le) else {
                    throw Problem(description: "\(sample): a bucket without a numeric le")
                }
                groups[labels, default: []].append((bound, sample.value))
            }
            for (labels, buckets) in groups {
                guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.le < $1.le && $0.count <= $1.count }) else {
                    throw Problem(description: "\(family)\(labels): buckets not ascending and cumulative: \(buckets)")
                }
                guard buckets.last?.le == .infinity else { throw Problem(description: "\(family)\(labels): no +Inf bucket") }
                guard value(family + "_count", labels) == buckets.last?.count, value(family + "_sum", labels) != nil else {
                    throw Problem(description: "\(family)\(labels): _count differs from the +Inf bucket, or no _sum")
                }
            }
        }
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `name{labels} value` (no timestamps: Gnomon writes none).
    static func sample(_ line: String, line number: Int) throws -> Sample {
        func fail(_ why: String) -> Problem { Problem(description: "line \(number): \(why): \(line)") }
        var rest = Substring(line)
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard isMetricName(name) else { throw fail("bad metric name") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw fail("label without =") }
                let label = String(rest[..<equals])
                guard isLabelName(label), label != "__name__" else { throw fail("bad label name \(label)") }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw fail("label value not quoted") }
                rest = rest.dropFirst()
                var raw = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { raw.append("\\"); raw.append(character); escaped = false; continue }
                    if character == "\\" { escaped = true; continue }
                    if character == "\"" { break }
                    raw.append(character)
                }
                guard labels[label] == nil else { throw fail("label \(label) twice") }
                labels[label] = try unescape(raw, allowQuote: true, line: number)
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw fail("expected , or }") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw fail("no space before the value") }
        let valueText = rest.dropFirst()
        guard !valueText.contains(" ") else { throw fail("a timestamp or trailing text") }
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(valueText) else { throw fail("value is not a number") }
            value = parsed
        }
        return Sample(name: name, labels: labels, value: value)
    }

    /// Undoes `\\`, `\n` (and `\"` in label values); any other escape is an error.
    static func unescape(_ text: String, allowQuote: Bool, line: Int) throws -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "\"" where allowQuote: out.append("\"")
                default: throw Problem(description: "line \(line): unknown escape \\\(character) in \(text)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                if character == "\n" { throw Problem(description: "line \(line): raw line feed in \(text)") }
                out.append(character)
            }
        }
        guard !escaped else { throw Problem(description: "line \(line): a trailing backslash in \(text)") }
        return out
    }
}
