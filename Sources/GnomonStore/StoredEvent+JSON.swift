import Foundation
import GnomonCore

extension StoredEvent {
    /// The event as one line of JSON: what `JSONEncoder` with sorted keys writes for it (absent
    /// fields left out, `at` as `ISOTime.utc`), written directly. The event stream sends one per
    /// event, and `JSONEncoder` cost some 20 µs each, most of what 100 clients of a 1,000-task
    /// run cost the daemon (Docs/performance.md).
    public var jsonLine: String {
        var output: [UInt8] = []
        output.reserveCapacity(160 + (detail?.utf8.count ?? 0))
        func key(_ name: String) {
            output.append(output.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONText.appendString(name, to: &output)
            output.append(UInt8(ascii: ":"))
        }
        func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONText.appendString(value, to: &output)
        }
        func number(_ name: String, _ value: Int64?) {
            guard let value else { return }
            key(name)
            output.append(contentsOf: String(value).utf8)
        }
        // Keys in code-point order, as JSONEncoder's .sortedKeys writes them.
        string("at", ISOTime.utc(at))
        number("attempt", attempt.map(Int64.init))
        string("detail", detail)
        number("id", id)
        string("job", job)
        number("run_id", runID)
        string("status", status)
        string("task", task)
        string("type", type.rawValue)
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }
}
