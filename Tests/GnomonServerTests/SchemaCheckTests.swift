import Foundation
import Testing

/// The checker the contract test relies on finds each kind of mismatch (so a passing contract
/// test means the answers match, not that the checker looked at nothing).
struct SchemaCheckTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String
        var schema: String
        var problem: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a matching object", value: #"{"a": 1, "b": null}"#,
             schema: #"{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": ["string", "null"]}}, "required": ["a", "b"], "additionalProperties": false}"#),
        Case(name: "a missing required key", value: #"{"a": 1}"#,
             schema: #"{"type": "object", "properties": {"a": {}, "b": {}}, "required": ["a", "b"]}"#, problem: "$: the required key b is missing"),
        Case(name: "a key the schema lacks", value: #"{"a": 1, "c": 2}"#,
             schema: #"{"type": "object", "properties": {"a": {}}, "additionalProperties": false}"#, problem: "$: the key c is not in the schema"),
        Case(name: "a boolean where an integer belongs", value: #"{"a": true}"#,
             schema: #"{"type": "object", "properties": {"a": {"type": "integer"}}}"#, problem: "$.a: true is not [\"integer\"]"),
        Case(name: "a value outside the enum", value: #"["done"]"#,
             schema: #"{"type": "array", "items": {"enum": ["succeeded", "failed"]}}"#, problem: "$[0]: \"done\" is not one of"),
        Case(name: "a reference followed", value: #"{"x": "1"}"#,
             schema: ##"{"$ref": "#/components/schemas/X"}"##, problem: "$.x: \"1\" is not [\"integer\"]"),
    ]

    @Test(arguments: cases)
    func findsMismatches(_ item: Case) throws {
        let document = try JSON.parse(Data(##"{"components": {"schemas": {"X": {"type": "object", "properties": {"x": {"type": "integer"}}}}}}"##.utf8))
        let problems = SchemaCheck(document: document).problems(try JSON.parse(Data(item.value.utf8)), try JSON.parse(Data(item.schema.utf8)))
        if let problem = item.problem {
            #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
        } else {
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
