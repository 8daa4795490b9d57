import CGnomonCurl
import Foundation

/// One libcurl transfer (``gnomon_http_request``, ``gnomon_http_post`` or ``gnomon_smtp_send``),
/// run on a thread of its own because libcurl's easy interface blocks, and awaited without
/// blocking the caller.
///
/// The transfer's own timeout bounds the thread; cancelling the calling task aborts it sooner.
public struct Transfer: Sendable {
    /// How it ended, copied out of C.
    public struct Outcome: Sendable {
        public var kind: gnomon_transfer_kind
        public var status: Int
        public var error: String
        public var body: [UInt8]

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// Why the transfer failed, for callers that do not import the C module; nil when it
        /// went through (the answer's status is then the caller's to judge).
        public var failure: Failure? {
            switch kind {
            case GNOMON_TRANSFER_OK: return nil
            case GNOMON_TRANSFER_TIMED_OUT: return .timedOut
            case GNOMON_TRANSFER_COULD_NOT_CONNECT: return .couldNotConnect
            case GNOMON_TRANSFER_TLS: return .tls
            case GNOMON_TRANSFER_BROKEN: return .broken
            case GNOMON_TRANSFER_CANCELLED: return .cancelled
            default: return .other
            }
        }
    }

    /// How a transfer failed (``Outcome/failure``).
    public enum Failure: Sendable {
        case timedOut, couldNotConnect, tls, broken, cancelled, other
    }

    /// Runs `perform` (which calls libcurl with the cancellation flag it is given) on a new thread.
    public static func run(_ perform: @escaping @Sendable (_ cancelled: UnsafePointer<Int32>, _ result: UnsafeMutablePointer<gnomon_transfer>) -> Void) async -> Outcome {
        let flag = CancelFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                Thread.detachNewThread {
                    var result = gnomon_transfer()
                    perform(UnsafePointer(flag.pointer), &result)
                    let error = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                    let body = result.body.map { Array(UnsafeRawBufferPointer(start: $0, count: result.body_length)) } ?? []
                    gnomon_transfer_free(&result)
                    continuation.resume(returning: Outcome(kind: result.kind, status: result.status, error: error, body: body))
                }
            }
        } onCancel: {
            gnomon_transfer_cancel(flag.pointer)
        }
    }
}

/// The flag a transfer polls, set atomically by ``gnomon_transfer_cancel`` (and only read or
/// written through those atomics); freed when neither the thread nor the cancellation handler
/// holds it any more.
private final class CancelFlag: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: 0)
    }

    deinit { pointer.deallocate() }
}

/// Calls `body` with C strings for `strings` (then a NULL, so the array is never empty), alive
/// for the call.
public func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) } + [nil]
    defer { copies.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
}
