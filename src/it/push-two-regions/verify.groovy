import groovy.json.JsonSlurper
import java.security.MessageDigest

def image = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def push = new JsonSlurper().parse(new File(basedir, 'target/imagegate/push.json'))
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def env = System.getenv()
def password = env.IMAGEGATE_ECR_PASSWORD
assert password

assert push.schemaVersion == 1
assert push.digest == image.digest
assert push.tag == "sha-${head}".toString()
assert push.commit == head
assert push.pushedAt ==~ /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/
assert push.pushedBy ==~ /arn:aws:sts::123456789012:assumed-role\/imagegate-push\/.+/ : push.pushedBy
assert push.targets.size() == 2
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]
push.targets.each { t ->
  assert t.ecr == true
  assert t.registry == regions[t.region]
  assert t.repository == 'it/push-two-regions'
  assert t.reference == "${t.registry}/it/push-two-regions@${image.digest}".toString()
  assert t.tags == [push.tag]
  // a real peer checks it: skopeo reads the manifest from each "region" with the ECR token's credentials
  def raw = ['skopeo', 'inspect', '--raw', '--tls-verify=false', '--creds', "AWS:${password}".toString(),
             "docker://${t.registry}/it/push-two-regions:${push.tag}".toString()].execute()
  def bytes = raw.inputStream.bytes
  assert raw.waitFor() == 0 : raw.errorStream.text
  def sha = 'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
  assert sha == image.digest : "${t.region}: ${sha} != ${image.digest}"
}

def log = new File(basedir, 'build.log').text
assert log.contains("imagegate:push ${image.digest} to 2 target(s)")
assert log.contains('already there') : 're-push of the same digest must be a no-op'
assert log.contains('Refusing AWS credentials from AWS SDK default credential chain: they are long-lived IAM user keys (AKIA…)')
assert !log.contains('wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY') : 'the secret must not be logged'
assert !log.contains(password) : 'the ECR password must not be logged'
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
