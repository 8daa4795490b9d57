import GnomonCore
import GnomonExecution

/// Runs a program for each alert, through the one spawner (``ProcessSpawner``): the alert's JSON
/// on its standard input, its main fields in `GNOMON_EVENT_*` variables. Exit 0 is delivered.
public struct CommandSender: AlertSender {
    /// How long a program that outlived its timeout has between SIGTERM and SIGKILL.
    public static let killGrace: Duration = .seconds(1)
    /// The most of standard error quoted in a failure.
    static let quotedErrorCharacters = 200

    public let target: CommandTarget

    public init(target: CommandTarget) {
        self.target = target
    }

    /// The variables the program gets besides the target's environment; an absent field is empty.
    public static func variables(of alert: Alert) -> [String: String] {
        [
            "GNOMON_EVENT_TYPE": alert.type.rawValue,
            "GNOMON_EVENT_JOB": alert.job,
            "GNOMON_EVENT_RUN_ID": alert.runID.map(String.init) ?? "",
            "GNOMON_EVENT_STATUS": alert.status ?? "",
            "GNOMON_EVENT_ID": String(alert.eventID),
            "GNOMON_EVENT_TEXT": alert.text,
        ]
    }

    public func send(_ alert: Alert) async -> DeliveryResult {
        let environment = target.environment.merging(Self.variables(of: alert)) { _, event in event }
        let argv = target.argv, input = alert.jsonBody(), timeout = target.timeout
        let name = argv.first ?? "(no program)"
        // The run races the timeout; whichever ends first cancels the other, and a cancelled run
        // stops its process group (SIGTERM, then SIGKILL after the grace) and still returns.
        let ended = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                do throws(SpawnError) {
                    return .ran(try await ProcessSpawner.shared.runCapturingOutput(
                        argv, environment: environment, input: input, killGrace: Self.killGrace))
                } catch {
                    return .couldNotStart(error.message)
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .timedOut
            }
            var first: Ending?
            for await ending in group {
                guard let ending else { continue }
                if first == nil {
                    first = ending
                    group.cancelAll()
                }
            }
            return first ?? .timedOut
        }
        switch ended {
        case .couldNotStart(let message):
            return .failed(error: "could not start \(name): \(message)", retryable: false)
        case .timedOut:
            return .failed(error: "\(name) timed out after \(DurationText.format(timeout)) and was stopped", retryable: true)
        case .ran(let output):
            if output.status == .exited(code: 0) { return .delivered(detail: "exit 0") }
            let errors = HTTPPost.quote(output.errorText)
            return .failed(
                error: "\(name) ended with \(output.status)" + (errors.isEmpty ? "" : ": \(errors)"),
                retryable: true)
        }
    }

    private enum Ending: Sendable {
        case ran(CapturedOutput)
        case couldNotStart(String)
        case timedOut
    }
}
