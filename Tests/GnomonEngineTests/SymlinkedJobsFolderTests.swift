import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonTesting
import Testing

/// With a jobs folder that is a symbolic link, `..` in a local task's `workdir` and in a
/// container's mount names one folder: both are joined lexically to the job file's folder.
@Suite("Relative paths in a symlinked jobs folder")
struct SymlinkedJobsFolderTests {
    /// `ROOT/linked-jobs` is a link to `ROOT/real/jobs`. `../x` from it is `ROOT/x` lexically and
    /// `ROOT/real/x` for the kernel; both folders exist, so a path resolved the kernel's way would
    /// not fail, it would name the other folder.
    struct Layout {
        let home: TemporaryHome
        var jobs: String { home.path("linked-jobs") }
        var lexical: String { home.path("x") }
        var physical: String { home.path("real/x") }

        init() throws {
            home = try TemporaryHome()
            for folder in ["real/jobs", "real/x", "x"] {
                try FileManager.default.createDirectory(atPath: home.path(folder), withIntermediateDirectories: true)
            }
            try FileManager.default.createSymbolicLink(atPath: home.path("linked-jobs"), withDestinationPath: home.path("real/jobs"))
        }
    }

    static let mount = ContainerSpec(
        image: Podman.image, command: ["sh", "-c", "test \"$(cat /d/from-local)\" = local && echo container > /d/from-container"],
        mounts: ["../x:/d"], pull: .never)

    static func job(in layout: Layout, withContainer: Bool) -> JobSpec {
        var builder = JobBuilder("paths", directory: layout.jobs).task("local", run: "echo local > from-local", workdir: "../x")
        if withContainer {
            builder = builder.adding(TaskSpec(name: "container", action: .container(mount), dependsOn: ["local"]))
        }
        return builder.build()
    }

    @Test("workdir ../x and the mount ../x:/d resolve to the same path")
    func samePath() throws {
        let layout = try Layout()
        let builder = LaunchBuilder(
            job: Self.job(in: layout, withContainer: true), runID: 1, scheduledAt: Date(), params: [:],
            settings: EngineSettings(home: layout.home.home))
        let job = builder.job

        let local = builder.launch(job.tasks[0], attempt: 1)
        let container = try #require(ContainerLaunch(builder.launch(job.tasks[1], attempt: 1)))
        let arguments = try container.createArguments(flavor: .podman).get()

        #expect(local.workingDirectory == layout.lexical)
        #expect(arguments.contains("\(layout.lexical):/d"), "create arguments: \(arguments)")
    }

    @Test("a local task with workdir ../x runs in the folder the mount names")
    func localRunsThere() async throws {
        let layout = try Layout()

        let run = try await runToEnd(Self.job(in: layout, withContainer: false), in: layout.home)

        #expect(run.status == .succeeded)
        #expect(ProcessProbe.readText(layout.lexical + "/from-local") == "local\n")
        #expect(!ProcessProbe.fileExists(layout.physical + "/from-local"))
    }

    @Test("the container reads through ../x:/d what the local task wrote in ../x", .needsPodman)
    func containerSeesIt() async throws {
        let layout = try Layout()
        let engine = try layout.home.engine(executor: ExecutorRouter.standard(
            environment: HostEnvironment.current, containerRuntime: Podman.runtime))

        let run = try await runToEnd(Self.job(in: layout, withContainer: true), in: layout.home, engine: engine)

        #expect(run.status == .succeeded, "container log: \(layout.home.read(run.detail.attempts(of: "container").first?.logPath ?? "") ?? "none")")
        #expect(ProcessProbe.readText(layout.lexical + "/from-container") == "container\n")
    }
}
