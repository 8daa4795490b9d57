import GnomonCore
import GnomonEngine
import Synchronization
import Testing

/// When the free-space guard reuses a reading instead of measuring the disk again, on a made-up
/// disk and a manual monotonic time.
@Suite("Free-space readings reused")
struct DiskSpaceReuseTests {
    /// A made-up disk whose free space the test sets, counting how often it is measured.
    final class Disk: Sendable {
        let free: Mutex<Int64>
        let total: Int64
        let measured = Mutex(0)
        let clock = Mutex(ContinuousClock.now)

        init(free: Int64, total: Int64) {
            self.free = Mutex(free)
            self.total = total
        }

        func guarded(_ rule: FreeSpaceRule) -> DiskSpaceGuard {
            DiskSpaceGuard(
                folder: "/made-up", rule: rule,
                measure: { _ in
                    self.measured.withLock { $0 += 1 }
                    return DiskSpaceGuard.Reading(free: self.free.withLock { $0 }, total: self.total)
                },
                now: { self.clock.withLock { $0 } })
        }

        func advance(_ duration: Duration) { clock.withLock { $0 += duration } }
    }

    static let gib: Int64 = 1 << 30

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let free: Int64
        let total: Int64
        let rule: FreeSpaceRule
        /// Measurements for three looks within ``DiskSpaceGuard/reuseFor``.
        let measured: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plenty (10 GiB free, 1 GiB needed): one reading serves the second",
             free: 10 * gib, total: 100 * gib, rule: .standard, measured: 1),
        Case(name: "exactly 1 GiB above a 1 GiB threshold is plenty",
             free: 2 * gib, total: 100 * gib, rule: .bytes(gib), measured: 1),
        Case(name: "less than 1 GiB above the threshold: every look measures",
             free: 2 * gib - 1, total: 100 * gib, rule: .bytes(gib), measured: 3),
        Case(name: "a small disk (2 MiB, 5% needed) is measured every time",
             free: 2 << 20, total: 2 << 20, rule: .standard, measured: 3),
        Case(name: "above 1 GiB but not the threshold's own size above it: every look measures",
             free: 5 * gib, total: 100 * gib, rule: .bytes(3 * gib), measured: 3),
        Case(name: "short: every look measures", free: gib / 2, total: 100 * gib, rule: .standard, measured: 3),
        Case(name: "no rule: nothing is measured", free: 0, total: 100 * gib, rule: .none, measured: 0),
    ]

    @Test("a reading is reused only while it found plenty of space", arguments: cases)
    func reuse(_ testCase: Case) {
        let disk = Disk(free: testCase.free, total: testCase.total)
        let guarded = disk.guarded(testCase.rule)
        for _ in 0..<3 {
            _ = guarded.shortage()
            disk.advance(.milliseconds(400))
        }
        #expect(disk.measured.withLock { $0 } == testCase.measured)
    }

    @Test("a reused reading expires after reuseFor, and a new rule is judged on a new reading")
    func expiry() {
        let disk = Disk(free: 10 * Self.gib, total: 100 * Self.gib)
        let guarded = disk.guarded(.standard)
        #expect(guarded.shortage() == nil)
        // The disk fills; the reading from a moment ago still says plenty, for at most reuseFor.
        disk.free.withLock { $0 = Self.gib / 2 }
        disk.advance(DiskSpaceGuard.reuseFor - .milliseconds(1))
        #expect(guarded.shortage() == nil)
        disk.advance(.milliseconds(1))
        #expect(guarded.shortage()?.free == Self.gib / 2, "a reading is never used for longer than reuseFor")
        #expect(disk.measured.withLock { $0 } == 2)

        disk.free.withLock { $0 = 10 * Self.gib }
        #expect(guarded.shortage() == nil)
        guarded.rule = .bytes(20 * Self.gib)
        #expect(guarded.shortage()?.needed == 20 * Self.gib, "the rule changed: measured again")
        #expect(disk.measured.withLock { $0 } == 4)
    }
}
