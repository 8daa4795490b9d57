import CGnomonSpawn
import Glibc

/// One thread that runs Swift tasks (it is a task executor), learns of child exits and fires
/// short timers, all from one `epoll_wait`.
///
/// The engine runs every run loop and attempt on it (Docs/architecture.md). On Swift's shared
/// pool each step from an upstream's exit to its dependent's spawn (learning of the exit, the
/// attempt waiting for it, the run loop, the dependent's attempt, its gate) could resume on
/// another thread and wake it: 10 to 11 context switches per task, against 3 for make. Here a
/// child's exit wakes this one thread, which reaps it and carries on to the next spawn itself
/// (about 3.8 switches per task; Docs/performance.md, *From an exit to the next spawn*).
///
/// What runs here must not block for long, since it holds up everything else on the loop: a
/// store commit and a `vfork` (until the child has called `exec`) are the longest waits.
public final class ProcessLoop: _Concurrency.TaskExecutor, @unchecked Sendable {
    /// The loop of the Gnomon process.
    public static let shared = ProcessLoop()

    private let epoll: Int32
    /// Written when work arrives while the loop sleeps in `epoll_wait`.
    private let wakeup: Int32
    // Guarded by `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var jobs: [UnownedJob] = []
    private var watched: [Int32: @Sendable () -> Void] = [:]
    private var timers: [(deadline: UInt64, work: @Sendable () -> Void)] = []
    private var sleeping = false
    private var woken = false
    private var started = false

    private init() {
        var wakeup: Int32 = -1
        epoll = gnomon_loop_create(&wakeup)
        precondition(epoll >= 0, "could not create the process loop's descriptors: \(ErrnoText.describe(errno))")
        self.wakeup = wakeup
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        jobs.append(job)
        let wake = claimWake()
        pthread_mutex_unlock(mutex)
        if wake { gnomon_loop_wake(wakeup) }
    }

    /// Runs `work` on the loop once `delay` has passed (to the millisecond; later while the
    /// loop is busy). Arming it from the loop itself costs no system call and wakes no thread,
    /// unlike a Dispatch timer. `work` must be short.
    public func after(_ delay: Duration, _ work: @escaping @Sendable () -> Void) {
        let deadline = Self.monotonicNanoseconds() + UInt64(delay.clampedNanoseconds)
        pthread_mutex_lock(mutex)
        timers.append((deadline, work))
        let wake = claimWake()
        pthread_mutex_unlock(mutex)
        if wake { gnomon_loop_wake(wakeup) }
    }

    /// Runs `then` on the loop once `descriptor` is readable, then forgets the descriptor (the
    /// caller still owns it and closes it).
    func watch(_ descriptor: Int32, then: @escaping @Sendable () -> Void) -> Bool {
        pthread_mutex_lock(mutex)
        watched[descriptor] = then
        let added = gnomon_loop_watch(epoll, descriptor) == 0
        if !added { watched[descriptor] = nil }
        startIfNeeded()
        pthread_mutex_unlock(mutex)
        return added
    }

    /// After queueing work, with `mutex` held: whether the caller must wake the loop (once it has
    /// let go of the mutex). Starts the loop's thread the first time.
    private func claimWake() -> Bool {
        startIfNeeded()
        guard sleeping && !woken else { return false }
        woken = true
        return true
    }

    /// Called with `mutex` held.
    private func startIfNeeded() {
        guard !started else { return }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&thread, nil, { context in
            let loop = Unmanaged<ProcessLoop>.fromOpaque(context!).takeRetainedValue()
            loop.runForever()
        }, context)
        precondition(result == 0, "could not start the process loop thread: \(ErrnoText.describe(result))")
        pthread_detach(thread)
        started = true
    }

    private func runForever() -> Never {
        // The thread inherits its creator's mask, which on Swift's pool blocks every signal. A
        // blocked SIGCHLD is queued for each exit and wakes whichever thread takes it (the main
        // thread); unblocked, with its default action, the kernel drops it at once.
        var chld = sigset_t()
        sigemptyset(&chld)
        sigaddset(&chld, SIGCHLD)
        pthread_sigmask(SIG_UNBLOCK, &chld, nil)

        let executor = asUnownedTaskExecutor()
        var events = [Int32](repeating: -1, count: 64)
        var batch: [UnownedJob] = []
        var ready: [@Sendable () -> Void] = []
        while true {
            pthread_mutex_lock(mutex)
            let timeout = jobs.isEmpty ? waitMilliseconds() : 0
            sleeping = timeout != 0
            pthread_mutex_unlock(mutex)

            let count = gnomon_loop_wait(epoll, &events, Int32(events.count), timeout)

            pthread_mutex_lock(mutex)
            sleeping = false
            if woken {
                woken = false
                gnomon_loop_drain(wakeup)
            }
            for index in 0..<max(0, Int(count)) {
                let descriptor = events[index]
                if descriptor != wakeup, let then = watched.removeValue(forKey: descriptor) {
                    gnomon_loop_unwatch(epoll, descriptor)
                    ready.append(then)
                }
            }
            if !timers.isEmpty {
                let now = Self.monotonicNanoseconds()
                // Due timers fire in deadline order, also when the loop was busy past several.
                let due = timers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
                if !due.isEmpty {
                    timers.removeAll { $0.deadline <= now }
                    ready.append(contentsOf: due.map(\.work))
                }
            }
            swap(&batch, &jobs)
            pthread_mutex_unlock(mutex)

            for work in ready { work() }
            ready.removeAll(keepingCapacity: true)
            for job in batch { job.runSynchronously(on: executor) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

extension ProcessLoop {
    /// How long `epoll_wait` may sleep: until the next timer, or indefinitely. Called with
    /// `mutex` held.
    private func waitMilliseconds() -> Int32 {
        guard let next = timers.map(\.deadline).min() else { return -1 }
        let now = Self.monotonicNanoseconds()
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
