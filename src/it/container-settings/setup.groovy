// Copy the real example service next to this aggregator (without its build output), put this story's files into it
// (files/: an extra directory src/main/image and the default src/main/jib) and replace the example's <ports> and
// <jvmFlags> by every container setting (container-settings.xml); then commit it all.
def source = new File(projectRoot, 'examples/myapp')
def target = new File(basedir, 'myapp')
def copyTree = { File from, File to ->
  from.eachFileRecurse { f ->
    def rel = from.toPath().relativize(f.toPath()).toString()
    if (rel == 'target' || rel.startsWith('target/')) return
    def dest = new File(to, rel)
    if (f.isDirectory()) { dest.mkdirs() } else { dest.parentFile.mkdirs(); dest.bytes = f.bytes }
  }
}
copyTree(source, target)
copyTree(new File(basedir, 'files'), target)
def pom = new File(target, 'pom.xml')
def example = '''          <!-- The base image comes from the imagegate.from property above. -->
          <ports>
            <port>8080</port>
          </ports>
          <jvmFlags>
            <jvmFlag>-XX:MaxRAMPercentage=75</jvmFlag>
          </jvmFlags>
'''
assert pom.text.contains(example) : 'examples/myapp/pom.xml changed: update src/it/container-settings/setup.groovy'
pom.text = pom.text.replace(example, new File(basedir, 'container-settings.xml').text)
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
return true
