import Foundation
import GnomonTesting
import Testing

/// The daemon's server on a real port with a real store and real tasks: every refusal has its
/// status and a JSON error that says what to fix; tokens, roles and browser sessions.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServerRequestTests {
    /// One request and what must come back.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path: String
        var body: String? = nil
        /// nil: the admin token; "": none; else a token name from `ServerFixture.tokens`.
        var token: String? = nil
        var headers: [String: String] = [:]
        var status: Int
        var code: String? = nil
        /// Words the error message must contain.
        var says: [String] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "health needs no token", path: "/health", token: "", status: 200),
        Case(name: "no token", path: "/api/v1/jobs", token: "", status: 401, code: "unauthorized", says: ["Authorization: Bearer", "api-token"]),
        Case(name: "an unknown token", path: "/api/v1/jobs", token: "nobody", status: 401, code: "unauthorized", says: ["not known"]),
        Case(name: "not a bearer header", path: "/api/v1/jobs", token: "", headers: ["Authorization": "Basic YWxhZGRpbjpvcGVuc2VzYW1l"],
             status: 401, code: "unauthorized", says: ["Bearer TOKEN"]),
        Case(name: "a read token lists jobs", path: "/api/v1/jobs", token: "viewer", status: 200),
        Case(name: "a read token cannot trigger", method: "POST", path: "/api/v1/jobs/hello/runs", body: "{}", token: "viewer",
             status: 403, code: "forbidden", says: ["viewer", "read", "operate"]),
        Case(name: "a read token cannot pause", method: "POST", path: "/api/v1/jobs/hello/pause", token: "viewer", status: 403, code: "forbidden"),
        Case(name: "an operate token pauses", method: "POST", path: "/api/v1/jobs/slow/pause", token: "operator", status: 200),
        Case(name: "an operate token resumes", method: "POST", path: "/api/v1/jobs/slow/resume", token: "operator", status: 200),
        Case(name: "an unknown endpoint", path: "/api/v1/nothing", status: 404, code: "not_found", says: ["openapi.json"]),
        Case(name: "a method the path does not take", method: "POST", path: "/api/v1/runs", body: "{}", status: 405,
             code: "method_not_allowed", says: ["GET"]),
        Case(name: "an unknown run", path: "/api/v1/runs/999999", status: 404, code: "not_found", says: ["run 999999", "GET /api/v1/runs"]),
        Case(name: "a run id that is not a number", path: "/api/v1/runs/abc", status: 404, code: "not_found", says: ["abc"]),
        Case(name: "an unknown job with a did-you-mean", path: "/api/v1/jobs/helo", status: 404, code: "not_found", says: ["did you mean \"hello\""]),
        Case(name: "an unknown job's ticks", path: "/api/v1/jobs/nope/ticks", status: 404, code: "not_found"),
        Case(name: "an unknown query parameter", path: "/api/v1/runs?limt=5", status: 400, code: "bad_request", says: ["limt", "limit"]),
        Case(name: "a limit out of range", path: "/api/v1/runs?limit=0", status: 400, code: "bad_request", says: ["1 to 1000"]),
        Case(name: "an unknown status", path: "/api/v1/runs?status=done", status: 400, code: "bad_request", says: ["succeeded"]),
        Case(name: "an unknown trigger", path: "/api/v1/runs?trigger=cron", status: 400, code: "bad_request", says: ["schedule"]),
        Case(name: "a bad since", path: "/api/v1/runs?since=yesterday", status: 400, code: "bad_request", says: ["ISO 8601"]),
        Case(name: "a forged cursor", path: "/api/v1/runs?cursor=xyz", status: 400, code: "bad_request", says: ["next_cursor"]),
        Case(name: "malformed JSON", method: "POST", path: "/api/v1/jobs/hello/runs", body: "{\"params\": ", status: 400,
             code: "bad_request", says: ["not valid JSON"]),
        Case(name: "a body that is not an object", method: "POST", path: "/api/v1/jobs/hello/runs", body: "[1, 2]", status: 400,
             code: "bad_request", says: ["JSON object"]),
        Case(name: "an unknown body field", method: "POST", path: "/api/v1/jobs/hello/runs", body: "{\"parms\": {}}", status: 400,
             code: "bad_request", says: ["parms", "params, tasks"]),
        Case(name: "a body that is not JSON", method: "POST", path: "/api/v1/jobs/hello/runs", body: "a=b",
             headers: ["Content-Type": "text/plain"], status: 415, code: "unsupported_media_type", says: ["application/json"]),
        Case(name: "params that are not strings", method: "POST", path: "/api/v1/jobs/hello/runs", body: "{\"params\": {\"n\": 3}}",
             status: 422, code: "invalid", says: ["params.n", "string"]),
        Case(name: "tasks the job does not have", method: "POST", path: "/api/v1/jobs/hello/runs", body: "{\"tasks\": [\"nope\"]}",
             status: 422, code: "invalid", says: ["nope", "its tasks"]),
        Case(name: "triggering an invalid job", method: "POST", path: "/api/v1/jobs/broken/runs", body: "{}", status: 409,
             code: "conflict", says: ["invalid"]),
        Case(name: "pausing with a body", method: "POST", path: "/api/v1/jobs/hello/pause", body: "{\"really\": true}", status: 400,
             code: "bad_request", says: ["really"]),
    ]

    @Test
    func everyRequestGetsItsStatusAndAJSONErrorThatSaysWhatToFix() async throws {
        let fixture = try await ServerFixture.start()
        defer { Task { await fixture.daemon.stop() } }
        for item in Self.cases {
            let token = item.token.map { $0.isEmpty ? "" : (fixture.tokens[$0] ?? "x" + String(repeating: "0", count: 40)) }
            let response = try await fixture.daemon.request(item.method, item.path, json: item.body, token: token, headers: item.headers)
            #expect(response.status == item.status, "\(item.name): \(response.status) \(response.text)")
            if let code = item.code {
                #expect(response.errorCode == code, "\(item.name): \(response.text)")
                #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(item.name)")
            }
            for word in item.says {
                #expect(response.errorMessage?.contains(word) == true, "\(item.name): \"\(word)\" not in \(response.text)")
            }
        }
        #expect(await fixture.daemon.stop() == 0)
        fixture.expectNoTokenIn(fixture.daemon.log)
    }
}
