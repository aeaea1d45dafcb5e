package dev.imagegate.sign;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/**
 * The key-file cases that need Bouncy Castle, apart from {@link KeyFileSigner} so that a cosign key never loads it:
 * a SEC1 {@code EC PRIVATE KEY} PEM, and a PKCS#8 key that does not carry its public key.
 */
final class BcKeys {
  private BcKeys() {}

  /** A SEC1 {@code EC PRIVATE KEY} PEM as PKCS#8 DER. */
  static byte[] sec1ToPkcs8(String reference, String pem) throws SigningException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      PEMKeyPair pair = (PEMKeyPair) parser.readObject();
      return pair.getPrivateKeyInfo().getEncoded();
    } catch (IOException | ClassCastException e) {
      throw new SigningException("Cannot read the EC private key " + reference + ".", "Give a PEM EC private key.", e);
    }
  }

  /** Q = d·G on P-256. */
  static PublicKey derivePublic(ECPrivateKey key) throws GeneralSecurityException {
    X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(p256.getG(), key.getS()).normalize();
    BigInteger x = q.getAffineXCoord().toBigInteger();
    BigInteger y = q.getAffineYCoord().toBigInteger();
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), key.getParams()));
  }
}
