package dev.imagegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class KyvernoPolicyTest {
  private static final String PEM =
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexample0000000000000000000000000000\n"
          + "0000000000000000000000000000000000000000000000000000000000==\n-----END PUBLIC KEY-----\n";

  @SuppressWarnings("unchecked")
  private static Map<String, Object> verifyImages(String yaml) {
    Map<String, Object> policy = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
    assertEquals("kyverno.io/v1", policy.get("apiVersion"));
    assertEquals("ClusterPolicy", policy.get("kind"));
    Map<String, Object> spec = (Map<String, Object>) policy.get("spec");
    Map<String, Object> rule = ((List<Map<String, Object>>) spec.get("rules")).get(0);
    return ((List<Map<String, Object>>) rule.get("verifyImages")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> keys(Map<String, Object> attestorHolder) {
    Map<String, Object> attestor = ((List<Map<String, Object>>) attestorHolder.get("attestors")).get(0);
    Map<String, Object> entry = ((List<Map<String, Object>>) attestor.get("entries")).get(0);
    return (Map<String, Object>) entry.get("keys");
  }

  @SuppressWarnings("unchecked")
  private static void assertOffline(Map<String, Object> keys) {
    assertEquals(Boolean.TRUE, ((Map<String, Object>) keys.get("rekor")).get("ignoreTlog"));
    assertEquals(Boolean.TRUE, ((Map<String, Object>) keys.get("ctlog")).get("ignoreSCT"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aKmsKeyWithTheSbomAttestationInTwoEcrRegions() {
    String kms = "awskms:///arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    String yaml =
        KyvernoPolicy.render(
            "verify-signed-images",
            List.of("123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp", "123456789012.dkr.ecr.us-west-2.amazonaws.com/myapp"),
            kms,
            PEM,
            true);
    Map<String, Object> vi = verifyImages(yaml);
    List<String> refs = (List<String>) vi.get("imageReferences");
    assertEquals(2, refs.size());
    assertTrue(refs.get(0).startsWith("123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp"), refs.toString());
    assertEquals(Boolean.TRUE, vi.get("verifyDigest"));
    assertEquals(Boolean.TRUE, vi.get("required"));
    assertEquals(List.of("amazon"), ((Map<String, Object>) vi.get("imageRegistryCredentials")).get("providers"));
    Map<String, Object> keys = keys(vi);
    assertEquals(kms, keys.get("kms"));
    assertFalse(keys.containsKey("publicKeys"));
    assertOffline(keys);
    Map<String, Object> attestation = ((List<Map<String, Object>>) vi.get("attestations")).get(0);
    assertEquals("https://cyclonedx.org/bom", attestation.get("type"));
    Map<String, Object> attestationKeys = keys(attestation);
    assertEquals(kms, attestationKeys.get("kms"));
    assertOffline(attestationKeys);
  }

  @Test
  void thePolicySaysWhichKyvernoItNeeds() {
    // rule-level failureAction came with Kyverno 1.13 (kyverno#10893); 1.12 rejects the policy
    String yaml = KyvernoPolicy.render("p", List.of("127.0.0.1:5001/myapp"), null, PEM, false);
    assertTrue(yaml.lines().limit(3).anyMatch(l -> l.startsWith("# Needs Kyverno 1.13.0 or later")), yaml);
    assertEquals("Enforce", verifyImages(yaml).get("failureAction"));
  }

  @Test
  void aPublicKeyIsEmbeddedAsABlockScalarThatReadsBackExactly() {
    String yaml = KyvernoPolicy.render("p", List.of("127.0.0.1:5001/myapp"), null, PEM, true);
    Map<String, Object> vi = verifyImages(yaml);
    assertEquals(PEM.strip(), keys(vi).get("publicKeys"));
    assertFalse(vi.containsKey("imageRegistryCredentials"));
    assertOffline(keys(vi));
  }

  @Test
  void withoutTheSbomThereIsNoAttestationRule() {
    Map<String, Object> vi = verifyImages(KyvernoPolicy.render("p", List.of("127.0.0.1:5001/myapp"), null, PEM, false));
    assertFalse(vi.containsKey("attestations"));
  }
}
