/// One window of an attempt's log, as `GET /api/v1/runs/{id}/tasks/{task}/attempts/{n}/log`
/// answers it and the remote CLI reads it: where it starts, where the next one does, how big the
/// file is now, whether the attempt has ended (then the file grows no more) and the text (UTF-8;
/// invalid bytes replaced with U+FFFD).
struct LogWindow: Codable, Sendable {
    var offset: Int64
    var nextOffset: Int64
    var size: Int64
    var ended: Bool
    var text: String

    enum CodingKeys: String, CodingKey {
        case offset, size, ended, text
        case nextOffset = "next_offset"
    }
}
