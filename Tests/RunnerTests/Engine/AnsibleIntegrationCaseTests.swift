import Foundation
import Testing

/// Plays translated from ansible-core 2.19.14's own integration tests (`test/integration/
/// targets/{blocks,handlers,any_errors_fatal,check_mode,until,failed_when,ignore_errors}`)
/// run through the runner binary and compared with what ansible-playbook printed for the
/// same file (`Fixtures/ansible/integration/cases/*.ansible.txt`, recorded by
/// `scripts/ansible-compare --record`): per host, every banner and the status under it (with
/// the output debug and assert always print), the recap, and the exit code.
@Suite struct AnsibleIntegrationCaseTests {
  /// Cases where runner deliberately or knowingly differs, with why. A case listed here that
  /// starts to match fails the test, so the list cannot go stale.
  static let knownDifferences: [String: String] = [:]

  static var folder: URL {
    get throws {
      let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
      return fixtures.appendingPathComponent("ansible/integration")
    }
  }

  static var caseNames: [String] {
    let cases = (try? folder.appendingPathComponent("cases").path) ?? ""
    let files = (try? FileManager.default.contentsOfDirectory(atPath: cases)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }

  @Test func `every translated case has ansible-playbook's recorded output`() throws {
    #expect(Self.caseNames.count >= 40)
    for name in Self.caseNames {
      #expect(try Self.ansibleOutput(of: name) != nil, "no recorded output for \(name)")
    }
  }

  @Test(arguments: caseNames)
  func `runner runs what ansible-playbook ran, where it ran it`(name: String) throws {
    let comparison = try Self.compare(name)
    Self.report(name, comparison)
    if let reason = Self.knownDifferences[name] {
      #expect(comparison.differences.isEmpty == false, "\(name) now matches (\(reason)): unlist it")
      return
    }
    let details = comparison.differences.joined(separator: "\n")
    #expect(comparison.differences.isEmpty, "\(name):\n\(details)")
  }

  struct Comparison {
    var differences: [String]
    var assertions: (ansible: Int, runner: Int)
  }

  static func compare(_ name: String) throws -> Comparison {
    let folder = try Self.folder
    let recorded = try #require(try ansibleOutput(of: name), "no ansible output for \(name)")
    let argumentsFile = folder.appendingPathComponent("cases/\(name).args")
    let extra =
      (try? String(contentsOf: argumentsFile, encoding: .utf8))?.split(separator: "\n").map(
        String.init) ?? []
    let result = try RunnerProcess.run(
      ["-i", folder.appendingPathComponent("inventory.json").path] + extra
        + [folder.appendingPathComponent("cases/\(name).json").path])
    let theirs = Transcript(recorded.text)
    let ours = Transcript(result.stdout)
    var differences: [String] = []
    if result.status != recorded.exitCode {
      differences.append(
        "exit: ansible \(recorded.exitCode), runner \(result.status)\n\(result.all)")
    }
    for host in Set(theirs.hosts + ours.hosts).sorted()
    where theirs.lines(of: host) != ours.lines(of: host) {
      differences.append(
        "host \(host):\n  ansible: \(theirs.lines(of: host))\n  runner:  \(ours.lines(of: host))")
    }
    if theirs.recap != ours.recap {
      differences.append("recap:\n  ansible: \(theirs.recap)\n  runner:  \(ours.recap)")
    }
    return Comparison(
      differences: differences, assertions: (theirs.assertionsPassed, ours.assertionsPassed))
  }

  /// The live output `scripts/ansible-compare` just made, else the recorded fixture.
  static func ansibleOutput(of name: String) throws -> (text: String, exitCode: Int32)? {
    let file: URL
    if let live = ProcessInfo.processInfo.environment["RUNNER_ANSIBLE_OUTPUTS"] {
      file = URL(fileURLWithPath: live).appendingPathComponent("\(name).ansible.txt")
    } else {
      file = try folder.appendingPathComponent("cases/\(name).ansible.txt")
    }
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
    let header = text.prefix { $0 != "\n" }
    guard let code = header.split(separator: " ").last.flatMap({ Int32($0) }) else { return nil }
    return (String(text.dropFirst(header.count)), code)
  }

  /// One line per case for `scripts/ansible-compare`, appended to `RUNNER_ANSIBLE_REPORT`.
  static func report(_ name: String, _ comparison: Comparison) {
    guard let path = ProcessInfo.processInfo.environment["RUNNER_ANSIBLE_REPORT"] else { return }
    let verdict = comparison.differences.isEmpty ? "same" : "DIFFERS"
    var line =
      "\(verdict) \(name) (assertions passed: ansible \(comparison.assertions.ansible), runner \(comparison.assertions.runner))\n"
    if !comparison.differences.isEmpty {
      line +=
        comparison.differences.map { "    " + $0.replacingOccurrences(of: "\n", with: "\n    ") }
        .joined(separator: "\n") + "\n"
    }
    guard
      let handle = FileHandle(forWritingAtPath: path)
        ?? {
          _ = FileManager.default.createFile(atPath: path, contents: nil)
          return FileHandle(forWritingAtPath: path)
        }()
    else { return }
    handle.seekToEndOfFile()
    handle.write(Data(line.utf8))
    try? handle.close()
  }
}

/// A console transcript read back per host: each status line under its banner, with the
/// output debug and assert print (indented JSON), and `...ignoring`; one-line JSON of other
/// results is left out (it holds timings). The recap lines as printed.
private struct Transcript {
  var byHost: [String: [String]] = [:]
  var hosts: [String] = []
  var recap: [String] = []
  var assertionsPassed = 0

