import Foundation

/// The built `gnomon` executable, for tests that run it as a separate process.
public enum GnomonBinary {
    /// The binary beside the test bundle (`.build/<triple>/debug/gnomon`, which `swift build
    /// --build-tests` makes), else in the package's `.build/debug`; nil if none was built.
    public static let path: String? = {
        var candidates: [String] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("gnomon").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("gnomon").path)
        if let arg0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: arg0).resolvingSymlinksInPath()
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("gnomon").path)
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("gnomon").path)
        }
        // This file sits in Sources/GnomonTesting of the package.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/gnomon").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The binary's path, or an error that says how to build it.
    public static func require() throws -> String {
        guard let path else {
            throw TestSetupError(
                "the gnomon executable was not found next to the test bundle or in .build/debug; run `swift build` first")
        }
        return path
    }
}
