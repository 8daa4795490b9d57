import GnomonJobFiles
import Testing

/// One file per problem kind, each with its pinned message, line and column.
@Suite("Diagnostics for each kind of problem")
struct LoaderDiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var path = "jobs/etl.yaml"
        let expected: [String]
        var testDescription: String { name }
    }

    static let syntax: [Case] = [
        Case(name: "a YAML syntax error has its line and column", yaml: """
            tasks:
              a: { run: x
              b: { run: y }
            """, expected: ["jobs/etl.yaml:3:4: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 6)"]),
        Case(name: "an empty file", yaml: "# nothing yet\n",
             expected: ["jobs/etl.yaml:1:1: the file is empty; a job needs at least tasks:, for example  tasks: { hello: { run: echo hello } }"]),
        Case(name: "a file that is a list", yaml: "- a\n- b\n",
             expected: ["jobs/etl.yaml:1:1: must be a mapping of keys such as tasks: and schedule: (got a list)"]),
        Case(name: "two documents", yaml: "tasks: { a: { run: x } }\n---\ntasks: {}\n",
             expected: ["jobs/etl.yaml:2:1: a job file holds one YAML document; remove the second \"---\" and what follows"]),
        Case(name: "an alias without an anchor", yaml: "tasks: { a: { run: *script } }\n",
             expected: ["jobs/etl.yaml:1:20: this alias names no anchor; define it first with &name, then use *name"]),
        Case(name: "a control character", yaml: "tasks:\n  a: { run: \"x\u{7}\" }\n",
             expected: ["jobs/etl.yaml:2:15: the file cannot be read as YAML text: control characters are not allowed (character code 7); remove the character"]),
        Case(name: "nesting deeper than 64 levels", yaml: "tasks: " + String(repeating: "[", count: 70),
             expected: ["jobs/etl.yaml:1:71: nesting is deeper than 64 levels; a job file needs no more than six"]),
        Case(name: "an alias as a key", yaml: "x: &k a\ntasks: { *k : 1 }\n",
             expected: ["jobs/etl.yaml:2:10: an alias (*name) cannot be a key; write keys as plain text"]),
        Case(name: "an alias as a key, in a file with CRLF line ends", yaml: "x: &k a\r\ntasks: { *k : 1 }\r\n",
             expected: ["jobs/etl.yaml:2:10: an alias (*name) cannot be a key; write keys as plain text"]),
        Case(name: "an alias as a key after non-ASCII text: the column counts characters", yaml: "x: &k a\ntasks: { é: 1, *k : 1 }\n",
             expected: ["jobs/etl.yaml:2:16: an alias (*name) cannot be a key; write keys as plain text"]),
        Case(name: "nesting deeper than 64 levels after non-ASCII text", yaml: "tasks: { \"é✓\": " + String(repeating: "[", count: 70),
             expected: ["jobs/etl.yaml:1:78: nesting is deeper than 64 levels; a job file needs no more than six"]),
        Case(name: "an explicit key, in a file with CRLF line ends", yaml: "# c\r\n? tasks\r\n: { a: { run: x } }\r\n",
             expected: ["jobs/etl.yaml:2:1: explicit keys (\"? \") are not supported; write keys as plain text"]),
        Case(name: "an explicit key", yaml: "? tasks\n: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:1: explicit keys (\"? \") are not supported; write keys as plain text"]),
        Case(name: "a list as a key", yaml: "tasks: { [a, b]: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:15: a list or mapping cannot be a key; write keys as plain text"]),
    ]

    static let keys: [Case] = [
        Case(name: "a task defined twice", yaml: """
            tasks:
              load: { run: x }
              other: { run: y }
              load: { run: z }
            """, expected: ["jobs/etl.yaml:4:3: tasks.load: task \"load\" is defined again (first at line 2); remove or rename one"]),
        Case(name: "a top-level key twice", yaml: "timeout: 1m\ntasks: { a: { run: x } }\ntimeout: 2m\n",
             expected: ["jobs/etl.yaml:3:1: timeout: key \"timeout\" is defined again (first at line 1); remove or rename one"]),
        Case(name: "a variable twice in one env", yaml: "tasks: { a: { run: x, env: { A: 1, B: 2, A: 3 } } }\n",
             expected: ["jobs/etl.yaml:1:42: tasks.a.env.A: key \"A\" is defined again (first at line 1); remove or rename one"]),
        Case(name: "an unknown key with a near miss", yaml: "tasks:\n  a:\n    run: x\n    dependson: [b]\n  b: { run: y }\n",
             expected: ["jobs/etl.yaml:4:5: tasks.a.dependson: unknown key \"dependson\"; did you mean \"depends_on\"?"]),
        Case(name: "an unknown key far from any", yaml: "owner: me\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:1: owner: unknown key \"owner\"; expected one of: description, schedule, overlap, catchup, paused, timeout, concurrency, defaults, tasks, notify, late_after, expect_success_every, keep"]),
        Case(name: "a merge key", yaml: "tasks:\n  a: { run: x, <<: { timeout: 1m } }\n",
             expected: ["jobs/etl.yaml:2:16: tasks.a.<<: merge keys (<<) are not supported; put settings shared by tasks under defaults"]),
        Case(name: "an action in defaults", yaml: "defaults: { run: x }\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:13: defaults.run: run cannot have a default; give each task its own run, command or container"]),
    ]

    static let types: [Case] = [
        Case(name: "retry that is neither a number nor a mapping", yaml: "tasks:\n  load:\n    run: x\n    retry: three\n",
             expected: ["jobs/etl.yaml:4:12: tasks.load.retry: must be an integer or a mapping (got \"three\")"]),
        Case(name: "a quoted number where a number belongs", yaml: "concurrency: \"4\"\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:14: concurrency: must be an integer (got \"4\")"]),
        Case(name: "a boolean written as yes", yaml: "paused: yes\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:9: paused: must be true or false (got \"yes\")"]),
        Case(name: "an unknown overlap value", yaml: "overlap: skp\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:10: overlap: must be one of skip, queue, allow, replace (got \"skp\"); did you mean \"skip\"?"]),
        Case(name: "depends_on written as a single name", yaml: "tasks:\n  a: { run: x }\n  b: { run: y, depends_on: a }\n",
             expected: ["jobs/etl.yaml:3:28: tasks.b.depends_on: must be a list of task names (got \"a\"); write it as a list: [a]"]),
        Case(name: "a command that is a string", yaml: "tasks: { a: { command: ls -l } }\n",
             expected: ["jobs/etl.yaml:1:24: tasks.a.command: must be a list of arguments, like [python3, transform.py] (got \"ls -l\")"]),
        Case(name: "a list item of the wrong type", yaml: "tasks: { a: { command: [ls, [x]] } }\n",
             expected: ["jobs/etl.yaml:1:29: tasks.a.command[1]: must be text (got a list)"]),
        Case(name: "an empty run line", yaml: "tasks: { a: { run: \"  \" } }\n",
             expected: ["jobs/etl.yaml:1:20: tasks.a.run: must not be empty; give a shell line, run by /bin/sh -c or remove the key"]),
        Case(name: "an empty command", yaml: "tasks: { a: { command: [] } }\n",
             expected: ["jobs/etl.yaml:1:24: tasks.a.command: must name a program to run, like [python3, transform.py]"]),
        Case(name: "an env value that is a mapping", yaml: "tasks: { a: { run: x, env: { A: { b: c } } } }\n",
             expected: ["jobs/etl.yaml:1:33: tasks.a.env.A: must be text (write \"\" for an empty value) (got a mapping)"]),
    ]

    static let tasks: [Case] = [
        Case(name: "a task with no action", yaml: "tasks:\n  a:\n    timeout: 1m\n",
             expected: ["jobs/etl.yaml:2:3: tasks.a: a task needs one of run (a shell line), command (an argv list) or container (an image to run)"]),
        Case(name: "a task with two actions", yaml: "tasks:\n  a:\n    run: x\n    command: [y]\n",
             expected: ["jobs/etl.yaml:4:5: tasks.a.command: a task has exactly one of run, command or container, not run and command; remove all but one"]),
        Case(name: "no tasks key", yaml: "description: nothing to do\n",
             expected: ["jobs/etl.yaml:1:1: tasks: a job needs tasks:; add at least one, for example  tasks: { hello: { run: echo hello } }"]),
        Case(name: "an empty tasks mapping", yaml: "tasks: {}\n",
             expected: ["jobs/etl.yaml:1:8: tasks: there are no tasks; add at least one, for example  hello: { run: echo hello }"]),
        Case(name: "an invalid task name", yaml: "tasks:\n  Load Orders: { run: x }\n",
             expected: ["jobs/etl.yaml:2:3: tasks.Load Orders: task name \"Load Orders\" must use only a-z, 0-9, \"_\" and \"-\", starting with a letter or digit; for example \"load-orders\""]),
        Case(name: "an invalid job name", yaml: "tasks: { a: { run: x } }\n", path: "jobs/Nightly ETL.yaml",
             expected: ["jobs/Nightly ETL.yaml:1:1: the job's name comes from its file name: name \"Nightly ETL\" must use only a-z, 0-9, \"_\" and \"-\", starting with a letter or digit; for example \"nightly-etl\"; rename the file"]),
        Case(name: "a file that is not YAML by name", yaml: "tasks: { a: { run: x } }\n", path: "jobs/etl.json",
             expected: ["jobs/etl.json:1:1: a job file's name must end in .yaml or .yml"]),
        Case(name: "a container without an image", yaml: "tasks:\n  a:\n    container: { command: [x] }\n",
             expected: ["jobs/etl.yaml:3:16: tasks.a.container: a container needs image:, for example  image: localhost/loader:1.2"]),
    ]

    static let graph: [Case] = [
        Case(name: "an unknown dependency", yaml: "tasks:\n  load: { run: x }\n  report: { run: y, depends_on: [lod] }\n",
             expected: ["jobs/etl.yaml:3:34: tasks.report.depends_on[0]: no task is named \"lod\"; did you mean \"load\"?"]),
        Case(name: "an unknown dependency with no near miss", yaml: "tasks:\n  a: { run: x, after: [zzzzzz] }\n",
             expected: ["jobs/etl.yaml:2:24: tasks.a.after[0]: no task is named \"zzzzzz\"; define it under tasks or remove it"]),
        Case(name: "a task waiting for itself", yaml: "tasks:\n  a: { run: x, depends_on: [a] }\n",
             expected: ["jobs/etl.yaml:2:29: tasks.a.depends_on[0]: a task cannot wait for itself; remove \"a\" from depends_on"]),
        Case(name: "a dependency listed twice", yaml: "tasks:\n  a: { run: x }\n  b: { run: y, depends_on: [a], after: [a] }\n",
             expected: ["jobs/etl.yaml:3:41: tasks.b.after[0]: \"a\" is already listed (line 3); keep one"]),
        Case(name: "a cycle is printed as its path", yaml: """
            tasks:
              extract: { run: x, depends_on: [load] }
              transform: { run: y, depends_on: [extract] }
              load: { run: z, depends_on: [transform] }
            """, expected: ["jobs/etl.yaml:2:35: tasks.extract.depends_on[0]: dependency cycle extract -> transform -> load -> extract; remove one of these dependencies"]),
    ]

    static let values: [Case] = [
        Case(name: "a malformed duration", yaml: "timeout: 2 hours\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:10: timeout: \"2 hours\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds"]),
        Case(name: "a zero timeout", yaml: "tasks: { a: { run: x, timeout: 0s } }\n",
             expected: ["jobs/etl.yaml:1:32: tasks.a.timeout: must be longer than 0s (got \"0s\"); remove the key for no limit"]),
        Case(name: "a negative retry limit", yaml: "tasks:\n  load:\n    run: x\n    retry: { limit: -1 }\n",
             expected: ["jobs/etl.yaml:4:21: tasks.load.retry.limit: must be 0 or more (got -1)"]),
        Case(name: "a retry limit above the maximum", yaml: "tasks: { a: { run: x, retry: 101 } }\n",
             expected: ["jobs/etl.yaml:1:30: tasks.a.retry: must be at most 100 (got 101)"]),
        Case(name: "a number too large for any integer", yaml: "concurrency: 99999999999999999999999\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:14: concurrency: must be at most 1000 (got 99999999999999999999999); remove the key for no per-run limit"]),
        Case(name: "a concurrency of zero", yaml: "concurrency: 0\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:14: concurrency: must be 1 or more (got 0); remove the key for no per-run limit"]),
        Case(name: "a backoff below one", yaml: "tasks: { a: { run: x, retry: { backoff: 0.5 } } }\n",
             expected: ["jobs/etl.yaml:1:41: tasks.a.retry.backoff: must be between 1 and 100 (got 0.5)"]),
        Case(name: "a retry jitter above one", yaml: "tasks: { a: { run: x, retry: { jitter: 1.5 } } }\n",
             expected: ["jobs/etl.yaml:1:40: tasks.a.retry.jitter: must be between 0 and 1 (got 1.5)"]),
        Case(name: "max_delay shorter than delay", yaml: "tasks: { a: { run: x, retry: { delay: 1m, max_delay: 30s } } }\n",
             expected: ["jobs/etl.yaml:1:54: tasks.a.retry.max_delay: max_delay (30s) is shorter than delay (1m); make it at least as long"]),
        Case(name: "an exit code outside 1 to 255", yaml: "tasks: { a: { run: x, retry: { on_exit_codes: [1, 256] } } }\n",
             expected: ["jobs/etl.yaml:1:51: tasks.a.retry.on_exit_codes[1]: must be at most 255 (got 256); exit codes run from 1 to 255 (0 is success and never retried)"]),
        Case(name: "an empty exit-code list", yaml: "tasks: { a: { run: x, retry: { on_exit_codes: [] } } }\n",
             expected: ["jobs/etl.yaml:1:47: tasks.a.retry.on_exit_codes: lists no exit codes; list at least one, or remove the key to retry any failure"]),
        Case(name: "zero cpus", yaml: "tasks: { a: { container: { image: x, cpus: 0 } } }\n",
             expected: ["jobs/etl.yaml:1:44: tasks.a.container.cpus: must be more than 0 (got 0)"]),
        Case(name: "a memory size without a number", yaml: "tasks: { a: { container: { image: x, memory: lots } } }\n",
             expected: ["jobs/etl.yaml:1:46: tasks.a.container.memory: must be a size like 512m or 2g: a whole number with an optional unit b, k, m or g (got \"lots\")"]),
        Case(name: "a mount without a container path", yaml: "tasks: { a: { container: { image: x, mounts: [./data] } } }\n",
             expected: ["jobs/etl.yaml:1:47: tasks.a.container.mounts[0]: must be host-path:container-path[:options] with an absolute container path, like ./data:/data:ro (got \"./data\")"]),
        Case(name: "a relative container workdir", yaml: "tasks: { a: { container: { image: x, workdir: src } } }\n",
             expected: ["jobs/etl.yaml:1:47: tasks.a.container.workdir: must be an absolute path inside the container, like /work (got \"src\")"]),
        Case(name: "an image name with a space", yaml: "tasks: { a: { container: { image: alpine sh } } }\n",
             expected: ["jobs/etl.yaml:1:35: tasks.a.container.image: an image name has no spaces (got \"alpine sh\"); put arguments under command:"]),
        Case(name: "an unknown pull policy", yaml: "tasks: { a: { container: { image: x, pull: sometimes } } }\n",
             expected: ["jobs/etl.yaml:1:44: tasks.a.container.pull: must be one of missing, always, never (got \"sometimes\")"]),
        Case(name: "an invalid variable name", yaml: "tasks: { a: { run: x, env: { 2FAST: y } } }\n",
             expected: ["jobs/etl.yaml:1:30: tasks.a.env.2FAST: \"2FAST\" is not a variable name; use letters, digits and _, not starting with a digit"]),
        Case(name: "a reserved variable name", yaml: "defaults: { env: { GNOMON_RUN_ID: x } }\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:20: defaults.env.GNOMON_RUN_ID: names starting with GNOMON_ are reserved for the variables Gnomon sets; rename \"GNOMON_RUN_ID\""]),
        Case(name: "an unknown time zone", yaml: "schedule: { cron: \"0 3 * * *\", timezone: Europe/Dublinn }\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:42: schedule.timezone: unknown time zone \"Europe/Dublinn\"; did you mean \"Europe/Dublin\"?"]),
        Case(name: "a long schedule without cron", yaml: "schedule: { timezone: UTC }\ntasks: { a: { run: x } }\n",
             expected: ["jobs/etl.yaml:1:11: schedule: the long form needs cron: (a cron line, a macro such as @daily, or @every 15m) or every: (a continuous schedule such as every: 10m, from: end)"]),
    ]

    @Test("syntax and structure", arguments: syntax) func syntaxCases(_ c: Case) { check(c) }
    @Test("keys", arguments: keys) func keyCases(_ c: Case) { check(c) }
    @Test("types", arguments: types) func typeCases(_ c: Case) { check(c) }
    @Test("tasks and names", arguments: tasks) func taskCases(_ c: Case) { check(c) }
    @Test("dependencies", arguments: graph) func graphCases(_ c: Case) { check(c) }
    @Test("values and bounds", arguments: values) func valueCases(_ c: Case) { check(c) }

    private func check(_ c: Case) {
        let result = Fixtures.load(c.yaml, path: c.path)
        #expect(result.spec == nil)
        #expect(result.diagnostics.map(\.description) == c.expected)
    }
}
