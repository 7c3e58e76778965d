import Engine

/// One typed key of a Quadlet section, declared once in the section's table
/// (`QuadletSection.fields`): the JSON argument (`container_name`), from which the Quadlet
/// key (`ContainerName`) is derived, the property it fills and how its value is written.
/// Decoding, writing and the check that `extra` does not repeat a typed key all read the
/// table.
struct QuadletField<Section> {
  /// The argument's JSON name.
  let argument: String
  private let readValue: (ArgumentReader<AnyCodingKey>, AnyCodingKey, inout Section) -> Void
  private let writeValue: (Section, String, inout QuadletSectionWriter) -> Void

  /// The Quadlet key it writes.
  var key: String { QuadletKeyName.forArgument(argument) }

  private init(
    _ argument: String,
    read: @escaping (ArgumentReader<AnyCodingKey>, AnyCodingKey, inout Section) -> Void,
    write: @escaping (Section, String, inout QuadletSectionWriter) -> Void
  ) {
    self.argument = argument
    self.readValue = read
    self.writeValue = write
  }

  func read(with reader: ArgumentReader<AnyCodingKey>, into section: inout Section) {
    readValue(reader, AnyCodingKey(argument), &section)
  }

  func write(_ section: Section, into writer: inout QuadletSectionWriter) {
    writeValue(section, key, &writer)
  }

  /// A value that may be unset; nothing is written then.
  private static func optional<Value: Decodable>(
    _ argument: String, _ property: WritableKeyPath<Section, Value?>,
    write: @escaping (Value, String, inout QuadletSectionWriter) -> Void
  ) -> Self {
    Self(
      argument,
      read: { reader, key, section in
        if let value = reader.optional(key, as: Value.self) { section[keyPath: property] = value }
      },
      write: { section, key, writer in
        if let value = section[keyPath: property] { write(value, key, &writer) }
      })
  }

  /// A value with a default (an empty list or map).
  static func value<Value: Decodable>(
    _ argument: String, _ property: WritableKeyPath<Section, Value>, required: Bool = false,
    write: @escaping (Value, String, inout QuadletSectionWriter) -> Void
  ) -> Self {
    Self(
      argument,
      read: { reader, key, section in
        let value: Value? = required ? reader.required(key) : reader.optional(key)
        if let value { section[keyPath: property] = value }
      },
      write: { section, key, writer in write(section[keyPath: property], key, &writer) })
  }

  /// `Key=text`; `blanks: false` for keys quadlet splits at blanks (`Network`, …).
  static func text(
    _ argument: String, _ property: WritableKeyPath<Section, String?>, blanks: Bool = true
  ) -> Self {
    optional(argument, property) { $2.text($1, $0, allowsBlanks: blanks) }
  }

  /// `Key=text`, which the section must have.
  static func requiredText(
    _ argument: String, _ property: WritableKeyPath<Section, String>, blanks: Bool = true
  ) -> Self {
    value(argument, property, required: true) { $2.text($1, $0, allowsBlanks: blanks) }
  }

  /// A list that JSON may also give as one string.
  private static func list(
    _ argument: String, _ property: WritableKeyPath<Section, [String]>,
    write: @escaping ([String], String, inout QuadletSectionWriter) -> Void
  ) -> Self {
    Self(
      argument,
      read: { reader, key, section in
        if let list = reader.optional(key, as: StringList.self) {
          section[keyPath: property] = list.values
        }
      },
      write: { section, key, writer in write(section[keyPath: property], key, &writer) })
  }

  /// One `Key=value` line per value; JSON may give one string or a list.
  static func lines(
    _ argument: String, _ property: WritableKeyPath<Section, [String]>, blanks: Bool = true
  ) -> Self {
    list(argument, property) { $2.lines($1, $0, allowsBlanks: blanks) }
  }

  /// One line of words for a list (`PodmanArgs`); `literal` turns `%` and `$` off.
  static func words(
    _ argument: String, _ property: WritableKeyPath<Section, [String]>, literal: Bool
  ) -> Self {
    value(argument, property) { $2.words($1, $0, literal: literal) }
  }

  /// One line of one word per value (`EnvironmentFile`), specifiers live; JSON may give one
  /// string or a list.
  static func wordLines(_ argument: String, _ property: WritableKeyPath<Section, [String]>)
    -> Self
  {
    list(argument, property) { values, key, writer in
      for value in values { writer.words(key, [value], literal: false) }
    }
  }

  /// `Key=true|false`.
  static func flag(_ argument: String, _ property: WritableKeyPath<Section, Bool?>) -> Self {
    optional(argument, property) { $2.flag($1, $0) }
  }

  /// `Key=<n>`.
  static func number(_ argument: String, _ property: WritableKeyPath<Section, Int?>) -> Self {
    optional(argument, property) { $2.number($1, $0) }
  }

  /// One `Key="NAME=value"` line per pair (`Environment`, `Label`).
  static func assignments(
    _ argument: String, _ property: WritableKeyPath<Section, [String: String]>
  ) -> Self {
    value(argument, property) { $2.assignments($1, $0) }
  }

  /// A command (`Exec`, `HealthCmd`), written as its type says.
  static func command<Command: QuadletCommandLine>(
    _ argument: String, _ property: WritableKeyPath<Section, Command?>
  ) -> Self {
    optional(argument, property) { $0.write($1, into: &$2) }
  }
}

/// A command value that writes its own line (`QuadletCommand`, `QuadletHealthCommand`).
protocol QuadletCommandLine: Decodable {
  func write(_ key: String, into writer: inout QuadletSectionWriter)
}

extension QuadletCommand: QuadletCommandLine {}
extension QuadletHealthCommand: QuadletCommandLine {}
