extension CronField {
    /// Parses this field's text (`*/15`, `1-5`, `mon-fri`, `L`, `5L`, `1#2`, lists of those).
    ///
    /// - Parameter expression: the whole expression, quoted in messages.
    func parse(_ text: Substring, in expression: String) throws(ScheduleProblem) -> CronFieldValue {
        var value = CronFieldValue()
        if text == "*" || text == "?" {
            value.isWildcard = true
            value.hasWildcardOrStep = true
            for v in minimum...wildcardMaximum { value.mask |= 1 << UInt64(v) }
            return value
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            try parseItem(item, of: text, into: &value, in: expression)
        }
        return value
    }

    private func parseItem(_ item: Substring, of text: Substring, into value: inout CronFieldValue,
                           in expression: String) throws(ScheduleProblem) {
        guard !item.isEmpty else {
            throw problem("\(name) \"\(text)\" has an empty list item", expression)
        }
        var body = item
        var step: Int?
        if let slash = item.firstIndex(of: "/") {
            body = item[..<slash]
            step = try number(item[item.index(after: slash)...], role: "\(name) step",
                              range: 1...maximumStep, in: expression)
            value.hasWildcardOrStep = true
        }
        let upper = body.uppercased()
        if kind == .dayOfWeek, let hash = body.firstIndex(of: "#") {
            try rejectStep(step, item, expression)
            let weekdayText = body[..<hash]
            guard !weekdayText.contains("-") else {
                throw problem("\(name) \"\(item)\" names more than one weekday", expression,
                              hint: "# takes one weekday, like 1#2 for the second Monday")
            }
            let weekday = try self.value(weekdayText, of: item, in: expression) % 7
            let occurrence = try number(body[body.index(after: hash)...], role: "\(name) occurrence",
                                        range: 1...5, in: expression,
                                        hint: "no month has more than five of any weekday")
            value.nthWeekdays |= 1 << UInt64(weekday * 5 + occurrence - 1)
            return
        }
        if kind == .dayOfWeek, upper.hasSuffix("L") {
            guard upper.count > 1 else {
                throw problem("\(name) \"L\" needs a weekday before it", expression,
                              hint: "write 5L for the last Friday of the month")
            }
            try rejectStep(step, item, expression)
            let weekday = try self.value(body.dropLast(), of: item, in: expression) % 7
            value.lastWeekdays |= 1 << UInt64(weekday)
            return
        }
        if kind == .dayOfMonth, upper.contains("L") {
            guard upper == "L", step == nil else {
                throw problem("\(name) \"\(item)\" is not supported", expression,
                              hint: "only a plain L (the last day of the month) is")
            }
            value.lastDay = true
            return
        }
        let low: Int, high: Int
        if body == "*" || body == "?" {
            (low, high) = (minimum, wildcardMaximum)
            value.hasWildcardOrStep = true
        } else if let dash = body.firstIndex(of: "-") {
            low = try self.value(body[..<dash], of: item, in: expression)
            high = try self.value(body[body.index(after: dash)...], of: item, in: expression)
            guard low <= high else {
                let first = low == wildcardMaximum ? "\(low)" : "\(low)-\(wildcardMaximum)"
                let second = high == minimum ? "\(high)" : "\(minimum)-\(high)"
                throw problem("\(name) range \(body) runs backwards", expression,
                              hint: "write it as \(first),\(second)")
            }
        } else {
            low = try self.value(body, of: item, in: expression)
            // `10/5` means "from 10 to the end in steps of 5", as in Quartz and most cron libraries.
            high = step == nil ? low : max(low, wildcardMaximum)
        }
        for v in stride(from: low, through: high, by: step ?? 1) {
            value.mask |= 1 << UInt64(kind == .dayOfWeek ? v % 7 : v)
        }
    }

    /// A value of this field: a number within bounds or one of its names.
    private func value(_ token: Substring, of item: Substring, in expression: String) throws(ScheduleProblem) -> Int {
        if !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return try number(token, role: name, range: minimum...maximum, in: expression)
        }
        let upper = token.uppercased()
        if let index = names.firstIndex(of: upper) { return index + nameBase }
        guard !token.isEmpty else {
            throw problem("\(name) \"\(item)\" is missing a value", expression)
        }
        if names.isEmpty { throw problem("\(name) \"\(token)\" is not a number", expression) }
        // Names are three letters, too short for edit distance to catch swapped letters (JNA).
        let suggestion = names.first { upper.count > 3 && upper.hasPrefix($0) }
            ?? names.first { $0.sorted() == upper.sorted() }
            ?? Suggest.closest(to: upper, among: names)
        throw problem("\(name) \"\(token)\" is not a number or \(namesDescription)", expression,
                      hint: suggestion.map { "did you mean \"\($0)\"?" })
    }

    /// A decimal number within `range`; `role` names it in messages ("minute", "minute step").
    private func number(_ token: Substring, role: String, range: ClosedRange<Int>, in expression: String,
                        hint: String? = nil) throws(ScheduleProblem) -> Int {
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw problem("\(role) \"\(token)\" is not a number", expression)
        }
        guard let n = Int(token), n <= range.upperBound else {
            throw problem("\(role) \(token) is above the maximum \(range.upperBound)", expression, hint: hint)
        }
        guard n >= range.lowerBound else {
            throw problem("\(role) \(token) is below the minimum \(range.lowerBound)", expression)
        }
        return n
    }

    private func rejectStep(_ step: Int?, _ item: Substring, _ expression: String) throws(ScheduleProblem) {
        guard step == nil else {
            throw problem("\(name) \"\(item)\" cannot have a step", expression,
                          hint: "L and # pick single days")
        }
    }

    private func problem(_ what: String, _ expression: String, hint: String? = nil) -> ScheduleProblem {
        ScheduleProblem(.expression, "\(what) in \"\(expression)\"" + (hint.map { "; \($0)" } ?? ""))
    }
}
