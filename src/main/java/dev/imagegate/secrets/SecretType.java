package dev.imagegate.secrets;

/**
 * The kinds of secret the scanner reports. {@link #label()} is the {@code type} string Yelp detect-secrets writes into
 * a {@code .secrets.baseline}, so baselines are shared with it; {@link #plugin()} is the detect-secrets plugin that
 * finds the same thing (written to {@code plugins_used}).
 */
public enum SecretType {
  AWS_ACCESS_KEY("AWS Access Key", "AWSKeyDetector"),
  PRIVATE_KEY("Private Key", "PrivateKeyDetector"),
  GITHUB_TOKEN("GitHub Token", "GitHubTokenDetector"),
  SLACK_TOKEN("Slack Token", "SlackDetector"),
  STRIPE_KEY("Stripe Access Key", "StripeDetector"),
  JWT("JSON Web Token", "JwtTokenDetector"),
  BASIC_AUTH("Basic Auth Credentials", "BasicAuthDetector"),
  SECRET_KEYWORD("Secret Keyword", "KeywordDetector"),
  BASE64_HIGH_ENTROPY("Base64 High Entropy String", "Base64HighEntropyString"),
  HEX_HIGH_ENTROPY("Hex High Entropy String", "HexHighEntropyString");

  private final String label;
  private final String plugin;

  SecretType(String label, String plugin) {
    this.label = label;
    this.plugin = plugin;
  }

  /** The detect-secrets {@code type} string, e.g. {@code AWS Access Key}. */
  public String label() {
    return label;
  }

  /** The detect-secrets plugin name, e.g. {@code AWSKeyDetector}. */
  public String plugin() {
    return plugin;
  }
}
