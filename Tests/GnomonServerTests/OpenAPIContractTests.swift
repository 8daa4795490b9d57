import Foundation
@testable import GnomonApp
import GnomonDaemon
import GnomonServer
import GnomonStore
import GnomonTesting
import Testing

/// Docs/openapi.json describes every route the server has, the server serves that very document,
/// and the answers of a real daemon match its schemas.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OpenAPIContractTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func document() throws -> JSON {
        try JSON.parse(Data(contentsOf: packageRoot.appendingPathComponent("Docs/openapi.json")))
    }

    @Test
    func theServedDocumentIsDocsOpenAPIJSON() throws {
        #expect(try JSON.parse(Data(OpenAPIDocument.text.utf8)) == Self.document(),
                "Docs/openapi.json changed without the embedded copy: run scripts/embed-openapi")
    }

    @Test
    func everyAPIRouteIsInTheDocumentAndEveryDocumentedPathIsARoute() throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let context = APIContext(
            daemon: .standalone(store: store, home: home.home, jobsDirectory: home.jobs),
            settings: GlobalSettings(jobs: home.jobs, home: home.home))
        let routes = APIRoutes.make(context).filter { $0.path.hasPrefix("/api/") || $0.path == "/health" || $0.path == "/metrics" }
        let paths = try Self.document()["paths"]
        var documented: Set<String> = []
        if case .object(let object)? = paths {
            for (path, operations) in object {
                if case .object(let methods) = operations { for method in methods.keys { documented.insert("\(method.uppercased()) \(path)") } }
            }
        }
        // /api/v1/session is the sign-in routes' (GnomonServer's own), documented too.
        let served = Set(routes.map { "\($0.method.rawValue) \($0.path)" } + ["GET /api/v1/session"])
        #expect(served.subtracting(documented).isEmpty, "routes missing from Docs/openapi.json: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    /// A tour of every endpoint of a daemon with real runs; each answer is checked against the
    /// schema of its path, method and status.
    @Test
    func answersMatchTheirSchemas() async throws {
        let fixture = try await ServerFixture.start()
        let daemon = fixture.daemon
        let check = SchemaCheck(document: try Self.document())
        var checked = 0
        func expectMatch(_ method: String, _ template: String, _ response: HTTPTestClient.Response) throws {
            let schema = try #require(check.responseSchema(method: method, path: template, status: response.status),
                                      "\(method) \(template) has no documented \(response.status) answer: \(response.text)")
            let problems = check.problems(try JSON.parse(response.body), schema)
            #expect(problems.isEmpty, "\(method) \(template) \(response.status): \(problems.prefix(5))")
            checked += 1
        }
        let created = try await daemon.request("POST", "/api/v1/jobs/hello/runs", json: "{\"params\": {\"day\": \"2026-11-26\"}}")
        #expect(created.status == 201, "\(created.text)")
        try expectMatch("POST", "/api/v1/jobs/{job}/runs", created)
        let id = try #require(JSON.parse(created.body)["id"]?.int)
        let finished = await eventually(within: .seconds(20), every: .milliseconds(20)) { () async throws -> Bool in
            try JSON.parse(await daemon.request("GET", "/api/v1/runs/\(id)").body)["status"]?.string == "succeeded"
        }
        #expect(finished, "run \(id) did not succeed: \(daemon.log)")
        let failing = try await daemon.request("POST", "/api/v1/jobs/failing/runs", json: "{}")
        try expectMatch("POST", "/api/v1/jobs/{job}/runs", failing)
        // A fan-out: its instances are tasks of the run, with instance_of, index and item.
        let fan = try JSON.parse(await daemon.request("POST", "/api/v1/jobs/fan/runs", json: "{}").body)["id"]?.int
        let fanID = try #require(fan)
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { () async throws -> Bool in
            try JSON.parse(await daemon.request("GET", "/api/v1/runs/\(fanID)").body)["status"]?.string == "succeeded"
        }, "run \(fanID) did not succeed: \(daemon.log)")
        let slow = try await daemon.request("POST", "/api/v1/jobs/slow/runs", json: "{}")
        let slowID = try #require(JSON.parse(slow.body)["id"]?.int)

        let tour: [(String, String, String, String?)] = [
            ("GET", "/health", "/health", nil),
            ("GET", "/api/v1/session", "/api/v1/session", nil),
            ("GET", "/api/v1/jobs", "/api/v1/jobs", nil),
            ("GET", "/api/v1/jobs/{job}", "/api/v1/jobs/hello", nil),
            ("GET", "/api/v1/jobs/{job}", "/api/v1/jobs/broken", nil),
            ("GET", "/api/v1/jobs/{job}", "/api/v1/jobs/slow?next=3", nil),
            ("GET", "/api/v1/jobs/{job}/ticks", "/api/v1/jobs/slow/ticks", nil),
            ("GET", "/api/v1/runs", "/api/v1/runs?limit=2", nil),
            ("GET", "/api/v1/runs", "/api/v1/runs?status=succeeded,failed&trigger=manual", nil),
            ("GET", "/api/v1/runs/{id}", "/api/v1/runs/\(id)", nil),
            ("GET", "/api/v1/runs/{id}", "/api/v1/runs/\(id)?task_limit=1", nil),
            ("GET", "/api/v1/runs/{id}", "/api/v1/runs/\(fanID)", nil),
            ("POST", "/api/v1/jobs/{job}/pause", "/api/v1/jobs/slow/pause", "{}"),
            ("POST", "/api/v1/jobs/{job}/resume", "/api/v1/jobs/slow/resume", nil),
            ("POST", "/api/v1/runs/{id}/kill", "/api/v1/runs/\(slowID)/kill", nil),
            ("POST", "/api/v1/runs/{id}/kill", "/api/v1/runs/\(id)/kill", nil),
            ("GET", "/api/v1/runs/{id}", "/api/v1/runs/999999", nil),
            ("GET", "/api/v1/runs", "/api/v1/runs?limit=x", nil),
            ("GET", "/api/v1/jobs", "/api/v1/jobs", nil),
        ]
        for (method, template, path, body) in tour {
            try expectMatch(method, template, try await daemon.request(method, path, json: body))
        }
        try expectMatch("GET", "/api/v1/jobs", try await daemon.request("GET", "/api/v1/jobs", token: ""))
        #expect(checked == tour.count + 3)
        #expect(await daemon.stop() == 0)
    }
}
