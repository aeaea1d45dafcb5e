package dev.imagegate.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegate.DaemonThreads;
import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.oci.Digests;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Signs one digest in every repository it was pushed to, in cosign's tag-based format: a simple-signing layer in
 * {@code sha256-<hex>.sig} and one DSSE attestation layer per predicate in {@code sha256-<hex>.att}.
 *
 * <p>Every registry round trip that does not depend on another runs in parallel, in phases: read every existing
 * {@code .sig}/{@code .att} manifest and build the in-toto statements (nothing here needs the key, so a key file
 * still being decrypted by {@link PendingSigner} is decrypted meanwhile); make (and check against the public key)
 * every new signature; only then upload every blob of every repository; and last every manifest. A layer already
 * there that verifies with this key for the same payload is kept and not signed again, so a re-run adds nothing; an
 * attestation already there with the same predicate type, subject and content ({@link PredicateContent}: timestamps
 * of the run aside) counts as there.
 */
public final class ImageSigner {
  private final Signer signer;
  private final Reporter reporter;

  public ImageSigner(Signer signer, Reporter reporter) {
    this.signer = signer;
    this.reporter = reporter;
  }

  /** A predicate to attest. */
  public record Attestation(String predicateType, JsonNode predicate) {}

  /** What was written in one repository. */
  public record Result(
      String reference,
      String signatureTag,
      String signatureManifestDigest,
      boolean signatureAdded,
      Optional<String> attestationTag,
      Optional<String> attestationManifestDigest,
      List<String> predicateTypes,
      int attestationsAdded) {}

  private record Plan(
      SignatureStore store,
      CosignManifest sig,
      boolean sigChanged,
      byte[] payload,
      CosignManifest att,
      int attAdded,
      List<byte[]> envelopes) {

    /** The blobs the new manifests need: the .sig's payload and config if it changed, the new envelopes and the .att's config. */
    List<byte[]> newBlobs() {
      List<byte[]> out = new ArrayList<>();
      if (sigChanged) {
        out.add(payload);
        out.add(sig.configBytes());
      }
      if (attAdded > 0) {
        out.addAll(envelopes);
        out.add(att.configBytes());
      }
      return out;
    }
  }

  /** What phase 1 read (and built) for one repository. */
  private record Existing(CosignManifest sig, CosignManifest att, List<byte[]> statements) {}

