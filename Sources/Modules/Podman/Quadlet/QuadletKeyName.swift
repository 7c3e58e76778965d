/// The Quadlet key a JSON argument name stands for: UpperCamelCase of the snake_case name
/// (`health_cmd` → `HealthCmd`), except the acronyms podman spells in capitals.
enum QuadletKeyName {
  private static let irregular = [
    "dns": "DNS", "disable_dns": "DisableDNS", "ip_range": "IPRange", "ipv6": "IPv6",
    "ipam_driver": "IPAMDriver", "tls_verify": "TLSVerify",
  ]

  static func forArgument(_ name: String) -> String {
    irregular[name]
      ?? name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }
}
