import CGnomonSpawn
import Glibc

/// What a helper program printed and how it ended.
public struct CapturedOutput: Sendable, Hashable {
    public var status: ProcessTermination
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    /// Standard output as UTF-8 text (invalid bytes repaired).
    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
    /// Standard error as UTF-8 text (invalid bytes repaired).
    public var errorText: String { String(decoding: standardError, as: UTF8.self) }
}

extension ProcessSpawner {
    /// Runs a helper program (for example `podman inspect`) to its end and returns its output.
    ///
    /// Meant for short helpers whose output fits in memory; a task's output goes to a log file
    /// instead (``LocalProcessExecutor``). Output is captured in anonymous in-memory files read
    /// after the exit, so a chatty helper never blocks on a full pipe and no thread reads it.
    /// The helper runs in its own process group, stdin from `/dev/null` or, when `input` is given,
    /// from an in-memory file holding it (read to its end, never blocking). If the calling task is
    /// cancelled, the group gets SIGTERM, then SIGKILL after `killGrace`, and the result is
    /// returned as usual (its status then shows the signal).
    /// - Parameter arguments: the argv; a bare `argv[0]` is looked up in `environment["PATH"]`.
    /// - Throws: ``SpawnError`` if the program cannot be started at all.
    public func runCapturingOutput(
        _ arguments: [String],
        environment: [String: String],
        workingDirectory: String? = nil,
        input: [UInt8]? = nil,
        killGrace: Duration = .seconds(10)
    ) async throws(SpawnError) -> CapturedOutput {
        guard let command = arguments.first else {
            throw SpawnError(message: "could not start a helper program: the argument list is empty")
        }
        let directory = workingDirectory ?? Self.currentDirectory()
        let executable: String
        switch CommandResolver().resolve(command, environment: environment, workingDirectory: directory) {
        case .success(let path): executable = path
        case .failure(let problem): throw SpawnError(message: problem.reason)
        }
        let output = try Self.makeCaptureFile("gnomon-stdout")
        defer { close(output) }
        let errors = try Self.makeCaptureFile("gnomon-stderr")
        defer { close(errors) }
        var standardInput = SpawnRequest.Stream.null
        if let input {
            let descriptor = try Self.makeInputFile(input)
            standardInput = .descriptor(descriptor)
        }
        defer { if case .descriptor(let descriptor) = standardInput { close(descriptor) } }

        let pid = try spawn(SpawnRequest(
            executable: executable, arguments: arguments, environment: environment,
            workingDirectory: workingDirectory, standardInput: standardInput,
            standardOutput: .descriptor(output), standardError: .descriptor(errors), ownGroup: true))
        let terminator = GroupTerminator(pgid: pid, grace: killGrace, spawner: self)
        let status = await withTaskCancellationHandler {
            await waitForExit(of: pid)
        } onCancel: {
            terminator.stop(because: .cancelled)
        }
        _ = terminator.finish()
        killProcessGroup(pid, signal: SIGKILL)
        return CapturedOutput(status: status, standardOutput: Self.readAll(output), standardError: Self.readAll(errors))
    }

    private static func makeCaptureFile(_ name: String) throws(SpawnError) -> Int32 {
        let descriptor = gnomon_memfd(name)
        guard descriptor >= 0 else {
            let code = errno
            throw SpawnError(message: "could not make a buffer for a helper's output: \(ErrnoText.describe(code))", errno: code)
        }
        return descriptor
    }

    /// An in-memory file holding `bytes`, positioned at its start: a child's standard input.
    private static func makeInputFile(_ bytes: [UInt8]) throws(SpawnError) -> Int32 {
        let descriptor = try makeCaptureFile("gnomon-stdin")
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + written, $0.count - written, off_t(written)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                throw SpawnError(message: "could not write a helper's input: \(ErrnoText.describe(code))", errno: code)
            }
            written += count
        }
        return descriptor
    }

    /// Reads a whole capture file from its start.
    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
            offset += off_t(count)
        }
        return bytes
    }

    private static func currentDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "/" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
