package dev.imagegate.sign;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS KMS key as users write it: a key id, a key ARN, {@code alias/<name>}, an alias ARN, or cosign's
 * {@code awskms:///<any of these>} / {@code awskms://<endpoint host>/<any of these>}.
 *
 * @param keyId what KMS's KeyId parameter takes (id, ARN, alias name or alias ARN)
 * @param region the region named by an ARN, if the key is given as one
 * @param endpoint the endpoint host of {@code awskms://<host>/…}, as an {@code https://} URI
 */
public record KmsKeyReference(String keyId, Optional<String> region, Optional<URI> endpoint) {
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kms:([a-z0-9-]+):\\d{12}:(key|alias)/.+");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F-]{36}|mrk-[0-9a-fA-F]{32}|alias/[A-Za-z0-9/_-]+");
  private static final Pattern KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/.+");
  private static final Pattern AWSKMS = Pattern.compile("awskms://([^/]*)/(.+)");

  /** Whether the text names a KMS key rather than a key file. */
  public static boolean isKms(String text) {
    return text.startsWith("awskms://") || ARN.matcher(text).matches() || KEY_ID.matcher(text).matches();
  }

  public static KmsKeyReference parse(String text) throws SigningException {
    String key = text.trim();
    Optional<URI> endpoint = Optional.empty();
    Matcher m = AWSKMS.matcher(key);
    if (key.startsWith("awskms:")) {
      if (!m.matches()) {
        throw new SigningException(
            "'" + text + "' is not a KMS key reference.",
            "Write awskms:///<key id|key ARN|alias/name|alias ARN> (or awskms://<endpoint host>/<…>).");
      }
      if (!m.group(1).isEmpty()) {
        endpoint = Optional.of(URI.create("https://" + m.group(1)));
      }
      key = m.group(2);
    }
    Matcher arn = ARN.matcher(key);
    if (arn.matches()) {
      return new KmsKeyReference(key, Optional.of(arn.group(1)), endpoint);
    }
    if (KEY_ID.matcher(key).matches()) {
      return new KmsKeyReference(key, Optional.empty(), endpoint);
    }
    throw new SigningException(
        "'" + text + "' is neither a KMS key id, a key or alias ARN, nor alias/<name>.",
        "Give the key as awskms:///arn:aws:kms:<region>:<account>:key/<id>, awskms:///alias/<name> or a key id.");
  }

  /**
   * The reference a verifier anywhere resolves to exactly this key: {@code awskms:///arn:aws:kms:<region>:<account>:key/<id>}
   * (cosign's key-ARN form, with this reference's endpoint host if it named one). An alias or a bare key id is resolved
   * in the verifier's own region, where the same name can mean another key.
   *
   * @param keyArn the key's ARN, as KMS answers GetPublicKey or DescribeKey
   */
  public String keyArnReference(String keyArn) throws SigningException {
    if (keyArn == null || !KEY_ARN.matcher(keyArn).matches()) {
      throw new SigningException(
          "KMS did not name the key ARN of " + cosignReference() + " (it answered '" + keyArn + "'): the Kyverno policy and"
              + " sign.json need the ARN, which names the region and account.",
          "Allow kms:DescribeKey on the key, or give the key as its ARN: awskms:///arn:aws:kms:<region>:<account>:key/<id>.");
    }
    return "awskms://" + endpoint.map(URI::getAuthority).orElse("") + "/" + keyArn;
  }

  /** The cosign-style reference: {@code awskms:///<keyId>} (with the endpoint host if one was given). */
  public String cosignReference() {
    return "awskms://" + endpoint.map(URI::getAuthority).orElse("") + "/" + keyId;
  }
}
