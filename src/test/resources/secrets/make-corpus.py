#!/usr/bin/env python3
"""Writes the secrets test corpus: made-up secrets of every type (random, in the right shape: none is real) and
false-positive traps. Run once; the output is committed. Deterministic (fixed seed).

Also writes corpus/.secrets.baseline in the format of Yelp detect-secrets 1.5.0 (json.dumps(indent=2), keys and
ordering of detect_secrets/core/baseline.py and secrets_collection.py), hashing with hashlib.sha1 the same strings
detect-secrets hashes. detect-secrets itself is not packaged by Debian and PyPI is unreachable here, so this script
stands in for `detect-secrets scan > .secrets.baseline`."""
import base64, hashlib, json, os, random, string

rnd = random.Random(20260301)
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
def r(chars, n): return "".join(rnd.choice(chars) for _ in range(n))
def b64url(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "corpus")
expected = []  # (path, line, type, secret)

def write(rel, lines, secrets=()):
    """secrets: list of (line index 1-based, type, secret string as detect-secrets hashes it)"""
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write("\n".join(lines) + "\n")
    for line, typ, secret in secrets:
        assert secret in lines[line - 1] or typ == "Private Key", (rel, line, secret)
        expected.append((rel, line, typ, secret))

# ---------- secrets ----------
aws_id = "AKIA" + r(string.ascii_uppercase + "234567", 16)
aws_secret = r(B64, 40)
while not (any(c.isupper() for c in aws_secret) and any(c.islower() for c in aws_secret) and any(c.isdigit() for c in aws_secret)):
    aws_secret = r(B64, 40)
asia = "ASIA" + r(string.ascii_uppercase + "234567", 16)
write("secrets/aws/credentials", [
    "[default]",
    "aws_access_key_id = " + aws_id,
    "aws_secret_access_key = " + aws_secret,
    "region = eu-west-1",
], [(2, "AWS Access Key", aws_id), (3, "AWS Access Key", aws_secret)])
write("secrets/aws/Deploy.java", [
    "package deploy;",
    "",
    "class Deploy {",
    "  // the documented example id from the AWS docs",
    '  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";',
    '  static final String SESSION_KEY_ID = "' + asia + '";',
    "}",
], [(5, "AWS Access Key", "AKIAIOSFODNN7EXAMPLE"), (6, "AWS Access Key", asia)])

def pem(kind, lines=12):
    return ["-----BEGIN %s-----" % kind] + [r(B64, 64) for _ in range(lines)] + [r(B64, 20) + "==", "-----END %s-----" % kind]
