// Copy the real example service next to this aggregator (without its build output), then commit it all.
def source = new File(projectRoot, 'examples/myapp')
def target = new File(basedir, 'myapp')
source.eachFileRecurse { f ->
  def rel = source.toPath().relativize(f.toPath()).toString()
  if (rel == 'target' || rel.startsWith('target/')) return
  def dest = new File(target, rel)
  if (f.isDirectory()) { dest.mkdirs() } else { dest.parentFile.mkdirs(); dest.bytes = f.bytes }
}
evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
return true
