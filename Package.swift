// swift-tools-version: 6.3
import PackageDescription

/// Settings shared by every target: Swift 6 mode, strict imports, warnings as errors.
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "runner",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Engine", targets: ["Engine"]),
    .library(name: "Modules", targets: ["Modules"]),
    .library(name: "Roles", targets: ["Roles"]),
    .library(name: "Connections", targets: ["Connections"]),
    .library(name: "Vault", targets: ["Vault"]),
    .executable(name: "runner", targets: ["runner"]),
  ],
  targets: [
    .target(name: "Engine", swiftSettings: strictSettings),
    .target(name: "Modules", dependencies: ["Engine"], swiftSettings: strictSettings),
    .target(name: "Roles", dependencies: ["Engine", "Modules"], swiftSettings: strictSettings),
    .target(name: "Connections", dependencies: ["Engine"], swiftSettings: strictSettings),
    // The system's libcrypto (OpenSSL), for ansible-vault files: no cryptography of our own.
    .systemLibrary(
      name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .target(name: "Vault", dependencies: ["Engine", "CCrypto"], swiftSettings: strictSettings),
    .executableTarget(
      name: "runner", dependencies: ["Engine", "Modules", "Roles", "Connections", "Vault"],
      swiftSettings: strictSettings),
    // bench/run's simulated hosts: the engine against hosts that answer from memory.
    .executableTarget(
      name: "simulated-hosts", dependencies: ["Engine", "Modules", "Roles", "Connections"],
      path: "bench/simulated-hosts", swiftSettings: strictSettings),
    .testTarget(
      name: "RunnerTests",
      dependencies: ["Engine", "Modules", "Roles", "Connections", "Vault", "runner"],
      resources: [.copy("Snapshots"), .copy("Fixtures")],
      swiftSettings: strictSettings),
  ],
  swiftLanguageModes: [.v6]
)