  init(_ text: String) {
    var banner = ""
    var inRecap = false
    var lastHost: String?
    var diff: [String] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var index = 0
    while index < lines.count {
      let line = lines[index]
      index += 1
      if line.hasSuffix("***") {
        diff = []
        banner = String(line.prefix { $0 != "*" }).trimmingCharacters(in: .whitespaces)
        inRecap = banner == "PLAY RECAP"
        continue
      }
      if inRecap {
        if !line.isEmpty { recap.append(line) }
        continue
      }
      // `--diff` output comes before the status line it belongs to.
      if ["--- ", "+++ ", "@@ ", "+", "-", " "].contains(where: { line.hasPrefix($0) }),
        !line.hasPrefix("  waiting:")
      {
        diff.append(line)
        continue
      }
      if line == "...ignoring", let host = lastHost {
        byHost[host, default: []][byHost[host, default: []].count - 1] += " ...ignoring"
        continue
      }
      if line.hasPrefix("included: "), let hostList = line.range(of: " for ") {
        var names = line[hostList.upperBound...]
        var label = ""
        if let arrow = names.range(of: " => ") {
          label = " " + names[arrow.upperBound...]
          names = names[..<arrow.lowerBound]
        }
        for host in names.split(separator: ",") {
          let name = host.trimmingCharacters(in: .whitespaces)
          if byHost[name] == nil { hosts.append(name) }
          byHost[name, default: []].append(banner + " -> included" + label)
        }
        continue
      }
      guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
        open < close, line[..<open].hasSuffix(": "), !line.hasPrefix(" "), !line.hasPrefix("[")
      else { continue }
      let host = String(line[line.index(after: open)..<close])
      var entry = line
      if let arrow = line.range(of: " => ") {
        entry = String(line[..<arrow.lowerBound])
        if line.hasSuffix("=> {") {
          var block: [String] = []
          while index < lines.count, lines[index] != "}" {
            block.append(lines[index].trimmingCharacters(in: .whitespaces))
            index += 1
          }
          index += 1
          entry += " " + block.joined(separator: " ")
          if entry.hasPrefix("ok:"), block.contains(where: { $0.hasPrefix("\"msg\":") }),
            banner.contains("assert")
          {
            assertionsPassed += 1
          }
        }
      }
      if !diff.isEmpty {
        entry += " diff: " + diff.joined(separator: " | ")
        diff = []
      }
      if byHost[host] == nil { hosts.append(host) }
      byHost[host, default: []].append(banner + " -> " + entry)
      lastHost = host
    }
  }

  func lines(of host: String) -> [String] { byHost[host] ?? [] }
}
