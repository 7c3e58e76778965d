import Foundation

/// The container's health check command (`HealthCmd=`). Quadlet does not split this value:
/// it hands the whole text to `podman run --health-cmd`, which runs a plain string with
/// `/bin/sh -c` inside the container, and a JSON array of two or more strings directly.
/// Both forms are rendered with `%` and `$` expansion off, so what podman receives is what
/// was written here.
///
/// JSON: a string for the shell form (`"curl --head http://localhost:5000/api/v1/"`), a list
/// for the exec form (`["curl", "--head", "http://localhost:5000/api/v1/"]`).
public enum QuadletHealthCommand: Sendable, Hashable, Decodable, ExpressibleByStringLiteral {
  /// Run by the container's `/bin/sh -c`; the image needs a shell.
  case shell(String)
  /// Run directly, no shell; at least two arguments (podman runs a one-element list through
  /// the shell).
  case exec([String])

  public init(stringLiteral value: String) { self = .shell(value) }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self) {
      self = .shell(text)
    } else if let arguments = try? container.decode([String].self) {
      self = .exec(arguments)
    } else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a string (shell form) or a list of strings")
    }
  }

  /// Writes `Key=<command>`.
  func write(_ key: String, into writer: inout QuadletSectionWriter) {
    switch self {
    case .shell(let text):
      writer.text(key, text.isEmpty ? text : QuadletValue.literal(text))
    case .exec(let arguments):
      guard arguments.count >= 2 else {
        writer.record(
          key,
          "the list form needs at least two arguments (podman runs a single one through the "
            + "shell); use the string form instead")
        return
      }
      writer.text(key, QuadletValue.literal(QuadletValue.jsonArray(arguments)))
    }
  }
}
