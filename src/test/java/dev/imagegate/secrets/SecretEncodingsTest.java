package dev.imagegate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Text that is not plain UTF-8 with LF endings: UTF-16 (LE/BE, with or without a BOM, as Windows tools write .reg,
 * .ps1 and exported .config files), a run of NUL bytes before the text (a padded or pre-allocated file), and CR or CRLF
 * line endings. Genuine binaries stay binary.
 */
class SecretEncodingsTest {
  private static final String KEY = "AKIAZ3MH7QKPC2WX4RTB";
  private static final String TEXT = "# settings\r\naws_access_key_id=" + KEY + "\r\nregion=us-west-2\r\n";
  private final SecretScanner scanner = new SecretScanner();

  private String expectedHash() {
    List<SecretFinding> f = scanner.scan("plain.txt", TEXT.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, f.size(), f.toString());
    return f.get(0).hashedSecret();
  }

  private void assertFoundOnLine(int line, byte[] content, String what) {
    List<SecretFinding> f = scanner.scan("x.txt", content);
    assertEquals(1, f.size(), what + ": " + f);
    assertEquals(line, f.get(0).line(), what);
    assertEquals(SecretType.AWS_ACCESS_KEY, f.get(0).type(), what);
    assertEquals(expectedHash(), f.get(0).hashedSecret(), what + ": the hash is that of the secret's UTF-8 bytes, as detect-secrets'");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void utf16WithAndWithoutByteOrderMarkIsRead() {
    assertFoundOnLine(2, concat(new byte[] {(byte) 0xff, (byte) 0xfe}, TEXT.getBytes(StandardCharsets.UTF_16LE)), "UTF-16LE with BOM");
    assertFoundOnLine(2, concat(new byte[] {(byte) 0xfe, (byte) 0xff}, TEXT.getBytes(StandardCharsets.UTF_16BE)), "UTF-16BE with BOM");
    assertFoundOnLine(2, TEXT.getBytes(StandardCharsets.UTF_16LE), "UTF-16LE without BOM");
    assertFoundOnLine(2, TEXT.getBytes(StandardCharsets.UTF_16BE), "UTF-16BE without BOM");
    assertFoundOnLine(2, TEXT.getBytes(Charset.forName("UTF-16")), "Java's UTF-16 (BE with BOM)");
  }

  @Test
  void utf16TextIsNotSkippedAsBinary() {
    byte[] le = TEXT.getBytes(StandardCharsets.UTF_16LE);
    assertEquals(Optional.empty(), scanner.skipReason(le, le.length));
  }

  @Test
  void textAfterARunOfNulBytesIsRead() {
    assertFoundOnLine(2, concat(new byte[512], TEXT.getBytes(StandardCharsets.UTF_8)), "512 NUL bytes, then UTF-8 text");
    assertFoundOnLine(2, concat(new byte[3], TEXT.getBytes(StandardCharsets.UTF_8)), "3 NUL bytes, then UTF-8 text");
  }

  @Test
  void genuineBinariesStayBinary() {
    byte[] key = TEXT.getBytes(StandardCharsets.UTF_8);
    // a class file: magic, version, then a constant pool with NULs here and there, the key among its strings
    byte[] classFile = concat(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 0, 23, 1, 0, 12}, key,
        new byte[] {1, 0, 4, 'C', 'o', 'd', 'e', 0, 0, 0, 1, 0, 2});
    // an ELF header: NULs after the ident, then the key in .rodata
    byte[] elf = concat(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0}, key, new byte[64]);
    // NULs first, and more NULs in what follows: not a padded text file
    byte[] padded = concat(new byte[16], key, new byte[] {0, 1, 2, 0}, key);
    for (byte[] binary : List.of(classFile, elf, padded)) {
      assertEquals(Optional.of(SecretScanner.Skip.BINARY), scanner.skipReason(binary, binary.length));
      assertTrue(scanner.scan("bin", binary).isEmpty());
    }
  }

  @Test
  void theLineIsRightForLfCrLfAndCrEndings() {
    String lf = "# settings\n\naws_access_key_id=" + KEY + "\nregion=us-west-2\n";
    assertFoundOnLine(3, lf.getBytes(StandardCharsets.UTF_8), "LF");
    assertFoundOnLine(3, lf.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), "CRLF");
    assertFoundOnLine(3, lf.replace("\n", "\r").getBytes(StandardCharsets.UTF_8), "CR (classic Mac)");
    assertFoundOnLine(4, ("a\rb\r\nc\naws_access_key_id=" + KEY + "\r").getBytes(StandardCharsets.UTF_8), "mixed");
  }

  @Test
  void anAllowlistPragmaOnTheLineBeforeWorksWithCrEndings() {
    String text = "# pragma: allowlist nextline secret\raws_access_key_id=" + KEY + "\r";
    assertTrue(scanner.scan("x.txt", text.getBytes(StandardCharsets.UTF_8)).isEmpty());
  }

  /** A NUL anywhere in the first 8000 bytes (the probe reads them eight at a time) makes binary; after them it does not. */
  @Test
  void aNulAnywhereInTheProbeIsBinaryAndAfterItIsNot() {
    byte[] text = ("x".repeat(8100) + "\n").getBytes(StandardCharsets.UTF_8);
    for (int at = 1; at < 8010; at++) { // at 0 the bytes after the NUL are text after a run of NULs
      byte[] b = text.clone();
      b[at] = 0;
      Optional<SecretScanner.Skip> expected = at < TextLayout.PROBE ? Optional.of(SecretScanner.Skip.BINARY) : Optional.empty();
      assertEquals(expected, scanner.skipReason(b, b.length), "NUL at " + at);
    }
    for (int length = 6; length < 20; length++) { // a word of eight bytes and its tail (shorter: one NUL may be UTF-16)
      for (int at = 1; at < length; at++) {
        byte[] b = "y".repeat(length).getBytes(StandardCharsets.UTF_8);
        b[at] = 0;
        assertEquals(Optional.of(SecretScanner.Skip.BINARY), scanner.skipReason(b, b.length), "NUL at " + at + " of " + length);
      }
    }
    // bytes with their high bit set are no NUL (the word test borrows across bytes)
    byte[] high = new byte[64];
    java.util.Arrays.fill(high, (byte) 0x80);
    high[7] = 1;
    assertEquals(Optional.empty(), scanner.skipReason(high, high.length));
  }

  /** examine() skips and finds exactly as skipReason() and scan() do, for every layout. */
  @Test
  void examineIsSkipReasonAndScanAtOnce() {
    byte[] nulRun = concat(new byte[40], TEXT.getBytes(StandardCharsets.UTF_8));
    byte[] binary = new byte[] {1, 0, 2, 0, 0, 0, 3, 0, 0, 9};
    List<byte[]> contents =
        List.of(
            TEXT.getBytes(StandardCharsets.UTF_8), TEXT.getBytes(StandardCharsets.UTF_16LE),
            concat(new byte[] {(byte) 0xfe, (byte) 0xff}, TEXT.getBytes(StandardCharsets.UTF_16BE)), nulRun, binary,
            "no secret here\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
    for (byte[] c : contents) {
      SecretScanner.Outcome outcome = scanner.examine("x.txt", c);
      assertEquals(scanner.skipReason(c, c.length), outcome.skipped());
      assertEquals(scanner.scan("x.txt", c), outcome.findings());
    }
    SecretScanner small = new SecretScanner(10);
    byte[] large = TEXT.getBytes(StandardCharsets.UTF_8);
    assertEquals(new SecretScanner.Outcome(Optional.of(SecretScanner.Skip.TOO_LARGE), List.of()), small.examine("x.txt", large));
    assertFoundOnLine(2, nulRun, "text after a run of NULs: lines and hashes counted from the text's start");
  }
}
