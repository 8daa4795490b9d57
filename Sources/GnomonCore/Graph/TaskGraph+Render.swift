/// Drawings of a task graph: plain text, Graphviz DOT and Mermaid. `after` edges are dashed.
extension TaskGraph {
    /// The formats `gnomon graph` draws.
    public enum Format: String, Sendable, CaseIterable {
        case text, dot, mermaid
    }

    /// Draws the graph of job `job` in `format`; `notes` are shown beside their tasks' names
    /// (a foreach task's `foreach 40 items`), each task still one node.
    public func render(_ format: Format, job: String, notes: [String: String] = [:]) -> String {
        switch format {
        case .text: return renderText(notes)
        case .dot: return renderDot(job: job, notes)
        case .mermaid: return renderMermaid(notes)
        }
    }

    /// A task's name with its note, as nodes are labelled.
    private static func label(_ name: String, _ notes: [String: String]) -> String {
        notes[name].map { "\(name) [\($0)]" } ?? name
    }

    /// One line per task in dependency order, with what it waits for:
    /// `load  <- transform` and `report  <- load (after)`.
    private func renderText(_ notes: [String: String]) -> String {
        let order = topologicalOrder
        let width = order.map { Self.label($0, notes).count }.max() ?? 0
        return order.map { name in
            let edges = upstream[name] ?? []
            let padded = Self.label(name, notes).padded(to: width)
            guard !edges.isEmpty else { return padded.trimmingTrailingSpaces() }
            let list = edges.map { $0.required ? $0.from : "\($0.from) (after)" }.joined(separator: ", ")
            return "\(padded)  <- \(list)"
        }.joined(separator: "\n") + "\n"
    }

    private func renderDot(job: String, _ notes: [String: String]) -> String {
        var lines = ["digraph \(Self.quote(job)) {", "  rankdir=LR;", "  node [shape=box];"]
        for name in names {
            let label = notes[name].map { " [label=\(Self.quote("\(name)\n\($0)"))]" } ?? ""
            lines.append("  \(Self.quote(name))\(label);")
        }
        for name in names {
            for edge in upstream[name] ?? [] {
                let style = edge.required ? "" : " [style=dashed, label=\"after\"]"
                lines.append("  \(Self.quote(edge.from)) -> \(Self.quote(name))\(style);")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func renderMermaid(_ notes: [String: String]) -> String {
        var ids: [String: String] = [:]
        for (index, name) in names.enumerated() { ids[name] = "t\(index)" }
        var lines = ["flowchart LR"]
        for name in names {
            let label = Self.label(name, notes).replacing("\"", with: "#quot;")
            lines.append("  \(ids[name]!)[\"\(label)\"]")
        }
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
