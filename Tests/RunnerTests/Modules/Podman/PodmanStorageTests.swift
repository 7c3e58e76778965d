import Engine
import Foundation
import Modules
import Testing

/// Image presence and secret data from rootful Podman's own files, shaped as podman 5.4.2
/// wrote them on a trixie test host; what podman itself answers on a real host is compared in
/// `ModulesOnBootedHostTests`.
@Suite struct PodmanStorageTests {
  static let images = HostPath("/var/lib/containers/storage/overlay-images/images.json")
  static let secrets = HostPath("/var/lib/containers/storage/secrets/secrets.json")
  static let secretsData = HostPath(
    "/var/lib/containers/storage/secrets/filedriver/secretsdata.json")
  static let root = InventoryHost(
    name: "h", connection: ConnectionSettings(transport: "ssh", user: "root"))

  /// Every file the mergers ask, absent unless given.
  static func files(_ given: [HostPath: String]) -> [HostPath: Data?] {
    let asked =
      (PodmanImageMerger().files(answering: [], on: root) ?? [])
      + (PodmanSecretMerger().files(answering: [], on: root) ?? [])
    #expect(Set(asked).count == 8, "both mergers read root's storage")
    var files: [HostPath: Data?] = [:]
    for path in asked { files.updateValue(given[path].map { Data($0.utf8) }, forKey: path) }
    return files
  }

  static let imageList = """
    [{"id":"acd0c464b52e","digest":"sha256:1c2e","names":["localhost/web-standin:latest"]},\
    {"id":"e07bfa2835db","digest":"sha256:e07b","names":["localhost:5000/dci-control-server:latest",\
    "localhost/dci-control-server:latest"]},\
    {"id":"77aa","names":["docker.io/library/haproxy:3.0"]},{"id":"dangling"}]
    """

  func presence(_ references: [String], _ files: [HostPath: Data?]) throws -> [Bool?] {
    let facts = references.map { PodmanImagePresence(reference: $0) }
    return try zip(facts, PodmanImageMerger().split(files: files, answering: facts)).map {
      try $1.map($0.parse)
    }
  }

  @Test func `images are present by their stored names, qualified references only`() throws {
    let files = Self.files([Self.images: Self.imageList])
    #expect(
      try presence(
        [
          "localhost/web-standin:latest", "localhost/web-standin", "localhost/nosuch:latest",
          "localhost:5000/dci-control-server:latest", "docker.io/haproxy:3.0", "haproxy:3.0",
          "localhost/web-standin@sha256:1c2e", "acd0c464b52e",
        ], files) == [true, true, false, true, true, nil, nil, nil])
  }

  @Test func `no image list at all is no image; two drivers' lists or a moved root cannot tell`()
    throws
  {
    #expect(try presence(["localhost/a:1"], Self.files([:])) == [false])
    let vfs = HostPath("/var/lib/containers/storage/vfs-images/images.json")
    #expect(
      try presence(["localhost/a:1"], Self.files([Self.images: "[]", vfs: "[]"])) == [nil])
    #expect(
      try presence(
        ["localhost/web-standin:latest"],
        Self.files([
          Self.images: Self.imageList,
          "/etc/containers/storage.conf": "[storage]\ndriver = \"vfs\"\n",
        ])) == [false],
      "driver vfs: overlay's list is not podman's")
    for configuration in [
      "[storage]\ngraphroot = \"/srv/containers\"\n",
      "[storage.options]\nadditionalimagestores = [ \"/mnt/images\" ]\n",
      "[storage]\nimagestore = \"/mnt/store\"\n",
    ] {
      let files = Self.files([
        Self.images: Self.imageList, "/usr/share/containers/storage.conf": configuration,
      ])
      #expect(try presence(["localhost/web-standin:latest"], files) == [nil], "\(configuration)")
    }
    let defaults = Self.files([
      Self.images: Self.imageList,
      "/etc/containers/storage.conf":
        "[storage]\ndriver = \"overlay\" # default\ngraphroot = \"/var/lib/containers/storage\"\n",
    ])
    #expect(try presence(["localhost/web-standin:latest"], defaults) == [true])
    #expect(try presence(["localhost/a:1"], Self.files([Self.images: "not json"])) == [nil])
  }

  static let secretList = """
    {"secrets":{"b8f0dc53":{"name":"db","id":"b8f0dc53","driver":"file",\
    "driverOptions":{"path":"/var/lib/containers/storage/secrets/filedriver"}},\
    "27122de6":{"name":"key","id":"27122de6","driver":"file","driverOptions":{}}},\
    "nameToID":{"db":"b8f0dc53","key":"27122de6"}}
    """
  static let secretData = #"{"b8f0dc53":"ZGItU2VjcjN0CgD/","27122de6":"QUtJQQ=="}"#

  func data(_ names: [String], _ files: [HostPath: Data?]) throws -> [Data??] {
    let facts = names.map { PodmanSecretData(name: $0) }
    return try zip(facts, PodmanSecretMerger().split(files: files, answering: facts)).map {
      try $1.map($0.parse)
    }
  }

  @Test func `secrets hold the file driver's bytes; absent ones are absent`() throws {
    let files = Self.files([Self.secrets: Self.secretList, Self.secretsData: Self.secretData])
    #expect(
      try data(["db", "nosuch", "key"], files) == [
        .some(Data("db-Secr3t\n".utf8) + Data([0, 255])), .some(nil), .some(Data("AKIA".utf8)),
      ])
    #expect(try data(["db"], Self.files([:])) == [.some(nil)], "no secret was ever made")
  }

  @Test func `another driver, another path, or data missing cannot tell`() throws {
    let shell = Self.secretList.replacingOccurrences(
      of: #""id":"27122de6","driver":"file""#, with: #""id":"27122de6","driver":"shell""#)
    let moved = Self.secretList.replacingOccurrences(
      of: "/var/lib/containers/storage/secrets/filedriver", with: "/srv/secrets")
    for list in [shell, moved] {
      let files = Self.files([Self.secrets: list, Self.secretsData: Self.secretData])
      #expect(try data(["db"], files) == [nil])
    }
    let noData = Self.files([Self.secrets: Self.secretList])
    #expect(try data(["db"], noData) == [nil])
  }

  @Test func `only root's commands see rootful storage`() {
    let merger = PodmanImageMerger()
    func files(_ settings: ConnectionSettings) -> [HostPath]? {
      merger.files(answering: [], on: InventoryHost(name: "h", connection: settings))
    }
    #expect(files(ConnectionSettings(transport: "ssh", user: "root")) != nil)
    #expect(files(ConnectionSettings(transport: "ssh", user: "deploy", become: true)) != nil)
    #expect(files(ConnectionSettings(transport: "ssh", user: "deploy")) == nil)
    #expect(files(ConnectionSettings(transport: "ssh")) == nil, "ssh's own default user")
    #expect(
      files(ConnectionSettings(transport: "ssh", user: "root", become: true, becomeUser: "app"))
        == nil)
  }
}
