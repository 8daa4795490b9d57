import Foundation
import GnomonCore
import GnomonJobFiles
import Testing

/// Keeps Docs/settings.schema.json in step with the settings loader (and the rule definition in
/// step between the two schemas), and the example settings file valid.
@Suite("Settings JSON Schema and example")
struct SettingsSchemaTests {
    static let schemaPath = "\(Fixtures.repositoryRoot)/Docs/settings.schema.json"

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static let keySets: [SchemaTests.KeySet] = [
        .init(name: "top-level keys", schemaPath: "", loaderKeys: SettingsFileFormat.settingsKeys),
        .init(name: "channel kinds", schemaPath: "definitions/channel", loaderKeys: SettingsFileFormat.channelKinds),
        .init(name: "webhook keys", schemaPath: "definitions/webhook", loaderKeys: SettingsFileFormat.webhookKeys),
        .init(name: "email keys", schemaPath: "definitions/email", loaderKeys: SettingsFileFormat.emailKeys),
        .init(name: "pagerduty keys", schemaPath: "definitions/pagerduty", loaderKeys: SettingsFileFormat.pagerDutyKeys),
        .init(name: "long command keys", schemaPath: "definitions/command/oneOf/1", loaderKeys: SettingsFileFormat.commandKeys),
        .init(name: "rule keys", schemaPath: "definitions/notifyRule", loaderKeys: SettingsFileFormat.ruleKeys),
        .init(name: "keep keys", schemaPath: "definitions/keep", loaderKeys: JobFileFormat.keepKeys),
    ]

    @Test("the schema and the loader accept the same keys", arguments: keySets)
    func sameKeys(_ set: SchemaTests.KeySet) throws {
        let schema = try Self.schema()
        let object = set.schemaPath.isEmpty ? schema : try SchemaTests.object(schema, set.schemaPath)
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(set.loaderKeys))
        #expect(object["additionalProperties"] as? Bool == false)
    }

    @Test("the events, bounds and defaults are the model's")
    func sameChoices() throws {
        let schema = try Self.schema()
        let on = try SchemaTests.object(schema, "definitions/notifyRule/properties/on/items")
        #expect(on["enum"] as? [String] == NotifyCondition.allCases.map(\.rawValue))
        let after = try SchemaTests.object(schema, "definitions/notifyRule/properties/after_consecutive_failures")
        #expect(after["maximum"] as? Int == SettingsFileFormat.maximumConsecutiveFailures)
        let port = try SchemaTests.object(schema, "definitions/email/properties/port")
        #expect(port["default"] as? Int == EmailChannel.defaultPort)
        let url = try SchemaTests.object(schema, "definitions/pagerduty/properties/url")
        #expect(url["default"] as? String == PagerDutyChannel.defaultURL)
        let timeouts: [(String, Duration)] = [
            ("webhook", WebhookChannel.defaultTimeout), ("email", EmailChannel.defaultTimeout),
            ("pagerduty", PagerDutyChannel.defaultTimeout), ("command/oneOf/1", CommandChannel.defaultTimeout),
        ]
        for (kind, timeout) in timeouts {
            let object = try SchemaTests.object(schema, "definitions/\(kind)/properties/timeout")
            #expect(object["default"] as? String == DurationText.format(timeout), "\(kind)")
        }
    }

    @Test("a rule is defined alike in both schemas, and job files take the same rule keys")
    func sameRule() throws {
        let settings = try SchemaTests.object(try Self.schema(), "definitions/notifyRule") as NSDictionary
        let jobs = try SchemaTests.object(try SchemaTests.schema(), "definitions/notifyRule") as NSDictionary
        #expect(settings == jobs)
        for key in ["notify", "late_after", "expect_success_every"] {
            #expect(JobFileFormat.jobKeys.contains(key))
        }
    }

    @Test("every object in the schema forbids unknown keys")
    func closedObjects() throws {
        #expect(SchemaTests.openObjects(in: try Self.schema()) == [])
    }

    @Test("the example settings file loads without problems, secrets' files beside it")
    func example() throws {
        let path = "\(Fixtures.repositoryRoot)/Docs/gnomon.example.yaml"
        let result = SettingsFileLoader.load(path: path)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.settings.channels.count == 4)
        guard case .email(let mail)? = result.settings.channels["team-mail"] else {
            Issue.record("team-mail is not an email channel")
            return
        }
        #expect(mail.passwordFile == "\(Fixtures.repositoryRoot)/Docs/secrets/smtp-password")
    }
}
