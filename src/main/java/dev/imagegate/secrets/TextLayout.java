package dev.imagegate.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * How a file's bytes are read as text by the detectors, decided from its first 8000 bytes (git's probe):
 *
 * <ul>
 *   <li>no NUL byte: byte-oriented text (UTF-8, ASCII, Latin-1…), read as is;
 *   <li>a UTF-16 byte order mark ({@code FF FE}, {@code FE FF}), or no mark but the NUL pattern of UTF-16 text (every
 *       other byte NUL in at least half of the code units, as ASCII-range text has): UTF-16LE or BE;
 *   <li>a run of NUL bytes, then text without any NUL (a padded or pre-allocated file): the text after the run;
 *   <li>anything else: binary, not read. UTF-16 must also decode to text (no U+0000, no C0 control other than tab,
 *       line feed, carriage return, form feed, vertical tab and escape), so arrays of 16-bit numbers stay binary.
 * </ul>
 *
 * @param kind how to read it
 * @param offset where the text starts (after a byte order mark or a run of NULs)
 */
record TextLayout(Kind kind, int offset) {
  /** How the bytes are read. */
  enum Kind {
    BYTES,
    UTF16LE,
    UTF16BE,
    BINARY
  }

  static final int PROBE = 8000;
  private static final TextLayout BINARY = new TextLayout(Kind.BINARY, 0);

  static TextLayout of(byte[] content) {
    int n = Math.min(content.length, PROBE);
    if (n >= 2 && (content[0] & 0xff) == 0xff && (content[1] & 0xff) == 0xfe) {
      return utf16(content, Kind.UTF16LE, 2) ? new TextLayout(Kind.UTF16LE, 2) : BINARY;
    }
    if (n >= 2 && (content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xff) {
      return utf16(content, Kind.UTF16BE, 2) ? new TextLayout(Kind.UTF16BE, 2) : BINARY;
    }
    if (noNul(content, 0)) {
      return new TextLayout(Kind.BYTES, 0);
    }
    int units = n / 2;
    int zeroEven = 0;
    int zeroOdd = 0;
    for (int i = 0; i + 1 < n; i += 2) {
      zeroEven += content[i] == 0 ? 1 : 0;
      zeroOdd += content[i + 1] == 0 ? 1 : 0;
    }
    if (units >= 2 && zeroOdd * 2 >= units && zeroOdd > zeroEven && utf16(content, Kind.UTF16LE, 0)) {
      return new TextLayout(Kind.UTF16LE, 0);
    }
    if (units >= 2 && zeroEven * 2 >= units && zeroEven > zeroOdd && utf16(content, Kind.UTF16BE, 0)) {
      return new TextLayout(Kind.UTF16BE, 0);
    }
    int start = 0;
    while (start < content.length && content[start] == 0) {
      start++;
    }
    return start > 0 && start < content.length && noNul(content, start) ? new TextLayout(Kind.BYTES, start) : BINARY;
  }

  boolean binary() {
    return kind == Kind.BINARY;
  }

  /**
   * The bytes the detectors read from {@link #textStart()} on, one char per byte (ISO-8859-1), so that offsets are
   * positions and a secret's chars are its UTF-8 bytes, the bytes detect-secrets hashes: the content itself, or for
   * UTF-16 the text decoded and re-encoded as UTF-8.
   */
  byte[] bytes(byte[] content) {
    return switch (kind) {
      case BYTES -> content;
      case UTF16LE, UTF16BE -> new String(content, offset, (content.length - offset) & ~1, charset(kind)).getBytes(StandardCharsets.UTF_8);
      case BINARY -> throw new IllegalStateException("binary content has no text");
    };
  }

  /** Where the text starts in {@link #bytes(byte[])}: after the run of NULs, 0 for re-encoded UTF-16. */
  int textStart() {
    return kind == Kind.BYTES ? offset : 0;
  }

  /**
   * Whether the probe from {@code from} holds no NUL byte; eight bytes at a time (through a byte buffer, whose classes
   * every file read has loaded already: a VarHandle view would cost a fresh JVM ~10 ms of start-up).
   */
  private static boolean noNul(byte[] content, int from) {
    int end = Math.min(content.length, from + PROBE);
    ByteBuffer longs = ByteBuffer.wrap(content);
    int i = from;
    for (; i + 8 <= end; i += 8) {
      long v = longs.getLong(i);
      if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
        return false; // some byte of v is 0 (the classic test: exact for "any zero byte")
      }
    }
    for (; i < end; i++) {
      if (content[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the probe decodes to text in this UTF-16 byte order. */
  private static boolean utf16(byte[] content, Kind kind, int from) {
    int len = Math.min(content.length - from, PROBE) & ~1;
    String probe = new String(content, from, len, charset(kind));
    for (int i = 0; i < probe.length(); i++) {
      char c = probe.charAt(i);
      if (c == 0 || (c < 0x20 && "\t\n\r\f\u000b\u001b".indexOf(c) < 0)) {
        return false;
      }
    }
    return true;
  }

  private static Charset charset(Kind kind) {
    return kind == Kind.UTF16LE ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
  }
}
