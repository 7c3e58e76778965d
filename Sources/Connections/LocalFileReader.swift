import Engine
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file on this machine; a missing file (or a dangling symlink, or a path through a
/// non-directory) is nil, any other failure is an error naming the path.
enum LocalFileReader {
  static func read(_ path: HostPath) throws -> Data? {
    // Non-blocking: opening a FIFO would otherwise wait for a writer forever.
    let descriptor = open(path.rawValue, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    if descriptor < 0 {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return nil }
      throw ModuleError("cannot read \(path): \(SystemError.message(code))")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    var status = stat()
    if fstat(descriptor, &status) == 0, let kind = FileKind.describe(status.st_mode) {
      throw ModuleError("cannot read \(path): \(FileKind.refusal(kind))")
    }
    do {
      return try handle.readToEnd() ?? Data()
    } catch {
      throw ModuleError("cannot read \(path): \(SystemError.describe(error))")
    }
  }
}

/// Text for system errors.
enum SystemError {
  static func message(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// The POSIX message inside a Foundation error when there is one.
  static func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return message(Int32(underlying.code))
    }
    if nsError.domain == NSPOSIXErrorDomain { return message(Int32(nsError.code)) }
    return nsError.localizedDescription
  }
}
