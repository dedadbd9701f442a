import Foundation
import Testing
@testable import TenantLint

@Suite struct CollaborationMapTests {
    @Test func mermaid() {
        let m = mapOf([("contoso.yaml", mapContoso), ("fabrikam.yaml", mapFabrikam)])
        #expect(m.mermaid() == """
        flowchart LR
          t0["Contoso #quot;Ltd#quot; (contoso)"]
          t1["fabrikam"]
          t2(["northwind.com"])
          t0-- "calendar" -->t1
          t0-- "chat" -->t1
          t0-- "chat" -->t2
          t0-- "b2b, sharedChannels" -->t1
          t1-- "chat" -->t0
          t0-- "aurora: chat, calendar (TL703)" -->t1
          classDef external stroke-dasharray: 4 3
          class t2 external
          linkStyle 5 stroke:#d00000,stroke-width:2px,color:#d00000

        """)
    }

    @Test func dotText() {
        let m = mapOf([("contoso.yaml", mapContoso), ("fabrikam.yaml", mapFabrikam)])
        #expect(m.dot() == """
        digraph tenantlint {
          rankdir=LR;
          node [shape=box, style=rounded, fontname="Helvetica"];
          edge [fontname="Helvetica", fontsize=10];
          "contoso" [label="Contoso \\"Ltd\\" (contoso)"];
          "fabrikam" [label="fabrikam"];
          "northwind.com" [label="northwind.com", style="rounded,dashed"];
          "contoso" -> "fabrikam" [label="calendar"];
          "contoso" -> "fabrikam" [label="chat"];
          "contoso" -> "northwind.com" [label="chat"];
          "contoso" -> "fabrikam" [label="b2b, sharedChannels"];
          "fabrikam" -> "contoso" [label="chat"];
          "contoso" -> "fabrikam" [label="aurora: chat, calendar (TL703)", color="#d00000", fontcolor="#d00000", penwidth=2];
        }

        """)
    }

    static let dotPath = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: dotPath != nil, "Graphviz 'dot' is not installed (apt-get install -y graphviz); skipping the rendering test"))
    func dotRendersWithGraphviz() throws {
        let m = mapOf([("contoso.yaml", mapContoso), ("fabrikam.yaml", mapFabrikam)])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.dotPath!)
        p.arguments = ["-Tsvg"]
        let inp = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inp.fileHandleForWriting.write(Data(m.dot().utf8))
        try inp.fileHandleForWriting.close()
        let svg = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(stderr == "")
        #expect(svg.contains("<title>contoso&#45;&gt;fabrikam</title>"))
        #expect(svg.components(separatedBy: "<g id=\"edge").count - 1 == 6)
        #expect(svg.components(separatedBy: "<g id=\"node").count - 1 == 3)
        #expect(svg.components(separatedBy: "stroke=\"#d00000\"").count - 1 >= 2)
        #expect(svg.contains(">aurora: chat, calendar (TL703)</text>"))
    }
}
