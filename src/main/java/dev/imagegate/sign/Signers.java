package dev.imagegate.sign;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Opens the signer a key reference names: KMS ({@code awskms:///…}, ARN, alias, key id) or a key file. */
public final class Signers {
  private Signers() {}

  /** Where secrets and AWS access come from, resolved only when the key needs them. */
  public interface Access {
    char[] keyPassword() throws SigningException;

    AwsCredentialsProvider awsCredentials() throws dev.imagegate.ImagegateException;

    /** The build's decrypted key files ({@link KeyFileCache#NONE}: decrypt each time). */
    default KeyFileCache keyFiles() {
      return KeyFileCache.NONE;
    }
  }

  public static Signer open(String key, Optional<String> kmsRegion, Optional<URI> kmsEndpoint, Path baseDir, Access access)
      throws dev.imagegate.ImagegateException {
    if (key == null || key.isBlank()) {
      throw new SigningException(
          "No signing key.",
          "Set signingKey (imagegate.sign.key) to awskms:///<key ARN|alias/name> or to a key file (cosign.key, PEM PKCS#8).");
    }
    // opened in the background while the caller does its registry and AWS round trips; errors surface at ready()
    if (KmsKeyReference.isKms(key.trim())) {
      String reference = KmsKeyReference.parse(key.trim()).cosignReference();
      AwsCredentialsProvider credentials = access.awsCredentials();
      return PendingSigner.kms(reference, () -> KmsSigner.open(key.trim(), kmsRegion, credentials, kmsEndpoint));
    }
    return PendingSigner.keyFile(baseDir.resolve(key.trim()), access.keyPassword(), access.keyFiles());
  }

  /**
   * Starts decrypting a key file in the background into the build's cache ({@link Access#keyFiles()}), for a sign goal
   * later in this build (and push's check of it); a KMS key has nothing to decrypt. Nothing is reported here: a key
   * that does not load fails where it is used.
   *
   * @return whether a decryption was started
   */
  public static boolean warmUp(String key, Path baseDir, Access access) {
    if (key == null || key.isBlank() || KmsKeyReference.isKms(key.trim()) || access.keyFiles() == KeyFileCache.NONE) {
      return false;
    }
    try {
      access.keyFiles().warmUp(baseDir.resolve(key.trim()), access.keyPassword());
      return true;
    } catch (SigningException | RuntimeException e) {
      return false; // e.g. no such settings server: the sign goal (or push's check) says so
    }
  }

  /**
   * Checks, without signing anything, that {@code key} can sign: a key file is read and decrypted (so a wrong password
   * shows now); a KMS key's public key is read and DescribeKey says it is an enabled ECC_NIST_P256 / SIGN_VERIFY key.
   *
   * @return what was checked, for the log
   */
  public static String check(String key, Optional<String> kmsRegion, Optional<URI> kmsEndpoint, Path baseDir, Access access)
      throws dev.imagegate.ImagegateException {
    try (Signer signer = open(key, kmsRegion, kmsEndpoint, baseDir, access)) {
      signer.ready();
      if (signer.loaded() instanceof KmsSigner kms) {
        kms.checkUsable();
      }
      return "key " + signer.reference() + " (" + PublicKeys.fingerprint(signer.publicKey()) + ") is ready to sign";
    }
  }
}
