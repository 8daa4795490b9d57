/// Short commands of a runtime's CLI (`inspect`, `stop`, `rm`, `wait`), run through ``ProcessSpawner``.
///
/// Each command runs in an unstructured task of its own, so a cancelled caller cannot cut a
/// cleanup short: a container must be removed even when the run that owns it is being torn down.
struct ContainerCLI: Sendable {
    /// What `inspect` found.
    enum Inspection: Sendable, Hashable {
        case found(ContainerState)
        /// No container of that name exists.
        case missing
        /// The runtime could not answer; the text says why.
        case failed(String)
    }

    let runtime: ContainerRuntime

    /// Starts `RUNTIME arguments...`; only `cancel()` on the returned task stops it early
    /// (SIGTERM to the CLI's group, SIGKILL after `killGrace`).
    func start(_ arguments: [String], killGrace: Duration = .seconds(5)) -> Task<Result<CapturedOutput, SpawnError>, Never> {
        let argv = [runtime.executable] + arguments
        let environment = runtime.environment
        return Task { () async -> Result<CapturedOutput, SpawnError> in
            do throws(SpawnError) {
                return .success(try await ProcessSpawner.shared.runCapturingOutput(
                    argv, environment: environment, workingDirectory: "/", killGrace: killGrace))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Runs `RUNTIME arguments...` to its end, whatever happens to the caller.
    func run(_ arguments: [String]) async -> Result<CapturedOutput, SpawnError> {
        await start(arguments).value
    }

    /// The state of container `name`.
    func inspect(_ name: String) async -> Inspection {
        switch await run(["inspect", "--type", "container", "--format", ContainerState.inspectFormat, name]) {
        case .failure(let error):
            return .failed(error.message)
        case .success(let output):
            if output.status == .exited(code: 0), let state = ContainerState(inspectOutput: output.outputText) {
                return .found(state)
            }
            let message = Self.message(of: output)
            if message.lowercased().contains("no such container") || message.lowercased().contains("no such object") {
                return .missing
            }
            return .failed("\(runtime.name) inspect \(name) ended with \(output.status): \(message)")
        }
    }

    /// `stop -t GRACE NAME`: SIGTERM to the container's init, SIGKILL after the grace.
    func stop(_ name: String, grace: Duration) async {
        let seconds = max(0, grace.components.seconds + (grace.components.attoseconds > 0 ? 1 : 0))
        _ = await run(["stop", "--time", "\(seconds)", name])
    }

    /// `rm -f NAME`: kills the container if it still runs and removes it; no error if it is gone.
    func remove(_ name: String) async {
        _ = await run(["rm", "--force", name])
    }

    /// What a runtime printed about its failure: its `Error:` lines without the prefix, else
    /// all of standard error (or standard output) on one line.
    static func message(of output: CapturedOutput) -> String {
        let text = output.errorText.isEmpty ? output.outputText : output.errorText
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(inSet: " \t\r") }
            .filter { !$0.isEmpty }
        let errors = lines.filter { $0.hasPrefix("Error: ") || $0.hasPrefix("Error response from daemon: ") }
        let chosen = errors.isEmpty ? lines : errors.map { line in
            line.hasPrefix("Error: ") ? String(line.dropFirst("Error: ".count)) : line
        }
        if chosen.isEmpty { return "it printed nothing (\(output.status))" }
        return chosen.joined(separator: "; ")
    }
}

extension Substring {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(inSet set: String) -> String {
        let characters = Set(set)
        var slice = self
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
