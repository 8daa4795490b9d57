@testable import GnomonCore
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

    /// The fast path of `normalize`: a path it would leave alone is returned as is, any other
    /// goes through the full normalisation; both must give what `normalize` is documented to.
    struct NormalCase: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let isNormal: Bool
        let normalized: String
        var testDescription: String { name }
    }

    static let normalCases: [NormalCase] = [
        NormalCase(name: "an absolute path of names", path: "/srv/jobs/x.log", isNormal: true, normalized: "/srv/jobs/x.log"),
        NormalCase(name: "the root", path: "/", isNormal: true, normalized: "/"),
        NormalCase(name: "a relative path of names", path: "work/bin", isNormal: true, normalized: "work/bin"),
        NormalCase(name: "names that start with dots", path: "/a/..b/.c/...", isNormal: true, normalized: "/a/..b/.c/..."),
        NormalCase(name: "empty", path: "", isNormal: false, normalized: "."),
        NormalCase(name: "a trailing slash", path: "/a/", isNormal: false, normalized: "/a"),
        NormalCase(name: "a repeated slash", path: "/a//b", isNormal: false, normalized: "/a/b"),
        NormalCase(name: "two leading slashes", path: "//a", isNormal: false, normalized: "/a"),
        NormalCase(name: "a dot segment", path: "/a/./b", isNormal: false, normalized: "/a/b"),
        NormalCase(name: "a final dot", path: "/a/.", isNormal: false, normalized: "/a"),
        NormalCase(name: "a dot-dot segment", path: "/a/../b", isNormal: false, normalized: "/b"),
        NormalCase(name: "a lone dot-dot", path: "..", isNormal: false, normalized: ".."),
        NormalCase(name: "a lone dot", path: ".", isNormal: false, normalized: "."),
    ]

    @Test("normalize: the fast path", arguments: normalCases)
    func normalize(_ testCase: NormalCase) {
        #expect(PathJoin.isNormal(testCase.path) == testCase.isNormal)
        #expect(PathJoin.normalize(testCase.path) == testCase.normalized)
    }
}
