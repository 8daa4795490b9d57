@testable import GnomonCore
import Testing

/// References resolved as an attempt starts: where they are looked for, what they become, and
/// the quick check that lets a task without any start as written.
@Suite("Output references resolved at start")
struct OutputResolveTests {
    struct TextCase: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let holds: Bool
        var testDescription: String { name }
    }

    static let texts: [TextCase] = [
        TextCase(name: "empty", text: "", holds: false),
        TextCase(name: "a dollar alone", text: "$", holds: false),
        TextCase(name: "one brace", text: "${ x }", holds: false),
        TextCase(name: "a space between", text: "$ {{ x }}", holds: false),
        TextCase(name: "at the start", text: "${{ item }}", holds: true),
        TextCase(name: "inside text", text: "--day=${{ tasks.a.outputs.day }}", holds: true),
        TextCase(name: "after non-ASCII text", text: "é✓${{", holds: true),
        TextCase(name: "the opening only, at the end", text: "x${{", holds: true),
        TextCase(name: "two dollars", text: "$${{", holds: true),
    ]

    @Test("whether a text may hold a reference", arguments: texts)
    func mayHold(_ testCase: TextCase) {
        #expect(OutputReferences.mayHoldReference(testCase.text) == testCase.holds)
    }

    struct TaskCase: Sendable, CustomTestStringConvertible {
        let name: String
        let task: TaskSpec
        /// The command or container image after resolving; nil: unresolved.
        let resolved: TaskSpec?
        var testDescription: String { name }
    }

    static let outputs = ["a": ["day": "2026-12-07", "tag": "v2"]]

    static let tasks: [TaskCase] = [
        TaskCase(name: "no reference: the task as written",
                 task: TaskSpec(name: "t", action: .command(["/bin/true", "$HOME"]), env: ["A": "1"]),
                 resolved: TaskSpec(name: "t", action: .command(["/bin/true", "$HOME"]), env: ["A": "1"])),
        TaskCase(name: "a shell line is never resolved",
                 task: TaskSpec(name: "t", action: .shell("echo ${{ tasks.a.outputs.day }}"), dependsOn: ["a"]),
                 resolved: TaskSpec(name: "t", action: .shell("echo ${{ tasks.a.outputs.day }}"), dependsOn: ["a"])),
        TaskCase(name: "a command argument",
                 task: TaskSpec(name: "t", action: .command(["load", "--day=${{ tasks.a.outputs.day }}"]), dependsOn: ["a"]),
                 resolved: TaskSpec(name: "t", action: .command(["load", "--day=2026-12-07"]), dependsOn: ["a"])),
        TaskCase(name: "an env value only",
                 task: TaskSpec(name: "t", action: .command(["load"]), dependsOn: ["a"], env: ["DAY": "${{ tasks.a.outputs.day }}"]),
                 resolved: TaskSpec(name: "t", action: .command(["load"]), dependsOn: ["a"], env: ["DAY": "2026-12-07"])),
        TaskCase(name: "a container's image",
                 task: TaskSpec(name: "t", action: .container(ContainerSpec(image: "x:${{ tasks.a.outputs.tag }}")), dependsOn: ["a"]),
                 resolved: TaskSpec(name: "t", action: .container(ContainerSpec(image: "x:v2")), dependsOn: ["a"])),
        TaskCase(name: "an output the upstream task did not write",
                 task: TaskSpec(name: "t", action: .command(["load", "${{ tasks.a.outputs.size }}"]), dependsOn: ["a"]),
                 resolved: nil),
    ]

    @Test("a task's references resolved from its upstream outputs", arguments: tasks)
    func resolve(_ testCase: TaskCase) {
        switch OutputReferences.resolve(testCase.task, outputs: Self.outputs) {
        case .success(let task):
            #expect(task == testCase.resolved)
        case .failure(let unresolved):
            #expect(testCase.resolved == nil, "\(unresolved)")
            #expect(unresolved.path == "command[1]")
        }
    }
}
