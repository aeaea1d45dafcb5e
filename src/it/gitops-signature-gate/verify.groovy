import groovy.json.JsonSlurper

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def push = new JsonSlurper().parse(new File(basedir, 'target/imagegate/push.json'))
def sign = new JsonSlurper().parse(new File(basedir, 'target/imagegate/sign.json'))
def result = new JsonSlurper().parse(new File(basedir, 'target/imagegate/gitops.json'))
def ref = "${System.getenv('IMAGEGATE_REGISTRY')}/it/gitops-signature-gate@${push.digest}"
def log = new File(basedir, 'build.log').text

// run 1: pushed, not signed, no key configured and no sign.json: refused before anything was fetched, saying how to
// configure a key or opt out
def signed = log.indexOf('imagegate:sign ')
assert signed > 0 : 'run 2 did not sign'
def run1 = log.substring(0, signed)
assert run1.contains("imagegate:push ${push.digest}") : 'run 1 did not push'
assert run1.contains("Refusing to write ${push.digest} into the GitOps repository: there is no key to check its signature with") : 'run 1 must be refused'
assert run1.contains('imagegate.gitops.allowUnsigned=true') && run1.contains('imagegate.gitops.verifyKey') : 'the refusal must say how to configure or opt out'
assert !run1.contains('imagegate:gitops-update http') : 'nothing may be pushed to the GitOps repository by run 1'

// run 2: signed with the pair's private key; the gate passes and the tag lands, as the only commit after the seed
assert sign.digest == push.digest
def keyFile = new File(basedir, 'target/keys/key.pem').path
assert log.contains("imagegate:gitops-update: checking signatures with the key sign used") : 'the gate must use the key from sign.json'
assert log.contains("imagegate:gitops-update: ${push.digest} is signed with key ${keyFile}") : 'the gate must check with the key sign used'
assert sign.key.reference == keyFile
def check = new File(basedir, 'target/gitops-check')
check.deleteDir()
sh(basedir, ['git', 'clone', '-q', new File(basedir, 'target/gitops-auth-url').text.trim(), check.path])
assert sh(check, ['git', 'rev-list', '--count', 'HEAD']).trim() == '2'
assert sh(check, ['git', 'rev-parse', 'HEAD']).trim() == result.commit
assert result.changed == true && result.digest == push.digest && result.tag == push.tag
def values = new File(check, 'apps/gitops-signature-gate/values-dev.yaml').text
assert values.contains("  tag: ${push.tag}  # set by CI")
assert values.contains("  repository: ${System.getenv('IMAGEGATE_REGISTRY')}/it/gitops-signature-gate\n")
assert !log.contains(System.getenv('IMAGEGATE_GIT_PASSWORD'))
return true
