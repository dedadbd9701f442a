/// Where a session's output goes, in the order the run makes it: report
/// bytes for standard output (streamed a chunk at a time), and messages for
/// standard error (notes, warnings, errors, the `--diff`/`--fix` summary,
/// `--timings`). The command line writes them to its terminal; a test or an
/// editor collects them.
public struct LintSessionOutput {
    /// Writes a chunk of standard output; false when it could not be
    /// written (the report stops early).
    public var standardOutput: ([UInt8]) -> Bool
    /// One message for standard error, without its final newline; it may
    /// hold several lines. It may quote file names and values: a terminal
    /// writer should pass it through `Display.terminal`.
    public var message: (String) -> Void

    public init(standardOutput: @escaping ([UInt8]) -> Bool, message: @escaping (String) -> Void) {
        self.standardOutput = standardOutput
        self.message = message
    }

    /// Output that goes nowhere (an editor that only wants the result).
    public static var discarding: LintSessionOutput {
        LintSessionOutput(standardOutput: { _ in true }, message: { _ in })
    }
}
