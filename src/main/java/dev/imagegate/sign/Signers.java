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
    return PendingSigner.keyFile(baseDir.resolve(key.trim()), access.keyPassword());
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
