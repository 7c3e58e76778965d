public import Engine

/// The roles a JSON playbook may name: an explicit list, checked for duplicates by
/// `RoleRegistry`. A new role is added here, nowhere else.
public enum StandardRoles {
  public static let all: [any Role.Type] = [DCIAPI.self, HAProxy.self]
}
