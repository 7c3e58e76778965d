import Engine
import Modules
import Testing

@Suite struct SystemdUnitStatesTests {
  typealias Fixtures = SystemdShowFixtures

  @Test func `one systemctl show call asks for every unit with the properties it parses`() {
    let fact = SystemdUnitStates(units: ["dci-api@0.service", "dci-api@1.service"])
    #expect(
      fact.command.arguments == [
        "systemctl", "show",
        "--property=Id,LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload,"
          + "FragmentPath,SourcePath",
        "--", "dci-api@0.service", "dci-api@1.service",
      ])
    #expect(
      SystemdUnitStates(units: ["a"], scope: .user).command.arguments.prefix(3) == [
        "systemctl", "--user", "show",
      ])
  }

  @Test func `blocks map to the units asked for, in order, including a unit systemd does not know`()
    throws
  {
    let fact = SystemdUnitStates(units: ["ssh", "nosuch.service", "fx@1.service"])
    let output = Fixtures.output(
      Fixtures.sshActiveEnabled, Fixtures.notFound, Fixtures.quadletInstanceInactive)
    let states = try fact.parse(CommandOutput(exitCode: 0, stdout: output))
    #expect(states.count == 3)
    #expect(states[0].id == "ssh.service")
    #expect(states[0].isRunning && states[0].unitFileState == "enabled" && states[0].isFound)
    #expect(!states[1].isFound && states[1].unitFileState.isEmpty && !states[1].isRunning)
    #expect(states[2].isGenerated && !states[2].isRunning)
    #expect(states[2].sourcePath == "/etc/containers/systemd/fx@.container")
    #expect(states[2].fragmentPath == "/run/systemd/generator/fx@.service")
  }

  @Test(arguments: [
    (Fixtures.sshActiveEnabled, true, false, false, true),
    (Fixtures.haproxyInactiveDisabled, false, false, false, false),
    (Fixtures.journaldStatic, true, false, false, false),
    (Fixtures.gettyInstance, false, false, false, true),
    (Fixtures.quadletInstanceStale, true, true, false, false),
    (Fixtures.masked, false, false, true, false),
    (Fixtures.failedEnabled, false, false, false, true),
    (Fixtures.crashLooping, false, false, false, false),
  ])
  func `each fixture reads as the state it shows`(
    fixture: String, running: Bool, needsReload: Bool, masked: Bool, enabled: Bool
  ) throws {
    let states = try SystemdUnitStates(units: ["u"]).parse(
      CommandOutput(exitCode: 0, stdout: fixture))
    let state = try #require(states.first)
    #expect(state.isRunning == running)
    #expect(state.needsDaemonReload == needsReload)
    #expect(state.isMasked == masked)
    #expect(state.isEnabled == enabled)
  }

  @Test func `a value holding '=' is kept whole and CRLF line ends are tolerated`() throws {
    let text = "Id=a.service\r\nLoadState=loaded\r\nActiveState=active\r\nFragmentPath=/x=y\r\n"
    let state = try #require(
      try SystemdUnitStates(units: ["a.service"]).parse(CommandOutput(exitCode: 0, stdout: text))
        .first)
    #expect(state.fragmentPath == "/x=y" && state.activeState == "active")
  }

  @Test func `a block count that does not match the units asked for is an error`() {
    let fact = SystemdUnitStates(units: ["a.service", "b.service"])
    #expect(throws: ModuleError.self) {
      try fact.parse(CommandOutput(exitCode: 0, stdout: Fixtures.sshActiveEnabled))
    }
  }

  @Test func `a failing systemctl show is reported with its stderr`() {
    let fact = SystemdUnitStates(units: ["fx@.service"])
    let output = CommandOutput(
      exitCode: 1, stdout: "",
      stderr:
        "Failed to get properties: Unit name fx@.service is neither a valid invocation ID nor unit name."
    )
    let error = #expect(throws: CommandFailed.self) { try fact.parse(output) }
    #expect(error?.description.contains("neither a valid invocation ID") == true)
  }
}
