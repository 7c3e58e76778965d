import Engine
import Foundation
import Modules
import Testing

@Suite struct QuadletUnitTests {
  typealias Fixtures = QuadletFixtures

  @Test(arguments: [
    (Fixtures.dciAPI, Fixtures.dciAPIText),
    (Fixtures.network, Fixtures.networkText),
    (Fixtures.image, Fixtures.imageText),
    (Fixtures.volume, Fixtures.volumeText),
  ])
  func `each kind renders to its golden text`(unit: QuadletUnit, expected: String) throws {
    #expect(try unit.text() == expected)
  }

  static func line(_ unit: QuadletUnit, _ key: String) throws -> String? {
    try unit.text().split(separator: "\n").first { $0.hasPrefix("\(key)=") }.map(String.init)
  }

  static func container(_ container: QuadletContainer) -> QuadletUnit {
    QuadletUnit(.container(container))
  }

  @Test func `hostile Exec arguments are quoted so each one survives exactly`() throws {
    let unit = Self.container(
      QuadletContainer(image: "x") {
        $0.exec = QuadletCommand(Fixtures.hostileArguments)
      })
    #expect(try Self.line(unit, "Exec") == Fixtures.hostileExecLine)
  }

  @Test func `Exec can keep systemd specifiers live while dollars stay literal`() throws {
    let unit = Self.container(
      QuadletContainer(image: "x") {
        $0.exec = QuadletCommand(["sleep", "%i", "$X", "a b"], expandsSpecifiers: true)
      })
    #expect(try Self.line(unit, "Exec") == #"Exec=sleep %i $$X "a b""#)
  }

  @Test(arguments: [
    (
      QuadletHealthCommand.shell("curl --head http://localhost:5000/api/v1/"),
      "HealthCmd=curl --head http://localhost:5000/api/v1/"
    ),
    (.shell("test \"$HOME\" = / && echo 100%"), #"HealthCmd=test "$$HOME" = / && echo 100%%"#),
    (
      .exec(["sh", "-c", "test \"$HOME\" = / && echo 100%"]),
      #"HealthCmd=["sh","-c","test \"$$HOME\" = / && echo 100%%"]"#
    ),
    (.exec(["curl", "--head", "http://x/a\\b"]), #"HealthCmd=["curl","--head","http://x/a\\b"]"#),
  ])
  func `health commands render as podman's shell or exec form, literally`(
    command: QuadletHealthCommand, expected: String
  ) throws {
    #expect(
      try Self.line(
        Self.container(
          QuadletContainer(image: "x") {
            $0.healthCmd = command
          }), "HealthCmd")
        == expected)
  }

  @Test func `environment and labels are quoted per assignment, sorted by name`() throws {
    let unit = Self.container(
      QuadletContainer(image: "x") {
        $0.environment = ["QUOTE": "say \"x\"", "GREETING": "hello world", "A": "1"]
        $0.label = ["instance": "%i"]
        $0.podmanArgs = ["--log-opt", "tag=100%"]
      })
    let text = try unit.text()
    #expect(
      text.contains(
        """
        Environment=A=1
        Environment="GREETING=hello world"
        Environment="QUOTE=say \\"x\\""
        """))
    #expect(text.contains("Label=instance=%i\n"))
    #expect(text.contains("PodmanArgs=--log-opt tag=100%%\n"))
  }

  @Test func `extra lines come after the typed keys`() throws {
    let unit = Self.container(
      QuadletContainer(image: "x") {
        $0.extra = [QuadletEntry("Notify", "healthy"), QuadletEntry("Tmpfs", "/run")]
      })
    #expect(try unit.text().hasSuffix("Image=x\nNotify=healthy\nTmpfs=/run\n"))
  }

  struct Refusal: CustomTestStringConvertible, Sendable {
    var testDescription: String
    var unit: QuadletUnit
    var expected: String
  }

