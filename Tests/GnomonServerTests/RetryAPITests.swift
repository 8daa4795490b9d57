import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `POST /api/v1/runs/{id}/retry`: the daemon reopens the run and runs its failed, cancelled
/// and skipped tasks again.
@Suite("retry through the API")
struct RetryAPITests {
    @Test("a failed run retried through the API runs its failed and skipped tasks again; succeeded ones stay")
    func retryFailed() async throws {
        let d = try LiveDaemon()
        let flag = d.folders.path("second-time")
        try d.write(job: "flaky", """
            tasks:
              first: { run: "if [ -f \(flag) ]; then echo fine; else touch \(flag); exit 3; fi" }
              second: { run: "echo second", depends_on: [first] }
              solid: { run: "echo solid" }
            """)
        try await d.start()
        let run = try await d.trigger("flaky")
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { try d.run(run)?.summary.status == .failed })

        let response = try await d.request("POST", "/api/v1/runs/\(run)/retry", body: "{}")
        #expect(response.status == 202, "\(response.text)")
        let answer = try response.object()
        #expect(answer["id"] as? Int == Int(run))
        #expect(answer["status"] as? String != "failed", "the answer is the reopened run: \(answer)")
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { try d.run(run)?.summary.status == .succeeded })
        let detail = try #require(try d.run(run))
        let numbers = Dictionary(grouping: detail.attempts, by: \.task).mapValues { $0.map(\.number) }
        #expect(numbers["first"] == [1, 2])
        #expect(numbers["second"] == [1], "skipped the first time, run now")
        #expect(numbers["solid"] == [1], "succeeded the first time, not run again")
        #expect(d.log.contains("run retried"))

        // A succeeded run cannot be retried.
        let again = try await d.request("POST", "/api/v1/runs/\(run)/retry")
        #expect(again.status == 409)
        #expect(again.errorMessage == "run \(run) is succeeded; only failed or cancelled runs can be retried")
        #expect(await d.stop() == 0)
    }

    @Test("a running run is a 409; killed, it can be retried; an unknown run is a 404, a body with fields a 400")
    func retryStates() async throws {
        let d = try LiveDaemon()
        try d.write(job: "sleepy", "tasks:\n  nap: { run: \"sleep 30\" }\n")
        try await d.start()
        let run = try await d.trigger("sleepy")
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { try d.run(run)?.attempts.isEmpty == false })
        let running = try await d.request("POST", "/api/v1/runs/\(run)/retry")
        #expect(running.status == 409)
        #expect(running.errorMessage.contains("run \(run) is running; only failed or cancelled runs can be retried (wait for it to end, or kill it first)"))

        #expect(try await d.request("POST", "/api/v1/runs/\(run)/kill").status == 202)
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { try d.run(run)?.summary.status == .cancelled })
        let retried = try await d.request("POST", "/api/v1/runs/\(run)/retry")
        #expect(retried.status == 202, "\(retried.text)")
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) {
            try d.run(run)?.attempts.contains { $0.task == "nap" && $0.number == 2 } == true
        }, "the cancelled task runs again")
        #expect(try await d.request("POST", "/api/v1/runs/\(run)/kill").status == 202)
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { try d.run(run)?.summary.status == .cancelled })

        let unknown = try await d.request("POST", "/api/v1/runs/424242/retry")
        #expect(unknown.status == 404 && unknown.errorMessage.contains("run 424242 not found"), "\(unknown.text)")
        let fields = try await d.request("POST", "/api/v1/runs/\(run)/retry", body: "{\"tasks\": [\"nap\"]}")
        #expect(fields.status == 400 && fields.errorMessage.contains("unknown field tasks"), "\(fields.text)")
        #expect(await d.stop() == 0)
    }
}
