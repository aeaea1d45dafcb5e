package dev.imagegate.maven;

/**
 * One registry repository to push to ({@code <targets><target>…</target></targets>} in the plugin configuration).
 */
public class PushTarget {
  /**
   * The registry host, e.g. {@code 123456789012.dkr.ecr.us-west-2.amazonaws.com} or {@code registry.example.com:5000}.
   * For ECR its account and region are the repository's identity for the ECR API.
   */
  String registry;

  /** The repository, e.g. {@code myapp} or {@code team/myapp}; defaults to the image name from image.json. */
  String repository;

  /** The AWS region (ECR); defaults to the region in an ECR host name. */
  String region;

  /**
   * Where credentials come from: {@code ecr} (GetAuthorizationToken), {@code settings} (settings.xml server),
   * {@code docker} (Docker config and credential helpers), {@code anonymous}, or {@code auto} (default: ECR for
   * {@code *.dkr.ecr.*.amazonaws.com}, else settings.xml, then Docker config, then anonymous).
   */
  String auth;

  /** The settings.xml server id holding the credentials; defaults to the registry host. */
  String serverId;

  /**
   * The host actually spoken to, when it differs from {@code registry} (a pull-through proxy, a VPC endpoint alias,
   * or in tests a local registry standing in for an ECR region). push.json names this host.
   */
  String endpoint;

  public PushTarget() {}

  PushTarget(String registry, String repository, String region, String auth, String serverId, String endpoint) {
    this.registry = registry;
    this.repository = repository;
    this.region = region;
    this.auth = auth;
    this.serverId = serverId;
    this.endpoint = endpoint;
  }

  @Override
  public String toString() {
    return registry + "/" + repository + (endpoint == null ? "" : " via " + endpoint);
  }
}