  static let refusals: [Refusal] = [
    Refusal(
      testDescription: "a newline in a value",
      unit: QuadletUnit(
        .network(QuadletNetwork()),
        unit: SystemdUnitSection {
          $0.description = "a\nb"
        }),
      expected:
        "[Unit] Description: contains a newline, which cannot be written into a unit file line"),
    Refusal(
      testDescription: "a newline in an Exec argument",
      unit: container(
        QuadletContainer(image: "x") {
          $0.exec = ["echo", "a\nb"]
        }),
      expected: "[Container] Exec: argument 2 contains a newline"),
    Refusal(
      testDescription: "a tab in an Exec argument",
      unit: container(
        QuadletContainer(image: "x") {
          $0.exec = ["echo", "a\tb"]
        }),
      expected: "[Container] Exec: argument 2 contains control character U+0009"),
    Refusal(
      testDescription: "an empty Exec argument",
      unit: container(
        QuadletContainer(image: "x") {
          $0.exec = ["echo", "", "b"]
        }),
      expected:
        "[Container] Exec: argument 2 is empty; quadlet drops an empty argument and every one after it"
    ),
    Refusal(
      testDescription: "a lone semicolon",
      unit: container(
        QuadletContainer(image: "x") {
          $0.exec = ["echo", ";"]
        }),
      expected: "[Container] Exec: argument 2 is a lone ';'"),
    Refusal(
      testDescription: "an empty Exec",
      unit: container(
        QuadletContainer(image: "x") {
          $0.exec = []
        }),
      expected: "[Container] Exec: needs at least one argument"),
    Refusal(
      testDescription: "a one-argument exec health command",
      unit: container(
        QuadletContainer(image: "x") {
          $0.healthCmd = .exec(["/check"])
        }),
      expected: "[Container] HealthCmd: the list form needs at least two arguments"),
    Refusal(
      testDescription: "a trailing backslash",
      unit: container(
        QuadletContainer(image: "x") {
          $0.volume = ["/a:/b\\"]
        }),
      expected: "ends with a backslash, which would join the next line to it"),
    Refusal(
      testDescription: "blanks in a key quadlet splits",
      unit: container(
        QuadletContainer(image: "x") {
          $0.publishPort = ["80 81"]
        }),
      expected: "[Container] PublishPort: '80 81' contains blanks"),
    Refusal(
      testDescription: "surrounding blanks",
      unit: container(
        QuadletContainer(image: "x") {
          $0.containerName = nil
          $0.workingDir = " /srv"
        }),
      expected: "starts or ends with blanks"),
    Refusal(
      testDescription: "an unknown extra key, with a suggestion",
      unit: container(
        QuadletContainer(image: "x") {
          $0.extra = [QuadletEntry("HealthCmnd", "true")]
        }),
      expected: "[Container] HealthCmnd: unknown key; did you mean 'HealthCmd'?"),
    Refusal(
      testDescription: "a key newer than podman 5.4",
      unit: container(
        QuadletContainer(image: "x") {
          $0.extra = [QuadletEntry("Memory", "64m")]
        }),
      expected: "[Container] Memory: unknown key"),
    Refusal(
      testDescription: "an extra key that has a typed argument",
      unit: container(
        QuadletContainer(image: "x") {
          $0.extra = [QuadletEntry("Image", "y")]
        }),
      expected: "[Container] Image: has its own argument 'image'"),
    Refusal(
      testDescription: "an unknown [Service] key",
      unit: QuadletUnit(
        .volume(QuadletVolume()),
        service: SystemdServiceSection {
          $0.extra = [QuadletEntry("RestartSecs", "5")]
        }),
      expected: "[Service] RestartSecs: unknown key; did you mean 'RestartSec'?"),
    Refusal(
      testDescription: "a misspelled [Image] key",
      unit: QuadletUnit(
        .image(
          QuadletImage(image: "x") {
            $0.extra = [QuadletEntry("TlsVerify", "false")]
          })),
      expected: "[Image] TlsVerify: unknown key; did you mean 'TLSVerify'?"),
    Refusal(
      testDescription: "an environment name with '='",
      unit: container(
        QuadletContainer(image: "x") {
          $0.environment = ["A=B": "c"]
        }),
      expected: "[Container] Environment: 'A=B' is not a valid name"),
  ]

