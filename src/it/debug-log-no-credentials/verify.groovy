import groovy.json.JsonSlurper
import java.nio.charset.StandardCharsets

// Issue 14.8: under mvn -X no credential reaches build.log or any file under target/.
def env = System.getenv()
def json = new JsonSlurper()
def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')

// --- the pipeline really ran, with -X, and used every credential
assert log.contains('[DEBUG]') : 'the invocations must run with -X (invoker.debug)'
// .mvn/jvm.config holds maven-filtering at info (setup.groovy): the goals see it and do not warn
assert !log.contains('mvn -X: maven-resources-plugin ran before')
def image = json.parse(new File(out, 'image.json'))
def push = json.parse(new File(out, 'push.json'))
def sign = json.parse(new File(out, 'sign.json'))
def audit = json.parse(new File(out, 'audit.json'))
def gitops = json.parse(new File(out, 'gitops.json'))
assert new File(out, 'scan.json').isFile()
assert push.digest == image.digest && push.targets.size() == 2 : push
assert sign.digest == image.digest && sign.signatures.size() == 2 : sign
assert audit.digest == image.digest : audit
assert gitops.tag == image.tag : gitops
assert gitops.repository.startsWith('ssh://') : 'invocation 2 (gitops-update over SSH) wrote the last gitops.json'
assert log.contains('imagegate:gitops-update ') && log.contains('nothing to commit') : 'the SSH run reached the repository'

// --- every credential value used
def secrets = [:]
secrets['registry password (settings.xml servers registry-east, registry-west)'] = env.IMAGEGATE_ECR_PASSWORD
secrets['cosign key password (COSIGN_PASSWORD)'] = 'it cosign password 14.8'
secrets['web identity (OIDC) token'] = new File(basedir, 'web-identity.jwt').text.trim()
secrets['git password (settings.xml server gitops-http)'] = env.IMAGEGATE_GIT_PASSWORD
secrets['SSH key passphrase (IMAGEGATE_GITOPS_SSH_PASSPHRASE)'] = 'it ssh passphrase 14.8'
// the STS sessions moto issued during this run (AssumeRoleWithWebIdentity for the story's role), read from moto itself
def before = new File(basedir, 'sts-before.txt').readLines() as Set
def state = json.parse(new URL(env.IMAGEGATE_MOTO_URL + '/moto-api/data.json'))
def sessions = (state.sts?.AssumedRole ?: []).findAll {
  !(it.access_key_id in before) && it.role_arn == 'arn:aws:iam::123456789012:role/imagegate-ci'
}
assert sessions : 'moto issued no STS session for the story: the web identity token was not exchanged'
sessions.eachWithIndex { s, i ->
  secrets["STS access key id #${i}".toString()] = s.access_key_id
  secrets["STS secret access key #${i}".toString()] = s.secret_access_key
  secrets["STS session token #${i}".toString()] = s.session_token
}
secrets.each { name, value -> assert value && value.length() >= 16 : "${name} is missing or too short to search for" }
// a password also travels as an HTTP Basic authorization header
secrets['registry Authorization: Basic'] = "AWS:${env.IMAGEGATE_ECR_PASSWORD}".toString().bytes.encodeBase64().toString()
secrets['git Authorization: Basic'] = "${env.IMAGEGATE_GIT_USER}:${env.IMAGEGATE_GIT_PASSWORD}".toString().bytes.encodeBase64().toString()

// --- where each one was found (streamed: target/ holds the image archive)
def needles = secrets.collectEntries { k, v -> [k, v.getBytes(StandardCharsets.UTF_8)] }
int overlap = needles.values()*.length.max()
def findIn = { File f ->
  def found = [] as Set
  f.withInputStream { input ->
    byte[] buf = new byte[1 << 20]
    String tail = ''
    int n
    while ((n = input.read(buf)) > 0) {
      String window = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1)
      needles.each { k, v -> if (window.contains(new String(v, StandardCharsets.ISO_8859_1))) found << k }
      tail = window.length() > overlap ? window.substring(window.length() - overlap) : window
    }
  }
  return found
}
def leaks = []
findIn(new File(basedir, 'build.log')).each { leaks << "build.log: ${it}" }
int files = 0
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { f ->
  files++
  findIn(f).each { leaks << "${basedir.toPath().relativize(f.toPath())}: ${it}" }
}
assert files > 5 : "target/ holds only ${files} files"
assert leaks.isEmpty() : "credentials leaked under mvn -X:\n  " + leaks.join('\n  ')
println "debug-log-no-credentials: ${secrets.size()} credential forms, ${sessions.size()} STS session(s), build.log and ${files} files under target/: none found"
return true
