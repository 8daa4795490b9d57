import GnomonCore
import Testing

struct TemplateTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var references: [TemplateText.Reference] = []
        /// The text with every output resolved as TASK.KEY and the item as ITEM.
        var resolved: String? = nil
        var problem: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain text", text: "--day=2026", resolved: "--day=2026"),
        Case(name: "an empty text", text: "", resolved: ""),
        Case(name: "one output", text: "${{ tasks.extract.outputs.day }}", references: [.output(task: "extract", key: "day")],
             resolved: "extract.day"),
        Case(name: "an output inside text, without spaces", text: "--day=${{tasks.extract.outputs.day}}!",
             references: [.output(task: "extract", key: "day")], resolved: "--day=extract.day!"),
        Case(name: "the item and an output", text: "${{ item }}/${{ tasks.plan.outputs.dir }}/${{ item }}",
             references: [.item, .output(task: "plan", key: "dir")], resolved: "ITEM/plan.dir/ITEM"),
        Case(name: "a task name with dashes", text: "${{ tasks.load-db.outputs.n }}", references: [.output(task: "load-db", key: "n")],
             resolved: "load-db.n"),
        Case(name: "an unclosed reference", text: "abc ${{ item", problem: "5: ${{ is not closed"),
        Case(name: "an unknown expression", text: "${{ env.HOME }}", problem: "1: ${{ env.HOME }} is not a reference"),
        Case(name: "a key that is not an output key", text: "${{ tasks.a.outputs.1x }}", problem: "1: ${{ tasks.a.outputs.1x }}"),
        Case(name: "a reference to inputs", text: "x ${{ tasks.a.inputs.b }}", problem: "3: ${{ tasks.a.inputs.b }} is not a reference"),
    ]

    @Test(arguments: cases)
    func parsesAndResolves(_ item: Case) {
        switch TemplateText.parse(item.text) {
        case .success(let template):
            #expect(item.problem == nil)
            #expect(template.references == item.references)
            let resolved = template.resolve { reference in
                switch reference {
                case .item: return "ITEM"
                case .output(let task, let key): return "\(task).\(key)"
                }
            }
            #expect((try? resolved.get()) == item.resolved)
        case .failure(let problem):
            #expect(item.problem == "\(problem.column): \(problem.message)".prefix(item.problem?.count ?? 0).description, "\(problem)")
        }
    }

    @Test
    func aMissingOutputStopsTheResolution() {
        let template = try! TemplateText.parse("a ${{ tasks.x.outputs.y }} b").get()
        #expect(template.resolve { _ in nil } == .failure(.output(task: "x", key: "y")))
    }
}
