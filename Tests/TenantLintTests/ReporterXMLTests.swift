import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TenantLint
import YAMLSource

/// An XML document parsed with Foundation's XMLParser: the elements in
/// document order with their attributes and text, or the parse error.
final class ParsedXML: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var depth: Int
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: String?

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = parser.parserError.map { "\($0)" } ?? "parse failed"
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(Element(name: name, attributes: attributes, depth: open.count))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = "\(parseError)"
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }
}

@Suite struct ReporterXMLTests {
    @Test func markupCharactersBecomeEntities() {
        #expect(XML.text("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;")
        #expect(XML.attribute("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;")
    }

    @Test func lineBreaksAndTabs() {
        #expect(XML.text("a\nb\tc\r\nd") == "a\nb\tc&#13;\nd")
        #expect(XML.attribute("a\nb\tc\r\nd") == "a&#10;b&#9;c&#13;&#10;d")
    }

    @Test func charactersXMLCannotCarryAreReplaced() {
        #expect(XML.text("a\u{0}b\u{1}c\u{8}d\u{B}e\u{1F}f\u{FFFE}g\u{FFFF}") == "a�b�c�d�e�f�g�")
        #expect(XML.attribute("\u{7}") == "\u{FFFD}")
    }

    @Test func nonASCIIIsKept() {
        #expect(XML.text("Zürich 🙂 \u{7F} \u{85} \u{E000} \u{10FFFF}") == "Zürich 🙂 \u{7F} \u{85} \u{E000} \u{10FFFF}")
    }

    @Test func escapedTextRoundTripsThroughAParser() throws {
        let s = "Zürich 🙂 & <x> \"q\" 'a'\nline\ttab\r\nend"
        let doc = ParsedXML("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r a=\"\(XML.attribute(s))\">\(XML.text(s))</r>\n")
        #expect(doc.error == nil)
        let r = try #require(doc.all("r").first)
        #expect(r.attributes["a"] == s)
        #expect(r.text == s)
    }
}
