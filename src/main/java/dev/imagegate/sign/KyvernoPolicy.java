package dev.imagegate.sign;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Kyverno ClusterPolicy that admits only images signed by this key, offline: {@code rekor.ignoreTlog} and
 * {@code ctlog.ignoreSCT} both set (ignoreTlog alone still fetches CT keys, kyverno#8858). It needs Kyverno
 * {@value #MINIMUM_KYVERNO} or later: the rule-level {@code failureAction} of {@code verifyImages} came with 1.13
 * (kyverno#10893); 1.12 rejects the policy.
 */
public final class KyvernoPolicy {
  public static final String FILE_NAME = "kyverno-policy.yaml";
  /** The oldest Kyverno that accepts the policy (rule-level {@code failureAction}). */
  public static final String MINIMUM_KYVERNO = "1.13.0";

  private KyvernoPolicy() {}

  /**
   * @param imageNames {@code registry/repository} of every copy; each becomes an {@code imageReferences} pattern
   * @param kmsReference the key's {@code awskms:///arn:aws:kms:<region>:<account>:key/<id>} (never an alias, which a
   *     cluster resolves in its own region), or null to embed the public key PEM
   */
  public static String render(String name, List<String> imageNames, String kmsReference, String publicKeyPem, boolean withSbom) {
    Set<String> refs = new LinkedHashSet<>();
    for (String n : imageNames) {
      refs.add(n + "*");
    }
    StringBuilder y = new StringBuilder();
    y.append("# Written by imagegate:sign. Admits only images signed by the key below (cosign tag-based signatures, no Rekor).\n");
    y.append("# Needs Kyverno ").append(MINIMUM_KYVERNO).append(" or later (the rule-level failureAction; Kyverno 1.12 rejects this policy).\n");
    y.append("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: ").append(name).append('\n');
    y.append("spec:\n  webhookConfiguration:\n    failurePolicy: Fail\n    timeoutSeconds: 30\n  rules:\n");
    y.append("  - name: verify-signature\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n");
    y.append("    verifyImages:\n    - imageReferences:\n");
    for (String r : refs) {
      y.append("      - \"").append(r).append("\"\n");
    }
    y.append("      failureAction: Enforce\n      mutateDigest: true\n      verifyDigest: true\n      required: true\n");
    if (imageNames.stream().anyMatch(n -> n.contains(".dkr.ecr."))) {
      y.append("      imageRegistryCredentials:\n        providers: [\"amazon\"]\n");
    }
    y.append("      attestors:\n      - count: 1\n        entries:\n        - keys:\n");
    appendKey(y, "            ", kmsReference, publicKeyPem);
    if (withSbom) {
      y.append("      attestations:\n      - type: https://cyclonedx.org/bom\n        attestors:\n        - count: 1\n          entries:\n          - keys:\n");
      appendKey(y, "              ", kmsReference, publicKeyPem);
    }
    return y.toString();
  }

  /**
   * One attestor entry's key, at the given indentation: the KMS reference or the PEM, with the transparency log and
   * the certificate transparency check both off (a key without Rekor; Kyverno needs both set to work offline).
   */
  private static void appendKey(StringBuilder y, String indent, String kmsReference, String publicKeyPem) {
    if (kmsReference != null) {
      y.append(indent).append("kms: \"").append(kmsReference).append("\"\n");
    } else {
      y.append(indent).append("publicKeys: |-\n");
      for (String line : publicKeyPem.strip().split("\r?\n")) {
        y.append(indent).append("  ").append(line).append('\n');
      }
    }
    y.append(indent).append("rekor:\n").append(indent).append("  url: https://rekor.sigstore.dev\n")
        .append(indent).append("  ignoreTlog: true\n");
    y.append(indent).append("ctlog:\n").append(indent).append("  ignoreSCT: true\n");
  }
}
