import GnomonCore
import Testing

/// The one path join: lexical, the same for `workdir`, mount host paths and command lookup.
@Suite("Path join")
struct PathJoinTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let folder: String
        let path: String
        let joined: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a plain name goes under the folder", folder: "/jobs", path: "reports", joined: "/jobs/reports"),
        Case(name: "an empty path is the folder itself", folder: "/jobs", path: "", joined: "/jobs"),
        Case(name: "a dot is the folder itself", folder: "/jobs", path: ".", joined: "/jobs"),
        Case(name: "a leading ./ is dropped", folder: "/jobs", path: "./bin/run.sh", joined: "/jobs/bin/run.sh"),
        Case(name: "several leading ./ are dropped", folder: "/jobs", path: "././data", joined: "/jobs/data"),
        Case(name: ".. takes the folder's parent, lexically", folder: "/srv/jobs", path: "../x", joined: "/srv/x"),
        Case(name: ".. in the middle removes the segment before it", folder: "/jobs", path: "a/../b", joined: "/jobs/b"),
        Case(name: "two .. climb two levels", folder: "/srv/jobs/etl", path: "../../x", joined: "/srv/x"),
        Case(name: ".. above the root stays at the root", folder: "/jobs", path: "../../../x", joined: "/x"),
        Case(name: "an absolute path ignores the folder", folder: "/jobs", path: "/data/in", joined: "/data/in"),
        Case(name: "an absolute path is normalised too", folder: "/jobs", path: "/data/./in/../out/", joined: "/data/out"),
        Case(name: "a trailing slash on the folder is dropped", folder: "/jobs/", path: "x", joined: "/jobs/x"),
        Case(name: "a trailing slash on the path is dropped", folder: "/jobs", path: "x/", joined: "/jobs/x"),
        Case(name: "repeated slashes become one", folder: "/jobs//etl", path: "a//b", joined: "/jobs/etl/a/b"),
        Case(name: "the root folder", folder: "/", path: "bin", joined: "/bin"),
        Case(name: "the root folder and an empty path", folder: "/", path: "", joined: "/"),
        Case(name: "a relative folder stays relative", folder: "work", path: "bin/x", joined: "work/bin/x"),
        Case(name: "a relative folder keeps .. it cannot apply", folder: "work", path: "../../x", joined: "../x"),
        Case(name: "a relative folder climbed to its start is .", folder: "work", path: "..", joined: "."),
        Case(name: "a name that only starts with dots is a name", folder: "/jobs", path: "..hidden/.x", joined: "/jobs/..hidden/.x"),
    ]

    @Test("join", arguments: cases)
    func join(_ testCase: Case) {
        #expect(PathJoin.join(testCase.folder, testCase.path) == testCase.joined)
    }
}
