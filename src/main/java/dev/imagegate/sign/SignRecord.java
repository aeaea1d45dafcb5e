package dev.imagegate.sign;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code target/imagegate/sign.json}: what was signed, with which key, where the signatures are. The audit goal reads it. */
public final class SignRecord {
  public static final String FILE_NAME = "sign.json";
  public static final int SCHEMA_VERSION = 1;

  private SignRecord() {}

  public static byte[] toJson(String digest, Signer signer, List<ImageSigner.Result> results) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("digest", digest);
    ObjectNode key = root.putObject("key");
    key.put("reference", signer.reference());
    key.put("keyId", signer.keyId());
    key.put("publicKeyPem", PublicKeys.toPem(signer.publicKey()));
    key.put("fingerprint", PublicKeys.fingerprint(signer.publicKey()));
    ArrayNode sigs = root.putArray("signatures");
    for (ImageSigner.Result r : results) {
      ObjectNode s = sigs.addObject();
      s.put("reference", r.reference());
      s.put("signatureTag", r.signatureTag());
      s.put("signatureManifestDigest", r.signatureManifestDigest());
      r.attestationTag().ifPresent(t -> s.put("attestationTag", t));
      r.attestationManifestDigest().ifPresent(d -> s.put("attestationManifestDigest", d));
      ArrayNode types = s.putArray("predicateTypes");
      r.predicateTypes().forEach(types::add);
    }
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes atomically (temp file + move). */
  public static void write(Path file, byte[] content) throws SigningException {
    try {
      AtomicWrite.replace(file, content);
    } catch (IOException e) {
      throw new SigningException("Cannot write " + file + ": " + e.getMessage(), "Check that the output directory is writable.", e);
    }
  }
}
