import Foundation
import GnomonCore
import GnomonJobFiles
import GnomonNotify

/// `gnomon notify test CHANNEL`: sends one test alert through a channel of the settings file,
/// now, from this process, and says what the receiver answered. Nothing is recorded.
public enum ChannelTest {
    /// The job a test alert names.
    public static let job = "gnomon"

    /// Sends a test alert to `channel`; returns `delivered: ANSWER`.
    ///
    /// - Throws: `.notFound` (3) when there is no settings file or it has no such channel;
    ///   `.failure` (1) when the settings file is invalid or the delivery failed;
    ///   `.environment` (4) when the channel's secret cannot be read from `environment`.
    public static func send(
        channel: String, settings: GlobalSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
        host: String = ProcessInfo.processInfo.hostName
    ) async throws(AppError) -> String {
        let spec = try channelSpec(channel, settings: settings)
        let made = ChannelSenders.make([channel: spec], environment: environment)
        guard let sender = made.senders[channel] else {
            throw AppError(.environment, made.problems.first ?? "channel \(channel): its sender could not be made")
        }
        switch await sender.send(alert(channel: channel, host: host)) {
        case .delivered(let detail):
            return "delivered: \(detail)"
        case .failed(let error, _):
            throw AppError(.failure, "channel \(channel): not delivered: \(error)")
        }
    }

    /// The test alert: type `test`, event 0, no run.
    public static func alert(channel: String, host: String) -> Alert {
        Alert(eventID: 0, type: .test, job: job, text: "gnomon test alert from \(host) (channel \(channel))")
    }

    /// The channel as the settings file defines it; the file must exist and be valid.
    static func channelSpec(_ name: String, settings: GlobalSettings) throws(AppError) -> ChannelSpec {
        guard let file = try settings.loadSettingsFile() else {
            throw AppError(.notFound, "no channel \"\(name)\": there is no settings file at \(settings.configPath), so no channels "
                + "are defined; create it with the channel under channels: (see Docs/notifications.md), or name it with --config")
        }
        guard file.isValid else {
            throw AppError(.failure, "the settings file \(settings.configPath) is invalid; fix these problems "
                + "(`gnomon validate` lists them too):\n" + file.diagnostics.map(\.description).joined(separator: "\n"))
        }
        guard let spec = file.settings.channels[name] else {
            let known = file.settings.channels.keys.sorted()
            guard !known.isEmpty else {
                throw AppError(.notFound, "no channel \"\(name)\": \(settings.configPath) defines no channels; define it under channels:")
            }
            let guess = Suggest.closest(to: name, among: known).map { "did you mean \"\($0)\"? " } ?? ""
            throw AppError(.notFound, "no channel \"\(name)\" in \(settings.configPath); \(guess)the channels are: \(known.joined(separator: ", "))")
        }
        return spec
    }
}
