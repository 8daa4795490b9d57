import Foundation
import Testing
@testable import GnomonCore

/// Parse errors, pinned word for word: they name the field, the value and the bound.
struct CronParseTests {
    struct ErrorCase: CustomTestStringConvertible, Sendable {
        let name: String
        let expression: String
        let message: String
        init(_ name: String, _ expression: String, _ message: String) {
            self.name = name
            self.expression = expression
            self.message = message
        }
        var testDescription: String { name }
    }

    static let errors: [ErrorCase] = [
        ErrorCase("minute above its maximum", "61 * * * *",
                  #"minute 61 is above the maximum 59 in "61 * * * *""#),
        ErrorCase("hour above its maximum", "0 24 * * *",
                  #"hour 24 is above the maximum 23 in "0 24 * * *""#),
        ErrorCase("day-of-month below its minimum", "0 0 0 * *",
                  #"day-of-month 0 is below the minimum 1 in "0 0 0 * *""#),
        ErrorCase("month above its maximum", "0 0 1 13 *",
                  #"month 13 is above the maximum 12 in "0 0 1 13 *""#),
        ErrorCase("day-of-week above its maximum", "0 0 * * 8",
                  #"day-of-week 8 is above the maximum 7 in "0 0 * * 8""#),
        ErrorCase("a huge number", "0 99999999999999999999 * * *",
                  #"hour 99999999999999999999 is above the maximum 23 in "0 99999999999999999999 * * *""#),
        ErrorCase("the end of a range out of bounds", "0 9-25 * * *",
                  #"hour 25 is above the maximum 23 in "0 9-25 * * *""#),
        ErrorCase("too few fields", "* * * *",
                  #"expected 5 fields (minute hour day-of-month month day-of-week) but found 4 in "* * * *""#),
        ErrorCase("six fields, as with seconds", "0 0 0 * * *",
                  #"expected 5 fields (minute hour day-of-month month day-of-week) but found 6 in "0 0 0 * * *"; there is no seconds or year field"#),
        ErrorCase("empty", "  ",
                  #"the schedule expression is empty; write five fields such as "*/15 * * * *" or a macro such as @daily"#),
        ErrorCase("misspelt month", "0 0 1 JNA *",
                  #"month "JNA" is not a number or a month name (JAN-DEC) in "0 0 1 JNA *"; did you mean "JAN"?"#),
        ErrorCase("full weekday name", "0 0 * * monday",
                  #"day-of-week "monday" is not a number or a weekday name (SUN-SAT) in "0 0 * * monday"; did you mean "MON"?"#),
        ErrorCase("unknown word, nothing close", "0 0 * * xyz",
                  #"day-of-week "xyz" is not a number or a weekday name (SUN-SAT) in "0 0 * * xyz""#),
        ErrorCase("a name in a numeric field", "x * * * *",
                  #"minute "x" is not a number in "x * * * *""#),
        ErrorCase("step of zero", "*/0 * * * *",
                  #"minute step 0 is below the minimum 1 in "*/0 * * * *""#),
        ErrorCase("step too large to repeat", "*/60 * * * *",
                  #"minute step 60 is above the maximum 59 in "*/60 * * * *""#),
        ErrorCase("step that is not a number", "*/x * * * *",
                  #"minute step "x" is not a number in "*/x * * * *""#),
        ErrorCase("backwards range", "0 22-2 * * *",
                  #"hour range 22-2 runs backwards in "0 22-2 * * *"; write it as 22-23,0-2"#),
        ErrorCase("backwards weekday range", "0 0 * * fri-mon",
                  #"day-of-week range fri-mon runs backwards in "0 0 * * fri-mon"; write it as 5-6,0-1"#),
        ErrorCase("a sixth Monday", "0 0 * * 1#6",
                  #"day-of-week occurrence 6 is above the maximum 5 in "0 0 * * 1#6"; no month has more than five of any weekday"#),
        ErrorCase("a zeroth Monday", "0 0 * * 1#0",
                  #"day-of-week occurrence 0 is below the minimum 1 in "0 0 * * 1#0""#),
        ErrorCase("# on a range", "0 0 * * 1-2#2",
                  #"day-of-week "1-2#2" names more than one weekday in "0 0 * * 1-2#2"; # takes one weekday, like 1#2 for the second Monday"#),
        ErrorCase("L alone in day-of-week", "0 0 * * L",
                  #"day-of-week "L" needs a weekday before it in "0 0 * * L"; write 5L for the last Friday of the month"#),
        ErrorCase("a step after L", "0 0 * * 5L/2",
                  #"day-of-week "5L/2" cannot have a step in "0 0 * * 5L/2"; L and # pick single days"#),
        ErrorCase("LW is not supported", "0 0 LW * *",
                  #"day-of-month "LW" is not supported in "0 0 LW * *"; only a plain L (the last day of the month) is"#),
        ErrorCase("L in the minute field", "L * * * *",
                  #"minute "L" is not a number in "L * * * *""#),
        ErrorCase("empty list item", "1,,2 * * * *",
                  #"minute "1,,2" has an empty list item in "1,,2 * * * *""#),
        ErrorCase("range missing its end", "0 0 5- * *",
                  #"day-of-month "5-" is missing a value in "0 0 5- * *""#),
        ErrorCase("misspelt macro", "@dialy",
                  #"unknown macro "@dialy" in "@dialy"; did you mean "@daily"?"#),
        ErrorCase("unknown macro, nothing close", "@sometimes",
                  #"unknown macro "@sometimes" in "@sometimes"; use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every"#),
        ErrorCase("macro with extra words", "@daily 5",
                  #"@daily takes nothing after it in "@daily 5""#),
        ErrorCase("@reboot", "@reboot",
                  "@reboot is not supported; Gnomon schedules fire at times of day or at fixed intervals"),
        ErrorCase("30 February never fires", "0 0 30 2 *",
                  #""0 0 30 2 *" never fires: day-of-month 30 never occurs in February"#),
        ErrorCase("31 April never fires", "0 0 31 4 *",
                  #""0 0 31 4 *" never fires: day-of-month 31 never occurs in April"#),
        ErrorCase("31st of the short months never fires", "0 0 31 apr,jun,sep,nov *",
                  #""0 0 31 apr,jun,sep,nov *" never fires: day-of-month 31 never occurs in April, June, September or November"#),
        ErrorCase("30th or 31st of February never fires", "0 0 30,31 FEB *",
                  #""0 0 30,31 FEB *" never fires: day-of-month 30,31 never occurs in February"#),
    ]

    @Test(arguments: errors)
    func rejects(_ c: ErrorCase) {
        let result = CronExpression.parse(c.expression)
        guard case .failure(let problem) = result else {
            Issue.record("\"\(c.expression)\" parsed, expected: \(c.message)")
            return
        }
        #expect(problem.message == c.message)
        #expect(problem.part == .expression)
    }

    struct ValidCase: CustomTestStringConvertible, Sendable {
        let name: String
        let expression: String
        var testDescription: String { name }
    }

    static let valid: [ValidCase] = [
        ValidCase(name: "31st with a month that has one", expression: "0 0 31 2,3 *"),
        ValidCase(name: "30 February with a weekday also allowed (OR)", expression: "0 0 30 2 mon"),
        ValidCase(name: "29 February", expression: "0 0 29 2 *"),
        ValidCase(name: "L in February", expression: "0 0 L 2 *"),
        ValidCase(name: "fifth Monday of February", expression: "0 0 * 2 1#5"),
        ValidCase(name: "tabs and extra spaces", expression: " 0\t0  *  * * "),
        ValidCase(name: "upper-case macro", expression: "@DAILY"),
        ValidCase(name: "every value listed", expression: "0-59 0-23 1-31 1-12 0-7"),
    ]

    @Test(arguments: valid)
    func accepts(_ c: ValidCase) {
        #expect(throws: Never.self) { try CronExpression.parse(c.expression).get() }
    }

    @Test func macrosMeanTheirFields() throws {
        let start = CronTestSupport.instant("2026-01-01T00:00:00Z")
        for (name, fields) in CronExpression.macros {
            let macro = try CronTestSupport.schedule(name)
            let spelled = try CronTestSupport.schedule(fields)
            #expect(macro.nextTimes(after: start, count: 5) == spelled.nextTimes(after: start, count: 5), "\(name)")
        }
    }

    @Test func theTextIsKeptTrimmed() throws {
        #expect(try CronExpression.parse("  */5 * * * * ").get().text == "*/5 * * * *")
    }
}
