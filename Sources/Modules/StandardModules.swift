public import Engine

/// The modules a JSON playbook may name: an explicit list, checked for duplicates by
/// `ModuleRegistry`. A new module is added here, nowhere else.
public enum StandardModules {
  public static let all: [any PlaybookModule.Type] = [
    Template.self, Copy.self, File.self, CommandModule.self, Systemd.self, SystemdInstances.self,
    PodmanImage.self, PodmanQuadlet.self, PodmanSecret.self,
    PodmanQuadletInstances.self, RollingRestart.self, HAProxyReload.self,
    Debug.self, Fail.self, Assert.self, SetFact.self,
  ]
}
