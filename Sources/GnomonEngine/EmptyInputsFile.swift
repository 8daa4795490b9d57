import GnomonExecution
import Synchronization

/// A run's one empty inputs file (``AttemptFiles/emptyInputsPath(logPath:)``, `{}`): what
/// `GNOMON_INPUTS` names for an attempt none of whose upstream tasks published an output. The
/// first such attempt of the run makes it; the others only name it.
final class EmptyInputsFile: Sendable {
    private let made = Mutex(false)

    /// Makes the file at `path` unless this run made it already (a file left by an earlier
    /// runner of the run is kept); a problem is the could-not-start reason.
    func make(at path: String) -> String? {
        made.withLock { made in
            if made { return nil }
            let problem = AttemptFiles.makeEmptyInputs(at: path)
            made = problem == nil
            return problem
        }
    }
}
