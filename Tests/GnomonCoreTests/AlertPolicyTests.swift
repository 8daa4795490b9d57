import Foundation
import GnomonCore
import Testing

/// The alerts a sequence of a job's events raises, step by step.
@Suite("Alert policy")
struct AlertPolicyTests {
    struct Step: Sendable {
        let cause: AlertCause
        /// Minutes after the start.
        let minute: Double
        /// `kind:channel,channel` per alert, in order; empty for none.
        let alerts: [String]

        init(_ cause: AlertCause, at minute: Double = 0, _ alerts: [String] = []) {
            (self.cause, self.minute, self.alerts) = (cause, minute, alerts)
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let rules: [NotifyRule]
        let steps: [Step]
        var testDescription: String { name }
    }

    static let failed = AlertCause.runFinished(status: .failed, timedOut: false)
    static let succeeded = AlertCause.runFinished(status: .succeeded, timedOut: false)
    static let cancelled = AlertCause.runFinished(status: .cancelled, timedOut: false)
    static func rule(_ to: [String], _ on: Set<NotifyCondition>, after: Int = 1, repeat policy: RepeatPolicy = .never) -> NotifyRule {
        NotifyRule(to: to, on: on, afterConsecutiveFailures: after, repeat: policy)
    }

    static let cases: [Case] = [
        Case(name: "a failure alerts once, the streak stays quiet, the first success is a recovery",
             rules: [rule(["chat"], [.failure, .recovery])],
             steps: [Step(failed, ["failure:chat"]), Step(failed), Step(failed), Step(succeeded, ["recovery:chat"]), Step(succeeded)]),
        Case(name: "three failures in a row before the first alert; a success before that is no recovery",
             rules: [rule(["oncall"], [.failure, .recovery], after: 3)],
             steps: [Step(failed), Step(failed), Step(succeeded), Step(failed), Step(failed), Step(failed, ["failure:oncall"]),
                     Step(failed), Step(succeeded, ["recovery:oncall"])]),
        Case(name: "every failure when asked",
             rules: [rule(["chat"], [.failure], repeat: .everyFailure)],
             steps: [Step(failed, ["failure:chat"]), Step(failed, ["failure:chat"])]),
        Case(name: "a reminder once the repeat interval has passed",
             rules: [rule(["chat"], [.failure], repeat: .every(.seconds(3_600)))],
             steps: [Step(failed, at: 0, ["failure:chat"]), Step(failed, at: 30), Step(failed, at: 60, ["failure:chat"]),
                     Step(failed, at: 90), Step(failed, at: 121, ["failure:chat"])]),
        Case(name: "a cancelled run neither counts nor ends the streak",
             rules: [rule(["chat"], [.failure, .recovery], after: 2)],
             steps: [Step(failed), Step(cancelled), Step(failed, ["failure:chat"]), Step(cancelled), Step(succeeded, ["recovery:chat"])]),
        Case(name: "success alerts every success; recovery only where the failure was told",
             rules: [rule(["chat"], [.failure, .recovery], after: 2), rule(["mail"], [.success, .recovery])],
             steps: [Step(failed), Step(succeeded, ["success:mail"]), Step(failed), Step(failed, ["failure:chat"]),
                     Step(succeeded, ["recovery:chat", "success:mail"])]),
        Case(name: "a channel in two rules gets one alert of a kind",
             rules: [rule(["chat", "mail"], [.failure]), rule(["chat", "pager"], [.failure])],
             steps: [Step(failed, ["failure:chat,mail,pager"])]),
        Case(name: "a timed-out run alerts timeout rules as well",
             rules: [rule(["chat"], [.failure]), rule(["pager"], [.timeout])],
             steps: [Step(.runFinished(status: .failed, timedOut: true), ["failure:chat", "timeout:pager"])]),
        Case(name: "retries alert only rules that ask for them, each time",
             rules: [rule(["chat"], [.failure]), rule(["debug"], [.retry])],
             steps: [Step(.retryScheduled, ["retry:debug"]), Step(.retryScheduled, ["retry:debug"]), Step(failed, ["failure:chat"])]),
        Case(name: "no rules, no alerts",
             rules: [],
             steps: [Step(failed), Step(.retryScheduled), Step(.fileInvalid), Step(succeeded)]),
        Case(name: "skipped, missed and invalid go to the rules that ask",
             rules: [rule(["chat"], [.skipped, .missed, .invalid])],
             steps: [Step(.fireTimeSkipped, ["skipped:chat"]), Step(.fireTimeMissed, ["missed:chat"]), Step(.fileInvalid, ["invalid:chat"])]),
        Case(name: "a late run alerts the late rules each time it is told",
             rules: [rule(["chat"], [.late]), rule(["mail"], [.failure])],
             steps: [Step(.late(scheduledAt: Date(timeIntervalSince1970: 100)), ["late:chat"]),
                     Step(.late(scheduledAt: Date(timeIntervalSince1970: 200)), ["late:chat"])]),
        Case(name: "a silent job is told as late",
             rules: [rule(["chat"], [.late])],
             steps: [Step(.silent, ["late:chat"])]),
        Case(name: "disk space low and back go to the rules that ask, and leave a failure streak alone",
             rules: [rule(["chat"], [.failure, .recovery]), rule(["pager", "chat"], [.diskLow, .diskOk])],
             steps: [Step(failed, ["failure:chat"]), Step(.diskSpace(low: true), ["disk_low:pager,chat"]),
                     Step(.diskSpace(low: false), ["disk_ok:pager,chat"]), Step(failed), Step(succeeded, ["recovery:chat"])]),
    ]

    @Test("each step's alerts", arguments: cases)
    func steps(_ c: Case) {
        var memory = AlertMemory()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for (index, step) in c.steps.enumerated() {
            let decided = AlertPolicy.decide(step.cause, rules: c.rules, memory: memory, now: start.addingTimeInterval(step.minute * 60))
            let got = decided.alerts.map { "\($0.kind.rawValue):\($0.channels.joined(separator: ","))" }
            #expect(got == step.alerts, "step \(index + 1) (\(step.cause))")
            memory = decided.memory
        }
    }

    @Test("the dead man's switch is due an interval after the last success or its last alarm")
    func silenceDue() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let day = Duration.seconds(86_400)
        #expect(AlertPolicy.silenceDue(memory: AlertMemory(), every: day) == nil)
        var memory = AlertPolicy.decide(Self.succeeded, rules: [], memory: AlertMemory(), now: start).memory
        #expect(AlertPolicy.silenceDue(memory: memory, every: day) == start.addingTimeInterval(86_400))
        memory = AlertPolicy.decide(.silent, rules: [], memory: memory, now: start.addingTimeInterval(86_400)).memory
        #expect(AlertPolicy.silenceDue(memory: memory, every: day) == start.addingTimeInterval(2 * 86_400))
    }
}
