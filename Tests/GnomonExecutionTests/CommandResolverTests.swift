import GnomonExecution
import Testing

/// argv[0] lookup over a made-up file system.
@Suite("Command resolution")
struct CommandResolverTests {
    static let files: [String: CommandResolver.FileKind] = [
        "/usr/bin/tool": .file(executable: true),
        "/opt/bin/tool": .file(executable: true),
        "/opt/bin/plain": .file(executable: false),
        "/usr/bin/plain": .file(executable: false),
        "/home/u/bin/later": .file(executable: true),
        "/work/script.sh": .file(executable: true),
        "/work/bin/local": .file(executable: true),
        "/work/here": .file(executable: true),
        "/work/folder": .directory,
        "/work/notes.txt": .file(executable: false),
    ]
    static let resolver = CommandResolver { files[$0] ?? .missing }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let command: String
        let path: String?
        let expected: Result<String, CommandResolver.Problem>
        var testDescription: String { name }

        init(_ name: String, _ command: String, path: String? = "/usr/bin:/opt/bin",
             found: String) {
            self.name = name
            self.command = command
            self.path = path
            self.expected = .success(found)
        }

        init(_ name: String, _ command: String, path: String? = "/usr/bin:/opt/bin",
             problem: String) {
            self.name = name
            self.command = command
            self.path = path
            self.expected = .failure(CommandResolver.Problem(reason: problem))
        }
    }

    static let cases: [Case] = [
        Case("a bare name is found in the first PATH entry that has it", "tool", found: "/usr/bin/tool"),
        Case("PATH order decides", "tool", path: "/opt/bin:/usr/bin", found: "/opt/bin/tool"),
        Case("a later PATH entry is searched", "later", path: "/usr/bin:/home/u/bin", found: "/home/u/bin/later"),
        Case("an executable later in PATH wins over a non-executable earlier", "plain",
             path: "/usr/bin:/opt/bin:/home/u/bin", problem:
             "command \"plain\" found at /usr/bin/plain but it is not executable (permission denied); make it executable with chmod +x /usr/bin/plain"),
        Case("a name nowhere in PATH", "nosuch", path: "/usr/bin:/bin",
             problem: "command \"nosuch\" not found in PATH (/usr/bin:/bin)"),
        Case("no PATH in the environment", "tool", path: nil, problem:
             "command \"tool\" cannot be looked up: PATH is not set in the task's environment; give a full path or set PATH"),
        Case("an empty PATH entry means the working directory", "here", path: "/usr/bin:", found: "/work/here"),
        Case("a relative PATH entry is taken from the working directory", "local", path: "bin", found: "/work/bin/local"),
        Case("an absolute path is used as it is", "/usr/bin/tool", found: "/usr/bin/tool"),
        Case("a relative path is taken from the working directory", "./script.sh", found: "/work/script.sh"),
        Case("a path to nothing", "/usr/bin/gone", problem: "command \"/usr/bin/gone\" does not exist"),
        Case("a relative path to nothing says where it looked", "bin/gone",
             problem: "command \"bin/gone\" does not exist (looked for /work/bin/gone)"),
        Case("a path to a directory", "/work/folder", problem: "command \"/work/folder\" is a directory, not a program"),
        Case("a path to a non-executable file", "/work/notes.txt", problem:
             "command \"/work/notes.txt\" is not executable (permission denied); make it executable with chmod +x /work/notes.txt"),
        Case("an empty command", "", problem: "the command is empty"),
    ]

    @Test("resolve", arguments: cases)
    func resolve(_ testCase: Case) {
        var environment = ["HOME": "/home/u"]
        environment["PATH"] = testCase.path
        let result = Self.resolver.resolve(testCase.command, environment: environment, workingDirectory: "/work")
        #expect(result == testCase.expected)
    }

    @Test("the real file system: /bin/sh is found and /etc/passwd is not executable")
    func realFileSystem() {
        let resolver = CommandResolver()
        #expect(resolver.resolve("sh", environment: ["PATH": "/nonexistent:/bin"], workingDirectory: "/") == .success("/bin/sh"))
        #expect(resolver.resolve("/etc/passwd", environment: [:], workingDirectory: "/") == .failure(.init(reason:
            "command \"/etc/passwd\" is not executable (permission denied); make it executable with chmod +x /etc/passwd")))
    }
}
