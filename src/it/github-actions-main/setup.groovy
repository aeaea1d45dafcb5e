import java.util.concurrent.TimeUnit

// What exists before the workflow runs: the repository at a commit on main, the AWS account prepared once by an
// administrator (the audit bucket with object lock; the role is only a name to moto), a signing key, the GitOps
// repository with its values files, and the pull-request change.
def sha = evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
def env = System.getenv()
['IMAGEGATE_MOTO_URL', 'IMAGEGATE_GIT_URL', 'IMAGEGATE_GIT_USER', 'IMAGEGATE_GIT_PASSWORD', 'IMAGEGATE_PEERS_DIR',
 'IMAGEGATE_OIDC_URL', 'IMAGEGATE_OIDC_REQUEST_TOKEN', 'IMAGEGATE_OIDC_LOG'].each {
  assert env[it] : "${it} is not set: eval \"\$(scripts/peers env)\" (scripts/peers start runs the OIDC endpoint)"
}

// the OIDC endpoint answers (a peers set started before it existed lacks it: scripts/peers oidc starts it)
def probe = (HttpURLConnection) new URL(env.IMAGEGATE_OIDC_URL).openConnection()
probe.connectTimeout = 3000
probe.readTimeout = 3000
def probeCode = -1
try { probeCode = probe.responseCode } catch (IOException e) { probeCode = -1 }
assert probeCode == 401 : "the OIDC token endpoint ${env.IMAGEGATE_OIDC_URL} does not answer (got ${probeCode}): run scripts/peers oidc"

def run = { File dir, List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def out = p.inputStream.text
  if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
    throw new IllegalStateException("${cmd.join(' ')} failed: ${out}")
  }
  return out.trim()
}
def git = { File dir, String... args ->
  run(dir, ['git', '-c', 'user.name=imagegate-it', '-c', 'user.email=it@imagegate.dev', '-c', 'commit.gpgsign=false'] + args.toList())
}
// files made here are not part of the commit (they would make the tree dirty if tracked)
new File(basedir, '.git/info/exclude').append('cosign.key\ncosign.pub\npr-change/\noidc-log-start.txt\nstep-summary.md\n')

// the signing key (cosign generate-key-pair, as a team without KMS would)
run(basedir, ['cosign', 'generate-key-pair'], ['COSIGN_PASSWORD': 'it-cosign-password'])
assert new File(basedir, 'cosign.key').isFile() && new File(basedir, 'cosign.pub').isFile()

// the audit bucket with object lock (what docs/aws-setup does with the AWS CLI)
def moto = env.IMAGEGATE_MOTO_URL
assert moto.startsWith('http://127.0.0.1:')
run(basedir, ['python3', '-c', '''
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="it-admin", aws_secret_access_key="it-admin")
b = "imagegate-it-github-actions-main"
if b not in [x["Name"] for x in s3.list_buckets().get("Buckets", [])]:
    s3.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
for page in s3.get_paginator("list_object_versions").paginate(Bucket=b):
    for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
        s3.delete_object(Bucket=b, Key=v["Key"], VersionId=v["VersionId"], BypassGovernanceRetention=True)
''', moto], ['AWS_SESSION_TOKEN': '', 'AWS_ENDPOINT_URL': moto])

// the GitOps repository: a fresh bare repository on the local git server, seeded with two values files
def bare = new File(env.IMAGEGATE_PEERS_DIR, 'git/gitops-github-actions-main.git')
if (bare.exists()) bare.deleteDir()
run(new File(projectRoot), ['scripts/peers', 'git-repo', 'gitops-github-actions-main'])
def seed = new File(basedir, 'target/gitops-seed')
seed.mkdirs()
git(seed, 'init', '-q', '-b', 'main')
new File(seed, 'apps/myapp').mkdirs()
['dev', 'staging'].each { e ->
  new File(seed, "apps/myapp/values-${e}.yaml").text = """# myapp in ${e}
replicaCount: 2
image:
  repository: registry.example.com/myapp   # written by imagegate
  tag: sha-0000000000000000000000000000000000000000
  pullPolicy: IfNotPresent
sidecar:
  tag: "1.2.3"   # another tag: never touched
"""
}
git(seed, 'add', '-A')
git(seed, 'commit', '-q', '-m', 'seed')
git(seed, 'push', '-q', bare.absolutePath, 'main')

// the pull-request change: a clone of main on a branch that adds log4j-core 2.14.1 (CVE-2021-44228, CRITICAL)
def pr = new File(basedir, 'pr-change')
run(basedir, ['git', 'clone', '-q', basedir.absolutePath, pr.absolutePath])
git(pr, 'checkout', '-q', '-b', 'feature/logging')
def pom = new File(pr, 'pom.xml')
pom.text = pom.text.replace('<!-- the pull-request change adds log4j-core 2.14.1 here (setup.groovy) -->',
    '<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.14.1</version></dependency>')
assert pom.text.contains('<version>2.14.1</version>')
new File(pr, '.gitignore').text = 'target/\nbuild.log\ncosign.key\ncosign.pub\nstep-summary.md\n'
git(pr, 'commit', '-q', '-am', 'Add log4j for structured logging')

// where the OIDC endpoint's request log stands now: verify.groovy reads only what this run adds
def oidcLog = new File(env.IMAGEGATE_OIDC_LOG)
new File(basedir, 'oidc-log-start.txt').text = (oidcLog.exists() ? oidcLog.readLines().size() : 0).toString()
return true
