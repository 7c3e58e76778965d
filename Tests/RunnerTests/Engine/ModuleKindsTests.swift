import Engine
import Testing

/// `Module` is only `plan(in:)`: a role's private module needs no name and no decoding; a
/// `NamedModule` chooses the name the run log shows; only a `PlaybookModule` is registered.
struct ModuleKindsTests {
  struct Unnamed: Module {
    func plan(in context: PlanContext) async throws -> Plan { .unchanged("nothing to do") }
  }

  struct Named: NamedModule {
    static let name: ModuleName = "my_role_private"
    func plan(in context: PlanContext) async throws -> Plan { .unchanged("nothing to do") }
  }

  @Test func `a step built in Swift is known by its module's name, or else its type's`() {
    #expect(Step("plain") { Unnamed() }.moduleName == "Unnamed")
    #expect(Step("named") { Named() }.moduleName == "my_role_private")
  }

  @Test func `the registry takes playbook modules by name`() throws {
    let registry = try ModuleRegistry(testModules)
    #expect(registry.names == testModules.map { $0.name }.sorted())
    #expect(throws: DefinitionErrors.self) { try ModuleRegistry(testModules + [Put.self]) }
  }
}
