import Glibc

/// Text written straight to a file descriptor, without Foundation's `FileHandle` (whose
/// `write(_:)` traps when a write fails, on a full disk for example) and without copying the
/// bytes into a `Data` first. Every line Gnomon prints goes through it.
public enum DescriptorText {
    /// Writes all of `text`, retrying on EINTR. A descriptor that cannot take it (a closed pipe,
    /// a full disk) is left as it is: the caller has nothing better to do with the text.
    public static func write(_ text: String, to descriptor: Int32) {
        _ = writeAll(text, to: descriptor)
    }

    /// Writes all of `text`, retrying on EINTR.
    /// - Returns: false when the descriptor could not take all of it.
    @discardableResult
    public static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var rest = UnsafeRawBufferPointer(bytes)
            while !rest.isEmpty {
                let written = Glibc.write(descriptor, rest.baseAddress, rest.count)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[written...])
            }
            return true
        }
    }
}
