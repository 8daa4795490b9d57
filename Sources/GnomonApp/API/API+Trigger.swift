import Foundation
import GnomonCore
import GnomonServer
import GnomonStore

/// `POST /api/v1/jobs/{job}/runs`: a manual run, created by the daemon's loop as `gnomon trigger`'s
/// are (a request in the store, a nudge), answered with the run once it exists.
extension APIContext {
    func triggerRun(_ request: ServerRequest) async throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        let body = try request.jsonObject(allowed: ["params", "tasks"])
        var params: [String: String] = [:]
        if let raw = body["params"] {
            guard let object = raw as? [String: Any] else {
                throw .unprocessable("params must be an object of strings, such as {\"day\": \"2026-11-26\"}")
            }
            for (key, value) in object {
                guard let text = value as? String else {
                    throw .unprocessable("params.\(key) must be a string (got \(type(of: value) == NSNull.self ? "null" : "a \(Self.jsonType(value))"))")
                }
                params[key] = text
            }
        }
        var tasks: [String] = []
        if let raw = body["tasks"] {
            guard let list = raw as? [Any], list.allSatisfy({ $0 is String }) else {
                throw .unprocessable("tasks must be a list of task names, such as [\"extract\"]")
            }
            tasks = list as! [String]
        }
        let job = try self.job(request.parameter("job"))
        guard let definition = job.definition, job.problems.isEmpty else {
            throw .conflict("job \(job.name) is invalid; fix its file first: \(job.problems.first.map(\.description) ?? "")")
        }
        let known = Set(definition.spec.tasks.map(\.name))
        let unknown = tasks.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw .unprocessable("tasks: job \(job.name) has no task \(unknown.joined(separator: ", ")); its tasks: \(known.sorted().joined(separator: ", "))")
        }
        let requestID = try store { try $0.addTriggerRequest(job: job.name, params: params, tasks: tasks, at: daemon.now()) }
        let runID = try await answer(to: requestID, refused: "the daemon refused to run \(job.name)",
                                     late: "the daemon did not create the run")
        return try json(try run(runID), what: "run \(runID)", status: 201)
    }

    /// Nudges the daemon's loop and waits for it to answer request `requestID` (written to the
    /// store just before); returns the run it got. A refusal is a 409 (`refused`: its reason);
    /// no answer within `TriggerRun.answerTimeout` is a 504 (`late`), the request staying queued.
    func answer(to requestID: Int64, refused: String, late: String) async throws(APIError) -> Int64 {
        daemon.nudgeTriggers()
        let deadline = ContinuousClock.now + TriggerRun.answerTimeout
        var pause: Duration = .milliseconds(2)
        while ContinuousClock.now < deadline {
            let answer = try store { try $0.triggerRequest(requestID) }
            if let runID = answer?.runID { return runID }
            if let reason = answer?.reason { throw .conflict("\(refused): \(reason)") }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        throw .timedOut("\(late) within \(DurationText.format(TriggerRun.answerTimeout)); "
            + "request \(requestID) stays queued and the daemon answers it when it gets to it")
    }

    static func jsonType(_ value: Any) -> String {
        switch value {
        case is NSNumber: return "number"
        case is [Any]: return "list"
        case is [String: Any]: return "object"
        default: return "value"
        }
    }
}
