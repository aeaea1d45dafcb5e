package dev.imagegate.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagegate.ImagegateException;
import dev.imagegate.LogLine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list of problems push found before the first upload, as Maven prints it: numbered, nested, within 120 characters. */
class PreflightMessageTest {
  private static final String NL = System.lineSeparator();

  @Test
  void problemsAreNumberedTheirLinesNestedAndShort() {
    ImagegateException kms = new ImagegateException("KMS key awskms:///alias/ci has key spec SYMMETRIC_DEFAULT and usage ENCRYPT_DECRYPT:" + NL
        + "  cosign-compatible signing needs ECC_NIST_P256 / SIGN_VERIFY.", "Create the key with: aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY.");
    ImagegateException bucket = new ImagegateException("The audit bucket acme does not exist.",
        "Create it (aws s3api create-bucket --bucket acme)," + NL + "       or let audit create it (imagegate.audit.createBucket=true).");
    PreflightException e = new PreflightException(List.of(new Preflight.Problem("sign", kms), new Preflight.Problem("audit", bucket)));
    String shown = e.getMessage() + NL + "  Fix: " + e.suggestion();
    List<String> lines = shown.lines().toList();
    assertEquals("  1. imagegate:sign: KMS key awskms:///alias/ci has key spec SYMMETRIC_DEFAULT and usage ENCRYPT_DECRYPT:", lines.get(1));
    assertEquals("       cosign-compatible signing needs ECC_NIST_P256 / SIGN_VERIFY.", lines.get(2), "a problem's own lines nest under it");
    assertEquals("            or let audit create it (imagegate.audit.createBucket=true).", lines.get(6), shown);
    lines.forEach(l -> assertTrue(LogLine.width("[ERROR] " + l) <= LogLine.WIDTH, "a line of " + LogLine.width("[ERROR] " + l) + ": " + l));
    assertTrue(e.suggestion().contains("imagegate.push.checkLaterGoals=false"), e.suggestion());
  }
}
