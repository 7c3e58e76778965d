import Engine
import Foundation
import Testing

extension Reporting {
  /// Expected texts were produced by Python 3.11's `difflib.unified_diff` wrapped in Ansible
  /// 2.19's `CallbackBase._get_diff` (a one-off random cross-check of 9,000 more pairs
  /// against difflib agreed as well).
  struct TextDiffTests {
    @Test func `an inserted line gets three lines of context`() {
      let diff = Diff(before: "a\nb\nc\n", after: "a\nb\nX\nc\n")
      #expect(
        TextDiff.render(diff) == """
          --- before
          +++ after
          @@ -1,3 +1,4 @@
           a
           b
          +X
           c


          """)
    }

    @Test func `a deleted line`() {
      let diff = Diff(before: "a\nb\nc\nd\n", after: "a\nc\nd\n")
      #expect(
        TextDiff.render(diff) == """
          --- before
          +++ after
          @@ -1,4 +1,3 @@
           a
          -b
           c
           d


          """)
    }

    @Test func `a change in the middle shows only the lines around it`() {
      let before = (1...10).map { "line \($0)\n" }.joined()
      let after = before.replacingOccurrences(of: "line 5\n", with: "line five\n")
      let diff = Diff(
        before: before, after: after, beforeHeader: "/etc/app.conf", afterHeader: "/etc/app.conf")
      #expect(
        TextDiff.render(diff) == """
          --- before: /etc/app.conf
          +++ after: /etc/app.conf
          @@ -2,7 +2,7 @@
           line 2
           line 3
           line 4
          -line 5
          +line five
           line 6
           line 7
           line 8


          """)
    }

    @Test func `a new file is all additions from line zero`() {
      let diff = Diff(
        before: "", after: "port=8080\nname=demo\n", afterHeader: "/srv/demo/app.conf")
      #expect(
        TextDiff.render(diff) == """
          --- before
          +++ after: /srv/demo/app.conf
          @@ -0,0 +1,2 @@
          +port=8080
          +name=demo


          """)
    }

    @Test func `an emptied file is all deletions to line zero`() {
      let diff = Diff(before: "x\ny\n", after: "", beforeHeader: "/srv/old")
      #expect(
        TextDiff.render(diff) == "--- before: /srv/old\n+++ after\n@@ -1,2 +0,0 @@\n-x\n-y\n\n")
    }

    @Test func `a missing final newline is marked after the line`() {
      let added = Diff(before: "a\nb", after: "a\nb\n")
      let changed = Diff(before: "a\nb", after: "a\nc")
      #expect(
        TextDiff.render(added) == #"""
          --- before
          +++ after
          @@ -1,2 +1,2 @@
           a
          -b
          \ No newline at end of file
          +b


          """#)
      #expect(
        TextDiff.render(changed) == #"""
          --- before
          +++ after
          @@ -1,2 +1,2 @@
           a
          -b
          \ No newline at end of file
          +c
          \ No newline at end of file


          """#)
    }

    @Test func `changes more than six lines apart make separate hunks`() {
      let before = (1...20).map { "\($0)\n" }.joined()
      let after = (1...20).map { [2, 15].contains($0) ? "\($0)!\n" : "\($0)\n" }.joined()
      #expect(
        TextDiff.render(Diff(before: before, after: after)) == """
          --- before
          +++ after
          @@ -1,5 +1,5 @@
           1
          -2
          +2!
           3
           4
           5
          @@ -12,7 +12,7 @@
           12
           13
           14
          -15
          +15!
           16
           17
           18


          """)
    }

    @Test func `changes six lines apart share one hunk`() {
      let before = (1...11).map { "\($0)\n" }.joined()
      let after = (1...11).map { [2, 9].contains($0) ? "\($0)!\n" : "\($0)\n" }.joined()
      let rendered = TextDiff.render(Diff(before: before, after: after))
      #expect(rendered.hasPrefix("--- before\n+++ after\n@@ -1,11 +1,11 @@\n 1\n-2\n+2!\n 3\n"))
      #expect(rendered.components(separatedBy: "@@ ").count == 2)
    }

    @Test func `a single line range has no length`() {
      #expect(
        TextDiff.render(Diff(before: "one\n", after: "two\n"))
          == "--- before\n+++ after\n@@ -1 +1 @@\n-one\n+two\n\n")
    }

    @Test func `a moved line is deleted and re-added as difflib does`() {
      #expect(
        TextDiff.render(Diff(before: "x\na\nb\nc\n", after: "a\nb\nc\nx\n"))
          == "--- before\n+++ after\n@@ -1,4 +1,4 @@\n-x\n a\n b\n c\n+x\n\n")
    }

    @Test func `windows line endings are kept on each line`() {
      #expect(
        TextDiff.render(Diff(before: "a\r\nb\r\nc\r\n", after: "a\r\nB\r\nc\r\n"))
          == "--- before\n+++ after\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n\n")
    }

    @Test func `identical texts print nothing`() {
      #expect(TextDiff.render(Diff(before: "same\n", after: "same\n", beforeHeader: "/x")) == "")
      #expect(TextDiff.unifiedDiff(before: "", after: "", fromFile: "a", toFile: "b") == "")
    }

    @Test func `an attribute diff is a diff of two sorted JSON objects`() {
      let diff = Diff.attributes(
        before: ["path": "/srv/demo/app.conf", "mode": "0600"],
        after: ["path": "/srv/demo/app.conf", "mode": "0640"])
      #expect(
        TextDiff.render(diff) == """
          --- before
          +++ after
          @@ -1,4 +1,4 @@
           {
          -    "mode": "0600",
          +    "mode": "0640",
               "path": "/srv/demo/app.conf"
           }


          """)
    }

    @Test func `a hidden diff shows its headers and a notice only`() {
      let diff = Diff(
        before: "old-secret\n", after: "new-secret\n", beforeHeader: "/etc/key",
        afterHeader: "/etc/key", isHidden: true)
      let rendered = TextDiff.render(diff)
      #expect(rendered == "--- before: /etc/key\n+++ after: /etc/key\n\(TextDiff.hiddenNotice)\n\n")
      #expect(!rendered.contains("secret\n"))
    }

    @Test func `unified diff without ansible's additions matches difflib`() {
      // difflib.unified_diff(["a\n", "b"], ["a\n", "c\n"], "x", "y", n=0)
      #expect(
        TextDiff.unifiedDiff(
          before: "a\nb", after: "a\nc\n", fromFile: "x", toFile: "y", context: 0)
          == "--- x\n+++ y\n@@ -2 +2 @@\n-b+c\n")
      // Python's splitlines also breaks on \r, \v, \f, \x1c-\x1e, NEL, LS and PS.
      #expect(
        TextDiff.unifiedDiff(
          before: "a\u{0B}b\rc", after: "a\u{0B}B\rc", fromFile: "x", toFile: "y")
          == "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\u{0B}-b\r+B\r c")
    }

    @Test func `lines are compared by code points, not canonical equivalence`() {
      let composed = "caf\u{E9}\n"
      let decomposed = "cafe\u{301}\n"
      #expect(
        TextDiff.render(Diff(before: composed, after: decomposed))
          == "--- before\n+++ after\n@@ -1 +1 @@\n-\(composed)+\(decomposed)\n")
    }

    @Test func `a long file with many blank lines is grouped as difflib groups it`() throws {
      let before = try #require(try Fixtures.snapshot("textdiff-large-before.txt"))
      let after = try #require(try Fixtures.snapshot("textdiff-large-after.txt"))
      let expected = try #require(try Fixtures.snapshot("textdiff-large.diff"))
      let diff = Diff(
        before: before, after: after, beforeHeader: "/etc/large.conf",
        afterHeader: "/etc/large.conf")
      #expect(TextDiff.render(diff) == expected)
    }
  }
}
