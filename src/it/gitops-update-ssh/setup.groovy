// The project is its own git repository (for the sha- tag). The GitOps repository is a bare repository of the peers'
// git server, reached over their sshd, reset to one seed commit. The deploy key is the peers' client key, re-encrypted
// with a passphrase into target/deploy_key (the key pair is the same: the server's authorized_keys needs no change).
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))

def sh = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
sh(new File(projectRoot), [new File(projectRoot, 'scripts/peers').path, 'git-repo', 'it-gitops-update-ssh'])
def bare = new File(System.getenv('IMAGEGATE_GIT_SSH_ROOT'), 'it-gitops-update-ssh.git')
assert new File(bare, 'HEAD').isFile()

def seed = new File(basedir, 'target/gitops-seed')
seed.deleteDir()
new File(seed, 'apps/gitops-update-ssh').mkdirs()
new File(seed, 'apps/gitops-update-ssh/values-dev.yaml').bytes = new File(basedir, 'values-dev.yaml').bytes
def git = ['git', '-c', 'user.name=seed', '-c', 'user.email=seed@imagegate.dev', '-c', 'commit.gpgsign=false']
sh(seed, ['git', 'init', '-q', '-b', 'main'])
sh(seed, git + ['add', '-A'])
sh(seed, git + ['commit', '-q', '-m', 'seed'])
// test fixture only: start every run from the same seed (the plugin itself never forces)
sh(seed, ['git', 'push', '-q', '--force', bare.path, 'main'])

def key = new File(basedir, 'target/deploy_key')
key.delete()
key.bytes = new File(System.getenv('IMAGEGATE_GIT_SSH_KEY')).bytes
sh(basedir, ['chmod', '600', key.path])
sh(basedir, ['ssh-keygen', '-q', '-p', '-P', '', '-N', 'it deploy key passphrase', '-f', key.path])
assert key.text.contains('BEGIN OPENSSH PRIVATE KEY')
return true
