import ArgumentParser
import GnomonApp
import GnomonCore

extension TaskGraph.Format: ExpressibleByArgument {}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a job's task graph; `after` edges are dashed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    @Option(help: "text, dot or mermaid.")
    var format: TaskGraph.Format = .text

    func run() throws {
        say(try JobGraph.render(job: job, format: format, settings: global.settings))
    }
}
