import GnomonCore

/// What loading the settings file gave: the settings that could be read, and every problem.
///
/// A problem costs only its own part: a channel with a problem is left out of `settings` (and
/// out of the rules that name it), a rule with a problem is left out, the other channels, rules
/// and keys stay. So a broken channel stops only the alerts that go through it.
public struct SettingsFileResult: Sendable, Hashable {
    /// What the file's valid parts say.
    public var settings: GnomonSettings
    /// Every problem, in file order; empty if the file is valid.
    public var diagnostics: [Diagnostic]
    /// Every channel name the file defines, the channels with problems included: what job
    /// files' rules may name (a rule naming a broken channel is not a second problem).
    public var channelNames: Set<String>

    public init(settings: GnomonSettings, diagnostics: [Diagnostic] = [], channelNames: Set<String>? = nil) {
        self.settings = settings
        self.diagnostics = diagnostics
        self.channelNames = channelNames ?? Set(settings.channels.keys)
    }

    public var isValid: Bool { diagnostics.isEmpty }
}
