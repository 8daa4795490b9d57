import GnomonCore

/// How `gnomon graph` draws a job: `text`, `dot` or `mermaid`.
public typealias GraphFormat = TaskGraph.Format
