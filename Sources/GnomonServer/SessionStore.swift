import Foundation
import Synchronization

/// Browser sessions: a signed-in browser holds a random session id in an HttpOnly, SameSite=Strict
/// cookie; the server keeps, in memory, whose it is and the token its pages send back on every
/// state-changing request (`X-Gnomon-CSRF`). Sessions end after `lifetime` or when the daemon
/// restarts (sign in again).
public final class SessionStore: Sendable {
    public struct Session: Sendable {
        public var principal: Principal
        public var csrf: String
        public var expires: Date
    }

    /// How long a browser stays signed in.
    public static let lifetime: TimeInterval = 12 * 3600
    /// The most sessions kept; the oldest go first (a flood of sign-ins cannot grow memory).
    public static let capacity = 10_000

    private let sessions = Mutex<[String: Session]>([:])

    public init() {}

    /// Starts a session; returns its id and CSRF token.
    public func start(_ principal: Principal, now: Date) -> (id: String, session: Session) {
        let id = TokenStore.newToken()
        let session = Session(principal: principal, csrf: TokenStore.newToken(), expires: now.addingTimeInterval(Self.lifetime))
        sessions.withLock { table in
            if table.count >= Self.capacity {
                table = table.filter { $0.value.expires > now }
                if table.count >= Self.capacity, let oldest = table.min(by: { $0.value.expires < $1.value.expires }) {
                    table.removeValue(forKey: oldest.key)
                }
            }
            table[id] = session
        }
        return (id, session)
    }

    public func session(_ id: String, now: Date) -> Session? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            if session.expires <= now {
                table.removeValue(forKey: id)
                return nil
            }
            return session
        }
    }

    public func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