  public List<Result> sign(String digest, List<SignatureStore> stores, Map<String, String> annotations, List<Attestation> attestations)
      throws ImagegateException {
    String sigTag = CosignManifest.signatureTag(digest);
    String attTag = CosignManifest.attestationTag(digest);
    // one thread per concurrent task: 2 reads + the statements, then 2 + attestations + 1 blob uploads, per repository
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(16, (3 + attestations.size()) * stores.size())), DaemonThreads.named("imagegate-sign"));
    try {
      // 1. read what is there, in every repository at once (the key may still be loading meanwhile)
      List<Future<CosignManifest>> sigReads = new ArrayList<>();
      List<Future<CosignManifest>> attReads = new ArrayList<>();
      List<Future<List<byte[]>>> statementBuilds = new ArrayList<>();
      // each predicate is serialized once, however many repositories attest it (an SBOM is most of its statement);
      // submitted first, so the statement builds that wait for them never wait for a free thread
      List<Future<byte[]>> predicates = new ArrayList<>();
      for (Attestation a : attestations) {
        predicates.add(pool.submit(() -> Json.bytes(a.predicate())));
      }
      for (SignatureStore store : stores) {
        sigReads.add(pool.submit(() -> existing(store, sigTag)));
        attReads.add(attestations.isEmpty() ? CompletableFuture.completedFuture(CosignManifest.empty()) : pool.submit(() -> existing(store, attTag)));
        statementBuilds.add(pool.submit(() -> {
          List<byte[]> statements = new ArrayList<>();
          for (int i = 0; i < attestations.size(); i++) {
            statements.add(InTotoStatement.create(attestations.get(i).predicateType(), store.name(), digest, predicates.get(i).get()));
          }
          return statements;
        }));
      }
      List<Existing> existing = new ArrayList<>();
      for (int i = 0; i < stores.size(); i++) {
        existing.add(new Existing(await(sigReads.get(i)), await(attReads.get(i)), await(statementBuilds.get(i))));
      }
      // 2. sign (and check every signature against the public key); nothing has been written yet
      signer.ready();
      List<Future<Plan>> planning = new ArrayList<>();
      for (int i = 0; i < stores.size(); i++) {
        SignatureStore store = stores.get(i);
        Existing e = existing.get(i);
        planning.add(pool.submit(() -> plan(store, digest, annotations, attestations, e)));
      }
      List<Plan> plans = new ArrayList<>();
      for (Future<Plan> f : planning) {
        plans.add(await(f));
      }
      // 3. every blob of every repository, then 4. every manifest (a manifest only after its blobs). The blobs are
      // uploaded without a HEAD first: the envelopes hold fresh signatures, the others are a few hundred bytes that a
      // registry takes again without harm (one round trip less per blob; all blobs of all repositories at once)
      List<Future<?>> blobs = new ArrayList<>();
      for (Plan plan : plans) {
        for (byte[] blob : plan.newBlobs()) {
          blobs.add(pool.submit(() -> {
            plan.store().uploadBlob(blob);
            return null;
          }));
        }
      }
      for (Future<?> f : blobs) {
        await(f);
      }
      List<Future<String>> sigWrites = new ArrayList<>();
      List<Future<Optional<String>>> attWrites = new ArrayList<>();
      for (Plan plan : plans) {
        sigWrites.add(pool.submit(() -> writeSignature(plan, digest, sigTag)));
        attWrites.add(pool.submit(() -> writeAttestations(plan, digest, attTag, attestations)));
      }
      List<Result> results = new ArrayList<>();
      for (int i = 0; i < plans.size(); i++) {
        Plan plan = plans.get(i);
        String sigDigest = await(sigWrites.get(i));
        Optional<String> attDigest = await(attWrites.get(i));
        results.add(new Result(
            plan.store().name() + "@" + digest, sigTag, sigDigest, plan.sigChanged(),
            attestations.isEmpty() ? Optional.empty() : Optional.of(attTag), attDigest,
            attestations.stream().map(Attestation::predicateType).toList(), plan.attAdded()));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private Plan plan(SignatureStore store, String digest, Map<String, String> annotations, List<Attestation> attestations, Existing existing)
      throws ImagegateException {
    byte[] payload = SimpleSigningPayload.create(store.name(), digest, annotations);
    CosignManifest sig = existing.sig();
    boolean sigChanged = false;
    if (!hasValidSignature(store, sig, payload)) {
      String b64 = Base64.getEncoder().encodeToString(signer.signVerified(payload));
      CosignManifest.Layer layer = CosignManifest.Layer.signature(payload, b64);
      if (!sig.contains(layer)) {
        sig = sig.append(layer);
        sigChanged = true;
      }
    }
    CosignManifest att = existing.att();
    List<byte[]> envelopes = new ArrayList<>();
    int added = 0;
    for (int i = 0; i < attestations.size(); i++) {
      Attestation a = attestations.get(i);
      byte[] statement = existing.statements().get(i);
      if (hasValidAttestation(store, att, a.predicateType(), statement)) {
        continue;
      }
      byte[] sigBytes = signer.signVerified(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement));
      byte[] envelope = Dsse.envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, sigBytes);
      envelopes.add(envelope);
      att = att.append(CosignManifest.Layer.attestation(envelope, a.predicateType()));
      added++;
    }
    return new Plan(store, sig, sigChanged, payload, att, added, envelopes);
  }

  /** PUTs the .sig manifest (its blobs are uploaded). */
  private String writeSignature(Plan plan, String digest, String sigTag) throws ImagegateException {
    SignatureStore store = plan.store();
    if (!plan.sigChanged()) {
      reporter.info("Already signed with this key: " + store.name() + "@" + digest);
      return Digests.sha256(plan.sig().manifestBytes());
    }
    String sigDigest = store.putManifest(sigTag, plan.sig().manifestBytes(), CosignManifest.MANIFEST_MEDIA_TYPE);
    reporter.info("Signed " + store.name() + "@" + digest + " -> " + sigTag + " (" + plan.sig().layers().size() + " signature(s))");
    return sigDigest;
  }

  /** PUTs the .att manifest (its blobs are uploaded). */
  private Optional<String> writeAttestations(Plan plan, String digest, String attTag, List<Attestation> attestations) throws ImagegateException {
    if (attestations.isEmpty()) {
      return Optional.empty();
    }
    if (plan.attAdded() == 0) {
      return Optional.of(Digests.sha256(plan.att().manifestBytes()));
    }
    SignatureStore store = plan.store();
    String attDigest = store.putManifest(attTag, plan.att().manifestBytes(), CosignManifest.MANIFEST_MEDIA_TYPE);
    reporter.info("Attested " + store.name() + "@" + digest + " -> " + attTag + " (+" + plan.attAdded() + ")");
    return Optional.of(attDigest);
  }

  private static <T> T await(Future<T> f) throws ImagegateException {
    return BackgroundResult.of(f, ImagegateException.class, "Signing was interrupted.");
  }

  private static CosignManifest existing(SignatureStore store, String tag) throws ImagegateException {
    Optional<byte[]> bytes = store.manifest(tag);
    if (bytes.isEmpty()) {
      return CosignManifest.empty();
    }
    try {
      return CosignManifest.parse(bytes.get());
    } catch (IOException e) {
      throw new SigningException(
          store.name() + ":" + tag + " is not a cosign signature manifest: " + e.getMessage(),
          "Inspect it (skopeo inspect --raw docker://" + store.name() + ":" + tag + ") and delete it if it is not a signature.", e);
    }
  }

  private boolean hasValidSignature(SignatureStore store, CosignManifest sig, byte[] payload) throws ImagegateException {
    String digest = Digests.sha256(payload);
    for (CosignManifest.Layer layer : sig.layers()) {
      if (layer.digest().equals(digest) && verifies(payload, layer.signature())) {
        return true;
      }
    }
    return false;
  }

  private boolean hasValidAttestation(SignatureStore store, CosignManifest att, String predicateType, byte[] statement)
      throws ImagegateException {
    for (CosignManifest.Layer layer : att.layers()) {
      if (!predicateType.equals(layer.annotations().get(CosignManifest.PREDICATE_TYPE_ANNOTATION))) {
        continue;
      }
      try {
        Dsse.Envelope env = Dsse.parse(store.blob(layer.digest()));
        // the same claim for this digest (predicate type, subject, content), whatever its timestamps: not attested again
        if (Arrays.equals(env.payload(), statement) || PredicateContent.same(Json.parse(env.payload()), Json.parse(statement))) {
          byte[] pae = Dsse.pae(env.payloadType(), env.payload());
          for (byte[] s : env.signatures()) {
            if (PublicKeys.verify(signer.publicKey(), pae, s)) {
              return true;
            }
          }
        }
      } catch (IOException e) {
        reporter.warn("Ignoring an unreadable attestation layer " + layer.digest() + " in " + store.name() + ": " + e.getMessage());
      }
    }
    return false;
  }

  private boolean verifies(byte[] payload, String base64Signature) {
    try {
      return PublicKeys.verify(signer.publicKey(), payload, Base64.getDecoder().decode(base64Signature));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
