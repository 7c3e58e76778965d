import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether `sudo -n -u nobody` can work here: sudo is installed and we are root (who needs
/// no password).
enum Sudo {
  static var canBecomeOtherUsers: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo")
  }
}
