/// Values queued first in first out by key, where any key may also leave the queue early: append,
/// remove and next are O(1) (amortised), with a hundred thousand keys queued.
///
/// A removed key's place stays in the arrival order until it reaches the front, and the order is
/// compacted once most of it has been taken, so it stays at most twice as long as the queue.
///
/// Inlinable, so that the engine's queues (of launches, of waiters for a worker slot) are
/// specialised for their types rather than run through generic witnesses on every attempt.
public struct KeyedQueue<Key: Hashable, Value> {
    @usableFromInline var order: [Key] = []
    @usableFromInline var head = 0
    /// The queued keys and their values; a key in `order` but not here has left.
    @usableFromInline var values: [Key: Value] = [:]

    @inlinable public init() {}

    @inlinable public var isEmpty: Bool { values.isEmpty }

    /// Queues `value` under `key` (a key already queued takes the new value and keeps its place).
    @inlinable public mutating func append(_ key: Key, _ value: Value) {
        if values.updateValue(value, forKey: key) == nil { order.append(key) }
    }

    /// Takes a key out of the queue; its value, or `nil` if it was not queued.
    @inlinable public mutating func remove(_ key: Key) -> Value? {
        values.removeValue(forKey: key)
    }

    /// The oldest key still queued, taken out with its value.
    @inlinable public mutating func next() -> (key: Key, value: Value)? {
        defer { compact() }
        while head < order.count {
            let key = order[head]
            head += 1
            if let value = values.removeValue(forKey: key) { return (key, value) }
        }
        return nil
    }

    @inlinable mutating func compact() {
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

extension KeyedQueue: Sendable where Key: Sendable, Value: Sendable {}
