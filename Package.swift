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
    .executable(name: "runner", targets: ["runner"]),
  ],
  targets: [
    .target(name: "Engine", swiftSettings: strictSettings),
    .target(name: "Modules", dependencies: ["Engine"], swiftSettings: strictSettings),
    .target(name: "Roles", dependencies: ["Engine", "Modules"], swiftSettings: strictSettings),
    .target(name: "Connections", dependencies: ["Engine"], swiftSettings: strictSettings),
    .executableTarget(
      name: "runner", dependencies: ["Engine", "Modules", "Roles", "Connections"],
      swiftSettings: strictSettings),
    // bench/run's simulated hosts: the engine against hosts that answer from memory.
    .executableTarget(
      name: "simulated-hosts", dependencies: ["Engine", "Modules", "Roles", "Connections"],
      path: "bench/simulated-hosts", swiftSettings: strictSettings),
    .testTarget(
      name: "RunnerTests",
      dependencies: ["Engine", "Modules", "Roles", "Connections", "runner"],
      resources: [.copy("Snapshots"), .copy("Fixtures")],
      swiftSettings: strictSettings),
  ],
  swiftLanguageModes: [.v6]
)
