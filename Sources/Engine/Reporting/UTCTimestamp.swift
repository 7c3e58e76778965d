import Foundation

/// Timestamps as the ansible.posix json callback writes them: Python's
/// `datetime.utcnow().isoformat() + "Z"`, i.e. microseconds, left out when they are zero.
enum UTCTimestamp {
  static func string(from date: Date) -> String {
    let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
    let seconds = (microseconds / 1_000_000).rounded(.down)
    let fraction = Int(microseconds - seconds * 1_000_000)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second],
      from: Date(timeIntervalSince1970: seconds))
    var text = String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    if fraction != 0 { text += String(format: ".%06d", fraction) }
    return text + "Z"
  }
}
