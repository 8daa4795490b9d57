/// A job whose task graph and schedule have been checked, carried with them so that nothing
/// downstream (the engine, the daemon, the commands) builds or parses them again.
///
/// It can be made only from a spec whose graph and schedule are valid: by checking the spec
/// (``init(_:)``), or from a spec and the graph and schedule already built from it
/// (``init(_:graph:schedule:)``, which the job-file loader uses since it builds them while it
/// reads the file, to report each problem at its line). Two are equal when their specs are.
public struct ValidJob: Sendable, Hashable {
    /// The job as written.
    public let spec: JobSpec
    /// The dependency graph of `spec.tasks`.
    public let graph: TaskGraph
    /// `spec.schedule`, parsed; `nil` for a job that runs only when asked.
    public let schedule: JobSchedule?

    /// Every reason a spec is not a valid job.
    public struct Problems: Error, Sendable, Hashable, CustomStringConvertible {
        public let graph: [TaskGraph.Problem]
        public let schedule: ScheduleProblem?
        /// References to outputs that cannot be used (``OutputReferences/problems(in:)``), each
        /// as `tasks.NAME.PATH: message`.
        public let references: [String]

        public var description: String {
            (graph.map(\.description) + [schedule?.message].compactMap { $0 } + references).joined(separator: "; ")
        }
    }

    /// Checks `spec`: builds its graph, parses its schedule and checks its references to outputs,
    /// or throws every problem found.
    public init(_ spec: JobSpec) throws(Problems) {
        let graph = TaskGraph.build(spec.tasks)
        let schedule = spec.schedule.map { $0.parse() }
        let references = OutputReferences.problems(in: spec).map { "tasks.\($0.task).\($0.path): \($0.problem)" }
        switch (graph, schedule) {
        case (.success(let graph), .success(let schedule)?) where references.isEmpty:
            self.init(checked: spec, graph: graph, schedule: schedule)
        case (.success(let graph), nil) where references.isEmpty:
            self.init(checked: spec, graph: graph, schedule: nil)
        default:
            let graphProblems: [TaskGraph.Problem]
            if case .failure(let problems) = graph { graphProblems = problems.all } else { graphProblems = [] }
            var scheduleProblem: ScheduleProblem?
            if case .failure(let problem)? = schedule { scheduleProblem = problem }
            throw Problems(graph: graphProblems, schedule: scheduleProblem, references: references)
        }
    }

    /// `spec` with the graph and schedule already built from it; `nil` if `graph` is not the
    /// graph of `spec.tasks` or `schedule` is not `spec.schedule` parsed.
    public init?(_ spec: JobSpec, graph: TaskGraph, schedule: JobSchedule?) {
        guard graph.describes(spec.tasks), schedule?.spec == spec.schedule else { return nil }
        self.init(checked: spec, graph: graph, schedule: schedule)
    }

    private init(checked spec: JobSpec, graph: TaskGraph, schedule: JobSchedule?) {
        self.spec = spec
        self.graph = graph
        self.schedule = schedule
    }

    /// The job's name.
    public var name: String { spec.name }

    public static func == (lhs: ValidJob, rhs: ValidJob) -> Bool { lhs.spec == rhs.spec }

    public func hash(into hasher: inout Hasher) { hasher.combine(spec) }
}
