package dev.imagegate.sign;

import dev.imagegate.AtomicWrite;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code target/imagegate/sign.json}: what was signed, with which key, where the signatures are. The audit goal reads it. */
public final class SignRecord {
  public static final String FILE_NAME = "sign.json";
  public static final int SCHEMA_VERSION = 1;

  private SignRecord() {}

  /**
   * The key a {@code sign.json} says the image was signed with: what {@code gitops-update} checks signatures against
   * when no key is configured. (The one reader of sign.json's key; everything else in it is for people and audit.)
   *
   * @param digest the image digest that was signed
   * @param reference how sign was given the key: {@code awskms:///…} or the key file path
   * @param keyId the KMS key ARN, or the public key fingerprint of a key file
   * @param publicKeyPem the public half of the key, as sign derived it
   * @param fingerprint {@code sha256:<hex>} of the public key's DER
   */
  public record KeyUsed(String digest, String reference, String keyId, String publicKeyPem, String fingerprint) {
    public boolean kms() {
      return KmsKeyReference.isKms(reference);
    }
  }

  /** The key of {@code <outputDirectory>/sign.json}, or empty when there is no sign.json. */
  public static Optional<KeyUsed> readKey(Path outputDirectory) throws SigningException {
    Path file = outputDirectory.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new SigningException("Cannot read " + file + ": " + e.getMessage(), "Run imagegate:sign again to rewrite it.", e);
    }
    JsonNode key = root.path("key");
    KeyUsed used = new KeyUsed(root.path("digest").asText(""), key.path("reference").asText(""), key.path("keyId").asText(""),
        key.path("publicKeyPem").asText(""), key.path("fingerprint").asText(""));
    if (used.reference().isEmpty() || used.publicKeyPem().isEmpty() || (used.kms() && used.keyId().isEmpty())) {
      throw new SigningException(file + " does not say which key signed the image (key.reference, key.keyId, key.publicKeyPem).",
          "Run imagegate:sign again to rewrite it.");
    }
    return Optional.of(used);
  }

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
