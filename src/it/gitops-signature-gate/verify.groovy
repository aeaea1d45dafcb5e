import groovy.json.JsonSlurper

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def push = new JsonSlurper().parse(new File(basedir, 'target/imagegate/push.json'))
def sign = new JsonSlurper().parse(new File(basedir, 'target/imagegate/sign.json'))
def result = new JsonSlurper().parse(new File(basedir, 'target/imagegate/gitops.json'))
def ref = "${System.getenv('IMAGEGATE_REGISTRY')}/it/gitops-signature-gate@${push.digest}"
def log = new File(basedir, 'build.log').text

// run 1: pushed, not signed: refused before anything was fetched, naming the copy and what was found there
def signed = log.indexOf('imagegate:sign ')
assert signed > 0 : 'run 2 did not sign'
def run1 = log.substring(0, signed)
assert run1.contains("imagegate:push ${push.digest}") : 'run 1 did not push'
assert run1.contains("Refusing to write ${push.tag} (${push.digest}) into the GitOps repository") : 'the unsigned digest must be refused'
assert run1.contains("No valid signature for ${ref}") : 'the refusal must name the pushed copy'
// the first run on a fresh registry finds no signature; a later run finds the signature of an earlier run's key
assert run1.contains("no ${push.digest.replace(':', '-')}.sig") || run1.contains('INVALID (not made by this key') : 'the refusal must say what was found'
assert run1.contains('key target/keys/key.pub') : 'the refusal must name the key'
assert !run1.contains('imagegate:gitops-update http') : 'nothing may be pushed to the GitOps repository by run 1'

// run 2: signed with the pair's private key; the gate passes and the tag lands, as the only commit after the seed
assert sign.digest == push.digest
assert log.contains("imagegate:gitops-update: ${push.digest} is signed with key target/keys/key.pub")
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
