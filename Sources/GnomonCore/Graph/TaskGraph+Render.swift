/// Drawings of a task graph: plain text, Graphviz DOT and Mermaid. `after` edges are dashed.
extension TaskGraph {
    /// The formats `gnomon graph` draws.
    public enum Format: String, Sendable, CaseIterable {
        case text, dot, mermaid
    }

    /// Draws the graph of job `job` in `format`.
    public func render(_ format: Format, job: String) -> String {
        switch format {
        case .text: return renderText()
        case .dot: return renderDot(job: job)
        case .mermaid: return renderMermaid()
        }
    }

    /// One line per task in dependency order, with what it waits for:
    /// `load  <- transform` and `report  <- load (after)`.
    private func renderText() -> String {
        let order = topologicalOrder
        let width = order.map(\.count).max() ?? 0
        return order.map { name in
            let edges = upstream[name] ?? []
            let padded = name.padded(to: width)
            guard !edges.isEmpty else { return padded.trimmingTrailingSpaces() }
            let list = edges.map { $0.required ? $0.from : "\($0.from) (after)" }.joined(separator: ", ")
            return "\(padded)  <- \(list)"
        }.joined(separator: "\n") + "\n"
    }

    private func renderDot(job: String) -> String {
        var lines = ["digraph \(Self.quote(job)) {", "  rankdir=LR;", "  node [shape=box];"]
        for name in names { lines.append("  \(Self.quote(name));") }
        for name in names {
            for edge in upstream[name] ?? [] {
                let style = edge.required ? "" : " [style=dashed, label=\"after\"]"
                lines.append("  \(Self.quote(edge.from)) -> \(Self.quote(name))\(style);")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func renderMermaid() -> String {
        var ids: [String: String] = [:]
        for (index, name) in names.enumerated() { ids[name] = "t\(index)" }
        var lines = ["flowchart LR"]
        for name in names { lines.append("  \(ids[name]!)[\"\(name)\"]") }
        for name in names {
            for edge in upstream[name] ?? [] {
                let arrow = edge.required ? "-->" : "-. after .->"
                lines.append("  \(ids[edge.from]!) \(arrow) \(ids[name]!)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    func padded(to length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
