import Dispatch
import Foundation

/// Turns process signals into calls instead of their default actions.
///
/// The signals are ignored at the process level and delivered through Dispatch sources; children
/// are unaffected (the spawner resets every signal to its default in the child).
public final class SignalSource: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    public init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops the calls and gives the signals their default actions back.
    public func stop() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
