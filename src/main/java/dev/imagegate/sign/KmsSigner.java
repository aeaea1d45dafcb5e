package dev.imagegate.sign;

import dev.imagegate.aws.AwsAccess;
import dev.imagegate.aws.SdkFailure;
import dev.imagegate.oci.Digests;
import java.net.URI;
import java.security.PublicKey;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Signs with an AWS KMS {@code ECC_NIST_P256} / {@code SIGN_VERIFY} key. {@code GetPublicKey} is called once;
 * messages up to 4096 bytes go as {@code MessageType=RAW}, longer ones (a DSSE envelope around an SBOM) as
 * {@code DIGEST} of their SHA-256. Both give the signature cosign's KMS signer gives.
 */
public final class KmsSigner implements Signer {
  /** KMS's limit for {@code MessageType=RAW}. */
  public static final int RAW_LIMIT = 4096;

  private final KmsKeyReference key;
  private final KmsClient kms;
  private final boolean ownsClient;
  private final String keyArn;
  private final PublicKey publicKey;

  /** Uses the given client (its region and endpoint are the caller's business). */
  public KmsSigner(KmsKeyReference key, KmsClient kms) throws SigningException {
    this(key, kms, false);
  }

  private KmsSigner(KmsKeyReference key, KmsClient kms, boolean ownsClient) throws SigningException {
    this.key = key;
    this.kms = kms;
    this.ownsClient = ownsClient;
    GetPublicKeyResponse response;
    try {
      response = kms.getPublicKey(r -> r.keyId(key.keyId()));
    } catch (SdkException e) {
      // a key that exists but cannot sign (symmetric, ENCRYPT_DECRYPT) has no public key: say what it is instead
      SigningException unfit = unfit(e);
      close();
      if (unfit != null) {
        throw unfit;
      }
      throw new SigningException(
          SdkFailure.failed("KMS GetPublicKey for " + key.cosignReference(), e),
          SdkFailure.fix(e, "Check the key is in " + kms.serviceClientConfiguration().region() + " and the credentials may call kms:GetPublicKey and kms:Sign."),
          e);
    }
    // moto answers the deprecated CustomerMasterKeySpec only; real KMS sends both
    String spec = response.keySpecAsString() != null ? response.keySpecAsString() : response.customerMasterKeySpecAsString();
    if (!KeySpec.ECC_NIST_P256.toString().equals(spec) || response.keyUsage() != KeyUsageType.SIGN_VERIFY) {
      close();
      throw new SigningException(
          "KMS key " + key.cosignReference() + " has key spec " + spec + " and usage "
              + response.keyUsageAsString() + ":" + System.lineSeparator() + "  cosign-compatible signing needs ECC_NIST_P256 / SIGN_VERIFY.",
          "Create the key with: aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY.");
    }
    // real KMS answers the key ARN; moto answers the bare key id, so ask DescribeKey then
    this.keyArn = response.keyId().startsWith("arn:") ? response.keyId() : describeArn(response.keyId());
    this.publicKey = PublicKeys.fromDer(response.publicKey().asByteArray());
  }

  /** What DescribeKey says is wrong with the key for signing, or null when it says nothing (or may not be asked). */
  private SigningException unfit(SdkException cause) {
    KeyMetadata m;
    try {
      m = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
    } catch (SdkException e) {
      return null;
    }
    String spec = m.keySpecAsString() != null ? m.keySpecAsString() : m.customerMasterKeySpecAsString();
    if (m.keyUsage() != KeyUsageType.SIGN_VERIFY || !KeySpec.ECC_NIST_P256.toString().equals(spec)) {
      return new SigningException(
          "KMS key " + key.cosignReference() + " (" + m.arn() + ") has key spec " + spec + " and usage " + m.keyUsageAsString()
              + ": it cannot make cosign-compatible signatures, which need ECC_NIST_P256 / SIGN_VERIFY.",
          "Sign with a signing key (imagegate.sign.key); create one with: aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY.", cause);
    }
    return null;
  }

