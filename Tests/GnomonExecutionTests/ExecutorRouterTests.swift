import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// The one object the engine holds: each launch goes to the executor of its action's kind.
@Suite("Executor router")
struct ExecutorRouterTests {
    static let container = TaskAction.container(ContainerSpec(image: "localhost/loader:1"))

    static func launch(_ action: TaskAction, in scratch: Scratch) -> AttemptLaunch {
        AttemptLaunch(
            identity: testIdentity, action: action, environment: testEnvironment, workingDirectory: scratch.path,
            logPath: scratch.file("attempt.log"))
    }

    struct RoutingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let action: TaskAction
        /// The kind whose executor must get the launch.
        let kind: ExecutorKind
        var testDescription: String { name }
    }

    static let routing: [RoutingCase] = [
        RoutingCase(name: "a run: task goes to the local executor", action: .shell("true"), kind: .local),
        RoutingCase(name: "a command: task goes to the local executor", action: .command(["true"]), kind: .local),
        RoutingCase(name: "a container: task goes to the container executor", action: container, kind: .container),
    ]

    @Test("routing", arguments: routing)
    func routes(_ testCase: RoutingCase) async {
        let scratch = Scratch()
        defer { scratch.remove() }
        let executors = Dictionary(uniqueKeysWithValues: ExecutorKind.allCases.map { ($0, RecordingExecutor()) })
        let router = ExecutorRouter(executors)

        let outcome = await router.run(Self.launch(testCase.action, in: scratch)) { _ in }

        #expect(outcome == .exited(code: 0))
        for (kind, executor) in executors {
            #expect(executor.launches.count == (kind == testCase.kind ? 1 : 0), "\(kind) executor")
        }
    }

    struct UnavailableCase: Sendable, CustomTestStringConvertible {
        let name: String
        let router: @Sendable () -> ExecutorRouter
        let action: TaskAction
        let reason: String
        var testDescription: String { name }
    }

    static let unavailable: [UnavailableCase] = [
        UnavailableCase(
            name: "no container runtime: a container task could not start, with the runtime's reason",
            router: {
                ExecutorRouter.standard(
                    environment: [:], containerRuntime: .failure(ContainerRuntimeProblem(message: "no container runtime found: install podman")))
            },
            action: container, reason: "no container runtime found: install podman"),
        UnavailableCase(
            name: "a kind with no executor at all could not start",
            router: { ExecutorRouter([.local: LocalProcessExecutor()]) },
            action: container, reason: "no executor for container tasks is set up in this Gnomon"),
        UnavailableCase(
            name: "a local executor given a container task could not start",
            router: { ExecutorRouter([.local: LocalProcessExecutor(), .container: LocalProcessExecutor()]) },
            action: container, reason: "a container task cannot run as a local process; it needs the container executor"),
    ]

    @Test("an unavailable executor", arguments: unavailable)
    func unavailableExecutor(_ testCase: UnavailableCase) async {
        let scratch = Scratch()
        defer { scratch.remove() }
        let starts = StartRecorder()
        let launch = Self.launch(testCase.action, in: scratch)

        let outcome = await testCase.router().run(launch) { starts.record($0) }

        #expect(outcome == .couldNotStart(reason: testCase.reason))
        #expect(ProcessProbe.readText(launch.logPath) == "gnomon: could not start: \(testCase.reason)\n")
        #expect(starts.all.isEmpty)
    }

    @Test("re-attaching goes through the executor of the reference's kind; an unavailable one cannot")
    func reattach() async {
        let router = ExecutorRouter.standard(
            environment: [:], containerRuntime: .failure(ContainerRuntimeProblem(message: "none here")))
        let reference = AttemptReference.container("gnomon-etl-1-load-1")

        #expect(!router.canReattach(reference))
        #expect(await router.reattach(reference, logPath: "/nonexistent/attempt.log") == nil)
        #expect(!router.canReattach(AttemptReference(kind: .local, identifier: "1234")))
    }
}
