package dev.imagegate.sign;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.imagegate.HandoverException;
import dev.imagegate.HandoverFile;
import dev.imagegate.HandoverRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sign.json}: what {@code sign} signed, with which key, and where the signatures are. Read by {@code audit}
 * (the signatures it records) and by {@code gitops-update} (the key to verify with).
 *
 * <pre>{@code
 * {"schemaVersion":1,"digest":"sha256:…",
 *  "key":{"reference":"awskms:///arn:aws:kms:…","keyId":"arn:aws:kms:…:key/…","publicKeyPem":"-----BEGIN PUBLIC KEY-----…","fingerprint":"…"},
 *  "signatures":[{"reference":"<registry>/<repository>@sha256:…","signatureTag":"sha256-….sig","signatureManifestDigest":"sha256:…",
 *                 "attestationTag":"sha256-….att","attestationManifestDigest":"sha256:…","predicateTypes":["https://cyclonedx.org/bom"]}]}
 * }</pre>
 *
 * @param schemaVersion 1
 * @param digest the image digest signed
 * @param key the key that signed
 * @param signatures one per registry/repository signed in
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "digest", "key", "signatures"})
public record SignRecord(int schemaVersion, String digest, Key key, List<Signature> signatures) implements HandoverRecord {
  public static final HandoverFile FILE = HandoverFile.SIGN;
  public static final String FILE_NAME = HandoverFile.SIGN.fileName();
  public static final int SCHEMA_VERSION = 1;

  public SignRecord {
    signatures = signatures == null ? List.of() : List.copyOf(signatures);
  }

  /**
   * The signing key.
   *
   * @param reference the key as configured ({@code awskms:///…} or the key file's path)
   * @param keyId the KMS key ARN (for a key file: its path)
   * @param publicKeyPem the public half, PEM ({@code -----BEGIN PUBLIC KEY-----})
   * @param fingerprint the SHA-256 of the public key's DER, hex
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonPropertyOrder({"reference", "keyId", "publicKeyPem", "fingerprint"})
  public record Key(String reference, String keyId, String publicKeyPem, String fingerprint) {
    /** Whether the key is an AWS KMS key ({@code awskms:///…}) rather than a key file. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean kms() {
      return reference != null && KmsKeyReference.isKms(reference);
    }

    /** Whether it says enough to check a signature with: the reference, the public key, and for KMS the key ARN. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean complete() {
      return reference != null && !reference.isEmpty() && publicKeyPem != null && !publicKeyPem.isEmpty()
          && (!kms() || (keyId != null && !keyId.isEmpty()));
    }
  }

  /**
   * The signature (and attestations) in one registry/repository.
   *
   * @param reference {@code <registry>/<repository>@<digest>}
   * @param signatureTag the {@code .sig} tag
   * @param signatureManifestDigest the {@code .sig} manifest's digest
   * @param attestationTag the {@code .att} tag, when attestations were made
   * @param attestationManifestDigest the {@code .att} manifest's digest, when attestations were made
   * @param predicateTypes the in-toto predicate types attested
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"reference", "signatureTag", "signatureManifestDigest", "attestationTag", "attestationManifestDigest", "predicateTypes"})
  public record Signature(
      String reference, String signatureTag, String signatureManifestDigest, String attestationTag, String attestationManifestDigest,
      List<String> predicateTypes) {
    public Signature {
      predicateTypes = predicateTypes == null ? List.of() : List.copyOf(predicateTypes);
    }
  }

  /** What {@code signer} signed of {@code digest}, and where. */
  public static SignRecord of(String digest, Signer signer, List<ImageSigner.Result> results) {
    List<Signature> signatures = new ArrayList<>();
    for (ImageSigner.Result r : results) {
      signatures.add(new Signature(r.reference(), r.signatureTag(), r.signatureManifestDigest(), r.attestationTag().orElse(null),
          r.attestationManifestDigest().orElse(null), r.predicateTypes()));
    }
    Key key = new Key(signer.reference(), signer.keyId(), PublicKeys.toPem(signer.publicKey()), PublicKeys.fingerprint(signer.publicKey()));
    return new SignRecord(SCHEMA_VERSION, digest, key, signatures);
  }

  /** Writes sign.json atomically. */
  public Path write(Path outputDirectory) throws HandoverException {
    return FILE.write(outputDirectory, this);
  }

  /** Reads sign.json of the image {@code digest}; missing, unreadable or of another digest: refused. */
  public static SignRecord read(Path outputDirectory, String digest) throws HandoverException {
    return FILE.read(outputDirectory, digest, SignRecord.class);
  }

  /** Reads sign.json of the image {@code digest} when there is one; one of another digest is refused. */
  public static Optional<SignRecord> readIfPresent(Path outputDirectory, String digest) throws HandoverException {
    return FILE.readIfPresent(outputDirectory, digest, SignRecord.class);
  }
}
