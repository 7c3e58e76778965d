import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file on this machine atomically: a temp file in the destination's directory,
/// given its owner and final mode before any byte is written (a secret is never readable by
/// others, even for a moment), synced, validated, then renamed over the destination. On any
/// failure the temp file is removed and the destination is untouched.
///
/// Without an explicit mode, owner or group the old file's are kept (as Ansible's
/// `atomic_move` does); a new file gets `0666 & ~umask`.
struct LocalFileWriter {
  let runner: ProcessRunner

  func write(_ file: FileWrite) async throws {
    let directory = file.path.parent
    var directoryStatus = stat()
    guard stat(directory.rawValue, &directoryStatus) == 0,
      directoryStatus.st_mode & S_IFMT == S_IFDIR
    else {
      throw ModuleError("Destination directory \(directory) does not exist")
    }
    var existingStatus = stat()
    let existing = stat(file.path.rawValue, &existingStatus) == 0 ? existingStatus : nil
    let mode = file.mode.map { mode_t($0.bits) } ?? existing.map { $0.st_mode & 0o7777 }
    let temp = try TemporaryFile(in: directory, mode: mode)
    do {
      try setOwnership(of: temp, file: file, existing: existing)
      if let mode { try temp.check(fchmod(temp.descriptor, mode), "chmod") }
      try temp.writeAll(file.contents)
      try temp.check(fsync(temp.descriptor), "fsync")
      temp.closeDescriptor()
      if let validate = file.validate { try await run(validate, on: temp.path, for: file.path) }
      if let backup = file.backup, existing != nil { try await copy(file.path, to: backup) }
      try temp.check(rename(temp.path, file.path.rawValue), "rename to \(file.path)")
    } catch {
      temp.closeDescriptor()
      unlink(temp.path)
      throw error
    }
  }

  /// Requested owner/group win; otherwise the old file's are kept where this user may.
  private func setOwnership(of temp: TemporaryFile, file: FileWrite, existing: stat?) throws {
    let user = try file.owner.map(Accounts.userID) ?? existing?.st_uid
    let group = try file.group.map(Accounts.groupID) ?? existing?.st_gid
    guard user != nil || group != nil else { return }
    let result = fchown(temp.descriptor, user ?? uid_t.max, group ?? gid_t.max)
    if file.owner != nil || file.group != nil { try temp.check(result, "chown") }
  }

  /// GNU `cp`'s numbered backup: a backup made in the same second moves the older one aside.
  private func copy(_ path: HostPath, to backup: HostPath) async throws {
    let output = try await runner.run(
      ["cp", "-p", "--backup=numbered", "--", path.rawValue, backup.rawValue])
    if !output.succeeded {
      throw ModuleError("cannot back up \(path) to \(backup): \(output.stderr.trimmed)")
    }
  }

  private func run(_ validate: Command, on temp: String, for path: HostPath) async throws {
    let arguments = validate.arguments.map { $0.replacing("%s", with: temp) }
    let output = try await runner.run(
      arguments, environment: validate.environment, directory: validate.directory)
    if !output.succeeded {
      throw ValidationFailed(command: validate, output: output, path: path)
    }
  }
}

/// A new, exclusively created file beside the destination, named `.runner.XXXXXXXXXX`.
private final class TemporaryFile {
  let path: String
  private(set) var descriptor: Int32

  /// Created owner-only (or with `0666 & ~umask` when the final mode is not known yet).
  init(in directory: HostPath, mode: mode_t?) throws {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    for _ in 0..<100 {
      let suffix = String((0..<10).map { _ in alphabet.randomElement() ?? "x" })
      let candidate = directory.appending(".runner.\(suffix)").rawValue
      let opened = open(
        candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode == nil ? 0o666 : 0o600)
      if opened >= 0 {
        path = candidate
        descriptor = opened
        return
      }
      if errno != EEXIST {
        throw ModuleError(
          "cannot create a temp file in \(directory): \(SystemError.message(errno))")
      }
    }
    throw ModuleError("cannot create a temp file in \(directory): too many name collisions")
  }

  func writeAll(_ data: Data) throws {
    try data.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        try check(written < 0 ? -1 : 0, "write")
        offset += written
      }
    }
  }

  func check(_ result: Int32, _ operation: String) throws {
    if result != 0 {
      throw ModuleError("\(operation) failed on \(path): \(SystemError.message(errno))")
    }
  }

  func closeDescriptor() {
    if descriptor >= 0 {
      _ = close(descriptor)
      descriptor = -1
    }
  }
}

/// User and group names to ids, as `chown` takes them (a number is taken as an id).
enum Accounts {
  static func userID(_ name: String) throws -> uid_t {
    if let id = uid_t(name) { return id }
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 16384)
    guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
      throw ModuleError("chown failed: failed to look up user \(name)")
    }
    return entry.pw_uid
  }

  static func groupID(_ name: String) throws -> gid_t {
    if let id = gid_t(name) { return id }
    var entry = group()
    var result: UnsafeMutablePointer<group>?
    var buffer = [CChar](repeating: 0, count: 16384)
    guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
      throw ModuleError("chgrp failed: failed to look up group \(name)")
    }
    return entry.gr_gid
  }
}
