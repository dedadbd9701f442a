import YAMLSource

extension String {
    /// Schema messages say "the document" for the root; a config is a file.
    func replacingDocument() -> String {
        let from = Array(" in the document"), to = " in the configuration"
        let chars = Array(self)
        var out = ""
        var i = 0
        while i < chars.count {
            if i + from.count <= chars.count && Array(chars[i..<(i + from.count)]) == from {
                out += to
                i += from.count
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }
}
