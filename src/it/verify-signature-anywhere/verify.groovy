import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

def push = new JsonSlurper().parse(new File(basedir, 'target/imagegate/push.json'))
def registry = System.getenv('IMAGEGATE_REGISTRY')
def signedRef = "${registry}/it/verify-signature-anywhere@${push.digest}".toString()
def unsignedRef = "${registry}/it/verify-signature-anywhere-unsigned@${new File(basedir, 'target/unsigned.digest').text.trim()}".toString()
def log = new File(basedir, 'build.log').text

// in the project: goal 2 verified with the public key although the plugin configuration holds the private signingKey
assert log.contains("imagegate:verify-signature ${signedRef}: ") : 'verify-signature in the project did not verify'
assert !log.contains('ENCRYPTED') && !log.contains('Cannot read the PEM public key') : 'verify-signature read the signing key'
// goal 3: a private key as the verification key is refused with that said
assert log.contains('target/keys/key.pem is a private key') : 'a private key given as the public key must be named as such'

// outside a project: an empty folder, the plugin by its coordinates, the repository the invoker builds use
def coordinates = new File(basedir, 'pom.xml').text =~ /<artifactId>imagegate-maven-plugin<\/artifactId>\s*<version>([^<]+)<\/version>/
assert coordinates.find() : 'the plugin version in the cloned pom'
def version = coordinates.group(1)
def empty = new File(basedir, 'target/no-project')
empty.deleteDir()
empty.mkdirs()
new File(empty, 'cosign.pub').bytes = new File(basedir, 'target/keys/key.pub').bytes
new File(empty, 'other.pub').bytes = new File(basedir, 'target/keys/wrong.pub').bytes
// the invoker's settings (src/it/settings.xml: the developer's local repository as the remote one), filled in as the invoker does
def settings = new File(basedir, 'target/no-project-settings.xml')
settings.text = new File(projectRoot, 'src/it/settings.xml').text.replace('@localRepositoryUrl@',
    new File(System.getProperty('maven.repo.local') ?: "${System.getProperty('user.home')}/.m2/repository").toURI().toString())
def verify = { String name, List<String> props ->
  def cmd = ['mvn', '-B', '-ntp', '-o', '-Dmaven.repo.local=' + new File(projectRoot, 'target/local-repo').path,
             "dev.imagegate:imagegate-maven-plugin:${version}:verify-signature".toString(), '-Dimagegate.allowInsecureRegistries=true'] + props
  cmd += ['-s', settings.path]
  def p = new ProcessBuilder(cmd).directory(empty).redirectErrorStream(true).start()
  def out = p.inputStream.text
  assert p.waitFor(300, TimeUnit.SECONDS) : "${name}: mvn did not end"
  new File(basedir, "target/no-project-${name}.log").text = out
  assert !new File(empty, 'pom.xml').exists()
  assert !out.contains('Skipping imagegate:verify-signature') : "${name}: verify-signature must verify or fail, never skip:\n${out}"
  return [p.exitValue(), out]
}

def (rc, out) = verify('signed', ['-Dimagegate.verify.key=cosign.pub', "-Dimagegate.verify.images=${signedRef}".toString()])
assert rc == 0 : "the signed digest must pass:\n${out}"
assert out.contains("imagegate:verify-signature ${signedRef}: ") && out =~ /: [1-9]\d* valid signature\(s\)/ : out

(rc, out) = verify('unsigned', ['-Dimagegate.verify.key=cosign.pub', "-Dimagegate.verify.images=${unsignedRef}".toString()])
assert rc != 0 : "an unsigned digest must fail:\n${out}"
assert out.contains("No valid signature for ${unsignedRef}") : out

(rc, out) = verify('wrong-key', ['-Dimagegate.verify.key=other.pub', "-Dimagegate.verify.images=${signedRef}".toString()])
assert rc != 0 : "another key must fail:\n${out}"
assert out.contains("No valid signature for ${signedRef}") && out.contains('INVALID') : out

(rc, out) = verify('nothing', ['-Dimagegate.verify.key=cosign.pub'])
assert rc != 0 : "with no image and no push.json nothing is verified, which must fail:\n${out}"
assert out.contains('push.json') : out
return true
