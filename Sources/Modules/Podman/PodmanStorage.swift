public import Engine
import Foundation

/// Rootful Podman's own metadata files, read as files instead of asking a `podman` process
/// (~35 ms of a host's time each, most of an unchanged run's): which images the local
/// storage holds (`<driver>-images/images.json`) and what each secret of the file driver
/// holds (`secrets/secrets.json`, `secrets/filedriver/secretsdata.json`).
///
/// Only what these files can tell for certain is answered; anything else is left to podman
/// itself. They are Podman's own only with its default storage: a `storage.conf` that moves
/// the graph root or adds image stores, a user other than root (rootless storage lives in the
/// user's home), a short image name (resolved through registries.conf), a secret of another
/// driver: each makes the fact read by its own command.
public enum PodmanStorage {
  public static let graphRoot: HostPath = "/var/lib/containers/storage"
  /// Where `containers-storage.conf(5)` is read from by rootful Podman; none on a stock host.
  public static let configurations: [HostPath] = [
    "/etc/containers/storage.conf", "/usr/share/containers/storage.conf",
  ]
  /// The graph drivers Podman can pick by itself, each with its image list.
  static let drivers = ["overlay", "vfs", "btrfs", "zfs"]
  static let secretsFile = graphRoot.appending("secrets/secrets.json")
  static let secretsDirectory = graphRoot.appending("secrets/filedriver")
  static let secretsData = secretsDirectory.appending("secretsdata.json")

  static func imagesFile(driver: String) -> HostPath {
    graphRoot.appending("\(driver)-images/images.json")
  }

  /// Whether `host`'s commands run as root: only then is the storage the rootful one.
  static func runsAsRoot(_ host: InventoryHost) -> Bool {
    let settings = host.connection
    return settings.become ? (settings.becomeUser ?? "root") == "root" : settings.user == "root"
  }

  /// The graph driver the configuration names, "" where it names none; nil where it moves
  /// the storage or adds image stores, or cannot be read (then these files do not speak).
  static func configuredDriver(_ files: [HostPath: Data?]) -> String? {
    var driver = ""
    for path in configurations {
      guard let entry = files[path] else { return nil }
      guard let contents = entry else { continue }
      for line in String(decoding: contents, as: UTF8.self).split(separator: "\n") {
        let text = line.prefix { $0 != "#" }
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let key = parts[0].trimmingCharacters(in: .whitespaces)
        let value = parts[1].trimmingCharacters(in: .whitespaces)
        let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        switch key {
        case "driver": driver = unquoted
        case "graphroot" where unquoted != graphRoot.rawValue: return nil
        case "imagestore", "additionalimagestores", "transient_store":
          if !["", "[]", "false"].contains(unquoted.replacingOccurrences(of: " ", with: "")) {
            return nil
          }
        default: continue
        }
      }
    }
    return driver
  }

  // MARK: Images

  /// The files that tell which images are stored.
  static var imageFiles: [HostPath] { configurations + drivers.map { imagesFile(driver: $0) } }

  /// Every name the storage's images carry (`localhost/haproxy:latest`); nil where the files
  /// cannot tell (another configuration, two drivers' lists, a list that does not parse).
  static func imageNames(_ files: [HostPath: Data?]) -> Set<String>? {
    guard let configured = configuredDriver(files) else { return nil }
    let candidates = configured.isEmpty ? drivers : [configured]
    guard candidates.allSatisfy({ files[imagesFile(driver: $0)] != nil }) else { return nil }
    let lists = candidates.compactMap { files[imagesFile(driver: $0)] ?? nil }
    guard let list = lists.first else { return [] }  // no driver ever stored an image
    guard lists.count == 1 else { return nil }
    struct Image: Decodable { let names: [String]? }
    guard let images = try? JSONDecoder().decode([Image].self, from: list) else { return nil }
    return Set(images.flatMap { $0.names ?? [] })
  }

  /// The name a fully qualified reference is stored under (`:latest` added, Docker Hub's
  /// `library/`); nil for a short name, a digest or an image id, which podman resolves
  /// through more than the names (then podman is asked).
  static func storedName(of reference: String) -> String? {
    let components = reference.split(separator: "/", omittingEmptySubsequences: false)
    guard components.count >= 2, components.allSatisfy({ !$0.isEmpty }),
      !reference.contains("@")
    else { return nil }
    let domain = components[0]
    guard domain == "localhost" || domain.contains(".") || domain.contains(":") else {
      return nil
    }
    var name = reference
    if domain == "docker.io" && components.count == 2 {
      name = "docker.io/library/" + components[1]
    }
    if !(components.last?.contains(":") ?? false) { name += ":latest" }
    return name
  }

  // MARK: Secrets

  /// The files that tell what each secret holds.
  static var secretFiles: [HostPath] { configurations + [secretsFile, secretsData] }

  /// Each secret name's bytes as the file driver keeps them; nil where the files cannot
  /// tell. A name absent from the result has no secret; a secret of another driver, or kept
  /// elsewhere, makes the whole answer nil.
  static func secretData(_ files: [HostPath: Data?]) -> [String: Data]? {
    guard configuredDriver(files) != nil, let secretsEntry = files[secretsFile],
      let dataEntry = files[secretsData]
    else { return nil }
    guard let secrets = secretsEntry else { return [:] }  // no secret was ever created
    struct Secret: Decodable {
      struct Options: Decodable { let path: String? }
      let name: String
      let id: String
      let driver: String
      let driverOptions: Options?
    }
    struct Secrets: Decodable { let secrets: [String: Secret]? }
    guard let listed = try? JSONDecoder().decode(Secrets.self, from: secrets) else { return nil }
    let all = Array((listed.secrets ?? [:]).values)
    if all.isEmpty { return [:] }
    guard
      all.allSatisfy({
        $0.driver == "file"
          && ($0.driverOptions?.path ?? secretsDirectory.rawValue)
            == secretsDirectory.rawValue
      }), let dataFile = dataEntry,
      let stored = try? JSONDecoder().decode([String: String].self, from: dataFile)
    else { return nil }
    var data: [String: Data] = [:]
    for secret in all {
      guard let encoded = stored[secret.id], let bytes = Data(base64Encoded: encoded) else {
        return nil
      }
      data[secret.name] = bytes
    }
    return data
  }
}
