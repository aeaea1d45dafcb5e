import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

def image = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def push = new JsonSlurper().parse(new File(basedir, 'target/imagegate/push.json'))
def sign = new JsonSlurper().parse(new File(basedir, 'target/imagegate/sign.json'))
def env = System.getenv()
def password = env.IMAGEGATE_ECR_PASSWORD
assert password
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]

// push recorded how it reached each region, so that sign and verify-signature reach it the same way
assert push.digest == image.digest
assert push.targets.size() == 2
push.targets.each { t ->
  assert t.ecr == true && t.auth == 'ecr' && t.account == '123456789012' : t
  assert t.registry == regions[t.region]
}

// sign signed in both regions with the KMS key
assert sign.digest == image.digest
assert sign.key.reference.contains('alias/imagegate-it-sign-two-regions') : sign.key
assert new File(basedir, 'kms-key-arn.txt').text.trim() ==~ /arn:aws:kms:us-east-1:123456789012:key\/.+/
def refs = sign.signatures*.reference as Set
assert refs == regions.values().collect { "${it}/it/sign-two-regions@${image.digest}".toString() } as Set : refs

// the REAL cosign verifies each region's signature with the public key from sign.json, through a Docker config
// holding the ECR password (as a user would after `aws ecr get-login-password | docker login`)
def work = new File(basedir, 'target/cosign-check')
work.mkdirs()
new File(work, 'key.pub').text = sign.key.publicKeyPem
def auth = "AWS:${password}".toString().bytes.encodeBase64().toString()
new File(work, 'docker').mkdirs()
new File(work, 'docker/config.json').text = JsonOutput.toJson([auths: regions.values().collectEntries { [(it): [auth: auth]] }])
def cosign = { String key, String ref ->
  def pb = new ProcessBuilder('cosign', 'verify', '--key', key, '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref)
      .directory(work).redirectErrorStream(true)
  pb.environment().put('DOCKER_CONFIG', new File(work, 'docker').absolutePath)
  def p = pb.start()
  def out = p.inputStream.text
  assert p.waitFor(120, TimeUnit.SECONDS) : "cosign verify ${ref} timed out"
  return [p.exitValue(), out]
}
refs.each { ref ->
  def (rc, out) = cosign(new File(work, 'key.pub').absolutePath, ref)
  assert rc == 0 : "cosign verify ${ref}: ${out}"
  assert out.contains(image.digest) : out
  def (wrongRc, wrongOut) = cosign(new File(basedir, 'wrong.pub').absolutePath, ref)
  assert wrongRc != 0 : "cosign verify with another key must fail for ${ref}: ${wrongOut}"
  assert wrongOut.toLowerCase().contains('no matching signatures') : wrongOut
}

def log = new File(basedir, 'build.log').text
assert log.contains("imagegate:push ${image.digest} to 2 target(s)")
assert log.contains("imagegate:sign ${image.digest} in 2 registries")
assert !log.contains('requires credentials') : 'sign and verify-signature must reach ECR targets with the ECR token'
// invoker goal 2: verify-signature with the KMS key, in both regions
regions.values().each { host ->
  assert log.contains("imagegate:verify-signature ${host}/it/sign-two-regions@${image.digest}: 1 valid signature(s)") : host
}
// invoker goal 3: another key fails
assert log =~ /No valid signature for \S+\/it\/sign-two-regions@${image.digest}/ : 'verify-signature with another key must fail'
assert !log.contains(password) : 'the ECR password must not be logged'
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
