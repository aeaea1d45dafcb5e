import groovy.json.JsonSlurper

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def image = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def result = new JsonSlurper().parse(new File(basedir, 'target/imagegate/gitops.json'))
def tag = image.tag
assert tag ==~ /sha-[0-9a-f]{40}/

def check = new File(basedir, 'target/gitops-check')
check.deleteDir()
sh(basedir, ['git', 'clone', '-q', '-c', 'core.autocrlf=false', new File(basedir, 'target/gitops-auth-url').text.trim(), check.path])
def head = sh(check, ['git', 'rev-parse', 'HEAD']).trim()
def old = 'sha-0000000000000000000000000000000000000000'
def repo = 'registry.example.com/gitops-update'

['dev', 'staging', 'production'].each { env ->
  def before = new File(basedir, "values-${env}.yaml").getText('UTF-8')
  def after = new File(check, "apps/gitops-update/values-${env}.yaml").getText('UTF-8')
  def expected = [
      dev: before.replaceFirst("tag: ${old}  #", "tag: ${tag}  #").replace('old.example.com/gitops-update  #', "${repo}  #"),
      staging: before.replace("tag: \"${old}\"", "tag: \"${tag}\"").replace('{repository: old.example.com/gitops-update', "{repository: ${repo}"),
      production: before.replaceFirst("tag: '${old}'", "tag: '${tag}'").replace("'old.example.com/gitops-update'", "'${repo}'")][env]
  assert after == expected : "values-${env}.yaml:\n${after}"
}
// exactly two commits: the seed and one update (the second run changed nothing)
assert sh(check, ['git', 'rev-list', '--count', 'HEAD']).trim() == '2'
assert sh(check, ['git', 'log', '-1', '--format=%an <%ae>%n%B']).startsWith("it-bot <it-bot@imagegate.dev>\nci: update image tag to ${tag}\n")
assert sh(check, ['git', 'log', '-1', '--format=%B']).contains("${repo}@${image.digest}")

// gitops.json of the second (no-op) run
assert result.schemaVersion == 1
assert result.changed == false
assert result.commit == head
assert result.branch == 'main'
assert result.tag == tag && result.digest == image.digest
assert result.repository.endsWith('/it-gitops-update.git') && !result.repository.contains('@')

def log = new File(basedir, 'build.log').text
assert log.contains("imagegate:gitops-update ") && log.contains("main -> ${head} (3 files, attempt 1)")
assert log.contains('nothing to commit')
assert !log.contains(System.getenv('IMAGEGATE_GIT_PASSWORD'))
// the opt-out of the signature gate is logged, naming what was written unchecked
assert new File(basedir, 'build.log').text =~ /\[WARNING\] imagegate:gitops-update: the signature gate is off \(imagegate.gitops.allowUnsigned=true\):\R  sha-[0-9a-f]{40} \(sha256:[0-9a-f]{12}…\) is written without checking/
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
