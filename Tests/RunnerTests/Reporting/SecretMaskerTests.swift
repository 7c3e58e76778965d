import Engine
import Testing

extension Reporting {
  struct SecretMaskerTests {
    @Test func `every occurrence of a secret is masked`() {
      let masker = SecretMasker(secrets: ["hunter2"])
      #expect(masker.mask("pw=hunter2, again hunter2.") == "pw=********, again ********.")
    }

    @Test func `secrets shorter than three characters or blank are ignored`() {
      let masker = SecretMasker(secrets: ["ab", "1", "", "   "])
      #expect(masker.isEmpty)
      #expect(masker.mask("ab 1   x") == "ab 1   x")
    }

    @Test func `the longest secret wins where secrets overlap`() {
      let masker = SecretMasker(secrets: ["abc", "abcdef"])
      #expect(masker.mask("abcdef abc") == "******** ********")
    }

    @Test func `a masked value is not masked again`() {
      let masker = SecretMasker(secrets: ["****", "pass"])
      #expect(masker.mask("pass") == "********")
    }

    @Test func `a multi-line secret is masked whole and line by line`() {
      let key = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkq
        hkiG9w0BAQEFAASC
        -----END PRIVATE KEY-----
        """
      let masker = SecretMasker(secrets: [key])
      #expect(masker.mask("key: \(key)\n") == "key: ********\n")
      let diffLines = "+MIIEvQIBADANBgkq\n+hkiG9w0BAQEFAASC\n"
      #expect(masker.mask(diffLines) == "+********\n+********\n")
    }

    @Test func `short lines of a multi-line secret are left alone`() {
      let masker = SecretMasker(secrets: ["abc\nlonger line"])
      #expect(masker.mask("abc\n") == "abc\n")
      #expect(masker.mask("a longer line") == "a ********")
    }

    @Test func `a secret is masked inside JSON strings too`() {
      let secret = "pa\"ss\nphrase-xyz"
      let masker = SecretMasker(secrets: [secret])
      let json = JSONValue.object(["credential": .string(secret)]).compactJSON
      #expect(masker.mask(json) == #"{"credential": "********"}"#)
    }

    @Test func `non-ASCII secrets are masked without splitting characters`() {
      let masker = SecretMasker(secrets: ["mötley-crüe"])
      #expect(masker.mask("band: mötley-crüe ✓") == "band: ******** ✓")
    }

    @Test func `an empty masker returns the text unchanged`() {
      #expect(SecretMasker().mask("nothing to hide") == "nothing to hide")
    }
  }
}
