package dev.imagegate.sign;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Signs with an ECDSA P-256 private key from a file: PEM PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}),
 * or the encrypted {@code cosign.key} that {@code cosign generate-key-pair} writes.
 *
 * <p>Signatures are deterministic (RFC 6979), so signing the same payload twice gives the same layer and a re-run
 * does not grow the {@code .sig} manifest.
 */
public final class KeyFileSigner implements Signer {
  private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");

  private final String reference;
  private final ECPrivateKeyParameters privateKey;
  private final PublicKey publicKey;

  private KeyFileSigner(String reference, ECPrivateKey key) throws SigningException {
    this.reference = reference;
    if (key.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new SigningException(
          "The key " + reference + " is not a P-256 key.", "Use an ECDSA P-256 key (cosign generate-key-pair).");
    }
    ECDomainParameters domain = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    this.privateKey = new ECPrivateKeyParameters(key.getS(), domain);
    org.bouncycastle.math.ec.ECPoint q = P256.getG().multiply(key.getS()).normalize();
    try {
      this.publicKey =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new ECPublicKeySpec(
                      new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), key.getParams()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the public key", e);
    }
  }

  /**
   * @param file the key file
   * @param password for an encrypted cosign key; may be empty (cosign allows an empty password), ignored otherwise
   */
  public static KeyFileSigner load(Path file, char[] password) throws SigningException {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new SigningException(
          "Cannot read the signing key " + file + ": " + e.getMessage(), "Set imagegate.sign.key to an existing key file.", e);
    }
    return fromPem(file.toString(), pem, password);
  }

  static KeyFileSigner fromPem(String reference, String pem, char[] password) throws SigningException {
    PemObject object;
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      object = reader.readPemObject();
    } catch (IOException e) {
      throw new SigningException("The key " + reference + " is not PEM: " + e.getMessage(), "Give a PEM private key.", e);
    }
    if (object == null) {
      throw new SigningException(
          "The key " + reference + " holds no PEM block.",
          "Give a PEM PKCS#8 EC private key or a cosign.key written by 'cosign generate-key-pair'.");
    }
    byte[] pkcs8;
    switch (object.getType()) {
      case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" ->
          pkcs8 = CosignKeyFile.decrypt(reference, object.getContent(), password);
      case "PRIVATE KEY" -> pkcs8 = object.getContent();
      case "EC PRIVATE KEY" -> {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
          PEMKeyPair pair = (PEMKeyPair) parser.readObject();
          pkcs8 = pair.getPrivateKeyInfo().getEncoded();
        } catch (IOException | ClassCastException e) {
          throw new SigningException("Cannot read the EC private key " + reference + ".", "Give a PEM EC private key.", e);
        }
      }
      default -> throw new SigningException(
          "The key " + reference + " is a '" + object.getType() + "', not a private key this plugin reads.",
          "Give a PEM PKCS#8 EC P-256 private key (BEGIN PRIVATE KEY) or an encrypted cosign.key; for KMS use awskms:///<key>.");
    }
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(PrivateKeyInfo.getInstance(pkcs8).getEncoded()));
      return new KeyFileSigner(reference, (ECPrivateKey) key);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new SigningException(
          "The key " + reference + " is not an EC private key: " + e.getMessage(), "Use an ECDSA P-256 key (cosign generate-key-pair).", e);
    }
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public String keyId() {
    return PublicKeys.fingerprint(publicKey);
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public byte[] sign(byte[] message) {
    SHA256Digest sha = new SHA256Digest();
    sha.update(message, 0, message.length);
    byte[] hash = new byte[32];
    sha.doFinal(hash, 0);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(hash);
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(rs[0]));
    v.add(new ASN1Integer(rs[1]));
    try {
      return new DERSequence(v).getEncoded("DER");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
