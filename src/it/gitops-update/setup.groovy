// The project is its own git repository (for the sha- tag); the GitOps repository is a bare repository on the
// peers' git server, reset to one seed commit with three values files.
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def url = sh(new File(projectRoot), [new File(projectRoot, 'scripts/peers').path, 'git-repo', 'it-gitops-update']).trim()
def auth = url.replace('http://', "http://${System.getenv('IMAGEGATE_GIT_USER')}:${System.getenv('IMAGEGATE_GIT_PASSWORD')}@")

def seed = new File(basedir, 'target/gitops-seed')
seed.deleteDir()
new File(seed, 'apps/gitops-update').mkdirs()
['dev', 'staging', 'production'].each { env ->
  new File(seed, "apps/gitops-update/values-${env}.yaml").bytes = new File(basedir, "values-${env}.yaml").bytes
}
def git = ['git', '-c', 'user.name=seed', '-c', 'user.email=seed@imagegate.dev', '-c', 'commit.gpgsign=false']
sh(seed, ['git', 'init', '-q', '-b', 'main'])
sh(seed, ['git', 'config', 'core.autocrlf', 'false'])
sh(seed, git + ['add', '-A'])
sh(seed, git + ['commit', '-q', '-m', 'seed'])
// test fixture only: start every run from the same seed (the plugin itself never forces)
sh(seed, ['git', 'push', '-q', '--force', auth, 'main'])
new File(basedir, 'target/gitops-auth-url').text = auth
return true
