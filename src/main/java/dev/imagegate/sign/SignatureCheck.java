package dev.imagegate.sign;

import dev.imagegate.ImagegateException;
import dev.imagegate.Reporter;
import dev.imagegate.aws.RegistryAuth;
import dev.imagegate.registry.RegistryClient;
import dev.imagegate.registry.RegistryOptions;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work of {@code verify-signature}, shared with the signature gate of {@code gitops-update}: load the public key
 * (a PEM file or a KMS key), and check every image by digest in its registry, reached the way push reached it
 * ({@link RegistryAuth}: an ECR token in the target's region for ECR targets). Every image is checked (one failing
 * does not hide the others); {@link Outcome#requireAll()} then fails naming each image that has no valid signature.
 */
public final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * @param key the public key to check against
   * @param references images by digest ({@code registry/repository@sha256:…}) with the target each is reached through
   * @param predicateType empty: signatures only; else also a valid attestation of this predicate type
   */
  public record Request(
      PublicKey key,
      Map<String, PushedImage.Target> references,
      Optional<String> predicateType,
      RegistryAuth registryAuth,
      RegistryOptions registryOptions) {
    public Request {
      references = Collections.unmodifiableMap(new LinkedHashMap<>(references));
    }
  }

  /** One image that did not pass, and why. */
  public record Failure(String reference, ImagegateException cause) {}

  /** What was checked: the images that passed (with what was found) and those that did not. */
  public record Outcome(PublicKey key, List<SignatureVerifier.Report> verified, List<Failure> failed) {
    public Outcome {
      verified = List.copyOf(verified);
      failed = List.copyOf(failed);
    }

    /** @throws SigningException naming every image without a valid signature (with what was found there instead) */
    public Outcome requireAll() throws SigningException {
      if (failed.isEmpty() && verified.isEmpty()) {
        throw new SigningException(
            "No image was given to verify: nothing was checked.",
            "Name the images by digest (imagegate.verify.images=<registry>/<repository>@sha256:…) or run where push.json lists them.");
      }
      if (failed.isEmpty()) {
        return this;
      }
      String message =
          failed.size() == 1
              ? failed.get(0).cause().getMessage()
              : failed.size() + " of " + (failed.size() + verified.size()) + " images fail verification:" + System.lineSeparator()
                  + String.join(System.lineSeparator(), failed.stream().map(f -> f.cause().getMessage()).toList());
      throw new SigningException(message, failed.get(0).cause().suggestion(), failed.get(0).cause());
    }
  }

  /**
   * The public key a reference names: an AWS KMS key ({@code awskms:///…}, ARN, alias, key id: its public key is
   * fetched with GetPublicKey) or a PEM public key file (relative paths against {@code baseDir}).
   */
  public static PublicKey publicKey(String key, Path baseDir, Optional<String> kmsRegion, Optional<URI> kmsEndpoint, Signers.Access access)
      throws ImagegateException {
    if (key == null || key.isBlank()) {
      throw new SigningException(
          "No verification key.",
          "Set verify-signature's publicKey (imagegate.verify.key) to a PEM public key file (cosign.pub) or an AWS KMS key"
              + " (awskms:///alias/<name>).");
    }
    String k = key.trim();
    if (KmsKeyReference.isKms(k)) {
      try (KmsSigner kms = KmsSigner.open(k, kmsRegion, access.awsCredentials(), kmsEndpoint)) {
        return kms.publicKey();
      }
    }
    return PublicKeys.read(baseDir.resolve(k));
  }

  /** Every copy push.json lists, as {@code registry/repository@digest} with the target push reached it through. */
  public static Map<String, PushedImage.Target> references(PushedImage pushed) {
    Map<String, PushedImage.Target> refs = new LinkedHashMap<>();
    pushed.targets().forEach(t -> refs.put(t.reference(pushed.digest()), t));
    return refs;
  }

  /**
   * Checks every image; failures are collected in the outcome, not thrown (see {@link Outcome#requireAll()}). The
   * images are checked at the same time (each in its own registry, with its own credentials: for two regions the ECR
   * token, the registry's token and the reads of one overlap those of the other; at most {@link #PARALLEL} at once); the
   * outcome lists them in the order of the request either way.
   */
  public static Outcome verify(Request request, Reporter reporter) {
    SignatureVerifier verifier = new SignatureVerifier(request.key());
    return verifyAll(request.key(), request.references(), (reference, target) -> {
      String digest = reference.substring(reference.indexOf('@') + 1);
      RegistryAuth.Resolved r = request.registryAuth().resolve(target.registryTarget());
      RegistryClient client = new RegistryClient(r.host(), r.repository(), r.credentials(), request.registryOptions(), reporter);
      return verifier.verify(new RegistrySignatureStore(client), digest, request.predicateType());
    });
  }

  /** The check of one image in its registry. */
  @FunctionalInterface
  interface ImageCheck {
    /** @throws ImagegateException when the image has no valid signature or cannot be checked */
    SignatureVerifier.Report check(String reference, PushedImage.Target target) throws ImagegateException;
  }

  /** At most this many images are checked at once (verify-signature may be given many). */
  static final int PARALLEL = 8;

  /**
   * Runs {@code check} for every reference, up to {@link #PARALLEL} at once, and waits for all of them: every image is
   * checked, and every one that does not pass is a failure of the outcome (nothing is skipped, nothing passes by
   * default).
   */
  static Outcome verifyAll(PublicKey key, Map<String, PushedImage.Target> references, ImageCheck check) {
    List<Map.Entry<String, PushedImage.Target>> entries = List.copyOf(references.entrySet());
    List<Checked> results = new ArrayList<>();
    if (entries.size() == 1) {
      results.add(checkOne(entries.get(0), check));
    } else if (!entries.isEmpty()) {
      AtomicInteger n = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, entries.size()), r -> {
        Thread t = new Thread(r, "imagegate-verify-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<Checked>> futures = new ArrayList<>();
        for (Map.Entry<String, PushedImage.Target> e : entries) {
          futures.add(pool.submit(() -> checkOne(e, check)));
        }
        for (int i = 0; i < entries.size(); i++) {
          results.add(result(entries.get(i).getKey(), futures.get(i)));
        }
      } finally {
        pool.shutdownNow();
      }
    }
    List<SignatureVerifier.Report> verified = new ArrayList<>();
    List<Failure> failed = new ArrayList<>();
    for (Checked c : results) {
      if (c.report() != null) {
        verified.add(c.report());
      } else {
        failed.add(c.failure());
      }
    }
    return new Outcome(key, verified, failed);
  }

  /** One image's check: its report, or its failure (exactly one of them). */
  private record Checked(SignatureVerifier.Report report, Failure failure) {
    static Checked failed(String reference, SigningException cause) {
      return new Checked(null, new Failure(reference, cause));
    }
  }

  /** The check's result; a check that ended without one (interrupted, an Error) was not checked, so it failed. */
  private static Checked result(String reference, Future<Checked> f) {
    String stopped;
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = "interrupted";
    } catch (ExecutionException e) {
      stopped = String.valueOf(e.getCause());
    }
    return Checked.failed(reference, new SigningException(
        "Cannot check the signatures of " + reference + ": the check ended without a result (" + stopped + ").",
        "Run the goal again (with -X for details)."));
  }

  private static Checked checkOne(Map.Entry<String, PushedImage.Target> e, ImageCheck check) {
    String reference = e.getKey();
    try {
      return new Checked(check.check(reference, e.getValue()), null);
    } catch (SigningException ex) {
      return Checked.failed(reference, ex);
    } catch (ImagegateException ex) {
      return Checked.failed(reference, new SigningException(
          "Cannot check the signatures of " + reference + ": " + ex.getMessage(), ex.suggestion(), ex));
    } catch (IllegalStateException ex) {
      // credential providers wrap their failures (e.g. an undecryptable settings.xml password) in IllegalStateException
      return Checked.failed(reference, new SigningException(
          "Cannot check the signatures of " + reference + ": " + ex.getMessage(),
          "Check the registry credentials (settings.xml servers, Docker config, AWS access for ECR).", ex));
    } catch (RuntimeException ex) {
      return Checked.failed(reference, new SigningException(
          "Cannot check the signatures of " + reference + ": " + ex, "Run the goal again (with -X for details).", ex));
    }
  }

}
