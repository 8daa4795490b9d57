import ArgumentParser
import GnomonApp

extension GraphFormat: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a job's task graph; `after` edges are dashed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    @Option(help: "text, dot or mermaid.")
    var format: GraphFormat = .text

    @Flag(help: "In text, draw every task even past 200 (otherwise a bigger graph is summarised).")
    var full = false

    func run() throws {
        say(try JobGraph.render(job: job, format: format, full: full, settings: global.settings))
    }
}
