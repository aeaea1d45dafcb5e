import groovy.json.JsonSlurper

def run = new File(basedir, 'run.txt').text.trim()
def repository = "it/push-checks-later-goals-${run}".toString()
def log = new File(basedir, 'build.log').text

// both problems, in one failure, before anything was uploaded
assert log.contains('Nothing was pushed: the later goals of this build would fail, 2 problems found before the first upload:') : log
assert log.contains('1. imagegate:sign: KMS key awskms:///alias/imagegate-it-push-checks-encrypt-only') : log
assert log.contains('and usage ENCRYPT_DECRYPT') : log
assert log.contains("2. imagegate:audit: The audit bucket it-missing-${run} does not exist") : log
assert log.contains('aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY') : log
assert log.contains('imagegate.push.checkLaterGoals=false') : 'the opt-out is named'
assert !log.contains('imagegate:push sha256:') : 'push must not report a push'
assert !log.contains('blobs uploaded') : 'no blob may have been uploaded'
assert !new File(basedir, 'target/imagegate/push.json').exists()

// the registry has neither the repository nor a tag (docker-registry answers NAME_UNKNOWN)
def c = new URL("http://${System.getenv('IMAGEGATE_REGISTRY')}/v2/${repository}/tags/list").openConnection()
assert c.responseCode == 404 : "tags of ${repository}: HTTP ${c.responseCode}"
def body = new JsonSlurper().parse(c.errorStream)
assert body.errors[0].code == 'NAME_UNKNOWN' : body
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
