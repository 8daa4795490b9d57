import Foundation
import GnomonTesting
import Testing

/// `GET /api/v1/runs/{id}?task_limit=N&task_cursor=C`: a run's tasks a page at a time, each page
/// with its tasks' attempts, without the job snapshot.
@Suite("run task pages through the API")
struct RunTaskPageTests {
    struct Page: CustomTestStringConvertible, Sendable {
        let name: String
        let query: String
        let tasks: [String]
        let next: String?
        var testDescription: String { name }
    }

    static let pages: [Page] = [
        Page(name: "the first page", query: "task_limit=2", tasks: ["a", "b"], next: "2"),
        Page(name: "the page the cursor names", query: "task_limit=2&task_cursor=2", tasks: ["c"], next: nil),
        Page(name: "a cursor alone pages by 1000", query: "task_cursor=1", tasks: ["b", "c"], next: nil),
        Page(name: "a cursor past the end", query: "task_cursor=9", tasks: [], next: nil),
        Page(name: "a page as long as the run", query: "task_limit=3", tasks: ["a", "b", "c"], next: nil),
    ]

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let query: String
        let message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a limit of 0", query: "task_limit=0", message: "query parameter task_limit=0 must be a whole number from 1 to 10000"),
        Refusal(name: "a limit past 10000", query: "task_limit=10001", message: "query parameter task_limit=10001 must be a whole number from 1 to 10000"),
        Refusal(name: "a cursor the API did not give", query: "task_cursor=x",
                message: "task_cursor=x is not a cursor this API gave; pass the next_task_cursor of the previous page"),
    ]

    @Test("pages of a run of three tasks, and the parameters refused")
    func pagesAndRefusals() async throws {
        let d = try LiveDaemon()
        try d.write(job: "three", "tasks:\n  a: { run: \"echo a\" }\n  b: { run: \"echo b\", depends_on: [a] }\n  c: { run: \"echo c\" }\n")
        try await d.start()
        let run = try await d.trigger("three")
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { try d.run(run)?.summary.status == .succeeded })

        let whole = try await d.request("GET", "/api/v1/runs/\(run)").object()
        #expect(whole["snapshot"] != nil, "without paging parameters the run is whole")
        #expect(whole["tasks_total"] == nil)

        for page in Self.pages {
            let response = try await d.request("GET", "/api/v1/runs/\(run)?\(page.query)")
            #expect(response.status == 200, "\(page.name): \(response.text)")
            let answer = try response.object()
            let tasks = (answer["tasks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let attempts = (answer["attempts"] as? [[String: Any]] ?? []).compactMap { $0["task"] as? String }
            #expect(tasks == page.tasks, "\(page.name)")
            #expect(attempts.sorted() == page.tasks, "\(page.name): the page's tasks' attempts, and only theirs")
            #expect(answer["tasks_total"] as? Int == 3, "\(page.name)")
            #expect(answer["next_task_cursor"] as? String == page.next, "\(page.name)")
            #expect(answer["snapshot"] == nil, "\(page.name): a page leaves the snapshot out")
            let counts = answer["task_counts"] as? [String: Any]
            #expect(counts?["succeeded"] as? Int == 3, "\(page.name): the counts are of every task")
        }
        for refusal in Self.refusals {
            let response = try await d.request("GET", "/api/v1/runs/\(run)?\(refusal.query)")
            #expect(response.status == 400, "\(refusal.name)")
            #expect(response.errorMessage == refusal.message, "\(refusal.name)")
        }
        #expect(await d.stop() == 0)
    }

    struct Filtered: CustomTestStringConvertible, Sendable {
        let name: String
        let query: String
        let tasks: [String]
        let total: Int
        let next: String?
        var testDescription: String { name }
    }

    static let filtered: [Filtered] = [
        Filtered(name: "one state", query: "task_status=failed", tasks: ["a1"], total: 1, next: nil),
        Filtered(name: "two states", query: "task_status=failed,succeeded", tasks: ["a1", "a2", "b"], total: 3, next: nil),
        Filtered(name: "a state and a prefix", query: "task_status=succeeded&task_prefix=a", tasks: ["a2"], total: 1, next: nil),
        Filtered(name: "a prefix paged", query: "task_prefix=a&task_limit=1", tasks: ["a1"], total: 2, next: "1"),
        Filtered(name: "a prefix's next page", query: "task_prefix=a&task_limit=1&task_cursor=1", tasks: ["a2"], total: 2, next: nil),
        Filtered(name: "a prefix nothing starts with", query: "task_prefix=zz", tasks: [], total: 0, next: nil),
    ]

    @Test("pages filtered by state and by name prefix count only the tasks that match")
    func filteredPages() async throws {
        let d = try LiveDaemon()
        try d.write(job: "mixed", "tasks:\n  a1: { run: \"exit 3\" }\n  a2: { run: \"echo a2\" }\n  b: { run: \"echo b\" }\n")
        try await d.start()
        let run = try await d.trigger("mixed")
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { try d.run(run)?.summary.status == .failed })
        for page in Self.filtered {
            let response = try await d.request("GET", "/api/v1/runs/\(run)?\(page.query)")
            #expect(response.status == 200, "\(page.name): \(response.text)")
            let answer = try response.object()
            let tasks = (answer["tasks"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(tasks == page.tasks, "\(page.name)")
            #expect(answer["tasks_total"] as? Int == page.total, "\(page.name)")
            #expect(answer["next_task_cursor"] as? String == page.next, "\(page.name)")
            let counts = answer["task_counts"] as? [String: Any]
            #expect(counts?["succeeded"] as? Int == 2 && counts?["failed"] as? Int == 1, "\(page.name): the counts are of every task")
        }
        let refused = try await d.request("GET", "/api/v1/runs/\(run)?task_status=failed,done")
        #expect(refused.status == 400)
        #expect(refused.errorMessage == "task_status=failed,done: done is not a task state; use one or more of "
            + "waiting, ready, running, retrying, succeeded, failed, skipped, cancelled, comma-separated")
        #expect(await d.stop() == 0)
    }
}
