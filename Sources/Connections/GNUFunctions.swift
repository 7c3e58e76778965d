import Engine

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Two libc functions the Swift `Glibc` module does not expose (they are declared only under
/// `_GNU_SOURCE`), looked up by name once: `pipe2`, to create pipes close-on-exec atomically
/// (no program started meanwhile on another thread can inherit them), and
/// `posix_spawn_file_actions_addchdir_np`, to start a program in a directory.
enum GNUFunctions {
  private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
  private typealias AddChdir =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

  private static let pipe2: Pipe2? = symbol("pipe2")
  private static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")

  /// `pipe2(descriptors, O_CLOEXEC)`.
  static func closeOnExecPipe(_ descriptors: UnsafeMutablePointer<Int32>) throws -> Int32 {
    guard let pipe2 else { throw ModuleError("this C library has no pipe2()") }
    return pipe2(descriptors, O_CLOEXEC)
  }

  /// `posix_spawn_file_actions_addchdir_np(actions, directory)`.
  static func addChangeDirectory(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ directory: String
  ) throws -> Int32 {
    guard let addChdir else {
      throw ModuleError("this C library has no posix_spawn_file_actions_addchdir_np()")
    }
    return addChdir(actions, directory)
  }

  private static func symbol<Function>(_ name: String) -> Function? {
    guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
    return unsafeBitCast(address, to: Function.self)
  }
}
