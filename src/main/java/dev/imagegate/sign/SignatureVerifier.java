package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What Kyverno and {@code cosign verify --key} check, offline: is there a signature over exactly this digest,
 * valid under this key, in {@code sha256-<hex>.sig}; and optionally an attestation of a predicate type in
 * {@code .att} whose signature is valid and whose subject is this digest.
 */
public final class SignatureVerifier {
  private final PublicKey key;

  public SignatureVerifier(PublicKey key) {
    this.key = key;
  }

  /** The outcome for one image: what was found, one line per layer looked at. */
  public record Report(String reference, int validSignatures, int validAttestations, List<String> findings) {}

  /**
   * @param predicateType empty: signatures only
   * @throws SigningException when no valid signature (or attestation) is found; the message lists what was found instead
   */
  public Report verify(SignatureStore store, String digest, Optional<String> predicateType) throws ImagegateException {
    String reference = store.name() + "@" + digest;
    List<String> findings = new ArrayList<>();
    int valid = 0;
    Optional<byte[]> sig = store.manifest(CosignManifest.signatureTag(digest));
    if (sig.isEmpty()) {
      findings.add("no " + CosignManifest.signatureTag(digest));
    } else {
      for (CosignManifest.Layer layer : parse(store, sig.get()).layers()) {
        if (!SimpleSigningPayload.MEDIA_TYPE.equals(layer.mediaType())) {
          findings.add("skipped layer " + layer.digest() + " of type " + layer.mediaType());
          continue;
        }
        byte[] payload = store.blob(layer.digest());
        byte[] der;
        try {
          der = Base64.getDecoder().decode(layer.signature());
        } catch (IllegalArgumentException e) {
          findings.add("signature " + layer.digest() + ": annotation is not base64");
          continue;
        }
        if (!PublicKeys.verify(key, payload, der)) {
          findings.add("signature " + short12(layer.digest()) + ": INVALID (not made by this key, or payload altered)");
          continue;
        }
        SimpleSigningPayload.Claims claims;
        try {
          claims = SimpleSigningPayload.parse(payload);
        } catch (IOException e) {
          findings.add("signature " + short12(layer.digest()) + ": payload is not JSON");
          continue;
        }
        if (!SimpleSigningPayload.TYPE.equals(claims.type())) {
          findings.add("signature " + short12(layer.digest()) + ": payload type is '" + claims.type() + "'");
        } else if (!digest.equals(claims.digest())) {
          findings.add("signature " + short12(layer.digest()) + ": valid, but for ANOTHER digest " + claims.digest());
        } else {
          findings.add("signature " + short12(layer.digest()) + ": valid for " + digest + " (docker-reference " + claims.dockerReference() + ")");
          valid++;
        }
      }
    }
    int validAtt = 0;
    if (predicateType.isPresent()) {
      String type = predicateType.get();
      Optional<byte[]> att = store.manifest(CosignManifest.attestationTag(digest));
      if (att.isEmpty()) {
        findings.add("no " + CosignManifest.attestationTag(digest));
      } else {
        for (CosignManifest.Layer layer : parse(store, att.get()).layers()) {
          try {
            Dsse.Envelope env = Dsse.parse(store.blob(layer.digest()));
            InTotoStatement.Parsed st = InTotoStatement.parse(env.payload());
            if (!type.equals(st.predicateType())) {
              continue;
            }
            byte[] pae = Dsse.pae(env.payloadType(), env.payload());
            boolean ok = env.signatures().stream().anyMatch(s -> PublicKeys.verify(key, pae, s));
            if (!ok) {
              findings.add("attestation " + short12(layer.digest()) + " (" + type + "): INVALID signature");
            } else if (!st.subjectDigests().contains(digest)) {
              findings.add("attestation " + short12(layer.digest()) + " (" + type + "): valid, but its subject is " + st.subjectDigests());
            } else {
              findings.add("attestation " + short12(layer.digest()) + " (" + type + "): valid for " + digest);
              validAtt++;
            }
          } catch (IOException e) {
            findings.add("attestation " + short12(layer.digest()) + ": unreadable (" + e.getMessage() + ")");
          }
        }
      }
    }
    Report report = new Report(reference, valid, validAtt, findings);
    if (valid == 0 || (predicateType.isPresent() && validAtt == 0)) {
      throw new SigningException(
          (valid == 0 ? "No valid signature" : "No valid " + predicateType.get() + " attestation") + " for " + reference
              + " with key " + PublicKeys.fingerprint(key) + ":" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", findings),
          "Sign it with this key (imagegate:sign, cosign sign --key …), or verify with the key that signed it.");
    }
    return report;
  }

  private static CosignManifest parse(SignatureStore store, byte[] manifest) throws SigningException {
    try {
      return CosignManifest.parse(manifest);
    } catch (IOException e) {
      throw new SigningException("A signature manifest in " + store.name() + " is not JSON: " + e.getMessage(), "Inspect it with skopeo inspect --raw.", e);
    }
  }

  private static String short12(String digest) {
    return Digests.isSha256(digest) ? digest.substring(0, 19) : digest;
  }
}
