def head = evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
def env = System.getenv()
// another image (the base image) already holds the tag this commit's image will want
def p = ['skopeo', 'copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false',
         "docker://${env.IMAGEGATE_BASE_IMAGE}".toString(),
         "docker://${env.IMAGEGATE_REGISTRY}/it/push-tag-conflict:sha-${head}".toString()].execute()
def err = p.errorStream.text
assert p.waitFor() == 0 : err
return true
