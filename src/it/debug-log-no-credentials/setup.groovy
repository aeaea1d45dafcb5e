import java.security.SecureRandom
import java.util.concurrent.TimeUnit

// What a deploy with every kind of credential needs. The inputs that hold a credential by design are written OUTSIDE
// target/ (verify.groovy greps every file under target/): debug-log-settings.xml (registry and git passwords),
// web-identity.jwt (the OIDC token), cosign.key (encrypted with COSIGN_PASSWORD; the password is not in it).
// target/deploy_key is the peers' client key re-encrypted with the SSH passphrase (the passphrase is not in it).
def env = System.getenv()
['IMAGEGATE_MOTO_URL', 'IMAGEGATE_GIT_URL', 'IMAGEGATE_GIT_USER', 'IMAGEGATE_GIT_PASSWORD', 'IMAGEGATE_ECR_PASSWORD',
 'IMAGEGATE_REGISTRY_US_EAST_1', 'IMAGEGATE_REGISTRY_US_WEST_2', 'IMAGEGATE_GIT_SSH_ROOT', 'IMAGEGATE_GIT_SSH_KEY'].each {
  assert env[it] : "${it} is not set: eval \"\$(scripts/peers env)\""
}
def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def run = { File dir, List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def out = p.inputStream.text
  if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("${cmd[0]} failed: ${out}")
  return out.trim()
}

def sha = evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
new File(basedir, '.git/info/exclude').append('cosign.key\ncosign.pub\nweb-identity.jwt\ndebug-log-settings.xml\nbucket.txt\nsts-before.txt\n.mvn/\n')

// settings.xml: the invoker's own (the local repository profile) plus the servers of this story
def servers = """  <servers>
    <server><id>registry-east</id><username>AWS</username><password>${env.IMAGEGATE_ECR_PASSWORD}</password></server>
    <server><id>registry-west</id><username>AWS</username><password>${env.IMAGEGATE_ECR_PASSWORD}</password></server>
    <server><id>gitops-http</id><username>${env.IMAGEGATE_GIT_USER}</username><password>${env.IMAGEGATE_GIT_PASSWORD}</password></server>
    <server><id>gitops-ssh</id></server>
  </servers>
"""
def settings = new File(projectRoot, 'src/it/settings.xml').text
assert settings.contains('<profiles>')
new File(basedir, 'debug-log-settings.xml').text = settings.replace('<profiles>', servers.trim() + '\n  <profiles>')

// the web identity token: a JWT shaped like GitHub's, its signature part random per run (moto does not check it)
def random = new byte[32]
new SecureRandom().nextBytes(random)
new File(basedir, 'web-identity.jwt').text =
    'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOmV4YW1wbGUvbXlhcHA6cmVmOnJlZnMvaGVhZHMvbWFpbiJ9.' +
    random.encodeBase64Url().toString() + '\n'

// the signing key, encrypted (cosign generate-key-pair with the password the build gets in COSIGN_PASSWORD)
new File(basedir, 'cosign.key').delete()
new File(basedir, 'cosign.pub').delete()
run(basedir, ['cosign', 'generate-key-pair'], ['COSIGN_PASSWORD': 'it cosign password 14.8'])
assert new File(basedir, 'cosign.key').text.contains('ENCRYPTED')

// the audit bucket (fresh per run), and the STS sessions moto already holds (verify.groovy takes the ones this run added)
def bucket = 'it-debug-log-' + UUID.randomUUID().toString().substring(0, 8)
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-DitBucket=${bucket}\n"
new File(basedir, 'bucket.txt').text = bucket
// what the plugin's -X warning asks for: maven-resources-plugin runs before any imagegate goal and, under -X, logs every
// environment variable (COSIGN_PASSWORD, IMAGEGATE_GITOPS_SSH_PASSPHRASE here)
new File(basedir, '.mvn/jvm.config').text = '-Dorg.slf4j.simpleLogger.log.org.apache.maven.shared.filtering=info\n'
run(basedir, ['python3', '-c', '''
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="it-admin", aws_secret_access_key="it-admin")
s3.create_bucket(Bucket=sys.argv[2])
''', env.IMAGEGATE_MOTO_URL, bucket], ['AWS_SESSION_TOKEN': '', 'AWS_ENDPOINT_URL': env.IMAGEGATE_MOTO_URL])
def state = new groovy.json.JsonSlurper().parse(new URL(env.IMAGEGATE_MOTO_URL + '/moto-api/data.json'))
new File(basedir, 'sts-before.txt').text = (state.sts?.AssumedRole ?: []).collect { it.access_key_id }.join('\n')

// the GitOps repository (served over HTTP and SSH), reset to one seed commit with a values file
sh(new File(projectRoot), [new File(projectRoot, 'scripts/peers').path, 'git-repo', 'it-debug-log-no-credentials'])
def bare = new File(env.IMAGEGATE_GIT_SSH_ROOT, 'it-debug-log-no-credentials.git')
def seed = new File(basedir, 'gitops-seed')
seed.deleteDir()
new File(seed, 'apps/debug-log-no-credentials').mkdirs()
new File(seed, 'apps/debug-log-no-credentials/values-dev.yaml').text = '''image:
  repository: registry.example.com/debug-log-no-credentials
  tag: sha-0000000000000000000000000000000000000000
'''
def git = ['git', '-c', 'user.name=seed', '-c', 'user.email=seed@imagegate.dev', '-c', 'commit.gpgsign=false']
sh(seed, ['git', 'init', '-q', '-b', 'main'])
sh(seed, git + ['add', '-A'])
sh(seed, git + ['commit', '-q', '-m', 'seed'])
// test fixture only: start every run from the same seed (the plugin itself never forces)
sh(seed, ['git', 'push', '-q', '--force', bare.path, 'main'])
new File(basedir, '.git/info/exclude').append('gitops-seed/\n')

// the deploy key: the peers' client key, re-encrypted with the passphrase the build gets in IMAGEGATE_GITOPS_SSH_PASSPHRASE
def key = new File(basedir, 'target/deploy_key')
key.parentFile.mkdirs()
key.delete()
key.bytes = new File(env.IMAGEGATE_GIT_SSH_KEY).bytes
sh(basedir, ['chmod', '600', key.path])
sh(basedir, ['ssh-keygen', '-q', '-p', '-P', '', '-N', 'it ssh passphrase 14.8', '-f', key.path])
return true
