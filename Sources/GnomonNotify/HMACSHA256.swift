import CGnomonCurl

/// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256), computed by OpenSSL's libcrypto.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func code(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let status = out.withUnsafeMutableBufferPointer { out in
            gnomon_hmac_sha256(key, key.count, message, message.count, out.baseAddress)
        }
        // libcrypto's HMAC fails only when it cannot allocate; nothing can be signed then.
        precondition(status == 0, "HMAC-SHA256 failed in libcrypto")
        return out
    }

    /// The code as lowercase hex.
    public static func hex(key: [UInt8], message: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in code(key: key, message: message) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
