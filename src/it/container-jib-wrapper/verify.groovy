def log = new File(basedir, 'build.log').text
assert log.contains("<container> is jib's wrapper for the container settings; imagegate does not read it, so [<jvmFlags>, <ports>] would be ignored.")
assert log.contains('Move the children of <container> one level up, directly into the plugin')
assert !new File(basedir, 'target/imagegate/image.json').exists()
return true