  /**
   * Checks with DescribeKey that the key is enabled and meant for signing (ECC_NIST_P256 / SIGN_VERIFY), before
   * anything is pushed; {@code kms:Sign} itself can only be proven by signing.
   */
  public void checkUsable() throws SigningException {
    KeyMetadata m;
    try {
      m = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
    } catch (SdkException e) {
      throw new SigningException(SdkFailure.failed("KMS DescribeKey for " + key.cosignReference(), e),
          SdkFailure.fix(e, "Let the build's credentials call kms:DescribeKey, kms:GetPublicKey and kms:Sign on the key."), e);
    }
    SigningException unfit = m.keyUsage() == KeyUsageType.SIGN_VERIFY ? null : unfit(null);
    if (unfit != null) {
      throw unfit;
    }
    if (m.keyState() != KeyState.ENABLED) {
      throw new SigningException("KMS key " + key.cosignReference() + " (" + m.arn() + ") is " + m.keyStateAsString() + ", not Enabled: it cannot sign.",
          "Enable the key (aws kms enable-key --key-id " + m.keyId() + "), or sign with another key (imagegate.sign.key).");
    }
  }

  private String describeArn(String id) {
    try {
      return kms.describeKey(r -> r.keyId(id)).keyMetadata().arn();
    } catch (SdkException e) {
      return id;
    }
  }

  /**
   * Opens a KMS client for the key: region from the key's ARN, else {@code region}, else the environment (AWS_REGION,
   * profile); endpoint from {@code awskms://<host>/}, else {@code endpointOverride}, else the SDK's default
   * (which honours AWS_ENDPOINT_URL).
   */
  public static KmsSigner open(
      String reference, Optional<String> region, AwsCredentialsProvider credentials, Optional<URI> endpointOverride)
      throws SigningException {
    KmsKeyReference key = KmsKeyReference.parse(reference);
    Region resolved;
    if (key.region().isPresent()) {
      resolved = Region.of(key.region().get());
    } else if (region.isPresent()) {
      resolved = Region.of(region.get());
    } else {
      try {
        resolved = new DefaultAwsRegionProviderChain().getRegion();
      } catch (SdkException e) {
        throw new SigningException(
            "No AWS region for KMS key " + key.cosignReference() + ": it is not an ARN and the environment names no region.",
            "Give the key as its ARN (arn:aws:kms:<region>:…), set imagegate.sign.kmsRegion, or export AWS_REGION.",
            e);
      }
    }
    KmsClientBuilder builder = KmsClient.builder().region(resolved).httpClient(AwsAccess.httpClient());
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    Optional<URI> endpoint = key.endpoint().or(() -> endpointOverride);
    endpoint.ifPresent(builder::endpointOverride);
    return new KmsSigner(key, builder.build(), true);
  }

  @Override
  public String reference() {
    return key.cosignReference();
  }

  @Override
  public String keyId() {
    return keyArn;
  }

  /** {@code awskms:///arn:aws:kms:<region>:<account>:key/<id>}: this key for a verifier in any region (see {@link KmsKeyReference#keyArnReference}). */
  public String keyArnReference() throws SigningException {
    return key.keyArnReference(keyArn);
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  /** RAW when the message fits KMS's 4096-byte limit, else DIGEST with SHA-256(message). */
  static MessageType messageTypeFor(byte[] message) {
    return message.length <= RAW_LIMIT ? MessageType.RAW : MessageType.DIGEST;
  }

  @Override
  public byte[] sign(byte[] message) throws SigningException {
    MessageType type = messageTypeFor(message);
    byte[] body = type == MessageType.RAW ? message : Digests.newSha256().digest(message);
    try {
      return kms.sign(
              r -> r.keyId(key.keyId())
                  .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                  .messageType(type)
                  .message(SdkBytes.fromByteArray(body)))
          .signature()
          .asByteArray();
    } catch (SdkException e) {
      throw new SigningException(
          SdkFailure.failed("KMS Sign with " + key.cosignReference(), e),
          SdkFailure.fix(e, "Check that the credentials may call kms:Sign on the key and that the key is enabled."),
          e);
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      kms.close();
    }
  }
}