  @Test(arguments: refusals)
  func `values that would corrupt or silently change the unit are refused`(_ refusal: Refusal) {
    let error = #expect(throws: QuadletProblems.self) { try refusal.unit.text() }
    #expect(error?.description.contains(refusal.expected) == true, "\(String(describing: error))")
  }

  @Test func `every problem of a unit is reported at once`() {
    let unit = QuadletUnit(
      .container(
        QuadletContainer(image: "a b") {
          $0.exec = ["", "x"]
          $0.extra = [QuadletEntry("Nope", "1")]
        }),
      unit: SystemdUnitSection {
        $0.description = "x\n"
      })
    #expect(unit.problems.map(\.key) == ["Description", "Image", "Exec", "Nope"])
  }

  @Test func `valid extra keys in Unit and Service pass through`() throws {
    let unit = QuadletUnit(
      .volume(QuadletVolume()),
      unit: SystemdUnitSection {
        $0.extra = [QuadletEntry("ConditionPathExists", "/etc/dci-api")]
      },
      service: SystemdServiceSection {
        $0.extra = [QuadletEntry("ExecStartPre", "/bin/true")]
      })
    let text = try unit.text()
    #expect(text.contains("[Unit]\nConditionPathExists=/etc/dci-api\n"))
    #expect(text.contains("[Service]\nExecStartPre=/bin/true\n"))
  }

  @Test(arguments: QuadletKind.allCases)
  func `every typed key is a key podman 5.4 accepts`(kind: QuadletKind) {
    let (typed, supported) = Self.keys(of: kind)
    #expect(Set(typed.keys).subtracting(supported).isEmpty)
  }

  static func keys(of kind: QuadletKind) -> (typed: [String: String], supported: Set<String>) {
    switch kind {
    case .container: (QuadletContainer.typedKeys, QuadletContainer.supportedKeys)
    case .image: (QuadletImage.typedKeys, QuadletImage.supportedKeys)
    case .network: (QuadletNetwork.typedKeys, QuadletNetwork.supportedKeys)
    case .volume: (QuadletVolume.typedKeys, QuadletVolume.supportedKeys)
    }
  }

  @Test func `service names follow quadlet's naming`() {
    #expect(QuadletKind.container.serviceName(for: "dci-api@") == "dci-api@.service")
    #expect(QuadletKind.network.serviceName(for: "quadlet") == "quadlet-network.service")
    #expect(QuadletKind.image.serviceName(for: "dci-api") == "dci-api-image.service")
  }

  @Test func `files that differ only in comments and blank lines are the same unit`() {
    let edited = "# hand edit\n" + Fixtures.networkText.replacingOccurrences(of: "\n\n", with: "\n")
    #expect(QuadletFile.sameIgnoringComments(Fixtures.networkText, edited))
    #expect(!QuadletFile.sameIgnoringComments(Fixtures.networkText, edited + "DisableDNS=true\n"))
    #expect(
      QuadletFile.sameIgnoringComments(
        Fixtures.networkText, Fixtures.networkText.replacingOccurrences(of: "\n", with: "\r\n")))
  }

  @Test func `semicolon and indented comments are comments too, as systemd reads them`() {
    let edited = Fixtures.networkText.replacingOccurrences(
      of: "[Network]\n", with: "; a note\n[Network]\n  # indented\n\t; tabbed\n")
    #expect(QuadletFile.sameIgnoringComments(Fixtures.networkText, edited))
    // An indented setting whose value holds `;` or `#` is no comment.
    #expect(QuadletFile.significantLines(of: "  Label=a;b#c\n") == ["  Label=a;b#c"])
    #expect(
      QuadletFile.significantLines(of: edited) == [
        "[Network]", "NetworkName=quadlet", "Subnet=10.89.10.0/24", "Gateway=10.89.10.1",
      ])
  }
}