write("secrets/keys/id_rsa", pem("RSA PRIVATE KEY"), [(1, "Private Key", "BEGIN RSA PRIVATE KEY")])
write("secrets/keys/id_ed25519", ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", r(B64, 70), r(B64, 70), r(B64, 30), "-----END OPENSSH PRIVATE KEY-----"], [(1, "Private Key", "BEGIN OPENSSH PRIVATE KEY")])
write("secrets/keys/server.pem", ["# tls key for the staging ingress"] + pem("PRIVATE KEY", 6), [(2, "Private Key", "BEGIN PRIVATE KEY")])
write("secrets/keys/legacy-ec.pem", ["-----BEGIN EC PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC," + r("0123456789ABCDEF", 32), "", r(B64, 64), r(B64, 64), "-----END EC PRIVATE KEY-----"], [(1, "Private Key", "BEGIN EC PRIVATE KEY")])
ec_json = "-----BEGIN EC PRIVATE KEY-----\\n" + r(B64, 64) + "\\n" + r(B64, 40) + "\\n-----END EC PRIVATE KEY-----\\n"
write("secrets/keys/service-account.json", ["{", '  "type": "service_account",', '  "key": "' + ec_json + '",', '  "client_email": "ci@builder.iam.example.net"', "}"], [(3, "Private Key", "BEGIN EC PRIVATE KEY")])
write("secrets/keys/deploy.ppk", ["PuTTY-User-Key-File-2: ssh-rsa", "Encryption: none", "Comment: deploy", "Public-Lines: 2", r(B64, 64), r(B64, 20), "Private-Lines: 2", r(B64, 64), r(B64, 20), "Private-MAC: " + r("0123456789abcdef", 40)], [(1, "Private Key", "PuTTY-User-Key-File-2")])

gh = {p: p + "_" + r(ALNUM, 36) for p in ["ghp", "gho", "ghu", "ghs", "ghr"]}
pat = "github_pat_" + r(ALNUM, 22) + "_" + r(ALNUM, 59)
write("secrets/github/.env", ["GITHUB_TOKEN=" + gh["ghp"], "OAUTH=" + gh["gho"], "# app tokens", "USER_TO_SERVER=" + gh["ghu"], "SERVER_TO_SERVER=" + gh["ghs"], "REFRESH=" + gh["ghr"], "FINE_GRAINED=" + pat],
      [(1, "GitHub Token", gh["ghp"]), (2, "GitHub Token", gh["gho"]), (4, "GitHub Token", gh["ghu"]), (5, "GitHub Token", gh["ghs"]), (6, "GitHub Token", gh["ghr"]), (7, "GitHub Token", pat)])
write("secrets/github/workflow.yml", ["jobs:", "  release:", "    steps:", "      - run: gh release create v1", "        env:", "          GH_TOKEN: " + gh["ghp"][:4] + r(ALNUM, 36)], [])
expected.append(("secrets/github/workflow.yml", 6, "GitHub Token", open(os.path.join(root, "secrets/github/workflow.yml")).read().split("GH_TOKEN: ")[1].strip()))

slack_bot = "xoxb-%s-%s-%s" % (r(string.digits, 12), r(string.digits, 13), r(string.ascii_lowercase + string.digits, 24))
hook = "https://hooks.slack.com/services/T%s/B%s/%s" % (r(string.ascii_uppercase + string.digits, 8), r(string.ascii_uppercase + string.digits, 10), r(ALNUM, 24))
write("secrets/slack/notify.py", ["import requests", "", "SLACK_BOT = '" + slack_bot + "'", "WEBHOOK = \"" + hook + "\"", "", "def notify(text):", "    requests.post(WEBHOOK, json={'text': text})"],
      [(3, "Slack Token", slack_bot), (4, "Slack Token", hook)])
stripe_sk = "sk_live_" + r(ALNUM, 24)
stripe_rk = "rk_live_" + r(ALNUM, 24)
write("secrets/stripe/billing.js", ["const Stripe = require('stripe');", "const stripe = Stripe('" + stripe_sk + "');", "const reports = Stripe(\"" + stripe_rk + "\");"],
      [(2, "Stripe Access Key", stripe_sk), (3, "Stripe Access Key", stripe_rk)])

header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
payload = b64url(json.dumps({"sub": "svc-orders", "iat": 1767225600, "scope": "orders:write"}).encode())
sig = b64url(bytes(rnd.getrandbits(8) for _ in range(32)))
jwt = header + "." + payload + "." + sig
write("secrets/jwt/client.ts", ["export const client = new ApiClient({", "  baseUrl: 'https://orders.internal',", "  bearer: '" + jwt + "',", "});"],
      [(3, "JSON Web Token", header + "." + payload + ".")])

db_pass = r(ALNUM, 14)
write("secrets/urls/application.yml", ["spring:", "  datasource:", "    url: jdbc:postgresql://db.internal:5432/orders", "  rabbitmq:", "    addresses: amqp://orders:" + db_pass + "@mq.internal:5672/orders"],
      [(5, "Basic Auth Credentials", db_pass)])
git_pass = r(ALNUM, 20)
write("secrets/urls/settings.gradle", ["dependencyResolutionManagement {", "  repositories {", "    maven { url 'https://deployer:" + git_pass + "@nexus.internal/repository/releases' }", "  }", "}"],
      [(3, "Basic Auth Credentials", git_pass)])

hexsecret = r("0123456789abcdef", 40)
b64secret = r(B64, 44)
pw = "Vt8#mQ2!pLx9&r"
write("secrets/keyword/app.properties", ["app.name=orders", "db.password=" + pw, "webhook.signing.secret=" + hexsecret, "crypto.api_key=" + b64secret],
      [(2, "Secret Keyword", pw), (3, "Hex High Entropy String", hexsecret), (4, "Base64 High Entropy String", b64secret)])
java_secret = r(ALNUM, 32)
write("secrets/keyword/Client.java", ["package orders;", "", "final class Client {", '  private static final String API_KEY = "' + java_secret + '";', "}"],
      [(4, "Base64 High Entropy String", java_secret)])
xml_pw = "q7R!x2Kp9@Lm"
write("secrets/keyword/settings.xml", ["<settings>", "  <servers>", "    <server>", "      <id>releases</id>", "      <username>deployer</username>", "      <password>" + xml_pw + "</password>", "    </server>", "  </servers>", "</settings>"],
      [(6, "Secret Keyword", xml_pw)])
yaml_token = r("0123456789abcdef", 64)
write("secrets/keyword/values.yaml", ["replicaCount: 2", "auth:", "  client_secret: \"" + yaml_token + "\""], [(3, "Hex High Entropy String", yaml_token)])

# allowlisted: present, but carrying the pragma, so not reported
write("secrets/allowlisted/config.py", ["DB_PASSWORD = 'Zq9!mW3#kT7$'  # pragma: allowlist secret", "# pragma: allowlist nextline secret", "SIGNING_KEY = 'AKIA" + r(string.ascii_uppercase, 16) + "'", "other_token = '" + r("0123456789abcdef", 32) + "'  // pragma: whitelist secret"], [])

# ---------- traps ----------
T = lambda rel, lines: write("traps/" + rel, lines)
integ = lambda: "sha512-" + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(64))).decode()
T("package-lock.json", ["{", '  "name": "web",', '  "lockfileVersion": 3,', '  "packages": {', '    "node_modules/js-tokens": {', '      "version": "4.0.0",', '      "resolved": "https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz",', '      "integrity": "' + integ() + '"', "    },", '    "node_modules/secret-handshake": {', '      "version": "1.1.20",', '      "integrity": "' + integ() + '"', "    }", "  }", "}"])
T("yarn.lock", ['"@types/jsonwebtoken@^9.0.0":', '  version "9.0.6"', '  resolved "https://registry.yarnpkg.com/@types/jsonwebtoken/-/jsonwebtoken-9.0.6.tgz#' + r("0123456789abcdef", 40) + '"', "  integrity " + integ()])
T("go.sum", ["golang.org/x/crypto v0.21.0 h1:" + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(32))).decode(), "golang.org/x/oauth2 v0.18.0/go.mod h1:" + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(32))).decode()])
T("uuids.yaml", ["tenant_id: 123e4567-e89b-42d3-a456-556642440000", "client_secret_id: \"9b2c6f1e-7d4a-4c3b-8e2f-1a5d6c7b8e9f\"", "api_key_ref = 'f47ac10b-58cc-4372-a567-0e02b2c3d479'", "token: 0f8fad5b-d9cb-469f-a165-70867728950e"])
T("git-shas.md", ["# Changelog", "", "- 3f786850e387550fdab836ed7e6dc881de23001b fix the token refresh", "- commit e83c5163316f89bfbde7d9ab23ca2e25604af290: rotate secrets monthly", "BASE_COMMIT=a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "image: registry.internal/orders@sha256:" + r("0123456789abcdef", 64)])
T("fixtures/LoginTest.java", ["class LoginTest {", "  @Test void rejectsWrongPassword() {", '    String password = "test";', '    login("alice", "password");', '    when(config.getPassword()).thenReturn("password123");', '    assertEquals("secret", vault.read("db").secret());', '    String token = "dummy-token";', '    var apiKey = "your-api-key-here";', "  }", "}"])
T("placeholders.env", ["API_KEY=your-api-key-here", "DB_PASSWORD=changeme", "SECRET_KEY=${SECRET_KEY}", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX", "AWS_SECRET_ACCESS_KEY=<your-secret-access-key>", "STRIPE_KEY=sk_test_" + r(ALNUM, 24), "PASSWORD=********", "SLACK_TOKEN=xoxb-your-token", "TOKEN_TTL=3600", "password_hash=$2b$12$" + r(ALNUM + "./", 53)])
T("application.properties", ["spring.datasource.password=${DB_PASSWORD}", "spring.datasource.url=jdbc:postgresql://db:5432/app?user=app&password=${DB_PASS}", "app.secret.name=orders-db-secret", "app.token.header=X-Auth-Token", "management.endpoint.env.keys-to-sanitize=password,secret,token", "jwt.secret.file=/etc/orders/jwt.key", "server.ssl.key-store-password=${KEYSTORE_PASSWORD:}"])
T("deployment.yaml", ["env:", "  - name: DB_PASSWORD", "    valueFrom:", "      secretKeyRef:", "        name: orders-db", "        key: password", "  - name: API_TOKEN", "    value: {{ .Values.apiToken | quote }}", "  - name: AWS_SECRET_ACCESS_KEY", "    value: ${{ secrets.AWS_SECRET_ACCESS_KEY }}"])
T("Config.java", ["class Config {", '  static final String PASSWORD_PROPERTY = "orders.db.password";', '  static final String TOKEN_HEADER = "Authorization";', "  String password = System.getenv(\"DB_PASSWORD\");", "  String secret = props.getProperty(\"secret\");", "  char[] pwd = console.readPassword();", "  boolean ok = token.equals(expectedToken);", '  String privateKeyPath = "/etc/ssl/private/server.key";', "}"])
T("keys.md", ["A key file starts with a line like this:", "", "    -----BEGIN RSA PRIVATE KEY-----", "    ...", "    -----END RSA PRIVATE KEY-----", "", "-----BEGIN PUBLIC KEY-----"] + [r(B64, 64) for _ in range(3)] + ["-----END PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----"] + [r(B64, 64) for _ in range(3)] + ["-----END CERTIFICATE-----"])
T("urls.txt", ["git clone git@github.com:orders/orders.git", "https://user:${GIT_TOKEN}@github.com/orders/orders.git", "postgres://<user>:<password>@localhost/orders", "https://maven.example.org/repo?q=a:b@c", "http://localhost:8080/path:with@sign", "https://deploy:password@nexus.internal", "see http://[::1]:8080/ and mailto:ops@example.org"])
T("jwt-like.txt", ["the header eyJhbGciOiJIUzI1NiJ9 alone is no token", "eyJub3QganNvbiBhdCBhbGw.eyJhbHNvIG5vdA.abc"])
T("numbers.yaml", ["token_ttl_seconds: 86400", "secret_version: 3", "password_min_length: 12", "api_key_rotation_days: 90", "checksum: " + r("0123456789abcdef", 64), "sequence_token = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef'", "test_secret = '0123456789abcdef0123456789abcdef'"])
T("data-uri.css", [".logo { background: url(data:image/png;base64," + base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(90))).decode() + "); }"])

with open(os.path.join(here, "expected.tsv"), "w") as f:
    f.write("# path\tline\ttype (written by make-corpus.py; every secret under corpus/secrets, nothing under corpus/traps)\n")
    for rel, line, typ, _ in expected:
        f.write("%s\t%d\t%s\n" % (rel, line, typ))

# A detect-secrets 1.5.0 baseline that accepts the secrets of secrets/aws/ and secrets/slack/ (and nothing else).
results = {}
for rel, line, typ, secret in expected:
    if rel.startswith("secrets/aws/") or rel.startswith("secrets/slack/"):
        results.setdefault(rel, []).append({"type": typ, "filename": rel, "hashed_secret": hashlib.sha1(secret.encode("utf-8")).hexdigest(), "is_verified": False, "line_number": line})
for rel in results:
    results[rel].sort(key=lambda x: (x["line_number"], x["hashed_secret"], x["type"]))
results["secrets/aws/credentials"][0]["is_secret"] = False
baseline = {
    "version": "1.5.0",
    "plugins_used": [{"name": n} for n in ["ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector"]] + [{"name": "Base64HighEntropyString", "limit": 4.5}, {"name": "BasicAuthDetector"}, {"name": "CloudantDetector"}, {"name": "DiscordBotTokenDetector"}, {"name": "GitHubTokenDetector"}, {"name": "GitLabTokenDetector"}, {"name": "HexHighEntropyString", "limit": 3.0}, {"name": "IbmCloudIamDetector"}, {"name": "IbmCosHmacDetector"}, {"name": "IPPublicDetector"}, {"name": "JwtTokenDetector"}, {"name": "KeywordDetector", "keyword_exclude": ""}, {"name": "MailchimpDetector"}, {"name": "NpmDetector"}, {"name": "OpenAIDetector"}, {"name": "PrivateKeyDetector"}, {"name": "PypiTokenDetector"}, {"name": "SendGridDetector"}, {"name": "SlackDetector"}, {"name": "SoftlayerDetector"}, {"name": "SquareOAuthDetector"}, {"name": "StripeDetector"}, {"name": "TelegramBotTokenDetector"}, {"name": "TwilioKeyDetector"}],
    "filters_used": [{"path": "detect_secrets.filters.allowlist.is_line_allowlisted"}, {"path": "detect_secrets.filters.common.is_ignored_due_to_verification_policies", "min_level": 2}, {"path": "detect_secrets.filters.heuristic.is_indirect_reference"}, {"path": "detect_secrets.filters.heuristic.is_likely_id_string"}, {"path": "detect_secrets.filters.heuristic.is_lock_file"}, {"path": "detect_secrets.filters.heuristic.is_not_alphanumeric_string"}, {"path": "detect_secrets.filters.heuristic.is_potential_uuid"}, {"path": "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign"}, {"path": "detect_secrets.filters.heuristic.is_sequential_string"}, {"path": "detect_secrets.filters.heuristic.is_swagger_file"}, {"path": "detect_secrets.filters.heuristic.is_templated_secret"}],
    "results": {k: results[k] for k in sorted(results)},
    "generated_at": "2026-03-01T12:00:00Z",
}
with open(os.path.join(root, ".secrets.baseline"), "w") as f:
    f.write(json.dumps(baseline, indent=2) + "\n")
print(len(expected), "secrets written")
