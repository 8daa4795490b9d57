import Foundation
import GnomonStore

/// Writes the Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` once per
/// family, then its samples (`name{label="value",...} number`), label values and help text
/// escaped, histograms as cumulative `_bucket` series with `le` and `+Inf`, `_sum` and `_count`.
///
/// Pure: what goes in is what comes out, no clock and no store (tests hold its text to the format).
struct ExpositionText {
    /// The content type of the format, for the response header.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    enum Kind: String {
        case counter, gauge, histogram
    }

    private(set) var text = ""

    init(capacity: Int = 0) {
        text.reserveCapacity(capacity)
    }

    /// Opens a family: its help line and type. Counter names end in `_total`.
    mutating func family(_ name: String, _ kind: Kind, help: String) {
        assert(kind != .counter || name.hasSuffix("_total"), "counter \(name) must end in _total")
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample of a counter or gauge.
    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        appendLabels(labels)
        text += " "
        text += Self.number(value)
        text += "\n"
    }

    /// One sample with a whole value.
    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        text += name
        appendLabels(labels)
        text += " "
        text += String(value)
        text += "\n"
    }

    /// The series of one histogram (values in milliseconds, written in seconds).
    mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ histogram: MillisecondHistogram) {
        let cumulative = histogram.cumulative
        for (index, bound) in histogram.bounds.enumerated() {
            text += name
            text += "_bucket"
            appendLabels(labels, le: Self.seconds(milliseconds: bound))
            text += " "
            text += String(cumulative[index])
            text += "\n"
        }
        text += name
        text += "_bucket"
        appendLabels(labels, le: "+Inf")
        text += " \(histogram.count)\n"
        text += name
        text += "_sum"
        appendLabels(labels)
        text += " \(Self.seconds(milliseconds: histogram.sum))\n"
        text += name
        text += "_count"
        appendLabels(labels)
        text += " \(histogram.count)\n"
    }

    private mutating func appendLabels(_ labels: [(String, String)], le: String? = nil) {
        guard !labels.isEmpty || le != nil else { return }
        text += "{"
        var first = true
        for (name, value) in labels {
            if !first { text += "," }
            first = false
            text += name
            text += "=\""
            text += Self.escapeLabel(value)
            text += "\""
        }
        if let le {
            if !first { text += "," }
            text += "le=\""
            text += le
            text += "\""
        }
        text += "}"
    }

    /// A label value with `\`, `"` and line feeds escaped.
    static func escapeLabel(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else {
            return value
        }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text with `\` and line feeds escaped.
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value: whole numbers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// Milliseconds as seconds in decimal, exactly: 1500 → `1.5`, 60000 → `60`, 10 → `0.01`.
    static func seconds(milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let whole = magnitude / 1_000, fraction = magnitude % 1_000
        guard fraction != 0 else { return sign + String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }
}
