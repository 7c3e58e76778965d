import Connections
import Engine
import Foundation

/// Finds a file a playbook names (a template's or a copy's `src`) as Ansible's `_find_needle`
/// does for a playbook's own tasks: `<folder>/<src>` beside the playbook, then `<src>`
/// relative to the playbook's folder; an absolute `src` as it is. Only a regular file is
/// read: a FIFO would block the run, a device would never end.
struct PlaybookFileLookup {
  let directory: URL
  /// `templates` or `files`.
  let folder: String
  /// How problems name the file: `template 'x' not found`.
  let what: String

  func candidates(for source: String) -> [URL] {
    source.hasPrefix("/")
      ? [URL(fileURLWithPath: source)]
      : [
        directory.appendingPathComponent(folder).appendingPathComponent(source),
        directory.appendingPathComponent(source),
      ]
  }

  /// Where the file was found and its bytes.
  func read(_ source: String) throws -> (url: URL, data: Data) {
    let candidates = candidates(for: source)
    for url in candidates {
      var status = stat()
      guard stat(url.path, &status) == 0 else {
        if errno == ENOENT || errno == ENOTDIR { continue }
        throw ModuleError(
          "\(what) '\(source)': cannot read \(url.path): \(String(cString: strerror(errno)))")
      }
      if let kind = FileKind.describe(status.st_mode) {
        throw ModuleError("\(what) '\(source)': \(url.path): \(FileKind.refusal(kind))")
      }
      do {
        return (url, try Data(contentsOf: url))
      } catch {
        throw ModuleError(
          "\(what) '\(source)': cannot read \(url.path): "
            + "\((error as NSError).localizedFailureReason ?? error.localizedDescription)")
      }
    }
    throw ModuleError(
      "\(what) '\(source)' not found",
      hint: "looked in " + candidates.map(\.path).joined(separator: ", "))
  }
}

/// The files a JSON playbook ships for `copy: {src: …}`: `files/<src>` beside the playbook,
/// then `<src>` relative to its folder (or absolute), read as bytes.
struct PlaybookCopySources: PlaybookFileSource {
  let directory: URL

  func file(_ source: String) throws -> PlaybookFile {
    let lookup = PlaybookFileLookup(directory: directory, folder: "files", what: "src")
    let (url, data) = try lookup.read(source)
    return PlaybookFile(path: url.path, contents: data)
  }
}
