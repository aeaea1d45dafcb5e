import groovy.json.JsonSlurper

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def image = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def result = new JsonSlurper().parse(new File(basedir, 'target/imagegate/gitops.json'))
def tag = image.tag
assert tag ==~ /sha-[0-9a-f]{40}/

// read back from the bare repository itself (git, not JGit)
def bare = new File(System.getenv('IMAGEGATE_GIT_SSH_ROOT'), 'it-gitops-update-ssh.git').path
def head = sh(basedir, ['git', '--git-dir', bare, 'rev-parse', 'main']).trim()
assert sh(basedir, ['git', '--git-dir', bare, 'rev-list', '--count', 'main']).trim() == '2'
def old = 'sha-0000000000000000000000000000000000000000'
def before = new File(basedir, 'values-dev.yaml').getText('UTF-8')
def after = sh(basedir, ['git', '--git-dir', bare, 'show', 'main:apps/gitops-update-ssh/values-dev.yaml'])
assert after == before.replaceFirst("tag: ${old}  #", "tag: ${tag}  #").replace('old.example.com/gitops-update  #', 'registry.example.com/gitops-update  #')
assert sh(basedir, ['git', '--git-dir', bare, 'log', '-1', '--format=%an%n%B', 'main']).startsWith("it-bot\nci: update image tag to ${tag}\n")

assert result.changed == true
assert result.commit == head
assert result.repository.startsWith('ssh://127.0.0.1:') && !result.repository.contains('@')

def log = new File(basedir, 'build.log').text
assert log.contains("main -> ${head} (1 file, attempt 1)")
assert !log.contains('it deploy key passphrase')
assert !log.contains('PRIVATE KEY')
// the opt-out of the signature gate is logged, naming what was written unchecked
assert new File(basedir, 'build.log').text =~ /\[WARNING\] imagegate:gitops-update: the signature gate is off \(imagegate.gitops.allowUnsigned=true\):\R  sha-[0-9a-f]{40} \(sha256:[0-9a-f]{12}…\) is written without checking/
return true
