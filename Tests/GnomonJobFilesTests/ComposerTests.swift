import Testing
@testable import GnomonJobFiles

/// The composer's nodes: their text, whether they are plain, where they start, repeated keys
/// kept, aliases resolved; and the problem that ends a composition.
@Suite("Composer")
struct ComposerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        /// The tree, written by `render`, or `nil` for no document; or the one problem, as
        /// "line:column: message".
        let expected: String?
        var testDescription: String { name }
    }

    /// A node as `text@line:column`: a quoted or block scalar in single quotes, a mapping in
    /// braces, a list in brackets.
    static func render(_ node: YAMLNode) -> String {
        let at = "@\(node.position.line):\(node.position.column)"
        switch node {
        case .scalar(let scalar): return (scalar.isPlain ? scalar.string : "'\(scalar.string)'") + at
        case .mapping(let mapping): return "{" + mapping.map { render($0.key) + ": " + render($0.value) }.joined(separator: ", ") + "}" + at
        case .sequence(let sequence): return "[" + sequence.map(render).joined(separator: ", ") + "]" + at
        }
    }

    static let trees: [Case] = [
        Case(name: "a block mapping: keys and values where they start",
             yaml: "a: x\nb: 'y'\n", expected: "{a@1:1: x@1:4, b@2:1: 'y'@2:4}@1:1"),
        Case(name: "a flow mapping and a block list",
             yaml: "t: { run: x }\nl:\n  - 1\n  - two\n",
             expected: "{t@1:1: {run@1:6: x@1:11}@1:4, l@2:1: [1@3:5, two@4:5]@3:3}@1:1"),
        Case(name: "columns count Unicode scalars",
             yaml: "é: [🙂, e\u{301}, z]\n", expected: "{é@1:1: [🙂@1:5, e\u{301}@1:8, z@1:12]@1:4}@1:1"),
        Case(name: "repeated keys are kept, in the file's order",
             yaml: "a: 1\nb: 2\na: 3\na: 4\n", expected: "{a@1:1: 1@1:4, b@2:1: 2@2:4, a@3:1: 3@3:4, a@4:1: 4@4:4}@1:1"),
        Case(name: "an alias is the anchored node, where the anchor is",
             yaml: "x: &s [1]\ny: *s\n", expected: "{x@1:1: [1@1:8]@1:4, y@2:1: [1@1:8]@1:4}@1:1"),
        Case(name: "an anchored scalar starts at its anchor",
             yaml: "x: &s v\ny: *s\n", expected: "{x@1:1: v@1:4, y@2:1: v@1:4}@1:1"),
        Case(name: "a later anchor of the same name replaces the earlier",
             yaml: "a: &n 1\nb: *n\nc: &n 2\nd: *n\n",
             expected: "{a@1:1: 1@1:4, b@2:1: 1@1:4, c@3:1: 2@3:4, d@4:1: 2@3:4}@1:1"),
        Case(name: "quoted and block scalars are not plain",
             yaml: "a: \"1\"\nb: |\n  x\nc: 1\n", expected: "{a@1:1: '1'@1:4, b@2:1: 'x\n'@2:4, c@4:1: 1@4:4}@1:1"),
        Case(name: "a tag is read past, its node starts at the tag",
             yaml: "a: !!str 5\n", expected: "{a@1:1: 5@1:4}@1:1"),
        Case(name: "an empty file has no document", yaml: "", expected: nil),
        Case(name: "a file of comments has no document", yaml: "# nothing\n\n# yet\n", expected: nil),
        Case(name: "one document marker alone is an empty plain scalar", yaml: "---\n", expected: "@2:1"),
        Case(name: "an explicit document end is one document", yaml: "a: 1\n...\n", expected: "{a@1:1: 1@1:4}@1:1"),
    ]

    @Test("nodes, their text and positions", arguments: trees)
    func tree(_ c: Case) {
        let composition = Composer.compose(c.yaml)
        #expect(composition.problems == [])
        #expect(composition.root.map(Self.render) == c.expected)
    }

    static let problems: [Case] = [
        Case(name: "an alias with no anchor", yaml: "a: *x\n",
             expected: "1:4: this alias names no anchor; define it first with &name, then use *name"),
        Case(name: "an alias before its anchor", yaml: "a: *x\nb: &x 1\n",
             expected: "1:4: this alias names no anchor; define it first with &name, then use *name"),
        Case(name: "an alias inside the node it names", yaml: "a: &x [*x]\n",
             expected: "1:8: this alias names no anchor; define it first with &name, then use *name"),
        Case(name: "a second document", yaml: "a: 1\n---\nb: 2\n",
             expected: "2:1: a job file holds one YAML document; remove the second \"---\" and what follows"),
        Case(name: "a second document after an explicit end", yaml: "a: 1\n...\n--- b\n",
             expected: "3:1: a job file holds one YAML document; remove the second \"---\" and what follows"),
        Case(name: "a syntax error inside the first document wins over a second document", yaml: "a: [1\n---\nb: 2\n",
             expected: "2:1: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"),
        Case(name: "a scanner error with its context", yaml: "a: \"open\n",
             expected: "2:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)"),
        Case(name: "a parser error with its context", yaml: "a: 1\n b: 2\n",
             expected: "2:3: YAML syntax error: mapping values are not allowed in this context"),
        Case(name: "a character YAML does not allow, after wide ones", yaml: "é🙂: \u{7}\n",
             expected: "1:5: the file cannot be read as YAML text: control characters are not allowed (character code 7); remove the character"),
    ]

    @Test("the problem that ends a composition", arguments: problems)
    func problem(_ c: Case) {
        let composition = Composer.compose(c.yaml)
        #expect(composition.root == nil)
        #expect(composition.problems.map { "\($0.line):\($0.column): \($0.message)" } == [c.expected])
    }
}
