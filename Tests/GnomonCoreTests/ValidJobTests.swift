import Foundation
import GnomonCore
import Testing

/// `ValidJob`: a spec with its graph and parsed schedule, made only when both are valid.
@Suite("Validated jobs")
struct ValidJobTests {
    static func task(_ name: String, dependsOn: [String] = [], after: [String] = []) -> TaskSpec {
        TaskSpec(name: name, action: .shell("true"), dependsOn: dependsOn, after: after)
    }

    static func job(_ tasks: [TaskSpec], schedule: ScheduleSpec? = nil) -> JobSpec {
        JobSpec(name: "etl", schedule: schedule, tasks: tasks, directory: "/jobs")
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        let name: String
        let spec: JobSpec
        let graph: [TaskGraph.Problem]
        let schedulePart: ScheduleProblem.Part?
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "an unknown required dependency", spec: job([task("a", dependsOn: ["b"])]),
                graph: [.unknownDependency(task: "a", kind: .required, dependency: "b", suggestion: "a")], schedulePart: nil),
        Invalid(name: "an unknown completion-only dependency", spec: job([task("ab"), task("b", after: ["aa"])]),
                graph: [.unknownDependency(task: "b", kind: .completionOnly, dependency: "aa", suggestion: "ab")], schedulePart: nil),
        Invalid(name: "a task after itself", spec: job([task("a", after: ["a"])]),
                graph: [.selfDependency(task: "a", kind: .completionOnly)], schedulePart: nil),
        Invalid(name: "the same upstream of both kinds", spec: job([task("a"), task("b", dependsOn: ["a"], after: ["a"])]),
                graph: [.duplicateDependency(task: "b", kind: .completionOnly, dependency: "a")], schedulePart: nil),
        Invalid(name: "a cycle", spec: job([task("a", dependsOn: ["b"]), task("b", after: ["a"])]),
                graph: [.cycle(["a", "b", "a"])], schedulePart: nil),
        Invalid(name: "a schedule that does not parse", spec: job([task("a")], schedule: ScheduleSpec(expression: "61 * * * *")),
                graph: [], schedulePart: .expression),
        Invalid(name: "both at once", spec: job([task("a", dependsOn: ["a"])], schedule: ScheduleSpec(expression: "@daily", timeZone: "Mars/Base")),
                graph: [.selfDependency(task: "a", kind: .required)], schedulePart: .timeZone),
    ]

    @Test("an invalid spec makes no job, and says every reason", arguments: invalid)
    func refused(_ c: Invalid) {
        #expect(throws: ValidJob.Problems.self) { try ValidJob(c.spec) }
        do {
            _ = try ValidJob(c.spec)
        } catch {
            #expect(error.graph == c.graph)
            #expect(error.schedule?.part == c.schedulePart)
        }
    }

    @Test("core's graph problems speak of kinds, not of file keys", arguments: [
        (TaskGraph.Problem.unknownDependency(task: "b", kind: .required, dependency: "x", suggestion: nil),
         "task \"b\" depends on unknown task \"x\"; define it or remove the dependency"),
        (.unknownDependency(task: "b", kind: .completionOnly, dependency: "lod", suggestion: "load"),
         "task \"b\" runs after unknown task \"lod\"; did you mean \"load\"?"),
        (.selfDependency(task: "a", kind: .completionOnly), "task \"a\" runs after itself; remove the dependency"),
        (.duplicateDependency(task: "b", kind: .required, dependency: "a"), "task \"b\" depends on \"a\" more than once; keep one"),
        (.cycle(["a", "b", "a"]), "dependency cycle: a -> b -> a; remove one of these edges"),
    ])
    func descriptions(_ problem: TaskGraph.Problem, _ expected: String) {
        #expect(problem.description == expected)
    }

    @Test("a valid spec carries its graph and its parsed schedule")
    func carried() throws {
        let spec = Self.job([Self.task("a"), Self.task("b", dependsOn: ["a"]), Self.task("c", after: ["b"])],
                            schedule: ScheduleSpec(expression: "0 9 * * *", timeZone: "Asia/Tokyo"))
        let job = try ValidJob(spec)
        #expect(job.spec == spec)
        #expect(job.graph.topologicalOrder == ["a", "b", "c"])
        #expect(job.graph.upstream["c"]?.map(\.kind) == [.completionOnly])
        #expect(job.graph.upstream["b"]?.map(\.required) == [true])
        // 09:00 in Tokyo is 00:00 UTC; the first fire strictly after the epoch is a day later.
        let first = try #require(job.schedule?.next(after: Date(timeIntervalSince1970: 0)))
        #expect(first == Date(timeIntervalSince1970: 86_400))
        #expect(job.schedule?.timeZone.identifier == "Asia/Tokyo")
        #expect(try ValidJob(Self.job([Self.task("a")])).schedule == nil)
    }

    struct Parts: CustomTestStringConvertible, Sendable {
        let name: String
        let spec: JobSpec
        let accepted: Bool
        var testDescription: String { name }
    }

    static let built = job([task("a"), task("b", dependsOn: ["a"])], schedule: ScheduleSpec(expression: "@hourly"))

    static let parts: [Parts] = [
        Parts(name: "the spec the parts were built from", spec: built, accepted: true),
        Parts(name: "a task more", spec: job(built.tasks + [task("c")], schedule: built.schedule), accepted: false),
        Parts(name: "an edge of another kind", spec: job([task("a"), task("b", after: ["a"])], schedule: built.schedule), accepted: false),
        Parts(name: "another schedule", spec: job(built.tasks, schedule: ScheduleSpec(expression: "@daily")), accepted: false),
        Parts(name: "no schedule", spec: job(built.tasks), accepted: false),
    ]

    @Test("a spec with parts already built is accepted only with its own parts", arguments: parts)
    func assembled(_ c: Parts) throws {
        let graph = try TaskGraph.build(Self.built.tasks).get()
        let schedule = try Self.built.schedule!.parse().get()
        #expect((ValidJob(c.spec, graph: graph, schedule: schedule) != nil) == c.accepted)
    }
}
