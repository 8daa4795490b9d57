import Foundation
import GnomonCore
import GnomonJobFiles
import Testing

/// Keeps Docs/job-file.schema.json in step with the loader, and the example jobs valid.
@Suite("JSON Schema and example jobs")
struct SchemaTests {
    static let schemaPath = "\(Fixtures.repositoryRoot)/Docs/job-file.schema.json"

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The schema object at a `/`-separated path of keys and array indices.
    static func object(_ schema: [String: Any], _ path: String) throws -> [String: Any] {
        var node: Any = schema
        for part in path.split(separator: "/") {
            if let array = node as? [Any], let index = Int(part), array.indices.contains(index) {
                node = array[index]
                continue
            }
            let dictionary = try #require(node as? [String: Any], "\(path): \(part) is not an object")
            node = try #require(dictionary[String(part)], "\(path): no \(part)")
        }
        return try #require(node as? [String: Any])
    }

    struct KeySet: CustomTestStringConvertible, Sendable {
        let name: String
        /// Path to the object schema whose `properties` must match.
        let schemaPath: String
        let loaderKeys: [String]
        var testDescription: String { name }
    }

    static let keySets: [KeySet] = [
        KeySet(name: "top-level keys", schemaPath: "", loaderKeys: JobFileFormat.jobKeys),
        KeySet(name: "long schedule keys", schemaPath: "definitions/schedule", loaderKeys: JobFileFormat.scheduleKeys),
        KeySet(name: "task keys", schemaPath: "definitions/task", loaderKeys: JobFileFormat.taskKeys),
        KeySet(name: "defaults keys", schemaPath: "definitions/defaults", loaderKeys: JobFileFormat.defaultsKeys),
        KeySet(name: "retry keys", schemaPath: "definitions/retry/oneOf/1", loaderKeys: JobFileFormat.retryKeys),
        KeySet(name: "container keys", schemaPath: "definitions/container", loaderKeys: JobFileFormat.containerKeys),
        KeySet(name: "keep keys", schemaPath: "definitions/keep", loaderKeys: JobFileFormat.keepKeys),
    ]

    @Test("the schema and the loader accept the same keys", arguments: keySets)
    func sameKeys(_ set: KeySet) throws {
        let schema = try Self.schema()
        let object = set.schemaPath.isEmpty ? schema : try Self.object(schema, set.schemaPath)
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(set.loaderKeys))
        #expect(object["additionalProperties"] as? Bool == false)
    }

    struct Choice: CustomTestStringConvertible, Sendable {
        let name: String
        let schemaPath: String
        let values: [String]
        let defaultValue: String
        var testDescription: String { name }
    }

    static let choices: [Choice] = [
        Choice(name: "overlap", schemaPath: "properties/overlap",
               values: OverlapPolicy.allCases.map(\.rawValue), defaultValue: OverlapPolicy.skip.rawValue),
        Choice(name: "catchup", schemaPath: "properties/catchup",
               values: CatchupPolicy.allCases.map(\.rawValue), defaultValue: CatchupPolicy.latest.rawValue),
        Choice(name: "pull", schemaPath: "definitions/container/properties/pull",
               values: PullPolicy.allCases.map(\.rawValue), defaultValue: PullPolicy.missing.rawValue),
    ]

    @Test("the schema's enums and defaults are the model's", arguments: choices)
    func sameChoices(_ choice: Choice) throws {
        let object = try Self.object(try Self.schema(), choice.schemaPath)
        #expect(object["enum"] as? [String] == choice.values)
        #expect(object["default"] as? String == choice.defaultValue)
    }

    @Test("the schema's bounds are the loader's")
    func sameBounds() throws {
        let schema = try Self.schema()
        let concurrency = try Self.object(schema, "properties/concurrency")
        #expect(concurrency["maximum"] as? Int == JobFileFormat.maximumConcurrency)
        let tasks = try Self.object(schema, "properties/tasks")
        #expect(tasks["maxProperties"] as? Int == JobFileFormat.maximumTasksPerRun)
        let retry = try Self.object(schema, "definitions/retry/oneOf/1/properties/limit")
        #expect(retry["maximum"] as? Int == JobFileFormat.maximumRetries)
        let backoff = try Self.object(schema, "definitions/retry/oneOf/1/properties/backoff")
        #expect(backoff["maximum"] as? Double == JobFileFormat.maximumBackoff)
        let name = try Self.object(schema, "definitions/name")
        #expect(name["maxLength"] as? Int == JobFileFormat.maximumNameLength)
    }

    /// The paths of the object schemas in `schema` that have properties but do not forbid other keys.
    static func openObjects(in schema: Any) -> [String] {
        var open: [String] = []
        func visit(_ node: Any, _ path: String) {
            if let dictionary = node as? [String: Any] {
                if dictionary["properties"] != nil, dictionary["additionalProperties"] as? Bool != false {
                    open.append(path)
                }
                for (key, value) in dictionary { visit(value, "\(path)/\(key)") }
            } else if let array = node as? [Any] {
                for (index, value) in array.enumerated() { visit(value, "\(path)/\(index)") }
            }
        }
        visit(schema, "")
        return open
    }

    /// Every object schema with properties closes its key set, so editors flag unknown keys.
    @Test("every object in the schema forbids unknown keys")
    func closedObjects() throws {
        #expect(Self.openObjects(in: try Self.schema()) == [])
    }

    static let exampleJobs: [String] = {
        let folder = "\(Fixtures.repositoryRoot)/jobs"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }()

    @Test("there are at least the four documented example jobs")
    func examplesExist() {
        #expect(Set(["hello.yaml", "disk-report.yaml", "backup-rotate.yaml", "container-demo.yaml"])
            .isSubset(of: Self.exampleJobs))
    }

    @Test("every example job loads without problems", arguments: exampleJobs)
    func exampleLoads(_ file: String) throws {
        let result = JobFileLoader.load(path: "\(Fixtures.repositoryRoot)/jobs/\(file)")
        #expect(result.diagnostics.map(\.description) == [])
        let spec = try #require(result.spec)
        #expect(spec.directory == "\(Fixtures.repositoryRoot)/jobs")
    }

    @Test("the hello example is the small graph the README shows")
    func helloShape() throws {
        let spec = try #require(JobFileLoader.load(path: "\(Fixtures.repositoryRoot)/jobs/hello.yaml").spec)
        let graph = try TaskGraph.build(spec.tasks).get()
        #expect(graph.topologicalOrder == ["greet", "count", "pause", "summary", "tidy"])
        #expect(spec.schedule == nil)
        #expect(spec.task(named: "tidy")?.after == ["summary"])
    }
}
