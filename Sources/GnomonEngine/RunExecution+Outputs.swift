import Foundation
import GnomonCore
import GnomonExecution

/// Outputs between tasks: an attempt's references are resolved and its inputs file written
/// before it is launched; after a success its output file is read (``OutputFile``).
extension RunExecution {
    /// Why an attempt could not be launched: the could-not-start reason.
    struct LaunchRefusal: Error {
        let reason: String
    }

    /// The launch of attempt `attempt` of `spec`, its references resolved from `upstream` and, for
    /// a task with upstream tasks, its inputs file ready (`GNOMON_INPUTS`: an object of each
    /// upstream task that succeeded and published outputs, by name, holding them). When none
    /// did, the attempt is given the run's empty inputs file (made by the first attempt that
    /// needs it) rather than a file of its own. A refusal is written to the attempt's log as for
    /// any attempt that could not start.
    static func prepareLaunch(
        _ launches: LaunchBuilder, _ spec: TaskSpec, attempt: Int, upstream: [String: [String: String]],
        emptyInputs: EmptyInputsFile, item: (index: Int, text: String)? = nil
    ) -> Result<AttemptLaunch, LaunchRefusal> {
        let launch: AttemptLaunch
        switch launches.launch(spec, attempt: attempt, outputs: upstream, item: item) {
        case .success(let resolved): launch = resolved
        case .failure(let unresolved):
            let reason = "tasks.\(spec.name).\(unresolved)"
            AttemptLog.note(couldNotStart: reason, at: launches.logPath(task: spec.name, attempt: attempt))
            return .failure(LaunchRefusal(reason: reason))
        }
        if let inputsPath = launch.inputsPath {
            let problem: String?
            if inputsPath == AttemptFiles.inputsPath(logPath: launch.logPath) {
                do {
                    problem = AttemptFiles.writeInputs(try inputsText(upstream.filter { !$0.value.isEmpty }), to: inputsPath)
                } catch {
                    problem = "could not encode the inputs file: \(error)"
                }
            } else {
                problem = emptyInputs.make(at: inputsPath)
            }
            if let problem {
                AttemptLog.note(couldNotStart: problem, at: launch.logPath)
                return .failure(LaunchRefusal(reason: problem))
            }
        }
        return .success(launch)
    }

    /// The JSON of an inputs file: keys sorted, so the same outputs always give the same bytes.
    static func inputsText(_ upstream: [String: [String: String]]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(upstream), as: UTF8.self) + "\n"
    }

    /// The outcome of an attempt that ended `outcome`, and what it published: after a success,
    /// the outputs its output file holds (nil for none), or `.outputRefused` with the line at
    /// fault, also written to its log. The attempt's scratch files are removed either way: its
    /// outputs travel with its end from here on.
    ///
    /// - Parameter ownInputs: whether the attempt may have an inputs file of its own to remove
    ///   (false when it was given the run's empty one).
    static func collectOutputs(
        _ outcome: AttemptOutcome, logPath: String, ownInputs: Bool = true
    ) -> (AttemptOutcome, [String: String]?) {
        let outputPath = AttemptFiles.outputPath(logPath: logPath)
        // Found missing when it is read: nothing to remove.
        var outputMissing = false
        defer {
            if !outputMissing { unlink(outputPath) }
            if ownInputs { unlink(AttemptFiles.inputsPath(logPath: logPath)) }
        }
        guard outcome.succeeded else { return (outcome, nil) }
        let parsed = AttemptFiles.readOutput(at: outputPath).flatMap { text in
            text.map { OutputFile.parse($0).map(Optional.some) } ?? .success(nil)
        }
        switch parsed {
        case .success(let pairs?):
            return (outcome, Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
        case .success(nil):
            outputMissing = true
            return (outcome, nil)
        case .failure(let problem):
            AttemptLog.append("gnomon: the outputs were refused: \(problem)\n", to: logPath)
            return (.outputRefused(reason: problem.description), nil)
        }
    }
}
