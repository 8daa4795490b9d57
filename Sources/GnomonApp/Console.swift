import Glibc
import GnomonExecution

/// The `gnomon` process's own standard output, standard error and exit.
///
/// Every line the command line prints goes through ``DescriptorText`` (which, unlike
/// `FileHandle`, does not trap when a write fails); the `gnomon` target reaches it only here.
public enum Console {
    /// Prepares the process (malloc settings); call once, first thing in `main`.
    public static func prepareProcess() {
        MemoryTuning.apply()
    }

    /// Writes `text` and a newline (unless it ends with one) to standard output.
    public static func say(_ text: String) {
        DescriptorText.write(text.hasSuffix("\n") ? text : text + "\n", to: STDOUT_FILENO)
    }

    /// Writes `text` and a newline (unless it ends with one) to standard error.
    public static func warn(_ text: String) {
        DescriptorText.write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    /// Prints `gnomon: MESSAGE` on standard error and exits with the error's status.
    public static func fail(_ error: AppError) -> Never {
        warn("gnomon: \(error.message)")
        exit(error.status)
    }

    /// Exits the process with `status`.
    public static func exit(_ status: CommandExit) -> Never {
        Glibc.exit(status.rawValue)
    }
}
